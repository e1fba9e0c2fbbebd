"""Read-side queries over an archive: documents, quotations, speakers, entities, totals.

Each function takes an open connection (see :func:`khabar.archive.db.connect`)
and returns plain dicts and lists, ready for JSON.  Names are matched folded
(:func:`khabar.archive.fold.key`), so Arabic ي/ك and half-space spellings find
the same person.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from khabar.archive.db import holds_any, marks, sqlite_int
from khabar.archive.fold import key, key_variants


def get_document(conn: sqlite3.Connection, id: str) -> dict[str, Any] | None:
    """The stored ``khabar.document/1`` JSON of article ``id``, or None."""
    row = conn.execute("SELECT t.json FROM documents d JOIN document_texts t USING (doc) WHERE d.id = ?",
                       (str(id),)).fetchone()
    return json.loads(row[0]) if row else None


def _speaker_ids(conn: sqlite3.Connection, name: str) -> list[int]:
    k = key(name or "")
    if not k:
        return []
    ks = key_variants(k)  # (some spaces may have been typed for half-spaces)
    exact = conn.execute(f"SELECT speaker FROM speakers WHERE key IN ({marks(len(ks))})", ks).fetchall()
    if exact:
        return [r[0] for r in exact]
    rows = conn.execute(f"SELECT speaker FROM speakers WHERE {holds_any(len(ks))}", [f" {v} " for v in ks])
    return [r[0] for r in rows]


def quotes_by_speaker(conn: sqlite3.Connection, name: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Quotations of the speaker ``name`` (its exact folded name, or that name with some spaces typed for
    half-spaces; else every speaker whose name contains it as whole words), newest first: ``{"doc_id", "title",
    "published", "kind", "content", "cue", "speaker"}``."""
    ids = _speaker_ids(conn, name)
    if not ids:
        return []
    rows = conn.execute(
        f"SELECT d.id AS doc_id, d.title, d.published, q.kind, q.content, q.cue, s.name AS speaker "
        f"FROM quotes q JOIN documents d USING (doc) JOIN speakers s USING (speaker) "
        f"WHERE q.speaker IN ({marks(len(ids))}) "
        f"ORDER BY d.published DESC, d.doc DESC, q.n LIMIT ? OFFSET ?",
        [*ids, sqlite_int(limit), sqlite_int(offset)])
    return [dict(r) for r in rows]


def entity_overview(conn: sqlite3.Connection, text: str, label: str | None = None,
                    limit: int = 50) -> dict[str, Any]:
    """Articles that mention the entity ``text`` (most mentions first) and who speaks in them."""
    ks = key_variants(key(text or ""))  # (some spaces may have been typed for half-spaces)
    cond, args = f"e.key IN ({marks(len(ks))})", list(ks)
    if label:
        cond += " AND e.label = ?"
        args.append(label.upper())
    docs = conn.execute(
        f"SELECT d.id, d.title, d.published, count(*) AS count FROM entities e JOIN documents d USING (doc) "
        f"WHERE {cond} GROUP BY e.doc ORDER BY count DESC, d.published DESC, d.doc DESC "
        f"LIMIT ?", [*args, max(0, int(limit))]).fetchall()
    speakers = conn.execute(
        f"SELECT s.name, count(*) AS count FROM quotes q JOIN speakers s USING (speaker) "
        f"WHERE q.doc IN (SELECT e.doc FROM entities e WHERE {cond}) "
        f"GROUP BY s.speaker ORDER BY count DESC, s.name LIMIT ?", [*args, max(0, int(limit))]).fetchall()
    return {"entity": text, "documents": [dict(r) for r in docs], "speakers": [dict(r) for r in speakers]}


def list_speakers(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    """Speakers with their number of quotations, most quoted first."""
    rows = conn.execute(
        "SELECT s.name, count(*) AS count FROM quotes q JOIN speakers s USING (speaker) "
        "GROUP BY s.speaker ORDER BY count DESC, s.name LIMIT ?", (max(0, int(limit)),))
    return [dict(r) for r in rows]


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    """Totals: ``{"documents", "entities", "quotes", "speakers", "agencies", "first_published",
    "last_published", "entity_labels", "quote_kinds", "schema_version"}``."""
    one = conn.execute(
        "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM entities) AS entities, "
        "(SELECT count(*) FROM quotes) AS quotes, "
        "(SELECT count(DISTINCT speaker) FROM quotes WHERE speaker IS NOT NULL) AS speakers, "
        "(SELECT count(DISTINCT agency_key) FROM documents) AS agencies, "
        "(SELECT min(published) FROM documents) AS first_published, "
        "(SELECT max(published) FROM documents) AS last_published").fetchone()
    out = dict(one)
    out["entity_labels"] = {r[0]: r[1] for r in conn.execute(
        "SELECT label, count(*) FROM entities GROUP BY label ORDER BY count(*) DESC, label")}
    out["quote_kinds"] = {r[0]: r[1] for r in conn.execute(
        "SELECT kind, count(*) FROM quotes GROUP BY kind ORDER BY kind")}
    out["schema_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
    return out
