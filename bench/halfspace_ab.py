"""The half-space rule's C path measured in process: builds against each other, first-sight counts, collector.

    .venv/bin/python bench/halfspace_ab.py time BIG OLD.so NEW.so [--runs 5]   # builds side by side
    .venv/bin/python bench/halfspace_ab.py count BIG                              # what first sight asks Python
    .venv/bin/python bench/halfspace_ab.py gc BIG                                 # collector time in khabar normalize
    .venv/bin/python bench/halfspace_ab.py same [--articles 400]                  # C path = Python path on news

BIG: e.g. the 10.7 MB file bench/halfspace.py's ``build_big_file`` writes.

``time``: each build of the extension (``-`` for the one installed) is loaded as
``khabar.text._halfspace`` in a fresh child process, which runs the half-space rule over BIG (the other
rules applied first) twice with one restorer: cold (first sight of every token) and warm.  The builds
take turns ``--runs`` times (a shared machine drifts between runs); min and median CPU seconds per build.
A build of another source: ``gcc <sysconfig's CFLAGS> -fPIC -shared -I<python include> FILE.c -o X.so``
(its context layout must be the installed halfspace.py's: the same from 7da59cd on).

``count``: the distinct tokens and candidate words of BIG's first sight, how many of them the C path
asked Python (``Restorer.token_info``, ``Restorer.candidate``) and the CPU time those calls took, and of the language model's bigram
questions on its first 3 MB (pure-Python path) how many ask for a bigram the model does not have.

``same``: the C path's edits (``Restorer.edits_c``) against the pure-Python path's (``edits_py``, a second
restorer) on the first ``--articles`` articles of two news files of ../shared/data (Fars and Varzesh3), each as
is, with every ZWNJ taken out and with every ZWNJ a space: how many texts differ, and the edits in all.

``gc``: the cyclic collector's time (``gc.callbacks``) in ``khabar normalize BIG``, run in a fresh process
as a caller would (``main``) and as the command does (``main(own_process=True)``: the model frozen).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

CHILD = """
import importlib.machinery, importlib.util, sys, time
so, path = sys.argv[1], sys.argv[2]
from khabar.text import halfspace
if so != "-":
    loader = importlib.machinery.ExtensionFileLoader("khabar.text._halfspace", so)
    spec = importlib.util.spec_from_file_location("khabar.text._halfspace", so, loader=loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    halfspace._halfspace = mod
from khabar.text.normalizer import NormalizerConfig, normalize
ruled = normalize(open(path, encoding="utf-8").read(), config=NormalizerConfig(halfspace=False))
r = halfspace.Restorer(halfspace.load_model())
r._memo = halfspace._halfspace.memo()
t = time.process_time(); cold = r.edits_c(ruled); t1 = time.process_time()
warm = r.edits_c(ruled); t2 = time.process_time()
assert cold == warm
print(t1 - t, t2 - t1, len(cold))
"""


def cmd_time(path: str, builds: Sequence[str], runs: int) -> None:
    results: dict[str, list[tuple[float, float]]] = {b: [] for b in builds}
    edits = set()
    for _ in range(runs):
        for b in builds:
            out = subprocess.run([sys.executable, "-c", CHILD, b, path], check=True, capture_output=True, text=True)
            cold, warm, n = out.stdout.split()
            results[b].append((float(cold), float(warm)))
            edits.add(n)
    print(f"edits per build: {', '.join(sorted(edits))} (one number: the builds agree on the count)")
    print("| build | cold min | cold median | warm min | warm median |")
    print("|---|---:|---:|---:|---:|")
    for b, rs in results.items():
        c, w = [x for x, _ in rs], [y for _, y in rs]
        print(f"| {b} | {min(c):.3f} | {statistics.median(c):.3f} | {min(w):.3f} | {statistics.median(w):.3f} |")


def cmd_count(path: str) -> None:
    from khabar.text import halfspace
    from khabar.text.normalizer import NormalizerConfig, normalize

    ruled = normalize(open(path, encoding="utf-8").read(), config=NormalizerConfig(halfspace=False))
    r = halfspace.Restorer(halfspace.load_model())
    asked = {"token_info": 0, "candidate": 0}
    inside = [0, 0.0]  # calls under way (a token_info's own candidate calls are inside it), seconds in them

    def counting(name: str) -> Callable[[Any], Any]:
        method = getattr(r, name)

        def call(arg: Any) -> Any:
            asked[name] += 1
            inside[0] += 1
            t = time.process_time()
            try:
                return method(arg)
            finally:
                inside[0] -= 1
                if not inside[0]:
                    inside[1] += time.process_time() - t
        return call

    for name in asked:
        setattr(r, name, counting(name))  # the C path calls the restorer's attributes (_accel_ctx)
    t = time.process_time()
    r.edits_c(ruled)
    spent = time.process_time() - t
    print(f"distinct tokens {len(r._tok_cache):,}, Python token_info {asked['token_info']:,}; "
          f"candidate words {len(r._cand_cache):,}, Python candidate {asked['candidate']:,} "
          f"(every call, token_info's own included); the rule cold {spent:.2f} s, "
          f"{inside[1]:.2f} s of it in these Python calls (CPU time)")

    m = r.m
    bigram = {"asked": 0, "absent": 0}
    py = halfspace.Restorer(m)
    plain = py.cond_lp

    def cond_lp(w: str, w_lp: float, v: str) -> float:
        if v in m.ctx:
            bigram["asked"] += 1
            bigram["absent"] += (v + " " + w) not in m.bi
        return plain(w, w_lp, v)

    py.cond_lp = cond_lp  # type: ignore[method-assign]
    py.edits_py(ruled[:3_000_000])
    print(f"bigram questions on the first 3 MB: {bigram['asked']:,}, for a bigram the model does not have: "
          f"{bigram['absent']:,} ({bigram['absent'] / max(1, bigram['asked']):.0%})")


GC_CHILD = """
import gc, os, sys, tempfile, time
from khabar.cli import main
spent, start = [0.0], [0.0]
def callback(phase, info):
    if phase == "start":
        start[0] = time.perf_counter()
    else:
        spent[0] += time.perf_counter() - start[0]
gc.callbacks.append(callback)
with tempfile.TemporaryDirectory() as tmp:
    main(["normalize", sys.argv[1], "-o", os.path.join(tmp, "out.txt")], own_process=sys.argv[2] == "1")
print(f"{spent[0]:.3f}")
"""


def cmd_gc(path: str) -> None:
    for own in (False, True):  # each in a fresh process: the model's load is part of what is measured
        out = subprocess.run([sys.executable, "-c", GC_CHILD, path, str(int(own))], check=True,
                             capture_output=True, text=True)
        print(f"main(own_process={own}): collector {out.stdout.strip()} s")


def cmd_same(articles: int) -> int:
    import json
    from pathlib import Path

    from khabar.text import halfspace

    news = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news"
    texts = []
    for name in ("fars-news-2.json", "varzesh3-1.json"):
        for a in json.loads((news / name).read_text(encoding="utf-8")):
            texts.append("\n".join([a.get("title") or "", a.get("abstract") or "", *(a.get("paragraphs") or [])]))
    texts = texts[:articles]
    c_path, py_path = halfspace.Restorer(halfspace.load_model()), halfspace.Restorer(halfspace.load_model())
    differ = edits = 0
    for t in texts:
        for variant in (t, t.replace("\u200c", ""), t.replace("\u200c", " ")):
            a = c_path.edits_c(variant)
            differ += a != py_path.edits_py(variant)
            edits += len(a)
    print(f"{len(texts)} articles x 3 (as is, joined, spaced): {differ} differ; {edits:,} edits")
    return 1 if differ else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("time")
    t.add_argument("file")
    t.add_argument("builds", nargs="+")
    t.add_argument("--runs", type=int, default=5)
    sub.add_parser("count").add_argument("file")
    sub.add_parser("gc").add_argument("file")
    sub.add_parser("same").add_argument("--articles", type=int, default=400)
    args = ap.parse_args(argv)
    if args.cmd == "same":
        return cmd_same(args.articles)
    if args.cmd == "time":
        cmd_time(args.file, args.builds, args.runs)
    elif args.cmd == "count":
        cmd_count(args.file)
    else:
        cmd_gc(args.file)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
