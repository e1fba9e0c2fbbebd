"""CPU time of each normalizer rule on the 10.7 MB file of the Normalize speed benchmark.

The file is built as ``bench/halfspace.py`` builds it (news JSON text and the PerDT train
sentences, repeated), cut into blocks of about 1 MB of whole lines as ``khabar normalize`` reads
it, and every rule but the half-space one runs over each block in order (the half-space rule has
its own section).  ``--compare FILE`` times the rules of another copy of the normalizer module
(e.g. an older commit's) in the same process, in turns, and checks both give the same text::

    git show 4b6b14e:src/khabar/text/normalizer.py > /tmp/normalizer_old.py
    nice -n 10 .venv/bin/python bench/normalize_rules.py --compare /tmp/normalizer_old.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from halfspace import build_big_file  # noqa: E402

from khabar.cli import BLOCK  # noqa: E402
from khabar.text import normalizer  # noqa: E402


def blocks(text: str, size: int = BLOCK // 2) -> list[str]:
    """Whole lines, about BLOCK bytes of Persian UTF-8 (two bytes a character) each."""
    out: list[str] = []
    i = 0
    while i < len(text):
        j = text.find("\n", i + size)
        j = len(text) if j < 0 else j + 1
        out.append(text[i:j])
        i = j
    return out


def run(module: ModuleType, parts: list[str]) -> tuple[dict[str, float], list[str]]:
    """CPU seconds per rule (every rule except the half-space one) and the texts they give."""
    cfg = module.DEFAULT_CONFIG
    if hasattr(module, "plan"):  # normalize's steps (since session 5: consecutive character maps are one step)
        steps = list(module.plan(module.NormalizerConfig(halfspace=False)))
    else:
        steps = [(rule.name, partial(_rule_text, module, rule, cfg))
                 for rule in module.RULES if rule.name != "halfspace" and rule.enabled(cfg)]
    seconds: dict[str, float] = {}
    outs: list[str] = []
    for text in parts:
        for name, step in steps:
            t0 = time.process_time()
            text = step(text)
            seconds[name] = seconds.get(name, 0.0) + time.process_time() - t0
        outs.append(text)
    return seconds, outs


def _rule_text(module: ModuleType, rule: Any, cfg: Any, text: str) -> str:
    """An older module's rule (no plan): its fast path, or its edits applied."""
    return rule.fast(text, cfg) if rule.fast else module.apply_edits(text, rule.edits(text, cfg))


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("normalizer_compared", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"normalize_rules.py: {path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compare", type=Path, help="another normalizer.py to time in the same run")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (the best time of each rule is kept)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        parts = blocks(build_big_file(Path(tmp)).read_text(encoding="utf-8"))
    modules = {"current": normalizer}
    if args.compare:
        modules = {f"{args.compare.name}": load(args.compare), **modules}
    best: dict[str, dict[str, float]] = {name: {} for name in modules}
    texts: dict[str, list[str]] = {}
    for _ in range(args.repeat):
        for name, module in modules.items():
            seconds, texts[name] = run(module, parts)
            for rule, s in seconds.items():
                best[name][rule] = min(best[name].get(rule, s), s)
    rules = list(dict.fromkeys(r for n in modules for r in best[n]))
    print(f"{sum(map(len, parts)):,} characters in {len(parts)} blocks; CPU s, best of {args.repeat}")
    print("| rule | " + " | ".join(modules) + " |")
    print("|---|" + "---:|" * len(modules))
    for rule in [*rules, "total"]:
        cells = [f"{sum(best[n].values()):.3f}" if rule == "total" else f"{best[n][rule]:.3f}" if rule in best[n]
                 else "–" for n in modules]
        print(f"| {rule} | " + " | ".join(cells) + " |")
    if len(set(map(tuple, texts.values()))) > 1:
        print("the normalizers give different texts", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
