"""Where the half-space rule's time goes on the speed-bench file (docs/benchmarks.md "Normalize speed").

The text is the 10.7 MB file of ``bench/halfspace.py --no-accuracy``, cut into blocks of whole lines
(about 0.9 MB, as the CLI reads it) and cleaned by every rule but the half-space one; then a new
restorer runs ``Restorer.edits`` on the first ``--blocks`` blocks, ``--passes`` times (the first pass
cold: every token, cluster and pair seen for the first time; the later ones warm, all caches full).
CPU times move with the machine's load; for counts that do not, run it under cachegrind and subtract
the ``--blocks 0`` run (start-up and model load):

    .venv/bin/python bench/halfspace_cost.py                      # CPU seconds, cold and warm pass
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        .venv/bin/python bench/halfspace_cost.py --blocks 12      # instructions (I refs)

``Restorer.edits`` takes the C run loops (khabar.text._halfspace) when they were built; ``--python``
runs the pure-Python path (``Restorer.edits_py``) instead, for the same figures of both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from halfspace import DATA, build_big_file  # noqa: E402  (bench/halfspace.py)

from khabar.text import halfspace  # noqa: E402
from khabar.text.normalizer import normalize  # noqa: E402

BLOCK_CHARS = 500_000


def blocks_before_halfspace() -> list[str]:
    """The bench file in blocks of whole lines, normalized by every rule but the half-space one."""
    with tempfile.TemporaryDirectory() as tmp:
        text = build_big_file(Path(tmp)).read_text(encoding="utf-8")
    out: list[str] = []
    cur: list[str] = []
    size = 0
    for line in text.split("\n"):
        cur.append(line)
        size += len(line)
        if size > BLOCK_CHARS:
            out.append("\n".join(cur))
            cur, size = [], 0
    out.append("\n".join(cur))
    return [normalize(b, halfspace=False) for b in out]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--blocks", type=int, default=12, help="blocks to run (0: start-up and model load only)")
    ap.add_argument("--passes", type=int, default=2, help="passes over the blocks (the first one cold)")
    ap.add_argument("--python", action="store_true", help="the pure-Python path even where the C one is built")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    blocks = blocks_before_halfspace()[:args.blocks]
    t = time.process_time()
    restorer = halfspace.get_restorer()
    print(f"model load and restorer: {time.process_time() - t:.2f} s CPU")
    tokens = sum(len(toks) for b in blocks for _, toks in halfspace.iter_runs(b))
    print(f"{len(blocks)} blocks, {sum(map(len, blocks)):,} characters, {tokens:,} tokens in runs")
    edits = restorer.edits_py if args.python else restorer.edits
    print("path:", "pure Python" if args.python or not halfspace.ACCELERATED else "C run loops")
    for p in range(args.passes if blocks else 0):
        t = time.process_time()
        n = sum(len(edits(b)) for b in blocks)
        print(f"pass {p + 1} ({'cold' if p == 0 else 'warm'}): {time.process_time() - t:.2f} s CPU, {n:,} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
