"""What attribution says of every news article outside the held-out set: one JSON line per article, to
compare two trees ("N articles change over all news" in docs/benchmarks.md).

    .venv/bin/python bench/quotes_dump.py > /tmp/after.jsonl [--entities] [--skip bench/quotes_dev_b18.jsonl]
    git worktree add /tmp/before REV
    PYTHONPATH=/tmp/before/src .venv/bin/python bench/quotes_dump.py > /tmp/before.jsonl
    .venv/bin/python bench/quotes_dump.py --compare /tmp/before.jsonl /tmp/after.jsonl

Each line: file, index, the predicted quotations (kind, raw content span, speaker, mention) and the source
line.  ``--compare`` counts the articles, quotations and speakers that differ and prints the articles.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quotes import NEWS, ROOT, predict  # noqa: E402

from khabar.attribution.corpus import annotated, news_articles  # noqa: E402
from khabar.pipeline import Pipeline  # noqa: E402


def dump(news: Path, entities: bool, skip: set[tuple[str, int]]) -> None:
    steps = ["normalize", "segment", *(["entities"] if entities else []), "attribution"]
    pipe = Pipeline(steps)
    for name, index, text in news_articles(news, annotated(ROOT / "bench" / "quotes_heldout.jsonl") | skip):
        quotes, source = predict(pipe, text) if text.strip() else ([], {})
        print(json.dumps({"file": name, "index": index, "quotes": quotes, "source": source}, ensure_ascii=False))


def compare(before: Path, after: Path) -> dict:
    def read(path: Path) -> dict[tuple[str, int], dict]:
        rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        return {(r["file"], r["index"]): r for r in rows}

    a, b = read(before), read(after)
    changed = [k for k in sorted(a.keys() & b.keys()) if a[k] != b[k]]
    speakers = 0
    for k in changed:
        old = {tuple(q["content"]): q["speaker"] for q in a[k]["quotes"]}
        speakers += sum(1 for q in b[k]["quotes"] if tuple(q["content"]) in old and old[tuple(q["content"])] != q["speaker"])
        print(f"{k[0]}[{k[1]}]: {len(a[k]['quotes'])} -> {len(b[k]['quotes'])} quotations")
    return {"articles": len(a.keys() & b.keys()), "changed": len(changed), "speakers_changed": speakers,
            "only_before": len(a.keys() - b.keys()), "only_after": len(b.keys() - a.keys())}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--entities", action="store_true", help="run the entities step before attribution")
    ap.add_argument("--skip", type=Path, nargs="*", default=[], help="gold files whose articles are left out too")
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        print(json.dumps(compare(*args.compare)))
        return 0
    if not args.news.is_dir():
        raise SystemExit(f"{args.news}: no news folder (../shared/data/news)")
    dump(args.news, args.entities, set().union(*(annotated(p) for p in args.skip)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
