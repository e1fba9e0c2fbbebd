from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import khabar
from khabar.document import Document
from khabar.pipeline import DEFAULT_STEPS, Pipeline, PipelineError

NEWSY = st.lists(
    st.sampled_from(["میگوییم", " ", "بین المللی", "کاراسین", "گفت:", "«ما»", "که", "،", ".", "؟", "\n\n",
                     "2019", "http://x.ir", "\u200c", "ي", "ك", "ـ", "َ", "😀", "#خبر", "به گزارش", "ایرنا"]),
    max_size=60,
).map("".join)


@given(st.one_of(st.text(max_size=200), NEWSY))
def test_default_pipeline_never_raises_and_every_span_maps_back(raw: str) -> None:
    doc = khabar.analyze(raw)
    data = doc.to_dict()
    for key in ("sentences", "tokens", "entities"):
        for span in data[key]:
            assert 0 <= span["start"] <= span["end"] <= len(doc.text)
            assert 0 <= span["raw_start"] <= span["raw_end"] <= len(raw)
    for q in data["quotes"]:
        assert q["content"]["text"] == doc.text[q["content"]["start"]:q["content"]["end"]]
    assert Document.from_dict(data).to_dict() == data


def test_default_steps_in_order() -> None:
    assert DEFAULT_STEPS == ("normalize", "segment", "entities", "attribution")


def test_steps_are_checked_before_running() -> None:
    with pytest.raises(PipelineError, match="needs normalize"):
        Pipeline(["segment"])
    with pytest.raises(PipelineError, match="unknown step"):
        Pipeline(["normalize", "spellcheck"])


def test_pipe_keeps_order_and_meta() -> None:
    docs = list(Pipeline(["normalize", "segment"]).pipe([("علي رفت.", {"id": "a", "title": "t"}), "كتاب"]))
    assert [d.id for d in docs][0] == "a" and docs[0].meta["title"] == "t"
    assert docs[1].text == "کتاب" and docs[1].tokens
