"""The normalizer: small named rules applied in order, each able to say what it changed.

A rule is a function ``rule(text, config) -> list[Edit]``; the engine applies
its edits, carries the character alignment to the raw input along, and (when
asked) records a :class:`~khabar.document.Change` per edit.  Rules never touch
line breaks, so ``khabar normalize`` keeps lines exactly.

>>> normalize("كتاب هاي  جديد")
'کتاب‌های جدید'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache, partial
from typing import Any, Literal

from khabar.text import chars
from khabar.text.alignment import Alignment, Edit, apply_edits

DigitsMode = Literal["keep", "persian", "latin"]


@dataclass(frozen=True)
class NormalizerConfig:
    """Every option of the normalizer, with its default.

    - ``digits``: ``persian`` (default: what hazm and shekar write, what Persian
      readers and the UD/NER corpora expect), ``latin`` or ``keep``.  Digits in
      URLs, e-mail addresses, hashtags, mentions and Latin codes are never touched.
    - ``diacritics``: remove harakat (default ``True``).
    - ``letters``, ``invisible``, ``kashida``, ``repeated``, ``punctuation``,
      ``spacing``: switch a rule group off with ``False``.
    - ``halfspace``: restore half-spaces (ZWNJ) with the learned model.
    """

    letters: bool = True
    invisible: bool = True
    kashida: bool = True
    diacritics: bool = True
    repeated: bool = True
    digits: DigitsMode = "persian"
    punctuation: bool = True
    spacing: bool = True
    halfspace: bool = True

    @classmethod
    def from_options(cls, **options: Any) -> NormalizerConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(options) - known
        if unknown:
            raise TypeError(f"unknown normalizer option(s): {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(sorted(known))}")
        if options.get("digits", "persian") not in ("keep", "persian", "latin"):
            raise ValueError(f"digits must be keep, persian or latin, not {options['digits']!r}")
        return replace(cls(), **options)


DEFAULT_CONFIG = NormalizerConfig()

RuleFn = Callable[[str, NormalizerConfig], list[Edit]]


@dataclass(frozen=True)
class Rule:
    """A named rule: ``edits`` says what it changes (``--explain``, the alignment); ``normalize``,
    which needs only the text, runs ``table`` then ``fast`` when the rule has them.

    ``table`` maps single characters, each by itself whatever its neighbours ("" deletes it): the
    part of the rule that is a character map (the whole rule when ``fast`` is None).  ``normalize``
    composes the tables of consecutive rules into one pass over the text.
    """

    name: str
    enabled: Callable[[NormalizerConfig], bool]
    edits: RuleFn
    fast: Callable[[str, NormalizerConfig], str] | None = None
    table: Mapping[str, str] | None = field(default=None, hash=False)  # not hashed (a dict): a Rule stays hashable


# ---------------------------------------------------------------------------
# Protected spans: URLs, e-mail addresses, hashtags, mentions, Latin codes.

# A URL's address after "://" or "www.": up to white space or a quotation mark, its first character not one
# the spacing rule may pull against it from across a space (so the next pass cannot find a URL this one
# did not).
_URL_BODY = r"[^\s<>«»\"'،؛؟.:!,;?()\[\]{}][^\s<>«»\"']*"

# The first character is matched by one character class (so that the regex engine skips to the next
# candidate in C) and each alternative checks it again with a lookbehind.
PROTECTED = re.compile(
    r"[A-Za-z0-9.%+#@_-](?:"
    r"(?:(?i:(?<=h)ttps?://|(?<=f)tp://)|(?<=w)ww\.|(?<=W)ww\.|(?<=W)WW\.)" + _URL_BODY +  # URL
    r"|(?<=[A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"  # e-mail
    r"|(?<=[#@])[\w\u200c]+"  # hashtag, mention
    r"|(?<=[A-Za-z])[A-Za-z0-9_\-./]*[0-9][A-Za-z0-9_\-]*"  # code: F16, COVID-19
    r"|(?<=[0-9])[0-9]*[A-Za-z][A-Za-z0-9_\-]*)"  # 4G
)


_WWW = chars.WWW
_URL_RE = re.compile(chars.URL_START + _URL_BODY)  # (PROTECTED's URL alternative)


def may_hold_url(text: str) -> bool:
    """Whether ``text`` may hold a URL: a "://", or a "ww." or "WW." (every "www." of :data:`_WWW` holds one;
    three scans of the text, and a text it lets through only goes the exact way of :func:`_url_spans`)."""
    return "://" in text or "ww." in text or "WW." in text


def _find_www(text: str, start: int, end: int) -> int:
    """Where the first "www." (any of :data:`_WWW`) in ``text[start:end]`` begins, or -1."""
    found = [k for k in (text.find(w, start, end) for w in _WWW) if k >= 0]
    return min(found) if found else -1


def _protected(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The matches of PROTECTED in ``text[start:end]``, URLs found first on their own (:func:`_url_spans`),
    so that a hashtag or a code just before one (``#تگ۲http://...``, ``6http://...``) cannot take its
    ``http``: what the rules delete beside a URL then never changes where it is found."""
    end = len(text) if end is None else end
    urls = _url_spans(text, start, end)
    if not urls:
        return [m.span() for m in PROTECTED.finditer(text, start, end)]
    out: list[tuple[int, int]] = []
    for s, e in [*urls, (end, end)]:
        out += [m.span() for m in PROTECTED.finditer(text, start, s)]
        if s < end:
            out.append((s, e))
        start = e
    return out


