"""Helpers for the attribution tests: the pipeline's quotations, and the step run over hand-placed entities
(no tests here)."""

from __future__ import annotations

from khabar import Pipeline
from khabar.attribution.step import attribution_step
from khabar.document import Document, Entity

PIPE = Pipeline(["normalize", "segment", "attribution"])


def quotes(text: str) -> list[tuple[str, str, str | None]]:
    """(kind, content, speaker name) of every quotation the pipeline finds in ``text``."""
    doc = PIPE(text)
    return [(q.kind, doc.text[q.content.start:q.content.end], q.speaker.name) for q in doc.quotes]


def with_entities(text: str, ents: list[tuple[str, str] | tuple[str, str, int]]) -> Document:
    """Attribution over hand-placed entities (surface string, label[, occurrence, 0 = the first])."""
    doc = Pipeline(["normalize", "segment"])(text)
    doc.entities = []
    for surface, label, *nth in ents:
        start = -1
        for _ in range((nth or [0])[0] + 1):
            start = doc.text.index(surface, start + 1)
        doc.entities.append(Entity(start, start + len(surface), label))
    doc.entities.sort(key=lambda e: e.start)
    return attribution_step(doc)
