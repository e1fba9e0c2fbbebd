"""Readers (text, JSON Lines, JSON arrays, HTML; any of them gzip-compressed) and writers (JSON Lines).

A reader yields :class:`InputDoc` for every document it could read and
:class:`InputError` (``PATH:LINE: reason``) for every one it could not, so a
batch never loses a document silently.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO

STDIN = "-"
META_FIELDS = ("id", "title", "url", "published", "agency")
# Other names scrapers use for the same fields (used only when the field itself is absent).
META_ALIASES = {"url": ("link",), "published": ("date",)}
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class InputDoc:
    path: str
    line: int
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # read, with something to say (a date it cannot read)


@dataclass
class InputError:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class InputSkipped(InputError):
    """A file met in a walked folder that is not an input by its name (a script, a spreadsheet, an
    image): reported and not read, which is not an error of the batch."""


# A file met in a walked folder is read when its name (less ".gz") ends so or has no suffix; named
# on the command line, any file is read.  A suffix is a dot, an ASCII letter and up to seven ASCII
# letters or digits: a name's other dotted tails (``1403.05.12``, ``Mr. X``) are part of the name.
INPUT_SUFFIXES = frozenset({"", ".txt", ".text", ".json", ".jsonl", ".ndjson", ".html", ".htm"})
_SUFFIX = re.compile(r"\.[a-z][a-z0-9]{0,7}")


def name_suffix(name: str) -> str:
    """The suffix that says what kind of file ``name`` is, lower case, ``.gz`` set aside ("" for none)."""
    suffix = Path(name.lower().removesuffix(".gz")).suffix
    return suffix if _SUFFIX.fullmatch(suffix) else ""


class DecodeError(ValueError):
    """Invalid UTF-8 (or UTF-16/32 after their byte-order mark), with the byte offset where it starts."""

    def __init__(self, path: str, offset: int, detail: str = "", encoding: str = "UTF-8") -> None:
        super().__init__(f"{path}: invalid {encoding} at byte offset {offset}" + (f" ({detail})" if detail else ""))
        self.path = path
        self.offset = offset
        self.encoding = encoding


def bom_encoding(data: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` when ``data`` starts with their byte-order mark (either byte order), else None.
    The mark is unambiguous: no UTF-8 text starts with FF FE or FE FF."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return None


def decode(data: bytes, path: str, errors: str = "strict") -> str:
    """Decode UTF-8 (a leading BOM is dropped), or UTF-16/32 when a byte-order mark says so; raise
    :class:`DecodeError` naming the byte offset."""
    encoding = bom_encoding(data)
    try:
        if encoding:
            return data.decode(encoding, errors=errors)
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8", errors=errors)
    except UnicodeDecodeError as e:
        raise DecodeError(path, e.start, e.reason, (encoding or "utf-8").upper()) from None


def encoding_hint(data: bytes) -> str:
    """For bytes that are not UTF-8: what they look like (``; it looks like Windows-1256 ...``), or "".
    Windows-1256 when most of their bytes above ASCII are no UTF-8 and read as Arabic-script letters in it
    (not a UTF-8 text with a stray byte)."""
    sample = data[:4096]
    for order, high in (("LE", sample[1::2]), ("BE", sample[0::2])):
        # UTF-16 without a byte-order mark: every other byte the high byte of Persian (0x06) or ASCII (0x00)
        if len(high) >= 4 and sum(b in (0x00, 0x06) for b in high) >= 0.9 * len(high):
            return f"; it looks like UTF-16 without a byte-order mark (convert it: iconv -f UTF-16{order} -t UTF-8)"
    as_utf8 = [c for c in sample.decode("utf-8", errors="replace") if ord(c) > 127]
    if not as_utf8 or as_utf8.count("\ufffd") < 0.5 * len(as_utf8):
        return ""
    letters = [c for c in sample.decode("cp1256", errors="replace") if ord(c) > 127]
    if sum("\u0600" <= c <= "\u06ff" for c in letters) >= 0.8 * len(letters):
        return "; it looks like Windows-1256 (convert it: iconv -f WINDOWS-1256 -t UTF-8)"
    return ""


def open_binary(path: str) -> BinaryIO:
    if path == STDIN:
        return sys.stdin.buffer
    if path.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def _walked_file(path: str, name: str, read: dict[tuple[int, int], str]) -> str | InputSkipped:
    """A file met in a walked folder: its path if it is to be read, else why not.  ``read`` holds the files
    read so far (by device and inode: a link or a hard link to one of them is not read again)."""
    if name.endswith("~") or (len(name) > 1 and name[0] == name[-1] == "#"):  # x.txt~, #x.txt#
        return InputSkipped(path, 1, "not read: an editor's backup or autosave file (give its path to read it)")
    suffix = name_suffix(name)
    if suffix not in INPUT_SUFFIXES:
        return InputSkipped(path, 1, f"not read: a {suffix} file is not a text, JSON or HTML input (give its path "
                                     f"to read it as text)")
    try:
        st = os.stat(path)
    except OSError:
        return path  # (reading it says why it cannot be read)
    first = read.get((st.st_dev, st.st_ino))
    if first is None:
        read[(st.st_dev, st.st_ino)] = path
        return path
    # («khabar analyze d d», «d/sub d»: a folder walked twice reads each file once too)
    return InputSkipped(path, 1, "not read: read already" if first == path else f"not read: the same file as {first}")


def expand_paths(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Files as given; folders walked recursively (sorted, hidden files passed over, links to folders
    followed, each folder once), where a file that is not an input by its name (:data:`INPUT_SUFFIXES`)
    comes as :class:`InputSkipped`, as does a file the walks have read already (a link), a link up to a folder
    that holds the walk's, and a folder that cannot be listed as :class:`InputError`."""
    def unreadable(e: OSError, p: str) -> InputError:
        return InputError(e.filename or p, 1, f"cannot read the folder: {e.strerror or e}")

    read: dict[tuple[int, int], str] = {}  # the files the walks read: (device, inode) -> path
    for p in paths:
        if p != STDIN and os.path.isdir(p):
            walked: set[str] = set()
            top = os.path.realpath(p)
            unlisted: list[OSError] = []
            for root, dirs, files in os.walk(p, onerror=unlisted.append, followlinks=True):
                yield from (unreadable(e, p) for e in unlisted)  # (os.walk's, as they come)
                unlisted.clear()
                real = os.path.realpath(root)
                if real in walked:  # a link back to a folder of this walk (or to one walked already)
                    dirs[:] = []
                    continue
                walked.add(real)
                for d in [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                    up = os.path.realpath(os.path.join(root, d))
                    if top == up or top.startswith(up.rstrip(os.sep) + os.sep):
                        dirs.remove(d)
                        yield InputSkipped(os.path.join(root, d), 1, "not read: a link up to a folder that holds "
                                                                    "this one")
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                yield from (_walked_file(os.path.join(root, name), name, read)
                            for name in sorted(files) if not name.startswith("."))
            yield from (unreadable(e, p) for e in unlisted)  # (the last folder's, or the top one's)
        else:
            yield p


def detect_format(path: str, head: bytes) -> str:
    suffix = name_suffix(path)
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
    """Every document in ``paths`` (files, folders, or ``-`` for standard input), or why an input was not read:
    an :class:`InputError` (an unreadable file or folder, bad bytes or records), an :class:`InputSkipped` (a
    file a walked folder holds that is no input, or one read already)."""
    for path in expand_paths(paths):
        if isinstance(path, InputError):  # (a file passed over, or a folder that cannot be listed)
            yield path
            continue
        try:
            with open_binary(path) if path != STDIN else nullcontext(sys.stdin.buffer) as f:
                data = f.read()
        except OSError as e:
            yield InputError(path, 1, f"cannot read: {e.strerror or e}")
            continue
        except EOFError as e:  # truncated gzip
            yield InputError(path, 1, f"cannot read: {e}")
            continue
        if data.startswith(GZIP_MAGIC):  # compressed, whatever the name says
            import gzip
            import zlib

            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error) as e:
                yield InputError(path, 1, f"cannot read: invalid gzip data ({e})")
                continue
        encoding = bom_encoding(data)
        if encoding:  # UTF-16 or UTF-32 (Windows' "Unicode"), said by its byte-order mark: read as UTF-8 from here
            try:
                # (no lone surrogate to carry: strict decoding refuses one, replace writes U+FFFD)
                data = decode(data, path, errors).encode("utf-8")
            except DecodeError as e:
                yield InputError(path, 1, f"invalid {e.encoding} at byte offset {e.offset} (the file starts with "
                                          f"a {e.encoding} byte-order mark)")
                continue
        kind = detect_format(path, data[:64]) if fmt == "auto" else fmt
        reader = READERS.get(kind)
        if reader is None:
            yield InputError(path, 1, f"unknown input format {kind!r}")
            continue
        try:
            yield from reader(path, data, errors)
        except DecodeError as e:  # a reader that decodes the whole file at once
            yield InputError(path, 1, f"invalid UTF-8 at byte offset {e.offset}{encoding_hint(data)}")


