"""Sentences and tokens: one compiled regex for tokens (khabar.text.tokenizer), then one linear
scan over the punctuation tokens and line breaks for sentences.

Where the optional C extension khabar.text._scan was built (``pip install -e .`` with a C
compiler), it finds the tokens, their kinds and the marks the sentence scan looks at in one pass,
asking the regex about every token it does not handle itself; its output is the regex's (tests
compare the two paths on generated and real text).  Without it the pure-Python path runs: the
same segmentation, about 5x slower (docs/benchmarks.md, Segmentation).

Tokens never overlap, never contain white space, and together cover every non-space character of
the text.  Sentences are runs of whole tokens, so they tile the text the same way and never start
or end with white space.  The kinds and the sentence policy are documented in docs/schema.md.

>>> [tok.kind for tok in tokenize("می‌گوید ۱۲٬۵۰۰ تومان!")]
['word', 'number', 'word', 'punct']
>>> text = "او گفت: «کار تمام است.» سپس رفت."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['او گفت: «کار تمام است.»', 'سپس رفت.']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter, sub
from typing import NamedTuple

from khabar.document import Document, Span, TokenList, make_spans
from khabar.text.tokenizer import (
    AR,
    AR_LETTERS,
    KINDS,
    LINE_BREAKS,
    SPACE_CHARS,
    abbreviations_listed,
    token_kind,
    token_re,
)

try:  # the C scan, built at install when a compiler is there; the pure-Python path is the reference
    from khabar.text import _scan
except ImportError:
    _scan = None

ACCELERATED = _scan is not None

__all__ = ["KINDS", "Segmentation", "segment", "segment_offsets", "segment_offsets_c", "segment_offsets_py",
           "segment_py", "segment_step", "split_sentences", "tokenize"]

TERMINALS = frozenset(".!?؟")  # a token made of these ends a sentence
ELLIPSIS = "…"
OPEN_QUOTES = {"«": "»", "“": "”"}
CLOSE_QUOTES = {v: k for k, v in OPEN_QUOTES.items()}
# Closing marks that stay with the sentence they close: ".»", "؟)", "!»."
CLOSERS = frozenset("»”\")]}’")
# Punctuation after which a sentence goes on although a terminal came before it.
CONTINUERS = frozenset("،؛:,;)]}»”")
DASHES = frozenset("-–—")
# After a terminal and one space, these need a closer look (else a sentence simply ends there).
_NOT_PLAIN_NEXT = CONTINUERS | CLOSERS | frozenset(SPACE_CHARS) | frozenset("«[(")

# A dateline, "تهران - ایرنا:" at the head of a report, is a sentence of its own.
AGENCIES = frozenset({"ایرنا", "ایسنا", "ایلنا", "ایبنا", "ایکنا", "فارس", "مهر", "تسنیم", "واحد مرکزی خبر",
                      "باشگاه خبرنگاران جوان", "صدا و سیما", "پانا", "برنا", "دانا", "رویترز", "آسوشیتدپرس",
                      "خبرگزاری جمهوری اسلامی", "خبرگزاری فارس", "خبرگزاری مهر", "خبرگزاری تسنیم", "خبرگزاری ایسنا",
                      "خبرگزاری ایرنا", "خبرگزاری دانشجویان ایران", "خبرگزاری صدا و سیما"})
DATELINE_MAX_TOKENS = 8
MAX_QUOTED_ENDS = 30  # sentence ends one quotation mark may hold in a line (see _hold)
AGENCY_HEAD_MAX_WORDS = 3  # «خبرگزاری» and at most two more words make a dateline alone

_MIRRORED = frozenset({" «", " [", " ("})
_LIST_WORDS = frozenset({"و", "یا", "etc", "and"})
# The sentence scan looks only at these tokens, and at line breaks; _EVENT_RE finds both in the text.
_RUN_CHARS = ".!?؟…"
_EVENTS = frozenset(".!?؟…«»“”\":-")
_EVENT_RE = re.compile(f"[.!?؟…«»“”\":\\-{''.join(sorted(LINE_BREAKS))}]")  # one character class: a fast scan


class Segmentation:
    """Sentence spans and token offsets of one text, as plain integers.

    ``ends[i]`` is the end offset of token i; the token strings, the pieces (each token with the
    white space before it), start offsets and kinds are derived on first use unless the scan that
    made the segmentation gave them.
    """

    __slots__ = ("text", "sentences", "ends", "_pieces", "_starts", "_tokens", "_kinds")

    def __init__(self, text: str, sentences: list[tuple[int, int]], ends: list[int], *,
                 pieces: list[str] | None = None, starts: list[int] | None = None,
                 kinds: list[str] | None = None) -> None:
        self.text = text
        self.sentences = sentences
        self.ends = ends
        self._pieces = pieces
        self._starts = starts
        self._kinds = kinds
        self._tokens: list[str] | None = None

    @property
    def pieces(self) -> list[str]:
        """Each token with the white space before it (``token_re().findall(text)``)."""
        if self._pieces is None:
            self._pieces = list(map(self.text.__getitem__, map(slice, [0, *self.ends[:-1]], self.ends)))
        return self._pieces

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            if self._pieces is None and self._starts is not None:
                self._tokens = list(map(self.text.__getitem__, map(slice, self._starts, self.ends)))
            else:
                self._tokens = list(map(str.lstrip, self.pieces))
        return self._tokens

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(map(sub, self.ends, map(len, self.tokens)))
        return self._starts

    @property
    def kinds(self) -> list[str]:
        """The kind of each token (docs/schema.md): from its first character where that settles it
        (a word, a mark of punctuation), else from the cache of token kinds."""
        if self._kinds is not None:
            return self._kinds
        tokens = self.tokens
        kinds: list[str | None] = list(map(_FIRST_KIND.get, map(itemgetter(0), tokens)))
        if None in kinds:
            i = kinds.index(None)
            try:
                while True:
                    kinds[i] = _kind[tokens[i]]
                    i = kinds.index(None, i + 1)
            except ValueError:
                pass
        self._kinds = kinds  # type: ignore[assignment]
        return kinds  # type: ignore[return-value]


def segment_offsets(text: str) -> Segmentation:
    """Sentences and tokens of ``text`` as plain offsets (the fast core; see :func:`segment`).

    Uses the C scan (khabar.text._scan) when it was built, else :func:`segment_offsets_py`; both
    give the same segmentation (tests/test_scan.py).
    """
    return segment_offsets_py(text) if _scan is None else segment_offsets_c(text)


def segment_offsets_py(text: str) -> Segmentation:
    """The pure-Python segmentation: the token regex's ``findall``, the reference for the C scan."""
    if not isinstance(text, str):
        raise TypeError(f"segment needs a str, not {type(text).__name__}")
    pieces = token_re().findall(text)  # each: the white space before a token, and the token
    ends = list(accumulate(map(len, pieces)))
    sentences = _Scan(text, ends).sentences(_events(text, pieces, ends)) if pieces else []
    return Segmentation(text, sentences, ends, pieces=pieces)


