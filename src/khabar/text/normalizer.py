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
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
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
    name: str
    enabled: Callable[[NormalizerConfig], bool]
    edits: RuleFn
    fast: Callable[[str, NormalizerConfig], str] | None = None


# ---------------------------------------------------------------------------
# Protected spans: URLs, e-mail addresses, hashtags, mentions, Latin codes.

PROTECTED = re.compile(
    r"(?=[A-Za-z0-9.%+#@_-])(?:"  # a quick first-character test: most Persian text has no candidates
    r"(?:https?://|ftp://|www\.)[^\s<>«»\"']+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    r"|[#@][\w\u200c]+"
    r"|[A-Za-z][A-Za-z0-9_\-./]*[0-9][A-Za-z0-9_\-]*"
    r"|[0-9]+[A-Za-z][A-Za-z0-9_\-]*)"
)


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PROTECTED.finditer(text)]


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


def _delete_all(pattern: re.Pattern[str], text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), "") for m in pattern.finditer(text)]


def _translate_edits(text: str, pattern: re.Pattern[str], table: dict[int, str | None]) -> list[Edit]:
    return [Edit(m.start(), m.end(), m.group().translate(table)) for m in pattern.finditer(text)]


# ---------------------------------------------------------------------------
# Letters

_INVISIBLE_RE = re.compile(f"[{chars.INVISIBLE}]+")


