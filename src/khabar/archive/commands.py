"""The ``ingest``, ``search`` and ``stats`` subcommands (registered into ``khabar.cli``)."""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import re
import sqlite3
import sys
from typing import TextIO

from khabar.cli import EXTRA_COMMANDS, int_in, step_names


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="FILE", help="the archive (an SQLite file)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _fail(message: str) -> int:
    print(f"khabar: {message}", file=sys.stderr)
    return 2


def _open(path: str, readonly: bool) -> sqlite3.Connection:
    from khabar.archive.db import connect

    return connect(path, readonly=readonly)


def _open_archive(path: str) -> sqlite3.Connection | int:
    """The archive opened read-only, or the exit status after saying why it cannot be."""
    try:
        return _open(path, readonly=True)
    except FileNotFoundError:
        return _fail(f"{path}: no archive there (create one with: khabar ingest PATH --db {path})")
    except (sqlite3.Error, RuntimeError) as e:
        return _fail(f"{path}: cannot open the archive: {e}")


# ---------------------------------------------------------------------------
# ingest


def add_ingest(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (recursive); - or nothing for standard input")
    _db_arg(p)
    p.add_argument("--input", choices=("auto", "text", "jsonl", "json", "html"), default="auto",
                   help="input format (auto: from the file name, else from its first bytes)")
    p.add_argument("--errors", choices=("strict", "replace"), default="strict",
                   help="invalid UTF-8: reject the input (strict) or use U+FFFD (replace)")
    p.add_argument("--steps", type=step_names, help="comma-separated pipeline steps (default: the full pipeline)")
    p.add_argument("--batch", type=int, default=200, metavar="N", help="articles per transaction (default 200)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from khabar.archive.ingest import ingest_paths
    from khabar.pipeline import Pipeline, PipelineError

    try:
        pipeline = Pipeline(args.steps)
    except PipelineError as e:
        return _fail(str(e))
    if args.batch < 1:
        return _fail("--batch must be at least 1")
    new = not os.path.exists(args.db)
    try:
        conn = _open(args.db, readonly=False)
    except (sqlite3.Error, OSError, RuntimeError) as e:
        return _fail(f"{args.db}: cannot open the archive: {e}")
    try:
        summary = ingest_paths(conn, args.paths, fmt=args.input, errors=args.errors, pipeline=pipeline,
                               batch=args.batch, report=lambda m: print(m, file=sys.stderr, flush=True),
                               progress=not args.quiet and sys.stderr.isatty())
    except sqlite3.Error as e:
        return _fail(f"{args.db}: {e}")
    finally:
        conn.close()
    if new and not summary.stored:  # nothing stored: leave no empty archive behind
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(args.db + suffix)
    if args.json:
        out.write(json.dumps({**summary.to_dict(), "db": args.db}, ensure_ascii=False) + "\n")
    else:
        out.write(summary.line() + "\n")
    return 1 if summary.rejected else 0


# ---------------------------------------------------------------------------
# search


def add_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", metavar="QUERY",
                   help='words (all must match), "phrases", -exclusions, speaker:, entity:, agency:, from:, to:')
    _db_arg(p)
    p.add_argument("--limit", type=int_in(1, 1000), default=10, metavar="N",
                   help="results to show (default 10, at most 1000)")
    p.add_argument("--offset", type=int_in(0), default=0, metavar="N", help="skip the first N results")


_MARK = re.compile(r"<mark>(.*?)</mark>")


def _plain(snippet: str, tty: bool) -> str:
    marked = _MARK.sub(lambda m: f"\x1b[1;7m{m.group(1)}\x1b[0m" if tty else f"[{m.group(1)}]", snippet)
    return html.unescape(marked)


def run_search(args: argparse.Namespace, out: TextIO) -> int:
    from khabar.archive.search import QueryError, search

    conn = _open_archive(args.db)
    if isinstance(conn, int):
        return conn
    try:
        result = search(conn, args.query, limit=args.limit, offset=args.offset)
    except QueryError as e:
        return _fail(f"search: {e}")
    finally:
        conn.close()
    if args.json:
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    tty = out.isatty() if hasattr(out, "isatty") else False
    shown = len(result["results"])
    showing = f" (showing {args.offset + 1}-{args.offset + shown})" if shown else ""
    out.write(f"{result['total']} article{'' if result['total'] == 1 else 's'}{showing}\n")
    for n, r in enumerate(result["results"], start=args.offset + 1):
        out.write(f"\n{n}. {r['title'] or '(no title)'}  [{r['id']}]" + (f"  {r['published']}" if r["published"]
                                                                         else "") + "\n")
        if r["url"]:
            out.write(f"   {r['url']}\n")
        out.write(f"   {_plain(r['snippet'], tty)}\n")
    return 0


# ---------------------------------------------------------------------------
# stats


def add_stats(p: argparse.ArgumentParser) -> None:
    _db_arg(p)


def run_stats(args: argparse.Namespace, out: TextIO) -> int:
    from khabar.archive.queries import stats

    conn = _open_archive(args.db)
    if isinstance(conn, int):
        return conn
    try:
        s = stats(conn)
    finally:
        conn.close()
    if args.json:
        out.write(json.dumps(s, ensure_ascii=False) + "\n")
        return 0
    for name in ("documents", "entities", "quotes", "speakers", "agencies"):
        out.write(f"{name:16} {s[name]}\n")
    if s["first_published"]:
        out.write(f"{'published':16} {s['first_published']} .. {s['last_published']}\n")
    else:
        out.write(f"{'published':16} no dates\n")
    for label, count in s["entity_labels"].items():
        out.write(f"  {label:14} {count}\n")
    return 0


COMMANDS = {
    "ingest": (add_ingest, run_ingest, "analyze articles and store them in an SQLite archive"),
    "search": (add_search, run_search, "search an archive (ranked, with highlighted snippets)"),
    "stats": (add_stats, run_stats, "counts of documents, entities, quotations and speakers"),
}
EXTRA_COMMANDS.update(COMMANDS)