def segment_offsets_c(text: str) -> Segmentation:
    """The segmentation through the C scan (khabar.text._scan); ImportError when it was not built."""
    if _scan is None:
        raise ImportError("khabar.text._scan (the C scan) is not built")
    if not isinstance(text, str):
        raise TypeError(f"segment needs a str, not {type(text).__name__}")
    sentences, starts, ends, kinds = _c_columns(text)
    return Segmentation(text, sentences, ends, starts=starts, kinds=kinds)


def _c_columns(text: str) -> tuple[list[tuple[int, int]], list[int], list[int], list[str]]:
    """Sentence spans, token starts, ends and kinds of ``text`` (a str) through the C scan."""
    starts, ends, kinds, events = _scan.scan(text, *(_SCAN_ARGS or _scan_args()))
    return (_Scan(text, ends, starts).sentences(events) if ends else []), starts, ends, kinds


_SCAN_ARGS: tuple[object, ...] = ()


def _scan_args() -> tuple[object, ...]:
    """The C scan's arguments after the text: the regex it asks about uncommon tokens, and the
    tables of kinds and abbreviations (made once)."""
    global _SCAN_ARGS
    digits_ok = not any(w[0].isdigit() for w in abbreviations_listed(True) + abbreviations_listed(False))
    dateline_words = frozenset(a.split()[-1] for a in AGENCIES) | {"خبرگزاری"}  # see _Scan.dateline
    agency_firsts = frozenset(a.split()[0] for a in AGENCIES)  # see _Scan.agency_after
    _SCAN_ARGS = (token_re().match, _FIRST_KIND, _kind, _listed_stems(), "word", "punct",
                  "number" if digits_ok else None, dateline_words, agency_firsts, DATELINE_MAX_TOKENS,
                  AGENCY_HEAD_MAX_WORDS)
    return _SCAN_ARGS


