"""Sentence and token segmentation: khabar vs hazm (and shekar), accuracy and speed in one run.

Documents are runs of consecutive gold sentences of a UD dev set (``# text =`` lines) joined as
running text: a space between sentences, now and then a line break or a blank line (seeded).
Gold tokens are UD's surface tokens: a multiword token range (``3-4``) counts once, with its
surface form, never its parts.  Every system gets the same text; its sentences and tokens are
scored as exact character spans (precision, recall, F1).

khabar segments the given text directly (``khabar.text.segmenter``), because the normalizer
may change the text (half-spaces, spacing) and so the token boundaries UD gives; the row
"khabar analyze(normalize,segment)" runs the real pipeline and maps its spans back to the raw
text through the alignment, so it also shows what normalization costs in span accuracy.

Speed is CPU time (``time.process_time``) of each tool's own call only (never the scoring code
that finds hazm's strings in the text), the best of ``--repeat`` rounds in which the systems take
turns, khabar's token caches emptied before each round (so a round is a cold start, as a fresh
process would see it; ``--warm`` keeps them, as a long-running process would); ``--normalized`` also times every system on the normalized texts, which is what the
``segment`` step sees.

Usage (the bench venv has hazm and shekar)::

    .venv-bench/bin/python bench/segment.py [../shared/data/ud/*-dev.conllu] [--errors 20] [--normalized]
    .venv-bench/bin/python bench/segment.py --systems khabar,hazm ../shared/data/raw/*-train-sentences.txt
    .venv-bench/bin/python bench/segment.py --systems khabar,khabar-kinds,khabar-objects,hazm,hazm-default,split \
        ../shared/data/news/fars-news-1.json
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UD = ROOT.parent / "shared" / "data" / "ud"

Spans = list[tuple[int, int]]


@dataclass
class GoldSentence:
    text: str
    tokens: Spans  # offsets within text


@dataclass
class Doc:
    text: str
    sentences: Spans
    tokens: Spans


def read_conllu(path: Path) -> list[GoldSentence]:
    """Sentences with their surface tokens located in ``# text``; a clear error on bad input."""
    out: list[GoldSentence] = []
    text: str | None = None
    forms: list[str] = []
    covered = 0

    def finish(lineno: int) -> None:
        nonlocal text, forms, covered
        covered = 0
        if text is None:
            return
        spans: Spans = []
        pos = 0
        for form in forms:
            k = text.find(form, pos)
            if k < 0 or text[pos:k].strip():
                raise ValueError(f"{path}:{lineno}: token {form!r} not found in the sentence text")
            spans.append((k, k + len(form)))
            pos = k + len(form)
        out.append(GoldSentence(text, spans))
        text, forms = None, []

    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("# text ="):
                text = line[len("# text ="):].strip()
            elif line.startswith("#"):
                continue
            elif not line.strip():
                finish(lineno)
            else:
                cols = line.split("\t")
                if len(cols) != 10:
                    raise ValueError(f"{path}:{lineno}: expected 10 tab-separated columns, got {len(cols)}")
                ident = cols[0]
                if "." in ident:
                    continue  # empty node
                if "-" in ident:
                    a, b = ident.split("-")
                    covered = int(b)
                    forms.append(cols[1])
                elif int(ident) > covered:
                    forms.append(cols[1])
        finish(lineno + 1)
    return out


def read_raw(path: Path) -> list[GoldSentence]:
    """One gold sentence a line, no gold tokens (../shared/data/raw/*-train-sentences.txt)."""
    with path.open(encoding="utf-8") as f:
        return [GoldSentence(line.strip(), []) for line in f if line.strip()]


def build_docs(sentences: list[GoldSentence], seed: int = 13) -> list[Doc]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    i = 0
    while i < len(sentences):
        size = rng.randint(5, 30)
        parts: list[str] = []
        sents: Spans = []
        toks: Spans = []
        pos = 0
        for s in sentences[i:i + size]:
            if parts:
                sep = rng.choices([" ", "\n", "\n\n"], weights=[80, 15, 5])[0]
                parts.append(sep)
                pos += len(sep)
            parts.append(s.text)
            sents.append((pos, pos + len(s.text)))
            toks.extend((pos + a, pos + b) for a, b in s.tokens)
            pos += len(s.text)
        docs.append(Doc("".join(parts), sents, toks))
        i += size
    return docs


