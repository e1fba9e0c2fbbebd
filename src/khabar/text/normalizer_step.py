"""The ``normalize`` pipeline step."""

from __future__ import annotations

from khabar.document import Document
from khabar.text.normalizer import normalize_with_alignment


def normalize_step(doc: Document) -> Document:
    """Set ``doc.text`` and its alignment from ``doc.raw``, recording each rule's changes."""
    doc.text, doc.alignment, doc.changes = normalize_with_alignment(doc.raw, explain=True)
    return doc
