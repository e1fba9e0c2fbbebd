"""Character alignment between a raw input and the text derived from it.

Every character of the derived text remembers the raw span it came from
(``starts[i]``, ``ends[i]``).  Edits are applied as ``(start, end, replacement)``
triples over the current text; a replacement of the same length maps character
for character, any other replacement maps each new character to the whole raw
span it replaced, and an insertion maps to an empty raw span at its position.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import NamedTuple


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits to ``text``.

    >>> apply_edits("abcd", [Edit(1, 2, "XY"), Edit(3, 3, "-")])
    'aXYc-d'
    """
    if not edits:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, repl in edits:
        parts.append(text[pos:start])
        parts.append(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


class Alignment:
    """Maps positions of a derived text back to the raw text."""

    __slots__ = ("starts", "ends", "raw_length")

    def __init__(self, starts: array, ends: array, raw_length: int) -> None:
        self.starts = starts
        self.ends = ends
        self.raw_length = raw_length

    @classmethod
    def identity(cls, raw: str) -> Alignment:
        n = len(raw)
        counting = _counting(n + 1)
        return cls(counting[:n], counting[1:n + 1], n)

    def __len__(self) -> int:
        return len(self.starts)

    def raw_offset(self, pos: int) -> int:
        """Raw offset of the boundary before text position ``pos``."""
        if pos < len(self.starts):
            return self.starts[pos]
        if self.ends:
            return self.ends[-1] if pos == len(self.ends) else self.raw_length
        return 0 if pos == 0 else self.raw_length

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that became ``text[start:end]``."""
        if not 0 <= start <= end <= len(self.starts):
            raise ValueError(f"span ({start}, {end}) outside text of length {len(self.starts)}")
        if start == end:
            pos = self.raw_offset(start)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def apply(self, edits: Sequence[Edit]) -> Alignment:
        """The alignment of the text after ``edits`` (same coordinates as this one)."""
        if not edits:
            return self
        starts, ends = self.starts, self.ends
        new_starts = array("q")
        new_ends = array("q")
        pos = 0
        for start, end, repl in edits:
            new_starts.extend(starts[pos:start])
            new_ends.extend(ends[pos:start])
            m = len(repl)
            if m:
                if end - start == m:
                    new_starts.extend(starts[start:end])
                    new_ends.extend(ends[start:end])
                elif end > start:
                    new_starts.extend([starts[start]] * m)
                    new_ends.extend([ends[end - 1]] * m)
                else:
                    at = self.raw_offset(start)
                    new_starts.extend([at] * m)
                    new_ends.extend([at] * m)
            pos = end
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        return Alignment(new_starts, new_ends, self.raw_length)


_COUNTING = array("q", range(1 << 12))
_COUNTING_MAX = 1 << 20  # kept for texts up to a million characters (8 MB); longer ones build their own


def _counting(n: int) -> array:
    """An array holding at least 0 .. n - 1 (slicing it copies in C, unlike building from a range)."""
    global _COUNTING
    if len(_COUNTING) < n:
        if n > _COUNTING_MAX:
            return array("q", range(n))
        size = len(_COUNTING)
        while size < n:
            size *= 2
        _COUNTING = array("q", range(size))
    return _COUNTING
