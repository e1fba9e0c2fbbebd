"""Ingest: every format, ids, re-runs, reports for broken input, the tables, the CLI."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_archive_util import archive, quoted_doc, store_docs

from khabar.archive import (
    connect,
    entity_overview,
    get_document,
    ingest_paths,
    list_speakers,
    quotes_by_speaker,
    search,
    stats,
)
from khabar.archive.schema import SCHEMA_VERSION, SchemaError
from khabar.document import content_id
from khabar.pipeline import Pipeline

BARE = Pipeline([])  # no analysis: these tests are about storage, not about the steps

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>دیدار وزیران</title>
<meta property="article:published_time" content="2023-08-26T10:00:00+03:30"></head>
<body><nav>خانه | ورزش | سیاست</nav><article><h1>دیدار وزیران</h1>
<p>وزیر امور خارجه روز شنبه در نشست خبری گفت که مذاکرات ادامه دارد و نتایج آن به زودی اعلام می&zwnj;شود.</p>
<p>به گزارش ایرنا، وی افزود که همکاری‌های بین‌المللی در سال آینده گسترش می‌یابد و هیئت‌ها دوباره دیدار می‌کنند.</p>
</article><footer>همه حقوق محفوظ است</footer></body></html>"""


def write(path: Path, text: str, gz: bool = False) -> Path:
    data = text.encode("utf-8")
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def make_inputs(folder: Path, gz: bool = False) -> None:
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    write(folder / "one.txt", "متن خبر اول درباره بازار کتاب است.\nخط دوم همان خبر.", gz)
    write(folder / "lines.jsonl", "\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"id": "j1", "text": "خبر جیسون اول", "title": "عنوان یک", "published": "۱۴۰۲-۶-۴", "agency": "ایسنا"},
        {"id": "j2", "text": "خبر جیسون دوم", "url": "https://example.org/2", "published": "2023-01-05"},
    ]) + "\n", gz)
    write(folder / "sub" / "array.json", json.dumps([
        {"id": "a1", "text": "خبر آرایه اول"},
        {"title": "پاراگراف‌ها", "paragraphs": ["بند اول خبر پاراگرافی.", "بند دوم آن."],
         "published": "۴ شهریور ۱۴۰۲"},
    ], ensure_ascii=False, indent=1), gz)
    write(folder / "sub" / "page.html", HTML, gz)


def test_a_folder_is_read_for_its_inputs_and_names_the_other_files(tmp_path: Path) -> None:
    # a walked folder's script, notes or spreadsheet is not an article: each is reported, none stored, and
    # none is an error; named on its own, the same file is read as text
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "one.txt", "متن خبر اول درباره بازار کتاب است.")
    write(folder / "article", "خبری بی پسوند درباره بازار.")
    write(folder / "1403.05.12", "خبری که نامش تاریخ است.")  # (a dotted name, not a suffix)
    write(folder / "B.TXT", "خبری با پسوند بزرگ.", gz=True)  # B.TXT.gz
    (folder / "C.TXT.GZ").write_bytes(gzip.compress("خبری دیگر با پسوند بزرگ.".encode()))
    for name in ("notes.md", "tool.py", "list.CSV"):
        write(folder / name, "این یک خبر نیست.")
    write(folder / "table.csv", "این هم نیست.", gz=True)
    db = str(tmp_path / "a.db")
    messages: list[str] = []
    s = ingest_paths(db, [str(folder)], pipeline=BARE, report=messages.append)
    assert (s.stored, s.rejected, s.not_inputs) == (5, 0, 4)
    assert sorted(Path(m.split(":")[0]).name for m in messages) == ["list.CSV", "notes.md", "table.csv.gz", "tool.py"]
    assert all("not read" in m for m in messages) and "not read 4" in s.line()
    s = ingest_paths(db, [str(folder / "tool.py")], pipeline=BARE, report=messages.append)
    assert (s.stored, s.not_inputs) == (1, 0)


