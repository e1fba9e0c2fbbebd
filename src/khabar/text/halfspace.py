"""Half-space (ZWNJ) restoration with a model learned from data.

The model (``src/khabar/data/halfspace.pkl.gz``, rebuilt by ``python training/build_halfspace.py``)
holds, for word *skeletons* (a word with its ZWNJs taken out):

- ``forms``: the best written form where it carries a ZWNJ (``میشود`` -> ``می‌شود``), voted from
  the training sentences and lexicons, corrected to the modern (Academy) orthography;
- ``uni`` / ``bi``: log unigram probabilities and bigram counts over skeletons, the context that
  decides whether two space-separated pieces are one word (``پیش بینی``) or two (``این که``);
- ``prefixes`` / ``suffixes``: affixes learned from the data with how reliably they take a ZWNJ
  (by the stem's last letter), so that unseen words generalise (``نمی`` + a seen verb stem, a
  known stem + ``های``);
- ``gap_*``: a gap classifier (logistic regression, two sets of weights) for what the counts cannot
  settle: whether two pieces with a space between them are one word with a ZWNJ (``مواد کشف شده را`` ->
  ``مواد کشف‌شده را``, while the verb ``کشف شده‌اند`` keeps its space), and where an unknown solid word
  takes a ZWNJ (``بدنسازی`` -> ``بدن‌سازی``); with count tables for its features and, per known
  piece, whether it can be a side of a gap the classifier joins (a cheap filter).

On each line, runs of Persian words separated by single spaces are cut at every gap that cannot
be inside a word (cheap set tests, most runs need nothing more); each cluster of joinable gaps is
settled by dynamic programming over words of one to three pieces (a piece being a space- or
ZWNJ-separated part), scored with the bigram model and a penalty per joined space (a space in
the input is usually a real one; a space after a non-joining letter is removed only before a suffix
standing alone, ``دیدار های``: ``هر گاه``, ``ما در`` stay); each word gets its best ZWNJ form.  Then,
on a line where the writer types ZWNJs, no ZWNJ goes inside a word the model does not know, unless its two
sides are words the data has seen side by side (``یکبار`` → ``یک‌بار``; ``عراقچی`` stays).  Decisions
are cached per token and per cluster.  The only edits are: a ZWNJ inserted inside a word, a space
turned into a ZWNJ (1:1) or removed before such a suffix.  Letters never change, a ZWNJ never
follows a non-joining letter nor touches a space, line breaks are never crossed, and text glued
to Latin letters, digits, URLs or hashtags is left alone.

>>> from khabar.text.alignment import apply_edits
>>> text = "پیشرفتهای بین المللی"
>>> apply_edits(text, halfspace_edits(text))
'پیشرفت\u200cهای بین\u200cالمللی'
"""

from __future__ import annotations

import gc
import gzip
import math
import pickle
import re
import threading
from array import array
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from operator import add, or_
from pathlib import Path
from typing import Any

from khabar.lazy import once
from khabar.text import chars
from khabar.text.alignment import Edit, apply_edits
from khabar.text.normalizer import may_hold_url, protected_spans

try:  # the run loops in C, built at install when a compiler is there; the pure-Python path is the reference
    from khabar.text import _halfspace
except ImportError:
    _halfspace = None
_CTX_VERSION = 8  # the layout of Restorer._accel_ctx; a build for another layout (stale) is not used
if getattr(_halfspace, "CTX_VERSION", None) != _CTX_VERSION:
    _halfspace = None

ACCELERATED = _halfspace is not None

ZWNJ = chars.ZWNJ
MODEL_RESOURCE = "halfspace.pkl.gz"
MODEL_VERSION = 4
MAX_PIECES = 3
UNSEEN_STEM_RELIABILITY = 0.95
CACHE_SIZE = 200_000  # entries per cache: bounded memory on any input
MERGE_LP = -2.5  # log-penalty per space joined: a space in the input is usually a real one
# (a space after a letter that does not join is taken away only before a plural or comparative suffix standing
# alone, «دیدار های» -> «دیدارهای» (Restorer._solid_suffixes): no ZWNJ can stand there, so it is no broken half-space, and
# a writer who typed it meant two words: «ما در» is not «مادر», nor «بر عهده» «برعهده», nor «او ای میل» «اوای»)
SPACED_SUFFIX_REL = 0.3  # least reliability of a suffix token joined to the word before it
GAP_JOINED_P = 0.5  # least gap-classifier probability to put a ZWNJ inside an unknown solid word
GAP_SPACED_P = 0.8  # ... and to turn a space between two words the model left apart into a ZWNJ
# Least one-sided score (log-odds) of a piece for the classifier to look at a gap beside it: on news
# text, gaps beside no piece scoring above this are most gaps; on the tuning split it loses no join that mattered.
GAP_SIDE_MIN = 0.5
# Most gap-classifier probability at which two tokens the language model joined are kept apart again
GAP_VETO_P = 0.02

# Characters of a Persian word: Arabic-script letters, hamza above, ZWNJ (as code-point ranges for the C path).
WORD_RANGES = ((0x0621, 0x063A), (0x0641, 0x064A), (0x0654, 0x0654), (0x0671, 0x06D3), (0x06FA, 0x06FC),
               (0x200C, 0x200C))
WORD_CLASS = "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in WORD_RANGES)
_RUN_RE = re.compile(f"[{WORD_CLASS}]+(?: [{WORD_CLASS}]+)*")
_WORD_CHAR_RE = re.compile(f"[{WORD_CLASS}]")
# a ZWNJ the writer typed inside a word (the class holds ZWNJ too, but the wrong-ZWNJ rule has left none doubled)
_TYPED_ZWNJ_RE = re.compile(f"[{WORD_CLASS}]{ZWNJ}[{WORD_CLASS}]")
_JOINING = frozenset(chars.JOINING)
# A word glued to one of these (or to any letter/digit/mark outside the class) is not touched.
_GLUE = frozenset("_#@/\\=&%+") | frozenset("\u200c\u200d")
_GLUE_MARKS = ((0x064B, 0x065F), (0x0670, 0x0670))  # ... and these marks (code-point ranges)
_FREE = frozenset(" \n\r\t.,:;!?()[]«»\"'،؛؟…")  # common neighbours that never glue (quick test)


# Pronouns after a word ending in «ا» or «و», with their «ی» (longest first)
_VOWEL_CLITICS = ("یشان", "یتان", "یمان", "یش", "یت", "یم")


def _join_pieces(pieces: Iterable[str]) -> str:
    """Pieces of one word written together, with a ZWNJ after each that ends in a joining letter."""
    form = ""
    for piece in pieces:
        if form:
            form += ZWNJ if form[-1] in _JOINING else ""
        form += piece
    return form


def _glued(ch: str) -> bool:
    return ch in _GLUE or ch.isalnum() or any(lo <= ord(ch) <= hi for lo, hi in _GLUE_MARKS)


def _protected_spans(text: str) -> list[tuple[int, int]] | None:
    """The spans of the normalizer's ``PROTECTED`` pattern in ``text`` (URLs, e-mails, hashtags ...),
    in text order; None when the text holds no URL, e-mail, hashtag or mention (a code such as ``F16`` needs
    no span here: a word glued to a Latin letter or digit is left alone anyway, :func:`iter_runs`)."""
    if "#" not in text and "@" not in text and not may_hold_url(text):
        return None  # (a few substring searches: the alternation's regex took ~3 ms per MB)

    return protected_spans(text)


