"""Sentence and token segmentation: khabar vs hazm (and shekar), accuracy and speed in one run.

Documents are runs of consecutive gold sentences of a UD dev set (``# text =`` lines) joined as
running text: a space between sentences, now and then a line break or a blank line (seeded).
Gold tokens are UD's surface tokens: a multiword token range (``3-4``) counts once, with its
surface form, never its parts.  Every system gets the same text; its sentences and tokens are
scored as exact character spans (precision, recall, F1).

khabar segments the given text directly (``khabar.text.segmenter.segment``), because the
normalizer may change the text (half-spaces, spacing) and so the token boundaries; the row
"khabar (normalize+segment)" runs the real pipeline and maps its spans back to the raw text
through the alignment, so it also shows what normalization costs in span accuracy.

Usage (the bench venv has hazm and shekar)::

    .venv-bench/bin/python bench/segment.py [../shared/data/ud/*-dev.conllu] [--errors 20]
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


# -- systems: each returns (sentence spans, token spans) of one text ---------------------------

def khabar_direct() -> Callable[[str], tuple[Spans, Spans]]:
    from khabar.text.segmenter import segment_offsets

    def run(text: str) -> tuple[Spans, Spans]:
        seg = segment_offsets(text)
        return seg.sentences, list(zip(seg.starts, seg.ends, strict=True))

    return run


def khabar_objects() -> Callable[[str], tuple[Spans, Spans]]:
    from khabar.text.segmenter import segment

    def run(text: str) -> tuple[Spans, Spans]:
        sents, toks = segment(text)
        return [(s.start, s.end) for s in sents], [(t.start, t.end) for t in toks]

    return run


def khabar_pipeline() -> Callable[[str], tuple[Spans, Spans]]:
    from khabar import analyze

    def run(text: str) -> tuple[Spans, Spans]:
        doc = analyze(text, steps=["normalize", "segment"])
        return ([doc.raw_span(s.start, s.end) for s in doc.sentences],
                [doc.raw_span(t.start, t.end) for t in doc.tokens])

    return run


def hazm_system() -> Callable[[str], tuple[Spans, Spans]]:
    from hazm import WordTokenizer, sent_tokenize

    # join_verb_parts=False: hazm's default glues verb parts with "_", which is not a surface token
    tokenizer = WordTokenizer(join_verb_parts=False)

    def run(text: str) -> tuple[Spans, Spans]:
        sents = sent_tokenize(text)
        return locate(text, sents), locate(text, (t for s in sents for t in tokenizer.tokenize(s)))

    return run


def shekar_system() -> Callable[[str], tuple[Spans, Spans]]:
    from shekar import SentenceTokenizer, WordTokenizer

    sentencer, tokenizer = SentenceTokenizer(), WordTokenizer()

    def run(text: str) -> tuple[Spans, Spans]:
        sents = list(sentencer.tokenize(text))
        return locate(text, sents), locate(text, (t for s in sents for t in tokenizer.tokenize(s)))

    return run


SYSTEMS: dict[str, Callable[[], Callable[[str], tuple[Spans, Spans]]]] = {
    "khabar": khabar_direct,
    "khabar segment() (Span/Token objects with kinds)": khabar_objects,
    "khabar (normalize+segment)": khabar_pipeline,
    "hazm sent_tokenize + WordTokenizer": hazm_system,
    "shekar SentenceTokenizer + WordTokenizer": shekar_system,
}


def f1(gold: int, pred: int, hit: int) -> tuple[float, float, float]:
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(run: Callable[[str], tuple[Spans, Spans]], docs: list[Doc], errors: int = 0,
             label: str = "") -> dict[str, float]:
    counts = {"sg": 0, "sp": 0, "sh": 0, "tg": 0, "tp": 0, "th": 0}
    shown = 0
    for doc in docs:
        sents, toks = run(doc.text)
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


def timed(run: Callable[[str], object], texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            run(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="CoNLL-U files (default: ../shared/data/ud/*-dev.conllu)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N differing spans per system and file")
    parser.add_argument("--repeat", type=int, default=10, help="timing repeats (the best is kept)")
    parser.add_argument("--systems", help="comma-separated subset of: " + ", ".join(SYSTEMS))
    args = parser.parse_args(argv)
    files = args.files or sorted(UD.glob("*-dev.conllu"))
    if not files:
        print(f"segment.py: no CoNLL-U files (looked in {UD})", file=sys.stderr)
        return 1
    names = args.systems.split(",") if args.systems else list(SYSTEMS)
    systems = {}
    for name in names:
        try:
            systems[name] = SYSTEMS[name]()
        except ImportError as e:
            print(f"segment.py: skipping {name}: {e}", file=sys.stderr)
    print("| data | system | sentence P | sentence R | sentence F1 | token P | token R | token F1 | seconds | "
          "chars/s | x slower than khabar |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in files:
        try:
            docs = build_docs(read_conllu(path))
        except (OSError, ValueError) as e:
            print(f"segment.py: {e}", file=sys.stderr)
            return 1
        texts = [d.text for d in docs]
        chars = sum(map(len, texts))
        base = None
        for name, run in systems.items():
            scores = evaluate(run, docs, args.errors, f"{path.name} {name}")
            secs = timed(run, texts, args.repeat)
            if base is None:
                base = secs
            print(f"| {path.name} ({len(docs)} docs, {sum(len(d.sentences) for d in docs)} sentences, "
                  f"{sum(len(d.tokens) for d in docs)} tokens) | {name} | {scores['sent_p']:.4f} | "
                  f"{scores['sent_r']:.4f} | {scores['sent_f1']:.4f} | {scores['tok_p']:.4f} | {scores['tok_r']:.4f} | "
                  f"{scores['tok_f1']:.4f} | {secs:.3f} | {chars / secs:,.0f} | {secs / base:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