def test_a_folder_follows_links_to_folders_once(tmp_path: Path) -> None:
    # a linked folder is read like any other (os.walk would pass over it in silence); a link back into the
    # walk or up to a folder that holds it is reported, not followed (no loop, nothing read twice, nothing
    # outside the folder asked for)
    from khabar.io import InputSkipped, expand_paths

    elsewhere, folder = tmp_path / "elsewhere", tmp_path / "in"
    elsewhere.mkdir()
    (folder / "sub").mkdir(parents=True)
    write(elsewhere / "far.txt", "خبری از جای دیگر.")
    write(folder / "sub" / "near.txt", "خبری از همین‌جا.")
    write(tmp_path / "outside.txt", "خبری بیرون از پوشه.")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    found = list(expand_paths([str(folder)]))
    assert sorted(Path(p).name for p in found if isinstance(p, str)) == ["far.txt", "near.txt"]
    skipped = [x for x in found if isinstance(x, InputSkipped)]
    assert sorted(Path(x.path).name for x in skipped) == ["loop", "up"]
    assert all("link up" in x.reason for x in skipped)


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path: Path, monkeypatch) -> None:
    import os

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    write(folder / "one.txt", "متن خبر اول درباره بازار کتاب است.")
    scandir = os.scandir

    def refusing(path):  # (root reads any folder: a refusal is simulated)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    messages: list[str] = []
    s = ingest_paths(str(tmp_path / "a.db"), [str(folder)], pipeline=BARE, report=messages.append)
    assert (s.stored, s.rejected) == (1, 1)
    assert messages == [f"{folder / 'locked'}:1: cannot read the folder: Permission denied"]


def rows(conn: sqlite3.Connection, sql: str, *args: object) -> list[tuple]:
    return [tuple(r) for r in conn.execute(sql, args)]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_every_format_is_read_and_stored(tmp_path: Path, gz: bool) -> None:
    make_inputs(tmp_path / "in", gz)
    db = str(tmp_path / "a.db")
    messages: list[str] = []
    s = ingest_paths(db, [str(tmp_path / "in")], pipeline=BARE, report=messages.append)
    assert messages == [] and (s.stored, s.rejected) == (6, 0)
    conn = connect(db, readonly=True)
    got = {r["id"]: r for r in conn.execute("SELECT * FROM documents JOIN document_texts USING (doc)")}
    assert set(got) >= {"j1", "j2", "a1"} and len(got) == 6
    assert got["j1"]["published"] == "2023-08-26" and got["j1"]["agency"] == "ایسنا"
    assert got["j2"]["published"] == "2023-01-05" and got["j2"]["url"] == "https://example.org/2"
    para = next(r for r in got.values() if r["title"] == "پاراگراف‌ها")
    assert para["text"] == "بند اول خبر پاراگرافی.\n\nبند دوم آن." and para["published"] == "2023-08-26"
    assert para["id"] == content_id(para["text"])
    page = next(r for r in got.values() if r["title"] == "دیدار وزیران")
    assert "می\u200cشود" in page["text"] and "همکاری\u200cهای بین\u200cالمللی" in page["text"]
    assert "حقوق محفوظ" not in page["text"] and page["published"] == "2023-08-26"
    txt = next(r for r in got.values() if r["source_path"].endswith(("one.txt", "one.txt.gz")))
    assert txt["text"].startswith("متن خبر اول") and txt["source_line"] == 1
    doc = get_document(conn, "j1")
    assert doc["schema"] == "khabar.document/1" and doc["meta"]["published"] == "2023-08-26"
    assert {r["id"] for r in search(conn, "خبر")["results"]} >= {"j1", "j2", "a1"}