def locate(text: str, pieces: Iterable[str]) -> Spans:
    """Offsets of ``pieces`` found in order in ``text``; a piece a tool rewrote is skipped."""
    out: Spans = []
    pos = 0
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        k = text.find(p, pos)
        if k < 0:
            continue
        out.append((k, k + len(p)))
        pos = k + len(p)
    return out


# -- systems ---------------------------------------------------------------------------------
# Each system is (native, spans): native(text) is the tool's own call, the only thing timed;
# spans(text, output) turns its output into (sentence spans, token spans) for scoring.

Native = Callable[[str], object]
ToSpans = Callable[[str, object], tuple[Spans, Spans]]
System = tuple[Native, ToSpans]


def khabar_core() -> System:
    from khabar.text.segmenter import segment_offsets

    def spans(text: str, seg: object) -> tuple[Spans, Spans]:
        return seg.sentences, list(zip(seg.starts, seg.ends, strict=True))  # type: ignore[attr-defined]

    return segment_offsets, spans


def khabar_core_kinds() -> System:
    from khabar.text.segmenter import segment_offsets

    def native(text: str) -> object:
        seg = segment_offsets(text)
        return seg, seg.starts, seg.kinds  # everything segment() puts in its objects, as plain lists

    def spans(text: str, out: object) -> tuple[Spans, Spans]:
        return khabar_core()[1](text, out[0])  # type: ignore[index]

    return native, spans


def split_floor() -> System:
    """Not a segmenter: ``str.split()`` alone, a floor for any tokenizer written in Python."""

    def spans(text: str, out: object) -> tuple[Spans, Spans]:
        return [], locate(text, out)  # type: ignore[arg-type]

    return str.split, spans


def regex_floor() -> System:
    """Not a segmenter: khabar's token regex ``findall`` alone (token pieces, no offsets, no sentences),
    the floor of the present design."""
    from khabar.text.tokenizer import token_re

    def spans(text: str, out: object) -> tuple[Spans, Spans]:
        return [], locate(text, out)  # type: ignore[arg-type]

    return token_re().findall, spans


def khabar_objects() -> System:
    from khabar.text.segmenter import segment

    def spans(text: str, out: object) -> tuple[Spans, Spans]:
        sents, toks = out  # type: ignore[misc]
        return [(s.start, s.end) for s in sents], [(t.start, t.end) for t in toks]

    return segment, spans


def khabar_objects_py() -> System:
    """segment() as it runs where the C scan (khabar.text._scan) is not built."""
    from khabar.text.segmenter import segment_py

    return segment_py, khabar_objects()[1]


def khabar_pipeline() -> System:
    from khabar import analyze

    def native(text: str) -> object:
        return analyze(text, steps=["normalize", "segment"])

    def spans(text: str, doc: object) -> tuple[Spans, Spans]:
        return ([doc.raw_span(s.start, s.end) for s in doc.sentences],  # type: ignore[attr-defined]
                [doc.raw_span(t.start, t.end) for t in doc.tokens])  # type: ignore[attr-defined]

    return native, spans


def _located(text: str, out: object) -> tuple[Spans, Spans]:
    sents, toks = out  # type: ignore[misc]
    return locate(text, sents), locate(text, (t for s in toks for t in s))


def hazm_system(**options: bool) -> System:
    from hazm import WordTokenizer, sent_tokenize

    tokenizer = WordTokenizer(**options)

    def native(text: str) -> object:
        sents = sent_tokenize(text)
        return sents, [tokenizer.tokenize(s) for s in sents]

    return native, _located


def shekar_system() -> System:
    from shekar import SentenceTokenizer, WordTokenizer

    sentencer, tokenizer = SentenceTokenizer(), WordTokenizer()

    def native(text: str) -> object:
        sents = list(sentencer.tokenize(text))
        return sents, [list(tokenizer.tokenize(s)) for s in sents]

    return native, _located


