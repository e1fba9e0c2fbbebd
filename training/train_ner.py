"""Build khabar's named-entity model: src/khabar/data/ner.crfsuite and ner-resources.json.gz.

    python training/train_ner.py                 # the shipped model (ARMAN all + PEYMA train)
    python training/train_ner.py --train peyma:train --dev peyma:dev --out-dir /tmp/ner

Steps: word clusters from unlabeled text (../shared/data raw + news + the PEYMA and
ParsTwiNER training text) by PPMI + SVD + k-means at three granularities; a gazetteer
of entity phrases from the training data (jackknifed, so training features do not see
their own sentence's entities); every training sentence through khabar's normalizer
and tokenizer (ARMAN sentences also with their half-spaces written as spaces, as
scraped text often has them); labels a corpus lacks filled by an auxiliary model;
one CRF (python-crfsuite, L-BFGS with L1 + L2) with per-corpus domain features.  Needs numpy
(``pip install -e '.[train]'``).  See docs/ner.md.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.ner.corpora import (  # noqa: E402
    CORPUS_LABELS,
    GoldSentence,
    Prepared,
    prepare,
    read_corpus,
    strip_halfspaces,
    token_spans,
)
from khabar.ner.features import VERSION, Resources, fold, sentence_features  # noqa: E402
from khabar.ner.model import Recognizer, decode, load_resources, plausible, save_resources  # noqa: E402
from khabar.ner.tokens import pieces  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "khabar" / "data"
CACHE = Path.home() / ".cache" / "khabar-ner"

CORPUS_FILES = {
    "arman": {"all": ["train_fold1.txt", "test_fold1.txt"],
              **{f"train_fold{k}": [f"train_fold{k}.txt"] for k in (1, 2, 3)},
              **{f"test_fold{k}": [f"test_fold{k}.txt"] for k in (1, 2, 3)}},
    "peyma": {"train": ["train.txt"], "dev": ["dev.txt"]},
    "parstwiner": {"train": ["train.txt"], "dev": ["dev.txt"], "test": ["test.txt"]},
}

CLUSTER_SIZES = (32, 256, 1024)
MIN_FREQ = 3  # SGD only: drop (attribute, label) features seen fewer times (SGD has no L1 to prune them)
# The shipped model: L-BFGS with L1 + L2 (elastic net).  L1 prunes the weights itself, so no
# frequency cut-off is needed, and F1 is higher: PEYMA train alone, PEYMA dev 0.780 (5 MB) vs
# 0.772 for SGD (47 MB unpruned); shipped recipe 0.783 vs 0.766 (SGD with the cut-off).  The auxiliary models that fill missing labels
# stay SGD (cheaper; they only propose silver labels).
ALGORITHM = "lbfgs"
AUX_ALGORITHM = "l2sgd"
AUX_ITERATIONS = 20
ITERATIONS = 150
C1, C2 = 0.05, 0.1

NOTICE = """khabar named-entity model (ner.crfsuite, ner-resources.json.gz)

Built by training/train_ner.py from:
- ArmanPersoNERCorpus (HaniehP/PersianNER), released for academic research use only.
- PEYMA (via overfit-ir/persian-twitter-ner), research use.
- Word clusters from UD Persian-PerDT and Seraji training sentences (CC BY-SA 4.0),
  Fars News and Varzesh3 articles (research use), PEYMA train and ParsTwiNER (MIT) text.
