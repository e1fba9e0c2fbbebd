"""Crash safety: `khabar ingest` killed with SIGKILL mid-run, then run again, stores every article once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 3000


def count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    words = ["خبر", "بازار", "تهران", "مجلس", "ورزش", "کتاب", "نشست", "بین‌المللی", "دولت", "مردم"]
    src = tmp_path / "in.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for i in range(N):
            text = " ".join(words[(i * 7 + k) % len(words)] for k in range(40)) + f" شماره {i}."
            f.write(json.dumps({"id": f"a{i}", "text": text, "title": f"خبر {i}"}, ensure_ascii=False) + "\n")
    db = tmp_path / "a.db"
    cmd = [sys.executable, "-m", "khabar.cli", "ingest", str(src), "--db", str(db), "--batch", "25", "--json",
           "--steps", "normalize"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        n = count(db)
        if n >= 100:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = n
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    proc.stdout.close()
    proc.stderr.close()
    assert killed_at is not None, "the ingest finished (or stalled) before it could be killed"
    assert proc.returncode == -signal.SIGKILL
    before = count(db)
    assert 100 <= before < N  # committed batches survived the kill; the run was not complete

    r = subprocess.run(cmd, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr.decode()
    summary = json.loads(r.stdout)
    assert summary["skipped"] == before and summary["stored"] == N - before and summary["updated"] == 0

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone() == (N, N)
    assert conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == N
    ids = {r[0] for r in conn.execute("SELECT id FROM documents")}
    assert ids == {f"a{i}" for i in range(N)}
