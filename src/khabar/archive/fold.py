"""Text folding for matching: one spelling for the many ways Persian is typed.

Folding is for the search index and for queries only; stored text is never folded.
It maps Arabic letter forms to Persian ones (``ي`` → ``ی``, ``ك`` → ``ک``), hamza
and madda forms to their base letter, all digits to Latin, Latin to lower case,
and removes diacritics, kashida and invisible characters, **including the
half-space (ZWNJ)**, so that ``بین‌المللی``, ``بینالمللی`` and ``بين‌المللي``
fold to the same word.  The spaced spelling ``بین المللی`` stays two words;
queries bridge that gap (see :mod:`khabar.archive.search`).

>>> fold("بین‌المللی") == fold("بینالمللی") == fold("بين‌المللي")
True
>>> fold("كتاب‌هاي ۱۴۰۲")
'کتابهای 1402'
>>> words("بین‌المللی، هفته‌ی بعد!")
['بینالمللی', 'هفتهی', 'بعد']
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from khabar.text.chars import DIACRITICS, INVISIBLE, KASHIDA, LETTER_MAP, ZWNJ


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for ch in INVISIBLE + ZWNJ + KASHIDA + DIACRITICS + "\u0654\u0655\u065f":
        table[ord(ch)] = None
    for src, dst in LETTER_MAP.items():
        table[ord(src)] = dst
    # Spelling variants that readers treat as one word.
    for src, dst in {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ۀ": "ه", "ة": "ه",
                     "ؤ": "و", "ئ": "ی"}.items():
        table[ord(src)] = dst
    for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹"):
        table[ord(d)] = str(i)
    for i, d in enumerate("٠١٢٣٤٥٦٧٨٩"):
        table[ord(d)] = str(i)
    # Arabic presentation forms (ﻻ, ﺑ, ...) to their letters, folded again.
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        if unicodedata.category(ch).startswith("L"):
            base = unicodedata.normalize("NFKC", ch)
            if base != ch:
                table[cp] = "".join(table.get(ord(b), b) or "" for b in base)
    return table


TABLE = _build_table()
WORD = re.compile(r"[^\W_]+")
# str.translate looks every character up in the table; a regex that stops only at the few
# characters that change is several times faster on Persian text.
_BY_CHAR = {chr(k): v or "" for k, v in TABLE.items()}
_CHANGES = re.compile("[" + re.escape("".join(_BY_CHAR)) + "]")


def _sub(m: re.Match[str]) -> str:
    return _BY_CHAR[m.group()]


def fold(text: str) -> str:
    """The folded form of ``text`` (for the index and for queries)."""
    return _CHANGES.sub(_sub, text).lower()


def words(text: str) -> list[str]:
    """The folded words of ``text``, as the index sees them."""
    return WORD.findall(fold(text))


def key(text: str) -> str:
    """A folded lookup key for names (entities, speakers, agencies): words joined by one space.

    >>> key("  محمدجواد   ظريف ") == key("محمدجواد ظریف")
    True
    """
    return " ".join(words(text))


def key_variants(k: str, most: int = 16) -> list[str]:
    """``k`` (a :func:`key`) and the keys it stands for when some of its spaces were typed for half-spaces,
    which a key drops (``"قلعه نویی"`` for a stored ``"قلعهنویی"``): each inner space kept or not, ``k``
    first; a key with more such variants than ``most`` keeps its spaces.

    >>> key_variants("امیر قلعه نویی")
    ['امیر قلعه نویی', 'امیر قلعهنویی', 'امیرقلعه نویی', 'امیرقلعهنویی']
    """
    parts = k.split(" ")
    if len(parts) < 2 or 1 << (len(parts) - 1) > most:
        return [k]
    return [parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))
            for seps in itertools.product((" ", ""), repeat=len(parts) - 1)]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of the character of ``text`` it came from.

    >>> folded, where = fold_with_offsets("بين‌الملل")
    >>> folded, where[3]
    ('بینالملل', 4)
    """
    out: list[str] = []
    where: list[int] = []
    table = TABLE
    for i, ch in enumerate(text):
        rep = table.get(ord(ch), ch)
        if rep is None:
            continue
        rep = rep.lower()
        out.append(rep)
        where.extend([i] * len(rep))
    return "".join(out), where


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Each folded word of ``text`` with its (start, end) in ``text``.

    >>> [(w, s, e) for w, s, e in word_spans("در بین‌المللی")]
    [('در', 0, 2), ('بینالمللی', 3, 13)]
    """
    folded, where = fold_with_offsets(text)
    return [(m.group(), where[m.start()], where[m.end() - 1] + 1) for m in WORD.finditer(folded)]
