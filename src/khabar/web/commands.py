"""The ``khabar serve`` subcommand."""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import TextIO

from khabar.cli import EXTRA_COMMANDS, int_in


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="FILE", help="the archive (opened read-only)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int_in(1, 65535), default=8000, help="port (default: 8000)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    db = Path(args.db)
    if not db.is_file():
        print(f"khabar: {db}: no such archive (build one with `khabar ingest PATH --db {db}`)", file=sys.stderr)
        return 2
    import sqlite3

    import uvicorn

    from khabar.archive.db import connect
    from khabar.archive.schema import SchemaError
    from khabar.web.app import create_app

    try:
        connect(str(db), readonly=True).close()
    except (SchemaError, sqlite3.DatabaseError) as e:
        print(f"khabar: {db}: cannot open as an archive: {e}", file=sys.stderr)
        return 2
    url = f"http://{f'[{args.host}]' if ':' in args.host else args.host}:{args.port}/"
    try:
        sock = listen(args.host, args.port)
    except OSError as e:  # the port in use, an address not of this machine: said before anything is announced
        print(f"khabar: cannot serve on {url}: {e.strerror or e}", file=sys.stderr)
        return 1
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"khabar: serving on {args.host}: pages and API are reachable from other machines", file=sys.stderr)
    print(f"khabar: serving {db} on {url} (Ctrl-C stops)", file=sys.stderr, flush=True)
    with sock:
        uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning")).run(sockets=[sock])
    return 0


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening (connections wait in its queue until the server takes
    them); OSError when it cannot be."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


EXTRA_COMMANDS["serve"] = (add_arguments, run, "the web pages and the HTTP API on 127.0.0.1")
