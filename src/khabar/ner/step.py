"""The ``entities`` pipeline step: label spans of ``doc.text`` with PER, ORG, LOC, ...

Entities are whole tokens of the segmenter (``doc.tokens``) grouped by sentence; when
the document has no tokens the step tokenizes each sentence (or line) itself.
"""

from __future__ import annotations

from khabar.document import Document, Entity, Span
from khabar.ner.model import default_recognizer
from khabar.ner.tokens import pieces
from khabar.text.segmenter import tokenize

_SKIP_KINDS = frozenset({"space", "whitespace", "newline"})


def _sentences(doc: Document) -> list[Span]:
    if doc.sentences:
        return list(doc.sentences)
    out: list[Span] = []
    pos = 0
    for line in doc.text.split("\n"):
        if line.strip():
            out.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def sentence_tokens(doc: Document) -> list[list[tuple[int, int]]]:
    """Token spans per sentence: ``doc.tokens``, or the segmenter's tokens when the step was called alone."""
    sentences = _sentences(doc)
    doc_tokens = doc.tokens or tokenize(doc.text)
    if doc_tokens:
        tokens = sorted((t.start, t.end) for t in doc_tokens if t.kind not in _SKIP_KINDS and t.end > t.start)
        out: list[list[tuple[int, int]]] = [[] for _ in sentences]
        k = 0
        for s, e in tokens:
            while k < len(sentences) and sentences[k].end <= s:
                k += 1
            if k == len(sentences):
                break
            if sentences[k].start <= s:
                out[k].append((s, e))
        if sentences:
            return out
        return [tokens]
    return [[] for _ in sentences]


def entities_step(doc: Document) -> Document:
    """Add ``doc.entities`` (sorted, non-overlapping) from the shipped model."""
    recognizer = default_recognizer()
    cuts = [pieces(doc.text, spans) for spans in sentence_tokens(doc) if spans]
    cuts = [cut for cut in cuts if cut]
    found: list[Entity] = []
    for cut, ents in zip(cuts, recognizer.entities_batch([[w for w, _, _ in cut] for cut in cuts]), strict=True):
        for first, last, label in ents:
            found.append(Entity(cut[first][1], cut[last - 1][2], label))
    doc.entities = found
    return doc