def iter_runs(text: str) -> Iterator[tuple[int, list[str]]]:
    """Runs of Persian words separated by single spaces: ``(start offset, tokens)``.

    Tokens glued to Latin letters, digits, marks or URL/hashtag characters are dropped from
    the ends of a run (the run is cut there), so they are never changed.
    """
    n = len(text)
    protected = _protected_spans(text)
    if protected:
        protected.reverse()  # consumed from the end: cheap pops
    for m in _RUN_RE.finditer(text):
        start, end = m.span()
        tokens = m.group().split(" ")
        if start > 0 and text[start - 1] not in _FREE and _glued(text[start - 1]):
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if tokens and end < n and text[end] not in _FREE and _glued(text[end]):
            end -= len(tokens[-1]) + 1
            tokens = tokens[:-1]
        if not tokens:
            continue
        if protected:
            while protected and protected[-1][1] <= start:
                protected.pop()
            if protected and protected[-1][0] < end:
                here = []
                for span in reversed(protected):
                    if span[0] >= end:
                        break
                    here.append(span)
                yield from _split_protected(text, start, tokens, here)
                continue
        yield start, tokens


def _split_protected(text: str, start: int, tokens: list[str],
                     protected: list[tuple[int, int]]) -> Iterator[tuple[int, list[str]]]:
    pos = start
    cur: list[str] = []
    cur_start = start
    for tok in tokens:
        end = pos + len(tok)
        if any(s < end and pos < e for s, e in protected):
            if cur:
                yield cur_start, cur
            cur = []
            cur_start = end + 1
        else:
            if not cur:
                cur_start = pos
            cur.append(tok)
        pos = end + 1
    if cur:
        yield cur_start, cur


def _zwnj_at(word: str) -> set[int]:
    """Letter counts before each ZWNJ of ``word``."""
    out = set()
    j = 0
    for ch in word:
        if ch == ZWNJ:
            out.add(j)
        else:
            j += 1
    return out


def _word_edits(text: str, pos: int, toks: list[str], f: str, out: list[Edit]) -> None:
    """Append to ``out`` the edits that make tokens ``toks`` (at ``pos`` in ``text``, one space apart)
    one word written ``f``: ZWNJs inserted where ``f`` has them, spaces turned into ZWNJs or removed."""
    if len(toks) == 1 and ZWNJ not in f:
        return
    want = _zwnj_at(f)  # skeleton boundaries (after letter index j) the form marks with a ZWNJ
    j = 0  # letters of the skeleton seen so far
    p = pos
    for ti, tok in enumerate(toks):
        prev = ""
        for ch in tok:
            if ch == ZWNJ:
                p += 1
                continue
            if prev and j in want and text[p - 1] != ZWNJ and prev in _JOINING:
                out.append(Edit(p, p, ZWNJ))
            prev = ch
            j += 1
            p += 1
        if ti < len(toks) - 1:
            # the space at p joins two pieces of one word
            out.append(Edit(p, p + 1, ZWNJ if prev in _JOINING else ""))
            p += 1


def _render(toks: list[str], form: str) -> str:
    """The text that tokens ``toks`` become as one word written ``form`` (the edits of :func:`_word_edits`)."""
    text = " ".join(toks)
    edits: list[Edit] = []
    _word_edits(text, 0, toks, form, edits)
    return apply_edits(text, edits)


def _gap_context(words: list[str], i: int) -> tuple[str, str, str, str]:
    """The pieces around the space after ``words[i]``: ``(x, y, before, after)``, ``x`` and ``y``
    touching it, ``before`` and ``after`` the pieces just outside them (``""`` at a run's ends)."""
    left = words[i].split(ZWNJ)
    right = words[i + 1].split(ZWNJ)
    if len(left) > 1:
        before = left[-2]
    else:
        before = words[i - 1][words[i - 1].rfind(ZWNJ) + 1:] if i else ""
    if len(right) > 1:
        after = right[1]
    else:
        after = words[i + 2].split(ZWNJ, 1)[0] if i + 2 < len(words) else ""
    return left[-1], right[0], before, after


def _union(a: str, b: str) -> str:
    """The skeleton of ``a`` (= that of ``b``) with the ZWNJs of both."""
    want = _zwnj_at(a) | _zwnj_at(b)
    out: list[str] = []
    j = 0
    for ch in a.replace(ZWNJ, ""):
        if j in want and out:
            out.append(ZWNJ)
        out.append(ch)
        j += 1
    return "".join(out)


def skeleton(word: str) -> str:
    return word.replace(ZWNJ, "")


def _bucket(c: float) -> int:
    return 0 if c <= 0 else 1 if c <= 1 else 2 if c <= 3 else 3 if c <= 9 else 4 if c <= 99 else 5


def left_features(x: str, tx: float, hx: float) -> list[str]:
    """The features of :func:`gap_features` that look at the left piece alone."""
    bx, bh = _bucket(tx), _bucket(hx)
    return ["x=" + x, "x1=" + x[-1:], "x2=" + x[-2:], "x3=" + x[-3:], f"lx={min(len(x), 6)}", f"tx={bx}",
            f"hx={bh}", f"txhx={bx}{bh}", f"x3tx={x[-3:]}{bx}"]


def right_features(y: str, ty: float, ry: float) -> list[str]:
    """The features of :func:`gap_features` that look at the right piece alone."""
    by, br = _bucket(ty), _bucket(ry)
    return ["y=" + y, "y1=" + y[:1], "y2=" + y[:2], "y3=" + y[:3], "ye1=" + y[-1:], "ye2=" + y[-2:],
            "ye3=" + y[-3:], f"ly={min(len(y), 6)}", f"ty={by}", f"ry={br}", f"tyry={by}{br}", f"y3ty={y[:3]}{by}"]


def pair_features(tx: float, ty: float, hx: float, ry: float, txy: float) -> list[str]:
    """The features of :func:`gap_features` that look at both pieces' counts (and the bias)."""
    return ["b", f"txy={_bucket(txy)}", f"txty={_bucket(tx)}{_bucket(ty)}", f"hxry={_bucket(hx)}{_bucket(ry)}"]


def context_features(x: str, y: str, before: str, after: str) -> list[str]:
    """The features of :func:`gap_features` that look at the pieces around the gap."""
    return ["p=" + before, "n=" + after, f"yn={y} {after}", f"px={before} {x}"]


def gap_features(x: str, y: str, tx: float, ty: float, hx: float, ry: float, txy: float,
                 before: str | None = None, after: str | None = None) -> list[str]:
    """Features of the gap between two pieces ``x`` and ``y`` (skeletons) for the gap classifier:
    the pieces, their ends, lengths, and bucketed counts (``tx``/``ty``: as words alone, ``hx``: ``x``
    before a ZWNJ, ``ry``: ``y`` after one, ``txy``: the two as one word); with context, the pieces
    just before ``x`` and after ``y`` (``تخریب شده‌اند`` is a verb, ``تخریب‌شده`` an adjective).
    Shared by the build (``training/build_halfspace.py``) and the :class:`Restorer`, so both see the
    same features."""
    ctx = [] if before is None or after is None else context_features(x, y, before, after)
    return [*ctx, *left_features(x, tx, hx), *right_features(y, ty, ry), *pair_features(tx, ty, hx, ry, txy)]


def side_scores(w: dict[str, float], t: dict[str, float], h: dict[str, float],
                r: dict[str, float], piece: str) -> tuple[float, float]:
    """The spaced-input classifier's one-sided scores (log-odds) of ``piece`` as the left and as the
    right piece of a gap (:func:`left_features`, :func:`right_features`).  A gap where neither is
    above ``GAP_SIDE_MIN`` is not looked at (a cheap filter: most gaps never get the classifier)."""
    sx = 0.0
    for f in left_features(piece, t.get(piece, 0.0), h.get(piece, 0.0)):
        v = w.get(f)
        if v is not None:
            sx += v
    sy = 0.0
    for f in right_features(piece, t.get(piece, 0.0), r.get(piece, 0.0)):
        v = w.get(f)
        if v is not None:
            sy += v
    return sx, sy


