"""The numpy BiLSTM-CRF tagger: batching, decoding, loading, and the shipped model when it is the neural one."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")

from khabar.ner import LABELS  # noqa: E402
from khabar.ner.model import DATA_DIR, NEURAL_MODEL, default_recognizer  # noqa: E402
from khabar.ner.neural import NeuralError, NeuralRecognizer  # noqa: E402

TAGS = ["O"] + [f"{p}-{lab}" for lab in LABELS for p in "BI"]


def random_model(seed: int = 0, hidden: int = 6) -> NeuralRecognizer:
    """A small model with random weights (the shapes of training/train_ner_nn.py's export)."""
    rng = np.random.default_rng(seed)
    words = ["تهران", "در", "علی", "گفت", "سازمان", "ملل"]
    chars = ["<pad>", "<unk>", *sorted({c for w in words for c in w})]
    dims = {"pre": 5, "tr": 4, "dc": 3, "nf": 4, "gaz": 2, "dom": 2}
    n_in = dims["pre"] + dims["tr"] + dims["nf"] + dims["gaz"] + dims["dom"]

    def r(*shape: int) -> np.ndarray:
        return rng.normal(scale=0.5, size=shape).astype(np.float32)

    char_emb = r(len(chars), dims["dc"])
    char_emb[0] = 0
    arrays = {
        "pre_emb": r(len(words) + 1, dims["pre"]), "tr_emb": r(4, dims["tr"]), "char_emb": char_emb,
        "char_w": r(3, dims["dc"], dims["nf"]), "char_b": r(dims["nf"]), "gaz_emb": r(len(TAGS), dims["gaz"]),
        "dom_emb": r(3, dims["dom"]),
        "f_wih": r(n_in, 4 * hidden), "f_whh": r(hidden, 4 * hidden), "f_b": r(4 * hidden),
        "b_wih": r(n_in, 4 * hidden), "b_whh": r(hidden, 4 * hidden), "b_b": r(4 * hidden),
        "out_w": r(2 * hidden, len(TAGS)), "out_b": r(len(TAGS)),
        "trans": r(len(TAGS), len(TAGS)), "start": r(len(TAGS)), "end": r(len(TAGS)),
    }
    meta = {"tags": TAGS, "domains": ["arman", "peyma", "parstwiner"], "domain": "peyma",
            "pre_vocab": ["<unk>", *words], "tr_vocab": ["<unk>", "تهران", "در", "گفت"], "chars": chars,
            "gaz_marks": TAGS, "gazetteer": [[["سازمان", "ملل"], "ORG"]]}
    return NeuralRecognizer(arrays, meta)


SENTS = [["علی", "در", "تهران", "گفت"], ["سازمان", "ملل"], [], ["x" * 40, "\u200cها", "۱۲", "تهران", "در", "علی"],
         ["در"]]


def test_a_batch_is_tagged_as_each_sentence_alone() -> None:
    rec = random_model()
    together = rec.emissions(SENTS)
    for words, scores in zip(SENTS, together, strict=True):
        assert scores.shape == (len(words), len(TAGS))
        if words:
            np.testing.assert_allclose(scores, rec.emissions([words])[0], rtol=1e-5, atol=1e-5)
    assert rec.entities_batch(SENTS) == [rec.entities(w) for w in SENTS]
    assert rec.entities_batch(SENTS, batch_tokens=3) == rec.entities_batch(SENTS)


def test_batches_stay_within_their_padded_token_budget() -> None:
    rec = random_model()
    seen: list[list[int]] = []
    tag_batch = rec.tag_batch

    def spy(sentences, domain=None):  # type: ignore[no-untyped-def]
        seen.append([len(s) for s in sentences])
        return tag_batch(sentences, domain)

    rec.tag_batch = spy  # type: ignore[method-assign]
    assert rec.entities_batch(SENTS, batch_tokens=6) == [rec.entities(w) for w in SENTS]
    batches = seen[:-len(SENTS)]  # the calls of entities_batch, before those of each sentence alone
    assert sorted(n for b in batches for n in b) == sorted(len(s) for s in SENTS)
    assert all(len(b) * max(b) <= 6 or len(b) == 1 for b in batches)  # the last batch too


def test_the_backward_direction_sees_the_right_context() -> None:
    rec = random_model(1)
    a = rec.emissions([["علی", "در", "تهران"]])[0]
    b = rec.emissions([["علی", "در", "سازمان"]])[0]
    assert not np.allclose(a[0], b[0])  # the first token's scores depend on the last word


def test_domain_changes_the_scores() -> None:
    rec = random_model(2)
    assert not np.allclose(rec.emissions([SENTS[0]], "arman")[0], rec.emissions([SENTS[0]], "peyma")[0])


def test_viterbi_finds_the_best_path() -> None:
    rec = random_model(3)
    rng = np.random.default_rng(4)
    scores = [rng.normal(size=(n, len(TAGS))).astype(np.float32) for n in (3, 1, 2)]
    index = {t: i for i, t in enumerate(TAGS)}
    small = [0, 1, 2, 7]  # check against brute force over a few tags
    for em, got in zip(scores, rec.viterbi(scores), strict=True):
        def total(path: tuple[int, ...], em: np.ndarray = em) -> float:
            s = rec._start[path[0]] + rec._end[path[-1]] + sum(em[i, k] for i, k in enumerate(path))
            return float(s + sum(rec._trans[a, b] for a, b in itertools.pairwise(path)))

        best = max(itertools.product(range(len(TAGS)), repeat=len(em)), key=total) if len(em) <= 2 else None
        if best is None:
            best_small = max(itertools.product(small, repeat=len(em)), key=total)
            assert total(tuple(index[t] for t in got)) >= total(best_small) - 1e-4
        else:
            assert [index[t] for t in got] == list(best)


def test_a_broken_model_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "ner-nn.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(NeuralError, match="ner-nn.npz"):
        NeuralRecognizer.load(bad)
    with pytest.raises(NeuralError, match="missing"):
        NeuralRecognizer.load(tmp_path / "absent.npz")


@pytest.mark.skipif(not (DATA_DIR / NEURAL_MODEL).is_file(), reason="the neural model is not shipped")
def test_the_shipped_neural_model_is_the_default_and_finds_entities() -> None:
    rec = default_recognizer()
    assert isinstance(rec, NeuralRecognizer)
    # Written for this test (not from a corpus).
    words = ["حسن", "روحانی", "دیروز", "در", "شهر", "مشهد", "با", "رئیس", "بانک", "مرکزی", "دیدار", "کرد", "."]
    found = {(" ".join(words[a:b]), label) for a, b, label in rec.entities(words)}
    assert ("حسن روحانی", "PER") in found
    assert ("مشهد", "LOC") in found or ("شهر مشهد", "LOC") in found
    assert any(label == "ORG" and "بانک" in text for text, label in found)
