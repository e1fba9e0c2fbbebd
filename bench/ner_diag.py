"""Where khabar's NER loses F1: diagnostics behind the figures in docs/benchmarks.md ("Named entities").

    python bench/ner_diag.py transfer                    # gold labels through normalizer + tokenizer + snap
    python bench/ner_diag.py errors                      # error classes of the shipped model on PEYMA dev
    python bench/ner_diag.py tokens                      # token-level P/R/F1 of the shipped model on PEYMA dev
    python bench/ner_diag.py overlap                     # dev entities seen in train vs a random split
    python bench/ner_diag.py train --tokens corpus       # one CRF on PEYMA train, scored on PEYMA dev
    python bench/ner_diag.py train --holdout             # ... on a random 10% of PEYMA train instead

``train`` runs one CRF with the shipped features on PEYMA train alone (no ARMAN, no silver labels,
no domains), either over khabar's pieces (``--tokens pipeline``, as the model sees text) or over
the corpus's own tokens (``--tokens corpus``: no normalizer, no half-space cutting), so that the
two can be compared; ``--algorithm``, ``--c1``, ``--c2``, ``--iterations``, ``--minfreq`` set the
training recipe.  Needs ../shared/data (and numpy for the clusters, cached in ~/.cache/khabar-ner).
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "training"))

import train_ner  # noqa: E402
from ner import predicted, prf  # noqa: E402

from khabar.ner.corpora import CORPUS_LABELS, GoldSentence, Prepared, bio_labels, prepare, snap  # noqa: E402
from khabar.ner.model import Recognizer, decode  # noqa: E402


def transfer(specs: Sequence[str], data: Path) -> None:
    """Gold BIO on khabar's pieces, decoded and snapped back: how many gold entities survive exactly."""
    for spec in specs:
        _, sents = train_ner.load(spec, data)
        total = lost = 0
        for s in sents:
            p = prepare(s)
            back = {(*snap((p.raw_spans[a][0], p.raw_spans[b - 1][1]), s.token_spans), lab)
                    for a, b, lab in decode(p.labels)}
            total += len(s.entities)
            lost += len(set(s.entities) - back)
        print(f"{spec}: {total - lost}/{total} gold entities survive ({(total - lost) / total:.4f})")


def errors(rec: Recognizer, spec: str, data: Path, domain: str | None, examples: int) -> None:
    """Every gold entity not found exactly is a miss (nothing overlaps it), a label error (same span),
    a boundary error (an overlapping prediction of its label) or both; spurious = overlaps no gold."""
    corpus, sents = train_ner.load(spec, data)
    labels = CORPUS_LABELS[corpus]
    kinds = ("miss", "label", "boundary", "boundary+label", "spurious")
    cat: collections.Counter[str] = collections.Counter()
    by_label: collections.Counter[tuple[str, str]] = collections.Counter()
    by_len: collections.Counter[tuple[int, str]] = collections.Counter()
    gold_len: collections.Counter[int] = collections.Counter()
    shown: dict[str, list[str]] = collections.defaultdict(list)
    for s in sents:
        pred = predicted(rec, s, prepare(s), labels, domain)
        gold = set(s.entities)
        for g in gold:
            n = min(sum(1 for a, b in s.token_spans if a >= g[0] and b <= g[1]), 5)
            gold_len[n] += 1
            if g in pred:
                continue
            over = [q for q in pred if q[0] < g[1] and g[0] < q[1]]
            if not over:
                kind = "miss"
            elif any(q[:2] == g[:2] for q in over):
                kind = "label"
            elif any(q[2] == g[2] for q in over):
                kind = "boundary"
            else:
                kind = "boundary+label"
            cat[kind] += 1
            by_label[g[2], kind] += 1
            by_len[n, kind] += 1
            if len(shown[kind]) < examples:
                shown[kind].append(f"{s.raw[g[0]:g[1]]} {g[2]} <- " + ", ".join(f"{s.raw[a:b]} {lab}" for a, b, lab in over))
        for q in pred - gold:
            if not any(g[0] < q[1] and q[0] < g[1] for g in gold):
                cat["spurious"] += 1
                by_label[q[2], "spurious"] += 1
    print(f"{spec}: {sum(gold_len.values())} gold entities; " + ", ".join(f"{k} {cat[k]}" for k in kinds))
    print("| label | " + " | ".join(kinds) + " |\n|---|" + "---:|" * len(kinds))
    for lab in sorted(labels):
        print(f"| {lab} | " + " | ".join(str(by_label[lab, k]) for k in kinds) + " |")
    print("\n| corpus tokens | gold | " + " | ".join(kinds[:4]) + " |\n|---|---:|" + "---:|" * 4)
    for n in sorted(gold_len):
        print(f"| {n}{'+' if n == 5 else ''} | {gold_len[n]} | " + " | ".join(str(by_len[n, k]) for k in kinds[:4]) + " |")
    for kind, lines in shown.items():
        print(f"\n{kind}:")
        for line in lines:
            print("   ", line)


def token_level(rec: Recognizer, spec: str, data: Path, domain: str | None) -> None:
    """Token-level micro P/R/F1 over the corpus's tokens (a token's label, B/I ignored, against gold's),
    the looser measure some published figures use, beside the entity-level exact-span F1."""
    corpus, sents = train_ner.load(spec, data)
    labels = CORPUS_LABELS[corpus]
    tp = fp = fn = 0

    def tags(s: GoldSentence, ents: set[tuple[int, int, str]]) -> list[str | None]:
        return [next((lab for a, b, lab in ents if a <= ta and tb <= b), None) for ta, tb in s.token_spans]

    for s in sents:
        pred = predicted(rec, s, prepare(s), labels, domain)
        for g, q in zip(tags(s, set(s.entities)), tags(s, pred), strict=True):
            tp += g is not None and q == g
            fp += q is not None and q != g
            fn += g is not None and q != g
    p, r, f = prf((tp, fp, fn))  # (0 where the model predicts nothing)
    print(f"{spec}: {tp + fn} entity tokens; token-level P {p:.3f} R {r:.3f} F1 {f:.3f}")