# ---------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class HalfspaceModel:
    """The learned tables (see the module docstring).  Treat as immutable.  The big ones are the C
    extension's ``_halfspace.Table``\\ s where it is built (read like the dicts and frozensets named
    below), else those dicts and frozensets (:meth:`from_dict`)."""

    forms: dict[str, str]
    uni: dict[str, float]  # skeleton -> log probability
    bi: dict[str, float]  # "a b" -> count
    ctx: dict[str, tuple[float, float]]  # left context -> (count, distinct followers); "" = run start
    prefixes: dict[str, tuple[float, float]]  # prefix -> (reliability, log probability)
    suffixes: dict[str, tuple[dict[str, float], float]]  # suffix -> (reliability by stem's last letter, log p)
    parts: dict[str, float]  # pieces seen after a prefix in a ZWNJ form (verb stems etc.) -> log p
    unk_lp: float
    lefts: frozenset[str]  # words that begin a longer known word (the rest being a known word)
    rights: frozenset[str]  # words that end one
    triples: frozenset[str]  # joined pairs that begin a known word of three pieces
    gap_ws: dict[str, float]  # gap classifier, spaced input (ZWNJ vs space): feature -> weight
    gap_wj: dict[str, float]  # ... joined input (ZWNJ vs solid)
    gap_t: dict[str, float]  # skeleton -> count as a word alone (training corpora)
    gap_h: dict[str, float]  # piece -> count before a ZWNJ
    gap_r: dict[str, float]  # piece -> count after a ZWNJ
    gap_lflag: frozenset[str]  # known pieces whose left score is above GAP_SIDE_MIN (see side_scores)
    gap_rflag: frozenset[str]  # ... and whose right score is

    @classmethod
    def from_dict(cls, d: dict[str, Any], compact: bool = True) -> HalfspaceModel:
        """The model from :func:`unpack`'s dict or a build's (dicts, lists and sets), its big tables
        as compact ``_halfspace.Table``\\ s where the C extension is built (see :func:`_table`).
        ``compact=False`` keeps a build's dicts themselves, so that the model sees what is added to them
        later (a restorer of such a model reads text by the pure-Python path)."""
        if d.get("version") != MODEL_VERSION:
            raise ValueError(f"half-space model version {d.get('version')!r}, expected {MODEL_VERSION}")
        t = {name: _table(d[name], kind) if compact else d[name] if isinstance(d[name], dict) else frozenset(d[name])
             for name, kind in _TABLES.items()}
        return cls(t["forms"], t["uni"], t["bi"], t["ctx"], d["prefixes"], d["suffixes"], d["parts"],
                   d["unk_lp"], t["lefts"], t["rights"], t["triples"], t["gap_ws"], t["gap_wj"], t["gap_t"],
                   t["gap_h"], t["gap_r"], t["gap_lflag"], t["gap_rflag"])


# The model's big tables and what they hold: str -> float, -> (float, float), -> str, or a set of strs.
_TABLES = {"forms": "str", "uni": "float", "bi": "float", "ctx": "pair", "lefts": "set", "rights": "set",
           "triples": "set", "gap_ws": "float", "gap_wj": "float", "gap_t": "float", "gap_h": "float",
           "gap_r": "float", "gap_lflag": "set", "gap_rflag": "set"}


def _table(x: Any, kind: str) -> Any:
    """A model table (a dict, or a collection of strs: ``kind`` says which, see ``_TABLES``) as the C
    path reads it, a ``_halfspace.Table`` (a few bytes a key, where a dict of str and float objects takes
    about 150: the model's 600,000 keys load in a fraction of the time and memory), when the extension is
    built; else as the Python path reads it, a dict or a frozenset.  Either answers ``in``, ``get``,
    ``[]``, ``len`` and iteration the same way."""
    if _halfspace is None:
        return x if isinstance(x, dict) else frozenset(x)
    if isinstance(x, _halfspace.Table):
        return x
    keys = list(x) if isinstance(x, dict) else list(dict.fromkeys(x))
    if any("\n" in k for k in keys):
        raise ValueError("a half-space model key with a line break")
    lines = {"keys": "\n".join(keys), "empty_key": keys == [""]}
    if kind == "set":
        return _halfspace.Table(**lines)
    if kind == "str":
        return _halfspace.Table(**lines, values=list(x.values()))
    columns = zip(*x.values(), strict=True) if kind == "pair" and x else [x.values()] * (1 + (kind == "pair"))
    return _halfspace.Table(**lines, columns=tuple(array("d", col) for col in columns))


def pack(model: dict[str, Any]) -> dict[str, Any]:
    """The model as a few big strings and float arrays (fast to unpickle), see :func:`unpack`."""
    def table(d: dict[str, float]) -> tuple[str, bytes]:
        keys = sorted(d)  # sorted: the same data always gives the same bytes
        return "\n".join(keys), array("f", [d[k] for k in keys]).tobytes()

    out = dict(model)
    out["forms"] = "\n".join(sorted(model["forms"].values()))
    for name in _COUNTS:
        out[name] = table(model[name])
    ctx = model["ctx"]
    keys = sorted(ctx)
    out["ctx"] = ("\n".join(keys), array("f", [ctx[k][0] for k in keys]).tobytes(),
                  array("f", [ctx[k][1] for k in keys]).tobytes())
    out["suffixes"] = {x: (dict(sorted(rel.items())), lp) for x, (rel, lp) in sorted(model["suffixes"].items())}
    out["prefixes"] = dict(sorted(model["prefixes"].items()))
    out["parts"] = dict(sorted(model["parts"].items()))
    out["lefts"] = "\n".join(model["lefts"])
    out["rights"] = "\n".join(model["rights"])
    out["triples"] = "\n".join(model["triples"])
    out["gap_lflag"] = "\n".join(sorted(model["gap_lflag"]))
    out["gap_rflag"] = "\n".join(sorted(model["gap_rflag"]))
    return out


def unpack(d: dict[str, Any]) -> dict[str, Any]:
    """The model :func:`pack` wrote: its big tables straight into ``_halfspace.Table``\\ s (no str or float
    object a key) where the C extension is built, else into dicts and lists."""
    if _halfspace is not None:
        return _unpack_tables(d)

    def table(t: tuple[str, bytes]) -> dict[str, float]:
        keys = t[0].split("\n") if t[0] else []
        return dict(zip(keys, array("f", t[1]).tolist(), strict=True))

    out = dict(d)
    forms = d["forms"].split("\n") if d["forms"] else []
    out["forms"] = dict(zip([f.replace(ZWNJ, "") for f in forms], forms, strict=True))
    keys = d["ctx"][0].split("\n")
    counts = array("f", d["ctx"][1]).tolist()
    types = array("f", d["ctx"][2]).tolist()
    out["ctx"] = dict(zip(keys, zip(counts, types, strict=True), strict=True))
    for name in _SETS:
        out[name] = d[name].split("\n")
    for name in _COUNTS:
        out[name] = table(d[name])
    return out


_COUNTS = tuple(n for n, kind in _TABLES.items() if kind == "float")  # packed as (keys, float32 values)
_SETS = tuple(n for n, kind in _TABLES.items() if kind == "set")  # packed as lines, always one at least