def _events(text: str, pieces: list[str], ends: list[int]) -> Iterator[int]:
    """What the sentence scan looks at, in text order: ``i`` for a token that is a mark it handles
    (_EVENTS, or a run of one of _RUN_CHARS), ``~i`` for a line break before token i > 0."""
    n = len(pieces)
    last = -1
    for m in _EVENT_RE.finditer(text):
        pos = m.start()
        i = bisect_right(ends, pos)  # the token at pos, or the one after the white space at pos
        if i == last or i >= n:
            continue
        if text[pos] in LINE_BREAKS:
            if i:
                yield ~i
            continue
        last = i
        s = pieces[i].lstrip()
        if s in _EVENTS or (s[0] in _RUN_CHARS and not s.strip(s[0])):
            yield i


class _Quote(NamedTuple):
    opener: str
    ends: list[int]  # sentence ends found inside the quote (dropped when it closes)
    inline: bool  # opened inside a sentence, not after a colon


class _Scan:
    """A linear scan over the punctuation tokens and line breaks deciding where sentences end.

    It reads the tokens through the text and their end offsets only, so the C scan and the regex
    feed it alike.
    """

    def __init__(self, text: str, ends: list[int], starts: list[int] | None = None) -> None:
        self.text = text
        self.ends = ends
        self.starts = starts
        self.n = len(ends)

    def piece(self, i: int) -> str:
        """Token i with the white space before it."""
        return self.text[self.ends[i - 1] if i else 0:self.ends[i]]

    def tok(self, i: int) -> str:
        return self.piece(i).lstrip()

    def start(self, i: int) -> int:
        return self.ends[i] - len(self.tok(i))

    def glued(self, i: int) -> bool:
        """Is token i written right after token i - 1, with no white space between?"""
        return i > 0 and not self.text[self.ends[i - 1]].isspace()

    def sentences(self, events: Iterable[int]) -> list[tuple[int, int]]:
        """Sentence spans: one pass over the events (see :func:`_events`); line breaks end sentences
        as they come."""
        text, ends, n = self.text, self.ends, self.n
        cuts: list[int] = []  # a sentence ends after token i
        stack: list[_Quote] = []  # open quotes, each with the ends found inside it: a sentence end inside
        # one is held there (_hold) until the quote closes
        skip_to = -1  # tokens up to here were handled as part of a closing run
        for i in events:
            if i >= n:  # a stop of the common case, "word. word" (found by the C scan: plain_stop)
                i -= n
                if i <= skip_to:
                    continue
                _hold(stack, cuts, i)
                continue
            if i < 0:  # a line break before token ~i
                i = ~i
                if stack:
                    _flush(stack, cuts)
                cuts.append(i - 1)
                continue
            if i <= skip_to:
                continue
            e = ends[i]
            s = text[ends[i - 1] if i else 0:e].lstrip()
            if s in TERMINALS and i + 1 < n:
                nxt = text[e:ends[i + 1]]
                # the common case: "word. word", the word before the stop longer than two letters
                if nxt[0] == " " and nxt[1] not in _NOT_PLAIN_NEXT and i \
                        and ends[i - 1] - (ends[i - 2] if i > 1 else 0) > 3:
                    _hold(stack, cuts, i)
                    continue
            start = cuts[-1] + 1 if cuts else 0  # first token of the current sentence
            c = s[0]
            if c in TERMINALS or c == ELLIPSIS:
                j, strong, ellipsis = self.closing_run(stack, i)
                skip_to = j
                if j + 1 < n and not self.line_break_before(j + 1) \
                        and (strong or (ellipsis and self.ellipsis_ends(i, j))) and self.ends_here(i, j, start):
                    _hold(stack, cuts, j)
            elif c == ":":
                if not stack and 0 < i - start <= DATELINE_MAX_TOKENS and self.dateline(start, i):
                    cuts.append(i)
            elif c == "-":
                # a dateline without its colon: "تهران - واحد مرکزی خبر استفاده از ..."
                e = self.agency_after(i) if 0 < i - start <= 3 and not stack else -1
                if e > 0:
                    cuts.append(e)
            else:
                self.quote(s, stack, i, start)
        _flush(stack, cuts)
        cuts.append(n - 1)
        lasts = sorted(set(cuts))  # all >= 0: each sentence runs from the token after the last cut
        if self.starts is None:
            firsts = [0, *[e + 1 for e in lasts[:-1]]]
            return list(zip(map(self.start, firsts), map(ends.__getitem__, lasts), strict=True))
        starts = self.starts
        firsts = map(starts.__getitem__, map((1).__add__, lasts[:-1]))
        return list(zip([starts[0], *firsts], map(ends.__getitem__, lasts), strict=True))

    def closing_run(self, stack: list[_Quote], i: int) -> tuple[int, bool, bool]:
        """Extend a terminal at token i over the terminals and closing marks written right after it.

        Returns the last token of the run, whether a sentence may end after it, and whether the run
        is only an ellipsis.  A run with a full stop, "؟" or "!" may end one, except "؟»" and "!»"
        closing a quote that opened inside the sentence (a title: «... چه شد؟» نوشت).
        """
        inline = stop = mark = False
        n = self.n
        j = i - 1
        while j + 1 < n and (j < i or self.glued(j + 1)):
            t = self.piece(j + 1) if j >= i else self.tok(i)
            c = t[0]
            if c == "." and len(t) == 1:
                stop = True
            elif c in TERMINALS and c != ".":
                mark = True
            elif c == ELLIPSIS or c == ".":
                pass
            elif t in CLOSERS:
                frame = self.quote(t, stack, j + 1)
                if frame is None and t == '"':
                    break
                if frame is not None and frame.inline:
                    inline = True
            else:
                break
            j += 1
        # an opening mark followed by white space closes: a mirrored «» or [] as in "... می‌کند. «"
        if j + 1 < n and self.piece(j + 1) in _MIRRORED and (j + 2 == n or not self.glued(j + 2)):
            j += 1
        return j, stop or (mark and not inline), not (stop or mark)

    def quote(self, s: str, stack: list[_Quote], i: int, start: int = -1) -> _Quote | None:
        """Update the quote stack for token i (``s``); the quote it closed, if any.

        ``start`` is the first token of the current sentence, or -1 when only a closing quote may
        follow (inside a closing run).
        """
        if s in CLOSE_QUOTES or (s == '"' and stack and stack[-1].opener == '"'):
            opener = CLOSE_QUOTES.get(s, s)
            for k in range(len(stack) - 1, -1, -1):
                if stack[k].opener == opener:
                    frame = stack[k]
                    del stack[k:]  # the ends inside a closed quote are dropped
                    return frame
            return None
        if start < 0:
            return None
        if s in OPEN_QUOTES or (s == '"' and self.opens(i)):
            # a quote opened inside a sentence, not after a colon, is a title or a phrase: «... چه شد؟» نوشت
            stack.append(_Quote(s, [], i > start and self.tok(i - 1) not in (":", "؛")))
        return None

    def opens(self, i: int) -> bool:
        """A straight double quote opens when white space (or the start) is before it and none after."""
        text = self.text
        start, end = self.start(i), self.ends[i]
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return (before.isspace() or before in "(«[:") and not after.isspace()

    def ends_here(self, i: int, j: int, start: int) -> bool:
        """Does a sentence end after the closing run of tokens i..j, given the token after it?"""
        nxt = self.tok(j + 1)
        if nxt[0] in CONTINUERS:
            # a closing mark with white space on both sides after a stop opens the next sentence,
            # mirrored: "... است. » سپس ..."
            return len(nxt) == 1 and nxt in CLOSERS and not self.glued(j + 1) and j + 2 < self.n \
                and not self.glued(j + 2)
        if len(nxt) == 1 and token_kind(nxt) == "punct" and (j + 2 == self.n or self.line_break_before(j + 2)):
            return False  # a lone mark at the end of a line is no sentence: "... می‌کند. «"
        if not i or not self.glued(i):
            return True
        before = self.tok(i - 1)
        if self.glued(j + 1):
            # written without spaces on either side: "file.txt" and "بی.ام.و" stay whole, "است.وی" is two sentences
            if len(before) <= 2 and before[0] in AR_LETTERS:
                return False
            return not (_latin_or_number(nxt) and _latin_or_number(before))
        if j == i and self.tok(i) == ".":
            if i - 1 == start and before[0].isdigit() and len(before) <= 3:
                return False  # a numbered list item: "۱. ..."
            if len(before) <= 2 and before[0] in AR_LETTERS and self.initials(i, nxt):
                return False  # spelt-out initials: "اف. بی. آی"
        return True

    def ellipsis_ends(self, i: int, j: int) -> bool:
        """An ellipsis ends a sentence after a word ("می‌خواستم… ولی") but not after «و» or «یا» («و…»),
        nor when it stands for «لله» ("آیت‌ا... خامنه‌ای")."""
        if not i or not self.glued(i) or self.glued(j + 1):
            return False
        before, nxt = self.tok(i - 1), self.tok(j + 1)
        if before[-1] == "ا":
            return False  # «الله» cut short («آیت‌ا... خامنه‌ای», «ان‌شاا…») or a stammer («ا… آره»)
        return before not in _LIST_WORDS and before[0].isalpha() and nxt[0].isalpha()

    def line_break_before(self, k: int) -> bool:
        piece = self.piece(k)
        return piece[0] in SPACE_CHARS and not LINE_BREAKS.isdisjoint(piece)

    def initials(self, i: int, nxt: str) -> bool:
        """Is the stop at token i inside a run of short words each followed by a stop ("اف. بی. آی")?"""
        n = self.n
        if len(nxt) <= 3 and i + 2 < n and self.glued(i + 2) and self.tok(i + 2) == ".":
            return True
        return i >= 3 and self.tok(i - 2) == "." and self.glued(i - 1) is False and len(self.tok(i - 3)) <= 2 \
            and self.glued(i - 2)

    def agency_after(self, dash: int) -> int:
        """The last token of a news agency's name right after token ``dash``, when a word follows it; else -1."""
        words: list[str] = []
        for k in range(dash + 1, min(dash + 5, self.n - 1)):
            if k > dash + 1 and not self.piece(k).startswith(" "):
                return -1
            words.append(self.tok(k))
            if " ".join(words) in AGENCIES:
                nxt = self.tok(k + 1)
                return k if self.piece(k + 1).startswith(" ") and nxt[0] in AR_LETTERS else -1
        return -1

    def dateline(self, start: int, colon: int) -> bool:
        """Are tokens start..colon-1 a dateline ("تهران - ایرنا", "واحد مرکزی خبر") with the report after?"""
        count = colon - start
        if count < 1 or count > DATELINE_MAX_TOKENS or colon + 1 >= self.n:
            return False
        nxt = self.tok(colon + 1)[0]
        if nxt in OPEN_QUOTES or nxt == '"':
            return False
        head = [self.tok(k) for k in range(start, colon)]
        if " ".join(head) in AGENCIES or (head[0] == "خبرگزاری" and len(head) <= AGENCY_HEAD_MAX_WORDS):
            return True
        dash = any(t in DASHES for t in head[1:-1])
        return dash and all(t in DASHES or t in "()،," or _is_name_part(t) for t in head)


