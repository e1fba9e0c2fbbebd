from __future__ import annotations

import gzip
import sys
import time
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from khabar import normalize
from khabar.text import chars
from khabar.text.alignment import apply_edits
from khabar.text.halfspace import GAP_SIDE_MIN, halfspace_edits, load_model, model_path
from khabar.text.normalizer import normalize_with_alignment

ZWNJ = "\u200c"


def test_shipped_model_loads_and_is_small() -> None:
    path = model_path()
    assert path.is_file()
    assert path.stat().st_size <= 25 * 1024 * 1024
    t = time.perf_counter()
    model = load_model()
    assert time.perf_counter() - t < 30  # generous: CI machines are shared; the bench measures < 1 s
    assert model.forms and model.uni and model.prefixes and model.suffixes


@pytest.mark.parametrize("damage", [lambda b: b[: len(b) // 2], lambda b: b"garbage", lambda b: gzip.compress(b"[1, 2")])
def test_a_damaged_model_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage) -> None:
    from khabar.text import halfspace

    bad = tmp_path / "halfspace.pkl.gz"
    bad.write_bytes(damage(model_path().read_bytes()))
    monkeypatch.setattr(halfspace, "model_path", lambda: bad)
    with pytest.raises(OSError) as info:
        halfspace.load_model.__wrapped__()
    assert info.value.filename == str(bad) and "rebuild it with python training/build_halfspace.py" in str(info.value)


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        ("ما میخواهیم کتابهای جدید بخریم.", "ما می‌خواهیم کتاب‌های جدید بخریم."),
        ("آنها نمی دانستند که جلسه لغو شده است.", "آنها نمی‌دانستند که جلسه لغو شده است."),
        ("این بزرگترین پیشرفت های علمی سال بود.", "این بزرگ‌ترین پیشرفت‌های علمی سال بود."),
        ("روابط بین المللی دو کشور بهتر شد.", "روابط بین‌المللی دو کشور بهتر شد."),
        ("دانشجویان گفته اند که خانه ای خریده اند.", "دانشجویان گفته‌اند که خانه‌ای خریده‌اند."),
        ("او می گوید: «ما نمیتوانیم صبر کنیم.»", "او می‌گوید: «ما نمی‌توانیم صبر کنیم.»"),
        ("کارشناسان پیش بینی میکنند که قیمتها بالا برود.", "کارشناسان پیش‌بینی می‌کنند که قیمت‌ها بالا برود."),
        ("این کتاب ها را به دوستانم داده ام.", "این کتاب‌ها را به دوستانم داده‌ام."),
        ("دولت تصمیم گیری های مهمی کرد.", "دولت تصمیم‌گیری‌های مهمی کرد."),
        # a pronoun suffix spaced off after «ی», written apart less reliably when solid
        ("داراییهای دارایی شان را فروختند.", "دارایی‌های دارایی‌شان را فروختند."),
        # compounds the language model leaves spaced, joined by the gap classifier; a participle
        # as an adjective takes a ZWNJ, the same participle in a passive verb keeps its space
        ("کشورهای نفت خیز و ساختمان های تخریب شده", "کشورهای نفت‌خیز و ساختمان‌های تخریب‌شده"),
        ("او فردی بی تابم بود.", "او فردی بی‌تابم بود."),
        ("یک مرحله ای", "یک مرحله‌ای"),  # «ه» + «ای», not «مرحل» + «های»
        # ... and the plural of a common word, not one lexicon's «ه» + «ای» («آتشه‌ای», «جهته‌ای»)
        ("آتشهای جنگ از جهتهای مختلف", "آتش‌های جنگ از جهت‌های مختلف"),
        ("جزیرههای خلیج فارس", "جزیره‌های خلیج فارس"),  # not the lexicon's «جزیرهه‌ای»
        # a word the news writes solid keeps its form, and its plural still takes the Academy's ZWNJ
        ("مسابقات دوومیدانی و سلاحهای اسلامشهر", "مسابقات دوومیدانی و سلاح‌های اسلامشهر"),
        # PerDT writes «حرف‌های» in 39 lines and «حرفه‌ای» in 26, the news «حرفه‌ای» 60 times and «حرف‌های» 16: the news decides
        ("او بازیکن حرفهای فوتبال است.", "او بازیکن حرفه‌ای فوتبال است."),
        # PerDT's deliberate solid «تنها» (alone) holds inside a compound: no «تن» + «ها» (bodies)
        ("او نهتنها بهتنهایی آمد.", "او نه‌تنها به‌تنهایی آمد."),
    ],
)
def test_broken_sentences_set_right(broken: str, expected: str) -> None:
    assert normalize(broken) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "می‌گوید که کتاب‌ها را خوانده‌ایم.",
        "گروه مینسک و شهر تهران",  # a name that starts like «می» stays whole
        "درها و دیوارها",
        "او به خانه رفت و در را بست.",
        "هر گاه که آمد، در امد او گفت.",  # a typed space after a non-joining letter is a real one
        "فیلتر هوا را در انتها عوض کرد.",  # «فیلتر» is no «فیل» + «تر», «انتها» no «انت» + «ها»
        "خانه‌ها در سیل تخریب شده‌اند.",  # a passive verb, not the adjective «تخریب‌شده»
        # written both ways in the corpora, mostly apart: the gap classifier keeps the space
        "همان طور که گفتم، خود به خود حل شد.",
        # PerDT's usual joined «ها» forms (the Academy allows «ها» joined) keep one style: «اینها» as «آنها»;
        # «منهای» (minus) is no «من» + «های»
        "آنها و اینها را دیدند؛ ده منهای سه.",
        # ... and so do their kin that only a lexicon lists, there as «آنه‌ای»
        "آنهای دیگر و آنهایم را دیدند.",
        # words the news writes solid, where a lexicon or the build's compound guess had a ZWNJ
        "مسابقات دوومیدانی در اسلامشهر برگزار شد.",
        # a writer's own half-spaces around PerDT's deliberate solid «تنها» are left as they are
        "نه‌تنها او، بلکه تنهایی‌شان را به‌تنهایی دیدند.",
        # a word the model does not know, written with ZWNJs: read piece by piece where the writer cut it,
        # an unknown piece not re-cut («ستمباره»)
        "همه‌آنها میانه‌روانه‌تر و ستمباره‌ای بودند.",
        # a pronoun after «ی» on a known word ending in «ا» or «و»: «انتها» + «یش», not «انت» + «هایش»
        "راه بی‌انتهایش و بازویشان را دیدم.",
        # a known compound and a plural after a letter that does not join, the writer's ZWNJ inside the compound
        # (not «وکاره» + «ای»)
        "کسب‌وکارهای کوچک، ساخت‌وسازهای غیرمجاز، رفت‌وآمدهای مرزی و جست‌وجوهای اینترنتی",
    ],
)
def test_clean_text_unchanged(clean: str) -> None:
    assert normalize(clean) == clean