def _unpack_tables(d: dict[str, Any]) -> dict[str, Any]:
    """:func:`unpack` into ``_halfspace.Table``\\ s, with the same keys and values."""
    table = _halfspace.Table

    def floats(b: bytes) -> memoryview:
        return memoryview(b).cast("f")

    out = dict(d)
    forms = d["forms"]
    out["forms"] = table(forms.replace(ZWNJ, ""), values=forms.split("\n") if forms else [])
    for name in _COUNTS:
        out[name] = table(d[name][0], (floats(d[name][1]),))
    keys, counts, types = d["ctx"]
    out["ctx"] = table(keys, (floats(counts), floats(types)), empty_key=True)
    for name in _SETS:
        out[name] = table(d[name], empty_key=True)
    return out


def model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / MODEL_RESOURCE


@dataclass
class _GcPauses:
    """The pauses of :func:`_gc_paused` in progress (guarded by ``_gc_lock``)."""

    depth: int = 0  # pauses in progress
    was_enabled: bool = False  # whether the collector ran before the first of them


_gc_lock = threading.Lock()
_gc_pauses = _GcPauses()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block (nested and threaded pauses included: it runs
    again, if it ran before, when the last one ends).

    The half-space work makes no reference cycles, only many short-lived lists and tuples; with the
    collector running, they start a young collection every few hundred allocations, and full ones
    walk the growing caches (docs/benchmarks.md "Normalize speed")."""
    with _gc_lock:
        if not _gc_pauses.depth:
            _gc_pauses.was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses.depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses.depth -= 1
            if not _gc_pauses.depth and _gc_pauses.was_enabled:
                gc.enable()


def read_model(data: bytes) -> HalfspaceModel:
    """A model from the bytes of a model file (``halfspace.pkl.gz``, as the build writes it)."""
    with _gc_paused():
        return HalfspaceModel.from_dict(unpack(pickle.loads(gzip.decompress(data))))


@once
def load_model() -> HalfspaceModel:
    """The shipped model, loaded once per process.  A file that cannot be read raises its OSError; one that
    is not a model (truncated, corrupt, of another version) an OSError naming it, not the unpickler's."""
    path = model_path()
    data = path.read_bytes()
    try:
        return read_model(data)
    except Exception as e:  # gzip, zlib, pickle and the tables' own errors: every way a file can be damaged
        raise OSError(0, f"not a usable half-space model ({type(e).__name__}: {e}); rebuild it with "
                         f"python training/build_halfspace.py", str(path)) from e