# id -> (label in the table, constructor)
SYSTEMS: dict[str, tuple[str, Callable[[], System]]] = {
    "khabar": ("khabar segment_offsets (sentence spans, token ends)", khabar_core),
    "khabar-kinds": ("khabar segment_offsets + token starts and kinds (lists)", khabar_core_kinds),
    "khabar-objects": ("khabar segment() (sentence Spans, TokenList of offsets and kinds)", khabar_objects),
    "khabar-py": ("khabar segment() through the pure-Python path (no C scan)", khabar_objects_py),
    "khabar-pipeline": ("khabar analyze(normalize,segment), raw spans", khabar_pipeline),
    # join_verb_parts=False: the default glues verb parts with "_" ("گفته_شده_است"), not surface tokens
    "hazm": ("hazm sent_tokenize + WordTokenizer(join_verb_parts=False)", lambda: hazm_system(join_verb_parts=False)),
    "hazm-default": ("hazm sent_tokenize + WordTokenizer() (defaults)", hazm_system),
    "shekar": ("shekar SentenceTokenizer + WordTokenizer", shekar_system),
    "split": ("str.split() alone (no sentences, no kinds: a floor)", split_floor),
    "regex": ("khabar token regex findall alone (no offsets, no sentences: a floor)", regex_floor),
}


def f1(gold: int, pred: int, hit: int) -> tuple[float, float, float]:
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(system: System, docs: list[Doc], errors: int = 0, label: str = "") -> dict[str, float]:
    counts = {"sg": 0, "sp": 0, "sh": 0, "tg": 0, "tp": 0, "th": 0}
    shown = 0
    native, to_spans = system
    for doc in docs:
        sents, toks = to_spans(doc.text, native(doc.text))
        gs, gt = set(doc.sentences), set(doc.tokens)
        ps, pt = set(sents), set(toks)
        counts["sg"] += len(gs)
        counts["sp"] += len(ps)
        counts["sh"] += len(gs & ps)
        counts["tg"] += len(gt)
        counts["tp"] += len(pt)
        counts["th"] += len(gt & pt)
        if shown < errors:
            for a, b in sorted(gs ^ ps)[:4]:
                kind = "missed" if (a, b) in gs else "extra"
                print(f"  [{label}] sentence {kind}: …{doc.text[max(0, a - 15):a]}⟦{doc.text[a:b][:50]}"
                      f"…{doc.text[b - 30:b]}⟧{doc.text[b:b + 15]}…", file=sys.stderr)
                shown += 1
            for a, b in sorted(gt ^ pt)[:4]:
                kind = "missed" if (a, b) in gt else "extra"
                print(f"  [{label}] token {kind}: …{doc.text[max(0, a - 15):a]}⟦{doc.text[a:b]}⟧"
                      f"{doc.text[b:b + 15]}…", file=sys.stderr)
                shown += 1
    _, _, sf = f1(counts["sg"], counts["sp"], counts["sh"])
    _, _, tf = f1(counts["tg"], counts["tp"], counts["th"])
    sp, sr, _ = f1(counts["sg"], counts["sp"], counts["sh"])
    tp, tr, _ = f1(counts["tg"], counts["tp"], counts["th"])
    return {"sent_p": sp, "sent_r": sr, "sent_f1": sf, "tok_p": tp, "tok_r": tr, "tok_f1": tf}


WARM = False  # --warm: keep khabar's caches between rounds (a long-running process)


def cold_caches() -> None:
    """Empty khabar's token caches (kinds, lengths): each round is timed as a cold start over its texts,
    never with every token of the texts already looked up in an earlier round."""
    from khabar.text import segmenter, tokenizer

    segmenter.clear_caches()
    tokenizer.token_kind.cache_clear()


