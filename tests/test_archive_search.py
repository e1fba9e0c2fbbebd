"""Search: the four spellings of a word, phrases, exclusions, filters, hostile input, safe snippets."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_archive_util import archive, plain_doc, quoted_doc

from khabar.archive import QueryError, search
from khabar.archive.search import parse

ZWNJ = "\u200c"
SPELLINGS = ["بین" + ZWNJ + "المللی", "بین المللی", "بینالمللی", "بين" + ZWNJ + "المللي"]


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    docs = [plain_doc(f"s{i}", f"نمایشگاه {w} کتاب در تهران برگزار شد.", title=f"خبر {i}")
            for i, w in enumerate(SPELLINGS)]
    docs += [
        plain_doc("other1", "نمایشگاه ملی کتاب در شیراز برگزار شد.", title="ملی"),
        plain_doc("other2", "بین دو شهر جاده‌ای تازه ساخته شد و المللی نامی بی‌معنی است.", title="بی‌ربط"),
        plain_doc("script", "هشدار <script>alert('x')</script> & «نمایشگاه» کتاب", title="<b>عنوان</b>"),
        quoted_doc("q1", "محمدجواد ظریف گفت «مذاکرات ادامه دارد» و به تهران بازگشت.", "محمدجواد ظریف",
                   "محمدجواد ظریف", "مذاکرات ادامه دارد", title="ظریف", published="2023-08-26", agency="ایرنا",
                   entities=[("محمدجواد ظریف", "PER"), ("تهران", "LOC")]),
        quoted_doc("q2", "علی لاریجانی گفت «مذاکرات نتیجه داد» و تهران آرام است.", "علی لاریجانی",
                   "علی لاریجانی", "مذاکرات نتیجه داد", title="لاریجانی", published="2022-01-10",
                   agency="خبرگزاری فارس", entities=[("علی لاریجانی", "PER"), ("تهران", "LOC")]),
    ]
    c = archive(str(tmp_path / "a.db"), docs)
    yield c
    c.close()


def ids(conn: sqlite3.Connection, query: str) -> set[str]:
    return {r["id"] for r in search(conn, query, limit=100)["results"]}


@pytest.mark.parametrize("query", SPELLINGS)
def test_four_spellings_find_the_same_articles(conn: sqlite3.Connection, query: str) -> None:
    assert ids(conn, query) == {"s0", "s1", "s2", "s3"}


def test_the_spellings_inside_a_phrase(conn: sqlite3.Connection) -> None:
    for w in SPELLINGS:
        assert ids(conn, f'"نمایشگاه {w}"') == {"s0", "s1", "s2", "s3"}, w


def test_all_words_must_match_and_total_counts_every_match(conn: sqlite3.Connection) -> None:
    assert ids(conn, "نمایشگاه کتاب شیراز") == {"other1"}
    r = search(conn, "نمایشگاه", limit=2)
    assert r["total"] == 6 and len(r["results"]) == 2
    rest = search(conn, "نمایشگاه", limit=10, offset=2)["results"]
    assert len(rest) == 4 and not {x["id"] for x in rest} & {x["id"] for x in r["results"]}


def test_phrase_requires_order(conn: sqlite3.Connection) -> None:
    assert ids(conn, '"کتاب نمایشگاه"') == set()
    assert ids(conn, '"ملی کتاب"') == {"other1"}


def test_exclusion(conn: sqlite3.Connection) -> None:
    assert ids(conn, "نمایشگاه -تهران") == {"other1", "script"}
    assert ids(conn, 'نمایشگاه -"کتاب در تهران"') == {"other1", "script"}
    only_excluded = ids(conn, "-نمایشگاه")
    assert "other1" not in only_excluded and {"q1", "q2", "other2"} <= only_excluded


def test_filters(conn: sqlite3.Connection) -> None:
    assert ids(conn, "مذاکرات speaker:ظریف") == {"q1"}
    assert ids(conn, 'speaker:"محمدجواد ظريف"') == {"q1"}
    assert ids(conn, "مذاکرات -speaker:ظریف") == {"q2"}
    assert ids(conn, "entity:تهران") == {"q1", "q2"}
    assert ids(conn, 'entity:"علی لاریجانی"') == {"q2"}
    assert ids(conn, "agency:فارس") == {"q2"}
    assert ids(conn, "agency:ایرنا مذاکرات") == {"q1"}
    assert ids(conn, "مذاکرات from:2023-01-01") == {"q1"}
    assert ids(conn, "مذاکرات to:1401-12-29") == {"q2"}  # Jalali: 2023-03-20
    assert ids(conn, "مذاکرات from:1402 to:1402") == {"q1"}
    assert ids(conn, "مذاکرات from:2024-01-01") == set()


def test_a_name_typed_with_a_space_for_its_half_space_is_found(tmp_path: Path) -> None:
    name = "امیر قلعه" + ZWNJ + "نویی"
    c = archive(str(tmp_path / "n.db"), [
        quoted_doc("n1", f"{name} گفت «تیم آماده است» و رفت.", name, name, "تیم آماده است", agency="ورزش" + ZWNJ + "سه",
                   entities=[(name, "PER")]),
        plain_doc("n2", "امیر و قلعه و نویی سه کلمه‌اند."),
    ])
    for query in ('speaker:"امیر قلعه نویی"', "speaker:" + name, 'entity:"امیر قلعه نویی"',
                  'agency:"ورزش سه"'):
        assert ids(c, query) == {"n1"}, query
    assert ids(c, '-speaker:"امیر قلعه نویی" سه') == {"n2"}
    from khabar.archive.queries import entity_overview, quotes_by_speaker

    assert len(quotes_by_speaker(c, "امیر قلعه نویی")) == 1
    assert [d["id"] for d in entity_overview(c, "امیر قلعه نویی")["documents"]] == ["n1"]
    c.close()


def test_filter_only_query_lists_newest_first(conn: sqlite3.Connection) -> None:
    r = search(conn, "entity:تهران")
    assert [x["id"] for x in r["results"]] == ["q1", "q2"] and r["total"] == 2


def test_ranking_puts_title_and_repeated_matches_first(tmp_path: Path) -> None:
    c = archive(str(tmp_path / "r.db"), [
        plain_doc("once", "خبری درباره زلزله و چیزهای دیگر و دیگر و دیگر.", title="گزارش"),
        plain_doc("many", "زلزله زلزله زلزله در شهر.", title="زلزله"),
        *[plain_doc(f"x{i}", f"خبر شماره {i} درباره چیز دیگری است.") for i in range(5)],
    ])
    r = search(c, "زلزله")
    assert [x["id"] for x in r["results"]] == ["many", "once"]
    assert r["results"][0]["score"] > r["results"][1]["score"]


def test_snippet_marks_matches_and_escapes_everything_else(conn: sqlite3.Connection) -> None:
    [r] = search(conn, "هشدار")["results"]
    assert "<script>" not in r["snippet"] and "&lt;script&gt;" in r["snippet"]
    assert "<mark>هشدار</mark>" in r["snippet"]
    assert re.sub(r"</?mark>", "", r["snippet"]).count("<") == 0
    assert r["title"] == "<b>عنوان</b>"  # titles are data; the page escapes them
    [s] = [x for x in search(conn, "بینالمللی")["results"] if x["id"] == "s1"]
    assert "<mark>بین المللی</mark>" in s["snippet"]
    [s] = [x for x in search(conn, "بین المللی")["results"] if x["id"] == "s3"]
    assert "<mark>بين" + ZWNJ + "المللي</mark>" in s["snippet"]


def test_result_fields(conn: sqlite3.Connection) -> None:
    r = search(conn, "مذاکرات ادامه")
    assert r["query"] == "مذاکرات ادامه" and r["total"] == 1
    assert set(r["results"][0]) == {"id", "title", "url", "published", "snippet", "score"}
    assert r["results"][0]["published"] == "2023-08-26"


HOSTILE = ['"', '""', '"""', "*", "**", "NEAR(", "NEAR(a b", "a AND", "AND", "OR", "NOT", "a OR b", "a NOT b",
           "(", ")", "((a)", "'", "'; DROP TABLE documents; --", '" OR 1=1 --', "title:x", "body:*", "^a",
           "a:b:c", "-", "--", "- -", "-\"", "speaker:", 'speaker:"', "from:", "from:فردا", "to:2023-13-45",
           "\x00", "نمایشگاه\x00کتاب", "{a b}", "a + b", "NEAR(کتاب نمایشگاه, 2)", '"کتاب', "کتاب\"", "«کتاب",
           "\\", "%", "_", "a" * 2000, "۱۴۰۲", "entity:\"", "agency:%", "speaker:_", "rank:1", "rowid:1",
           "کتاب*", "*کتاب", "documents_fts", "MATCH", "\u200c", "\u200c\u200c", "ـــ"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_reach_sqlite_as_syntax(conn: sqlite3.Connection, query: str) -> None:
    try:
        r = search(conn, query)
    except QueryError as e:
        assert str(e) and "sqlite" not in str(e).lower() and "fts5" not in str(e).lower()
        return
    assert isinstance(r["total"], int) and r["total"] >= len(r["results"])
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 9