class Restorer:
    """Applies a :class:`HalfspaceModel`; caches per-word decisions."""

    def __init__(self, model: HalfspaceModel) -> None:
        self.m = model
        self._form_cache: dict[str, str] = {}
        self._lp_cache: dict[str, float | None] = {}
        self._cand_cache: dict[str, tuple[float, str] | None] = {}
        self._tok_cache: dict[str, tuple[str, int, bool, bool, bool, bool, str | None, bool, bool]] = {}
        # the fast path's sets: what token_info adds to their seeds (see _inert_has), cleared in place with
        # the token cache (the C path holds these very sets)
        self._inert: set[str] = set()
        self._sideless: set[str] = set()
        self._epoch = [0]  # counts the token cache's clearings (the C path's memo asks again after one)
        # the C path reads the model's tables as _halfspace.Tables (HalfspaceModel.from_dict)
        self._accelerated = _halfspace is not None and isinstance(model.uni, _halfspace.Table)
        self._memo = _halfspace.memo() if self._accelerated else None  # the C path's, see _halfspace.c
        # a cluster with its neighbours -> words (tuples: the garbage collector stops visiting them)
        self._dp_cache: dict[str, tuple[tuple[int, str], ...]] = {}
        self._gap_cache: dict[str, float] = {}  # gap_p
        self._side_cache: dict[str, tuple[float, float]] = {}  # piece -> one-sided scores
        self._pair_cache: dict[str, float] = {}  # "x y" -> one-sided plus pair score (spaced_p)
        self._affix_tokens = frozenset(model.prefixes) | frozenset(model.suffixes)
        # the suffixes standing alone that a space after a letter that does not join may be taken away before
        # (see MERGE_LP): the plural and comparative ones, «دیدار های» → «دیدارهای»
        self._solid_suffixes = frozenset(x for x in model.suffixes if x[:2] in ("ها", "تر"))
        self._prefixes = sorted(model.prefixes, key=len, reverse=True)
        self._suffixes = sorted(model.suffixes, key=len, reverse=True)

    def _inert_has(self, tok: str) -> bool:
        """Whether ``tok`` stays as it is when read alone, as far as the run fast path knows: a known word
        without a form (the seed), or a token :meth:`token_info` found so."""
        m = self.m
        return (tok in m.uni and tok not in m.forms) or tok in self._inert

    def _sideless_has(self, tok: str) -> bool:
        """Whether the gap classifier never looks beside ``tok``, as far as the run fast path knows: a known
        word without a side flag (the seed), or a token :meth:`token_info` found so."""
        m = self.m
        return (tok in m.uni and tok not in m.gap_lflag and tok not in m.gap_rflag) or tok in self._sideless

    # -- words ---------------------------------------------------------------

    def _affix(self, w: str) -> tuple[str, str, str] | None:
        """``(prefix, core, suffix)`` of an unknown skeleton by learned affixes, or None: a prefix and a
        stem seen after one (``می`` + ``گوییم``); else a known word or stem and a suffix, the word read as
        itself (``بیدار`` + ``تر``, ``بیابان`` + ``های``; not ``بی`` + ``دار`` + ``تر``); else a prefix, a
        core and a suffix; else an unseen stem and a very reliable suffix."""
        m = self.m
        whole = self._suffix_split(w)
        known = whole is not None and (whole[0] in m.uni or whole[0] in m.parts)
        for p in self._prefixes:
            if w.startswith(p) and len(w) - len(p) >= 2:
                rest = w[len(p):]
                if rest in m.parts:  # a stem seen after a prefix (not any word: «مینسک» is a name)
                    return p, rest, ""
                if known:
                    continue
                sub = self._suffix_split(rest)
                if sub is not None:
                    return p, sub[0], sub[1]
        if whole is not None:
            return "", whole[0], whole[1]
        return None

    def _suffix_split(self, w: str) -> tuple[str, str] | None:
        """``(stem, suffix)``: a known stem first (``بیرویه`` + ``ای`` before ``بیروی`` + ``های``), else an
        unseen stem before a very reliable suffix.  Between two readings, the likelier stem and suffix
        together (``فال`` + ``های``, not the rare ``فاله`` + ``ای``; ``عطیه`` + ``ای``, not ``عطی`` +
        ``های``), the gap classifier breaking a tie; between two unseen stems, the gap classifier, which
        reads their letters (``انه`` + ``ای``)."""
        m = self.m
        unseen: list[tuple[str, str]] = []
        known: list[tuple[str, str]] = []
        for x in self._suffixes:
            if w.endswith(x) and len(w) - len(x) >= 2:
                stem = w[: -len(x)]
                if stem[-1] not in _JOINING:
                    # joined after a non-joining letter (دختر+های): a valid analysis, no ZWNJ
                    if stem in m.uni:
                        return stem, x
                    continue
                rel, _ = m.suffixes[x]
                r = rel.get(stem[-1], 0.0)
                if r >= 0.5 and (stem in m.uni or stem in m.parts):
                    known.append((stem, x))
                    continue
                # a suffix very reliably written apart after this letter (ها, ترین ...; ای after «ه»)
                # generalises to unseen stems
                if r >= UNSEEN_STEM_RELIABILITY and len(stem) >= 3 and len(x) >= 2:
                    unseen.append((stem, x))
        if known:
            return max(known, key=self._reading_score) if len(known) > 1 else known[0]
        if unseen:  # no stem to weigh: the gap classifier, which reads their letters
            return max(unseen, key=lambda a: self.gap_p(a[0], a[1], True)) if len(unseen) > 1 else unseen[0]
        return None

    def _reading_score(self, reading: tuple[str, str]) -> tuple[float, float]:
        """How likely ``(stem, suffix)`` is: the stem's log probability (as a word, else as a stem seen
        after a prefix) plus the suffix's; then the gap classifier's probability of the ZWNJ."""
        stem, x = reading
        return self._core_lp(stem) + self.m.suffixes[x][1], self.gap_p(stem, x, True)

    def _core_lp(self, core: str) -> float:
        """Log probability of a word's core: as a word, else as a stem seen after a prefix, else unknown."""
        m = self.m
        lp = m.uni.get(core)
        return m.parts.get(core, m.unk_lp) if lp is None else lp

    def gap_p(self, x: str, y: str, joined: bool, before: str | None = None, after: str | None = None) -> float:
        """Probability that pieces ``x`` and ``y`` (skeletons) are one word written with a ZWNJ between
        them, rather than two words (``joined=False``: the gap is a space) or one solid word
        (``joined=True``), by the gap classifier learned in the build."""
        key = f"{before} {x} {y} {after} {joined:d}"
        p = self._gap_cache.get(key)
        if p is None:
            m = self.m
            t = m.gap_t
            w = m.gap_wj if joined else m.gap_ws
            z = 0.0
            for f in gap_features(x, y, t.get(x, 0.0), t.get(y, 0.0), m.gap_h.get(x, 0.0), m.gap_r.get(y, 0.0),
                                  t.get(x + y, 0.0), before, after):
                v = w.get(f)
                if v is not None:
                    z += v
            p = 1.0 / (1.0 + math.exp(-z))
            if len(self._gap_cache) > CACHE_SIZE:
                self._gap_cache.clear()
            self._gap_cache[key] = p
        return p

    def flags(self, piece: str) -> tuple[bool, bool]:
        """Whether the gap classifier may join a gap after / before ``piece`` (see :func:`side_scores`)."""
        m = self.m
        if piece in m.uni or piece in m.gap_t or piece in m.gap_h or piece in m.gap_r:  # the model lists its flags
            return piece in m.gap_lflag, piece in m.gap_rflag
        sx, sy = self.side(piece)
        return sx > GAP_SIDE_MIN, sy > GAP_SIDE_MIN

    def word_flags(self, word: str) -> tuple[bool, bool]:
        """Whether the gap classifier may join a gap after ``word`` (by its last piece) / before it
        (by its first piece)."""
        return self.flags(word[word.rfind(ZWNJ) + 1:])[0], self.flags(word.split(ZWNJ, 1)[0])[1]

    def side(self, piece: str) -> tuple[float, float]:
        """:func:`side_scores` of ``piece``, cached."""
        f = self._side_cache.get(piece)
        if f is None:
            m = self.m
            f = side_scores(m.gap_ws, m.gap_t, m.gap_h, m.gap_r, piece)
            if len(self._side_cache) > CACHE_SIZE:
                self._side_cache.clear()
            self._side_cache[piece] = f
        return f

    def spaced_p(self, x: str, y: str, before: str, after: str) -> float:
        """:meth:`gap_p` for a space between ``x`` and ``y`` in context: the cached score of the pair
        (one-sided scores, pair features) plus the context features."""
        w = self.m.gap_ws
        z = self._pair_cache.get(x + " " + y)
        if z is None:
            z = self._pair_z(x, y)
        for f in context_features(x, y, before, after):
            v = w.get(f)
            if v is not None:
                z += v
        return 1.0 / (1.0 + math.exp(-z))

    def _pair_z(self, x: str, y: str) -> float:
        """The part of :meth:`spaced_p`'s score (log-odds) that looks at the pair alone, computed and
        cached (under ``"x y"``)."""
        m = self.m
        w = m.gap_ws
        t = m.gap_t
        z = self.side(x)[0] + self.side(y)[1]
        for f in pair_features(t.get(x, 0.0), t.get(y, 0.0), m.gap_h.get(x, 0.0), m.gap_r.get(y, 0.0),
                               t.get(x + y, 0.0)):
            v = w.get(f)
            if v is not None:
                z += v
        if len(self._pair_cache) > CACHE_SIZE:
            self._pair_cache.clear()
        self._pair_cache[x + " " + y] = z
        return z

    def compound(self, w: str) -> str:
        """An unknown solid word: a known word with one more letter as that word's form and the letter,
        else read as two pieces with a ZWNJ where the gap classifier says so."""
        m = self.m
        # a known word and one more letter is that word inflected (a clitic, ی): «سنگینم», «مکتبش»
        # are not «سنگی‌نم», «مک‌تبش»; the word keeps its own form («بدن‌ساز» + «ی»)
        stem = w[:-1]
        if len(stem) >= 3 and stem in m.uni:
            return self.form(stem) + w[-1]
        t, h, r = m.gap_t, m.gap_h, m.gap_r
        best, best_p = w, GAP_JOINED_P
        for i in range(2, len(w) - 1):
            a = w[:i]
            if a[-1] not in _JOINING or not (a in t or a in h):
                continue
            b = w[i:]
            if not (b in t or b in r):
                continue
            p = self.gap_p(a, b, True)
            if p > best_p:
                best, best_p = m.forms.get(a, a) + ZWNJ + m.forms.get(b, b), p
        return best

    def analyse(self, w: str, recut: bool = True) -> str:
        """The form of a skeleton the model does not list: a known word ending in «ا» or «و» with a
        pronoun after «ی» (``انتهایش``, ``بازویشان``: not ``انت‌هایش``), by affixes, else as a compound
        (``recut``), else as is."""
        for x in _VOWEL_CLITICS:
            stem = w[: -len(x)]
            if w.endswith(x) and len(stem) >= 2 and stem[-1] in "او" and stem in self.m.uni:
                return self.form(stem) + x
        a = self._affix(w)
        if a is None:
            return self.compound(w) if recut else w
        p, core, x = a
        f = self.m.forms.get(core, core)
        if p:
            f = p + ZWNJ + f
        if x:
            f = f + (ZWNJ if core[-1] in _JOINING else "") + x
        return f

    def _piece_form(self, piece: str) -> str:
        """The form of a piece the writer cut off with a ZWNJ: its listed form, or it as it is when known,
        or its affixes' form; an unknown piece is not re-cut as a compound (``ستمباره`` in ``ستمباره‌ای``)."""
        m = self.m
        f = m.forms.get(piece)
        if f is not None or piece in m.uni or not piece:
            return f or piece
        return self.analyse(piece, recut=False)

    def form(self, w: str) -> str:
        """The best written form of skeleton ``w``."""
        f = self._form_cache.get(w)
        if f is not None:
            return f
        m = self.m
        f = m.forms.get(w)
        if f is None:
            f = w if w in m.uni else self.analyse(w)
        if len(self._form_cache) > CACHE_SIZE:
            self._form_cache.clear()
        self._form_cache[w] = f
        return f

    def word_lp(self, w: str) -> float | None:
        """Log unigram probability of skeleton ``w``; None for an unknown, unanalysable word."""
        if w in self._lp_cache:
            return self._lp_cache[w]
        m = self.m
        lp = m.uni.get(w)
        if lp is None:
            a = self._affix(w)
            if a is not None:
                p, core, x = a
                lp = self._core_lp(core)
                if p:
                    rel, plp = m.prefixes[p]
                    lp += plp + math.log(rel)
                if x:
                    rel, slp = m.suffixes[x]
                    if core[-1] in _JOINING:
                        lp += math.log(rel[core[-1]])
                    lp += slp
        if len(self._lp_cache) > CACHE_SIZE:
            self._lp_cache.clear()
        self._lp_cache[w] = lp
        return lp

    def cond_lp(self, w: str, w_lp: float, v: str) -> float:
        """log P(w | v), Witten-Bell smoothed bigrams over skeletons (v = "" at a run start)."""
        m = self.m
        cv = m.ctx.get(v)
        if cv is None:
            return w_lp
        c = m.bi.get(v + " " + w, 0.0)
        return math.log((c + cv[1] * math.exp(w_lp)) / (cv[0] + cv[1]))

    # -- runs ----------------------------------------------------------------

    def candidate(self, toks: list[str]) -> tuple[float, str] | None:
        """``(log probability, form)`` of tokens ``toks`` read as one word, or None if they cannot be.

        A word is known (or analysable by affixes over a known core): its learned form, which must put
        a ZWNJ at every joined space after a joining letter.  Failing that, pieces (split at spaces and
        ZWNJs) that start with a bound prefix (``می``) or end with a bound suffix (``ها``) make a word
        around any core: the affix itself is the evidence.
        """
        key = " ".join(toks)
        hit = self._cand_cache.get(key, False)
        if hit is not False:
            return hit
        m = self.m
        skels = [skeleton(t) for t in toks]
        w = "".join(skels)
        res: tuple[float, str] | None = None
        pieces = [p for t in toks for p in t.split(ZWNJ)]
        whole = self.word_lp(w)
        if whole is not None and ((len(toks) == 1 and ZWNJ not in toks[0]) or self._merge_ok(pieces, w)):
            res = (whole, self.form(w))
        else:
            if len(pieces) > 1:
                first, last = pieces[0], pieces[-1]
                pre = m.prefixes.get(first)
                suf = m.suffixes.get(last)
                if pre is not None and pre[0] < 0.85:
                    pre = None
                if suf is not None:
                    before = pieces[-2][-1:]  # ("" after a doubled ZWNJ)
                    rel = suf[0].get(before, 0.0)
                    # a suffix the writer spaced off (``دارایی شان``) needs less: how reliably it is
                    # written apart rather than solid matters less than that it stands apart here
                    need = SPACED_SUFFIX_REL if len(toks) > 1 and toks[-1] == last else 0.9
                    suf = (rel, suf[1]) if rel >= need else None
                if len(pieces) - (pre is not None) - (suf is not None) != 1:
                    pre = suf = None  # the affixes must cover all but one core piece
                if pre is not None or suf is not None:
                    core = "".join(pieces[(1 if pre else 0):(len(pieces) - 1 if suf else len(pieces))])
                    lp = self._core_lp(core)
                    if pre is not None:
                        lp += pre[1] + math.log(pre[0])
                    if suf is not None:
                        lp += suf[1] + math.log(suf[0])
                    # the skeleton known as a word (``حرفهای``, voted ``حرف‌های``): its counts cover
                    # this reading too
                    if whole is not None and whole > lp:
                        lp = whole
                    res = (lp, _join_pieces(pieces))
            if res is None and len(toks) == 1:
                res = (m.unk_lp, self.form(w))
        if res is not None and len(pieces) > 1 and len(toks) == 1 and w not in m.forms and w not in m.uni:
            # a word the model neither lists nor votes on, written with ZWNJs: a known word and a suffix
            # where their form cuts it just where the writer did («کسب‌وکارهای»: «کسبوکار» + «های», not
            # «وکاره» + «ای»), else its pieces one by one where the writer cut it («همه‌آنها»,
            # «میانه‌روانه‌تر»), not re-cut as one unknown word
            a = self._affix(w)
            known = a is not None and not a[0] and a[1] in m.uni and _zwnj_at(self.form(w)) == _zwnj_at(toks[0])
            res = (res[0], self.form(w) if known else _join_pieces(map(self._piece_form, pieces)))
        if len(self._cand_cache) > CACHE_SIZE:
            self._cand_cache.clear()
        self._cand_cache[key] = res
        return res

    def _known_alone(self, tok: str, w: str) -> str | None:
        """:meth:`candidate` of ``[tok]`` (skeleton ``w``) for its commonest case, a known word whose
        ZWNJs its form keeps: that form, cached as candidate caches it; None for every other token
        (then ask :meth:`candidate`).  The same answer at a fraction of the cost (no key, no piece lists,
        no affix analysis): most tokens seen for the first time are known words."""
        lp = self.m.uni.get(w)
        if lp is None or (ZWNJ in tok and not self._merge_ok(tok.split(ZWNJ), w)):
            return None
        form = self.form(w)
        if len(self._cand_cache) > CACHE_SIZE:
            self._cand_cache.clear()
        self._cand_cache[tok] = (lp, form)
        return form

    def token_info(self, tok: str) -> tuple[str, int, bool, bool, bool, bool, str | None, bool, bool]:
        """Cached per distinct token: ``(skeleton, pieces, is prefix, is suffix, can start a joined
        word, can end one, form if read alone and different from the token else None, side flags of
        its last and first pieces (:func:`side_scores` above ``GAP_SIDE_MIN``))``."""
        info = self._tok_cache.get(tok)
        if info is None:
            m = self.m
            w = skeleton(tok)
            form = self._known_alone(tok, w)
            if form is None:
                form = self.candidate([tok])[1]  # type: ignore[index]
            lflag, rflag = self.word_flags(tok)
            info = (w, tok.count(ZWNJ) + 1, w in m.prefixes, w in m.suffixes, w in m.lefts, w in m.rights,
                    form if form != tok else None, lflag, rflag)
            if len(self._tok_cache) > CACHE_SIZE:
                self._tok_cache.clear()
                self._epoch[0] += 1
                self._inert.clear()
                self._sideless.clear()
            self._tok_cache[tok] = info
            if form == tok or form.replace(ZWNJ, "") == w and _zwnj_at(form) <= _zwnj_at(tok):
                self._inert.add(tok)  # reading it alone changes nothing
            if not (lflag or rflag):
                self._sideless.add(tok)  # the gap classifier never looks at a gap beside it
        return info

    def segment(self, tokens: list[str]) -> list[tuple[int, str]] | None:
        """Words ``(length in tokens, form)`` for a run of tokens; None when nothing changes.

        The result is read again until nothing more changes (at most three times), so that the
        normalizer is idempotent: joining pieces can make a word that joins further (``کند ترین
        ها`` -> ``کندترین ها`` -> ``کندترین‌ها``).
        """
        words = self._segment_once(tokens)
        for _ in range(3):
            if words is None or not self._changes(tokens, words):
                return words
            new_tokens: list[str] = []
            i = 0
            for k, form in words:
                new_tokens.append(tokens[i] if k == 1 and form == tokens[i] else _render(tokens[i:i + k], form))
                i += k
            again = self._segment_once(new_tokens)
            if again is None or not self._changes(new_tokens, again):
                return words
            merged: list[tuple[int, str]] = []
            idx = 0
            for k2, f2 in again:
                group = words[idx:idx + k2]
                idx += k2
                merged.append((sum(k for k, _ in group), _union("".join(f for _, f in group), f2)))
            words = merged
        return words

    def _changes(self, tokens: list[str], words: list[tuple[int, str]]) -> bool:
        i = 0
        for k, form in words:
            if k > 1 or (form != tokens[i] and _render([tokens[i]], form) != tokens[i]):
                return True
            i += k
        return False

    def _segment_once(self, tokens: list[str]) -> list[tuple[int, str]] | None:
        """One reading of a run (see :meth:`segment`): the language model's words, then the gap
        classifier's joins."""
        # Fast path, all in C: every token already known to stay as it is when alone, no affix token,
        # no adjacent pair or triple (skeletons) that is a known word: the language model changes
        # nothing; and if no token is a side of a gap the classifier could join, nothing changes.
        if all(map(self._inert_has, tokens)):
            joined = " ".join(tokens)
            sk = joined.replace(ZWNJ, "").split(" ") if ZWNJ in joined else tokens
            if self._affix_tokens.isdisjoint(sk):
                pairs = list(map(add, sk, sk[1:]))
                if not any(map(self.m.uni.__contains__, pairs)) and not any(map(self.m.triples.__contains__, pairs)):
                    if all(map(self._sideless_has, tokens)):
                        return None
                    return self._gap_joins(tokens, self._infos(tokens), None)
        info = self._infos(tokens)
        return self._gap_joins(tokens, info, self._segment_lm(tokens, info))

    def _infos(self, tokens: list[str]) -> list[tuple]:
        """:meth:`token_info` of each token (cache lookups in C, the rest computed)."""
        info = list(map(self._tok_cache.get, tokens))
        if None in info:
            tok_info = self.token_info
            info = [x or tok_info(t) for x, t in zip(info, tokens, strict=True)]
        return info

    def _gap_joins(self, tokens: list[str], info: list[tuple], words: list[tuple[int, str]] | None
                   ) -> list[tuple[int, str]] | None:
        """Neighbouring words the gap classifier reads as one word with a ZWNJ (``کشف شده`` before ``را``)."""
        # the words as written (tokens with the forms' ZWNJs added) and their side flags
        written: list[str]
        lf: list[bool]
        rf: list[bool]
        if words is None:
            lf = [x[7] for x in info]
            rf = [x[8] for x in info]
            if not any(map(or_, lf, rf[1:])):
                return None
            words = [(1, t) for t in tokens]
            written = tokens
        else:
            words = self._gap_vetoes(tokens, info, words)
            written, lf, rf = [], [], []
            i = 0
            for k, form in words:
                if k == 1 and form == tokens[i]:
                    written.append(form)
                    lf.append(info[i][7])
                    rf.append(info[i][8])
                else:
                    word = _render(tokens[i:i + k], form)
                    written.append(word)
                    lflag, rflag = self.word_flags(word)
                    lf.append(lflag)
                    rf.append(rflag)
                i += k
        nw = len(words)
        joins = set()
        for w in [w for w in range(1, nw) if lf[w - 1] or rf[w]]:
            x, y, before, after = _gap_context(written, w - 1)
            if not (x and y and x[-1] in _JOINING):
                continue
            if self.spaced_p(x, y, before, after) > GAP_SPACED_P:
                joins.add(w)
        if not joins:
            return None if written is tokens else words
        out: list[tuple[int, str]] = []
        for w, (k, form) in enumerate(words):
            if w in joins:
                text = out[-1][1] + ZWNJ + written[w]
                out[-1] = (out[-1][0] + k, text)
            else:
                out.append((k, form if w + 1 not in joins else written[w]))
        return out

    def _gap_vetoes(self, tokens: list[str], info: list[tuple], words: list[tuple[int, str]]
                    ) -> list[tuple[int, str]]:
        """Tokens the language model joined with a ZWNJ are kept apart again where the gap classifier
        is sure a space between them is real (``همان طور``: written both ways, mostly apart)."""
        out: list[tuple[int, str]] = []
        i = 0
        for k, form in words:
            if k > 1 and any(self._vetoed(tokens, j) for j in range(i, i + k - 1)):
                out += [(1, info[j][6] or tokens[j]) for j in range(i, i + k)]
            else:
                out.append((k, form))
            i += k
        return out

    def _vetoed(self, tokens: list[str], i: int) -> bool:
        """Whether the space between tokens ``i`` and ``i + 1`` is surely a real one (P < GAP_VETO_P)."""
        x, y, before, after = _gap_context(tokens, i)
        if not (x and y and x[-1] in _JOINING) or x in self._affix_tokens or y in self._affix_tokens:
            return False  # (an affix token joined is the model's own evidence: «می شود», «کتاب ها»)
        return self.spaced_p(x, y, before, after) < GAP_VETO_P

    def _segment_lm(self, tokens: list[str], info: list[tuple]) -> list[tuple[int, str]] | None:
        """The language model's reading of a run (``info``: :meth:`token_info` of each token).

        Gaps that cannot join (cheap per-token flags, then one lookup) are fixed; each cluster of
        joinable gaps is settled by dynamic programming, with the words on either side as context.
        """
        n = len(tokens)
        uni = self.m.uni
        flags = [False] * (n + 1)
        anything = False
        for i in range(n - 1):
            a = info[i]
            b = info[i + 1]
            if a[1] + b[1] > MAX_PIECES:
                continue
            if a[2] or b[3] or (a[4] and b[5] and (a[0] + b[0]) in uni):
                flags[i] = anything = True
            if a[4] and i + 2 < n:
                c = info[i + 2]
                if c[5] and a[1] + b[1] + c[1] <= MAX_PIECES and (a[0] + b[0] + c[0]) in uni:
                    flags[i] = flags[i + 1] = anything = True
        if not anything:
            if not any(x[6] for x in info):
                return None
            return [(1, x[6] or tokens[i]) for i, x in enumerate(info)]
        out: list[tuple[int, str]] = []
        i = 0
        while i < n:
            j = i
            while flags[j]:
                j += 1
            if j == i:
                out.append((1, info[i][6] or tokens[i]))
            else:
                left = info[i - 1][0] if i > 0 else ""
                right = tokens[j + 1] if j + 1 < n else None
                key = f"{left}|{' '.join(tokens[i:j + 1])}|{right}"
                words = self._dp_cache.get(key)
                if words is None:
                    words = self._dp_fill(key, tokens[i:j + 1], info[i:j + 1], left, right)
                out += words
            i = j + 1
        return out

    def _dp_fill(self, key: str, tokens: list[str], info: list[tuple], left: str, right: str | None
                 ) -> tuple[tuple[int, str], ...]:
        """:meth:`_dp` of a cluster of tokens (``info``: their :meth:`token_info`), cached under ``key``."""
        words = tuple(self._dp(tokens, [x[0] for x in info], [x[1] for x in info], left, right))
        if len(self._dp_cache) > CACHE_SIZE:
            self._dp_cache.clear()
        self._dp_cache[key] = words
        return words

    def _dp(self, tokens: list[str], skels: list[str], pieces: list[int], left: str,
            right: str | None) -> list[tuple[int, str]]:
        n = len(tokens)
        # states[i]: {last word skeleton: (score, length of last word, previous last skeleton, form)}
        states: list[dict[str, tuple[float, int, str, str]]] = [dict() for _ in range(n + 1)]
        states[0][left] = (0.0, 0, "", "")
        for i in range(n):
            if not states[i]:
                continue
            w = ""
            npieces = 0
            for k in range(1, min(3, n - i) + 1):
                w += skels[i + k - 1]
                npieces += pieces[i + k - 1]
                if k > 1:
                    before = tokens[i + k - 2]
                    if npieces > MAX_PIECES or (before[-1] not in _JOINING and not (
                            len(before) > 1 and tokens[i + k - 1] in self._solid_suffixes)):
                        # (too many pieces, or a space after a letter that does not join: only before a plural or
                        # comparative suffix standing alone after a word, not a letter of an abbreviation, «ق.ا تر»)
                        break
                cand = self.candidate(tokens[i:i + k])
                if cand is None:
                    continue
                lp, form = cand
                lp += MERGE_LP * (k - 1)
                target = states[i + k]
                for v, (score, _, _, _) in states[i].items():
                    s = score + self.cond_lp(w, lp, v)
                    old = target.get(w)
                    if old is None or s > old[0]:
                        target[w] = (s, k, v, form)
        final = states[n]
        if right is not None:
            r_lp = self.candidate([right])[0]  # type: ignore[index]
            r_skel = skeleton(right)
            best_v = max(final, key=lambda v: final[v][0] + self.cond_lp(r_skel, r_lp, v))
        else:
            best_v = max(final, key=lambda v: final[v][0])
        out: list[tuple[int, str]] = []
        pos, v = n, best_v
        while pos > 0:
            _, k, prev, form = states[pos][v]
            out.append((k, form))
            pos -= k
            v = prev
        out.reverse()
        return out

    def _merge_ok(self, parts: list[str], w: str) -> bool:
        """Pieces (split at spaces and ZWNJs) may be read as ``w`` where its form puts a ZWNJ at every
        piece boundary after a joining letter (a form written solid there, like ``اینکه``, is no
        reason to touch ``این که``; a form that cuts elsewhere is another word)."""
        want = _zwnj_at(self.form(w))
        pos = 0
        for p in parts[:-1]:
            pos += len(p)
            if p[-1:] in _JOINING and pos not in want:
                return False
        return True

    def edits(self, text: str) -> list[Edit]:
        """The edits that restore half-spaces in ``text`` (with the garbage collector paused, see
        :func:`_gc_paused`): through the C run loops (khabar.text._halfspace) when they were built,
        else :meth:`edits_py`; both give the same edits (tests/test_halfspace_accel.py)."""
        if self._accelerated and type(text) is str:
            return self.edits_c(text)
        return self.edits_py(text)

    def edits_py(self, text: str) -> list[Edit]:
        """:meth:`edits` by the pure-Python path (the reference)."""
        with _gc_paused():
            return self._edits(text)

    def edits_c(self, text: str) -> list[Edit]:
        """:meth:`edits` through the C run loops; ImportError when they were not built."""
        if not self._accelerated:
            raise ImportError("khabar.text._halfspace (the C run loops) is not built, or the model's tables "
                              "are not its Tables (HalfspaceModel.from_dict(..., compact=False))")
        with _gc_paused():
            return _halfspace.edits(self._accel_ctx(), text, _protected_spans(text))

    def _accel_ctx(self) -> tuple[Any, ...]:
        """What the C run loops read (see src/khabar/text/_halfspace.c): the caches and tables, the
        methods they call on a cache miss they do not answer themselves (a new token or candidate word that
        is not a known word), the constants and character classes.  Built per call (about a
        microsecond): the thresholds and CACHE_SIZE as they are then, and no reference cycle through the
        restorer (the tuple holds its bound methods)."""
        m = self.m
        return (self._tok_cache, self._inert, self._sideless, self._affix_tokens, m.uni, m.triples,
                self._dp_cache, self._pair_cache, self._side_cache, m.gap_lflag, m.gap_rflag, m.gap_ws,
                self.token_info, self.candidate, Edit,
                self._cand_cache, m.ctx, m.bi, m.gap_t, m.gap_h, m.gap_r,
                GAP_SPACED_P, GAP_VETO_P, GAP_SIDE_MIN, MERGE_LP, MAX_PIECES, CACHE_SIZE,
                chars.JOINING, WORD_RANGES, _GLUE_MARKS, "".join(sorted(_GLUE)), self._memo, self._epoch,
                m.forms, m.prefixes, m.suffixes, m.lefts, m.rights, self._solid_suffixes)

    def _edits(self, text: str) -> list[Edit]:
        out: list[Edit] = []
        for start, tokens in iter_runs(text):
            words = self.segment(tokens)
            if words is None:
                continue
            pos = start
            i = 0
            for k, form in words:
                if k == 1:
                    tok = tokens[i]
                    if form != tok:
                        _word_edits(text, pos, [tok], form, out)
                    pos += len(tok) + 1
                    i += 1
                    continue
                toks = tokens[i:i + k]
                i += k
                _word_edits(text, pos, toks, form, out)
                pos += sum(len(t) for t in toks) + k
        return out


