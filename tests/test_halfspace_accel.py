"""The C run loops of the half-space rule (khabar.text._halfspace) against the pure-Python path, the
reference (issue 2): the same edits on any text, with any cache history, and errors raised, not
crashes.  Without the extension the module is skipped and the pure-Python path is used."""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text import halfspace
from khabar.text.alignment import Edit

pytestmark = pytest.mark.skipif(not halfspace.ACCELERATED, reason="khabar.text._halfspace is not built")

ZW = "\u200c"
# Words and pieces that take every path: prefixes, suffixes, compounds, language-model clusters,
# gap-classifier joins and vetoes, second readings (کند ترین ها), known, unknown and solid words.
WORDS = ["می", "نمی", "شود", "میشود", "می" + ZW + "شود", "ها", "های", "کتاب", "کتابهای", "بین", "المللی",
         "بینالمللی", "قره", "باغ", "پیش", "بینی", "پیشبینی", "این", "که", "اینکه", "همان", "طور", "خود", "به",
         "تعلیق", "شده", "اند", "شده" + ZW + "اند", "بدنسازی", "سنگینم", "هر", "گاه", "رئیس", "جمهور", "ترین",
         "بزرگترین", "کند", "گفت", "و", "در", "از", "تهران", "ایران", "سیاستهای", "حرفه", "ای", "گوینده", "دختر",
         "دانش", "آموز", "آموزان", "سه", "گانه", "نشست", "خواهند", "توان", "دارایی", "شان", "x", "۱۲", ZW, ZW + "ها"]
SEPS = [" ", " ", " ", " ", ZW, "، ", "\n", "  ", ". ", "#", "@", "x", "\u064e", "https://a.b/", "3"]
TEXT = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=40).map(
    lambda parts: "".join(w + sep for w, sep in parts))
# Arbitrary Unicode mixed with what the run scan looks at: Persian letters, ZWNJ, spaces, marks, glue.
CHARS = st.one_of(st.characters(), st.sampled_from(list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئءآأؤۀة") +
                                                   [ZW, " ", " ", "\n", "#", "@", "_", "\u0654", "\u064b", "\u0670",
                                                    "\u0620", "\u063b", "\u0640", "\u06d4", "\u06fd", "\U0001f600"]))


def same(restorer: halfspace.Restorer, text: str) -> list[Edit]:
    """The C path's edits of ``text``, checked against the pure-Python path's."""
    py = restorer.edits_py(text)
    c = restorer.edits_c(text)
    assert c == py
    assert all(type(e) is Edit for e in c)
    return c


def test_examples() -> None:
    r = halfspace.Restorer(halfspace.load_model())
    cases = ["پیشرفتهای بین المللی میگوییم که کتابهای سیاستهای", "کند ترین ها", "تعلیق شده و تخریب شده" + ZW + "اند",
             "همان طور که", "بدنسازی سنگینم", "هر گاه", "www.x.com میگوییم #میگوییم @می گوییم", "", " ", ZW, ZW + " " + ZW,
             "می" + ZW + ZW + "گوییم", "🙂میگوییم بین المللی🙂", "a میگوییم", "میگوییم a", "_میگوییم_",
             # neighbours whose joined skeletons begin a known three-part word (the fast path's triple test)
             "دا لایی لاما", "تا زهوار دی",
             # a suffix standing alone before a word (no word), before a suffix (a stem)
             "F16 ها را دیدند", "ساخت و ساز های اصولی", "۱۰ تر از"]
    for text in cases:
        same(r, text)
    assert any(same(r, t) for t in cases)  # some of them change


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_word_texts(text: str) -> None:
    same(halfspace.get_restorer(), text)


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, max_size=80))
def test_arbitrary_unicode(text: str) -> None:
    same(halfspace.get_restorer(), text)


@functools.cache
def small_restorer() -> halfspace.Restorer:
    return halfspace.Restorer(halfspace.load_model())


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5), st.integers(0, 4))
def test_tiny_caches(texts: list[str], size: int) -> None:
    # caches cleared again and again while the C loops hold what they took from them
    reference = halfspace.get_restorer()
    small = small_restorer()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspace, "CACHE_SIZE", size)
        got = [small.edits_c(t) for t in texts]
    assert got == [reference.edits_py(t) for t in texts]


def test_caches_filled_in_c_are_pythons() -> None:
    # the C path fills the token cache itself for known words (token_info_known): the same tuples, and
    # the same fast-path sets, as Restorer.token_info gives on a fresh restorer
    text = " ".join(WORDS + ["کتاب" + ZW + "هایی", "بین" + ZW + "المللی", "می" + ZW + ZW + "شود", ZW + "کتاب", "زغنبوتلکس"])
    c = halfspace.Restorer(halfspace.load_model())
    c.edits_c(text)
    py = halfspace.Restorer(halfspace.load_model())
    assert len(c._tok_cache) > 40
    for tok, info in c._tok_cache.items():
        assert info == py.token_info(tok), tok
    assert c._inert == py._inert and c._sideless == py._sideless
    for key, cand in c._cand_cache.items():
        assert cand == py.candidate(key.split(" ")), key
    # and the side scores of new pieces (side_scores in C): Python's, to the last bit
    m = c.m
    assert c._side_cache
    for piece, scores in c._side_cache.items():
        assert scores == halfspace.side_scores(m.gap_ws, m.gap_t, m.gap_h, m.gap_r, piece), piece


