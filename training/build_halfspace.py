"""Build the half-space (ZWNJ) model shipped in src/khabar/data/halfspace.pkl.gz.

Rebuild with one command (needs ../shared/data and numpy, the ``train`` extra:
``pip install -e '.[train]'``; one to two minutes on a shared 2-core machine)::

    python training/build_halfspace.py            # or: --data DIR --out FILE

A tuning model, for choosing settings without the dev sets: ``--holdout 10 --out /tmp/tune.pkl.gz``
leaves out every 10th training line and every 10th news line; ``bench/halfspace.py --tune
/tmp/tune.pkl.gz`` scores it on them (the news lines with at least two ZWNJs, the writers' own as gold).

What it learns (see src/khabar/text/halfspace.py for how it is used):

- word skeletons (ZWNJ taken out) with unigram counts, and bigram counts between neighbouring
  words, from the raw training sentences of UD PerDT and UD Seraji (correct ZWNJ; CC BY-SA 4.0);
- for every skeleton, its written forms voted by the corpora and the lexicons (shekar vocab and
  compound words, hazm words, Lilak, reza1615 word list, myspell-fa) and by the ZWNJ-bearing words of
  the news JSON (whose joined words vote only against a ZWNJ no running text gives: a word written
  solid ``NEWS_SOLID_MIN`` times in news lines that keep ZWNJs elsewhere, and never with one, keeps its
  solid spelling against a lexicon's ZWNJ or a compound guess: ``دوومیدانی``, ``اسلامشهر``);
- the modern (Academy) orthography wins over an older joined spelling: a Seraji or lexicon word
  written ``stem+ها/های/ترین...`` with a known stem votes for ``stem‌ها`` (PerDT, which already
  writes the modern style, votes as written when frequent, so accepted joined forms like ``آنها``,
  ``بیشتر`` stay, whatever the other corpora vote (``اینها`` as ``آنها``, ``منهای``), while a rare
  joined plural in it is modernised too); such a deliberate solid word stays whole inside the
  compounds the corpora and lexicons vote on as well (``نه‌تنها``, ``به‌تنهایی``, not ``نه‌تن‌ها``; a
  compound read at run time may still split it: ``همه‌آن‌ها``);
- prefixes and suffixes that take a ZWNJ (``می``, ``نمی``, ``ها``, ``های``, ``ترین``, ``اند`` ...),
  found from the data with how reliably they do, so unseen words generalise;
- self-training: the news lines, set right by the model built so far, add their words to the
  context counts (at half weight); joined "words" that are typos for two words written far more
  often apart (``دراین``) are dropped; listed forms the affix analysis finds anyway are dropped;
  a word known only from the news counts (no vote on its spelling) that is a known stem + a plural
  or comparative suffix gets the modern form (``دروازه‌های``), as an unknown word would.

- a gap classifier (two logistic regressions, numpy, fixed seed) for what the counts above cannot
  settle: whether two pieces with a space between them are one word with a ZWNJ (``کشف شده`` ->
  ``کشف‌شده`` before ``را``, beside the verb ``کشف شده‌اند``), and where an unknown solid word takes one
  (``بدنسازی``).  Trained on every gap of the training sentences (ZWNJ vs space, with the
  neighbouring pieces; ZWNJ vs solid for splits of solid words into pieces seen elsewhere), described
  by the pieces, their ends and bucketed counts taken *leave-one-out* (an example's own occurrence is
  not counted), so that it learns how unseen compounds behave rather than memorising seen ones.

Written as gzip'd pickle (protocol 5) of a few big strings and float arrays (see
``khabar.text.halfspace.pack``): about 3 MB, loads in well under a second; the same data always
gives the same bytes.

The UD dev sets are never read here: they are for evaluation only (bench/halfspace.py).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import sys
import time
from array import array
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.text import chars  # noqa: E402
from khabar.text.alignment import apply_edits  # noqa: E402
from khabar.text.halfspace import (  # noqa: E402
    GAP_SIDE_MIN,
    MODEL_VERSION,
    ZWNJ,
    HalfspaceModel,
    Restorer,
    gap_features,
    iter_runs,
    model_path,
    pack,
    side_scores,
    skeleton,
)
from khabar.text.normalizer import normalize  # noqa: E402

JOINING = frozenset(chars.JOINING)
# Suffixes the Academy writes apart (with ZWNJ) after a word; used to modernise older joined spellings.
PLURAL_SUFFIXES = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "های", "ها")
COMPARATIVE_SUFFIXES = ("ترین", "تر")
MIN_AFFIX_TYPES = 25
LEXICON_VOTE = 0.25
NEWS_VOTE = 0.25
NEWS_VOTE_CAP = 4  # occurrences of a news spelling that vote (each NEWS_VOTE)
NEWS_LM_WEIGHT = 0.25  # news words (after self-correction) count a quarter in the context model
SERAJI_VOTE = 0.5
TYPO_RATIO = 5.0
STEM_RATIO = 4  # a plural's stem is at least a quarter as frequent as the plural
RARE = 3  # PerDT is the reference for the modern style; Seraji is older and smaller
LEXICON_COUNT = 0.1  # pseudo-count per lexicon that lists a word
# A word the news writes solid this often (in lines where its writers keep ZWNJs elsewhere) and never with
# a ZWNJ keeps its solid spelling against a ZWNJ only a lexicon or a compound guess gives it (0: off)
NEWS_SOLID_MIN = 2
# A word PerDT writes two ways with a ZWNJ (``حرف‌های`` 39, ``حرفه‌ای`` 26), neither ahead by this ratio,
# is written as the news writes it when the news' spelling is ahead by it, NEWS_SPLIT_MIN times at least (0: off)
NEWS_SPLIT = 2.0
NEWS_SPLIT_MIN = 10
PLURAL_STEM_MIN = 10  # running-text count of a word whose plural a lexicon misreads as «ه» + «ای» (plural_misread)


def clean(line: str) -> str:
    return normalize(line, halfspace=False, digits="keep")


def read_lines(path: Path) -> list[str]:
    return [clean(line) for line in path.read_text(encoding="utf-8").splitlines()]


def read_news(news_dir: Path) -> list[str]:
    lines: list[str] = []
    for path in sorted(news_dir.glob("*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            parts = [article.get("title"), article.get("abstract"), *(article.get("paragraphs") or [])]
            lines += [clean(p) for p in parts if isinstance(p, str)]
    return lines


def read_lexicons(lex: Path) -> dict[str, list[str]]:
    """Words of each lexicon (as written), by lexicon name."""
    out: dict[str, list[str]] = {}

    def col0(path: Path, sep: str, skip: str = "") -> list[str]:
        words = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or (skip and line.startswith(skip)):
                continue
            words.append(line.split(sep)[0].split("/")[0].strip())
        return words

    out["shekar-vocab"] = col0(lex / "shekar-vocab.csv", ",")
    out["shekar-compounds"] = col0(lex / "shekar-compound_words.csv", ",")
    out["hazm-words"] = col0(lex / "hazm-words.dat", "\t")
    out["lilak"] = col0(lex / "lilak-lexicon.csv", ",", "##")
    out["reza1615"] = col0(lex / "reza1615-word-freq.txt", "\t")
    out["myspell"] = col0(lex / "myspell-fa.dic", "/")[1:]
    return {name: [clean(w) for w in words if w] for name, words in out.items()}


def adjectives(lex: Path) -> set[str]:
    out = set()
    for line in (lex / "hazm-words.dat").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and "AJ" in parts[2].split(","):
            out.add(clean(parts[0]))
    return out


def is_word(tok: str) -> bool:
    return bool(tok) and all(("\u0621" <= c <= "\u06ff") or c == ZWNJ for c in tok)


class Modernizer:
    """Rewrites an older joined spelling (``سیاستهای``, ``مهمترین``) to the modern one."""

    def __init__(self, known: Counter[str], adjectives: set[str]) -> None:
        self.known = known
        self.adjectives = adjectives
        self.keep: set[str] = set()  # words whose solid spelling is deliberate («آنها», «تنها»): never split

    def __call__(self, form: str) -> str:
        return ZWNJ.join(self._part(p) for p in form.split(ZWNJ))

    def _part(self, part: str) -> str:
        if part in self.keep:
            return part
        # «ه» + «ای» (``بیرویهای`` -> ``بیرویه‌ای``) where the stem with «ه» is the more frequent reading
        stem = part[:-2]
        if (part.endswith("های") and len(stem) >= 3 and self.known[stem] >= 3
                and self.known[stem] > self.known[stem[:-1]]):
            return self._part(stem) + ZWNJ + "ای"
        # A stem far rarer than the whole word is no stem of it («انتها» is not «انت» + «ها»).
        for x in PLURAL_SUFFIXES:
            stem = part[: -len(x)]
            if (part.endswith(x) and len(stem) >= 2 and stem[-1] in JOINING and self.known[stem] >= 3
                    and STEM_RATIO * self.known[stem] >= self.known[part]):
                return self._part(stem) + ZWNJ + x
        # «تر» only after an adjective whose superlative is attested too («فیلتر» is no «فیل» + «تر»).
        for x in COMPARATIVE_SUFFIXES:
            stem = part[: -len(x)]
            if (part.endswith(x) and len(stem) >= 2 and stem[-1] in JOINING and stem in self.adjectives
                    and (x == "ترین" or self.known[stem + "ترین"] > 0)):
                return stem + ZWNJ + x
        return part


def best_form(votes: Counter[str]) -> str:
    """The spelling with the most votes (ties: more ZWNJs, then the larger string: deterministic)."""
    return max(votes.items(), key=lambda kv: (kv[1], kv[0].count(ZWNJ), kv[0]))[0]


def kin_of_kept(s: str, votes: Counter[str], keep: set[str]) -> bool:
    """Whether skeleton ``s`` is a word kept solid (``Modernizer.keep``: «آنها», «تنها») with a letter or
    two after it, and the form its votes favour puts a ZWNJ inside that word: such a kin keeps the
    word's style."""
    best = best_form(votes)
    if ZWNJ not in best:
        return False
    cut = best.index(ZWNJ)
    return any(s[:n] in keep and cut < n for n in range(max(2, len(s) - 2), len(s)))


