"""Inputs in other encodings and formats than named: UTF-16/32 with a byte-order mark, Windows-1256, JSON Lines
in a .json file (newuser10 #13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.io import InputDoc, InputError, read_inputs

TEXT = "وزیر نیرو گفت: ذخایر آب کافی است.\nخط دوم."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("gz", [False, True])
def test_a_byte_order_mark_says_utf16_or_utf32(tmp_path: Path, encoding: str, gz: bool) -> None:
    import gzip

    # (utf-16 writes its own mark; the -le/-be codecs need it written)
    mark = "" if encoding in ("utf-16", "utf-32") else "\ufeff"
    jsonl = "".join(json.dumps({"text": t, "title": "عنوان"}, ensure_ascii=False) + "\n" for t in TEXT.split("\n"))
    for name, content in (("a.txt", TEXT), ("b.jsonl", jsonl), ("c", jsonl)):
        raw = (mark + content).encode(encoding)
        (tmp_path / name).write_bytes(gzip.compress(raw) if gz else raw)
    got = list(read_inputs([str(tmp_path)]))
    assert all(isinstance(d, InputDoc) for d in got), got
    assert [d.text for d in got] == [TEXT, *TEXT.split("\n"), *TEXT.split("\n")]
    assert got[1].meta == {"title": "عنوان"}


def test_broken_utf16_is_reported_as_utf16(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffسلام".encode("utf-16-le") + b"\x00\xdc" + "دنیا".encode("utf-16-le"))  # a lone surrogate
    (err,) = list(read_inputs([str(p)]))
    assert isinstance(err, InputError)
    assert str(err) == f"{p}:1: invalid UTF-16 at byte offset 10 (the file starts with a UTF-16 byte-order mark)"
    (doc,) = list(read_inputs([str(p)], errors="replace"))
    assert isinstance(doc, InputDoc) and doc.text == "سلام\ufffdدنیا"


def test_windows_1256_gets_a_hint_and_a_stray_byte_in_utf8_does_not(tmp_path: Path) -> None:
    arabic = "وزير نيرو گفت: ذخاير آب كافي است و مردم نگران نباشند."
    (tmp_path / "a.txt").write_bytes(arabic.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(arabic.encode("utf-8") + b"\xc7")
    (tmp_path / "c.jsonl").write_bytes(b'{"text": "' + arabic.encode("cp1256") + b'"}\n')
    a, b, c = read_inputs([str(tmp_path)])
    hint = "; it looks like Windows-1256 (convert it: iconv -f WINDOWS-1256 -t UTF-8)"
    assert str(a) == f"{tmp_path}/a.txt:1: invalid UTF-8 at byte offset 0{hint}"
    assert str(b) == f"{tmp_path}/b.txt:1: invalid UTF-8 at byte offset {len(arabic.encode())}"
    assert str(c) == f"{tmp_path}/c.jsonl:1: invalid UTF-8 at byte 10 of the line{hint}"


@pytest.mark.parametrize("codec, order", [("utf-16-le", "LE"), ("utf-16-be", "BE")])
def test_utf16_without_a_byte_order_mark_gets_its_own_hint(tmp_path: Path, codec: str, order: str) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("سلام دنیا\nوزیر نیرو گفت: آب کافی است.\n".encode(codec))
    (err,) = list(read_inputs([str(p)]))
    assert str(err).endswith(f"; it looks like UTF-16 without a byte-order mark (convert it: iconv -f UTF-16{order} "
                             f"-t UTF-8)")


def test_json_lines_in_a_json_file_are_read_as_json_lines(tmp_path: Path) -> None:
    p = tmp_path / "lines.json"
    p.write_text('{"text": "خبر اول", "title": "یک"}\n\n{"text": "خبر دوم"}\n{"text": \n', encoding="utf-8")
    first, second, err = read_inputs([str(p)])
    assert isinstance(first, InputDoc) and (first.text, first.meta, first.line) == ("خبر اول", {"title": "یک"}, 1)
    assert isinstance(second, InputDoc) and (second.text, second.line) == ("خبر دوم", 3)
    assert isinstance(err, InputError) and str(err).startswith(f"{p}:4: invalid JSON")
    # one object over several lines, then more: not JSON Lines, the JSON error as before
    q = tmp_path / "bad.json"
    q.write_text('{"text":\n "خبر"}\n{"text": "دوم"}\n', encoding="utf-8")
    (err,) = list(read_inputs([str(q)]))
    assert str(err) == f"{q}:3: invalid JSON: Extra data at column 1"


def test_normalize_reads_utf16_with_a_byte_order_mark(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("علي  رفت\nكتاب\n".encode("utf-16"))
    q = tmp_path / "b.txt"
    q.write_bytes("\ufeffسلام".encode("utf-16-le") + b"\x00")
    r = subprocess.run([sys.executable, "-m", "khabar.cli", "normalize", str(p), str(q)], capture_output=True,
                       timeout=120)
    assert r.stdout.decode("utf-8") == "علی رفت\nکتاب\nسلام"
    assert r.stderr.decode() == f"khabar: {q}: invalid UTF-16 at byte offset 10 (truncated data)\n"
