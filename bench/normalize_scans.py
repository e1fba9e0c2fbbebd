"""The normalizer's scans on a big file, one at a time, in process (best of ``--repeat``, milliseconds).

    .venv/bin/python bench/normalize_scans.py BIG [--repeat 5]

BIG: e.g. the 10.7 MB file bench/halfspace.py's ``build_big_file`` writes, read as it is.  Each line names
a scan of src/khabar/text/normalizer.py and what it finds:

- ``spacing_at``: fix_spacing's candidates, the C scan against the Python reference (same positions);
- fix_spacing's windows (the pieces of lines around those candidates) and the time of the rule's
  regexes over them (``_spacing_in_line`` by ``_by_line``);
- the digits rule's runs of digits, those not between white space (the ones it checks), and how many
  of them touch a protected span (those it puts back after its one-pass map);
- the wrong-half-space regex over the text;
- ``protected_spans`` against ``PROTECTED.finditer`` over the whole text (same spans).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

from khabar.text import normalizer as nz


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The least time of ``repeat`` calls (ms), and the last call's result."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1000, out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    r = args.repeat
    cfg = nz.DEFAULT_CONFIG
    print(f"C scans: {nz.ACCELERATED}")
    if nz.ACCELERATED:
        c_ms, at = best(lambda: nz._spacing_at_c(text), r)
        py_ms, at_py = best(lambda: nz._spacing_at_py(text), r)
        print(f"spacing_at: C {c_ms:.1f} ms, Python {py_ms:.1f} ms, {len(at):,} positions (same: {at == at_py})")
    windows = nz._spacing_windows(text)
    ms, _ = best(lambda: nz._by_line(text, windows, nz._spacing_in_line, cfg), r)
    print(f"fix_spacing: {len(windows):,} windows, their regexes {ms:.1f} ms")
    digits = nz._DIGITS_FOR[cfg.digits][0]
    runs = nz._touching_runs(text, digits)
    ms, kept = best(lambda: nz._protected_runs(text, runs), r)
    print(f"digits: {len(nz._runs(nz._positions_py(text, digits))):,} runs of digits, {len(runs):,} not between "
          f"white space (checked), {len(kept):,} touching a protected span (the check {ms:.1f} ms)")
    ms, found = best(lambda: list(nz._WRONG_ZWNJ_RE.finditer(text)), r)
    print(f"wrong half-spaces: the regex {ms:.1f} ms, {len(found):,} matches")
    ms, spans = best(lambda: nz.protected_spans(text), r)
    re_ms, re_spans = best(lambda: [m.span() for m in nz.PROTECTED.finditer(text)], r)
    print(f"protected_spans: {ms:.1f} ms, PROTECTED.finditer {re_ms:.1f} ms, {len(spans):,} spans "
          f"(same: {spans == re_spans})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