@pytest.mark.parametrize(
    "text",
    ["http://example.com/میشود", "#میشود", "abcمیشود", "F16میشود", "info@میشود.com"],
)
def test_latin_urls_hashtags_untouched(text: str) -> None:
    assert text in normalize(f"سلام {text} سلام")


def test_never_crosses_a_line_break() -> None:
    assert normalize("می\nگوییم") == "می\nگوییم"
    assert normalize("کتاب\nها") == "کتاب\nها"


def test_alignment_space_to_zwnj_is_one_to_one() -> None:
    raw = "ما می گوییم"
    text, alignment, changes = normalize_with_alignment(raw, explain=True)
    assert text == "ما می‌گوییم"
    i = text.index(ZWNJ)
    assert alignment.raw_span(i, i + 1) == (5, 6) and raw[5] == " "
    hs = [c for c in changes if c.rule == "halfspace"]
    assert [(c.raw_start, c.raw_end, c.before, c.after) for c in hs] == [(5, 6, " ", ZWNJ)]


def test_alignment_inserted_zwnj_is_an_insertion() -> None:
    raw = "میگوییم"
    text, alignment, _ = normalize_with_alignment(raw)
    assert text == "می‌گوییم"
    i = text.index(ZWNJ)
    assert alignment.raw_span(i, i + 1) == (2, 2)
    assert raw[slice(*alignment.raw_span(0, len(text)))] == raw


def test_shared_example_article(shared_example: Path) -> None:
    raw = shared_example.read_text(encoding="utf-8")
    out = normalize(raw)
    for word in ["قره‌باغ", "بین‌المللی", "می‌گوییم", "می‌دهد", "سه‌گانه", "پیشرفت‌های", "می‌خواهند", "می‌توان",
                 "نشست‌های", "پیش‌بینی"]:
        assert word in out, word
    for broken in ["قرهباغ", "قره باغ", "بینالمللی", "میگوییم", "میدهد", "سهگانه", "پیشرفتهای", "میخواهند",
                   "نشست های", "پیش بینی"]:
        assert broken not in out, broken
    for name in ["مینسک", "کاراسین", "قفقاز", "ارمنستان", "آذربایجان", "وستنیک"]:
        assert name in out, name
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out
    assert out.count("\n") == raw.count("\n")


