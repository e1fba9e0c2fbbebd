"""Build src/khabar/data/abbreviations.txt: dotted abbreviations the segmenter keeps whole.

Reads hazm's abbreviation list (../shared/data/lexicons/hazm-abbreviations.dat, MIT, roshan-research/hazm)
and adds khabar's own Persian and Latin entries.  Only entries that contain a full stop are kept
(parenthesised honorifics such as «(ع)» are three tokens in UD and need no special case), each in the
form with its final full stop.  Usage::

    python training/build_abbreviations.py [--shared ../shared/data] [-o src/khabar/data/abbreviations.txt]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# khabar's own entries (not from hazm): Persian bibliographic and title abbreviations, Latin ones.
OWN = """
ج. ص. صص. ر.ک. ن.ک. ه.ش. ه.ق. ق.م. م. ش. ق. د.
Mr. Mrs. Ms. Dr. Prof. Sr. Jr. St. Mt. Ft. Gen. Gov. Sen. Rep. Lt. Col. Capt. Sgt. Adm. Rev. Hon.
Inc. Ltd. Co. Corp. Bros. No. Nos. Vol. vol. pp. p. ed. eds. vs. etc. e.g. i.e. cf. al. approx. est.
Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.
U.S. U.K. U.N. E.U. U.S.A.
"""


def build(hazm_path: Path) -> list[str]:
    entries: set[str] = set()
    for line in hazm_path.read_text(encoding="utf-8").splitlines():
        word = line.strip()
        if not word or " " in word or "." not in word or word.startswith("("):
            continue
        entries.add(word if word.endswith(".") else word + ".")
    for word in OWN.split():
        if word.endswith("."):
            entries.add(word)
    return sorted(entries, key=lambda w: (-len(w), w))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "src" / "khabar" / "data" / "abbreviations.txt")
    args = parser.parse_args(argv)
    source = args.shared / "lexicons" / "hazm-abbreviations.dat"
    if not source.is_file():
        print(f"build_abbreviations: {source}: not found (needs ../shared/data)", file=sys.stderr)
        return 1
    entries = build(source)
    header = ("# Dotted abbreviations kept as one token and never ending a sentence (one a line).\n"
              "# Built by training/build_abbreviations.py from hazm's abbreviations.dat (MIT licence,\n"
              "# Copyright (c) roshan-research/hazm) plus khabar's own entries.  Do not edit by hand.\n")
    args.output.write_text(header + "\n".join(entries) + "\n", encoding="utf-8")
    licence = args.output.with_name("abbreviations.hazm-LICENSE")
    licence.write_bytes((args.shared / "lexicons" / "hazm-LICENSE").read_bytes())
    print(f"wrote {len(entries)} abbreviations to {args.output} (hazm's MIT licence beside it: {licence.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