def _hold(stack: list[_Quote], cuts: list[int], i: int) -> None:
    """A sentence end after token i: held by the innermost open quote until it closes, else a cut.  A quote
    that would hold more than MAX_QUOTED_ENDS ends was no quote (a mark left open in a long line: every
    sentence after it would be one, 200,000 characters long in a line of joined paragraphs)."""
    if not stack:
        cuts.append(i)
        return
    stack[-1].ends.append(i)
    if len(stack[-1].ends) > MAX_QUOTED_ENDS:
        _flush(stack, cuts)


def _flush(stack: list[_Quote], cuts: list[int]) -> None:
    """Quotes still open at a line break (or holding too many ends, see _hold) were not quotes after all:
    the ends found inside them stand."""
    for frame in stack:
        cuts.extend(frame.ends)
    stack.clear()


def _latin_or_number(tok: str) -> bool:
    c = tok[0]
    return c.isdigit() or ("A" <= c <= "Z") or ("a" <= c <= "z")


def _is_name_part(tok: str) -> bool:
    return not tok[0].isdigit() and token_kind(tok) in ("word", "latin")


# Kinds are looked up per token string in a dictionary, so that a known token costs one lookup in
# C (``map(cache.__getitem__, tokens)``); a miss computes the kind.  Bounded in size for a long ingest.
_KIND_CACHE_SIZE = 1 << 18
# every token that starts with an Arabic-script word character is a word (see token_kind)
_WORD_START = frozenset(c for c in map(chr, range(0x0600, 0x0800)) if token_kind(c) == "word" and c.isalpha()) \
    | frozenset("\u200c\u200d")