def test_dev_accuracy_floor(shared_data: Path) -> None:
    """A regression floor on a slice of PerDT dev (figures for the whole sets: docs/benchmarks.md)."""
    sys.path.insert(0, str(shared_data.parent / "tools"))
    import zwnj_eval

    golds = zwnj_eval.conllu_texts(shared_data / "ud" / "fa_perdt-ud-dev.conllu")[:400]
    for how in ("joined", "spaced"):
        preds = [normalize(zwnj_eval.corrupt(g, how)) for g in golds]
        r = zwnj_eval.score(golds, preds)
        assert r["zwnj_f1"] >= 0.93, (how, r)
        assert r["space_f1"] >= 0.99, (how, r)


# ---------------------------------------------------------------------------
# Properties, over text made of real pieces of words joined in every way.

PIECES = ["می", "نمی", "کتاب", "ها", "های", "خانه", "ای", "بین", "المللی", "پیش", "بینی", "گوییم", "کند", "در",
          "تر", "ترین", "بزرگ", "اند", "رفته", "این", "که", "به", "ویژه", "سه", "گانه", "دار", "ام", "بی", "کار"]
SEPS = [" ", "", ZWNJ, "\n", " ", " ", "، ", "."]
WORDY = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPS)), max_size=25).map(
    lambda xs: "".join(p + s for p, s in xs))
TEXT = WORDY | st.text(alphabet=st.sampled_from(list("ابپتدرزسشکگلمنوهی \u200c\n.a1")), max_size=60)
NON_JOINING = frozenset(chars.NON_JOINING)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_idempotent(raw: str) -> None:
    once = normalize(raw)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_zwnj_well_placed(raw: str) -> None:
    out = normalize(raw)
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out and ZWNJ * 2 not in out
    for i, ch in enumerate(out):
        if ch == ZWNJ:
            assert i > 0 and out[i - 1] not in NON_JOINING and out[i - 1].isalpha()
            assert i + 1 < len(out) and out[i + 1].isalpha()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_halfspace_only_moves_spaces_and_zwnj(raw: str) -> None:
    text = normalize(raw, halfspace=False)
    edits = halfspace_edits(text)
    for e in edits:
        before = text[e.start:e.end]
        assert (before, e.replacement) in {("", ZWNJ), (" ", ZWNJ), (" ", "")}, e
    out = apply_edits(text, edits)

    def letters(s: str) -> str:
        return s.replace(" ", "").replace(ZWNJ, "")

    assert letters(out) == letters(text)
    assert out.count("\n") == text.count("\n")


PIECE_WORDS = st.sampled_from(PIECES + ["شده", "تخریب", "نفت", "خیز", "مرحله", "کوه", "نوردان", "اند", ""])


@settings(max_examples=200, deadline=None)
@given(PIECE_WORDS, PIECE_WORDS, PIECE_WORDS, PIECE_WORDS)
def test_gap_classifier_fast_score_matches_its_features(x: str, y: str, before: str, after: str) -> None:
    """The run-time shortcut (cached one-sided and pair scores) gives the classifier's probability
    over the full feature list, the one the build trained on; the side filter agrees with the weights."""
    from khabar.text.halfspace import get_restorer

    assume(x and y)
    r = get_restorer()
    assert abs(r.spaced_p(x, y, before, after) - r.gap_p(x, y, False, before, after)) < 1e-9
    # the side flags the model ships for known pieces are those its weights give
    assert r.flags(x)[0] == (r.side(x)[0] > GAP_SIDE_MIN)
    assert r.flags(y)[1] == (r.side(y)[1] > GAP_SIDE_MIN)


def test_known_word_and_one_letter_is_not_split_as_a_compound() -> None:
    """An unknown solid word that is a known word plus one letter (a clitic, «ی») is that word
    inflected: it keeps the word's own form and the letter joined, never a ZWNJ inside the word."""
    from khabar.text.halfspace import ZWNJ, get_restorer, skeleton

    r = get_restorer()
    stems = sorted(w for w in r.m.uni if len(w) >= 3)[::997][:200]
    checked = 0
    for stem in stems:
        for letter in "مشی":
            w = stem + letter
            if w in r.m.uni or w in r.m.forms:
                continue
            f = r.compound(w)
            assert f == r.form(stem) + letter
            assert skeleton(f) == w and not f.endswith(ZWNJ + letter)
            checked += 1
    assert checked > 100


