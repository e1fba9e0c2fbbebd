"""Learn the outlet names of source lines (src/khabar/data/outlets.txt) from the news in ../shared/data/news.

An outlet is a name of one or two words written after «به گزارش» or «به نقل از» and closed by a comma
(«به نقل از رویترز، ...») in at least MIN_COUNT places of the news outside the held-out set of
bench/quotes_heldout.jsonl.  khabar.attribution.source_line uses the list where a source line has no comma
after the outlet: «به نقل از رویترز تاکسین شیناوات ... گفت» keeps «رویترز» and leaves the person.

    python training/build_outlets.py [--news ../shared/data/news] [--out src/khabar/data/outlets.txt]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from khabar.attribution.corpus import annotated, news_articles
from khabar.attribution.speakers import fold
from khabar.text.chars import LETTER_MAP

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news"
OUT = ROOT / "src" / "khabar" / "data" / "outlets.txt"
HELDOUT = ROOT / "bench" / "quotes_heldout.jsonl"
MIN_COUNT = 2
MAX_WORDS = 2
QUOTES = "«»\"“”'"
LETTERS = str.maketrans(LETTER_MAP)  # the normalizer's Arabic -> Persian letters, for the spelling written out
SOURCE = re.compile(r"(?:^|(?<=[\s.،]))به[ \u200c]+(?:نقل[ \u200c]+از|گزارش)[ \u200c]+([^،,:\n.؛]{2,40}?)[ \u200c]*[،,]")
# not a name: a reporter or a desk, a place phrase, a demonstrative, a word that ends a name
NOT_NAME = re.compile(r"(?:^|[ \u200c])(?:خبرنگار|گروه|سرویس|از|در|این|آن|همین|که|و|به|با)(?:[ \u200c]|$)")


def mine(texts: Iterable[str]) -> dict[str, Counter]:
    """The outlet names written after «به گزارش» / «به نقل از» and a comma: their spellings, by the key
    (khabar.attribution.speakers.fold) source_line.outlets() compares them with."""
    spellings: dict[str, Counter] = {}
    for text in texts:
        for m in SOURCE.finditer(text):
            name = "".join(ch for ch in m.group(1) if ch not in QUOTES).translate(LETTERS)
            name = re.sub(r" +", " ", re.sub(r"\s*\u200c[\s\u200c]*", "\u200c", name)).strip(" \u200c")
            if name and len(name.split()) <= MAX_WORDS and not NOT_NAME.search(name) and not name[0].isdigit():
                spellings.setdefault(fold(name), Counter())[name] += 1
    return spellings


def frequent(spellings: dict[str, Counter], min_count: int = MIN_COUNT) -> list[str]:
    """The most common spelling of every name seen at least ``min_count`` times (all spellings together)."""
    return sorted(c.most_common(1)[0][0] for c in spellings.values() if sum(c.values()) >= min_count)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.news.is_dir():
        print(f"build_outlets: no news folder at {args.news}", file=sys.stderr)
        return 2
    names = frequent(mine(text for _, _, text in news_articles(args.news, annotated(HELDOUT))))
    with args.out.open("w", encoding="utf-8") as f:
        f.write("# Outlet names seen after «به گزارش» / «به نقل از» closed by a comma at least "
                f"{MIN_COUNT} times in ../shared/data/news (held-out articles excluded).\n"
                "# Built by training/build_outlets.py (do not edit by hand).\n")
        f.writelines(n + "\n" for n in names)
    print(f"build_outlets: {len(names)} names -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
