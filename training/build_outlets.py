"""Learn the outlet names of source lines (src/khabar/data/outlets.txt) from the news in ../shared/data/news.

An outlet is a name of one or two words written after «به گزارش» or «به نقل از» and closed by a comma
(«به نقل از رویترز، ...») in at least MIN_COUNT places of the news outside the held-out set of
bench/quotes_heldout.jsonl.  khabar.attribution.source_line uses the list where a source line has no comma
after the outlet: «به نقل از رویترز تاکسین شیناوات ... گفت» keeps «رویترز» and leaves the person.

    python training/build_outlets.py [--news ../shared/data/news] [--out src/khabar/data/outlets.txt]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news"
OUT = ROOT / "src" / "khabar" / "data" / "outlets.txt"
HELDOUT = ROOT / "bench" / "quotes_heldout.jsonl"
MIN_COUNT = 2
MAX_WORDS = 2
FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "ۀ": "ه", "أ": "ا", "\u0640": None})
QUOTES = "«»\"“”'"
SOURCE = re.compile(r"(?:^|(?<=[\s.،]))به[ \u200c]+(?:نقل[ \u200c]+از|گزارش)[ \u200c]+([^،,:\n.؛]{2,40}?)[ \u200c]*[،,]")
# not a name: a reporter or a desk, a place phrase, a demonstrative, a word that ends a name
NOT_NAME = re.compile(r"(?:^|[ \u200c])(?:خبرنگار|گروه|سرویس|از|در|این|آن|همین|که|و|به|با)(?:[ \u200c]|$)")


def read_news(folder: Path, held: set[tuple[str, int]]) -> list[str]:
    texts = []
    for path in sorted(folder.glob("*.json")):
        for i, art in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if (path.name, i) in held:
                continue
            paras = [str(p) for p in art.get("paragraphs") or [] if p is not None]
            texts.append("\n\n".join(paras))
    return texts


def held_out(path: Path) -> set[tuple[str, int]]:
    if not path.is_file():
        return set()
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            out.add((g["file"], g["index"]))
    return out


def mine(texts: list[str]) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        for m in SOURCE.finditer(text.translate(FOLD)):
            name = "".join(ch for ch in m.group(1) if ch not in QUOTES)
            name = re.sub(r" +", " ", re.sub(r"\s*\u200c[\s\u200c]*", "\u200c", name)).strip(" \u200c")
            if name and len(name.split()) <= MAX_WORDS and not NOT_NAME.search(name) and not name[0].isdigit():
                counts[name] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.news.is_dir():
        print(f"build_outlets: no news folder at {args.news}", file=sys.stderr)
        return 2
    counts = mine(read_news(args.news, held_out(HELDOUT)))
    names = sorted(n for n, k in counts.items() if k >= MIN_COUNT)
    with args.out.open("w", encoding="utf-8") as f:
        f.write("# Outlet names seen after «به گزارش» / «به نقل از» closed by a comma at least "
                f"{MIN_COUNT} times in ../shared/data/news (held-out articles excluded).\n"
                "# Built by training/build_outlets.py (do not edit by hand).\n")
        f.writelines(n + "\n" for n in names)
    print(f"build_outlets: {len(names)} names -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