def plural_misread(s: str, votes: Counter[str], uni: Counter[str], news_solid: Counter[str]) -> bool:
    """Whether the one lexicon that lists skeleton ``s`` («پلیسهای») reads it as a word in «ه» + «ای»
    («پلیسه‌ای») where the running text knows the word without «ه» well (``PLURAL_STEM_MIN`` times or more)
    and that with «ه» never: then the plural («پلیس‌های») is the likelier reading.  (One Hunspell list
    has such a form for many nouns: «جهته‌ای», «استه‌ای».)  A word in «ه» needs only to be seen: a
    second «ه» after it makes no word it has (``جزیرهه‌ای`` is ``جزیره‌های``)."""
    best = best_form(votes)
    stem = s[:-3]
    return (s.endswith("های") and best == stem + "ه" + ZWNJ + "ای" and votes[best] <= LEXICON_VOTE
            and stem[-1] in JOINING and uni[stem] >= (1 if stem.endswith("ه") else PLURAL_STEM_MIN)
            and uni[stem + "ه"] == 0 and news_solid[stem + "ه"] == 0)


def lm_tables(uni: Counter[str], bi: Counter[str], ctx: Counter[str], lex_words: Counter[str],
              forms: dict[str, str]) -> dict:
    """Unigram log probabilities, bigram counts, contexts, join tests."""
    # 4. Language model tables.
    ctx_types: Counter[str] = Counter(k.split(" ")[0] for k in bi)
    total = sum(uni.values())
    vocab = set(uni) | set(lex_words)
    # a word only one lexicon lists (myspell's «دزدیده‌باشم») is no reason to join two words, nor is
    # a typo for two words written far more often apart («دراین» beside «در این»)
    def typo(w: str) -> bool:
        c = uni[w] + LEXICON_COUNT * lex_words[w]
        return any(bi.get(w[:i] + " " + w[i:], 0) >= TYPO_RATIO * max(c, 1.0) for i in range(1, len(w)))

    uni_lp = {w: math.log((uni[w] + LEXICON_COUNT * lex_words[w]) / total) for w in vocab
              if (uni[w] or lex_words[w] >= 2) and not typo(w)}
    keep_bi = {k: float(c) for k, c in bi.items()
               if c >= 2 or (k.split(" ")[0] + k.split(" ")[1]) in vocab}
    # 5. Pieces that can begin / end a known word made of several (a cheap first test at run time
    #    before looking a joined pair up): the parts of its form around a ZWNJ, or known words joined
    #    after a non-joining letter.
    lefts: set[str] = set()
    rights: set[str] = set()
    for w in uni_lp:
        f = forms.get(w)
        if f:
            ps = f.split(ZWNJ)
            for i in range(1, len(ps)):
                lefts.add("".join(ps[:i]))
                rights.add("".join(ps[i:]))
        for i in range(2, len(w) - 1):
            a, b = w[:i], w[i:]
            if a[-1] not in JOINING and a in uni_lp and b in uni_lp:
                lefts.add(a)
                rights.add(b)
    # joined pairs (a+b) that begin a known word of three pieces a+b+c: the run-time fast path
    # tests pairs only
    triples: set[str] = set()
    for w in uni_lp:
        for i in range(1, len(w) - 1):
            if w[:i] in lefts:
                for j in range(i + 1, len(w)):
                    if w[j:] in rights:
                        triples.add(w[:j])
    return {
        "triples": sorted(triples),
        "uni": uni_lp,
        "bi": keep_bi,
        "ctx": {k: (float(c), float(ctx_types[k])) for k, c in ctx.items()},
        "unk_lp": math.log(0.05 / total),
        "lefts": sorted(lefts),
        "rights": sorted(rights),
    }


