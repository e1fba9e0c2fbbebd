"""Sentences and tokens: one compiled regex for tokens, one linear scan for sentences.

Tokens never overlap, never contain white space, and together cover every
non-space character of the text.  Sentences are runs of whole tokens, so they
tile the text the same way and never start or end with white space.  The kinds
and the sentence policy are documented in docs/schema.md.

>>> [tok.kind for tok in tokenize("می‌گوید ۱۲٬۵۰۰ تومان!")]
['word', 'number', 'word', 'punct']
>>> text = "او گفت: «کار تمام است.» سپس رفت."
>>> [text[s.start:s.end] for s in split_sentences(text)]
['او گفت: «کار تمام است.»', 'سپس رفت.']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import regex

from khabar.document import Document, Span, Token

# Every character for which str.isspace() is true (tests check the list is complete).
SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
LINE_BREAK = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"

KINDS = ("word", "latin", "number", "punct", "symbol", "url", "email", "hashtag", "mention", "emoji")

TERMINALS = frozenset(".!?؟")  # characters that end a sentence (a token made only of them)
ELLIPSES = frozenset("…")
OPEN_QUOTES = {"«": "»", "“": "”", "‹": "›"}
CLOSE_QUOTES = {v: k for k, v in OPEN_QUOTES.items()}
# Closing marks that stay with the sentence they close: ".»", "؟)", "!»."
CLOSERS = frozenset("»”›\"')]}’")
# Punctuation after which a sentence goes on although a terminal came before it.
CONTINUERS = frozenset("،؛:,;)]}»”")
DASHES = frozenset("-–—")

# A dateline: "تهران - ایرنا:" at the head of a report is a sentence of its own.
AGENCIES = frozenset({"ایرنا", "ایسنا", "ایلنا", "ایبنا", "ایکنا", "فارس", "مهر", "تسنیم", "واحد مرکزی خبر",
                      "باشگاه خبرنگاران جوان", "خبرگزاری صدا و سیما", "صدا و سیما", "پانا", "برنا", "دانا"})
DATELINE_MAX_TOKENS = 8

_FA = r"[\p{L}\p{M}--\p{Latin}]"  # a letter of any script but Latin (Persian, Arabic, ...)
_FA1 = r"[\p{L}--\p{Latin}]"  # one such letter (no mark)
_LA = r"[\p{Latin}\p{M}]"
_NOT_URL = f"{SPACE}<>«»\"\\[\\]{{}}"
_URL_TAIL = f"[^{_NOT_URL}.,;:!?؟،؛)'’]"
_TLD = "com|org|net|ir|io|gov|edu|info|int|co|uk|de|fr|ru|me|tv|news|app|dev|ai|eu|us"


def _abbreviation_pattern(latin: bool) -> str:
    words = [w for w in _load_abbreviations() if len(w) > 2 and (w[0] < "\u0250") == latin]
    return "|".join(regex.escape(w) for w in words) or "(?!)"


@lru_cache(maxsize=1)
def _load_abbreviations() -> tuple[str, ...]:
    path = resources.files("khabar") / "data" / "abbreviations.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    words = [w.strip() for w in lines if w.strip() and not w.startswith("#")]
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _token_pattern() -> str:
    return rf"""
      (?P<url>
          (?:(?:https?|ftp)://|www\.)[^{_NOT_URL}]*{_URL_TAIL}
        | (?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:{_TLD})(?![\w-])
          (?:[/?#](?:[^{_NOT_URL}]*{_URL_TAIL})?)?
      )
    | (?P<email>[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}(?![\w-]))
    | (?P<mention>(?<!\w)@\w(?:[\w.]*\w)?)
    | (?P<hashtag>(?<!\w)\#\w(?:[\w\u200c]*\w)?)
    | (?P<abbr>
          (?<![\p{{L}}\p{{M}}\u200c.])(?:{_abbreviation_pattern(False)})(?![\p{{L}}\p{{M}}\d])
        | (?<![\p{{L}}\p{{M}}\u200c.]){_FA1}(?:\.{_FA1})+\.?(?![\p{{L}}\p{{M}}\d])
        | (?<![\p{{L}}\p{{M}}\u200c.])[\p{{L}}--\p{{Latin}}--[و]]\.(?![\p{{L}}\p{{M}}\d.])
      )
    | (?P<abbrlatin>
          (?<![\p{{L}}\p{{M}}.])(?:{_abbreviation_pattern(True)})(?![\p{{L}}\p{{M}}\d])
        | (?<![\p{{L}}\p{{M}}.])(?:\p{{Latin}}\.){{2,}}(?![\p{{L}}\p{{M}}\d])
        | (?<![\p{{L}}\p{{M}}.])\p{{Lu}}\.(?=[{SPACE}]*\p{{Lu}})
      )
    | (?P<latin>\d*\p{{Latin}}{_LA}*(?:\d+{_LA}*)*(?:[-_'’&]\d*\p{{Latin}}{_LA}*(?:\d+{_LA}*)*|-\d+(?!\d*[.٫/:]\d))*)
    | (?P<number>\d+(?:(?:[.٫/:]|,(?=\d{{3}}(?!\d))|٬)\d+)*[%٪‰]?)
    | (?P<word>{_FA}+(?:[\u200c\u200d]+{_FA}+)*[\u200c\u200d]*)
    | (?P<emoji>
          (?:[\p{{Extended_Pictographic}}--[\u00a9\u00ae\u203c\u2049\u2122]]|\p{{Regional_Indicator}})
          (?:[\ufe0f\u20e3\p{{Emoji_Modifier}}]|\p{{Regional_Indicator}}|\u200d\p{{Extended_Pictographic}})*
      )
    | (?P<ellipsis>\.{{2,}}|…+)
    | (?P<punct>([!?؟])\g<-1>+|\p{{P}})
    | (?P<br>[{LINE_BREAK}]+)
    | (?P<symbol>[^{SPACE}][\p{{M}}\ufe0f]*)
    """


@lru_cache(maxsize=1)
def _token_re() -> regex.Pattern[str]:
    return regex.compile(_token_pattern(), regex.V1 | regex.VERBOSE)


_KIND = {"abbr": "word", "abbrlatin": "latin", "ellipsis": "punct"}
_PUNCT = frozenset({"punct", "ellipsis"})


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (see docs/schema.md for the kinds).

    >>> [(t.start, t.end, t.kind) for t in tokenize("۳٫۵ درصد.")]
    [(0, 3, 'number'), (4, 8, 'word'), (8, 9, 'punct')]
    """
    return segment(text)[1]


def split_sentences(text: str) -> list[Span]:
    """The sentences of ``text``: spans that start and end on a token."""
    return segment(text)[0]


def segment(text: str) -> tuple[list[Span], list[Token]]:
    """Sentences and tokens of ``text`` in one pass."""
    if not isinstance(text, str):
        raise TypeError(f"segment() needs a str, not {type(text).__name__}")
    tokens: list[Token] = []
    groups: list[str] = []
    line_end: set[int] = set()  # a line break follows tokens[i]
    kind = _KIND.get
    for m in _token_re().finditer(text):
        g = m.lastgroup
        if g == "br":
            if tokens:
                line_end.add(len(tokens) - 1)
            continue
        tokens.append(Token(m.start(), m.end(), kind(g, g)))  # type: ignore[arg-type]
        groups.append(g)  # type: ignore[arg-type]
    return _sentences(text, tokens, groups, line_end), tokens


def _sentences(text: str, tokens: list[Token], groups: list[str], line_end: set[int]) -> list[Span]:
    """A linear scan over the tokens deciding after which ones a sentence ends."""
    n = len(tokens)
    if not n:
        return []
    ends: set[int] = set()
    stack: list[tuple[str, list[int]]] = []  # open quotes, each with the ends found inside it
    start = 0  # first token of the current sentence
    i = 0
    while i < n:
        j = i
        if groups[i] in _PUNCT:
            tok = tokens[i]
            s = text[tok.start:tok.end]
            _quote(s, stack, text, tok)
            c = s[0]
            if c in TERMINALS or c in ELLIPSES:
                strong = c in TERMINALS
                # the closing run: terminals, closing quotes and brackets written right after
                while j + 1 < n and j not in line_end and tokens[j + 1].start == tokens[j].end \
                        and groups[j + 1] in _PUNCT:
                    nt = tokens[j + 1]
                    t = text[nt.start:nt.end]
                    if t[0] in TERMINALS:
                        strong = True
                    elif t[0] in ELLIPSES:
                        pass
                    elif t in CLOSERS:
                        if not _quote(t, stack, text, nt, closing_only=True) and t in "\"'":
                            break
                    else:
                        break
                    j += 1
                if strong and j not in line_end and j + 1 < n and _ends_here(text, tokens, groups, i, j):
                    if stack:
                        stack[-1][1].append(j)
                    else:
                        ends.add(j)
                        start = j + 1
            elif s == ":" and not stack and _dateline(text, tokens, groups, start, i):
                ends.add(i)
                start = i + 1
        if j in line_end:
            _flush(stack, ends)
            ends.add(j)
            start = j + 1
        i = j + 1
    _flush(stack, ends)
    ends.add(n - 1)
    out: list[Span] = []
    first = 0
    for e in sorted(ends):
        out.append(Span(tokens[first].start, tokens[e].end))
        first = e + 1
    return out


def _quote(s: str, stack: list[tuple[str, list[int]]], text: str, tok: Token, closing_only: bool = False) -> bool:
    """Update the quote stack for punctuation ``s``; True when it closed a quote."""
    if s in CLOSE_QUOTES or (s in "\"'" and stack and stack[-1][0] == s):
        opener = CLOSE_QUOTES.get(s, s)
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == opener:
                del stack[k:]  # breaks inside a closed quote are dropped
                return True
        return False
    if closing_only:
        return False
    if s in OPEN_QUOTES or (s == '"' and _opens(text, tok)):
        stack.append((s, []))
    return False


def _opens(text: str, tok: Token) -> bool:
    """A straight double quote opens when a space (or the start) is before it and a non-space after."""
    before = text[tok.start - 1] if tok.start else " "
    after = text[tok.end] if tok.end < len(text) else " "
    return (before.isspace() or before in "(«[:") and not after.isspace()


def _flush(stack: list[tuple[str, list[int]]], ends: set[int]) -> None:
    """Quotes still open at a line break were never quotes: their breaks stand."""
    for _, inner in stack:
        ends.update(inner)
    stack.clear()


def _ends_here(text: str, tokens: list[Token], groups: list[str], i: int, j: int) -> bool:
    """Does a sentence end after the closing run tokens[i..j] (another token follows)?"""
    nxt = tokens[j + 1]
    if text[nxt.start] in CONTINUERS:
        return False
    if nxt.start == tokens[j].end and i and tokens[i - 1].end == tokens[i].start:
        # written without spaces on either side: "file.txt" stays whole, "است.وی" is two sentences
        return not (groups[j + 1] in ("latin", "number") and groups[i - 1] in ("latin", "number"))
    return True


def _dateline(text: str, tokens: list[Token], groups: list[str], start: int, colon: int) -> bool:
    """Is tokens[start:colon] a dateline ("تهران - ایرنا", "واحد مرکزی خبر") followed by the report?"""
    count = colon - start
    if count < 1 or count > DATELINE_MAX_TOKENS or colon + 1 >= len(tokens):
        return False
    nxt = text[tokens[colon + 1].start]
    if nxt in OPEN_QUOTES or nxt == '"':
        return False
    head = text[tokens[start].start:tokens[colon - 1].end]
    if head in AGENCIES:
        return True
    kinds_ok = all(groups[k] in ("word", "latin", "punct") for k in range(start, colon))
    has_dash = any(text[tokens[k].start:tokens[k].end] in DASHES for k in range(start + 1, colon - 1))
    no_other_punct = all(groups[k] != "punct" or text[tokens[k].start:tokens[k].end] in DASHES or
                         text[tokens[k].start:tokens[k].end] in "()،,"
                         for k in range(start, colon))
    return kinds_ok and has_dash and no_other_punct


def segment_step(doc: Document) -> Document:
    """Pipeline step: set ``doc.sentences`` and ``doc.tokens`` over ``doc.text``."""
    doc.sentences, doc.tokens = segment(doc.text)
    return doc