def test_known_word_and_suffix_before_a_prefix_reading() -> None:
    """An unknown word that is a known word and a suffix is read as that word («بیدار» + «تر»), not
    as a prefix before a shorter core («بی» + «دار» + «تر»); a prefix before a stem seen after one
    (a verb: «نمی» + «جویدند») still comes first."""
    from khabar.text.halfspace import get_restorer

    r = get_restorer()
    cases = {"بیدارتر": "بیدارتر", "بیابانهای": "بیابان\u200cهای", "بیناتری": "بیناتری",
             "نمیجویدند": "نمی\u200cجویدند", "بیرویهتر": "بی\u200cرویه\u200cتر"}
    for word, form in cases.items():
        assert word not in r.m.uni  # words the model does not list: read by affixes
        assert r.form(word) == form, word
    assert normalize("کمی بیدارتر از دیروز") == "کمی بیدارتر از دیروز"


def test_a_space_after_a_letter_that_does_not_join_is_the_writers() -> None:
    # no ZWNJ can stand there, so it is no broken half-space: words the model knows solid are not made
    # («مادر», «برعهده» are), unless a suffix stands alone after it
    for text in ("ما در خانه ماندیم", "این کار بر عهده او است", "منچستر سیتی برد", "هر گاه که آمد",
                 "او ای میل فرستاد", "آنان که دارند ساز مخالف می‌زنند", "ساعت ق.ا تر"):
        assert normalize(text) == text  # (only a plural or comparative suffix, after a word, not ای or ساز)
    assert normalize("دیدار های دوستانه و کتاب ها") == "دیدارهای دوستانه و کتاب‌ها"


def test_a_writer_who_types_zwnjs_keeps_the_unknown_words_written_solid() -> None:
    """On a line with a ZWNJ typed between letters, a word the model does not know stays as written (names
    the affixes or the gap classifier would cut); known words are still set right, and a line without any
    ZWNJ (stripped text) is read as before."""
    from khabar.text.halfspace import get_restorer

    m = get_restorer().m
    names = ["عراقچی", "رولاند", "بیشکک", "هانتر"]
    assert not any(n in m.uni or n in m.forms for n in names)
    line = f"عباس {names[0]} و {names[1]} در {names[2]} با {names[3]} دیدار می‌کنند و میگویند"
    assert normalize(line) == line.replace("میگویند", "می‌گویند")
    # a compound whose two sides the data has seen as two words is still set right there
    assert normalize("او یکبار گفت که همینطور می‌شود") == "او یک‌بار گفت که همین‌طور می‌شود"
    assert "می‌کنند" in normalize(line.replace("\u200c", ""))  # (stripped text: restored)


def test_a_suffix_standing_alone_begins_no_word() -> None:
    """A suffix token whose last letter does not join (``ها``, ``تر``) is not joined to the word after it, which
    would take a space away (``هارا``, ``تراز``, both words the model lists: the space after a letter that does
    not join stays unless a plural or comparative suffix follows); ``ساز`` + ``های`` is one word."""
    from khabar.text.halfspace import get_restorer

    m = get_restorer().m
    assert "هارا" in m.uni and "تراز" in m.uni and "ها" in m.suffixes and "تر" in m.suffixes
    for text in ("F16 ها را دیدند", "دهه ۶۰ ها را دیدم", "Apple تر از همه"):
        assert normalize(text) == text
    assert normalize("ساخت و ساز های اصولی") == "ساخت و سازهای اصولی"


def test_two_readings_of_a_suffix_the_likelier_stem_wins() -> None:
    """An unknown word that reads as two known stems with a suffix each («امام» + «های» or «امامه» +
    «ای») takes the likelier stem and suffix together, the rare reading only when its stem is the
    common one («اینکه» + «ای»)."""
    from khabar.text.halfspace import get_restorer

    r = get_restorer()
    cases = {"امامهای": "امام\u200cهای", "برنجهای": "برنج\u200cهای", "بغلهای": "بغل\u200cهای",
             "اینکهای": "اینکه\u200cای"}
    for word, form in cases.items():  # (read by affixes in the shipped model; the loop below checks the rule)
        assert r.form(word) == form, word
    assert normalize("امامهای جماعت آمدند") == "امام\u200cهای جماعت آمدند"
    # and in general: of two readings by known stems, the one with the higher stem + suffix probability
    checked = 0
    for stem in sorted(w for w in r.m.uni if len(w) >= 3 and w[-1] in "بتسشلمنک")[::37]:
        word = stem + "های"
        if word in r.m.uni or word in r.m.forms or stem + "ه" not in r.m.uni or word[:-1] in r.m.uni:
            continue  # (the last: a third reading, the plural known as a word and «ی»)
        lp = {s: r.m.uni[s] + r.m.suffixes[x][1] for s, x in ((stem, "های"), (stem + "ه", "ای"))}
        if abs(lp[stem] - lp[stem + "ه"]) < 1e-6 or r._affix(word)[0]:
            continue
        assert r._suffix_split(word)[0] == max(lp, key=lp.__getitem__), word
        checked += 1
    assert checked > 20
