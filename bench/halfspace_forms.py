"""What a half-space model rebuild changed: the forms two commits' shipped models differ on, and, with
``--file``, the words ``khabar.normalize`` writes differently on a file with each model (today's code).

    .venv/bin/python bench/halfspace_forms.py ab3a352 53a410a                       # forms changed
    .venv/bin/python bench/halfspace_forms.py ab3a352 53a410a --file BIG --show 20  # ... and words of BIG

A commit whose run time changed as well (not only the model) needs its own tree for the second part:
``git archive REV src | tar -x -C /tmp/old`` with its C extensions built there, run with ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import pickle
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = "src/khabar/data/halfspace.pkl.gz"


def model_bytes(rev: str) -> bytes:
    return subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{MODEL}"], capture_output=True, check=True).stdout


def forms(blob: bytes) -> dict[str, str]:
    """The model's listed forms by skeleton."""
    listed = pickle.loads(gzip.decompress(blob))["forms"]
    return {f.replace("\u200c", ""): f for f in listed.split("\n")} if listed else {}


def normalized_words(blob: bytes, text: str) -> list[list[str]]:
    """``text`` normalized with this model, line by line, split into words."""
    from khabar.text import halfspace
    from khabar.text.normalizer import normalize

    restorer = halfspace.Restorer(halfspace.read_model(blob))
    halfspace.get_restorer = lambda: restorer  # type: ignore[assignment]
    return [line.split(" ") for line in normalize(text).split("\n")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--file", type=Path, help="also the words normalize writes differently on this file")
    ap.add_argument("--show", type=int, default=10, help="show this many of each (default 10)")
    args = ap.parse_args(argv)
    old, new = model_bytes(args.old), model_bytes(args.new)
    a, b = forms(old), forms(new)
    changed = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    print(f"forms: {len(a):,} -> {len(b):,}; {len(changed):,} skeletons listed differently")
    for k in changed[:args.show]:
        print(f"  {k}: {a.get(k, '(not listed)')} -> {b.get(k, '(not listed)')}")
    if args.file:
        text = args.file.read_text(encoding="utf-8")
        words: Counter[tuple[str, str]] = Counter()
        for x, y in zip(normalized_words(old, text), normalized_words(new, text), strict=True):
            if x != y:
                for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
                    if op != "equal":
                        words[(" ".join(x[i1:i2]), " ".join(y[j1:j2]))] += 1
        print(f"{args.file}: {words.total():,} words written differently")
        for (x, y), n in words.most_common(args.show):
            print(f"  {n:5d}  {x} -> {y}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