@once
def get_restorer() -> Restorer:
    model = load_model()
    with _gc_paused():
        return Restorer(model)


def halfspace_edits(text: str) -> list[Edit]:
    """Edits that restore half-spaces in ``text`` (already cleaned by the earlier rules).

    >>> from khabar.text.alignment import apply_edits
    >>> apply_edits("میگوییم که", halfspace_edits("میگوییم که"))
    'می\u200cگوییم که'
    """
    if not text:
        return []
    r = get_restorer()
    return _writers_solid_words(text, r.edits(text), r.m)


def _extent(text: str, at: int, first: int, last: int, joined: AbstractSet[int] = frozenset()) -> tuple[int, int]:
    """The word around ``at`` within ``text[first:last]``: its letters and ZWNJs, and the spaces in ``joined``."""
    a = b = at
    while a > first and (_WORD_CHAR_RE.match(text[a - 1]) or a - 1 in joined):
        a -= 1
    while b < last and (_WORD_CHAR_RE.match(text[b]) or b in joined):
        b += 1
    return a, b


def _seen_apart(text: str, at: int, first: int, last: int, m: HalfspaceModel) -> bool:
    """Whether the two sides of the word that a ZWNJ at ``at`` cuts (its letters and the ZWNJs in it) are two
    words the data has seen side by side (``یک بار``, ``همین طور``, ``به دست``: a compound written solid),
    unlike a name's pieces (``عراق چی``)."""
    a, b = _extent(text, at, first, last)
    return m.bi.get(text[a:at] + " " + text[at:b], 0.0) > 0


