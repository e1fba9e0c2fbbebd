"""Token features for the CRF tagger.

Features are plain strings (binary CRFsuite attributes).  Everything that depends
on one word only is computed once per word type and cached; a sentence's features
add the neighbours' words, clusters and gazetteer marks.  Words are compared in a
*folded* form without half-spaces, so «روش‌های», «روشهای» and «روش های» look alike.

>>> res = Resources(clusters={"تهران": ("3", "17", "301")}, gazetteer={("تهران",): "LOC"})
>>> feats = sentence_features(["در", "تهران", "."], res)
>>> "w=تهران" in feats[1] and "c1=17" in feats[1] and "g=B-LOC" in feats[1] and "c+1=17" in feats[0]
True
>>> "w-1=در" in feats[1] and "w+1=." in feats[1]
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ZWNJ = "\u200c"
MAX_PHRASE = 6
VERSION = 3  # bump when features change (training caches key on it)

_PERSIAN_DIGITS = set("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩")


def fold(word: str) -> str:
    """The word without half-spaces or spaces (what the ZWNJ-insensitive features see).

    >>> fold("روش\u200cهای") == fold("روش های") == "روشهای"
    True
    """
    return word.replace(ZWNJ, "").replace(" ", "")


def shape(word: str) -> str:
    """A short class string: ``a`` Persian letter, ``A``/``x`` Latin upper/lower, ``9`` digit, else the char.

    >>> shape("۱۴۰۲/۰۵"), shape("BBC"), shape("تهران")
    ('9/9', 'A', 'a')
    """
    out: list[str] = []
    for ch in word:
        if ch.isdigit() or ch in _PERSIAN_DIGITS:
            c = "9"
        elif ch.isalpha():
            if ch.isascii():
                c = "A" if ch.isupper() else "x"
            else:
                c = "a"
        elif ch == ZWNJ:
            continue
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


@dataclass
class Resources:
    """What the features look up: word clusters (one id per granularity) and an entity gazetteer.

    ``clusters`` maps a folded word to cluster ids (coarse to fine); ``gazetteer`` maps a tuple
    of folded words to a label.
    """

    clusters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    gazetteer: Mapping[tuple[str, ...], str] = field(default_factory=dict)
    domain: str | None = None  # the annotation convention to follow (a training corpus name)
    _cache: dict[str, WordInfo] = field(default_factory=dict, repr=False)

    def word_info(self, word: str) -> WordInfo:
        info = self._cache.get(word)
        if info is None:
            f = fold(word)
            clusters = tuple(self.clusters.get(f, ()))
            info = WordInfo(_word_features(word, f, clusters), f, clusters or ("-",) * 4, shape(word))
            if len(self._cache) < 500_000:
                self._cache[word] = info
        return info

    def clear_cache(self) -> None:
        """Forget the per-word information computed so far."""
        self._cache.clear()


@dataclass(frozen=True, slots=True)
class WordInfo:
    features: list[str]
    folded: str
    clusters: tuple[str, ...]
    shape: str


def _word_features(word: str, f: str, clusters: Sequence[str]) -> list[str]:
    n = len(f)
    feats = [
        "b",
        "w=" + f,
        "s=" + shape(word),
        "l=" + (str(n) if n < 8 else "8+"),
        "p2=" + f[:2], "p3=" + f[:3],
        "s1=" + f[-1:], "s2=" + f[-2:], "s3=" + f[-3:], "s4=" + f[-4:],
    ]
    if word.startswith(ZWNJ):
        feats.append("zj")
    if clusters:
        feats.extend(f"c{i}={c}" for i, c in enumerate(clusters))
    else:
        feats.append("c=none")
    return feats


def gazetteer_marks(folded: Sequence[str], gazetteer: Mapping[tuple[str, ...], str]) -> list[str | None]:
    """Greedy longest-match of gazetteer phrases: ``B-LABEL``/``I-LABEL`` per token, or None.

    >>> gazetteer_marks(["به", "سازمان", "ملل", "رفت"], {("سازمان", "ملل"): "ORG"})
    [None, 'B-ORG', 'I-ORG', None]
    """
    n = len(folded)
    marks: list[str | None] = [None] * n
    if not gazetteer:
        return marks
    i = 0
    while i < n:
        for k in range(min(MAX_PHRASE, n - i), 0, -1):
            label = gazetteer.get(tuple(folded[i:i + k]))
            if label is not None:
                marks[i] = "B-" + label
                for j in range(i + 1, i + k):
                    marks[j] = "I-" + label
                i += k
                break
        else:
            i += 1
    return marks


# Features that also get a copy per domain (training corpus), so that one model can learn where
# the corpora's conventions differ (Daume III 2007, "frustratingly easy domain adaptation").
DOMAIN_FEATURES = ("b", "w=", "c1=", "c2=", "s3=", "g=")


def sentence_features(words: Sequence[str], res: Resources, domain: str | None = None) -> list[list[str]]:
    """The feature strings of every token of one sentence (``domain`` defaults to ``res.domain``)."""
    domain = domain or res.domain
    n = len(words)
    infos = [res.word_info(w) for w in words]
    folded = [x.folded for x in infos]
    marks = gazetteer_marks(folded, res.gazetteer)
    out: list[list[str]] = []
    for i in range(n):
        info = infos[i]
        feats = list(info.features)
        if marks[i]:
            feats.append("g=" + marks[i])
        if domain:
            feats.extend([f"{domain}|{f}" for f in feats if f.startswith(DOMAIN_FEATURES)])
        if i == 0:
            feats.append("first")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                other = infos[j]
                feats.append(f"w{d:+d}={other.folded}")
                c = other.clusters
                feats.append(f"c{d:+d}={c[1]}")
                if d in (-1, 1):
                    feats.append(f"k{d:+d}={c[0]}")
                    feats.append(f"m{d:+d}={c[-1]}")
                    feats.append(f"h{d:+d}={other.shape}")
                    feats.append(f"s{d:+d}={other.folded[-2:]}")
                    if marks[j]:
                        feats.append(f"g{d:+d}={marks[j]}")
            else:
                feats.append(f"w{d:+d}=<>")
        if i > 0:
            feats.append(f"bl={folded[i - 1]}|{folded[i]}")
            if i > 1:
                feats.append(f"bll={folded[i - 2]}|{folded[i - 1]}")
        if i + 1 < n:
            feats.append(f"br={folded[i]}|{folded[i + 1]}")
            if i + 2 < n:
                feats.append(f"brr={folded[i + 1]}|{folded[i + 2]}")
        out.append(feats)
    return out
