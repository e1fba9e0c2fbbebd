"""Word tokens for the tagger: ``doc.tokens`` when the segmenter ran, else a simple fallback.

The fallback splits normalized text into runs of letters, digits and half-spaces
(numbers keep their decimal and thousands separators) and single punctuation marks.

>>> [text for text, _, _ in simple_tokens("سال ۱۴۰۲، ۳٫۵ درصد.")]
['سال', '۱۴۰۲', '،', '۳٫۵', 'درصد', '.']

The tagger works on *pieces*: tokens cut at half-spaces, so that a half-space put
between two words (``ایران\u200cدر``) cannot hide an entity boundary and «روش های» and
«روش\u200cهای» give the same pieces.  A piece after a half-space is given to the tagger
with a leading ZWNJ (its span does not include it).

>>> pieces("روش\u200cهای نو", [(0, 7), (8, 10)])
[('روش', 0, 3), ('\\u200cهای', 4, 7), ('نو', 8, 10)]
"""

from __future__ import annotations

import regex

ZWNJ = "\u200c"

_TOKEN_RE = regex.compile(
    r"[\p{N}]+(?:[.,٫٬/:][\p{N}]+)*"
    r"|[\p{L}\p{M}\p{N}\u200c]*[\p{L}\p{M}][\p{L}\p{M}\p{N}\u200c]*"
    r"|\S",
    regex.V1,
)


def simple_tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every token of ``text[start:end]`` (offsets into ``text``)."""
    end = len(text) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, start, end)]


def pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int, int]]:
    """Cut token spans of ``text`` at half-spaces: ``(piece for the tagger, start, end)``."""
    out: list[tuple[str, int, int]] = []
    for s, e in spans:
        word = text[s:e]
        if ZWNJ not in word:
            out.append((word, s, e))
            continue
        pos = s
        joined = False
        for part in word.split(ZWNJ):
            if part:
                out.append(((ZWNJ if joined else "") + part, pos, pos + len(part)))
                joined = True
            pos += len(part) + 1
    return out