def test_cold_and_warm_restorers_agree() -> None:
    text = " ".join(WORDS) + "\n" + " ".join(reversed(WORDS))
    cold_c = halfspace.Restorer(halfspace.load_model()).edits_c(text)
    cold_py = halfspace.Restorer(halfspace.load_model()).edits_py(text)
    assert cold_c == cold_py
    r = halfspace.Restorer(halfspace.load_model())
    assert r.edits_c(text) == r.edits_c(text) == cold_py


def test_the_memo_is_required() -> None:
    # the C path reads every token's facts through the restorer's memo: without it, an error, not a guess
    r = halfspace.Restorer(halfspace.load_model())
    r._memo = None
    with pytest.raises(ValueError):
        r.edits_c("کتابها را میخوانیم")


def test_threads_with_tiny_caches() -> None:
    # threads share one restorer (its caches, memo and epoch) while its caches overflow again and again
    texts = [" ".join(WORDS[i:] + WORDS[:i]) for i in range(0, len(WORDS), 20)]
    want = [halfspace.get_restorer().edits_py(t) for t in texts]
    r = halfspace.Restorer(halfspace.load_model())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspace, "CACHE_SIZE", 20)
        with ThreadPoolExecutor(3) as pool:
            got = list(pool.map(lambda _: [[r.edits_c(t) for t in texts] for _ in range(2)], range(3)))
    assert got == [[want, want]] * 3
    assert r._epoch[0] > 0  # the token cache did overflow


def test_default_path_is_c() -> None:
    r = halfspace.Restorer(halfspace.load_model())
    calls = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(r, "_edits", lambda text: calls.append(text) or [])
        r.edits("میگوییم")
    assert not calls  # the C loops ran, not the Python ones


def test_edits_of_another_type(monkeypatch: pytest.MonkeyPatch) -> None:
    # the C path builds a NamedTuple Edit itself; any other edit type is called, as Python does
    made: list[tuple] = []

    def edit(*args: object) -> tuple:
        made.append(args)
        return tuple(args)

    monkeypatch.setattr(halfspace, "Edit", edit)
    text = "میگوییم که کتابهای سیاستهای"
    out = halfspace.Restorer(halfspace.load_model()).edits_c(text)
    assert out and out == made and all(type(e) is tuple for e in out)
    assert out == halfspace.get_restorer().edits_py(text)


def test_errors_propagate() -> None:
    r = halfspace.Restorer(halfspace.load_model())

    def boom(tok: str) -> tuple:
        raise RuntimeError("boom " + tok)

    # known words get their info in C (token_info_known), without asking Python ...
    r.token_info = boom  # type: ignore[method-assign]
    known = "میگوییم که کتابهای سیاستهای"
    assert r.edits_c(known) == halfspace.get_restorer().edits_py(known) != []
    # ... a word the model does not know asks Python
    r = halfspace.Restorer(halfspace.load_model())
    r.token_info = boom  # type: ignore[method-assign]
    with pytest.raises(RuntimeError, match="boom"):
        r.edits_c("کتابهای میگوییم زغنبوتلکسها")

    r = halfspace.Restorer(halfspace.load_model())
    r.token_info = lambda tok: ("x", 1)  # type: ignore[method-assign]
    with pytest.raises(TypeError):
        r.edits_c("کتابهای میگوییم زغنبوتلکسها")

    r = halfspace.Restorer(halfspace.load_model())
    r._dp_cache["|می گوییم|None"] = ((5, "x"),)  # a cluster's words that do not cover it
    with pytest.raises(ValueError, match="cover"):
        r.edits_c("می گوییم")
    r._dp_cache["|می گوییم|None"] = ((1, 5),)
    with pytest.raises(TypeError):
        r.edits_c("می گوییم")

    r = halfspace.Restorer(halfspace.load_model())
    one = r.candidate
    r.candidate = lambda toks: one(toks) if len(toks) == 1 else (1.0, 2)  # type: ignore[method-assign]
    assert r.edits_c("می گوییم")  # a known word read in C (known_reading): Python's candidate not asked
    with pytest.raises(TypeError):
        r.edits_c("می زغنبوتیم")  # an unknown one asks it
    with pytest.raises(TypeError):
        halfspace._halfspace.edits((), "x", None)
    with pytest.raises(TypeError):
        halfspace._halfspace.edits(halfspace.get_restorer()._accel_ctx(), b"x", None)


def conllu_texts(path) -> list[str]:
    return [line[9:].rstrip("\n") for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# text = ")]


@pytest.mark.shared
def test_ud_dev_text(shared_data) -> None:
    # the UD dev running text as is, with every ZWNJ removed and with every ZWNJ turned into a space: one
    # restorer through both paths, and a cold restorer for each (so that the C path answers every question
    # itself: with one restorer, it finds much of what Python computed in the caches)
    r = halfspace.Restorer(halfspace.load_model())
    for name in ("fa_perdt-ud-dev.conllu", "fa_seraji-ud-dev.conllu"):
        text = "\n".join(conllu_texts(shared_data / "ud" / name)[:1500])
        for variant in (text, text.replace(ZW, ""), text.replace(ZW, " ")):
            edits = same(r, variant)
            assert edits
            assert halfspace.Restorer(r.m).edits_c(variant) == edits
