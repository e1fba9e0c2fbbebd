"""The SQLite archive: ingest news, search it, query who said what.

The stable API (used by ``khabar serve``; see docs/archive.md):

>>> from khabar.archive import connect, search, QueryError, get_document, stats
"""

from __future__ import annotations

from khabar.archive.db import connect
from khabar.archive.ingest import ingest_paths
from khabar.archive.queries import entity_overview, get_document, list_speakers, quotes_by_speaker, stats
from khabar.archive.search import QueryError, search

__all__ = ["QueryError", "connect", "entity_overview", "get_document", "ingest_paths", "list_speakers",
           "quotes_by_speaker", "search", "stats"]
