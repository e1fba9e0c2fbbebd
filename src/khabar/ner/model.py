"""Loading the shipped model (CRF or neural, see :func:`default_recognizer`); the CRF tagger.

Files (built by ``training/train_ner.py``): ``khabar/data/ner.crfsuite`` (the CRF)
and ``khabar/data/ner-resources.json.gz`` (word clusters and gazetteer).  They load
once per process, lazily, and are never changed after loading.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from khabar.lazy import once
from khabar.ner.features import Resources, sentence_features

if TYPE_CHECKING:
    from khabar.ner.neural import NeuralRecognizer

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class ModelError(RuntimeError):
    pass


def load_resources(path: str | Path) -> Resources:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read NER resources ({exc}); rebuild with python training/train_ner.py") from exc
    clusters = {w: tuple(c.split()) for w, c in data.get("clusters", {}).items()}
    gazetteer = {tuple(words): label for words, label in data.get("gazetteer", [])}
    return Resources(clusters=clusters, gazetteer=gazetteer, domain=data.get("domain"))


def save_resources(path: str | Path, clusters: dict[str, Sequence[str]],
                   gazetteer: dict[tuple[str, ...], str], domain: str | None = None) -> None:
    data = {"version": 1, "domain": domain,
            "clusters": {w: " ".join(c) for w, c in sorted(clusters.items())},
            "gazetteer": sorted([list(k), v] for k, v in gazetteer.items())}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))


def decode(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity token ranges ``(first, last + 1, label)`` from BIO labels; a stray I- opens an entity.

    >>> decode(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'LOC'), (5, 6, 'ORG')]
    """
    out: list[tuple[int, int, str]] = []
    cur: list | None = None
    for i, tag in enumerate(labels):
        if tag == "O" or len(tag) < 3:
            cur = None
            continue
        kind, label = tag[0], tag[2:]
        if kind == "I" and cur is not None and cur[2] == label:
            cur[1] = i + 1
        else:
            cur = [i, i + 1, label]
            out.append(cur)  # type: ignore[arg-type]
    return [tuple(e) for e in out]  # type: ignore[misc]


# The last word of an amount of money: a currency, a fraction of one, or a magnitude, bare or as an
# adjective (``۲۰ میلیاردی``), glued or not (``هزارتومان``), a clitic after it (``دلاری‌اش``); or a number
# (``سه میلیارد و چهارصد``, the currency said before).  The corpora's MONEY entities end so (PEYMA train:
# 446 of 452, the rest annotation slips such as «روز دوشنبه», «۱۵۰ ریال ،»); a MONEY span that ends in
# another word is a count of something else (``۲۷ میلیون مسافر``, ``۸.۳ میلیون لیتر``) or a date
# (``۹ دی``), and is dropped.
_MAGNITUDE = r"هزار|میلیون|میلیارد|بیلیون|تریلیون"
_NUMBER_WORD = (r"(?:یک|دو|سه|چهار|پنج|شش|هفت|هشت|نه|ده|یازده|دوازده|سیزده|چهارده|پانزده|شانزده|هفده|هجده|نوزده"
                r"|بیست|سی|چهل|پنجاه|شصت|هفتاد|هشتاد|نود|صد|یکصد|دویست|سیصد|چهارصد|پانصد|ششصد|هفتصد|هشتصد"
                r"|نهصد|نیم)")
_MONEY_LAST = re.compile(
    rf"(?:{_MAGNITUDE})?(?:ریال|تومان|تومن|دلار|یورو|پوند|درهم|دینار|لیر|لیره|روبل|ین|یوان|فرانک|مارک|کرون|وون"
    rf"|روپیه|رینگیت|افغانی|منات|درام|لاری|تنگه|بات|پزو|شکل|کوین|سکه|سنت|{_MAGNITUDE})(?:ی|یی)?"
    rf"(?:ای|اش|ها|های|شان|مان|تان)?"
    rf"|[0-9۰-۹][0-9۰-۹.,٫٬/]*|{_NUMBER_WORD}")


def _last_word(words: Sequence[str], start: int, end: int) -> str:
    """The last word of ``words[start:end]``, its pieces after a half-space (``\u200cای``) joined to it,
    without half-spaces."""
    k = end - 1
    while k > start and words[k].startswith("\u200c"):
        k -= 1
    return "".join(words[k:end]).replace("\u200c", "")


def plausible(words: Sequence[str], entities: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``entities`` (token ranges over ``words``, the tagger's pieces) without the MONEY spans that do not
    end in a currency, a magnitude or a number (see ``_MONEY_LAST``)."""
    return [e for e in entities if e[2] != "MONEY" or _MONEY_LAST.fullmatch(_last_word(words, e[0], e[1]))]


class Recognizer:
    """A CRF tagger with its resources.  ``entities(words)`` gives token ranges with labels."""

    def __init__(self, model_path: str | Path, resources: Resources) -> None:
        import pycrfsuite

        path = Path(model_path)
        if not path.is_file():
            raise ModelError(f"{path}: NER model missing; build it with python training/train_ner.py")
        self.resources = resources
        self._tagger = pycrfsuite.Tagger()
        try:
            self._tagger.open(str(path))
        except Exception as exc:  # pycrfsuite raises ValueError or OSError
            raise ModelError(f"{path}: cannot open NER model ({exc})") from exc
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: str | Path = DATA_DIR, prefix: str = "ner") -> Recognizer:
        directory = Path(directory)
        return cls(directory / f"{prefix}.crfsuite", load_resources(directory / f"{prefix}-resources.json.gz"))

    def clear_caches(self) -> None:
        """Forget the per-word features computed so far (bench: time tagging from a cold start)."""
        self.resources.clear_cache()

    def features(self, words: Sequence[str], domain: str | None = None) -> list[list[str]]:
        """The CRF's features of each word (a subclass may add its own)."""
        return sentence_features(words, self.resources, domain)

    def tag(self, words: Sequence[str], domain: str | None = None) -> list[str]:
        if not words:
            return []
        feats = self.features(words, domain)
        with self._lock:  # a crfsuite Tagger is not thread-safe
            return self._tagger.tag(feats)

    def entities(self, words: Sequence[str], domain: str | None = None) -> list[tuple[int, int, str]]:
        return plausible(words, decode(self.tag(words, domain)))

    def entities_batch(self, sentences: Sequence[Sequence[str]],
                       domain: str | None = None) -> list[list[tuple[int, int, str]]]:
        return [self.entities(words, domain) for words in sentences]


NEURAL_MODEL = "ner-nn.npz"


@once
def default_recognizer() -> Recognizer | NeuralRecognizer:
    """The shipped model, loaded on first use: the neural tagger when ``ner-nn.npz`` is shipped, else the CRF."""
    neural = DATA_DIR / NEURAL_MODEL
    if neural.is_file():
        from khabar.ner.neural import NeuralRecognizer

        return NeuralRecognizer.load(neural)
    return Recognizer.load()
