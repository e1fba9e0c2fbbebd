from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.cli import main, normalize_stream
from khabar.text.normalizer import normalize


def run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin, capture_output=True, timeout=120)


def test_normalize_line_for_line(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("علي  رفت\n\n  كتاب\n", encoding="utf-8")
    r = run(["normalize", str(f)])
    assert r.returncode == 0
    assert r.stdout.decode() == "علی رفت\n\nکتاب\n"


def test_normalize_stdin_and_digits_option() -> None:
    r = run(["normalize", "--digits", "latin"], "سال ۲۰۱۹".encode())
    assert r.stdout.decode() == "سال 2019"


def test_invalid_utf8_names_file_and_offset_and_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("سلام ".encode() + b"\xff\xfe" + "دنیا\n".encode())
    good = tmp_path / "good.txt"
    good.write_text("خبر\n", encoding="utf-8")
    r = run(["normalize", str(bad), str(good)])
    assert r.returncode != 0
    err = r.stderr.decode()
    assert f"{bad}" in err and "byte offset 9" in err
    assert "Traceback" not in err
    assert r.stdout.decode().endswith("خبر\n")

    r = run(["normalize", "--errors", "replace", str(bad)])
    assert r.returncode == 0
    assert "\ufffd" in r.stdout.decode()


def test_missing_file_is_reported(tmp_path: Path) -> None:
    r = run(["normalize", str(tmp_path / "nope.txt")])
    assert r.returncode == 1
    assert "nope.txt" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_huge_line_is_cut_between_words_like_normalizing_whole() -> None:
    line = ("علي  رفت و كتاب خريد. " * 40000).strip()
    out = io.StringIO()
    normalize_stream(iter([line.encode()[i:i + 4096] for i in range(0, len(line.encode()), 4096)]),
                     "x", out, normalize)
    assert out.getvalue() == normalize(line)
    assert "\n" not in out.getvalue()


def test_block_boundaries_inside_a_character() -> None:
    data = "سلام\nدنیا\n".encode()
    out = io.StringIO()
    normalize_stream(iter([data[:3], data[3:7], data[7:]]), "x", out, normalize)
    assert out.getvalue() == "سلام\nدنیا\n"


def test_explain_lists_rule_and_raw_span(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("علي", encoding="utf-8")
    assert main(["normalize", "--explain", str(f)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"path": str(f), "rule": "letters", "raw_start": 2, "raw_end": 3, "before": "ي", "after": "ی"} in rows


def test_analyze_text_and_jsonl(tmp_path: Path) -> None:
    t = tmp_path / "a.txt"
    t.write_text("  علي رفت", encoding="utf-8")
    j = tmp_path / "b.jsonl"
    j.write_text(json.dumps({"id": "x1", "text": "كتاب", "title": "عنوان"}, ensure_ascii=False) + "\n"
                 + "{broken\n" + json.dumps({"title": "بی‌متن"}) + "\n", encoding="utf-8")
    r = run(["analyze", str(t), str(j)])
    docs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [d["schema"] for d in docs] == ["khabar.document/1"] * 2
    assert docs[0]["raw"] == "  علي رفت" and docs[0]["text"].startswith("علی رفت")
    assert docs[1]["id"] == "x1" and docs[1]["meta"]["title"] == "عنوان"
    err = r.stderr.decode()
    assert f"{j}:2: invalid JSON" in err
    assert f"{j}:3: missing field 'text'" in err
    assert r.returncode == 1


@pytest.mark.parametrize("command", ["normalize", "analyze"])
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(tmp_path: Path, command: str) -> None:
    f = tmp_path / "a.txt"
    f.write_text("میگوییم که\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(f)
    other = tmp_path.parent / (tmp_path.name + "-other")
    other.mkdir()
    (other / "b.txt").write_text("میگوییم که\n", encoding="utf-8")
    (tmp_path / "ext").symlink_to(other, target_is_directory=True)  # a folder reached through a link
    os.link(f, tmp_path / "hard.txt")  # the same file under another name
    for inputs, output, said in [([f], f, "the input"), ([tmp_path / "link.txt"], f, "the input"),
                                 ([tmp_path], tmp_path / "out.jsonl", "inside the input folder"),
                                 ([tmp_path], other / "b.txt", "the input"),
                                 ([tmp_path / "hard.txt"], f, "the input")]:
        r = run([command, *map(str, inputs), "-o", str(output)])
        assert r.returncode == 2 and said in r.stderr.decode(), r.stderr.decode()
        assert f.read_text(encoding="utf-8") == "میگوییم که\n" and not (tmp_path / "out.jsonl").exists()
        assert (other / "b.txt").read_text(encoding="utf-8") == "میگوییم که\n"


@pytest.mark.parametrize("argv, said", [
    (["search", "x", "--db", "a.db", "--limit", "0"], "--limit: 0 is not between 1 and 1000"),
    (["search", "x", "--db", "a.db", "--offset", "-1"], "--offset: -1 is less than 0"),
    (["serve", "--db", "a.db", "--port", "99999"], "--port: 99999 is not between 1 and 65535"),
    (["normalize", "-j", "-3"], "-j/--jobs: -3 is less than 0"),
    (["normalize", "-j", "many"], "not a whole number: 'many'"),
])
def test_out_of_range_options_are_usage_errors(argv: list[str], said: str) -> None:
    r = run(argv)
    assert r.returncode == 2 and said in r.stderr.decode() and "Traceback" not in r.stderr.decode()


@pytest.mark.parametrize("name, head, kind", [
    ("a/X.JSON.GZ", b'{\n "text": ', "json"), ("P.HTML.GZ", b"<head><title>", "html"), ("b.Jsonl", b"[", "jsonl"),
    ("1403.05.12", b"{", "jsonl"), ("notes", b"  [", "json"), ("x.TXT", b"<html>", "html"), ("x.txt", "متن".encode(), "text"),
])
def test_the_format_comes_from_the_name_in_any_case_else_from_the_first_bytes(name: str, head: bytes,
                                                                             kind: str) -> None:
    from khabar.io import detect_format

    assert detect_format(name, head) == kind


def test_analyze_keeps_an_unreadable_date_aside_with_a_warning() -> None:
    lines = '{"text": "الف", "published": "دیروز"}\n{"text": "ب", "published": "۴ شهریور ۱۴۰۲"}\n'
    r = run(["analyze", "--steps", "normalize", "--input", "jsonl"], lines.encode())
    metas = [json.loads(line)["meta"] for line in r.stdout.decode().splitlines()]
    assert metas[0]["published"] is None and metas[0]["published_raw"] == "دیروز"
    assert metas[1]["published"] == "2023-08-26" and "published_raw" not in metas[1]
    assert r.returncode == 0 and "-:1: warning: cannot read the date 'دیروز'" in r.stderr.decode()


def test_analyze_a_folder_passes_over_files_that_are_not_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("علي رفت", encoding="utf-8")
    (tmp_path / "show.py").write_text("print('a script')", encoding="utf-8")
    for backup in ("a.txt~", "#a.txt#"):  # an editor's copies of a.txt
        (tmp_path / backup).write_text("علي رفت و آمد", encoding="utf-8")
    r = run(["analyze", str(tmp_path)])
    assert [json.loads(line)["raw"] for line in r.stdout.decode().splitlines()] == ["علي رفت"]
    assert f"{tmp_path / 'show.py'}:1: not read: a .py file" in r.stderr.decode()
    for backup in ("a.txt~", "#a.txt#"):
        assert f"{tmp_path / backup}:1: not read: an editor's backup" in r.stderr.decode()
    assert r.returncode == 0  # (a file passed over is no input that failed)


def test_a_folder_reads_a_file_once_however_many_links_lead_to_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("علي رفت", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    os.link(tmp_path / "a.txt", tmp_path / "c.txt")
    (tmp_path / "d.txt").write_text("علي آمد", encoding="utf-8")
    r = run(["analyze", str(tmp_path), str(tmp_path / "d.txt")])
    assert [json.loads(line)["raw"] for line in r.stdout.decode().splitlines()] == ["علي رفت", "علي آمد", "علي آمد"]
    for name in ("b.txt", "c.txt"):  # (d.txt named on the command line is read as asked)
        assert f"{tmp_path / name}:1: not read: the same file as {tmp_path / 'a.txt'}" in r.stderr.decode()
    assert r.returncode == 0
    # a folder given twice (or inside another given) is read once too
    r = run(["analyze", str(tmp_path), str(tmp_path)])
    assert [json.loads(line)["raw"] for line in r.stdout.decode().splitlines()] == ["علي رفت", "علي آمد"]
    assert f"{tmp_path / 'a.txt'}:1: not read: read already" in r.stderr.decode()


@pytest.mark.parametrize("name, data", [
    ("a.txt", "متن ".encode() + b"\xff"),
    ("a.json", b'[{"text": "' + "متن".encode() + b'\xff"}]'),
    ("a.html", b"<html><body><p>" + "متن".encode() + b"\xff</p></body></html>"),
])
def test_invalid_utf8_in_any_whole_file_format_is_reported(tmp_path: Path, name: str, data: bytes) -> None:
    from khabar.io import InputError, read_inputs

    p = tmp_path / name
    p.write_bytes(data)
    (err,) = list(read_inputs([str(p)]))
    assert isinstance(err, InputError)
    offset = data.index(b"\xff")
    assert str(err) == f"{p}:1: invalid UTF-8 at byte offset {offset}"


def test_analyze_unknown_step() -> None:
    r = run(["analyze", "--steps", "normalize,nonsense"], "متن".encode())
    assert r.returncode == 2
    assert "unknown step 'nonsense'" in r.stderr.decode()


def test_parallel_jobs_write_the_same_output_in_order() -> None:
    from functools import partial

    lines = [f"سطر {i} ميگوييم  كه  بین المللی است.\n" for i in range(3000)]
    data = "".join(lines).encode()
    blocks = [data[i:i + 20000] for i in range(0, len(data), 20000)]
    serial, parallel = io.StringIO(), io.StringIO()
    normalize_stream(iter(blocks), "x", serial, normalize)
    normalize_stream(iter(blocks), "x", parallel, partial(normalize), jobs=2)
    assert parallel.getvalue() == serial.getvalue()
    assert parallel.getvalue().count("\n") == 3000


def test_only_the_command_freezes_the_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # gc.freeze() keeps everything alive at that moment from ever being collected: the khabar command
    # (its own process) does it once the models are loaded; main() called in a caller's process does not
    import gc

    calls: list[int] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(1))
    f = tmp_path / "a.txt"
    f.write_text("میگوییم\n" * 3, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["normalize", str(f), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "می\u200cگوییم\n" * 3
    assert calls == []
    assert main(["normalize", str(f), "-o", str(out)], own_process=True) == 0
    assert calls  # the model loaded, then frozen
    assert out.read_text(encoding="utf-8") == "می\u200cگوییم\n" * 3


@pytest.mark.parametrize("command", ["normalize", "analyze"])
def test_output_that_cannot_be_written_is_reported(tmp_path: Path, command: str) -> None:
    # a full disk (/dev/full) or a folder that is not there: a clear error and a non-zero exit, no traceback
    f = tmp_path / "a.txt"
    f.write_text("میگوییم که\n", encoding="utf-8")
    targets = [str(tmp_path / "missing" / "out.txt")] + (["/dev/full"] if Path("/dev/full").exists() else [])
    for target in targets:
        r = run([command, str(f), "-o", target])
        err = r.stderr.decode()
        assert r.returncode == 1, err
        assert f"cannot write {target}" in err and "Traceback" not in err
        assert "cannot read" not in err  # not taken for an error reading the input


@pytest.mark.parametrize("own_process", [True, False])
def test_an_error_of_the_command_is_not_taken_for_a_write_error(tmp_path: Path, monkeypatch, capsys,
                                                                own_process: bool) -> None:
    # an OSError from the command itself (here: the half-space model cannot be read) is not reported as
    # "cannot write" the output file, which was fine, nor raised: it names the file, with a non-zero exit
    from khabar.text import halfspace

    def unreadable() -> None:
        raise FileNotFoundError(2, "No such file or directory", "halfspace.pkl.gz")

    monkeypatch.setattr(halfspace, "get_restorer", unreadable)
    f = tmp_path / "a.txt"
    f.write_text("میگوییم\n", encoding="utf-8")
    assert main(["normalize", str(f), "-o", str(tmp_path / "out.txt")], own_process=own_process) == 1
    err = capsys.readouterr().err
    assert "halfspace.pkl.gz: No such file or directory" in err and "cannot write" not in err
    assert "cannot read" not in err  # (nor for an input that cannot be read)


@pytest.mark.parametrize("command", ["analyze", "ingest"])
def test_steps_take_spaces_after_commas_and_none_is_an_error(tmp_path: Path, command: str) -> None:
    db = ["--db", str(tmp_path / "a.db")] if command == "ingest" else []
    r = run([command, *db, "--steps", " normalize , segment"], "سلام. خوبی؟".encode())
    assert r.returncode == 0, r.stderr.decode()
    if command == "analyze":
        doc = json.loads(r.stdout)
        assert len(doc["sentences"]) == 2 and doc["entities"] == []
    for steps, said in (("", "no step named"), (" , ", "no step named"), ("normalize,,segment", "a step name is missing")):
        r = run([command, *db, "--steps", steps], "سلام".encode())
        assert r.returncode == 2 and said in r.stderr.decode() and not r.stdout


def _archive(tmp_path: Path, rows: list[dict[str, str]]) -> str:
    from khabar.archive import ingest_paths
    from khabar.pipeline import Pipeline

    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                       encoding="utf-8")
    db = str(tmp_path / "a.db")
    ingest_paths(db, [str(tmp_path / "in.jsonl")], pipeline=Pipeline([]))
    return db


def test_search_counts_one_article_and_stats_say_no_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _archive(tmp_path, [{"text": "خبر بودجه"}, {"text": "خبر ورزش"}])
    assert main(["search", "بودجه", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("1 article (showing 1-1)\n")
    assert main(["search", "خبر", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("2 articles (showing 1-2)\n")
    assert main(["stats", "--db", db]) == 0
    assert "\npublished        no dates\n" in capsys.readouterr().out


def test_ingest_that_stores_nothing_leaves_no_archive(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    r = run(["ingest", str(tmp_path / "nonexist.txt"), "--db", str(db)])
    assert r.returncode == 1 and "nonexist.txt:1: cannot read" in r.stderr.decode()
    assert list(tmp_path.iterdir()) == []
    # an archive that was there stays, though nothing new is stored in it
    (tmp_path / "a.txt").write_text("خبر", encoding="utf-8")
    assert run(["ingest", str(tmp_path / "a.txt"), "--db", str(db)]).returncode == 0
    assert run(["ingest", str(tmp_path / "nonexist.txt"), "--db", str(db)]).returncode == 1
    assert db.exists()
