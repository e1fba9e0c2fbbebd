"""The archive schema, as named migrations applied once each, in order.

Each migration is a SQL script; ``khabar_migrations`` records the ones applied
and ``PRAGMA user_version`` holds their count.  docs/archive.md describes every
table; change the schema only by adding a migration at the end.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial", """
CREATE TABLE documents (
    doc          INTEGER PRIMARY KEY,          -- internal number (stable; used by the other tables)
    id           TEXT NOT NULL UNIQUE,         -- the article id: given in the input, or a hash of its text
    title        TEXT,
    url          TEXT,
    published    TEXT,                         -- ISO date YYYY-MM-DD (Jalali input converted)
    agency       TEXT,                         -- news agency: input field, or the source line
    agency_key   TEXT,                         -- agency folded for matching
    reporter     TEXT,
    chars        INTEGER NOT NULL,             -- length of the normalized text
    input_hash   TEXT NOT NULL,                -- hash of input text + meta + pipeline: unchanged => skipped
    source_path  TEXT,                         -- where it was read from
    source_line  INTEGER,
    ingested_at  TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_agency ON documents(agency_key, published);

-- The large columns live apart, so that filtering and sorting documents reads small rows.
CREATE TABLE document_texts (
    doc   INTEGER PRIMARY KEY REFERENCES documents(doc) ON DELETE CASCADE,
    text  TEXT NOT NULL,                       -- the normalized text
    json  TEXT NOT NULL                        -- the khabar.document/1 JSON
);

CREATE TABLE agencies (
    key   TEXT PRIMARY KEY,                    -- agency name folded
    name  TEXT NOT NULL                        -- as first seen
) WITHOUT ROWID;

CREATE TABLE entities (
    doc    INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    n      INTEGER NOT NULL,                   -- position in the document's entity list
    label  TEXT NOT NULL,                      -- PER, ORG, LOC, ...
    text   TEXT NOT NULL,
    key    TEXT NOT NULL,                      -- text folded for matching
    start  INTEGER NOT NULL,                   -- offsets in documents.text
    end    INTEGER NOT NULL,
    PRIMARY KEY (doc, n)
) WITHOUT ROWID;
CREATE INDEX entities_key ON entities(key, label);

CREATE TABLE speakers (
    speaker  INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,                    -- as first seen
    key      TEXT NOT NULL UNIQUE              -- name folded for matching
);

CREATE TABLE quotes (
    doc            INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
    n              INTEGER NOT NULL,           -- position in the document's quote list
    kind           TEXT NOT NULL,              -- direct | indirect
    content        TEXT NOT NULL,
    content_start  INTEGER NOT NULL,
    content_end    INTEGER NOT NULL,
    cue            TEXT,                       -- the reporting verb ("گفت")
    speaker        INTEGER REFERENCES speakers(speaker),
    speaker_text   TEXT,                       -- the mention in this article ("وی", "ظریف")
    entity         INTEGER,                    -- entities.n of the speaker, if linked
    PRIMARY KEY (doc, n)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, body,                               -- folded title and text; rowid = documents.doc
    agency,                                    -- folded agency name
    speakers,                                  -- folded speaker names, each between "qqs" marks
    entities,                                  -- folded entity texts, each between "qqs" marks
    dates,                                     -- published as tokens y2023 m202308 d20230826
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE documents_vocab USING fts5vocab(documents_fts, row);
"""),
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(RuntimeError):
    """The file is not a khabar archive this version can read."""


def applied(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'khabar_migrations'").fetchone()
    if not exists:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM khabar_migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet applied (in one transaction); return their names."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS khabar_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = set(applied(conn))
        unknown = done - {name for name, _ in MIGRATIONS}
        if unknown:
            raise SchemaError(f"archive written by a newer khabar (migrations {', '.join(sorted(unknown))})")
        new = []
        for name, script in MIGRATIONS:
            if name in done:
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO khabar_migrations VALUES (?, ?)",
                         (name, datetime.now(UTC).isoformat(timespec="seconds")))
            new.append(name)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
        return new
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def check(conn: sqlite3.Connection) -> None:
    """Raise SchemaError unless every migration is applied (for read-only connections)."""
    done = applied(conn)
    if not done:
        raise SchemaError("not a khabar archive (no khabar_migrations table)")
    missing = [name for name, _ in MIGRATIONS if name not in done]
    if missing:
        raise SchemaError(f"archive needs an upgrade (open it once without read-only): {', '.join(missing)}")


def _statements(script: str) -> list[str]:
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        if sqlite3.complete_statement("\n".join(buf)):
            out.append("\n".join(buf))
            buf = []
    return out
