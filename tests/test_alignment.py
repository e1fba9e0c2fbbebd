from __future__ import annotations

from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khabar.document import Document, Span
from khabar.text import chars
from khabar.text.alignment import Alignment, Edit, apply_edits
from khabar.text.normalizer import normalize, normalize_with_alignment

PERSIANISH = st.text(
    alphabet=st.sampled_from(list("میگوییمبنالمللیكيى ‌\u200d\u200f\u0640َُ۱2٣.,?؛«»()\n\t  abc@#/:")),
    max_size=60,
)


def test_identity_maps_every_span() -> None:
    a = Alignment.identity("abc")
    assert a.raw_span(0, 3) == (0, 3)
    assert a.raw_span(1, 1) == (1, 1)
    assert a.raw_span(3, 3) == (3, 3)


@pytest.mark.parametrize("n", [0, 1, 7, (1 << 12) + 3, (1 << 16) + 3, (1 << 20) + 1])
def test_identity_counts_every_position(n: int) -> None:
    a = Alignment.identity("x" * n)
    assert a.starts == array("q", range(n)) and a.ends == array("q", range(1, n + 1)) and a.raw_length == n
    a.starts[:1] = array("q", [5] * min(n, 1))  # an alignment's arrays are its own
    assert Alignment.identity("x" * n).starts[:1] == array("q", range(min(n, 1)))


def test_replacement_and_insertion_and_deletion() -> None:
    raw = "ab cd"
    edits = [Edit(1, 1, "+"), Edit(2, 3, ""), Edit(3, 5, "XYZ")]
    a = Alignment.identity(raw).apply(edits)
    text = apply_edits(raw, edits)
    assert text == "a+bXYZ"
    assert a.raw_span(0, 1) == (0, 1)
    assert a.raw_span(1, 2) == (1, 1)  # the inserted character has an empty raw span
    assert a.raw_span(2, 3) == (1, 2)
    assert a.raw_span(3, 6) == (3, 5)


@given(PERSIANISH)
def test_spans_map_back_to_the_raw_text(raw: str) -> None:
    text, alignment, changes = normalize_with_alignment(raw, explain=True)
    assert text == normalize(raw)
    # every maximal run of characters unchanged by the normalizer maps to equal raw text
    for i in range(len(text)):
        rs, re_ = alignment.raw_span(i, i + 1)
        assert 0 <= rs <= re_ <= len(raw)
    # spans are monotone: a later span never starts before an earlier one
    starts = [alignment.raw_span(i, i + 1)[0] for i in range(len(text))]
    assert starts == sorted(starts)
    # whole-text span covers the raw text minus what was stripped at the ends
    if text:
        rs, re_ = alignment.raw_span(0, len(text))
        assert raw[:rs].strip() == "" or set(raw[:rs]) <= set("\u200d\u200f\u0640َُ ‌\t\u200c")
    for c in changes:
        assert 0 <= c.raw_start <= c.raw_end <= len(raw)


@given(PERSIANISH)
def test_words_map_back_exactly(raw: str) -> None:
    doc = Document(raw)
    doc.text, doc.alignment, _ = normalize_with_alignment(raw)
    for word_start, word in _words(doc.text):
        rs, re_ = doc.raw_span(word_start, word_start + len(word))
        # the raw text, normalized, gives the word back (up to half-spaces the model restores, and
        # digits: out of context «2» becomes «۲», inside a code such as «b.2» it stays Latin)
        assert _fold(normalize(raw[rs:re_])) == _fold(word) or not word.strip()


_FOLD = str.maketrans(chars.PERSIAN_DIGITS + chars.ARABIC_DIGITS, chars.LATIN_DIGITS * 2, "\u200c")


def _fold(s: str) -> str:
    return s.translate(_FOLD)


def _words(text: str) -> list[tuple[int, str]]:
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"[^\s.,،؛?؟«»()]+", text)]


def test_document_round_trip() -> None:
    raw = "  سلام  دنيا "
    doc = Document(raw)
    doc.text, doc.alignment, doc.changes = normalize_with_alignment(raw, explain=True)
    doc.sentences.append(Span(0, len(doc.text)))
    d = doc.to_dict()
    assert d["sentences"][0]["raw_start"] == 2
    assert d["sentences"][0]["raw_end"] == len(raw.rstrip())
    again = Document.from_dict(d)
    assert again.to_dict() == d