def _json_where(e: json.JSONDecodeError) -> str:
    """The decoder's message and column (its "starting at" messages end in "at" already)."""
    return f"{e.msg.removesuffix(' at')} at column {e.colno}"


def empty_reason(text: str) -> str | None:
    """Why ``text`` is no article: nothing but spaces (``empty text``), or not one letter or digit (a photo
    page's lone «.»: ``empty text: no letter or digit``); None for a text to analyze."""
    if not text.strip():
        return "empty text"
    if not any(c.isalnum() for c in text):
        return "empty text: no letter or digit"
    return None


def read_text(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """One document per file."""
    text = decode(data, path, errors)
    empty = empty_reason(text)
    if empty:
        yield InputError(path, 1, empty)
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
    empty = empty_reason(text)
    if empty:
        return InputError(path, line, empty)
    meta = {k: obj[k] for k in META_FIELDS if obj.get(k) is not None}
    for name, aliases in META_ALIASES.items():
        for alias in aliases:
            if name not in meta and obj.get(alias) is not None:
                meta[name] = obj[alias]
    if "id" in meta:
        meta["id"] = str(meta["id"])
    return InputDoc(path, line, text, meta, _dated(meta))


def _dated(meta: dict[str, Any]) -> list[str]:
    """``meta``'s ``published`` as ISO ``YYYY-MM-DD`` (ISO or Jalali given); one that is not a date is
    moved to ``published_raw`` (so ``published`` always holds a date or nothing), with a warning."""
    if "published" not in meta:
        return []
    from khabar.dates import parse_date

    iso = parse_date(str(meta["published"]))
    if iso is not None:
        meta["published"] = iso
        return []
    meta["published_raw"] = meta.pop("published")
    return [f"warning: cannot read the date {meta['published_raw']!r}; it is kept as meta.published_raw"]


def read_jsonl(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """One article object per line; blank lines are skipped."""
    for lineno, raw_line in enumerate(data.split(b"\n"), start=1):
        if not raw_line.strip():
            continue
        try:
            line = raw_line.decode("utf-8-sig" if lineno == 1 else "utf-8", errors=errors)
        except UnicodeDecodeError as e:
            yield InputError(path, lineno, f"invalid UTF-8 at byte {e.start} of the line{encoding_hint(raw_line)}")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(path, lineno, f"invalid JSON: {_json_where(e)}")
            continue
        yield record_to_doc(path, lineno, obj)


def read_json(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """A JSON array of article objects (or one object); each item is reported at the line where it starts.

    Items before a syntax error are still read; the error is reported at its own line.
    """
    text = decode(data, path, errors)
    decoder = json.JSONDecoder()
    i = _skip_ws(text, 0)
    if not text.startswith("[", i):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            if e.msg == "Extra data" and _object_line(text):  # JSON Lines in a .json file, as scrapers write
                yield from read_jsonl(path, data, errors)
                return
            yield InputError(path, e.lineno, f"invalid JSON: {_json_where(e)}")
            return
        yield record_to_doc(path, 1, obj)
        return
    n = 0
    i = _skip_ws(text, i + 1)
    if text.startswith("]", i):
        return
    while True:
        n += 1
        line = text.count("\n", 0, i) + 1
        try:
            obj, i = decoder.raw_decode(text, i)
        except json.JSONDecodeError as e:
            yield InputError(path, e.lineno, f"invalid JSON in item {n}: {_json_where(e)}")
            return
        doc = record_to_doc(path, line, obj)
        if isinstance(doc, InputError):
            doc.reason = f"item {n}: {doc.reason}"
        yield doc
        i = _skip_ws(text, i)
        if text.startswith(",", i):
            i = _skip_ws(text, i + 1)
            continue
        if not text.startswith("]", i):
            line = text.count("\n", 0, i) + 1
            yield InputError(path, line, f"invalid JSON after item {n}: expected ',' or ']'")
        return


_WS = re.compile(r"[ \t\n\r]*")


def _object_line(text: str) -> bool:
    """Whether the first line of ``text`` that is not blank is a whole JSON object (then JSON Lines)."""
    line = next((x for x in text.splitlines() if x.strip()), "")
    try:
        return isinstance(json.loads(line), dict)
    except json.JSONDecodeError:
        return False


def _skip_ws(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


# trafilatura drops characters that are not "printable", the half-space (ZWNJ) among them;
# carry it through as a printable stand-in that news text never contains.
_ZWNJ_STANDIN = "\ua9c1"
_ZWNJ_FORMS = re.compile(r"\u200c|&zwnj;|&#8204;|&#x0*200c;", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


def read_html(path: str, data: bytes, errors: str = "strict") -> Iterator[InputDoc | InputError]:
    """One article per HTML page: its main text, title and date, extracted with trafilatura."""
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    if charset.startswith(("utf-16", "utf-32", "unicode")):
        charset = "utf-8"  # (a page with a byte-order mark is UTF-8 by now; one without has no ASCII <meta>)
    try:
        if charset in ("utf-8", "utf8"):
            page = decode(data, path, errors)
        else:
            page = data.decode(charset, errors=errors)
    except LookupError:
        yield InputError(path, 1, f"unknown character set {charset!r} declared in the page")
        return
    except UnicodeDecodeError as e:
        yield InputError(path, 1, f"invalid {charset} at byte offset {e.start}")
        return
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        yield InputError(path, 1, "reading HTML needs trafilatura (pip install trafilatura)")
        return
    if _ZWNJ_STANDIN in page:
        page = page.replace(_ZWNJ_STANDIN, " ")
    page = _ZWNJ_FORMS.sub(_ZWNJ_STANDIN, page)
    try:
        extracted = trafilatura.extract(page, output_format="json", with_metadata=True, include_comments=False,
                                        include_tables=False, deduplicate=False)
    except Exception as e:  # trafilatura fails soft on most bad HTML; report the rest
        yield InputError(path, 1, f"cannot extract text from the HTML: {type(e).__name__}: {e}")
        return
    info = json.loads(extracted) if extracted else {}
    text = (info.get("text") or "").replace(_ZWNJ_STANDIN, "\u200c")
    if empty_reason(text):
        yield InputError(path, 1, "no main text found in the HTML page")
        return
    meta: dict[str, Any] = {}
    for name, field_ in (("title", "title"), ("url", "source"), ("published", "date")):
        value = info.get(field_)
        if value:
            meta[name] = value.replace(_ZWNJ_STANDIN, "\u200c")
    yield InputDoc(path, 1, text, meta, _dated(meta))


READERS = {"text": read_text, "jsonl": read_jsonl, "json": read_json, "html": read_html}


def write_jsonl(objs: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for obj in objs:
        out.write(json.dumps(obj, ensure_ascii=False))
        out.write("\n")
        n += 1
    return n