def timed(runs: dict[str, Native], texts: list[str], repeat: int) -> dict[str, float]:
    """CPU seconds per system over all texts: the best of ``repeat`` rounds, the systems taking turns
    within each round so that a busy machine slows them alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            if not WARM:
                cold_caches()
            t0 = time.process_time()
            for text in texts:
                run(text)
            best[name] = min(best[name], time.process_time() - t0)
    return best


def _vs_hazm(seconds: dict[str, float], secs: float) -> str:
    """How many times faster than hazm (join_verb_parts=False) a system ran, in the same run."""
    hazm = seconds.get(SYSTEMS["hazm"][0])
    return f"{hazm / secs:.2f}" if hazm else "–"


def normalized_speed(docs: list[Doc], systems: dict[str, System], repeat: int) -> None:
    """Speed only: every system over the normalized texts (what the segment step sees)."""
    from khabar import normalize

    speed_rows(" normalized text", [normalize(d.text) for d in docs], systems, repeat)


def speed_rows(data: str, texts: list[str], systems: dict[str, System], repeat: int) -> None:
    """Time every system but the pipeline ones over ``texts``; a table row each, labelled ``data``."""
    runs = {k: v[0] for k, v in systems.items() if "analyze" not in k}
    seconds = timed(runs, texts, repeat)
    base = seconds[next(iter(runs))]
    chars = sum(map(len, texts))
    for name, secs in seconds.items():
        print(f"| {data} | {name} | | | | | | | {secs:.4f} | {chars / secs:,.0f} | {secs / base:.1f} | "
              f"{_vs_hazm(seconds, secs)} |", flush=True)


def news_speed(path: Path, systems: dict[str, System], repeat: int, limit: int) -> None:
    """Speed only, on normalized news articles (../shared/data/news/*.json: title, abstract, paragraphs)."""
    import json

    from khabar import normalize

    try:
        articles = json.loads(path.read_text(encoding="utf-8"))[:limit]
        texts = [normalize("\n".join([a.get("title") or "", a.get("abstract") or "", *a.get("paragraphs", [])]))
                 for a in articles]
    except (OSError, ValueError, AttributeError, TypeError) as e:
        print(f"segment.py: {path}: not a news JSON array: {e}", file=sys.stderr)
        return
    speed_rows(f"{path.name} ({len(texts)} articles, normalized)", texts, systems, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="CoNLL-U files (default: ../shared/data/ud/*-dev.conllu), .txt files with one "
                             "sentence a line (sentences scored only), or news .json files (speed only)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N differing spans per system and file")
    parser.add_argument("--repeat", type=int, default=10, help="timing repeats (the best is kept)")
    parser.add_argument("--systems", help="comma-separated ids, a subset of: " + ", ".join(SYSTEMS))
    parser.add_argument("--limit", type=int, default=150, help="articles per news JSON file (speed only)")
    parser.add_argument("--normalized", action="store_true",
                        help="also time segmentation of the normalized texts (khabar.normalize first)")
    parser.add_argument("--warm", action="store_true",
                        help="keep khabar's token caches between rounds (default: empty them before each round)")
    args = parser.parse_args(argv)
    global WARM
    WARM = args.warm
    files = args.files or sorted(UD.glob("*-dev.conllu"))
    if not files:
        print(f"segment.py: no CoNLL-U files (looked in {UD})", file=sys.stderr)
        return 1
    names = args.systems.split(",") if args.systems else list(SYSTEMS)
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        print(f"segment.py: unknown system {', '.join(unknown)}; known: {', '.join(SYSTEMS)}", file=sys.stderr)
        return 2
    systems: dict[str, System] = {}
    for name in names:
        label, make = SYSTEMS[name]
        try:
            systems[label] = make()
        except ImportError as e:
            print(f"segment.py: skipping {label}: {e}", file=sys.stderr)
    print("| data | system | sentence P | sentence R | sentence F1 | token P | token R | token F1 | CPU s | "
          "chars/s | time / khabar | hazm's time / this |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in files:
        if path.suffix == ".json":
            news_speed(path, systems, args.repeat, args.limit)
            continue
        try:
            raw = path.suffix == ".txt"
            docs = build_docs(read_raw(path) if raw else read_conllu(path))
        except (OSError, ValueError) as e:
            print(f"segment.py: {e}", file=sys.stderr)
            return 1
        texts = [d.text for d in docs]
        chars = sum(map(len, texts))
        seconds = timed({k: v[0] for k, v in systems.items()}, texts, args.repeat)
        base = seconds[next(iter(systems))]
        label = (f"{path.name} ({len(docs)} docs, {sum(len(d.sentences) for d in docs)} sentences, "
                 f"{sum(len(d.tokens) for d in docs)} tokens)")
        for name, system in systems.items():
            scores = evaluate(system, docs, args.errors, f"{path.name} {name}")
            secs = seconds[name]
            tok = ("– | – | –" if raw else
                   f"{scores['tok_p']:.4f} | {scores['tok_r']:.4f} | {scores['tok_f1']:.4f}")
            print(f"| {label} | {name} | {scores['sent_p']:.4f} | {scores['sent_r']:.4f} | {scores['sent_f1']:.4f} | "
                  f"{tok} | {secs:.4f} | {chars / secs:,.0f} | {secs / base:.1f} | {_vs_hazm(seconds, secs)} |",
                  flush=True)
        if args.normalized:
            normalized_speed(docs, systems, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