def remove_invisible(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove zero-width spaces and joiners, direction marks, BOM and soft hyphens.

    >>> apply_edits("سلام\u200f", remove_invisible("سلام\u200f"))
    'سلام'
    """
    return _delete_all(_INVISIBLE_RE, text)


_LETTER_TABLE = {ord(k): v for k, v in chars.LETTER_MAP.items()}
_LETTER_RE = re.compile(f"[{''.join(chars.LETTER_MAP)}]+")
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")


def _presentation(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", s).translate(_LETTER_TABLE)


def persian_letters(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Arabic letter forms (ي ى ك ...) and presentation forms to Persian letters.

    >>> apply_edits("علي كريمي", persian_letters("علي كريمي"))
    'علی کریمی'
    """
    edits = _translate_edits(text, _LETTER_RE, _LETTER_TABLE)
    if _PRESENTATION_RE.search(text):
        edits += [Edit(m.start(), m.end(), _presentation(m.group())) for m in _PRESENTATION_RE.finditer(text)]
        edits.sort()
    return edits


def _persian_letters_fast(text: str, config: NormalizerConfig) -> str:
    for arabic, persian in chars.LETTER_MAP.items():
        if arabic in text:
            text = text.replace(arabic, persian)
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(lambda m: _presentation(m.group()), text)
    return text


_KASHIDA_RE = re.compile(f"{chars.KASHIDA}+")


def remove_kashida(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove kashida (tatweel), the letter-stretching stroke.

    >>> apply_edits("ســــلام", remove_kashida("ســــلام"))
    'سلام'
    """
    return _delete_all(_KASHIDA_RE, text)


_DIACRITICS_RE = re.compile(f"[{chars.DIACRITICS}]+")


def remove_diacritics(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Remove harakat, tanwin, shadda and sukun (option ``diacritics``).

    >>> apply_edits("کِتابً", remove_diacritics("کِتابً"))
    'کتاب'
    """
    return _delete_all(_DIACRITICS_RE, text)


_REPEATED_RE = re.compile(f"([{chars.ARABIC_SCRIPT_LETTER_CLASS}])\\1{{2,}}")


def collapse_repeated_letters(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """A letter written three or more times in a row is noise: keep one.

    No Persian word repeats a letter three times; two (``الله``, ``مدّت``) are left alone.

    >>> apply_edits("خیلیییی خوب", collapse_repeated_letters("خیلیییی خوب"))
    'خیلی خوب'
    """
    return [Edit(m.start(), m.end(), m.group(1)) for m in _REPEATED_RE.finditer(text)]


# ---------------------------------------------------------------------------
# Digits

_TO_PERSIAN = str.maketrans(chars.LATIN_DIGITS + chars.ARABIC_DIGITS, chars.PERSIAN_DIGITS * 2)
_TO_LATIN = str.maketrans(chars.PERSIAN_DIGITS + chars.ARABIC_DIGITS, chars.LATIN_DIGITS * 2)
_DIGITS_FOR = {
    "persian": (re.compile("[0-9٠-٩]+"), _TO_PERSIAN),
    "latin": (re.compile("[۰-۹٠-٩]+"), _TO_LATIN),
}


def convert_digits(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Digits to the chosen script, except in URLs, e-mails, hashtags and codes.

    >>> apply_edits("سال 2019 و F16", convert_digits("سال 2019 و F16"))
    'سال ۲۰۱۹ و F16'
    """
    pattern, table = _DIGITS_FOR[config.digits]
    return _sub_outside(pattern, text, lambda m: m.group().translate(table))


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

    def repl(m: re.Match[str]) -> str | None:
        k = m.start() - 1
        while k >= 0 and text[k] in chars.HSPACE:
            k -= 1
        return _PERSIAN_PUNCT[m.group()] if k >= 0 and _LETTER_CHAR_RE.match(text, k) else None

    return _sub_outside(_PERSIAN_PUNCT_RE, text, repl)


_SPACE_RUN_RE = re.compile(f"[{_H}]{{2,}}|[{re.escape(chars.HSPACE[1:])}]")
_EDGE_SPACE_RE = re.compile(f"(?m)^[{_H}]+|[{_H}]+(?=\\r?\\n|\\r|\\Z)")
# Space before closing punctuation (when that punctuation ends a word, not «.NET» or «3 .5»).
_SPACE_BEFORE_RE = re.compile(f"(?<=\\S)[{_H}]+(?=[،؛؟!)\\]»}}]|[.:,;?…]+(?:[\\s»)\\]{_L}«(]|$))")
# Space after opening brackets and before closing ones.
_SPACE_AFTER_OPEN_RE = re.compile(f"(?<=[«(\\[])[{_H}]+")
# Missing space after punctuation, before a Persian letter.
_MISSING_AFTER_RE = re.compile(f"(?<=[،؛؟!:.»)\\]])(?=[{_L}«(])")
# Missing space before an opening bracket after a Persian letter.
_MISSING_BEFORE_RE = re.compile(f"(?<=[{_L}])(?=[«(])")


def fix_spacing(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Collapse runs of spaces, trim line ends, and space punctuation the Persian way.

    >>> apply_edits("سلام  ،دنیا .", fix_spacing("سلام  ،دنیا ."))
    'سلام، دنیا.'
    """
    edits: dict[int, Edit] = {}
    for m in _SPACE_RUN_RE.finditer(text):
        edits[m.start()] = Edit(m.start(), m.end(), " ")
    spans: list[tuple[int, int]] | None = None
    for pattern in (_EDGE_SPACE_RE, _SPACE_BEFORE_RE, _SPACE_AFTER_OPEN_RE, _MISSING_AFTER_RE, _MISSING_BEFORE_RE):
        if not pattern.search(text):
            continue
        if spans is None:
            spans = _protected(text)
        repl = "" if pattern in (_EDGE_SPACE_RE, _SPACE_BEFORE_RE, _SPACE_AFTER_OPEN_RE) else " "
        for e in _sub_outside(pattern, text, lambda m, r=repl: r, spans):
            if e.start == e.end:
                edits.setdefault(e.start, e)
            else:
                edits[e.start] = e
    return _merge(edits.values(), text)


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

_ZWNJ_RUN_RE = re.compile("\u200c+")
_JOINING = frozenset(chars.JOINING)


def _is_letter(ch: str) -> bool:
    return "\u0620" <= ch <= "\u06ff" and ch.isalpha()


def fix_wrong_zwnj(text: str, config: NormalizerConfig = DEFAULT_CONFIG) -> list[Edit]:
    """Keep a half-space only between a joining letter and a letter; one, never doubled.

    >>> apply_edits("کتاب\u200c\u200cها و در\u200cها \u200cو", fix_wrong_zwnj("کتاب\u200c\u200cها و در\u200cها \u200cو"))
    'کتاب\u200cها و درها و'
    """
    out: list[Edit] = []
    n = len(text)
    for m in _ZWNJ_RUN_RE.finditer(text):
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


RULES: tuple[Rule, ...] = (
    Rule("invisible", lambda c: c.invisible, remove_invisible,
         lambda t, c: _INVISIBLE_RE.sub("", t) if _INVISIBLE_RE.search(t) else t),
    Rule("letters", lambda c: c.letters, persian_letters, _persian_letters_fast),
    Rule("kashida", lambda c: c.kashida, remove_kashida, lambda t, c: t.replace(chars.KASHIDA, "")),
    Rule("diacritics", lambda c: c.diacritics, remove_diacritics),
    Rule("repeated_letters", lambda c: c.repeated, collapse_repeated_letters),
    Rule("wrong_zwnj", lambda c: True, fix_wrong_zwnj),
    Rule("digits", lambda c: c.digits != "keep", convert_digits),
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
    for rule in RULES:
        if rule.enabled(cfg):
            text = rule.fast(text, cfg) if rule.fast else apply_edits(text, rule.edits(text, cfg))
    return text


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
