"""Folding for matching (property tests) and the snippet's offsets."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from khabar.archive.fold import fold, fold_with_offsets, key, word_spans, words
from khabar.archive.search import _compile, snippet
from khabar.dates import parse_bound, parse_date

ZWNJ = "\u200c"
PERSIAN = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
ARABIC_VARIANTS = {"ی": "ي", "ک": "ك"}

persian_word = st.text(alphabet=PERSIAN, min_size=1, max_size=8)
mixed_text = st.text(alphabet=PERSIAN + "يكۀأآ ،.!؟«»<>&\"'\n" + ZWNJ + "\u064e\u0640۱۲3", max_size=80)


@given(mixed_text)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.lists(persian_word, min_size=2, max_size=4))
def test_half_space_or_joined_fold_to_one_word(parts: list[str]) -> None:
    assert words(ZWNJ.join(parts)) == words("".join(parts)) == ["".join(parts)]


@given(persian_word)
def test_arabic_letter_forms_fold_to_persian(word: str) -> None:
    arabic = "".join(ARABIC_VARIANTS.get(c, c) for c in word)
    assert fold(arabic) == fold(word)


@given(mixed_text)
def test_word_spans_point_back_into_the_text(text: str) -> None:
    for w, s, e in word_spans(text):
        assert words(text[s:e]) == [w]


@given(mixed_text)
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    folded, where = fold_with_offsets(text)
    assert len(where) == len(folded) == len(fold(text))
    assert where == sorted(where) and all(0 <= i < len(text) for i in where)


@given(mixed_text, st.lists(persian_word, min_size=1, max_size=3))
def test_snippet_is_safe_html_of_the_text(text: str, query: list[str]) -> None:
    out = snippet(text, _compile(tuple((w,) for w in query)))
    assert re.sub(r"</?mark>", "", out).count("<") == 0
    plain = html.unescape(re.sub(r"</?mark>", "", out)).removeprefix("… ").removesuffix(" …")
    assert plain in re.sub(r"\s+", " ", text)
    for marked in re.findall(r"<mark>(.*?)</mark>", out):
        assert words(html.unescape(marked)) and set(words(html.unescape(marked))) <= set(query)


def test_snippet_centres_on_a_late_match() -> None:
    text = "آغاز " + "کلمه " * 200 + "هدف پایان"
    out = snippet(text, _compile((("هدف",),)))
    assert out.startswith("… ") and "<mark>هدف</mark>" in out and len(out) < 400


def test_keys_ignore_spacing_and_letter_forms() -> None:
    assert key(" علي   لاريجاني ") == key("علی لاریجانی") == "علی لاریجانی"


def test_dates() -> None:
    assert parse_date("۱۴۰۲-۶-۴") == parse_date("1402/06/04") == parse_date("۴ شهریور ۱۴۰۲") == "2023-08-26"
    assert parse_date("شنبه ۴ شهریور ۱۴۰۲ - ۱۰:۳۰") == "2023-08-26"
    assert parse_date("2023-08-26T10:00:00+03:30") == "2023-08-26"
    assert parse_date("26/08/2023") == "2023-08-26"
    assert parse_date("1402-13-01") is None and parse_date("") is None and parse_date("فردا") is None
    assert parse_bound("1402", end=True) == "2024-03-19" and parse_bound("1402") == "2023-03-21"
    assert parse_bound("2024-02", end=True) == "2024-02-29"
