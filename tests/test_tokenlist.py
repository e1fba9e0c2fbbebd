"""TokenList: a document's tokens held as columns, read as a sequence of Token objects."""

from __future__ import annotations

import json
import pickle
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import khabar
from khabar.document import Document, Token, TokenList
from khabar.text.segmenter import segment

PERSIANISH = st.text(alphabet=st.sampled_from(list("میگوییمبنالمللیكي ‌.،؛؟!:«»()\n ۱۲3a@#/-")), max_size=60)


def _columns() -> TokenList:
    return TokenList([0, 3, 7], [2, 6, 8], ["word", "number", "punct"])


def test_reads_as_a_sequence_of_tokens() -> None:
    toks = _columns()
    assert isinstance(toks, Sequence)
    assert len(toks) == 3 and bool(toks) and not TokenList([], [], [])
    assert toks[0] == Token(0, 2, "word") and toks[-1] == Token(7, 8, "punct")
    assert list(toks) == [Token(0, 2, "word"), Token(3, 6, "number"), Token(7, 8, "punct")]
    assert toks[1:] == [Token(3, 6, "number"), Token(7, 8, "punct")] and isinstance(toks[1:], TokenList)
    assert toks[::-1][0] == Token(7, 8, "punct")
    assert Token(3, 6, "number") in toks and toks.index(Token(7, 8, "punct")) == 2
    assert toks.count(Token(0, 2, "word")) == 1
    assert [t.kind for t in reversed(toks)] == ["punct", "number", "word"]
    with pytest.raises(IndexError):
        toks[3]
    assert toks == _columns() and toks != TokenList([0], [2], ["word"]) and toks != [Token(0, 2, "word")]
    assert toks != [(0, 2, "word"), (3, 6, "number"), (7, 8, "punct")]  # tokens, not tuples
    assert "Token(start=3, end=6, kind='number')" in repr(toks)
    assert pickle.loads(pickle.dumps(toks)) == toks  # documents cross process boundaries


def test_is_read_only_and_checks_its_columns() -> None:
    toks = _columns()
    with pytest.raises(TypeError):
        toks[0] = Token(0, 1, "word")  # type: ignore[index]
    with pytest.raises(AttributeError):
        toks.append(Token(9, 10, "word"))  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="differ in length"):
        TokenList([0, 1], [1], ["word"])


@settings(max_examples=100)
@given(PERSIANISH)
def test_segment_tokens_are_the_token_objects(text: str) -> None:
    _, toks = segment(text)
    objects = [Token(s, e, k) for s, e, k in zip(toks.starts, toks.ends, toks.kinds, strict=True)]
    assert toks == objects and list(toks) == objects
    assert [toks[i] for i in range(len(toks))] == objects


@settings(max_examples=60)
@given(PERSIANISH)
def test_json_tokens_unchanged_and_round_trip(text: str) -> None:
    doc = khabar.analyze(text, steps=["normalize", "segment"])
    data = doc.to_dict()
    # the schema's token objects, written span by span as a list of Token objects would be
    plain = Document(raw=doc.raw, text=doc.text, alignment=doc.alignment, tokens=list(doc.tokens))
    expected = [{**{k: v for k, v in doc.span_dict(t).items() if k != "text"}, "kind": t.kind} for t in doc.tokens]
    assert data["tokens"] == expected == plain.to_dict()["tokens"]
    again = Document.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again.tokens == doc.tokens
    assert again.to_dict() == data


MARKS = st.lists(st.sampled_from(list(".،؛:«»()[]\"/-!؟?…") + list("اب ۱2aZ#@_\u200c") + ["www.", "http://"]),
                 max_size=40).map("".join)


@settings(max_examples=300)
@given(MARKS)
def test_kinds_settled_by_the_first_character_are_the_kinds(text: str) -> None:
    from khabar.text.segmenter import clear_caches, segment_offsets
    from khabar.text.tokenizer import token_kind

    clear_caches()
    seg = segment_offsets(text)
    assert seg.kinds == [token_kind(t) for t in seg.tokens]

