"""Load on `khabar serve`: searches, search pages and article pages, 16 at a time.

Starts `khabar serve` as its own process on 127.0.0.1 (a free port) over an archive, then sends
requests from 16 client threads and reports requests per second and latency percentiles for
each kind of request.  Not run in CI.

    .venv/bin/khabar ingest ../shared/data/news/fars-news-1.json --db /tmp/fars.db
    .venv/bin/python bench/web.py --db /tmp/fars.db --requests 600
"""

from __future__ import annotations

import argparse
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

QUERIES = ["ایران", "آمریکا", "رهبر انقلاب", "مجلس شورای اسلامی", '"وزیر امور خارجه"', "تحریم -آمریکا",
           "بین‌المللی", "بين المللي", "اقتصاد مقاومتی", "(((", '"', "NEAR(", "a" * 300]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--requests", type=int, default=600)
    p.add_argument("--workers", type=int, default=16)
    args = p.parse_args(argv)

    ids = [r[0] for r in sqlite3.connect(args.db).execute("SELECT id FROM documents")]
    port = free_port()
    khabar = Path(sys.executable).with_name("khabar")
    server = subprocess.Popen([str(khabar), "serve", "--db", args.db, "--port", str(port)],
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/stats", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        rng = random.Random(0)
        kinds = ["api_search", "search_page", "article_page"]
        plan = [(kinds[i % 3], rng.choice(QUERIES), rng.choice(ids)) for i in range(args.requests)]
        local = threading.local()
        times: dict[str, list[float]] = {k: [] for k in kinds}
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def one(item: tuple[str, str, str]) -> None:
            kind, q, doc_id = item
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=60)
            url = {"api_search": "/api/search", "search_page": "/", "article_page": "/documents/" + quote(doc_id)}[kind]
            params = {"q": q} if kind != "article_page" else None
            t = time.perf_counter()
            r = local.client.get(url, params=params)
            dt = time.perf_counter() - t
            with lock:
                times[kind].append(dt)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(one, plan))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)

    print(f"archive: {len(ids)} articles; {args.requests} requests, {args.workers} at a time, "
          f"{wall:.1f} s: {args.requests / wall:.0f} requests/s; statuses {dict(sorted(statuses.items()))}")
    for kind, ts in times.items():
        ts.sort()
        p95 = ts[int(0.95 * (len(ts) - 1))]
        print(f"  {kind:13s} n={len(ts):4d}  median {statistics.median(ts) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms")
    return 0 if set(statuses) <= {200, 400} else 1


if __name__ == "__main__":
    sys.exit(main())