def test_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    data = gzip.compress('{"id": "s", "text": "از ورودی استاندارد"}\n'.encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    s = ingest_paths(str(tmp_path / "a.db"), ["-"], pipeline=BARE)
    assert s.stored == 1


def test_rerun_skips_unchanged_and_updates_changed(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in")
    db = str(tmp_path / "a.db")
    first = ingest_paths(db, [str(tmp_path / "in")], pipeline=BARE)
    again = ingest_paths(db, [str(tmp_path / "in")], pipeline=BARE)
    assert (again.stored, again.skipped, again.updated, again.rejected) == (0, first.stored, 0, 0)
    write(tmp_path / "in" / "lines.jsonl", json.dumps({"id": "j1", "text": "خبر جیسون اول، ویرایش شده"},
                                                      ensure_ascii=False) + "\n")
    third = ingest_paths(db, [str(tmp_path / "in")], pipeline=BARE)
    assert (third.stored, third.updated, third.skipped) == (0, 1, first.stored - 2)
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == first.stored
    assert conn.execute("SELECT text FROM documents JOIN document_texts USING (doc) WHERE id = 'j1'"
                        ).fetchone()[0] == "خبر جیسون اول، ویرایش شده"
    assert [r["id"] for r in search(conn, "ویرایش")["results"]] == ["j1"]
    assert search(conn, "عنوان")["total"] == 0  # the old title left the index with the old version
    fts = conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
    assert fts == first.stored


def test_a_different_pipeline_counts_as_a_change(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in")
    db = str(tmp_path / "a.db")
    first = ingest_paths(db, [str(tmp_path / "in" / "one.txt")], pipeline=BARE)
    from khabar.pipeline import register

    register("test_archive_noop", lambda doc: doc)
    other = ingest_paths(db, [str(tmp_path / "in" / "one.txt")], pipeline=Pipeline(["test_archive_noop"]))
    assert (first.stored, other.updated) == (1, 1)


def test_broken_input_is_reported_with_path_and_line_and_the_rest_goes_on(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    write(d / "a.jsonl", '{"id": "ok1", "text": "درست"}\n{broken\n\n{"id": "x", "title": "بی‌متن"}\n'
                         '{"id": "e", "text": "   "}\n[1, 2]\n{"id": "ok2", "text": "درست دوم"}\n')
    (d / "bad.txt").write_bytes("سلام".encode() + b"\xff\xfe")
    (d / "empty.txt").write_bytes(b"  \n")
    write(d / "arr.json", '[\n {"id": "ok3", "text": "سوم"},\n {"text": 5},\n {"id": "ok4", "text": "چهارم"}\n]')
    write(d / "trunc.json", '[\n {"id": "ok5", "text": "پنجم"},\n {"text": "نیمه')
    (d / "broken.gz").write_bytes(gzip.compress("خبر".encode())[:-6])
    write(d / "blank.html", "<html><head><title>خالی</title></head><body><div></div></body></html>")
    messages: list[str] = []
    s = ingest_paths(str(tmp_path / "a.db"), [str(d), str(tmp_path / "missing.txt")], pipeline=BARE,
                     report=messages.append)
    p = str(d)
    expected = [
        f"{p}/a.jsonl:2: invalid JSON", f"{p}/a.jsonl:4: missing field 'text'", f"{p}/a.jsonl:5: empty text",
        f"{p}/a.jsonl:6: expected a JSON object", f"{p}/arr.json:3: item 2: field 'text' is not a string",
        f"{p}/bad.txt:1: invalid UTF-8 at byte offset 8", f"{p}/blank.html:1: no main text",
        f"{p}/broken.gz:1: cannot read", f"{p}/empty.txt:1: empty text", f"{p}/trunc.json:3: invalid JSON",
        f"{tmp_path}/missing.txt:1: cannot read",
    ]
    assert len(messages) == len(expected), messages
    for e in expected:
        assert any(m.startswith(e) for m in messages), (e, messages)
    assert (s.stored, s.rejected) == (5, len(expected))


def test_unreadable_date_is_reported_and_the_article_kept(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", '{"id": "d", "text": "خبر", "published": "دیروز"}\n')
    messages: list[str] = []
    s = ingest_paths(str(tmp_path / "a.db"), [str(tmp_path / "a.jsonl")], pipeline=BARE, report=messages.append)
    assert s.stored == 1 and s.warnings == 1 and s.rejected == 0
    assert len(messages) == 1 and messages[0].startswith(f"{tmp_path}/a.jsonl:1: warning:")
    doc = get_document(connect(str(tmp_path / "a.db")), "d")
    assert doc["meta"]["published"] is None and doc["meta"]["published_raw"] == "دیروز"


def test_a_failing_step_rejects_only_that_article(tmp_path: Path) -> None:
    from khabar.pipeline import register

    def picky(doc):  # noqa: ANN001, ANN202
        if "بد" in doc.raw:
            raise RuntimeError("cannot analyze this one")
        return doc

    register("test_archive_picky", picky)
    write(tmp_path / "a.jsonl", '{"text": "خوب"}\n{"text": "بد"}\n{"text": "خوب دوم"}\n')
    messages: list[str] = []
    s = ingest_paths(str(tmp_path / "a.db"), [str(tmp_path / "a.jsonl")], pipeline=Pipeline(["test_archive_picky"]),
                     report=messages.append)
    assert (s.stored, s.rejected) == (2, 1)
    assert messages == [f"{tmp_path}/a.jsonl:2: analysis failed: RuntimeError: cannot analyze this one"]


# ---------------------------------------------------------------------------
# the tables and the read API, with hand-built analyses


def quote_docs() -> list:
    return [
        quoted_doc("d1", "محمدجواد ظریف گفت «مذاکرات ادامه دارد» و به تهران بازگشت.", "محمدجواد ظریف",
                   "محمدجواد ظریف", "مذاکرات ادامه دارد", title="یک", published="2023-08-26", agency="ایرنا",
                   entities=[("محمدجواد ظریف", "PER"), ("تهران", "LOC")]),
        quoted_doc("d2", "ظريف گفت «توافق نزدیک است» و در تهران ماند.", "محمدجواد ظريف", "ظريف",
                   "توافق نزدیک است", title="دو", published="2023-09-01",
                   entities=[("ظريف", "PER"), ("تهران", "LOC")]),
        quoted_doc("d3", "علی لاریجانی گفت «مجلس آماده است» و از تهران رفت.", "علی لاریجانی", "علی لاریجانی",
                   "مجلس آماده است", title="سه", published="2022-01-10",
                   entities=[("علی لاریجانی", "PER"), ("تهران", "LOC")]),
    ]


def test_tables_hold_entities_quotes_and_speakers(tmp_path: Path) -> None:
    conn = archive(str(tmp_path / "a.db"), quote_docs())
    assert rows(conn, "SELECT e.label, e.text FROM entities e JOIN documents USING (doc) WHERE id = 'd1' ORDER BY n") == [
        ("PER", "محمدجواد ظریف"), ("LOC", "تهران")]
    assert rows(conn, "SELECT name FROM speakers ORDER BY name") == [("علی لاریجانی",), ("محمدجواد ظریف",)]
    q = conn.execute("SELECT q.kind, q.content, q.cue, q.speaker_text, q.entity, t.text, q.content_start, "
                     "q.content_end FROM quotes q JOIN documents d USING (doc) JOIN document_texts t USING (doc) "
                     "WHERE d.id = 'd2'").fetchone()
    assert tuple(q)[:5] == ("direct", "توافق نزدیک است", "گفت", "ظريف", 0)
    assert q["text"][q["content_start"]:q["content_end"]] == "توافق نزدیک است"
    assert conn.execute("SELECT agency FROM documents WHERE id = 'd1'").fetchone()[0] == "ایرنا"


def test_an_unresolved_pronoun_is_no_speaker(tmp_path: Path) -> None:
    # «وی گفت» with nobody found for «وی»: the quotation is stored with its mention, no «وی» among the speakers
    doc = quoted_doc("p1", "وی گفت: کار تمام است.", None, "وی", "کار تمام است")  # type: ignore[arg-type]
    conn = archive(str(tmp_path / "a.db"), [doc])
    assert rows(conn, "SELECT speaker, speaker_text FROM quotes") == [(None, "وی")]
    assert rows(conn, "SELECT name FROM speakers") == []


def test_read_api(tmp_path: Path) -> None:
    conn = archive(str(tmp_path / "a.db"), quote_docs())
    qs = quotes_by_speaker(conn, "محمدجواد ظریف")
    assert [q["doc_id"] for q in qs] == ["d2", "d1"]  # newest first, ي/ی folded together
    assert qs[0] == {"doc_id": "d2", "title": "دو", "published": "2023-09-01", "kind": "direct",
                     "content": "توافق نزدیک است", "cue": "گفت", "speaker": "محمدجواد ظریف"}
    assert [q["doc_id"] for q in quotes_by_speaker(conn, "ظریف")] == ["d2", "d1"]
    assert [q["doc_id"] for q in quotes_by_speaker(conn, "محمدجواد ظریف", limit=1, offset=1)] == ["d1"]
    assert quotes_by_speaker(conn, "کسی دیگر") == []
    assert list_speakers(conn) == [{"name": "محمدجواد ظریف", "count": 2}, {"name": "علی لاریجانی", "count": 1}]
    ov = entity_overview(conn, "تهران")
    assert ov["entity"] == "تهران" and {d["id"] for d in ov["documents"]} == {"d1", "d2", "d3"}
    assert ov["speakers"][0] == {"name": "محمدجواد ظریف", "count": 2}
    assert entity_overview(conn, "تهران", label="PER")["documents"] == []
    st = stats(conn)
    assert (st["documents"], st["entities"], st["quotes"], st["speakers"]) == (3, 6, 3, 2)
    assert st["entity_labels"] == {"LOC": 3, "PER": 3} and st["first_published"] == "2022-01-10"
    assert get_document(conn, "nope") is None
    assert get_document(conn, "d1")["quotes"][0]["speaker"]["name"] == "محمدجواد ظریف"


def test_replacing_a_document_replaces_its_rows_and_drops_orphan_speakers(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    conn = archive(db, quote_docs())
    d3 = quote_docs()[2]
    d3.quotes = []
    store_docs(conn, [d3])
    assert rows(conn, "SELECT count(*) FROM quotes") == [(2,)]
    assert quotes_by_speaker(conn, "علی لاریجانی") == []
    assert [s["name"] for s in list_speakers(conn)] == ["محمدجواد ظریف"]


def test_schema_migrations_apply_once_and_readonly_refuses_other_files(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    connect(db).close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert rows(conn, "SELECT count(*) FROM khabar_migrations") == [(SCHEMA_VERSION,)]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ro = connect(db, readonly=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("DELETE FROM documents")
    with pytest.raises(FileNotFoundError):
        connect(str(tmp_path / "none.db"), readonly=True)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(SchemaError):
        connect(str(other), readonly=True)


# ---------------------------------------------------------------------------
# the commands (default pipeline)


def khabar(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin, capture_output=True, timeout=300)


def test_cli_ingest_search_stats(tmp_path: Path) -> None:
    make_inputs(tmp_path / "in")
    write(tmp_path / "in" / "bad.jsonl", '{"text": "خوب"}\n{oops\n')
    db = str(tmp_path / "a.db")
    r = khabar("ingest", str(tmp_path / "in"), "--db", db)
    out, err = r.stdout.decode(), r.stderr.decode()
    assert r.returncode == 1  # something was rejected
    assert err == f"{tmp_path}/in/bad.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes " \
                  "at column 2\n"  # no progress bar when standard error is not a terminal
    assert out.startswith("stored 7, skipped 0, updated 0, rejected 1 (")
    r = khabar("ingest", str(tmp_path / "in"), "--db", db, "--json")
    summary = json.loads(r.stdout)
    assert {k: summary[k] for k in ("stored", "skipped", "updated", "rejected")} == \
        {"stored": 0, "skipped": 7, "updated": 0, "rejected": 1}
    r = khabar("search", "جیسون", "--db", db, "--json", "--limit", "1")
    res = json.loads(r.stdout)
    assert r.returncode == 0 and res["total"] == 2 and len(res["results"]) == 1
    assert "<mark>جیسون</mark>" in res["results"][0]["snippet"]
    r = khabar("search", "جیسون", "--db", db)
    assert r.stdout.decode().startswith("2 articles") and "[جیسون]" in r.stdout.decode()
    r = khabar("search", "from:فردا", "--db", db)
    assert r.returncode == 2 and r.stderr.decode().startswith("khabar: search: from:")
    r = khabar("stats", "--db", db, "--json")
    st = json.loads(r.stdout)
    assert st["documents"] == 7 and {"entities", "quotes", "speakers"} <= set(st)
    r = khabar("stats", "--db", str(tmp_path / "none.db"))
    assert r.returncode == 2 and "no archive" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty

    make_inputs(tmp_path / "in")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "khabar.cli", "ingest", str(tmp_path / "in"), "--db",
                             str(tmp_path / "a.db"), "--steps", "normalize"], stdout=subprocess.PIPE, stderr=slave,
                            env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = proc.communicate(timeout=120)[0]
    os.close(master)
    assert out.decode().startswith("stored 6,"), (out, seen[-2000:])
    assert b"ingest" in seen and b"files" in seen  # the bar, drawn on the terminal


def test_a_text_without_a_letter_or_digit_is_rejected_as_empty(tmp_path: Path) -> None:
    # photo pages of a news site: the text is only «.», under ten titles; all had one id (the text's hash)
    write(tmp_path / "a.json", json.dumps([{"title": f"عکس {i}", "url": f"https://x.ir/{i}", "text": " . "}
                                           for i in range(3)] + [{"text": "۱۲"}], ensure_ascii=False, indent=1))
    messages: list[str] = []
    s = ingest_paths(str(tmp_path / "a.db"), [str(tmp_path / "a.json")], pipeline=BARE, report=messages.append)
    assert (s.stored, s.rejected, s.updated) == (1, 3, 0)
    assert messages == [f"{tmp_path}/a.json:{2 + 5 * i}: item {i + 1}: empty text: no letter or digit"
                        for i in range(3)]


def test_the_same_text_under_other_fields_is_a_duplicate_and_a_rerun_settles(tmp_path: Path) -> None:
    # one wire text, two outlets' titles and URLs: the first stays, the second is reported, and re-runs
    # neither flip-flop between them nor report anything as updated
    rows = [{"text": "متن یکسان خبرگزاری", "title": "عنوان اول", "url": "https://a.ir/1"},
            {"text": "متن دیگر", "title": "دیگر"},
            {"text": "متن یکسان خبرگزاری", "title": "عنوان دوم", "url": "https://b.ir/2"},
            {"id": "g", "text": "شناسه داده شده", "title": "یک"},
            {"id": "g", "text": "شناسه داده شده", "title": "دو"}]
    write(tmp_path / "a.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    write(tmp_path / "b.jsonl", json.dumps({"text": "متن یکسان خبرگزاری", "title": "سوم"}, ensure_ascii=False))
    db = str(tmp_path / "a.db")
    inputs = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    for run in range(3):
        messages: list[str] = []
        s = ingest_paths(db, inputs, pipeline=BARE, report=messages.append)
        assert (s.stored, s.skipped, s.updated, s.duplicates) == ((3, 0) if run == 0 else (0, 3)) + (0, 3), run
        assert messages == [
            f"{inputs[0]}:3: duplicate: the same text as the article stored from {inputs[0]}:1 "
            f"(id {content_id(rows[0]['text'])}), with other fields; not stored",
            f"{inputs[0]}:5: duplicate: the same id as the article stored from {inputs[0]}:4 (id g), "
            f"with other fields; not stored",
            f"{inputs[1]}:1: duplicate: the same text as the article stored from {inputs[0]}:1 "
            f"(id {content_id(rows[0]['text'])}), with other fields; not stored"]
        assert s.line().startswith(f"stored {s.stored}, skipped {s.skipped}, updated 0, rejected 0, duplicates 3")
        conn = connect(db)
        got = dict(conn.execute("SELECT id, title FROM documents").fetchall())
        conn.close()
        assert got == {content_id(rows[0]["text"]): "عنوان اول", content_id("متن دیگر"): "دیگر", "g": "یک"}
    # the article's own input changed (its title, at the same path and line): that is an update
    rows[0]["title"] = "عنوان ویرایش شده"
    write(tmp_path / "a.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    s = ingest_paths(db, [f"{tmp_path}/./a.jsonl"], pipeline=BARE)
    assert (s.updated, s.skipped, s.duplicates) == (1, 2, 2)