def _sub_outside(pattern: re.Pattern[str], text: str, repl: Callable[[re.Match[str]], str | None],
                 spans: list[tuple[int, int]] | None = None) -> list[Edit]:
    """Edits for every match of ``pattern`` outside protected spans; ``repl`` None skips a match.

    Protected spans are found only when the pattern matches at all (most texts: never).
    """
    out: list[Edit] = []
    i = 0
    for m in pattern.finditer(text):
        if spans is None:
            spans = _protected(text)
        s, e = m.span()
        while i < len(spans) and spans[i][1] <= s:
            i += 1
        if i < len(spans) and spans[i][0] < e and s < spans[i][1]:
            continue
        r = repl(m)
        if r is not None and r != m.group():
            out.append(Edit(s, e, r))
    return out


# ---------------------------------------------------------------------------
# Speed.  A regex character class scans a long text at several nanoseconds a character, ``c in
# text`` and ``str.find`` at a small fraction of that, so the rules find the few characters they act
# on with ``str.find`` and give every rule that is local to a line only the lines that need it.
# The optional C extension khabar.text._scan (built at install when a compiler is there) does these
# scans in one pass for all the characters at once: _positions and _triples are its
# functions then, else the pure-Python ones below, which are the reference (tests/test_normalizer_paths.py).


def _positions_py(text: str, targets: str) -> list[int]:
    """Sorted offsets of every occurrence in ``text`` of any character of ``targets``."""
    out: list[int] = []
    find = text.find
    for c in dict.fromkeys(targets):
        i = find(c)
        while i >= 0:
            out.append(i)
            i = find(c, i + 1)
    out.sort()
    return out


# any character three times: a faster scan than the letter class (which matches at most characters)
_TRIPLE_RE = re.compile(r"(.)\1\1")


def _triples_py(text: str) -> list[int]:
    """The starts of the matches of _TRIPLE_RE."""
    return [m.start() for m in _TRIPLE_RE.finditer(text)]


try:
    from khabar.text import _scan
except ImportError:
    _scan = None
# (an extension built before these functions were added has only the segmenter's scan)
ACCELERATED = _scan is not None and all(
    hasattr(_scan, name) for name in ("find_chars", "triples", "spacing_at", "remap", "touching_runs"))
_positions: Callable[[str, str], list[int]] = (
    _scan.find_chars if ACCELERATED else _positions_py)  # type: ignore[union-attr]
_triples: Callable[[str], list[int]] = _scan.triples if ACCELERATED else _triples_py  # type: ignore[union-attr]
# Every match of PROTECTED holds one of these (a URL's scheme or "www", an e-mail's "@", a hashtag's "#",
# a code's letters) and no white space.
_PROTECTED_MARKS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ#@"


