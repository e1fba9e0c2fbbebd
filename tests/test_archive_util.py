"""Helpers for the archive tests: hand-built documents with entities and quotes (no tests here)."""

from __future__ import annotations

import sqlite3

from khabar.archive.db import connect
from khabar.archive.ingest import Store
from khabar.document import Document, Entity, Quote, Source, Span, Speaker


def span_of(text: str, part: str, start: int = 0) -> Span:
    i = text.index(part, start)
    return Span(i, i + len(part))


def quoted_doc(id: str, text: str, speaker: str, mention: str, quote: str, *, title: str = "",
               published: str | None = None, agency: str | None = None,
               entities: list[tuple[str, str]] = ()) -> Document:
    """A Document whose ``quote`` (a substring of text) is said by ``speaker`` (mentioned as ``mention``)."""
    ents = [Entity(span_of(text, t).start, span_of(text, t).end, label=label) for t, label in entities]
    mention_span = span_of(text, mention)
    ent_index = next((i for i, e in enumerate(ents) if (e.start, e.end) == (mention_span.start, mention_span.end)),
                     None)
    cue = span_of(text, "گفت") if "گفت" in text else None
    meta = {"title": title}
    if published:
        meta["published"] = published
    return Document(raw=text, id=id, meta=meta, entities=ents,
                    quotes=[Quote("direct", span_of(text, quote), cue, Speaker(mention_span, speaker, ent_index))],
                    source=Source(agency=agency))


def store_docs(conn: sqlite3.Connection, docs: list[Document]) -> None:
    store = Store(conn)
    conn.execute("BEGIN")
    for d in docs:
        found = store.find(d.id or "")
        store.put(d, "test", replace=found[0] if found else None)
    conn.execute("COMMIT")


def plain_doc(id: str, text: str, title: str = "", **meta: str) -> Document:
    return Document(raw=text, id=id, meta={"title": title, **meta})


def archive(path: str, docs: list[Document]) -> sqlite3.Connection:
    conn = connect(path)
    store_docs(conn, docs)
    return conn
