"""Readers for the NER corpora (ARMAN, PEYMA, ParsTwiNER) and their alignment to khabar's tokens.

A corpus sentence becomes its tokens joined by spaces (``raw``) with gold entities as
raw character spans labelled in khabar's label set (docs/ner.md has the mapping).
:func:`prepare` runs khabar's normalizer and tokenizer over ``raw`` and gives every
khabar token a BIO label, so training and use see the same text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from khabar.ner.tokens import pieces
from khabar.text.normalizer import normalize_with_alignment
from khabar.text.segmenter import tokenize

ARMAN = {"pers": "PER", "org": "ORG", "loc": "LOC", "fac": "FAC", "pro": "PRODUCT", "event": "EVENT"}
PEYMA = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "DAT": "DATE", "TIM": "TIME", "MON": "MONEY",
         "PCT": "PERCENT"}
# NAT (nationality adjectives) has no khabar label: left out (O).  POG (political groups) is ORG.
PARSTWINER = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "EVE": "EVENT", "POG": "ORG", "NAT": None}

FORMATS: dict[str, tuple[str, dict[str, str | None]]] = {
    "arman": (" ", ARMAN),
    "peyma": ("|", PEYMA),
    "parstwiner": ("\t", PARSTWINER),
}

# The labels each corpus annotates (predictions outside them cannot be judged on it).
CORPUS_LABELS = {name: frozenset(v for v in m.values() if v) for name, (_, m) in FORMATS.items()}


class CorpusError(ValueError):
    pass


@dataclass
class GoldSentence:
    raw: str
    entities: list[tuple[int, int, str]]  # raw (start, end, label)
    token_spans: list[tuple[int, int]]  # the corpus tokens' raw spans


@dataclass
class Prepared:
    words: list[str]
    labels: list[str]  # BIO over khabar tokens
    raw_spans: list[tuple[int, int]]  # each khabar token's raw span
    domain: str | None = None  # the corpus whose conventions the labels follow


def read_corpus(path: str | Path, corpus: str) -> list[GoldSentence]:
    """Read one file of ``corpus`` (arman, peyma or parstwiner)."""
    sep, mapping = FORMATS[corpus]
    out: list[GoldSentence] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        if tokens:
            out.append(_sentence(tokens, mapping))
            tokens.clear()

    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            token, found, tag = line.rpartition(sep)
            if not found or not token.strip() or not tag:
                raise CorpusError(f"{path}:{lineno}: expected 'token{sep}TAG', got {line!r}")
            tag = tag.strip()
            if tag != "O":
                prefix, label = tag[0], tag[2:]
                if prefix not in "BI" or tag[1] not in "-_" or label not in mapping:
                    raise CorpusError(f"{path}:{lineno}: unknown tag {tag!r}")
            tokens.append((token.strip(), tag))
    flush()
    return out


def _sentence(tokens: list[tuple[str, str]], mapping: dict[str, str | None]) -> GoldSentence:
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    entities: list[tuple[int, int, str]] = []
    pos = 0
    current: list | None = None  # [start, end, label]
    for token, tag in tokens:
        start, end = pos, pos + len(token)
        parts.append(token)
        spans.append((start, end))
        pos = end + 1
        label = mapping.get(tag[2:]) if tag != "O" else None
        if label is None:
            current = None
            continue
        if tag[0] == "I" and current is not None and current[2] == label:
            current[1] = end
        else:
            current = [start, end, label]
            entities.append(current)  # type: ignore[arg-type]
    return GoldSentence(" ".join(parts), [tuple(e) for e in entities], spans)  # type: ignore[misc]


def strip_halfspaces(sentence: GoldSentence) -> GoldSentence:
    """The same sentence with every half-space written as a space (offsets unchanged)."""
    return GoldSentence(sentence.raw.replace("\u200c", " "), sentence.entities, sentence.token_spans)


def prepare(sentence: GoldSentence) -> Prepared:
    """Normalize and tokenize like khabar does; BIO labels from the gold raw spans."""
    text, alignment, _ = normalize_with_alignment(sentence.raw)
    words: list[str] = []
    raw_spans: list[tuple[int, int]] = []
    for word, s, e in pieces(text, token_spans(text)):
        words.append(word)
        raw_spans.append(alignment.raw_span(s, e))
    return Prepared(words, bio_labels(raw_spans, sentence.entities), raw_spans)


def token_spans(text: str) -> list[tuple[int, int]]:
    """khabar's tokens (the segmenter's, as the ``segment`` step makes them) of a normalized text."""
    return [(t.start, t.end) for t in tokenize(text)]


def bio_labels(raw_spans: list[tuple[int, int]], entities: list[tuple[int, int, str]]) -> list[str]:
    """BIO label of each token: the entity that holds the token's first character."""
    labels = ["O"] * len(raw_spans)
    ents = sorted(entities)
    k = 0
    last_entity = -1
    for i, (rs, _re) in enumerate(raw_spans):
        while k < len(ents) and ents[k][1] <= rs:
            k += 1
        if k < len(ents) and ents[k][0] <= rs < ents[k][1]:
            labels[i] = ("I-" if last_entity == k else "B-") + ents[k][2]
            last_entity = k
        else:
            last_entity = -1
    return labels


def snap(span: tuple[int, int], token_spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Widen a raw span to whole corpus tokens (evaluation compares whole tokens)."""
    import bisect

    starts = [s for s, _ in token_spans]
    i = max(bisect.bisect_right(starts, span[0]) - 1, 0)
    j = max(bisect.bisect_right(starts, max(span[1] - 1, span[0])) - 1, 0)
    return token_spans[i][0], token_spans[j][1]
