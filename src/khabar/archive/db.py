"""Opening an archive: one SQLite file, WAL journal, schema migrated on open."""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from khabar.archive.schema import check, migrate


def connect(path: str, readonly: bool = False) -> sqlite3.Connection:
    """Open the archive at ``path`` (rows as :class:`sqlite3.Row`, autocommit, WAL).

    Read-write opens create the file and apply pending migrations; read-only opens
    (``file:...?mode=ro``) raise FileNotFoundError for a missing file and
    :class:`~khabar.archive.schema.SchemaError` for a file that is not an up-to-date archive.
    """
    path = os.fspath(path)
    if readonly:
        if path != ":memory:" and not os.path.exists(path):
            raise FileNotFoundError(f"no archive at {path}")
        uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA cache_size = -65536")  # up to 64 MiB of pages: filters read many small rows
        if readonly:
            check(conn)
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def marks(n: int) -> str:
    """SQL placeholders for ``n`` bound values: ``?,?,...``."""
    return ",".join("?" * n)


def holds_any(n: int) -> str:
    """SQL: ``key`` holds one of ``n`` bound names (each bound as " name ") as whole words."""
    return " OR ".join(["instr(' ' || key || ' ', ?) > 0"] * n)


def sqlite_int(n: int) -> int:
    """``n`` clamped to 0 .. 2**62 (SQLite's integers are 64-bit; a LIMIT or OFFSET past that is past all rows)."""
    return max(0, min(int(n), 1 << 62))
