"""The entity recognizer: shipped model, offsets back to raw input, corpus reading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar import Pipeline
from khabar.document import Document
from khabar.ner import LABELS
from khabar.ner.corpora import CorpusError, bio_labels, prepare, read_corpus, snap, strip_halfspaces
from khabar.ner.model import DATA_DIR, decode
from khabar.ner.step import entities_step
from khabar.ner.tokens import pieces

ZWNJ = "\u200c"

# Written for this test (not from a corpus).
SENTENCE = ("به گزارش خبرگزاری ایسنا، محمدرضا عارف روز دوشنبه در دانشگاه تهران گفت که شرکت ملی نفت ایران "
            "۵ میلیارد دلار در استان خوزستان سرمایه‌گذاری می‌کند.")


def analyze(text: str) -> Document:
    return Pipeline(["normalize", "segment", "entities"])(text)


def entities(doc: Document) -> list[tuple[str, str]]:
    return [(doc.text[e.start:e.end], e.label) for e in doc.entities]


def skeleton(s: str) -> str:
    return s.replace(ZWNJ, "").replace(" ", "")


def test_model_files_are_shipped_and_small() -> None:
    files = list(DATA_DIR.glob("ner*"))
    assert {p.name for p in files} >= {"ner.crfsuite", "ner-resources.json.gz", "ner-NOTICE.txt"}
    assert sum(p.stat().st_size for p in files) <= 40 * 1024 * 1024


def test_entities_step_is_in_the_default_pipeline() -> None:
    from khabar.pipeline import DEFAULT_STEPS

    assert "entities" in DEFAULT_STEPS
    assert DEFAULT_STEPS.index("entities") > DEFAULT_STEPS.index("segment")


def test_shipped_model_finds_entities_in_a_news_sentence() -> None:
    found = entities(analyze(SENTENCE))
    assert ("محمدرضا عارف", "PER") in found
    assert any(label == "LOC" and "خوزستان" in text for text, label in found)
    assert any(label == "MONEY" and "دلار" in text for text, label in found)
    assert any(label == "ORG" and "ایسنا" in text for text, label in found)
    assert all(label in LABELS for _, label in found)


@pytest.mark.parametrize("variant", ["as written", "half-spaces as spaces", "half-spaces dropped", "arabic letters"])
def test_raw_offsets_give_the_entity_as_written(variant: str) -> None:
    raw = {"as written": SENTENCE,
           "half-spaces as spaces": SENTENCE.replace(ZWNJ, " "),
           "half-spaces dropped": SENTENCE.replace(ZWNJ, ""),
           "arabic letters": SENTENCE.replace("ی", "ي").replace("ک", "ك")}[variant]
    doc = analyze(raw)
    out = doc.to_dict()
    assert out["entities"], "no entities found"
    for ent in out["entities"]:
        written = raw[ent["raw_start"]:ent["raw_end"]]
        assert written == written.strip()
        expected = skeleton(ent["text"])
        if variant == "arabic letters":
            expected = expected.replace("ی", "ي").replace("ک", "ك")
        assert skeleton(written) == expected
    assert any("عارف" in raw[e["raw_start"]:e["raw_end"]] for e in out["entities"] if e["label"] == "PER")


def test_entities_without_segmenter_tokens_use_the_fallback_tokenizer() -> None:
    doc = Pipeline(["normalize"])(SENTENCE)
    assert not doc.tokens
    assert ("محمدرضا عارف", "PER") in entities(entities_step(doc))


_WORDS = ["علی", "تهران", "در", "گفت", "سازمان", "ملل", "۱۲", "درصد", "،", ".", "«", "»", "می", "شود", "ها",
          "حسن", "روحانی", "وزارت", "خارجه", "ایران", "دلار", "U.S.", "2024", "!"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", ZWNJ, "  ", "", "\n", " \u200c"])),
                max_size=25))
def test_entity_spans_are_valid_on_any_input(parts: list[tuple[str, str]]) -> None:
    raw = "".join(w + sep for w, sep in parts)
    doc = analyze(raw)
    prev_end = 0
    for e in doc.entities:
        assert prev_end <= e.start < e.end <= len(doc.text)
        text = doc.text[e.start:e.end]
        assert text == text.strip() and "\n" not in text
        assert e.label in LABELS
        rs, re_ = doc.raw_span(e.start, e.end)
        assert 0 <= rs < re_ <= len(raw)
        prev_end = e.end


def test_pieces_cut_tokens_at_half_spaces() -> None:
    text = "سازمان" + ZWNJ + "ملل و روش" + ZWNJ + ZWNJ + "ها"
    cut = pieces(text, [(0, 10), (11, 12), (13, len(text))])
    assert [text[s:e] for _, s, e in cut] == ["سازمان", "ملل", "و", "روش", "ها"]
    assert [w.startswith(ZWNJ) for w, _, _ in cut] == [False, True, False, False, True]


def test_an_amount_of_money_ends_in_a_currency_or_a_magnitude() -> None:
    from khabar.ner.model import plausible

    words = ["۲۷", "میلیون", "مسافر", "و", "۲۰", "میلیاردی", "با", "۱۰", ZWNJ + "هزار", "تومان", "در", "۹", "دی",
             "۴", "دلار", "و", "۲۲", "سنت", "سه", "میلیارد", "و", "چهارصد", "۱۰", "لیره", ZWNJ + "ای", "۵", "هزار",
             "لیتر", ZWNJ + "ای"]
    found = [(0, 3, "MONEY"), (4, 6, "MONEY"), (7, 10, "MONEY"), (11, 13, "MONEY"), (11, 13, "DATE"),
             (13, 18, "MONEY"), (18, 22, "MONEY"), (22, 25, "MONEY"), (25, 29, "MONEY"), (0, 3, "PER")]
    assert plausible(words, found) == [(4, 6, "MONEY"), (7, 10, "MONEY"), (11, 13, "DATE"), (13, 18, "MONEY"),
                                       (18, 22, "MONEY"), (22, 25, "MONEY"),
                                       (0, 3, "PER")]  # other labels are never touched


def test_decode_and_bio_labels_round_trip() -> None:
    spans = [(0, 3), (4, 8), (9, 12), (13, 15)]
    ents = [(0, 8, "PER"), (13, 15, "LOC")]
    labels = bio_labels(spans, ents)
    assert labels == ["B-PER", "I-PER", "O", "B-LOC"]
    assert decode(labels) == [(0, 2, "PER"), (3, 4, "LOC")]


def test_read_corpus_maps_labels_and_reports_bad_lines(tmp_path: Path) -> None:
    good = tmp_path / "peyma.txt"
    good.write_text("به|O\nبانک|B_ORG\nمرکزی|I_ORG\nروش های|O\n\n۲۰|B_PCT\nدرصد|I_PCT\n", encoding="utf-8")
    sents = read_corpus(good, "peyma")
    assert len(sents) == 2
    first = sents[0]
    assert [(first.raw[s:e], lab) for s, e, lab in first.entities] == [("بانک مرکزی", "ORG")]
    assert sents[1].entities == [(0, 7, "PERCENT")]
    assert snap((4, 6), first.token_spans) == (3, 7)
    bad = tmp_path / "bad.txt"
    bad.write_text("به O\nبانک B-xyz\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.txt:2: unknown tag"):
        read_corpus(bad, "arman")


def test_prepare_keeps_gold_on_khabar_tokens_with_or_without_half_spaces(tmp_path: Path) -> None:
    path = tmp_path / "arman.txt"
    path.write_text("سخنگوی O\nوزارت B-org\nامور I-org\nخارجه I-org\nگفت‌وگو O\nکرد O\n", encoding="utf-8")
    (sent,) = read_corpus(path, "arman")
    for s in (sent, strip_halfspaces(sent)):
        p = prepare(s)
        got = [("".join(skeleton(w) for w in p.words[a:b]), lab) for a, b, lab in decode(p.labels)]
        assert got == [(skeleton("وزارت امور خارجه"), "ORG")]


@pytest.mark.shared
def test_gold_entities_survive_normalization_and_tokenization(shared_data: Path) -> None:
    """Almost every PEYMA dev entity is a run of whole khabar tokens after normalization."""
    sents = read_corpus(shared_data / "ner" / "peyma" / "dev.txt", "peyma")[:300]
    hit = total = 0
    for s in sents:
        p = prepare(s)
        pred = {(*snap((p.raw_spans[a][0], p.raw_spans[b - 1][1]), s.token_spans), lab)
                for a, b, lab in decode(p.labels)}
        hit += len(pred & set(s.entities))
        total += len(s.entities)
    assert total > 300
    assert hit / total >= 0.98


def test_domain_features_are_copies_of_the_shared_ones() -> None:
    from khabar.ner.features import DOMAIN_FEATURES, Resources, sentence_features

    res = Resources(clusters={"تهران": ("1", "2", "3")})
    plain = sentence_features(["تهران"], res)
    with_domain = sentence_features(["تهران"], res, domain="arman")
    for a, b in zip(plain, with_domain, strict=True):
        extra = set(b) - set(a)
        assert extra and all(f.startswith("arman|") for f in extra)
        assert {f.removeprefix("arman|") for f in extra} == {f for f in a if f.startswith(DOMAIN_FEATURES)}


def _train_ner():
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_ner", Path(__file__).parent.parent / "training" / "train_ner.py")
    assert spec and spec.loader
    train_ner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_ner)
    return train_ner


def test_a_missing_teacher_is_named_before_training(tmp_path: Path) -> None:
    (tmp_path / "data" / "ner").mkdir(parents=True)
    teacher = tmp_path / "no-teacher"
    argv = ["--data", str(tmp_path / "data"), "--out-dir", str(tmp_path / "out"), "--self-train", "5",
            "--self-train-teacher", str(teacher)]
    with pytest.raises(SystemExit, match=re.escape(f"{teacher}: no ner.crfsuite or ner-resources.json.gz there")):
        _train_ner().main(argv)


def test_training_cache_key_sees_the_whole_corpus() -> None:
    """Two corpora with the same name, size and first sentence must not share prepared training data."""
    train_ner = _train_ner()
    from khabar.ner.corpora import GoldSentence

    first = GoldSentence("علی آمد", [(0, 3, "PER")], [(0, 3), (4, 7)])
    a = [first, GoldSentence("تهران", [(0, 5, "LOC")], [(0, 5)])]
    b = [first, GoldSentence("تهران", [(0, 5, "ORG")], [(0, 5)])]
    assert train_ner.content_hash(a) != train_ner.content_hash(b)
    assert train_ner.content_hash(a) == train_ner.content_hash(list(a))
    prepared_a = train_ner.prepare_training([("arman", a)], 0.0)
    prepared_b = train_ner.prepare_training([("arman", b)], 0.0)
    assert prepared_a[1][1].labels == ["B-LOC"] and prepared_b[1][1].labels == ["B-ORG"]
