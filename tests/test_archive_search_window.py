"""Search: SQL filters select what the facet columns of documents_fts hold; the ranking window keeps its meaning."""

from __future__ import annotations

import importlib
import random
import sqlite3

import pytest
from test_archive_util import archive, plain_doc, quoted_doc

from khabar.archive import search

search_module = importlib.import_module("khabar.archive.search")
AGENCIES = ["ایرنا", "خبرگزاری فارس", "فارس نیوز", None]
SPEAKERS = ["محمدجواد ظریف", "جواد کریمی", "علی لاریجانی"]
PLACES = ["تهران", "شیراز", "تهران بزرگ"]


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    rng = random.Random(5)
    docs = []
    for i in range(40):
        words = " ".join(rng.choice(["زلزله", "باران", "سیل", "خبر", "امروز"]) for _ in range(rng.randint(3, 12)))
        published = rng.choice([None, f"{rng.randint(2021, 2024)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"])
        agency = rng.choice(AGENCIES)
        place = rng.choice(PLACES)
        if i % 3:
            speaker = rng.choice(SPEAKERS)
            docs.append(quoted_doc(f"d{i}", f"{speaker} گفت «{words}» و به {place} رفت.", speaker, speaker, words,
                                   title=rng.choice(["زلزله", "گزارش"]), published=published, agency=agency,
                                   entities=[(place, "LOC")]))
        else:
            meta = {k: v for k, v in (("published", published), ("agency", agency)) if v}
            docs.append(plain_doc(f"d{i}", f"{words} در {place}.", title=rng.choice(["زلزله", "گزارش"]), **meta))
    c = archive(str(tmp_path_factory.mktemp("w") / "w.db"), docs)
    yield c
    c.close()


def facet_ids(conn: sqlite3.Connection, match: str) -> set[str]:
    """What the same query selects through the FTS5 facet columns (the stored, independent form of each filter)."""
    return {r[0] for r in conn.execute(
        "SELECT d.id FROM documents_fts JOIN documents d ON d.doc = documents_fts.rowid "
        "WHERE documents_fts MATCH ?", [match])}


def all_ids(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM documents")}


CASES = [
    ("زلزله agency:ایرنا", '{title body} : "زلزله" AND {agency} : "ایرنا"'),
    ("زلزله agency:فارس", '{title body} : "زلزله" AND {agency} : "فارس"'),
    ("زلزله from:2023-01-01", '{title body} : "زلزله" AND {dates} : (y2023 OR y2024)'),
    ("زلزله to:2022-06", '{title body} : "زلزله" AND {dates} : (y2021 OR m202201 OR m202202 OR m202203 OR m202204 '
                          'OR m202205 OR m202206)'),
    ("زلزله speaker:جواد", '{title body} : "زلزله" AND {speakers} : "جواد"'),
    ('speaker:"محمدجواد ظریف"', '{speakers} : "محمدجواد ظریف"'),
    ("entity:تهران", '{entities} : "qqs تهران qqs"'),
    ('باران entity:"تهران بزرگ" agency:"خبرگزاری فارس"',
     '{title body} : "باران" AND {entities} : "qqs تهران بزرگ qqs" AND {agency} : "خبرگزاری فارس"'),
]


@pytest.mark.parametrize(("query", "match"), CASES)
def test_filters_select_what_the_facet_columns_hold(conn: sqlite3.Connection, query: str, match: str) -> None:
    r = search(conn, query, limit=100)
    expected = facet_ids(conn, match)
    assert expected, "the fixture should give every case some matches"
    assert {x["id"] for x in r["results"]} == expected and r["total"] == len(expected)


@pytest.mark.parametrize(("query", "match"), [
    ("زلزله -agency:ایرنا", '{title body} : "زلزله" NOT {agency} : "ایرنا"'),
    ("زلزله -speaker:ظریف", '{title body} : "زلزله" NOT {speakers} : "ظریف"'),
    ("-entity:تهران", None),
])
def test_excluded_filters_keep_articles_without_the_field(conn: sqlite3.Connection, query: str,
                                                          match: str | None) -> None:
    r = search(conn, query, limit=100)
    expected = (all_ids(conn) - facet_ids(conn, '{entities} : "qqs تهران qqs"') if match is None
                else facet_ids(conn, match))
    assert {x["id"] for x in r["results"]} == expected and r["total"] == len(expected)


@pytest.mark.parametrize("query", ["زلزله", "زلزله -ناموجود"])  # one word; an expression of several terms
def test_ranking_window_is_the_most_recent_matches(conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch,
                                                   query: str) -> None:
    monkeypatch.setattr(search_module, "RANK_WINDOW", 5)
    rows = conn.execute(f"SELECT rowid, {search_module.BM25} FROM documents_fts WHERE documents_fts MATCH ? "
                        "ORDER BY rowid DESC", ['{title body} : "زلزله"']).fetchall()
    assert len(rows) > 8
    window = sorted(round(-s, 4) for _, s in rows[:5])[::-1]
    everything = sorted(round(-s, 4) for _, s in rows)[::-1]
    first = search(conn, query, limit=3)
    assert first["total"] == len(rows)
    assert [x["score"] for x in first["results"]] == window[:3]
    later = search(conn, query, limit=3, offset=4)  # a page past the window ranks every match
    assert later["total"] == len(rows) and [x["score"] for x in later["results"]] == everything[4:7]
