"""Print `khabar analyze` output (JSON Lines on standard input) for a person to read.

    khabar analyze examples/tehran-metro.txt | python examples/show.py
"""

from __future__ import annotations

import json
import sys


def clip(text: str, most: int = 90) -> str:
    """text, or its first words up to ``most`` characters and an ellipsis."""
    if len(text) <= most:
        return text
    head = text[: most + 1]
    return (head.rsplit(" ", 1)[0] if " " in head else text[:most]) + " …"


def show(doc: dict) -> None:
    print(f"== {doc['id']}  ({len(doc['sentences'])} sentences, {len(doc['tokens'])} tokens)")
    print(doc["text"].strip())
    changes = doc.get("changes", [])
    if changes:
        by_rule: dict[str, int] = {}
        for c in changes:
            by_rule[c["rule"]] = by_rule.get(c["rule"], 0) + 1
        print("\n-- normalizer changes:", ", ".join(f"{r} {n}" for r, n in by_rule.items()))
    if doc["entities"]:
        print("\n-- entities (label: text  [raw as written])")
        for e in doc["entities"]:
            print(f"  {e['label']:8} {e['text']}  [{doc['raw'][e['raw_start']:e['raw_end']]}]")
    if doc["quotes"]:
        print("\n-- who said what")
        for q in doc["quotes"]:
            who = q["speaker"]["name"] or "?"
            print(f"  {q['kind']:8} {who}: {clip(q['content']['text'])}")
    src = doc["source"]
    print(f"\n-- source: agency={src['agency']!r} reporter={src['reporter']!r} cited={src['cited']!r}")


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    for line in sys.stdin:
        if line.strip():
            show(json.loads(line))