The model inherits these terms: research use.  It contains no corpus text beyond
single words (clusters) and entity names (gazetteer) learned from the training data.
"""


def log(*args: object) -> None:
    print(f"[{time.strftime('%H:%M:%S')}]", *args, file=sys.stderr, flush=True)


def load(spec: str, data: Path = DATA) -> tuple[str, list[GoldSentence]]:
    """``corpus:split`` (e.g. ``arman:train_fold1``, ``peyma:train``) -> sentences."""
    corpus, _, split = spec.partition(":")
    if corpus not in CORPUS_FILES or split not in CORPUS_FILES[corpus]:
        raise SystemExit(f"unknown data spec {spec!r}; corpora: {', '.join(CORPUS_FILES)}")
    out: list[GoldSentence] = []
    for name in CORPUS_FILES[corpus][split]:
        out.extend(read_corpus(data / "ner" / corpus / name, corpus))
    return corpus, out


# ---------------------------------------------------------------------------
# Word clusters


def news_texts(data: Path = DATA) -> Iterator[str]:
    """Titles, abstracts and paragraphs of the news articles (../shared/data/news/*.json: Fars News, Varzesh3)."""
    for path in sorted((data / "news").glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            for art in json.load(fh):
                for key in ("title", "abstract"):
                    if art.get(key):
                        yield art[key]
                for p in art.get("paragraphs") or []:
                    if p and p.strip():
                        yield p


def unlabeled_sentences(data: Path = DATA) -> Iterable[str]:
    for path in sorted((data / "raw").glob("*.txt")):
        with open(path, encoding="utf-8") as fh:
            yield from (line.strip() for line in fh if line.strip())
    yield from news_texts(data)
    for corpus, split in (("peyma", "train"), ("parstwiner", "train")):
        for s in load(f"{corpus}:{split}", data)[1]:
            yield s.raw


def unlabeled_words(data: Path = DATA, cache: Path = CACHE) -> list[list[str]]:
    """The unlabeled sentences through khabar's normalizer and tokenizer, as folded pieces (cached)."""
    import gzip

    from khabar.text.normalizer import normalize

    path = cache / "unlabeled-v1.json.gz"
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    sents: list[list[str]] = []
    for line in unlabeled_sentences(data):
        text = normalize(line)
        sents.append([fold(w) for w, _, _ in pieces(text, token_spans(text))])
    cache.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(sents, fh, ensure_ascii=False)
    return sents


def word_vectors(data: Path = DATA, vocab_size: int = 40000, contexts: int = 1000, dim: int = 100,
                 rng: Any = None) -> tuple[list[str], Any]:
    """Word vectors of the unlabeled text: PPMI over left/right neighbour counts, truncated SVD, unit length.

    Returns ``(vocabulary, vectors)``: the words (folded pieces seen at least twice, most frequent first)
    and a float32 matrix with one row per word.
    """
    import numpy as np

    if rng is None:
        rng = np.random.default_rng(0)
    sents = unlabeled_words(data)
    counts: collections.Counter[str] = collections.Counter(w for words in sents for w in words)
    log(f"word vectors: {len(sents)} sentences, {sum(counts.values())} tokens, {len(counts)} types")
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= 2]
    index = {w: i for i, w in enumerate(vocab)}
    ctx = {w: i for i, w in enumerate(vocab[:contexts])}
    nv, nc = len(vocab), len(ctx)
    mat = np.zeros((nv, 4 * nc), dtype=np.float32)
    rows: list[int] = []
    cols: list[int] = []
    for words in sents:
        ids = [index.get(w, -1) for w in words]
        cids = [ctx.get(w, -1) for w in words]
        n = len(words)
        for i, wi in enumerate(ids):
            if wi < 0:
                continue
            for block, d in enumerate((-2, -1, 1, 2)):
                j = i + d
                if 0 <= j < n and cids[j] >= 0:
                    rows.append(wi)
                    cols.append(block * nc + cids[j])
    np.add.at(mat, (np.array(rows), np.array(cols)), 1.0)
    total = mat.sum()
    row = mat.sum(1, keepdims=True)
    col = mat.sum(0, keepdims=True) ** 0.75
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(mat * total / (row * col + 1e-9) + 1e-12)
    ppmi = np.maximum(pmi, 0).astype(np.float32)
    ppmi[~np.isfinite(ppmi)] = 0
    del mat, pmi
    # Randomized SVD.
    omega = rng.standard_normal((ppmi.shape[1], dim + 20)).astype(np.float32)
    q, _ = np.linalg.qr(ppmi @ omega)
    for _ in range(2):
        q, _ = np.linalg.qr(ppmi @ (ppmi.T @ q))
    b = q.T @ ppmi
    ub, s, _ = np.linalg.svd(b, full_matrices=False)
    emb = (q @ ub[:, :dim]) * np.sqrt(s[:dim])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    log(f"word vectors: {emb.shape}")
    return vocab, emb.astype(np.float32)


def cached_vectors(data: Path = DATA, cache: Path = CACHE, dim: int = 100) -> tuple[list[str], Any]:
    """:func:`word_vectors` (default settings), cached in ``cache``."""
    import numpy as np

    path = cache / f"vectors-v1-{dim}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as z:
            return [str(w) for w in z["vocab"]], z["vectors"]
    vocab, vectors = word_vectors(data, dim=dim)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, vocab=np.array(vocab), vectors=vectors)
    return vocab, vectors


def build_clusters(data: Path = DATA, vocab_size: int = 40000, contexts: int = 1000, dim: int = 100,
                   sizes: Sequence[int] = CLUSTER_SIZES, seed: int = 0) -> dict[str, tuple[str, ...]]:
    """PPMI over left/right neighbour counts, truncated SVD, k-means at each size."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vocab, emb = word_vectors(data, vocab_size, contexts, dim, rng)
    nv = len(vocab)
    ids: list[np.ndarray] = []
    for k in sizes:
        ids.append(kmeans(emb, min(k, nv), rng))
        log(f"clusters: k-means {k} done")
    return {w: tuple(str(int(a[i])) for a in ids) for i, w in enumerate(vocab)}


def kmeans(x, k: int, rng, iterations: int = 20):  # type: ignore[no-untyped-def]
    import numpy as np

    centers = x[rng.choice(len(x), k, replace=False)].copy()
    assign = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        assign = np.concatenate([np.argmax(x[i:i + 8192] @ centers.T, axis=1) for i in range(0, len(x), 8192)])
        for c in range(k):
            members = x[assign == c]
            if len(members):
                v = members.sum(0)
                centers[c] = v / (np.linalg.norm(v) + 1e-9)
    return assign


def cached_clusters(data: Path = DATA, cache: Path = CACHE) -> dict[str, tuple[str, ...]]:
    path = cache / "clusters-v2.json"
    if path.is_file():
        with open(path, encoding="utf-8") as fh:
            return {w: tuple(c) for w, c in json.load(fh).items()}
    clusters = build_clusters(data)
    cache.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(clusters, fh, ensure_ascii=False)
    return clusters


# ---------------------------------------------------------------------------
# Gazetteer


def gazetteer_from(prepared: Iterable[Prepared], min_count: int = 1) -> dict[tuple[str, ...], str]:
    """Entity phrases (folded words) with their most frequent label."""
    counts: dict[tuple[str, ...], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for p in prepared:
        for first, last, label in decode(p.labels):
            if last - first <= 6:
                counts[tuple(fold(w) for w in p.words[first:last])][label] += 1
    out: dict[tuple[str, ...], str] = {}
    for phrase, c in counts.items():
        label, n = c.most_common(1)[0]
        if n >= min_count and n * 2 > sum(c.values()):
            out[phrase] = label
    return out


# ---------------------------------------------------------------------------
# Word-frequency features (experimental, ``--frequency``; not in the shipped recipe)

LEXICONS = ("hazm-words.dat", "shekar-vocab.csv")
# Inflectional suffixes stripped to find a word's lemma in the lists (longest first).
SUFFIXES = ("هایی", "ترین", "هایم", "هایت", "هایش", "شان", "تان", "مان", "های", "ها", "ان", "ات", "ین", "ای",
            "یی", "تر", "ی", "ش", "م", "ت")


class FrequencyFeatures:
    """Features from large-corpus word-frequency lists (../shared/data/lexicons: hazm-words.dat and
    shekar-vocab.csv), added after :func:`khabar.ner.features.sentence_features`:

    - ``fh=``/``fs=``: log10 bucket of the folded word's count in each list (``x`` when absent;
      ``~`` before the bucket when only the word without an inflectional suffix is listed: the lists
      hold lemmas), and the same for the neighbours ±1 (``fh-1=``, ``fs+1=``, ...);
    - ``oov`` (and ``oov-1``/``oov+1``): a word with a letter that neither list holds;
    - ``fr=``: log2 bucket of the word's relative frequency in the unlabeled news text (the clusters'
      text, PEYMA train included) over its relative frequency in shekar's list (``fr=new`` when only
      the news text has it): words much more frequent in news than in general text are often names.

    Only the training script uses them (the runtime features do not): an experiment, see docs/ner.md.
    """

    def __init__(self, lists: Sequence[dict[str, int]], news: dict[str, int]) -> None:
        self.lists = lists
        self.news = news
        self.news_total = sum(news.values()) or 1
        self.shekar_total = sum(lists[-1].values()) or 1
        self._cache: dict[str, tuple[list[str], list[str]]] = {}

    @classmethod
    def load(cls, data: Path = DATA) -> FrequencyFeatures:
        from khabar.text.normalizer import normalize

        lists: list[dict[str, int]] = []
        for name in LEXICONS:
            entries: list[tuple[str, int]] = []
            with open(data / "lexicons" / name, encoding="utf-8") as fh:
                for line in fh:
                    if name.endswith(".csv"):
                        word, _, count = line.rstrip("\n").rpartition(",")
                    else:
                        word, _, rest = line.rstrip("\n").partition("\t")
                        count = rest.partition("\t")[0]
                    if word and count.isdigit():
                        entries.append((word, int(count)))
            # normalized as one text, a word a line (line breaks are kept: the same words as one by one,
            # without 277,000 calls; the half-space rule's ZWNJs are folded away anyway)
            words = normalize("\n".join(w for w, _ in entries), halfspace=False).split("\n")
            counts: dict[str, int] = {}
            for word, (_, count) in zip(words, entries, strict=True):
                f = fold(word)
                counts[f] = max(counts.get(f, 0), count)
            lists.append(counts)
            log(f"frequency list {name}: {len(counts)} words")
        news = collections.Counter(w for words in unlabeled_words(data) for w in words)
        return cls(lists, dict(news))

    @staticmethod
    def _bucket(counts: dict[str, int], f: str) -> str:
        """log10 bucket of ``f``'s count; the lists hold lemmas, so an inflected word is looked up without its
        suffix (bucket marked ``~``); ``x`` when absent."""
        if f in counts:
            return str(int(math.log10(counts[f] + 1)))
        for suffix in SUFFIXES:
            stem = f[:-len(suffix)]
            if f.endswith(suffix) and len(stem) >= 2 and stem in counts:
                return "~" + str(int(math.log10(counts[stem] + 1)))
        return "x"

    def word(self, f: str) -> tuple[list[str], list[str]]:
        """(features of the word itself, features passed to its neighbours) for folded ``f``."""
        got = self._cache.get(f)
        if got is None:
            buckets = [self._bucket(c, f) for c in self.lists]
            own = [f"fh={buckets[0]}", f"fs={buckets[1]}"]
            near = [f"fh{{d}}={buckets[0]}", f"fs{{d}}={buckets[1]}"]
            if any(ch.isalpha() for ch in f) and all(b == "x" for b in buckets):
                own.append("oov")
                near.append("oov{d}")
            n = self.news.get(f, 0)
            if n:
                shekar = self.lists[-1].get(f, 0)
                if shekar:
                    ratio = (n / self.news_total) / (shekar / self.shekar_total)
                    own.append(f"fr={max(-5, min(5, round(math.log2(ratio))))}")
                else:
                    own.append("fr=new")
            got = (own, near)
            self._cache[f] = got
        return got

    def add(self, feats: list[list[str]], words: Sequence[str]) -> list[list[str]]:
        """Append the frequency features of ``words`` to their feature lists ``feats`` (in place)."""
        infos = [self.word(fold(w)) for w in words]
        n = len(words)
        for i, out in enumerate(feats):
            out.extend(infos[i][0])
            for d in (-1, 1):
                if 0 <= i + d < n:
                    out.extend(x.format(d=f"{d:+d}") for x in infos[i + d][1])
        return feats


class FrequencyRecognizer(Recognizer):
    """A :class:`~khabar.ner.model.Recognizer` whose features include :class:`FrequencyFeatures`."""

    def __init__(self, model_path: str | Path, resources: Resources, freq: FrequencyFeatures) -> None:
        super().__init__(model_path, resources)
        self.freq = freq

    def features(self, words: Sequence[str], domain: str | None = None) -> list[list[str]]:
        return self.freq.add(super().features(words, domain), words)


# ---------------------------------------------------------------------------
# Self-training (experimental, ``--self-train``; not in the shipped recipe)


def news_pieces(data: Path = DATA) -> Iterator[tuple[list[str], list[tuple[int, int]]]]:
    """Every sentence of the news articles as the tagger sees analysed text: normalized, cut into
    sentences by the segmenter, tokens cut into pieces.  Yields ``(pieces, their spans in the sentence)``."""
    from khabar.text.normalizer import normalize
    from khabar.text.segmenter import split_sentences

    for raw in news_texts(data):
        text = normalize(raw)
        for span in split_sentences(text):
            sentence = text[span.start:span.end]
            cut = pieces(sentence, token_spans(sentence))
            if cut:
                yield [w for w, _, _ in cut], [(s, e) for _, s, e in cut]


def pseudo_labelled(model_dir: Path, prefix: str, data: Path, threshold: float,
                    exclude: set[tuple[str, ...]], min_words: int = 4, max_words: int = 80) -> list[Prepared]:
    """The news sentences that the model in ``model_dir`` tags confidently, with its labels.

    Each distinct sentence (``min_words`` to ``max_words`` pieces; none whose folded pieces are in
    ``exclude``, the scored sets) is tagged in the model's own domain; it is kept when it holds at
    least one entity and the CRF's probability of its best label sequence, P(y*|x), is at least
    ``threshold``.  Cached per model file, threshold and exclusion set (the cache holds corpus text:
    it stays in ``~/.cache/khabar-ner``, never in the repository; the key does not see the normalizer,
    so delete ``selftrain-*.json.gz`` there after changing it and reusing a teacher).
    """
    import gzip

    import pycrfsuite

    model = model_dir / f"{prefix}.crfsuite"
    digest = hashlib.sha256(model.read_bytes())
    digest.update(f"{threshold}-{min_words}-{max_words}-plausible".encode())  # (labels checked as the Recognizer's)
    for key in sorted(exclude):
        digest.update("\x00".join(key).encode("utf-8") + b"\n")
    path = CACHE / f"selftrain-{digest.hexdigest()[:16]}.json.gz"
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [Prepared(w, y, [tuple(x) for x in sp]) for w, y, sp in json.load(fh)]
    resources = load_resources(model_dir / f"{prefix}-resources.json.gz")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    seen: set[tuple[str, ...]] = set()
    kept: list[Prepared] = []
    n_tagged = n_excluded = n_confident = 0
    t = time.time()
    for words, spans in news_pieces(data):
        if not min_words <= len(words) <= max_words:
            continue
        key = tuple(fold(w) for w in words)
        if key in seen:
            continue
        seen.add(key)
        if key in exclude:
            n_excluded += 1
            continue
        tagger.set(sentence_features(words, resources))
        labels = tagger.tag()
        n_tagged += 1
        if tagger.probability(labels) < threshold:
            continue
        n_confident += 1
        kept_spans = set(plausible(words, decode(labels)))  # as Recognizer.entities: no implausible MONEY
        for first, last, label in decode(labels):
            if (first, last, label) not in kept_spans:
                labels[first:last] = ["O"] * (last - first)
        if any(y != "O" for y in labels):
            kept.append(Prepared(words, labels, spans))
    log(f"self-training: tagged {n_tagged} distinct news sentences in {time.time() - t:.0f}s "
        f"({n_excluded} left out: in a scored set); {n_confident} with P(y*|x) >= {threshold}, "
        f"{len(kept)} of them with an entity")
    CACHE.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump([[p.words, p.labels, p.raw_spans] for p in kept], fh, ensure_ascii=False)
    return kept


def self_training_sentences(model_dir: Path, prefix: str, data: Path, limit: int, threshold: float,
                            domain: str, exclude_specs: Sequence[str], seed: int = 0) -> list[Prepared]:
    """At most ``limit`` of :func:`pseudo_labelled`'s sentences (a random sample), trained in ``domain``."""
    exclude = {tuple(fold(w) for w in prepare(s).words) for spec in exclude_specs for s in load(spec, data)[1]}
    kept = pseudo_labelled(model_dir, prefix, data, threshold, exclude)
    random.Random(seed).shuffle(kept)
    chosen = kept[:limit]
    for p in chosen:
        p.domain = domain
    counts = collections.Counter(label for p in chosen for _, _, label in decode(p.labels))
    log(f"self-training: {len(chosen)} pseudo-labelled sentences ({sum(len(p.words) for p in chosen)} pieces) "
        f"in domain {domain!r}; entities {dict(sorted(counts.items()))}")
    return chosen


# ---------------------------------------------------------------------------
# Training


def jackknifed(prepared: Sequence[Prepared], folds: int = 2) -> Iterator[tuple[list[Prepared], dict[tuple[str, ...], str]]]:
    """Each part ``prepared[k::folds]`` with the gazetteer of the other parts, so that training features
    never see their own sentence's entities."""
    parts = [list(prepared[k::folds]) for k in range(folds)]
    for k, part in enumerate(parts):
        yield part, gazetteer_from(p for j, other in enumerate(parts) if j != k for p in other)


def prepare_training(sets: Sequence[tuple[str, list[GoldSentence]]], strip_prob: float,
                     seed: int = 0) -> list[tuple[str, Prepared]]:
    out: list[tuple[str, Prepared]] = []
    for corpus, sentences in sets:
        key = (corpus, content_hash(sentences), strip_prob, seed)
        if key not in _PREPARED:
            rng = random.Random(seed)
            done: list[Prepared] = []
            for s in sentences:
                if "\u200c" in s.raw and rng.random() < strip_prob:
                    s = strip_halfspaces(s)
                p = prepare(s)
                p.domain = corpus
                if p.words:
                    done.append(p)
            _PREPARED[key] = done
        out.extend((corpus, p) for p in _PREPARED[key])
    return out


_PREPARED: dict[tuple, list[Prepared]] = {}  # per process: the bench trains several models


def content_hash(sentences: Sequence[GoldSentence]) -> str:
    """A digest of the sentences' text and gold entities (the key of cached preparations)."""
    digest = hashlib.sha256()
    for s in sentences:
        digest.update(s.raw.encode("utf-8"))
        digest.update(b"\x00")
        digest.update(repr(s.entities).encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


def complete(prepared: list[tuple[str, Prepared]], clusters: dict[str, tuple[str, ...]],
             max_iterations: int = AUX_ITERATIONS, c1: float = C1, c2: float = C2) -> list[Prepared]:
    """Fill the labels a corpus does not annotate with a model trained on the corpora that do.

    ARMAN has no DATE/TIME/MONEY/PERCENT and PEYMA no FAC/EVENT/PRODUCT: their tokens say O
    there, which would teach a joint model to miss them.  An auxiliary CRF trained on the
    other corpora tags each sentence; its entities of the missing labels that fall on
    tokens the gold says O become silver labels.
    """
    corpora = sorted({c for c, _ in prepared})
    if len(corpora) < 2:
        return [p for _, p in prepared]
    have = set().union(*(CORPUS_LABELS[c] for c in corpora))
    out: list[Prepared] = []
    for corpus in corpora:
        mine = [p for c, p in prepared if c == corpus]
        missing = have - CORPUS_LABELS[corpus]
        if not missing:
            out.extend(mine)
            continue
        others = [p for c, p in prepared if c != corpus and CORPUS_LABELS[c] & missing]
        key = f"aux{VERSION}{AUX_ALGORITHM}-{corpus}-{len(others)}-{sum(len(p.words) for p in others)}-{max_iterations}"
        CACHE.mkdir(parents=True, exist_ok=True)
        model = CACHE / f"{key}.crfsuite"
        if not model.is_file():
            log(f"auxiliary model for {corpus}'s missing labels {sorted(missing)}")
            gazetteer = train(others, clusters, model.with_suffix(".tmp"), max_iterations, c1, c2,
                              algorithm=AUX_ALGORITHM)
            model.with_suffix(".tmp").rename(model)
            save_resources(CACHE / f"{key}-resources.json.gz", clusters, gazetteer, others[0].domain)
        rec = Recognizer(model, load_resources(CACHE / f"{key}-resources.json.gz"))
        added = 0
        for p in mine:
            labels = list(p.labels)
            for first, last, label in rec.entities(p.words):
                if label in missing and all(x == "O" for x in labels[first:last]):
                    labels[first:last] = ["B-" + label] + ["I-" + label] * (last - first - 1)
                    added += 1
            out.append(Prepared(p.words, labels, p.raw_spans, p.domain))
        log(f"completed {corpus}: {added} silver entities of {sorted(missing)}")
    return out


def train(prepared: list[Prepared], clusters: dict[str, tuple[str, ...]], model_path: Path,
          max_iterations: int = ITERATIONS, c1: float = C1, c2: float = C2, folds: int = 2,
          algorithm: str = ALGORITHM, freq: FrequencyFeatures | None = None) -> dict[tuple[str, ...], str]:
    """Train the CRF into ``model_path``; return the gazetteer to ship with it.  With ``freq``, the
    features also include its word-frequency features (an experiment, see :class:`FrequencyFeatures`)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(algorithm=algorithm, verbose=False)
    for part, gazetteer in jackknifed(prepared, folds):
        res = Resources(clusters=clusters, gazetteer=gazetteer)
        for p in part:
            feats = sentence_features(p.words, res, p.domain)
            trainer.append(freq.add(feats, p.words) if freq else feats, p.labels)
    if algorithm == "lbfgs":
        trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                            "feature.possible_transitions": True})
    else:  # l2sgd: max_iterations counts epochs
        trainer.set_params({"c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": True,
                            "feature.minfreq": MIN_FREQ})
    log(f"training CRF on {len(prepared)} sentences, {sum(len(p.words) for p in prepared)} tokens")
    t = time.time()
    trainer.train(str(model_path))
    log(f"trained in {time.time() - t:.0f}s -> {model_path}")
    return gazetteer_from(prepared)


def training_sentences(specs: Sequence[str], data: Path = DATA, strip_prob: float = 0.3,
                       fill_with: dict[str, tuple[str, ...]] | None = None) -> list[Prepared]:
    """The training sentences of ``specs`` prepared for tagging (see :func:`prepare_training`); with cluster
    ``fill_with``, the labels a corpus lacks are filled by :func:`complete` (the CRF's and the neural tagger's data)."""
    tagged = prepare_training([load(spec, data) for spec in specs], strip_prob)
    if fill_with is None:
        return [p for _, p in tagged]
    return complete(tagged, fill_with)


def build(train_specs: Sequence[str], out_dir: Path, prefix: str = "ner", strip_prob: float = 0.3,
          max_iterations: int = ITERATIONS, c1: float = C1, c2: float = C2, use_clusters: bool = True,
          data: Path = DATA, fill_missing: bool = True, domain: str | None = "peyma",
          freq: FrequencyFeatures | None = None, extra: Sequence[Prepared] = ()) -> tuple[Path, Path]:
    """Train a model on ``train_specs`` (plus the already labelled ``extra`` sentences, e.g. pseudo-labelled
    ones, which no auxiliary model fills) and write ``{prefix}.crfsuite`` and its resources to ``out_dir``."""
    clusters = cached_clusters(data) if use_clusters else {}
    prepared = training_sentences(train_specs, data, strip_prob, clusters if fill_missing else None)
    prepared.extend(extra)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = out_dir / f"{prefix}.crfsuite"
    gazetteer = train(prepared, clusters, model, max_iterations, c1, c2, freq=freq)
    # Ship clusters only for words the features can meet (all of them: the vocabulary is capped).
    resources = out_dir / f"{prefix}-resources.json.gz"
    save_resources(resources, clusters, gazetteer, domain)
    return model, resources


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", nargs="+", default=["arman:all", "peyma:train"],
                    help="corpus:split to train on (default: arman:all peyma:train)")
    ap.add_argument("--dev", nargs="*", default=["peyma:dev"], help="corpus:split to score after training")
    ap.add_argument("--out-dir", type=Path, default=OUT)
    ap.add_argument("--prefix", default="ner")
    ap.add_argument("--strip-prob", type=float, default=0.3,
                    help="share of sentences with half-spaces trained with them written as spaces")
    ap.add_argument("--max-iterations", type=int, default=ITERATIONS,
                    help=f"L-BFGS iterations (default {ITERATIONS})")
    ap.add_argument("--c1", type=float, default=C1, help=f"L1 weight (default {C1})")
    ap.add_argument("--c2", type=float, default=C2, help=f"L2 weight (default {C2})")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--no-fill", action="store_true",
                    help="do not fill labels a corpus lacks with an auxiliary model's silver labels")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--frequency", action="store_true",
                    help="experiment: add word-frequency features from ../shared/data/lexicons (hazm-words.dat, "
                         "shekar-vocab.csv; see FrequencyFeatures); the runtime tagger does not compute them, so "
                         "such a model is only scored here (--dev), never shipped")
    ap.add_argument("--self-train", type=int, default=0, metavar="N",
                    help="experiment (off by default): add at most N news sentences labelled by a teacher model "
                         "(see pseudo_labelled); the teacher is --self-train-teacher, or else a model trained "
                         "first with the same recipe (into ~/.cache/khabar-ner/selftrain-teacher)")
    ap.add_argument("--self-train-threshold", type=float, default=0.9, metavar="P",
                    help="keep a pseudo-labelled sentence when P(best labels | sentence) >= P (default 0.9)")
    ap.add_argument("--self-train-domain", default="peyma",
                    help="the domain the pseudo-labelled sentences are trained in (default peyma; "
                         "a new name gives them their own domain features)")
    ap.add_argument("--self-train-teacher", type=Path, metavar="DIR",
                    help="directory of the teacher model (ner.crfsuite, ner-resources.json.gz)")
    args = ap.parse_args(argv)
    if args.frequency and args.out_dir.resolve() == OUT.resolve():
        raise SystemExit("--frequency models cannot be shipped (the runtime features lack them): give --out-dir")
    if not (args.data / "ner").is_dir():
        raise SystemExit(f"{args.data / 'ner'}: NER corpora not found (see ../shared/data/README.md)")
    freq = FrequencyFeatures.load(args.data) if args.frequency else None
    t = time.time()
    extra: list[Prepared] = []
    if args.self_train > 0:
        if freq is not None:
            raise SystemExit("--self-train and --frequency cannot be combined")
        teacher, teacher_prefix = args.self_train_teacher, "ner"
        if teacher is None:
            teacher = CACHE / "selftrain-teacher"
            log(f"self-training: training the teacher -> {teacher / teacher_prefix}.crfsuite")
            build(args.train, teacher, teacher_prefix, args.strip_prob, args.max_iterations, args.c1, args.c2,
                  not args.no_clusters, args.data, not args.no_fill)
        else:
            missing = [f for f in (f"{teacher_prefix}.crfsuite", f"{teacher_prefix}-resources.json.gz")
                       if not (teacher / f).is_file()]
            if missing:
                raise SystemExit(f"--self-train-teacher {teacher}: no {' or '.join(missing)} there")
        extra = self_training_sentences(teacher, teacher_prefix, args.data, args.self_train,
                                        args.self_train_threshold, args.self_train_domain, args.dev)
    model, resources = build(args.train, args.out_dir, args.prefix, args.strip_prob, args.max_iterations,
                             args.c1, args.c2, not args.no_clusters, args.data, not args.no_fill,
                             freq=freq, extra=extra)
    if args.out_dir.resolve() == OUT.resolve():
        (OUT / "ner-NOTICE.txt").write_text(NOTICE, encoding="utf-8")
    log(f"built in {time.time() - t:.0f}s: {model} ({model.stat().st_size} bytes), "
        f"{resources} ({resources.stat().st_size} bytes)")
    if args.dev:
        sys.path.insert(0, str(ROOT / "bench"))
        from ner import evaluate, format_scores, prf  # type: ignore[import-not-found]

        rec = Recognizer.load(args.out_dir, args.prefix)
        if freq is not None:
            rec = FrequencyRecognizer(model, rec.resources, freq)
        for spec in args.dev:
            corpus, sentences = load(spec, args.data)
            scores = evaluate(rec, sentences, corpus)
            p, r, _ = prf(scores["ALL"])
            print(spec, f"P={p:.3f} R={r:.3f}", format_scores(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
