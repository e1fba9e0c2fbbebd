"""Pieces for the tagger.

The tagger works on *pieces*: tokens cut at half-spaces, so that a half-space put
between two words (``ایران\u200cدر``) cannot hide an entity boundary and «روش های» and
«روش\u200cهای» give the same pieces.  A piece after a half-space is given to the tagger
with a leading ZWNJ (its span does not include it).

>>> pieces("روش\u200cهای نو", [(0, 7), (8, 10)])
[('روش', 0, 3), ('\\u200cهای', 4, 7), ('نو', 8, 10)]
"""

from __future__ import annotations

ZWNJ = "\u200c"


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