class _KindCache(dict):
    def __missing__(self, tok: str) -> str:
        if len(self) >= _KIND_CACHE_SIZE:
            self.clear()
        kind = self[tok] = "word" if tok[0] in _WORD_START else token_kind(tok)
        return kind


_kind = _KindCache()
# A token that starts with one of these has this kind whatever follows (the punctuation marks only
# ever start a token of themselves: "." "..." "!!" "،" "«").
_FIRST_KIND = dict.fromkeys(_WORD_START, "word") | dict.fromkeys(".،؛:«»()[]\"/-!؟?…", "punct")


@lru_cache(maxsize=1)
def _listed_stems() -> frozenset[str]:
    """The leading Arabic-script runs of the listed abbreviations (the C scan asks the regex about
    a word followed by "." only when the word is one of these)."""
    lead = re.compile(f"[{AR}]+")
    return frozenset(m.group() for m in map(lead.match, abbreviations_listed(False)) if m)


def clear_caches() -> None:
    """Forget the cached kinds of tokens (benchmarks time cold starts with this)."""
    _kind.clear()


def segment(text: str) -> tuple[list[Span], TokenList]:
    """Sentences (as spans) and tokens (with kinds) of ``text``.

    The tokens come as a :class:`~khabar.document.TokenList`: columns of offsets and kinds that
    read as ``Token`` objects.
    """
    if _scan is not None and type(text) is str:
        sentences, starts, ends, kinds = _c_columns(text)
        return make_spans(sentences), TokenList(starts, ends, kinds)
    seg = segment_offsets(text)
    return make_spans(seg.sentences), TokenList(seg.starts, seg.ends, seg.kinds)


def segment_py(text: str) -> tuple[list[Span], TokenList]:
    """:func:`segment` through the pure-Python path (the reference; used where the C scan is not built)."""
    seg = segment_offsets_py(text)
    return make_spans(seg.sentences), TokenList(seg.starts, seg.ends, seg.kinds)


def tokenize(text: str) -> TokenList:
    """The tokens of ``text`` (see docs/schema.md for the kinds).

    >>> [(t.start, t.end, t.kind) for t in tokenize("۳٫۵ درصد.")]
    [(0, 3, 'number'), (4, 8, 'word'), (8, 9, 'punct')]
    """
    return segment(text)[1]


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text``: spans that start and end on a token."""
    return make_spans(segment_offsets(text).sentences)


def segment_step(doc: Document) -> Document:
    """Pipeline step: set ``doc.sentences`` and ``doc.tokens`` over ``doc.text``."""
    doc.sentences, doc.tokens = segment(doc.text)
    return doc
