"""Ingest: read inputs, analyze each article with the pipeline, store it.

Every article is stored exactly once, under its id (given, or a hash of its text).
A re-run skips an article whose input (text, meta) and pipeline are unchanged,
re-analyzes and updates one that changed, and reports every input it cannot
store as ``PATH:LINE: reason``.  An input with the id of an article stored by
another input (the same text under another title, or a given id met twice in a
run) is a duplicate: reported, not stored, so the first stays and a re-run
settles (nothing updated).  Writes go in batches, each one transaction, on
a WAL journal: a run killed at any moment leaves a consistent archive, and
running it again completes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from khabar.archive.db import connect
from khabar.archive.fold import fold, key
from khabar.attribution import PRONOUNS
from khabar.dates import parse_date
from khabar.document import SCHEMA, Document, content_id
from khabar.io import STDIN, InputDoc, InputError, InputSkipped, expand_paths, read_inputs
from khabar.pipeline import Pipeline

Report = Callable[[str], None]


@dataclass
class IngestSummary:
    stored: int = 0
    skipped: int = 0
    updated: int = 0
    rejected: int = 0
    duplicates: int = 0  # inputs with the id of an article another input stored, with other fields (reported)
    not_inputs: int = 0  # files met in a folder that are not inputs by their names (reported, not read)
    warnings: int = 0
    seconds: float = 0.0
    analyze_seconds: float = 0.0  # pipeline, to_dict and JSON: what `khabar analyze` does besides reading
    store_seconds: float = 0.0  # lookups, writes and commits: what storing adds

    def line(self) -> str:
        return (f"stored {self.stored}, skipped {self.skipped}, updated {self.updated}, "
                f"rejected {self.rejected}" + (f", duplicates {self.duplicates}" if self.duplicates else "")
                + (f", not read {self.not_inputs}" if self.not_inputs else "")
                + f" ({self.seconds:.1f} s)")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def input_hash(text: str, meta: dict[str, Any], pipeline: Pipeline) -> str:
    """What decides "unchanged": the input text, its meta, and the pipeline that analyzes it."""
    payload = json.dumps([SCHEMA, pipeline.names, text, sorted(meta.items())], ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class Store:
    """Writes analyzed documents into an open archive (inside the caller's transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._speakers: dict[str, int] = {}
        self._agencies: set[str] = set()

    def find(self, doc_id: str) -> tuple[int, str, str | None, int | None] | None:
        """The stored article ``doc_id``: its row number, input hash, and the path and line it came from."""
        row = self.conn.execute("SELECT doc, input_hash, source_path, source_line FROM documents WHERE id = ?",
                                (doc_id,)).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def speaker_id(self, name: str) -> int | None:
        k = key(name)
        if not k:
            return None
        found = self._speakers.get(k)
        if found is None:
            self.conn.execute("INSERT INTO speakers (name, key) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                              (" ".join(name.split()), k))
            found = self.conn.execute("SELECT speaker FROM speakers WHERE key = ?", (k,)).fetchone()[0]
            self._speakers[k] = found
        return found

    def put(self, doc: Document, digest: str, path: str | None = None, line: int | None = None,
            replace: int | None = None, d: dict[str, Any] | None = None, js: str | None = None) -> int:
        """Store ``doc``; with ``replace`` (a documents.doc number), overwrite that row.

        ``d`` and ``js`` are ``doc.to_dict()`` and its JSON, when the caller has them already.
        """
        d = d if d is not None else doc.to_dict()
        meta = d["meta"]
        source = d.get("source") or {}
        agency = meta.get("agency") or source.get("agency")
        title = meta.get("title")
        published = parse_date(meta["published"]) if isinstance(meta.get("published"), str) else None
        agency_key = key(agency) if agency else None
        row = (d["id"], title, meta.get("url"), published, agency, agency_key, source.get("reporter"),
               len(doc.text), digest, path, line, datetime.now(UTC).isoformat(timespec="seconds"))
        data = (doc.text, js if js is not None else json.dumps(d, ensure_ascii=False, separators=(",", ":")))
        conn = self.conn
        if replace is None:
            cur = conn.execute(
                "INSERT INTO documents (id, title, url, published, agency, agency_key, reporter, chars, "
                "input_hash, source_path, source_line, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", row)
            num = int(cur.lastrowid)  # type: ignore[arg-type]
            conn.execute("INSERT INTO document_texts (doc, text, json) VALUES (?, ?, ?)", (num, *data))
        else:
            num = replace
            conn.execute("DELETE FROM entities WHERE doc = ?", (num,))
            conn.execute("DELETE FROM quotes WHERE doc = ?", (num,))
            conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (num,))
            conn.execute(
                "UPDATE documents SET id=?, title=?, url=?, published=?, agency=?, agency_key=?, reporter=?, "
                "chars=?, input_hash=?, source_path=?, source_line=?, ingested_at=? WHERE doc=?", (*row, num))
            conn.execute("UPDATE document_texts SET text = ?, json = ? WHERE doc = ?", (*data, num))
        if agency_key and agency_key not in self._agencies:
            conn.execute("INSERT INTO agencies (key, name) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                         (agency_key, " ".join(agency.split())))
            self._agencies.add(agency_key)
        entities = d.get("entities") or []
        if entities:
            conn.executemany(
                "INSERT INTO entities (doc, n, label, text, key, start, end) VALUES (?,?,?,?,?,?,?)",
                [(num, i, e["label"], e["text"], key(e["text"]), e["start"], e["end"]) for i, e in enumerate(entities)])
        quotes = d.get("quotes") or []
        quote_names: list[tuple[str | None]] = []
        if quotes:
            rows = []
            for i, q in enumerate(quotes):
                sp = q.get("speaker") or {}
                mention = (sp.get("mention") or {}).get("text")
                name = sp.get("name")
                ent = sp.get("entity")
                if not name and isinstance(ent, int) and 0 <= ent < len(entities):
                    name = entities[ent]["text"]
                # an unresolved mention names the speaker, unless it is a pronoun («وی», «او»: nobody to list)
                name = name or (mention if mention not in PRONOUNS else None)
                quote_names.append((name,))
                cue = q.get("cue")
                rows.append((num, i, q["kind"], q["content"]["text"], q["content"]["start"], q["content"]["end"],
                             cue["text"] if cue else None, self.speaker_id(name) if name else None, mention,
                             ent if isinstance(ent, int) else None))
            conn.executemany(
                "INSERT INTO quotes (doc, n, kind, content, content_start, content_end, cue, speaker, speaker_text, "
                "entity) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        speaker_keys = [key(n) for (n,) in quote_names if n]
        conn.execute(
            "INSERT INTO documents_fts (rowid, title, body, agency, speakers, entities, dates) VALUES (?,?,?,?,?,?,?)",
            (num, fold(title) if isinstance(title, str) else "", fold(doc.text), agency_key or "",
             _marked(speaker_keys), _marked(key(e["text"]) for e in entities), date_tokens(published)))
        return num

    def drop_orphan_speakers(self) -> None:
        self.conn.execute("DELETE FROM speakers WHERE speaker NOT IN "
                          "(SELECT speaker FROM quotes WHERE speaker IS NOT NULL)")
        self._speakers.clear()


MARK = "qqs"  # separates names in the speakers and entities columns of documents_fts


def _marked(keys: Iterable[str]) -> str:
    """``qqs a b qqs c qqs``: names apart, so a phrase never spans two names; ``qqs k qqs`` is exactly ``k``."""
    seen = list(dict.fromkeys(k for k in keys if k))
    return f"{MARK} " + f" {MARK} ".join(seen) + f" {MARK}" if seen else ""


def date_tokens(iso: str | None) -> str:
    """``2023-08-26`` -> ``y2023 m202308 d20230826`` (what date filters match in documents_fts)."""
    if not iso or len(iso) != 10:
        return ""
    y, m, d = iso[:4], iso[5:7], iso[8:10]
    return f"y{y} m{y}{m} d{y}{m}{d}"


def _same_source(stored_path: str | None, stored_line: int | None, path: str, line: int) -> bool:
    """Whether the article stored from ``stored_path:stored_line`` came from the input at ``path:line``
    (the same file however it was named: ``./a.json``, ``a.json``, its absolute path)."""
    if stored_path is None or stored_line != line:
        return False
    if os.path.normpath(stored_path) == os.path.normpath(path):
        return True
    try:
        return path != STDIN and os.path.samefile(stored_path, path)
    except OSError:
        return False


def _prepare(item: InputDoc, report: Report) -> tuple[str | None, dict[str, Any]]:
    for warning in item.warnings:  # (a date the reader could not read: kept as meta.published_raw)
        report(f"{item.path}:{item.line}: {warning}")
    meta = dict(item.meta)
    given = meta.pop("id", None)
    return (str(given) if given is not None else None), meta


def ingest_paths(db: str | sqlite3.Connection, paths: Iterable[str], *, fmt: str = "auto", errors: str = "strict",
                 pipeline: Pipeline | None = None, batch: int = 200, report: Report | None = None,
                 progress: bool = False) -> IngestSummary:
    """Analyze and store every article in ``paths`` (files, folders, ``-``); report rejects via ``report``."""
    report = report or (lambda message: None)
    pipeline = pipeline or Pipeline()
    conn = connect(db) if isinstance(db, str) else db
    conn.execute("PRAGMA wal_autocheckpoint = 8192")  # checkpoint (and sync) every 32 MiB, not every 4
    store = Store(conn)
    summary = IngestSummary()
    started = time.perf_counter()
    files = list(expand_paths(list(paths) or [STDIN]))
    bar = _Progress(sum(isinstance(f, str) for f in files), report) if progress else None
    pending = 0
    last_commit = time.monotonic()
    seen: set[str] = set()  # the ids this run stored, updated or found unchanged

    say = bar.print if bar else report

    def warn(message: str) -> None:
        summary.warnings += 1
        say(message)
    try:
        for path in files:
            if isinstance(path, InputError):  # a file passed over, or a folder that cannot be listed
                if isinstance(path, InputSkipped):
                    summary.not_inputs += 1
                else:
                    summary.rejected += 1
                say(str(path))
                continue
            for item in read_inputs([path], fmt, errors):
                if isinstance(item, InputError):
                    summary.rejected += 1
                    say(str(item))
                    continue
                t0 = time.perf_counter()
                given, meta = _prepare(item, warn)
                doc_id = given or content_id(item.text)
                digest = input_hash(item.text, meta, pipeline)
                found = store.find(doc_id)
                t1 = time.perf_counter()
                summary.store_seconds += t1 - t0
                if found and found[1] == digest:
                    summary.skipped += 1
                    seen.add(doc_id)
                    continue
                if found and (doc_id in seen or (given is None and not _same_source(found[2], found[3], item.path,
                                                                                   item.line))):
                    # another input's article: the first one stays (replacing it would flip-flop on every run)
                    summary.duplicates += 1
                    same = "id" if given is not None else "text"
                    say(f"{item.path}:{item.line}: duplicate: the same {same} as the article stored from "
                        f"{found[2]}:{found[3]} (id {doc_id}), with other fields; not stored")
                    continue
                try:
                    doc = pipeline(item.text, meta=meta, id=doc_id)
                    d = doc.to_dict()
                    js = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
                except Exception as e:  # a step failing on one article must not stop the batch
                    summary.rejected += 1
                    say(f"{item.path}:{item.line}: analysis failed: "
                                                   f"{type(e).__name__}: {e}")
                    continue
                t2 = time.perf_counter()
                summary.analyze_seconds += t2 - t1
                if not pending:
                    conn.execute("BEGIN IMMEDIATE")
                store.put(doc, digest, item.path, item.line, replace=found[0] if found else None, d=d, js=js)
                seen.add(doc_id)
                pending += 1
                if found:
                    summary.updated += 1
                else:
                    summary.stored += 1
                if pending >= batch or time.monotonic() - last_commit > 2.0:
                    conn.execute("COMMIT")
                    pending = 0
                    last_commit = time.monotonic()
                summary.store_seconds += time.perf_counter() - t2
                if bar:
                    bar.articles(summary)
            if bar:
                bar.file_done(summary)
        if pending:
            t = time.perf_counter()
            conn.execute("COMMIT")
            pending = 0
            summary.store_seconds += time.perf_counter() - t
        if summary.updated:
            conn.execute("BEGIN IMMEDIATE")
            store.drop_orphan_speakers()
            conn.execute("COMMIT")
    finally:
        if pending:
            conn.execute("ROLLBACK")
        if bar:
            bar.close()
        if isinstance(db, str):
            conn.close()
    summary.seconds = time.perf_counter() - started
    return summary


class _Progress:
    """A rich progress bar over files (only used on a terminal)."""

    def __init__(self, files: int, report: Report) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                                 TextColumn("{task.fields[articles]}"), TimeElapsedColumn(),
                                 console=self.console, transient=True)
        self.task = self.progress.add_task("ingest", total=files, articles="")
        self.progress.start()
        self._last = 0.0

    def print(self, message: str) -> None:
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def articles(self, s: IngestSummary) -> None:
        now = time.monotonic()
        if now - self._last > 0.2:
            self._last = now
            self.progress.update(self.task, articles=f"{s.stored + s.updated} stored, {s.skipped} skipped, "
                                                     f"{s.rejected} rejected")

    def file_done(self, s: IngestSummary) -> None:
        self.progress.advance(self.task)
        self._last = 0.0
        self.articles(s)

    def close(self) -> None:
        self.progress.stop()