def gap_tables(runs: list[list[str]], news_zwnj: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Counts for the gap classifier: skeletons as words alone (corpora), pieces before / after a ZWNJ
    (corpora and the news' ZWNJ words)."""
    t: Counter[str] = Counter()
    h: Counter[str] = Counter()
    r: Counter[str] = Counter()
    for run in runs:
        for tok in run:
            t[skeleton(tok)] += 1
    for tok in [t for run in runs for t in run] + news_zwnj:
        ps = tok.split(ZWNJ)
        for a, b in zip(ps, ps[1:], strict=False):
            h[a] += 1
            r[b] += 1
    return t, h, r


def gap_examples(runs: list[list[str]], t: Counter[str], h: Counter[str], r: Counter[str]
                 ) -> tuple[list[list[str]], list[int], list[list[str]], list[int]]:
    """Training examples of the two gap classifiers, features with leave-one-out counts (an example's
    own occurrence is taken out of the counts it is described by, as for an unseen word at run time).

    spaced: gaps between two pieces that could hold a ZWNJ, label 1 for a ZWNJ, 0 for a space, with
    the pieces around them as context; joined: a ZWNJ gap (1) or a split of a solid word into two
    pieces seen elsewhere (0), without context (an unknown word's form is read alone)."""
    sx: list[list[str]] = []
    sy: list[int] = []
    jx: list[list[str]] = []
    jy: list[int] = []
    for run in runs:
        pieces: list[str] = []
        first: list[int] = []
        for tok in run:
            first.append(len(pieces))
            pieces += tok.split(ZWNJ)

        def around(j: int, pieces: list[str] = pieces) -> tuple[str, str]:  # pieces around the gap after j
            return (pieces[j - 1] if j >= 1 else ""), (pieces[j + 2] if j + 2 < len(pieces) else "")

        for i, tok in enumerate(run):
            ps = tok.split(ZWNJ)
            for k in range(len(ps) - 1):
                a, b = ps[k], ps[k + 1]
                if not a or not b or a[-1] not in JOINING:
                    continue
                own = 1 if len(ps) == 2 else 0
                sx.append(gap_features(a, b, t[a], t[b], h[a] - 1, r[b] - 1, t[a + b] - own, *around(first[i] + k)))
                sy.append(1)
                jx.append(gap_features(a, b, t[a], t[b], h[a] - 1, r[b] - 1, t[a + b] - own))
                jy.append(1)
            if len(ps) == 1:
                w = ps[0]
                for k in range(2, len(w) - 1):
                    a, b = w[:k], w[k:]
                    if a[-1] in JOINING and (t[a] or h[a]) and (t[b] or r[b]):
                        jx.append(gap_features(a, b, t[a], t[b], h[a], r[b], t[w] - 1))
                        jy.append(0)
            if i + 1 < len(run):
                a = ps[-1]
                b = run[i + 1].split(ZWNJ)[0]
                if a and b and a[-1] in JOINING:
                    sx.append(gap_features(a, b, t[a] - (len(ps) == 1), t[b] - (ZWNJ not in run[i + 1]),
                                           h[a], r[b], t[a + b], *around(first[i + 1] - 1)))
                    sy.append(0)
    return sx, sy, jx, jy


def train_logistic(xs: list[list[str]], ys: list[int], min_count: int = 3, epochs: int = 6,
                   l2: float = 1e-5, lr: float = 0.2) -> dict[str, float]:
    """Binary logistic regression (Adagrad, fixed seed: the same data gives the same weights).  ``l2``
    chosen on the tuning split (see docs/benchmarks.md: 1e-6 to 1e-4 tried)."""
    import numpy as np

    counts: Counter[str] = Counter(f for x in xs for f in x)
    vocab = {f: i + 1 for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    width = max(len(x) for x in xs)
    idx = np.zeros((len(xs), width), dtype=np.int64)  # 0: a feature seen too rarely (weight kept 0)
    for n, x in enumerate(xs):
        idx[n, :len(x)] = [vocab.get(f, 0) for f in x]
    y = np.asarray(ys, dtype=np.float64)
    w = np.zeros(len(vocab) + 1)
    g2 = np.full(len(vocab) + 1, 1e-8)
    rng = np.random.default_rng(0)
    batch = 512
    for _ in range(epochs):
        order = rng.permutation(len(xs))
        for s in range(0, len(order), batch):
            b = order[s:s + batch]
            ib = idx[b]
            z = w[ib].sum(axis=1)
            p = 1.0 / (1.0 + np.exp(-z))
            err = p - y[b]
            grad = np.bincount(ib.ravel(), weights=np.repeat(err, width), minlength=len(w))
            touched = np.unique(ib)
            grad[touched] += l2 * w[touched] * len(b)
            g2[touched] += grad[touched] ** 2
            w[touched] -= lr * grad[touched] / np.sqrt(g2[touched])
            w[0] = 0.0
    return {f: float(w[i]) for f, i in vocab.items() if abs(w[i]) > 1e-3}


def gap_classifier(runs: list[list[str]], news_zwnj: list[str]) -> dict:
    """The gap classifiers' weights (spaced, joined) and count tables (see ``gap_features``)."""
    t0 = time.time()
    t, h, r = gap_tables(runs, news_zwnj)
    sx, sy, jx, jy = gap_examples(runs, t, h, r)
    ws = train_logistic(sx, sy)
    wj = train_logistic(jx, jy)
    print(f"gap classifier: {len(sx)} spaced / {len(jx)} joined examples, {len(ws)} / {len(wj)} weights; "
          f"{time.time() - t0:.1f}s", file=sys.stderr)
    # as stored (float32), so that what the build computes from them (side flags) is what run time sees
    return {"gap_ws": dict(zip(ws, array("f", ws.values()).tolist(), strict=True)),
            "gap_wj": dict(zip(wj, array("f", wj.values()).tolist(), strict=True)),
            "gap_t": {k: float(c) for k, c in t.items() if c >= 1},
            "gap_h": {k: float(c) for k, c in h.items()},
            "gap_r": {k: float(c) for k, c in r.items()}}


def flag_pieces(model: dict) -> None:
    """Known pieces (words of the model, pieces of the gap tables) whose left / right one-sided score
    is above ``GAP_SIDE_MIN`` (``side_scores``): ``gap_lflag`` / ``gap_rflag``."""
    gw, gt, gh, gr = model["gap_ws"], model["gap_t"], model["gap_h"], model["gap_r"]
    pieces = sorted(set(model.get("uni", ())) | set(gt) | set(gh) | set(gr))
    scores = [side_scores(gw, gt, gh, gr, p) for p in pieces]
    model["gap_lflag"] = [p for p, (sx, _) in zip(pieces, scores, strict=True) if sx > GAP_SIDE_MIN]
    model["gap_rflag"] = [p for p, (_, sy) in zip(pieces, scores, strict=True) if sy > GAP_SIDE_MIN]


def held_out(i: int, holdout: int) -> bool:
    """Whether training line ``i`` (0-based) is in the tuning split of ``--holdout N`` (every Nth line):
    left out of a tuning model, scored by ``bench/halfspace.py --tune``."""
    return holdout > 0 and i % holdout == holdout - 1


def build(data: Path, holdout: int = 0) -> dict:
    """The model from ``data``; ``holdout`` N > 0 leaves out every Nth training line and every Nth news
    line (a tuning split)."""
    t0 = time.time()
    raw = data / "raw"
    corpora = {"perdt": read_lines(raw / "perdt-train-sentences.txt"),
               "seraji": read_lines(raw / "seraji-train-sentences.txt")}
    if holdout:
        corpora = {k: [x for i, x in enumerate(v) if not held_out(i, holdout)] for k, v in corpora.items()}
    news = read_news(data / "news")
    if holdout:
        news = [x for i, x in enumerate(news) if not held_out(i, holdout)]
    lexicons = read_lexicons(data / "lexicons")
    adjs = adjectives(data / "lexicons")
    print(f"read corpora, news and lexicons in {time.time() - t0:.1f}s", file=sys.stderr)

    # 1. Skeleton n-grams from the corpora (ZWNJ-agnostic, so older spellings do not hurt here).
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    ctx: Counter[str] = Counter()
    tokens_by_source: dict[str, list[str]] = defaultdict(list)
    runs_by_source: dict[str, list[list[str]]] = defaultdict(list)
    for name, lines in corpora.items():
        for line in lines:
            for _, toks in iter_runs(line):
                runs_by_source[name].append(toks)
                prev = ""
                for tok in toks:
                    s = skeleton(tok)
                    uni[s] += 1
                    bi[prev + " " + s] += 1
                    ctx[prev] += 1
                    prev = s
                    tokens_by_source[name].append(tok)
    news_zwnj = [tok for line in news for _, toks in iter_runs(line) for tok in toks if ZWNJ in tok]
    # news writers mostly keep ZWNJs (``می‌شود`` 372 times, ``میشود`` 2): in a line that has one, a word
    # written solid is weak evidence that it is solid
    news_solid = Counter(tok for line in news if ZWNJ in line for _, toks in iter_runs(line) for tok in toks
                         if ZWNJ not in tok)
    news_forms: dict[str, Counter[str]] = defaultdict(Counter)  # skeleton -> the news' ZWNJ spellings of it
    for tok in news_zwnj:
        news_forms[skeleton(tok)][tok] += 1

    def solid_in_news(s: str) -> bool:
        return NEWS_SOLID_MIN > 0 and news_solid[s] >= NEWS_SOLID_MIN and s not in news_forms

    # 2. Form votes.
    lex_words: Counter[str] = Counter()
    for words in lexicons.values():
        for w in sorted(set(words)):
            if is_word(w):
                lex_words[skeleton(w)] += 1
    known = Counter(uni)
    for w in lex_words:
        known[w] += 3
    modern = Modernizer(known, adjs)
    # the affix statistics and the gap classifier learn from the text as modernised without `keep` below:
    # chosen on the tuning split, where feeding `keep` to them too cost PerDT spaced 0.0005 and Seraji
    # spaced 0.0006 (news +0.0006) against this, and changed 150 lines of the speed file, some for the worse
    plain = Modernizer(known, adjs)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    # PerDT writes the modern style; a joined plural in it is a deliberate choice when frequent
    # («آنها») and a lapse when rare («دخالتهای» once beside «دخالت‌های»)
    perdt_forms: dict[str, Counter[str]] = defaultdict(Counter)  # skeleton -> PerDT's spellings of it
    for tok in tokens_by_source["perdt"]:
        perdt_forms[skeleton(tok)][tok] += 1
    perdt_count = {s: c.total() for s, c in perdt_forms.items()}
    # PerDT's usual spelling of a word it writes often, where that is solid and the modernizer would split
    # it, is deliberate («آنها» 1,076 times, «تنها»): the word keeps it, alone and inside a compound
    # («نه‌تنها», not «نه‌تن‌ها»; «تنهایی‌شان»)
    modern.keep = {s for s, c in perdt_forms.items()
                   if perdt_count[s] > RARE and max(c.items(), key=lambda kv: (kv[1], kv[0]))[0] == s
                   and modern(s) != s}
    for tok in tokens_by_source["perdt"]:
        votes[skeleton(tok)][tok if perdt_count[skeleton(tok)] > RARE else modern(tok)] += 1.0
    for tok in tokens_by_source["seraji"]:
        votes[skeleton(tok)][modern(tok)] += SERAJI_VOTE
    for tok, c in Counter(news_zwnj).items():
        votes[skeleton(tok)][modern(tok)] += NEWS_VOTE * min(c, NEWS_VOTE_CAP)
    # ... and such a deliberate joined form is kept whatever the other corpora vote («اینها» as «آنها»,
    # though Seraji writes «این‌ها»): the Academy allows «ها» joined, and one style is kept for the word
    # and its kin
    for s in sorted(modern.keep):
        votes[s] = Counter({s: 1.0})
    # ... and a word PerDT splits between two ZWNJ spellings goes the news' way when the news does not
    for s, c in perdt_forms.items():
        two = sorted(((n, f) for f, n in c.items() if ZWNJ in f), reverse=True)[:2]
        written = sorted(((n, f) for f, n in news_forms.get(s, Counter()).items()), reverse=True)[:2]
        if NEWS_SPLIT_MIN <= 0 or len(two) < 2 or two[0][0] >= NEWS_SPLIT * two[1][0] or not written:
            continue
        lead, rest = written[0], written[1][0] if len(written) > 1 else 0
        if lead[1] in (two[0][1], two[1][1]) and lead[0] >= NEWS_SPLIT_MIN and lead[0] >= NEWS_SPLIT * rest:
            votes[s] = Counter({lead[1]: 1.0})
    # Lexicons list every inflection a word could have («دختره‌ای» beside «دخترهای»): they say a
    # form exists, not how common it is, so they vote only for words the running text lacks.
    lex_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for words in lexicons.values():
        for w in sorted(set(words)):
            if is_word(w):
                lex_votes[skeleton(w)][modern(w)] += LEXICON_VOTE
    for s, c in lex_votes.items():
        if s not in votes:
            votes[s] = c
            if kin_of_kept(s, c, modern.keep):  # «آنهای» as «آنها», not the lexicon's «آنه‌ای»
                votes[s] = Counter({s: 1.0})
            elif plural_misread(s, c, uni, news_solid):  # «پلیس‌های», not one lexicon's «پلیسه‌ای»
                votes[s] = Counter({modern(s): 1.0})
            if modern(s) == s and solid_in_news(s):  # a lexicon's ZWNJ the news never writes
                votes[s] = Counter({s: 1.0})
    forms: dict[str, str] = {}
    for s, c in votes.items():
        best = best_form(c)
        if best != s:
            forms[s] = best

    # 3. Affixes and how reliably they take a ZWNJ (from running text only: lexicons list
    #    inflections of every word, which would make every word look like an affix).
    corpus_forms = Counter(tokens_by_source["perdt"])
    corpus_forms.update(plain(t) for t in tokens_by_source["seraji"])
    corpus_forms.update(plain(t) for t in news_zwnj)
    n_tokens = sum(corpus_forms.values())
    first_types: dict[str, set[str]] = defaultdict(set)
    last_types: dict[str, set[str]] = defaultdict(set)
    first_tok: Counter[str] = Counter()
    last_tok: Counter[str] = Counter()
    for f, c in corpus_forms.items():
        ps = f.split(ZWNJ)
        if len(ps) > 1:
            first_types[ps[0]].add(f)
            last_types[ps[-1]].add(f)
            first_tok[ps[0]] += c
            last_tok[ps[-1]] += c
    plain_corpus = {f for f in corpus_forms if ZWNJ not in f}
    prefixes: dict[str, tuple[float, float]] = {}
    parts: Counter[str] = Counter()
    for p, fs in first_types.items():
        # a prefix: productive, ends in a joining letter, and mostly bound (rarely a word alone)
        if len(fs) < MIN_AFFIX_TYPES or len(p) < 2 or p[-1] not in JOINING or uni[p] * 10 > first_tok[p]:
            continue
        joined = sum(1 for w in plain_corpus if w.startswith(p) and len(w) - len(p) >= 2 and uni[w[len(p):]] >= 2)
        rel = len(fs) / (len(fs) + joined)
        if rel >= 0.7:
            prefixes[p] = (rel, math.log(first_tok[p] / n_tokens))
            for f in fs:
                parts[skeleton(f.split(ZWNJ, 1)[1])] += corpus_forms[f]
    suffixes: dict[str, tuple[dict[str, float], float]] = {}
    for x, fs in last_types.items():
        if len(fs) < MIN_AFFIX_TYPES or uni[x] * 2 > last_tok[x]:
            continue
        # how often a word ending in x over a known stem writes it apart, by the stem's last letter
        z: Counter[str] = Counter(f.split(ZWNJ)[-2][-1:] for f in fs)
        j: Counter[str] = Counter()
        for w in plain_corpus:
            if w.endswith(x) and len(w) - len(x) >= 2:
                stem = w[: -len(x)]
                if stem[-1] in JOINING and uni[stem] >= 2:
                    j[stem[-1]] += 1
        zt, jt = sum(z.values()), sum(j.values())
        overall = (zt + 0.5) / (zt + jt + 1)
        rel = {ch: (z[ch] + 3 * overall) / (z[ch] + j[ch] + 3) for ch in JOINING}
        suffixes[x] = (rel, math.log(last_tok[x] / n_tokens))
    print("prefixes: " + ", ".join(f"{p}:{r:.2f}" for p, (r, _) in sorted(prefixes.items(), key=lambda kv: -kv[1][1])),
          file=sys.stderr)
    print("suffixes: " + ", ".join(f"{x}:{r['ه']:.2f}/{r['ی']:.2f}/{r['ت']:.2f}" for x, (r, _) in
                                   sorted(suffixes.items(), key=lambda kv: -kv[1][1])), file=sys.stderr)

    model = {
        "version": MODEL_VERSION,
        "forms": forms,
        "prefixes": prefixes,
        "suffixes": suffixes,
        "parts": {w: math.log(c / n_tokens) for w, c in parts.items()},
    }
    gap_runs = runs_by_source["perdt"] + [[plain(t) for t in run] for run in runs_by_source["seraji"]]
    model.update(gap_classifier(gap_runs, [plain(t) for t in news_zwnj]))
    model.update(lm_tables(uni, bi, ctx, lex_words, forms))
    flag_pieces(model)  # after the language model's words: a piece known only from "uni" is flagged too

    # 7. Self-training on news: its ZWNJs are unreliable (``می شود`` beside ``می‌شود``), so its lines are
    #    first set right by the model so far; then their words join the corpus counts for context.
    if NEWS_LM_WEIGHT > 0:
        restorer = Restorer(HalfspaceModel.from_dict(model))
        for line in news:
            fixed = apply_edits(line, restorer.edits(line))
            for _, toks in iter_runs(fixed):
                prev = ""
                for tok in toks:
                    sk = skeleton(tok)
                    uni[sk] += NEWS_LM_WEIGHT
                    bi[prev + " " + sk] += NEWS_LM_WEIGHT
                    ctx[prev] += NEWS_LM_WEIGHT
                    prev = sk
        model.update(lm_tables(uni, bi, ctx, lex_words, forms))
        print(f"self-trained on {len(news)} news lines; {time.time() - t0:.1f}s", file=sys.stderr)
    # 8. Drop listed forms the affix analysis finds anyway (most lexicon inflections): a smaller model.
    uni_lp = model["uni"]
    # Words known only from the self-trained news counts have no vote on how they are written (news
    # drops ZWNJs, so its solid spellings are no evidence): a known stem + a plural or comparative
    # suffix gets the modern form (``دروازههای`` -> ``دروازه‌های``), not the solid one.
    unvoted = 0
    # (the model's own dicts, not compact copies: each word's reading sees the forms given to those before it)
    compounds = Restorer(HalfspaceModel.from_dict(model, compact=False))
    for w in sorted(uni_lp):
        if w not in forms and w not in votes:
            f = modern(w)
            if f == w and not solid_in_news(w):
                f = compounds.compound(w)  # or read as an unseen word would be (``بدن‌سازی``)
            if f != w:
                forms[w] = f
                unvoted += 1
    print(f"forms of unvoted known words: {unvoted}", file=sys.stderr)
    flag_pieces(model)
    print(f"gap classifier: {len(model['gap_lflag'])} / {len(model['gap_rflag'])} known pieces flagged left / right",
          file=sys.stderr)
    restorer = Restorer(HalfspaceModel.from_dict(model))
    before = len(forms)
    model["forms"] = {w: f for w, f in forms.items() if w in uni_lp or restorer.analyse(w) != f}
    print(f"forms: kept {len(model['forms'])} of {before}", file=sys.stderr)
    forms = model["forms"]
    keep_bi = model["bi"]
    print(f"forms {len(forms)}, uni {len(uni_lp)}, bi {len(keep_bi)}, parts {len(parts)}; "
          f"{time.time() - t0:.1f}s", file=sys.stderr)
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data", help="the shared data folder")
    ap.add_argument("--out", type=Path, default=model_path(), help="model file to write")
    ap.add_argument("--holdout", type=int, default=0, metavar="N",
                    help="leave out every Nth training line (a tuning model; see bench/halfspace.py --tune)")
    args = ap.parse_args(argv)
    if not (args.data / "raw").is_dir():
        print(f"error: {args.data}/raw not found (pass --data)", file=sys.stderr)
        return 2
    model = build(args.data, args.holdout)
    blob = gzip.compress(pickle.dumps(pack(model), protocol=5), compresslevel=9, mtime=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(blob)
    print(f"wrote {args.out} ({len(blob) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