def test_bad_values_say_what_to_fix(conn: sqlite3.Connection) -> None:
    with pytest.raises(QueryError, match="from:"):
        search(conn, "کتاب from:فردا")
    with pytest.raises(QueryError, match="nothing to search"):
        search(conn, "   ")
    with pytest.raises(QueryError, match="nothing to search"):
        search(conn, "*** ((")


def test_operators_are_words_or_ignored(conn: sqlite3.Connection) -> None:
    assert ids(conn, "نمایشگاه AND شیراز") == {"other1"}
    assert ids(conn, "NEAR(نمایشگاه شیراز") == set()  # "near" is a word like any other
    assert ids(conn, "NEAR(نمایشگاه شیراز)".replace("NEAR(", "")) == {"other1"}


PIECES = list('"*()-:^+{} ابپتکیيك\u200c\'%_;\\«»') + ["from:", "speaker:", "agency:", "entity:", "NEAR(", "AND",
                                                          "OR", "NOT", "to:1402"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_any_query_is_safe(conn: sqlite3.Connection, query: str) -> None:
    try:
        r = search(conn, query, limit=5)
    except QueryError:
        return
    for x in r["results"]:
        assert re.sub(r"</?mark>", "", x["snippet"]).count("<") == 0


def test_parse_keeps_half_space_pieces() -> None:
    q = parse('بین‌المللی "a b" -c speaker:"x y" from:1402-06-04')
    assert [[w.parts for w in g] for g in q.include] == [[("بین", "المللی")], [("a",), ("b",)]]
    assert q.speaker == [("x y", False)] and q.date_from == "2023-08-26"
    assert [[w.joined for w in g] for g in q.exclude] == [["c"]]


def test_snippet_text_is_the_article_text(conn: sqlite3.Connection) -> None:
    [r] = search(conn, "شیراز")["results"]
    assert html.unescape(re.sub(r"</?mark>", "", r["snippet"])) == "نمایشگاه ملی کتاب در شیراز برگزار شد."


def test_words_match_whole_as_written_and_the_documented_sql_finds_every_form(tmp_path: Path) -> None:
    # docs/archive.md ("Whole words, as written"): no stemming, and its SQL finds the forms with FTS5's OR
    from khabar.archive import ingest_paths
    from khabar.archive.db import connect
    from khabar.pipeline import Pipeline

    texts = ["تحریم تازه", "تحریم‌ها ادامه دارد", "تحریم‌های نفتی", "یک تحریمی دیگر", "خبر ورزشی"]
    (tmp_path / "in.jsonl").write_text("".join(f'{{"text": "{t}"}}\n' for t in texts), encoding="utf-8")
    db = str(tmp_path / "a.db")
    ingest_paths(db, [str(tmp_path / "in.jsonl")], pipeline=Pipeline([]))
    doc = (Path(__file__).resolve().parent.parent / "docs" / "archive.md").read_text(encoding="utf-8")
    (sql,) = [b for b in re.findall(r"```sql\n(.*?)```", doc, flags=re.S) if "تحریم" in b]
    conn = connect(db, readonly=True)
    try:
        assert [search(conn, w)["total"] for w in ("تحریم", "تحریم‌ها", "تحریم‌های")] == [1, 1, 1]
        assert len(conn.execute(sql).fetchall()) == 3
        prefix = sql.replace("(تحریم OR تحریمها OR تحریمهای)", "تحریم*")
        assert prefix != sql and len(conn.execute(prefix).fetchall()) == 4
    finally:
        conn.close()
