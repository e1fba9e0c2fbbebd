"""The data behind every page and API route: thin calls into ``khabar.archive``.

One read-only SQLite connection per request (:func:`reader`); the pages and the JSON
API call the same functions here, so they cannot drift apart.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.archive.db import connect
from khabar.archive.queries import entity_overview, get_document, list_speakers, quotes_by_speaker, stats
from khabar.archive.search import QueryError, search

MAX_LIMIT = 100


class BadRequest(ValueError):
    """A request the archive cannot answer as asked (reported as 400 with this message)."""


@contextmanager
def reader(db_path: str | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection for one request, closed afterwards."""
    conn = connect(str(db_path), readonly=True)
    try:
        yield conn
    finally:
        conn.close()


@dataclass(frozen=True)
class Filters:
    """The search form's filter fields; they become the archive's own query syntax.

    >>> Filters.of(agency="ایرنا", speaker='محمد "ظریف"', date_from="1402-06").as_query()
    'agency:"ایرنا" speaker:"محمد ظریف" from:"1402-06"'
    """

    agency: str = ""
    speaker: str = ""
    entity: str = ""
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def of(cls, agency: str | None = None, speaker: str | None = None, entity: str | None = None,
           date_from: str | None = None, date_to: str | None = None) -> Filters:
        return cls(*(" ".join(_QUOTES.sub(" ", v).split()) if v else "" for v in
                     (agency, speaker, entity, date_from, date_to)))

    def __bool__(self) -> bool:
        return any((self.agency, self.speaker, self.entity, self.date_from, self.date_to))

    def as_params(self) -> dict[str, str]:
        """The filters as URL parameters (the names the pages and /api/search use)."""
        pairs = {"agency": self.agency, "speaker": self.speaker, "entity": self.entity,
                 "from": self.date_from, "to": self.date_to}
        return {k: v for k, v in pairs.items() if v}

    def as_query(self) -> str:
        """The filters in the query syntax of ``khabar search`` (``speaker:"..."`` and so on)."""
        return " ".join(f'{name}:"{value}"' for name, value in self.as_params().items())


_QUOTES = re.compile('["«»“”]')


def run_search(conn: sqlite3.Connection, query: str, filters: Filters, limit: int = 20,
               offset: int = 0) -> dict[str, Any]:
    """Ranked results as ``khabar search --json`` prints them, narrowed by ``filters``.

    The filters are appended to ``query`` in the archive's own syntax, so the search box
    and the filter fields mean exactly what ``khabar search`` means.  Raises the
    archive's ``QueryError`` for a query the user should fix.
    """
    full = " ".join(part for part in ((query or "").strip(), filters.as_query()) if part)
    limit = max(1, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    try:
        result = search(conn, full, limit=limit, offset=offset)
    except QueryError:
        raise
    except sqlite3.OperationalError as e:  # anything the archive did not catch is still about this query
        raise QueryError(f"cannot search for {full!r}: {e}") from None
    return result


def document(conn: sqlite3.Connection, doc_id: str) -> dict[str, Any] | None:
    return get_document(conn, doc_id)


def speaker_quotes(conn: sqlite3.Connection, name: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    return quotes_by_speaker(conn, name, limit=max(1, min(int(limit), 500)), offset=max(0, int(offset)))


def check_label(label: str | None) -> None:
    """:class:`BadRequest` for a label that is none of the entity labels (before the archive is opened)."""
    from khabar.ner import LABELS

    if label and label.upper() not in LABELS:
        raise BadRequest(f"unknown label {label!r}: one of {', '.join(LABELS)}")


def entity(conn: sqlite3.Connection, text: str, label: str | None = None, limit: int = 50) -> dict[str, Any]:
    """The entity's articles and speakers (the label checked: :func:`check_label`)."""
    check_label(label)
    return entity_overview(conn, text, label=label or None, limit=limit)


def speakers(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, Any]]:
    return list_speakers(conn, limit=limit)


def archive_stats(conn: sqlite3.Connection) -> dict[str, Any]:
    return stats(conn)
