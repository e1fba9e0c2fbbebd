"""A 50 MB file with one huge line: `khabar normalize` must finish in bounded memory.

Builds the file from the bundled example article (its lines joined by spaces, repeated), runs
`khabar normalize` on it as a child process and reports wall time, peak memory (max RSS of the
child) and that the output is one line too.

    .venv/bin/python bench/huge_line.py [--mb 50]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=50)
    args = ap.parse_args()
    text = " ".join((ROOT / "examples" / "tehran-metro.txt").read_text(encoding="utf-8").split("\n")) + " "
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "huge.txt", Path(tmp) / "out.txt"
        unit = text.encode("utf-8")
        with open(src, "wb") as f:
            for _ in range(args.mb * 2**20 // len(unit) + 1):
                f.write(unit)
        khabar = Path(sys.executable).parent / "khabar"
        t0 = time.perf_counter()
        with open(dst, "wb") as out:
            subprocess.run([str(khabar), "normalize", str(src)], stdout=out, check=True)
        wall = time.perf_counter() - t0
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with open(dst, "rb") as f:
            newlines = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
        print(f"| input | {src.stat().st_size / 2**20:.0f} MB, 1 line | output lines | {newlines} | "
              f"wall | {wall:.1f} s | peak memory | {peak_mb:.0f} MB |")


if __name__ == "__main__":
    main()
