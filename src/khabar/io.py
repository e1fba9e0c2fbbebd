"""Readers (text, JSON Lines) and writers (JSON Lines).

A reader yields :class:`InputDoc` for every document it could read and
:class:`InputError` (``PATH:LINE: reason``) for every one it could not, so a
batch never loses a document silently.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

STDIN = "-"
META_FIELDS = ("id", "title", "url", "published", "agency")


@dataclass
class InputDoc:
    path: str
    line: int
    text: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputError:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class DecodeError(ValueError):
    """Invalid UTF-8, with the byte offset where it starts."""

    def __init__(self, path: str, offset: int, detail: str = "") -> None:
        super().__init__(f"{path}: invalid UTF-8 at byte offset {offset}" + (f" ({detail})" if detail else ""))
        self.path = path
        self.offset = offset


def decode(data: bytes, path: str, errors: str = "strict", base_offset: int = 0) -> str:
    """Decode UTF-8 (a leading BOM is dropped); raise :class:`DecodeError` naming the byte offset."""
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", errors=errors)
    except UnicodeDecodeError as e:
        raise DecodeError(path, base_offset + e.start, e.reason) from None


def open_binary(path: str) -> BinaryIO:
    if path == STDIN:
        return sys.stdin.buffer
    if path.endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given; folders walked recursively (sorted, hidden files skipped)."""
    for p in paths:
        if p != STDIN and os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield p


def detect_format(path: str, head: bytes) -> str:
    name = path[:-3] if path.endswith(".gz") else path
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in (".html", ".htm"):
        return "html"
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped.startswith(b"["):
        return "json"
    if stripped[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_inputs(paths: Iterable[str], fmt: str = "auto", errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """Every document in ``paths`` (files, folders, or ``-`` for standard input)."""
    for path in expand_paths(paths):
        try:
            with open_binary(path) if path != STDIN else _nullcontext(sys.stdin.buffer) as f:
                data = f.read()
        except OSError as e:
            yield InputError(path, 1, f"cannot read: {e.strerror or e}")
            continue
        except EOFError as e:  # truncated gzip
            yield InputError(path, 1, f"cannot read: {e}")
            continue
        kind = detect_format(path, data[:64]) if fmt == "auto" else fmt
        reader = READERS.get(kind)
        if reader is None:
            yield InputError(path, 1, f"unknown input format {kind!r}")
            continue
        yield from reader(path, data, errors)


class _nullcontext:
    def __init__(self, f: BinaryIO) -> None:
        self.f = f

    def __enter__(self) -> BinaryIO:
        return self.f

    def __exit__(self, *exc: object) -> None:
        return None


def read_text(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """One document per file."""
    try:
        text = decode(data, path, errors)
    except DecodeError as e:
        yield InputError(path, 1, f"invalid UTF-8 at byte offset {e.offset}")
        return
    if not text.strip():
        yield InputError(path, 1, "empty text")
        return
    yield InputDoc(path, 1, text, {})


def record_to_doc(path: str, line: int, obj: Any) -> InputDoc | InputError:
    """An article object (``text`` or ``paragraphs``, plus meta fields) as an InputDoc."""
    if not isinstance(obj, dict):
        return InputError(path, line, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if text is None and isinstance(obj.get("paragraphs"), list):
        text = "\n\n".join(str(p) for p in obj["paragraphs"] if p is not None)
    if not isinstance(text, str):
        return InputError(path, line, "missing field 'text'" if text is None else "field 'text' is not a string")
    if not text.strip():
        return InputError(path, line, "empty text")
    meta = {k: obj[k] for k in META_FIELDS if obj.get(k) is not None}
    if "id" in meta:
        meta["id"] = str(meta["id"])
    return InputDoc(path, line, text, meta)


def read_jsonl(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """One article object per line; blank lines are skipped."""
    for lineno, raw_line in enumerate(data.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8-sig" if lineno == 1 else "utf-8", errors=errors)
        except UnicodeDecodeError as e:
            yield InputError(path, lineno, f"invalid UTF-8 at byte {e.start} of the line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(path, lineno, f"invalid JSON: {e.msg} at column {e.colno}")
            continue
        yield record_to_doc(path, lineno, obj)


def read_json(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """A JSON array of article objects (or one object)."""
    try:
        obj = json.loads(decode(data, path, errors))
    except DecodeError as e:
        yield InputError(path, 1, f"invalid UTF-8 at byte offset {e.offset}")
        return
    except json.JSONDecodeError as e:
        yield InputError(path, e.lineno, f"invalid JSON: {e.msg} at column {e.colno}")
        return
    items = obj if isinstance(obj, list) else [obj]
    for i, item in enumerate(items, start=1):
        # JSON arrays have no useful line numbers once parsed; report the item's position.
        doc = record_to_doc(path, 1, item)
        if isinstance(doc, InputError):
            doc.reason = f"item {i}: {doc.reason}"
        yield doc


READERS = {"text": read_text, "jsonl": read_jsonl, "json": read_json}


def write_jsonl(objs: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for obj in objs:
        out.write(json.dumps(obj, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n
