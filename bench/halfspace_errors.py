"""Where khabar's half-space errors come from, by class, on the tuning split (or the dev sets).

    .venv-bench/bin/python bench/halfspace_errors.py --tune /tmp/tune.pkl.gz   # tuning split, that model
    .venv-bench/bin/python bench/halfspace_errors.py                          # dev sets, shipped model
    ... --examples 8                                                          # and a few of each class
    (each set's line also gives its ZWNJ F1 over the lines compared, and what it would be with every
    error outside the a: and style classes set right: the ceiling a modern-orthography normalizer has)
    .venv-bench/bin/python bench/halfspace_errors.py --news --words 30        # news lines, commonest words
    .venv-bench/bin/python bench/halfspace_errors.py --evidence --bar 0.92    # what the data says of our own
                                                                              # errors; fewest to mend for 0.92

Each line is corrupted as in bench/halfspace.py (joined / spaced; ``--inputs asis``: left as it is) and normalized; every letter boundary
where gold and output differ and one of them is a ZWNJ is an error (what zwnj_eval.py counts), shown as
the word around it.  Classes, in this order:

- ``a: older joined plural/comparative``: gold writes a word solid where we put a ZWNJ before a
  plural or comparative suffix ending the word (``سیاستهای``, ``مهمترین``): the modern spelling;
- ``a: ZWNJ after a non-joining letter``: gold has a ZWNJ after «د ر ز ا و ...» (``ضد‌انقلاب``), which
  the normalizer never writes (it shows nothing there);
- ``style: آنها / اینها``: both are standard (the Academy allows «ها» joined); khabar keeps PerDT's
  and the news' joined ones;
- ``both ways``: the gold spelling of the word and ours both occur in the training lines (those not held
  out), we wrote the more frequent / the rarer;
- ``b: ...``: the rest, our own errors: the gold spelling is seen in training and ours is not, or
  neither is (unseen compounds, names, rare words), by kind of boundary (gold -> ours).

``--evidence`` sorts our own errors (``both ways`` and ``b:``) again by what all the running text the model
is built from (the raw training sentences and the news; with ``--tune``, those not held out) says of the
two spellings, whole words counted: it writes only ours, ours more often, gold's more often, only gold's,
or neither (with ``--examples``, each pair with the two counts, ``gold|ours(gold's:ours)``).  Only the last three are errors the data could have set right.  ``--bar F`` adds the fewest
own errors that must be set right for a ZWNJ F1 of ``F`` (missed ZWNJs first: each is worth more).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "training"))

from build_halfspace import held_out, read_news  # noqa: E402
from halfspace import (  # noqa: E402
    CORPORA,
    DATA,
    INPUTS,
    TUNING_EVERY,
    add_inputs_argument,
    dev_sets,
    news_lines,
    train_lines,
    tuning_split,
    use_model,
    zwnj_eval,
)

from khabar.text.chars import JOINING, ZWNJ  # noqa: E402

SUFFIXES = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "های", "ها", "ترین", "تر")
PUNCT = re.compile(r"^[^\w\u200c]+|[^\w\u200c]+$")
SEP = {"none": "", "space": " ", "zwnj": ZWNJ}


def _word(letters: str, labels: list[str], a: int, b: int) -> str:
    """Letters ``a..b`` with the boundaries ``labels`` puts between them, without punctuation at the ends."""
    return PUNCT.sub("", "".join(letters[k] + (SEP[labels[k]] if k < b else "") for k in range(a, b + 1)))


def errors(golds: list[str], normalize: Callable[[str], str], inputs: Sequence[str] = INPUTS
           ) -> list[tuple[str, str, str, str, str, str]]:
    """``(input kind, gold label, our label, gold word, our word, letter before the boundary)`` for
    every ZWNJ error, each gold line given as ``inputs`` say (``zwnj_eval.corrupt``; ``asis``: unchanged)."""
    out = []
    for how in inputs:
        for g in golds:
            p = normalize(zwnj_eval.corrupt(g, how))
            gs, gl = zwnj_eval.skeleton(zwnj_eval.fold(g))
            ps, pl = zwnj_eval.skeleton(zwnj_eval.fold(p))
            if gs != ps:
                continue
            for i in range(len(gs) - 1):
                if gl[i] == pl[i] or "zwnj" not in (gl[i], pl[i]):
                    continue
                a = i
                while a > 0 and gl[a - 1] != "space" and pl[a - 1] != "space":
                    a -= 1
                b = i + 1
                while b < len(gs) - 1 and gl[b] != "space" and pl[b] != "space":
                    b += 1
                out.append((how, gl[i], pl[i], _word(gs, gl, a, b), _word(gs, pl, a, b), gs[i]))
    return out


def classify(err: tuple[str, str, str, str, str, str], count: Callable[[str], int]) -> str:
    _, g, p, gold, ours, letter = err
    if g == "zwnj" and letter not in JOINING:
        return "a: ZWNJ after a non-joining letter"
    suffix = ours.split(ZWNJ)[-1]
    last = gold.split(ZWNJ)[-1]
    if g == "none" and p == "zwnj" and suffix in SUFFIXES and last.endswith(suffix) and len(last) > len(suffix):
        return "a: older joined plural/comparative"
    if gold.replace(ZWNJ, "") in ("انها", "اینها", "انهایی"):
        return "style: آنها / اینها"
    cg, co = count(gold), count(ours)
    if cg and co:
        return "both ways, we wrote the more frequent" if co >= cg else "both ways, we wrote the rarer"
    return f"b: {'gold seen in training, ours not' if cg else 'unseen in training'} ({g} -> {p})"


def _ours(c: str) -> bool:
    """Whether an error of class ``c`` is one a modern-orthography normalizer could set right."""
    return not c.startswith(("a:", "style"))


def f1(n_gold: int, fp: int, fn: int) -> float:
    """ZWNJ F1 from the gold ZWNJs and the errors (``fp``: ZWNJs written that gold lacks, ``fn``: gold's missed).
    The errors are those of the lines :func:`errors` compares (the output keeps their letters: every dev line
    does), so where a line is not compared this is not quite ``zwnj_eval``'s figure."""
    tp = n_gold - fn
    return 2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0


EVIDENCE = ("the texts write only ours", "the texts write ours more often", "the texts write gold's more often",
            "the texts write only gold's", "the texts have neither")


def evidence(gold: str, ours: str, count: Callable[[str], int]) -> str:
    """What running text says of an error's two spellings (one of :data:`EVIDENCE`)."""
    cg, co = count(gold), count(ours)
    if not cg:
        return EVIDENCE[0] if co else EVIDENCE[4]
    return EVIDENCE[3] if not co else EVIDENCE[1] if co >= cg else EVIDENCE[2]


def fixes_for(bar: float, n_gold: int, fp: int, fn: int, own_fp: int, own_fn: int) -> int | None:
    """The fewest of our own errors (``own_fp`` extra ZWNJs, ``own_fn`` missed ones, among ``fp`` and
    ``fn`` in all) to set right for a ZWNJ F1 of ``bar``, missed ZWNJs first; None if all are not enough."""
    for k in range(own_fp + own_fn + 1):
        a = min(k, own_fn)
        if f1(n_gold, fp - (k - a), fn - a) >= bar:
            return k
    return None


def word_counter(lines: Sequence[str]) -> Callable[[str], int]:
    """How often a spelling occurs as a whole word in ``lines`` (cached)."""
    text = "\n".join(lines)
    cache: dict[str, int] = {}

    def count(s: str) -> int:
        if s not in cache:
            cache[s] = len(re.findall(r"(?<![\w\u200c])" + re.escape(s) + r"(?![\w\u200c])", text))
        return cache[s]

    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tune", type=Path, metavar="MODEL", help="this model (built with --holdout 10) on the tuning split")
    ap.add_argument("--examples", type=int, default=0, help="show this many errors of each class")
    ap.add_argument("--news", action="store_true",
                    help="the news lines of bench/halfspace.py --news (the writers' own ZWNJs as gold) instead of dev")
    ap.add_argument("--words", type=int, default=0, help="and the commonest erroneous words (gold|ours), this many")
    ap.add_argument("--evidence", action="store_true",
                    help="and our own errors by what the training sentences and the news write (see above)")
    ap.add_argument("--bar", type=float, metavar="F", help="and the fewest own errors to set right for ZWNJ F1 F")
    add_inputs_argument(ap, "how each gold line is given")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    args.inputs = list(dict.fromkeys(args.inputs))  # each once
    import khabar

    if args.tune:
        use_model(args.tune)
        golds = tuning_split()
    elif args.news:
        golds = {"News": news_lines()}
    else:
        golds = dev_sets()
    def kept(lines: list[str]) -> list[str]:
        return [zwnj_eval.fold(x) for i, x in enumerate(lines) if not (args.tune and held_out(i, TUNING_EVERY))]

    train = [x for _, stem in CORPORA for x in kept(train_lines(stem))]
    count = word_counter(train)
    if args.evidence:
        said = word_counter(train + kept(read_news(DATA / "news")))

    for name, lines in golds.items():
        n_zwnj = sum(zwnj_eval.skeleton(zwnj_eval.fold(g))[1][:-1].count("zwnj") for g in lines)
        errs = errors(lines, khabar.normalize, args.inputs)
        for how in args.inputs:
            classes: Counter[str] = Counter()
            examples: dict[str, list[str]] = defaultdict(list)
            words: Counter[str] = Counter()  # gold word|ours
            fp, fn = Counter(), Counter()  # ZWNJs written that gold lacks / gold's missed; by ours (True) or not
            says: Counter[str] = Counter()
            for e in errs:
                if e[0] == how:
                    c = classify(e, count)
                    classes[c] += 1
                    pair = f"{e[3]}|{e[4]}"
                    examples[c].append(pair)
                    words[pair] += 1
                    fp[_ours(c)] += e[2] == "zwnj"
                    fn[_ours(c)] += e[1] == "zwnj"
                    if args.evidence and _ours(c):
                        k = evidence(e[3], e[4], said)
                        says[k] += 1
                        examples[k].append(f"{pair}({said(e[3])}:{said(e[4])})")  # (how often the texts write each)
            print(f"{name} {how}: {sum(classes.values())} ZWNJ errors ({n_zwnj} gold ZWNJs); "
                  f"ZWNJ F1 {f1(n_zwnj, fp.total(), fn.total()):.4f}, with every error outside "
                  f"the a: and style classes set right {f1(n_zwnj, fp[False], fn[False]):.4f}")
            for c, k in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
                shown = "  " + " ".join(examples[c][:args.examples]) if args.examples else ""
                print(f"  {k:4d}  {c}{shown}")
            if args.evidence:
                print("  our own errors, by what the training sentences and the news write:")
                for k in EVIDENCE:
                    shown = "  " + " ".join(examples[k][:args.examples]) if args.examples else ""
                    print(f"  {says[k]:4d}  {k}{shown}")
            if args.bar is not None:
                need = fixes_for(args.bar, n_zwnj, fp.total(), fn.total(), fp[True], fn[True])
                print(f"  ZWNJ F1 {args.bar} needs " + (f"{need} of our {fp[True] + fn[True]} own errors set right "
                      f"(missed ZWNJs first)" if need is not None else "more than setting every own error right"))
            if args.words:
                print("  commonest: " + " ".join(f"{w} {k}" for w, k in words.most_common(args.words)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