def protected_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the matches of :data:`PROTECTED` in ``text``: URLs, e-mail addresses, hashtags,
    mentions, Latin codes (the half-space rule leaves them alone too).

    The regex alone tries a match at every digit and full stop of the text; with the C scans, a long
    text is searched only in the runs of non-space characters that hold a Latin letter, "#" or "@"
    (:func:`_protected_chunked`), few in Persian text.
    """
    return _protected_chunked(text) if ACCELERATED and len(text) >= 4096 else _protected(text)


def _protected_chunked(text: str) -> list[tuple[int, int]]:
    """``_protected(text)``, found in the non-space runs around the characters of _PROTECTED_MARKS.

    A match holds no white space, so it lies in one such run (and, found from there, starts where the
    search of the whole text starts it: the regex looks behind only at the match's own first character).
    """
    out: list[tuple[int, int]] = []
    end = -1
    for p in _positions(text, _PROTECTED_MARKS):
        if p < end:
            continue
        end, spans = _chunk_protected(text, p, p)
        out += spans
    return out


def _url_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The URLs of ``text[start:end]`` (PROTECTED's URL alternative, found on its own): what the letter
    rules leave alone.  A URL begins at its ``http``/``ftp``/``www.`` whatever precedes it and ends only at
    white space or a quotation mark, which no rule puts into a protected span or deletes, so the next pass
    finds the same URLs (or longer ones) and normalizing stays idempotent; a hashtag or a code would not
    (a diacritic deleted beside one can join it to its neighbours).

    The matches of ``_URL_RE.finditer``, found from each ``://`` and ``www.`` (``str.find``: a regex scan
    of a long text for the prefixes costs far more)."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    i = start
    never = end + 5  # (past every place: "none left")
    sep = www = -1  # the next "://" and "www." (never: none), looked for again only once passed
    while True:  # (each place a URL can begin, in order: a "www." or 3 to 5 characters before a "://")
        if sep < i + 3:  # (a URL begins 3-5 characters before its ://)
            found = text.find("://", i + 3, end)
            sep = never if found < 0 else found
        if www < i:
            found = _find_www(text, i, end)
            www = never if found < 0 else found
        starts = [p for p in (sep - 5, sep - 4, sep - 3) if sep != never and p >= i] + ([www] if www != never else [])
        if not starts:
            return out
        first = min(starts)
        m = _URL_RE.match(text, first, end)
        if m is None:
            i = first + 1
            continue
        out.append(m.span())
        i = m.end()


def _between_urls(text: str) -> list[tuple[int, int]]:
    """The parts of ``text`` outside its URLs (:func:`_url_spans`), empty ones left out."""
    out: list[tuple[int, int]] = []
    prev = 0
    for s, e in [*_url_spans(text), (len(text), len(text))]:
        if s > prev:
            out.append((prev, s))
        prev = e
    return out


def _outside_urls(text: str, rule: Callable[[str], list[Edit]]) -> list[Edit]:
    """``rule``'s edits of the parts of ``text`` outside its URLs (each part on its own), in ``text``'s
    offsets: the letter rules never change a link."""
    if not may_hold_url(text):  # (most texts)
        return rule(text)
    return [Edit(a + s, b + s, r) for s, e in _between_urls(text) for a, b, r in rule(text[s:e])]


def _outside_urls_text(text: str, fn: Callable[[str], str]) -> str:
    """``fn`` applied to the parts of ``text`` outside its URLs (the text of :func:`_outside_urls`'s edits)."""
    if not may_hold_url(text):
        return fn(text)
    out: list[str] = []
    pos = 0
    for s, e in _between_urls(text):
        out += [text[pos:s], fn(text[s:e])]
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive offsets, as ``(start, end)``: the matches of ``[targets]+``."""
    out: list[tuple[int, int]] = []
    if not positions:
        return out
    start = prev = positions[0]
    for p in positions:
        if p > prev + 1:
            out.append((start, prev + 1))
            start = p
        prev = p
    out.append((start, prev + 1))
    return out


def _delete_runs(text: str, targets: str) -> list[Edit]:
    """Edits deleting every run of ``targets`` characters (the matches of ``[targets]+``)."""
    return [Edit(s, e, "") for s, e in _runs(_positions(text, targets))]


class CharMap:
    """A map of single characters (to "" for a deletion) applied to a whole text in one go, as
    ``str.translate`` would (which looks every character up in a dict, tens of nanoseconds each).

    In C (``_scan.remap``, one pass) when every key is in the BMP and every value one character or "";
    else (or without the extension) see :func:`_remap_py`.
    """

    __slots__ = ("table", "one_to_one")

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = {k: v for k, v in table.items() if k != v}
        self.one_to_one = all(len(v) <= 1 and k < "\U00010000" for k, v in self.table.items())

    def then(self, table: Mapping[str, str]) -> CharMap:
        """This map followed by ``table``, as one map."""
        composed = {c: "".join(table.get(x, x) for x in self.table.get(c, c)) for c in [*self.table, *table]}
        return CharMap(composed)

    def __call__(self, text: str) -> str:
        return _remap(text, self.table) if self.one_to_one else _remap_py(text, self.table)


def _remap_py(text: str, table: dict[str, str]) -> str:
    """``text`` with each key of ``table`` replaced with its value, as ``str.translate`` would do it.

    Characters mapped to a string are replaced with ``str.replace`` (a handful of copies of the text);
    deleted ones are found with ``str.find`` and the text is joined once around them.  A value that
    holds a key would make that order wrong: such a table goes to ``str.translate`` (exact, slower).
    """
    if any(c in table for v in table.values() for c in v):
        return text.translate({ord(k): v for k, v in table.items()})
    present = [c for c in table if c in text]
    if not present:
        return text
    delete = ""
    for c in present:
        if table[c]:
            text = text.replace(c, table[c])
        else:
            delete += c
    return apply_edits(text, _delete_runs(text, delete)) if delete else text


_remap: Callable[[str, dict[str, str]], str] = _scan.remap if ACCELERATED else _remap_py  # type: ignore[union-attr]


def _lines(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The lines (``start``, ``end`` before the line feed) that hold ``positions`` (sorted), each once."""
    out: list[tuple[int, int]] = []
    end = -1
    n = len(text)
    for p in positions:
        if p <= end:
            continue
        start = text.rfind("\n", 0, p) + 1
        end = text.find("\n", p)
        if end < 0:
            end = n
        out.append((start, end))
    return out


def _by_line(text: str, lines: list[tuple[int, int]], rule: RuleFn, config: NormalizerConfig) -> list[Edit]:
    """``rule``'s edits over the whole text, for a rule that never looks across a line feed: it runs
    only on ``lines`` (those that can hold an edit) and its edits are moved to text offsets."""
    out: list[Edit] = []
    for start, end in lines:
        if start:
            out += [Edit(s + start, e + start, r) for s, e, r in rule(text[start:end], config)]
        else:
            out += rule(text[start:end], config)
    return out


# ---------------------------------------------------------------------------
# Letters

_ZWJ = "\u200d"


def _emoji(c: str) -> bool:
    """Whether ``c`` can stand on either side of the joiner of an emoji sequence (``👨‍👩‍👧``, ``🏳️‍🌈``):
    pictographs, the symbols block, a variation selector."""
    o = ord(c)
    return o >= 0x1F000 or 0x2600 <= o <= 0x27BF or 0x2300 <= o <= 0x23FF or 0x2B00 <= o <= 0x2BFF or c == "\ufe0f"


def _joins_emoji(text: str, s: int, e: int) -> bool:
    """Whether the characters around ``text[s:e]`` are both emoji."""
    return 0 < s and e < len(text) and _emoji(text[s - 1]) and _emoji(text[e])


def remove_invisible(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove zero-width spaces and joiners, direction marks, BOM and soft hyphens; a joiner between two
    emoji stays (it makes them one: a family, a flag).

    >>> apply_edits("سلام\u200f", remove_invisible("سلام\u200f"))
    'سلام'
    """
    out: list[Edit] = []
    for s, e in _runs(_positions(text, chars.INVISIBLE)):
        if _ZWJ in text[s:e] and _joins_emoji(text, s, e):
            out += [Edit(a + s, b + s, "") for a, b in _runs([i for i, c in enumerate(text[s:e]) if c != _ZWJ])]
        else:
            out.append(Edit(s, e, ""))
    return out


def _zwj_fast(text: str, config: NormalizerConfig) -> str:
    """What remove_invisible does besides its character map (every invisible character but the joiner)."""
    if _ZWJ not in text:
        return text
    return apply_edits(text, [Edit(s, e, "") for s, e in _runs(_positions(text, _ZWJ))
                              if not _joins_emoji(text, s, e)])


_LETTER_TABLE = {ord(k): v for k, v in chars.LETTER_MAP.items()}
_LETTERS = "".join(chars.LETTER_MAP)
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
# One range and no repetition: the regex engine scans for it several times faster than for the
# exact class with "+" (the range holds U+FE00-U+FE6F too, dropped after the scan).
_MAYBE_PRESENTATION_RE = re.compile("[\ufb50-\ufefe]")


def _presentation(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", s).translate(_LETTER_TABLE)


def persian_letters(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Arabic letter forms (ي ى ك ...) and presentation forms to Persian letters.

    >>> apply_edits("علي كريمي", persian_letters("علي كريمي"))
    'علی کریمی'
    """
    return _outside_urls(text, _letter_edits)


def _letter_edits(text: str) -> list[Edit]:
    edits = [Edit(s, e, text[s:e].translate(_LETTER_TABLE)) for s, e in _runs(_positions(text, _LETTERS))]
    presentation = _presentation_edits(text)
    if presentation:
        edits += presentation
        edits.sort()
    return edits


def _presentation_positions_py(text: str) -> list[int]:
    """The offsets of the characters of _PRESENTATION_RE's class."""
    return [m.start() for m in _MAYBE_PRESENTATION_RE.finditer(text) if not "\ufe00" <= m.group() < "\ufe70"]


_PRESENTATION_CHARS = "".join(map(chr, [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]))


def _presentation_positions_c(text: str) -> list[int]:
    return _positions(text, _PRESENTATION_CHARS)


_presentation_positions = _presentation_positions_c if ACCELERATED else _presentation_positions_py


def _presentation_runs(text: str) -> list[tuple[int, int]]:
    """The spans of the matches of _PRESENTATION_RE."""
    return _runs(_presentation_positions(text))


def _presentation_edits(text: str) -> list[Edit]:
    """persian_letters' edits of presentation forms."""
    return [Edit(s, e, _presentation(text[s:e])) for s, e in _presentation_runs(text)]


_LETTER_MAP = CharMap(chars.LETTER_MAP)


def _letters_fast(text: str, config: NormalizerConfig) -> str:
    """persian_letters' text: its character map (C) and the presentation forms, outside URLs."""
    return _outside_urls_text(text, lambda t: apply_edits(u := _LETTER_MAP(t), _presentation_edits(u)))


def remove_kashida(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove kashida (tatweel), the letter-stretching stroke.

    >>> apply_edits("ســــلام", remove_kashida("ســــلام"))
    'سلام'
    """
    return _outside_urls(text, partial(_delete_runs, targets=chars.KASHIDA))



def remove_diacritics(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove harakat, tanwin, shadda and sukun (option ``diacritics``).

    >>> apply_edits("کِتابً", remove_diacritics("کِتابً"))
    'کتاب'
    """
    return _outside_urls(text, partial(_delete_runs, targets=chars.DIACRITICS))


# (not «ههه» before «ا»: a word in «هه» and «ها» with the half-space taken out, «دهههای» for «دهه‌های»; nor
# with a ZWNJ before the «ا», as the half-space rule may have put it: a second pass agrees)
_REPEATED_RE = re.compile(f"(?!ههه\u200c?ا)([{chars.ARABIC_SCRIPT_LETTER_CLASS}])\\1{{2,}}")


def collapse_repeated_letters(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """A letter written three or more times in a row is noise: keep one.

    No Persian word repeats a letter three times; two (``الله``, ``مدّت``) are left alone, and so are three
    «ه» before «ا»: a word ending in «هه» before «ها» with its half-space taken out (``دهههای``, ``جبههها``),
    which the half-space rule then sets right.

    >>> apply_edits("خیلیییی خوب", collapse_repeated_letters("خیلیییی خوب"))
    'خیلی خوب'
    """
    if not _triples(text):  # (most texts: no letter three times, no URL to look for)
        return []
    return _outside_urls(text, lambda t: _by_line(t, _lines(t, _triples(t)), _repeated_in_line, config))


def _repeated_in_line(text: str, config: NormalizerConfig) -> list[Edit]:
    return [Edit(m.start(), m.end(), m.group(1)) for m in _REPEATED_RE.finditer(text)]


# ---------------------------------------------------------------------------
# Digits

_TO_PERSIAN = str.maketrans(chars.LATIN_DIGITS + chars.ARABIC_DIGITS, chars.PERSIAN_DIGITS * 2)
_TO_LATIN = str.maketrans(chars.PERSIAN_DIGITS + chars.ARABIC_DIGITS, chars.LATIN_DIGITS * 2)
_DIGITS_FOR = {
    "persian": (chars.LATIN_DIGITS + chars.ARABIC_DIGITS, _TO_PERSIAN),
    "latin": (chars.PERSIAN_DIGITS + chars.ARABIC_DIGITS, _TO_LATIN),
}


def convert_digits(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Digits to the chosen script, except in URLs, e-mails, hashtags and codes.

    >>> apply_edits("سال 2019 و F16", convert_digits("سال 2019 و F16"))
    'سال ۲۰۱۹ و F16'
    """
    digits, table = _DIGITS_FOR[config.digits]
    runs = _runs(_positions(text, digits))  # the matches of [digits]+
    keep = set(_protected_runs(text, _touching(text, runs)))  # (digits alone: nothing to protect)
    return [Edit(s, e, text[s:e].translate(table)) for s, e in runs if (s, e) not in keep]


_NON_SPACE_RE = re.compile(r"\S*")


def _chunk_protected(text: str, s: int, e: int) -> tuple[int, list[tuple[int, int]]]:
    """The end of the chunk around ``text[s:e]`` (the run of non-space characters holding it) and the
    protected spans in that chunk: a protected span holds no white space, so the one ``text[s:e]``
    touches lies in its chunk, and matches there as in the whole text."""
    start = s
    while start and not text[start - 1].isspace():
        start -= 1
    end = _NON_SPACE_RE.match(text, e).end()
    return end, _protected(text, start, end)


_DIGIT_MAPS = {mode: {c: c.translate(table) for c in digits} for mode, (digits, table) in _DIGITS_FOR.items()}


def _touching(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Those of ``runs`` not between white space or the ends of the text."""
    n = len(text)
    return [(s, e) for s, e in runs if not ((s == 0 or text[s - 1].isspace()) and (e == n or text[e].isspace()))]


def _touching_runs_py(text: str, targets: str) -> list[tuple[int, int]]:
    """The maximal runs of ``targets`` characters but those between white space or the ends of the text."""
    return _touching(text, _runs(_positions_py(text, targets)))


_touching_runs: Callable[[str, str], list[tuple[int, int]]] = (
    _scan.touching_runs if ACCELERATED else _touching_runs_py)  # type: ignore[union-attr]


def _protected_runs(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Those of ``runs`` (digits not between white space) that touch a protected span: convert_digits
    leaves them whole."""
    out: list[tuple[int, int]] = []
    chunk_end = -1
    spans: list[tuple[int, int]] = []
    for s, e in runs:
        if e > chunk_end:
            chunk_end, spans = _chunk_protected(text, s, e)
        if any(a < e and s < b for a, b in spans):
            out.append((s, e))
    return out


def _digits_fast(text: str, config: NormalizerConfig) -> str:
    """convert_digits' text: every digit mapped in one pass (C), then the runs it leaves put back."""
    keep = _protected_runs(text, _touching_runs(text, _DIGITS_FOR[config.digits][0]))
    out = _remap(text, _DIGIT_MAPS[config.digits])  # one character for one: the offsets stay
    return apply_edits(out, [Edit(s, e, text[s:e]) for s, e in keep])


# ---------------------------------------------------------------------------
# Punctuation and spaces

_L = chars.ARABIC_SCRIPT_LETTER_CLASS
_H = re.escape(chars.HSPACE)
_LETTER_CHAR_RE = re.compile(f"[{_L}]")
_PERSIAN_PUNCT_RE = re.compile("[,;?](?![0-9۰-۹])")
_PERSIAN_PUNCT = {",": "،", ";": "؛", "?": "؟"}


def persian_punctuation(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Latin comma, semicolon and question mark after Persian words become Persian.

    >>> apply_edits("چرا?", persian_punctuation("چرا?"))
    'چرا؟'
    """
    return _by_line(text, _lines(text, _positions(text, ",;?")), _punctuation_in_line, config)


def _punctuation_in_line(text: str, config: NormalizerConfig) -> list[Edit]:
    def repl(m: re.Match[str]) -> str | None:
        k = m.start() - 1
        while k >= 0 and text[k] in chars.HSPACE:
            k -= 1
        return _PERSIAN_PUNCT[m.group()] if k >= 0 and _LETTER_CHAR_RE.match(text, k) else None

    return _sub_outside(_PERSIAN_PUNCT_RE, text, repl)


# Each pattern starts with one character class, so that the regex engine skips in C to the next
# character that can start a match (a lookbehind after it checks what comes before).
_HNS = re.escape(chars.HSPACE[1:])  # white space other than " "
# A run of two or more white spaces, or one other than " ": one " ".
_SPACE_RUN_RE = re.compile(f"[{_H}](?:[{_H}]+|(?<=[{_HNS}]))")
# White space at the start or the end of a line.
_EDGE_SPACE_RE = re.compile(f"(?m)[{_H}](?:(?<=^[{_H}])[{_H}]*|[{_H}]*(?=\\r?\\n|\\r|\\Z))")
# The punctuation fix_spacing spaces around (each set once: the regexes below and the C scan's flags,
# _spacing_flags, are built from them).
_CLOSE_MARKS = "،؛؟!)]»}"  # closing punctuation that ends a word
_DOTS = ".:,;?…"  # ... and that may also stand inside one («.NET», «3.5»)
_CLOSERS = _CLOSE_MARKS + _DOTS
_OPENERS = "«(["
_BEFORE_LETTER = "،؛؟!:.»)]"  # punctuation a Persian letter follows after a space
_OPEN_ROUND = "«("  # opening brackets a Persian letter precedes after a space

# Space before closing punctuation (when that punctuation ends a word, not «.NET» or «3 .5»).
_SPACE_BEFORE_RE = re.compile(
    f"[{_H}](?<=\\S[{_H}])[{_H}]*(?=[{re.escape(_CLOSE_MARKS)}]|[{re.escape(_DOTS)}]+(?:[\\s»)\\]{_L}«(]|$))")
# Space after opening brackets and before closing ones.
_SPACE_AFTER_OPEN_RE = re.compile(f"[{_H}](?<=[{re.escape(_OPENERS)}][{_H}])[{_H}]*")
# Missing space after punctuation, before a Persian letter: a space goes at the end of the match; not the full stop
# between the single letters of an abbreviation (a letter alone on each side: «ق.ظ», «ه.ش», «م.ع.»; not «رفت.من»,
# «بند ب.سپس»; only letters count, so a space the rule puts elsewhere never changes it: «ج.ا.ایران» → «ج.ا. ایران»)
_MISSING_AFTER_RE = re.compile(f"(?!(?<=[{_L}])(?<![{_L}][{_L}])\\.[{_L}](?![{_L}]))"
                               f"[{re.escape(_BEFORE_LETTER)}](?=[{_L}{re.escape(_OPEN_ROUND)}])")
# Missing space before an opening bracket after a Persian letter: a space goes at the start of the match.
_MISSING_BEFORE_RE = re.compile(f"[{re.escape(_OPEN_ROUND)}](?<=[{_L}][{re.escape(_OPEN_ROUND)}])")

# Where fix_spacing can change something, besides runs of white space and white space other than
# " " (found with str.find): white space before a line break, closing punctuation or the end;
# white space after a line feed or an opening bracket; punctuation before a letter or an opening
# bracket; an opening bracket after a letter.  The line of the match's first or last character may change.
_SPACING_AT_RE = re.compile(
    f"[\\r\\n{re.escape(_CLOSERS)}{re.escape(_OPENERS)}]"
    f"(?:(?<=\\n)[{_H}]"
    f"|(?<=[{_H}][\\r\\n{re.escape(_CLOSERS)}])"
    f"|(?<=[{re.escape(_OPENERS)}])(?=[{_H}])"
    f"|(?<=[{re.escape(_BEFORE_LETTER)}])(?=[{_L}{re.escape(_OPEN_ROUND)}])"
    f"|(?<=[{_L}][{re.escape(_OPEN_ROUND)}]))"
)


_LETTER_SET = frozenset(c for c in map(chr, range(0x0600, 0x0700)) if _LETTER_CHAR_RE.match(c))  # all of [_L]


def _spacing_at_py(text: str) -> list[int]:
    """Where fix_spacing can change something, sorted, each once: the start of every match of
    _SPACING_AT_RE and its second character when it has two, white space other than " ", and the
    start of every "  " (each found after the last one's end, as ``str.find`` steps)."""
    at = {p for s, e in map(re.Match.span, _SPACING_AT_RE.finditer(text)) for p in (s, e - 1)}
    at.update(_positions_py(text, chars.HSPACE[1:]))
    find = text.find
    i = find("  ")
    while i >= 0:
        at.add(i)
        i = find("  ", i + 2)
    return sorted(at)


def _spacing_flags() -> bytes:
    """The character classes of _spacing_at_py for the C scan (_scan.c's SP_* flags), one byte per BMP character."""
    flags = bytearray(0x10000)
    for bit, members in ((1, chars.HSPACE), (2, _LETTER_SET), (4, "\r\n" + _CLOSERS), (8, _OPENERS),
                         (16, _BEFORE_LETTER), (32, _OPEN_ROUND), (64, chars.HSPACE[1:])):
        for c in members:
            flags[ord(c)] |= bit
    return bytes(flags)


def _spacing_at_c(text: str) -> list[int]:
    return _scan.spacing_at(text, _SPACING_FLAGS)  # type: ignore[union-attr]


_SPACING_FLAGS = _spacing_flags() if ACCELERATED else b""
_spacing_at = _spacing_at_c if ACCELERATED else _spacing_at_py


def fix_spacing(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Collapse runs of spaces, trim line ends, and space punctuation the Persian way.

    >>> apply_edits("سلام  ،دنیا .", fix_spacing("سلام  ،دنیا ."))
    'سلام، دنیا.'
    """
    return _by_line(text, _spacing_windows(text), _spacing_in_line, config)


def _spacing_windows(text: str) -> list[tuple[int, int]]:
    """The windows fix_spacing's regexes run in: around each position it may change, and the text's ends
    when they are white space."""
    at = _spacing_at(text)  # sorted
    if text and (text[0] in chars.HSPACE or text[-1] in chars.HSPACE):
        at = [0, *at, len(text) - 1]  # a position twice is harmless: _windows skips what it has covered
    return _windows(text, at)


def _windows(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """Pieces of lines around ``positions`` (sorted) that fix_spacing can treat apart: each ends at the
    line's ends or at a single " " between two Persian letters, which the rule never changes, never
    reads past (no lookaround reaches over a letter) and no protected span crosses.  Every search
    starts where the last one stopped, so a long line costs one pass."""
    out: list[tuple[int, int]] = []
    end = first = last = -1
    find, rfind = text.find, text.rfind

    def bound(q: int) -> bool:
        return q > first and q + 1 < last and text[q - 1] in _LETTER_SET and text[q + 1] in _LETTER_SET

    for p in positions:
        if p <= end:  # in the last piece, or the line feed that ends it (a candidate is never a bound)
            continue
        if p > last:  # a new line
            first = rfind("\n", 0, p) + 1
            last = find("\n", p)
            if last < 0:
                last = len(text)
        low = max(first, end + 1)
        q = rfind(" ", low, p)
        while q >= low and not bound(q):
            q = rfind(" ", low, q)
        start = q + 1 if q >= low else low
        q = find(" ", p + 1, last)
        while q >= 0 and not bound(q):
            q = find(" ", q + 1, last)
        end = q if q >= 0 else last
        out.append((start, end))
    return out


def _spacing_in_line(text: str, config: NormalizerConfig) -> list[Edit]:
    """fix_spacing over one line (or any text)."""
    edits: dict[int, Edit] = {}
    for m in _SPACE_RUN_RE.finditer(text):
        edits[m.start()] = Edit(m.start(), m.end(), " ")
    spans: list[tuple[int, int]] | None = None
    for pattern, repl in ((_EDGE_SPACE_RE, ""), (_SPACE_BEFORE_RE, ""), (_SPACE_AFTER_OPEN_RE, ""),
                          (_MISSING_AFTER_RE, " "), (_MISSING_BEFORE_RE, " ")):
        if not pattern.search(text):
            continue
        if spans is None:
            spans = _protected(text)
        if repl:
            found = _insertions(pattern, text, spans, pattern is _MISSING_AFTER_RE)
        else:
            found = _sub_outside(pattern, text, lambda m: "", spans)
        for e in found:
            if e.start == e.end:
                edits.setdefault(e.start, e)
            else:
                edits[e.start] = e
    return _merge(edits.values(), text)


def _insertions(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]], at_end: bool) -> list[Edit]:
    """Insert a space at the end (or the start) of each match, except strictly inside a protected span."""
    out: list[Edit] = []
    i = 0
    for m in pattern.finditer(text):
        p = m.end() if at_end else m.start()
        while i < len(spans) and spans[i][1] <= p:
            i += 1
        if i < len(spans) and spans[i][0] < p:
            continue
        out.append(Edit(p, p, " "))
    return out


def _merge(edits: Any, text: str) -> list[Edit]:
    """Sort edits; where two touch the same characters keep the first (deletions win)."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end - e.start == 0, -(e.end - e.start))):
        if out and e.start < out[-1].end:
            continue
        if out and e.start == out[-1].end == out[-1].start and e.end == e.start:
            continue
        out.append(e)
    return out


# ---------------------------------------------------------------------------
# Half-spaces

_JOINING = frozenset(chars.JOINING)


def _is_letter(ch: str) -> bool:
    return "\u0620" <= ch <= "\u06ff" and ch.isalpha()


# The runs of half-spaces fix_wrong_zwnj changes: doubled, or not between a joining letter and a letter
# (most half-spaces are right, and the regex skips them without a Python call).
_WRONG_ZWNJ_RE = re.compile(
    f"\u200c(?:\u200c+|(?<![{chars.JOINING}]\u200c)"
    f"|(?![{''.join(c for c in map(chr, range(0x0620, 0x0700)) if _is_letter(c))}]))"
)


def fix_wrong_zwnj(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Keep a half-space only between a joining letter and a letter; one, never doubled.

    >>> apply_edits("کتاب\u200c\u200cها و در\u200cها \u200cو", fix_wrong_zwnj("کتاب\u200c\u200cها و در\u200cها \u200cو"))
    'کتاب\u200cها و درها و'
    """
    out: list[Edit] = []
    n = len(text)
    for m in _WRONG_ZWNJ_RE.finditer(text):
        s, e = m.span()
        before = text[s - 1] if s else ""
        after = text[e] if e < n else ""
        keep = before in _JOINING and _is_letter(after)
        if not keep:
            out.append(Edit(s, e, ""))
        elif e - s > 1:
            out.append(Edit(s, e, chars.ZWNJ))
    return out


def restore_halfspaces(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Put half-spaces where the modern orthography wants them (learned model).

    >>> apply_edits("می گوییم", restore_halfspaces("می گوییم"))
    'می\u200cگوییم'
    """
    from khabar.text.halfspace import halfspace_edits

    return halfspace_edits(text)


def _map_outside(text: str, config: NormalizerConfig, cmap: CharMap) -> str:
    return _outside_urls_text(text, cmap)


RULES: tuple[Rule, ...] = (
    Rule("invisible", lambda c: c.invisible, remove_invisible, _zwj_fast,
         table=dict.fromkeys(chars.INVISIBLE.replace(_ZWJ, ""), "")),
    # (the letter rules leave URLs alone: each a character map (C) applied outside them, _outside_urls_text)
    Rule("letters", lambda c: c.letters, persian_letters, _letters_fast),
    Rule("kashida", lambda c: c.kashida, remove_kashida, partial(_map_outside, cmap=CharMap({chars.KASHIDA: ""}))),
    Rule("diacritics", lambda c: c.diacritics, remove_diacritics,
         partial(_map_outside, cmap=CharMap(dict.fromkeys(chars.DIACRITICS, "")))),
    Rule("wrong_zwnj", lambda c: True, fix_wrong_zwnj),
    Rule("repeated_letters", lambda c: c.repeated, collapse_repeated_letters),
    # (without the C scans, its edits applied are faster than the Python form of _digits_fast)
    Rule("digits", lambda c: c.digits != "keep", convert_digits, _digits_fast if ACCELERATED else None),
    Rule("punctuation", lambda c: c.punctuation, persian_punctuation),
    Rule("spacing", lambda c: c.spacing, fix_spacing),
    Rule("halfspace", lambda c: c.halfspace, restore_halfspaces),
)
RULE_NAMES = tuple(r.name for r in RULES)


# ---------------------------------------------------------------------------
# The engine


def normalize(text: str, config: NormalizerConfig | None = None, **options: Any) -> str:
    """Normalize Persian text.  Options are the fields of :class:`NormalizerConfig`.

    >>> normalize("بينالمللي", digits="keep")
    'بین\u200cالمللی'
    """
    cfg = _config(config, options)
    for _, step in plan(cfg):
        text = step(text)
    return text


@lru_cache(maxsize=64)
def plan(config: NormalizerConfig) -> tuple[tuple[str, Callable[[str], str]], ...]:
    """The named steps of ``normalize`` for ``config``: each enabled rule's fast form, the tables of
    consecutive rules composed into one :class:`CharMap` (named ``map:`` and their rules' names)."""
    steps: list[tuple[str, Callable[[str], str]]] = []
    pending: CharMap | None = None
    names: list[str] = []
    for rule in RULES:
        if not rule.enabled(config):
            continue
        if rule.table is not None:
            pending = CharMap(rule.table) if pending is None else pending.then(rule.table)
            names.append(rule.name)
            if rule.fast is None:
                continue
        if pending is not None:
            steps.append(("map:" + "+".join(names), pending))
            pending, names = None, []
        steps.append((rule.name, _rule_step(rule, config)))
    if pending is not None:
        steps.append(("map:" + "+".join(names), pending))
    return tuple(steps)


def _rule_step(rule: Rule, config: NormalizerConfig) -> Callable[[str], str]:
    """The text ``rule`` gives after its table (if any): its fast path, or its edits applied."""
    return partial(rule.fast, config=config) if rule.fast else partial(_edited, rule=rule, config=config)


def _edited(text: str, rule: Rule, config: NormalizerConfig) -> str:
    return apply_edits(text, rule.edits(text, config))


def normalize_with_alignment(raw: str, config: NormalizerConfig | None = None, explain: bool = False,
                             **options: Any) -> tuple[str, Alignment, list[Any]]:
    """Normalize and return ``(text, alignment, changes)``; ``changes`` only with ``explain``."""
    from khabar.document import Change

    cfg = _config(config, options)
    text = raw
    alignment = Alignment.identity(raw)
    changes: list[Change] = []
    for rule in RULES:
        if not rule.enabled(cfg):
            continue
        edits = rule.edits(text, cfg)
        if not edits:
            continue
        if explain:
            for e in edits:
                rs, re_ = alignment.raw_span(e.start, e.end)
                changes.append(Change(rule.name, rs, re_, text[e.start:e.end], e.replacement))
        alignment = alignment.apply(edits)
        text = apply_edits(text, edits)
    return text, alignment, changes


def _config(config: NormalizerConfig | None, options: dict[str, Any]) -> NormalizerConfig:
    if config is not None and options:
        return replace(config, **options)
    if config is not None:
        return config
    return NormalizerConfig.from_options(**options) if options else DEFAULT_CONFIG