def _writers_solid_words(text: str, edits: list[Edit], m: HalfspaceModel) -> list[Edit]:
    """``edits`` without those of a word that gets a ZWNJ inside a solid piece and that the model does not
    know (neither lists nor votes on), where the two sides of that piece were never seen as two words side by
    side, on a line where the writer types ZWNJs between letters: such a writer wrote it solid on purpose
    (``عراقچی``, ``رولاند``, ``بیشکک``: names the affixes and the gap classifier would cut; ``یکبار`` is still
    ``یک‌بار``).  The word's other edits go with it (a space it joined: the reading is dropped whole, so a
    second pass reads the same tokens).  Known words are still set right (``میشود`` → ``می‌شود``), and so is
    every line without a ZWNJ (stripped text)."""
    if ZWNJ not in text:
        return edits
    joined = {e.start for e in edits if e.end == e.start + 1 and text[e.start] == " "}  # spaces the edits join
    dropped: list[tuple[int, int]] = []  # the words whose edits go, in text order
    first = last = -1  # the line of the last edit looked at (its start, its end) ...
    typed = False  # ... and whether the writer typed a ZWNJ between letters there
    for e in edits:
        if e.start != e.end or e.replacement != ZWNJ or (dropped and e.start < dropped[-1][1]):
            continue
        if not first <= e.start <= last:  # (edits come in text order: each line is searched once)
            first = text.rfind("\n", 0, e.start) + 1
            last = text.find("\n", e.start)
            last = len(text) if last < 0 else last
            typed = _TYPED_ZWNJ_RE.search(text, first, last) is not None
        if typed:
            a, b = _extent(text, e.start, first, last, joined)
            w = skeleton(text[a:b].replace(" ", ""))
            if w not in m.uni and w not in m.forms and not _seen_apart(text, e.start, first, last, m):
                dropped.append((a, b))
    if not dropped:
        return edits
    out: list[Edit] = []
    k = 0
    for e in edits:
        while k < len(dropped) and dropped[k][1] <= e.start:
            k += 1
        if k < len(dropped) and dropped[k][0] <= e.start:
            continue
        out.append(e)
    return out