def holdout(sents: list[GoldSentence]) -> tuple[list[GoldSentence], list[GoldSentence]]:
    """Every tenth sentence held out (a random-like sentence split, as many published figures use)."""
    return [s for i, s in enumerate(sents) if i % 10 != 9], sents[9::10]


def overlap(data: Path) -> None:
    _, train = train_ner.load("peyma:train", data)
    _, dev = train_ner.load("peyma:dev", data)

    def seen(known: list[GoldSentence], test: list[GoldSentence]) -> str:
        names = {(s.raw[a:b], lab) for s in known for a, b, lab in s.entities}
        ents = [(s.raw[a:b], lab) for s in test for a, b, lab in s.entities]
        return f"{sum(e in names for e in ents)}/{len(ents)} ({sum(e in names for e in ents) / len(ents):.2f})"

    rest, held = holdout(train)
    print(f"PEYMA dev entities whose text+label occur in PEYMA train: {seen(train, dev)}")
    print(f"every 10th PEYMA train sentence, entities occurring in the other 90%: {seen(rest, held)}")


def corpus_tokens(s: GoldSentence) -> Prepared:
    """The corpus's own tokens and gold BIO: no normalizer, no half-space cutting."""
    return Prepared([s.raw[a:b] for a, b in s.token_spans], bio_labels(s.token_spans, s.entities), list(s.token_spans))


def train_and_score(args: argparse.Namespace) -> None:
    import pycrfsuite

    from khabar.ner.features import Resources, sentence_features

    _, train = train_ner.load("peyma:train", args.data)
    if args.holdout:
        train, test = holdout(train)
    else:
        _, test = train_ner.load("peyma:dev", args.data)
    make = prepare if args.tokens == "pipeline" else corpus_tokens
    train_p = [p for p in map(make, train) if p.words]
    clusters = train_ner.cached_clusters(args.data)
    trainer = pycrfsuite.Trainer(algorithm=args.algorithm, verbose=False)
    halves = [train_p[0::2], train_p[1::2]]
    for i, half in enumerate(halves):  # jackknifed gazetteer, as train_ner.train does
        res = Resources(clusters=clusters, gazetteer=train_ner.gazetteer_from(halves[1 - i]))
        for p in half:
            trainer.append(sentence_features(p.words, res), p.labels)
    params: dict[str, object] = {"max_iterations": args.iterations, "feature.possible_transitions": True,
                                 "c2": args.c2}
    if args.algorithm == "lbfgs":
        params["c1"] = args.c1
    if args.minfreq:
        params["feature.minfreq"] = args.minfreq
    trainer.set_params(params)
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "m.crfsuite"
        t = time.time()
        trainer.train(str(model))
        took = time.time() - t
        size = model.stat().st_size
        rec = Recognizer(model, Resources(clusters=clusters, gazetteer=train_ner.gazetteer_from(train_p)))
        tp = fp = fn = 0
        for s in test:
            pred = predicted(rec, s, make(s), CORPUS_LABELS["peyma"])
            gold = set(s.entities)
            tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    p, r, f = prf((tp, fp, fn))
    where = "random 10% of PEYMA train" if args.holdout else "PEYMA dev"
    print(f"{where}: P={p:.3f} R={r:.3f} F1={f:.3f} ({args.tokens} tokens, {args.algorithm} "
          f"c1={args.c1} c2={args.c2} iterations={args.iterations} minfreq={args.minfreq}; "
          f"trained in {took:.0f}s, model {size / 1e6:.1f} MB)")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["transfer", "errors", "tokens", "overlap", "train"])
    ap.add_argument("--data", type=Path, default=train_ner.DATA)
    ap.add_argument("--spec", nargs="*", default=None, help="corpus:split (transfer, errors, tokens)")
    ap.add_argument("--model-dir", type=Path, default=None, help="errors: model directory (default: shipped)")
    ap.add_argument("--prefix", default="ner")
    ap.add_argument("--domain", default=None, help="errors: annotation domain to tag in")
    ap.add_argument("--examples", type=int, default=10)
    ap.add_argument("--tokens", choices=["pipeline", "corpus"], default="pipeline")
    ap.add_argument("--holdout", action="store_true", help="train: test on every 10th PEYMA train sentence")
    ap.add_argument("--algorithm", choices=["lbfgs", "l2sgd"], default="l2sgd")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.1)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--minfreq", type=float, default=0)
    args = ap.parse_args(argv)
    if args.what == "transfer":
        transfer(args.spec or ["peyma:dev", "peyma:train", "arman:test_fold1"], args.data)
    elif args.what in ("errors", "tokens"):
        rec = Recognizer.load(args.model_dir, args.prefix) if args.model_dir else Recognizer.load()
        for spec in args.spec or ["peyma:dev"]:
            if args.what == "errors":
                errors(rec, spec, args.data, args.domain, args.examples)
            else:
                token_level(rec, spec, args.data, args.domain)
    elif args.what == "overlap":
        overlap(args.data)
    else:
        train_and_score(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
