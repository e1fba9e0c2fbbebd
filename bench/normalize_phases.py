"""Where `khabar normalize`'s time goes, phase by phase, in one process (CPU seconds).

    .venv/bin/python bench/normalize_phases.py FILE [--passes 3]

FILE: e.g. the 10.7 MB file bench/halfspace.py's ``build_big_file`` writes.  Phases: imports; reading
the file; every normalizer rule but the half-space one (``NormalizerConfig(halfspace=False)``, the
whole text at once); loading the half-space model and building its restorer; then the half-space
rule's edits on that text, read ``--passes`` times by the same restorer (the first pass cold, the later
ones with every token, cluster and gap pair already seen: the difference is the cost of first sight).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

_t0 = time.process_time()

from khabar.text import halfspace  # noqa: E402
from khabar.text.normalizer import NormalizerConfig, normalize  # noqa: E402

_IMPORTS = time.process_time() - _t0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--passes", type=int, default=3)
    args = ap.parse_args(argv)
    t = time.process_time()
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    read = time.process_time() - t
    t = time.process_time()
    ruled = normalize(text, config=NormalizerConfig(halfspace=False))
    rules = time.process_time() - t
    t = time.process_time()
    restorer = halfspace.get_restorer()
    load = time.process_time() - t
    print(f"imports {_IMPORTS:.2f} s, read {read:.2f} s, other rules {rules:.2f} s, "
          f"model load + restorer {load:.2f} s (C path: {halfspace.ACCELERATED})")
    for k in range(args.passes):
        t = time.process_time()
        edits = restorer.edits(ruled)
        print(f"half-space pass {k + 1}: {time.process_time() - t:.2f} s ({len(edits)} edits)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
