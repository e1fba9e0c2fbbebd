"""Half-space (ZWNJ) restoration with a model learned from data (training/build_halfspace.py).

Interface used by the normalizer: ``halfspace_edits(text) -> list[Edit]``.
"""

from __future__ import annotations

import regex

from khabar.text.alignment import Edit

# Provisional: only the verbal prefix «می/نمی» written apart.  The learned model replaces this.
_MI_RE = regex.compile(r"(?<![\p{L}\u200c])(ن?می) (?=[\p{Arabic}&&\p{L}])", regex.V1)


def halfspace_edits(text: str) -> list[Edit]:
    return [Edit(m.end(1), m.end(), "\u200c") for m in _MI_RE.finditer(text)]
