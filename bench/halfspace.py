"""Half-space restoration and normalize speed: khabar vs hazm, parsivar and shekar, in one run.

    .venv-bench/bin/python bench/halfspace.py            # accuracy table + speed table (markdown)
    .venv-bench/bin/python bench/halfspace.py --no-speed # accuracy only
    .venv-bench/bin/python bench/halfspace.py --tune /tmp/tune.pkl.gz  # khabar on the tuning split
    .venv-bench/bin/python bench/halfspace.py --news --digits 4 --systems khabar  # the writers' own ZWNJs
    .venv-bench/bin/python bench/halfspace.py --no-speed --systems khabar --model /tmp/new.pkl.gz  # a candidate model

Tuning split (for choosing settings without looking at the dev sets): every 10th line of the PerDT and
Seraji raw *training* sentences, scored with a model built without them
(``python training/build_halfspace.py --holdout 10 --out /tmp/tune.pkl.gz``).

Accuracy: UD PerDT and Seraji dev sentences, corrupted two ways ("joined": every ZWNJ removed;
"spaced": every ZWNJ turned into a space), given line by line to each system's normalizer and
scored with ../shared/tools/zwnj_eval.py (ZWNJ F1 and space F1 over letter boundaries).
``--inputs asis`` gives them the gold lines unchanged: clean text, which a normalizer should leave as
it is (any ZWNJ it adds or drops counts; gold that writes older joined plurals costs the modern ones).

News (``--news``): the only gold news has is the ZWNJs its writers typed. Every 4th line with at least
two ZWNJs of the news articles (as khabar reads them), normalized without the half-space rule, is the
gold; it is corrupted and scored like the dev sets. Writers leave many ZWNJs out, so precision is low.

Speed: a >= 10 MB file built in a temporary folder from news and the raw training sentences
(repeated), normalized by ``khabar normalize`` and by hazm's Normalizer, each as a whole child
process (start-up and model loading included); wall time and peak memory (ru_maxrss) of the child.
``--repeat N`` rounds (default 3) of khabar then hazm, and the ratio of the median times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
sys.path.insert(0, str(SHARED / "tools"))
sys.path.insert(0, str(ROOT / "training"))

import zwnj_eval  # noqa: E402
from build_halfspace import held_out, read_news  # noqa: E402

from khabar.text.chars import ZWNJ  # noqa: E402


def systems() -> dict[str, Callable[[str], str]]:
    import khabar

    out: dict[str, Callable[[str], str]] = {"khabar": khabar.normalize}
    try:
        from hazm import Normalizer as Hazm

        out["hazm"] = Hazm().normalize
    except ImportError as e:
        print(f"hazm not available: {e}", file=sys.stderr)
    try:
        from parsivar import Normalizer as Parsivar

        out["parsivar"] = Parsivar().normalize
    except ImportError as e:
        print(f"parsivar not available: {e}", file=sys.stderr)
    try:
        from shekar import Normalizer as Shekar

        out["shekar"] = Shekar()
    except ImportError as e:
        print(f"shekar not available: {e}", file=sys.stderr)
    return out


CORPORA = (("PerDT", "perdt"), ("Seraji", "seraji"))
TUNING_EVERY = 10  # the tuning split: lines a ``--holdout 10`` model leaves out


def train_lines(stem: str) -> list[str]:
    """The raw training sentences of a corpus (``perdt`` or ``seraji``), one a line."""
    return (DATA / "raw" / f"{stem}-train-sentences.txt").read_text(encoding="utf-8").splitlines()


def tuning_split(every: int = TUNING_EVERY) -> dict[str, list[str]]:
    """Every ``every``-th line of the raw training sentences and of the news (those a ``--holdout`` model
    leaves out); of the news, the lines with at least two ZWNJs (the writers' own as gold, as ``--news``)."""
    split = {name: [x for i, x in enumerate(train_lines(stem)) if held_out(i, every)] for name, stem in CORPORA}
    news = read_news(DATA / "news")
    split["News"] = [x for i, x in enumerate(news) if held_out(i, every) and x.count(ZWNJ) >= 2]
    return split


def dev_sets() -> dict[str, list[str]]:
    """The UD dev sentences of each corpus."""
    return {name: zwnj_eval.conllu_texts(str(DATA / "ud" / f"fa_{stem}-ud-dev.conllu")) for name, stem in CORPORA}


def use_model(path: Path) -> None:
    """khabar's half-space rule with the model at ``path`` for the rest of the process (the shipped
    file is not touched)."""
    from khabar.text import halfspace

    halfspace.model_path = lambda: path  # type: ignore[assignment]


def news_lines(every: int = 4) -> list[str]:
    """Every ``every``-th news line with at least two ZWNJs, normalized without the half-space rule."""
    import khabar
    from khabar.io import record_to_doc

    lines: list[str] = []
    for path in sorted((DATA / "news").glob("*.json")):
        for i, obj in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            doc = record_to_doc(str(path), i + 1, obj)
            lines += [x for x in getattr(doc, "text", "").splitlines() if x.count(ZWNJ) >= 2]
    return [khabar.normalize(x, halfspace=False) for x in lines[every - 1::every]]


# How a text is given: as it is, or corrupted (zwnj_eval.corrupt); for the speed file (--variant, each with
# how the file description says it) and for the accuracy tables' gold lines (--inputs)
VARIANTS = {"asis": "", "joined": ", every ZWNJ taken out", "spaced": ", every ZWNJ a space"}
INPUTS = ("joined", "spaced")  # the accuracy tables' default


def add_inputs_argument(ap: argparse.ArgumentParser, help: str) -> None:
    """``--inputs``: which of ``VARIANTS`` the gold lines are given as (default ``INPUTS``; a repeated one
    counts once: the command takes ``list(dict.fromkeys(args.inputs))``)."""
    ap.add_argument("--inputs", nargs="+", choices=tuple(VARIANTS), default=list(INPUTS),
                    help=f"{help} (default: {' '.join(INPUTS)}; asis: clean text)")


def accuracy(names: list[str], tune_model: Path | None = None, news: bool = False, digits: int = 3,
             model: Path | None = None, inputs: Sequence[str] = INPUTS) -> None:
    """The F1 table; ``inputs``: how each gold line is given to the systems (``zwnj_eval.corrupt``; ``asis``:
    unchanged, so that any ZWNJ a system adds or drops in clean text counts)."""
    if model is not None:  # a candidate model on the same texts
        use_model(model)
    if news:
        golds = {"News": news_lines()}
    elif tune_model is not None:
        golds = tuning_split()
    else:
        golds = dev_sets()
    if tune_model is not None:
        use_model(tune_model)
        names = ["khabar"]
    head = "".join("".join(f" {k} {how} ZWNJ F1 |" for how in inputs) + f" {k} space F1 ({' / '.join(inputs)}) |"
                   for k in golds)
    print(f"| system |{head} lines/s |")
    print("|---|" + "---:|" * ((len(inputs) + 1) * len(golds)) + "---:|")
    for name, fn in systems().items():
        if names and name not in names:
            continue
        cells: list[str] = []
        lines = 0
        elapsed = 0.0
        for gold in golds.values():
            f1s, spaces = [], []
            for how in inputs:
                given = [zwnj_eval.corrupt(g, how) for g in gold]
                t = time.perf_counter()
                preds = [fn(x) for x in given]
                elapsed += time.perf_counter() - t
                lines += len(given)
                r = zwnj_eval.score(gold, preds)
                f1s.append(f"{r['zwnj_f1']:.{digits}f}")
                spaces.append(f"{r['space_f1']:.{digits}f}")
            cells += [*f1s, " / ".join(spaces)]
        print(f"| {name} | " + " | ".join(cells) + f" | {lines / elapsed:,.0f} |", flush=True)


def build_big_file(folder: Path, min_bytes: int = 10_500_000, variant: str = "asis") -> Path:
    """The speed file: the news JSON's text and the PerDT train sentences, repeated to ``min_bytes``; as is,
    or corrupted as the accuracy table's inputs are (``joined``: every ZWNJ taken out; ``spaced``: every
    ZWNJ a space)."""
    lines: list[str] = []
    for path in sorted((DATA / "news").glob("*.json")):
        for a in json.loads(path.read_text(encoding="utf-8")):
            lines += [p for p in [a.get("title"), a.get("abstract"), *(a.get("paragraphs") or [])] if isinstance(p, str)]
    lines += train_lines("perdt")
    block = "\n".join(lines) + "\n"
    text = block
    while len(text.encode("utf-8")) < min_bytes:
        text += block
    text = zwnj_eval.corrupt(text, variant)  # (as is for "asis")
    path = folder / "big.txt"
    path.write_text(text, encoding="utf-8")
    return path


HAZM_CHILD = """
import sys
from hazm import Normalizer
n = Normalizer()
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        out.write(n.normalize(line.rstrip("\\n")) + "\\n")
"""


def run_child(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process (GNU time
    when present: a forked child's ru_maxrss would count the benchmark's own pages from before the
    exec).  On a shared machine wall time moves with the load; CPU time much less."""
    gnu_time = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r") as report:
        if gnu_time.exists():
            cmd = [str(gnu_time), "-f", "%M %U %S", "-o", report.name, *cmd]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if gnu_time.exists():
            rss, user, system = report.read().split()[-3:]
            return wall, float(user) + float(system), int(rss) / 1024
    return wall, cpu, after.ru_maxrss / 1024


def speed(repeat: int = 3, variant: str = "asis") -> None:
    """The speed table: ``repeat`` rounds, each running khabar then hazm on the same file (a shared
    machine's speed drifts from minute to minute, so one pair of runs says little: the rounds are
    printed one by one, and the ratio of the median times)."""
    bindir = Path(sys.executable).parent
    khabar_cmd = str(bindir / "khabar")
    load_before = os.getloadavg()[0]  # other work on the machine inflates CPU time as well as wall time
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = build_big_file(folder, variant=variant)
        size = big.stat().st_size / 1e6
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from khabar.text.halfspace import load_model; load_model()"],
                       check=True)
        load = time.perf_counter() - t
        k_cmd = ([khabar_cmd, "normalize", str(big), "-o", str(folder / "k.txt")] if _has_output_flag(khabar_cmd)
                 else ["sh", "-c", f'"{khabar_cmd}" normalize "{big}" > "{folder / "k.txt"}"'])
        for _ in range(repeat):
            k = run_child(k_cmd)
            h = run_child([sys.executable, "-c", HAZM_CHILD, str(big), str(folder / "h.txt")])
            rounds.append((k, h))
    print()
    print(f"File: {size:.1f} MB (news + PerDT train sentences, repeated as needed{VARIANTS[variant]}); "
          f"python startup + model load: {load:.2f} s; machine load average (1 min) "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print()
    print("| round | normalizer (whole process) | wall s | CPU s | MB/s (wall) | peak RSS MB | hazm's wall time / khabar's |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for i, ((k_wall, k_cpu, k_mem), (h_wall, h_cpu, h_mem)) in enumerate(rounds, 1):
        print(f"| {i} | khabar normalize | {k_wall:.1f} | {k_cpu:.1f} | {size / k_wall:.2f} | {k_mem:.0f} | |")
        print(f"| {i} | hazm Normalizer | {h_wall:.1f} | {h_cpu:.1f} | {size / h_wall:.2f} | {h_mem:.0f} | "
              f"**{h_wall / k_wall:.1f}x** |")
    print()
    k_wall, h_wall = median([k[0] for k, _ in rounds]), median([h[0] for _, h in rounds])
    k_cpu, h_cpu = median([k[1] for k, _ in rounds]), median([h[1] for _, h in rounds])
    print(f"khabar is {h_wall / k_wall:.1f}x faster than hazm on this file (median wall times of {repeat} "
          f"round{'s' if repeat > 1 else ''}; {h_cpu / k_cpu:.1f}x in CPU time); peak memory "
          f"{max(k[2] for k, _ in rounds):.0f} MB.")


def _has_output_flag(khabar_cmd: str) -> bool:
    r = subprocess.run([khabar_cmd, "normalize", "--help"], capture_output=True, text=True)
    return " -o" in r.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    ap.add_argument("--systems", nargs="*", default=[], help="only these (khabar hazm parsivar shekar)")
    ap.add_argument("--tune", type=Path, metavar="MODEL",
                    help="khabar with this model (built with --holdout 10) on the tuning split instead of dev")
    ap.add_argument("--news", action="store_true", help="accuracy on news lines against the writers' own ZWNJs")
    ap.add_argument("--digits", type=int, default=3, help="decimals of the F1 figures (default 3)")
    ap.add_argument("--model", type=Path, help="khabar with this model file instead of the shipped one (accuracy only)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the speed table (default 3)")
    add_inputs_argument(ap, "how the accuracy table gives each gold line")
    ap.add_argument("--variant", choices=tuple(VARIANTS), default="asis",
                    help="the speed file as built (default), or with every ZWNJ taken out / made a space")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    os.environ.setdefault("PYTHONHASHSEED", "0")
    args.inputs = list(dict.fromkeys(args.inputs))  # each once
    if args.tune or args.news:
        accuracy(args.systems, args.tune, args.news, args.digits, args.model, args.inputs)
        return 0
    if not args.no_accuracy:
        accuracy(args.systems, digits=args.digits, model=args.model, inputs=args.inputs)
    if not args.no_speed:
        speed(args.repeat, args.variant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
