"""Entity-level exact-span F1 (per label and overall) and tagging speed of khabar's NER.

    python bench/ner.py                  # PEYMA dev with the shipped model, ARMAN 3 folds, speed
    python bench/ner.py --skip-arman     # only PEYMA dev and speed (no training)
    python bench/ner.py --model crf      # the CRF (ner.crfsuite) and its recipe, whichever model is the default

ARMAN protocol (issue 4): for each fold k, train on ARMAN train_fold{k} + PEYMA train with
training/train_ner.py's recipe, test on test_fold{k}; report the mean.  An entity counts
when its label and its exact span of corpus tokens match.  Each corpus is scored on the
labels it annotates: ARMAN has no DATE/TIME/MONEY/PERCENT and PEYMA no FAC/EVENT/PRODUCT,
so predictions of those labels on that corpus are not judged.  The model follows one corpus's
conventions at a time (its *domain*, docs/ner.md): ARMAN folds are tagged in the ARMAN domain,
PEYMA dev with the shipped model's default.  Also reported: the same test text with every
half-space written as a space (robustness to scraped text).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # one core (before numpy loads)
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

from khabar.ner.corpora import CORPUS_LABELS, GoldSentence, Prepared, prepare, snap, strip_halfspaces  # noqa: E402
from khabar.ner.model import DATA_DIR, NEURAL_MODEL, Recognizer, default_recognizer  # noqa: E402
from khabar.ner.neural import NeuralRecognizer  # noqa: E402

Scores = dict[str, tuple[int, int, int]]  # label -> (tp, fp, fn); "ALL" overall


def predicted(rec: Recognizer, s: GoldSentence, p: Prepared, labels: frozenset[str],
              domain: str | None = None) -> set[tuple[int, int, str]]:
    """The entities ``rec`` finds in ``p`` (khabar's pieces of ``s``) with a label in ``labels``, snapped back
    to the corpus's tokens."""
    return snapped(s, p, rec.entities(p.words, domain) if p.words else [], labels)


def snapped(s: GoldSentence, p: Prepared, found: Sequence[tuple[int, int, str]],
            labels: frozenset[str]) -> set[tuple[int, int, str]]:
    """``found`` (token ranges over ``p``'s pieces) with a label in ``labels``, snapped back to ``s``'s tokens."""
    return {(*snap((p.raw_spans[a][0], p.raw_spans[b - 1][1]), s.token_spans), label)
            for a, b, label in found if label in labels}


def evaluate(rec: Recognizer, sentences: Sequence[GoldSentence], corpus: str, domain: str | None = None) -> Scores:
    labels = CORPUS_LABELS[corpus]
    tp: collections.Counter[str] = collections.Counter()
    fp: collections.Counter[str] = collections.Counter()
    fn: collections.Counter[str] = collections.Counter()
    prepared = [prepare(s) for s in sentences]
    found = rec.entities_batch([p.words for p in prepared], domain)  # the neural model tags in batches
    for s, p, ents in zip(sentences, prepared, found, strict=True):
        pred = snapped(s, p, ents, labels)
        gold = set(s.entities)
        for e in pred & gold:
            tp[e[2]] += 1
        for e in pred - gold:
            fp[e[2]] += 1
        for e in gold - pred:
            fn[e[2]] += 1
    out = {lab: (tp[lab], fp[lab], fn[lab]) for lab in sorted(set(tp) | set(fp) | set(fn))}
    out["ALL"] = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def prf(t: tuple[int, int, int]) -> tuple[float, float, float]:
    tp, fp, fn = t
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def format_scores(scores: Scores) -> str:
    return " ".join(f"{lab}={prf(t)[2]:.3f}" for lab, t in scores.items())


def table(rows: list[tuple[str, Scores]]) -> str:
    labels = sorted({lab for _, s in rows for lab in s if lab != "ALL"})
    head = "| test set | P | R | **F1** | " + " | ".join(labels) + " |"
    sep = "|---|---:|---:|---:|" + "---:|" * len(labels)
    lines = [head, sep]
    for name, s in rows:
        p, r, f = prf(s["ALL"])
        cells = [f"{prf(s[lab])[2]:.3f}" if lab in s else "–" for lab in labels]
        lines.append(f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def speed(rec: Recognizer, sentences: Sequence[GoldSentence], repeat: int = 3) -> float:
    """Tokens per CPU-second of tagging in one process, tokens already made, caches emptied first.

    CPU time, not wall time, so that other jobs on a shared machine do not count (numpy's BLAS is
    held to one thread at the top of this script).  The CRF tags sentence by sentence (features +
    CRF); the neural model tags batches of sentences, as the ``entities`` step does per document.
    """
    words = [prepare(s).words for s in sentences]
    n = sum(len(w) for w in words)
    best = float("inf")
    for _ in range(repeat):
        rec.clear_caches()
        t = time.process_time()
        rec.entities_batch(words)
        best = min(best, time.process_time() - t)
    return n / best


def main(argv: Sequence[str] | None = None) -> int:
    import train_ner

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-arman", action="store_true", help="do not train and test the 3 ARMAN fold models")
    ap.add_argument("--folds", nargs="*", type=int, default=[1, 2, 3])
    ap.add_argument("--data", type=Path, default=train_ner.DATA)
    ap.add_argument("--model", choices=["shipped", "crf", "neural"], default="shipped",
                    help="the model scored on PEYMA dev and the recipe of the fold models (default: the shipped "
                         "model and its recipe)")
    ap.add_argument("--neural-model", type=Path, default=DATA_DIR / NEURAL_MODEL,
                    help="the neural model scored on PEYMA dev with --model neural (default: the shipped file)")
    ap.add_argument("--fold-minutes", type=float, default=20.0,
                    help="neural fold models: stop training after the epoch that passes this (default 20)")
    args = ap.parse_args(argv)

    rows: list[tuple[str, Scores]] = []
    shipped = default_recognizer() if args.model == "shipped" else (
        NeuralRecognizer.load(args.neural_model) if args.model == "neural" else Recognizer.load())
    neural = isinstance(shipped, NeuralRecognizer)
    _, peyma_dev = train_ner.load("peyma:dev", args.data)
    rows.append((f"PEYMA dev ({args.model} model)", evaluate(shipped, peyma_dev, "peyma")))
    print(rows[-1][0], format_scores(rows[-1][1]), flush=True)
    tps = speed(shipped, peyma_dev)
    print(f"speed: {tps:,.0f} tokens/s", flush=True)

    if not args.skip_arman:
        f1s: list[float] = []
        stripped_f1s: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            for k in args.folds:
                specs = [f"arman:train_fold{k}", "peyma:train"]
                rec: Recognizer | NeuralRecognizer
                if neural:  # early stopping on PEYMA dev (never the test fold)
                    import train_ner_nn

                    train_ner_nn.train(specs, Path(tmp) / f"fold{k}.npz", ["peyma:dev"], args.data,
                                       max_minutes=args.fold_minutes, threads=1)
                    rec = NeuralRecognizer.load(Path(tmp) / f"fold{k}.npz")
                else:
                    train_ner.build(specs, Path(tmp), prefix=f"fold{k}", data=args.data)
                    rec = Recognizer.load(tmp, f"fold{k}")
                _, test = train_ner.load(f"arman:test_fold{k}", args.data)
                s = evaluate(rec, test, "arman", "arman")
                rows.append((f"ARMAN test fold {k}", s))
                f1s.append(prf(s["ALL"])[2])
                print(rows[-1][0], format_scores(s), flush=True)
                st = evaluate(rec, [strip_halfspaces(x) for x in test], "arman", "arman")
                rows.append((f"ARMAN test fold {k}, half-spaces as spaces", st))
                stripped_f1s.append(prf(st["ALL"])[2])
                print(rows[-1][0], format_scores(st), flush=True)
        print(f"ARMAN mean F1 over folds: {sum(f1s) / len(f1s):.3f}; "
              f"half-spaces as spaces: {sum(stripped_f1s) / len(stripped_f1s):.3f}")
    print()
    print(table(rows))
    print(f"\nTagging speed ({'neural' if neural else 'CRF'}, one core): {tps:,.0f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
