"""Character tables shared by the normalizer, the segmenter and search folding."""

from __future__ import annotations

ZWNJ = "\u200c"

# Arabic-script letters used in Persian (no digits, no marks, no punctuation).
PERSIAN_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقکگلمنهوی" + "پچژ" + "ۀ"
# Letters after which a ZWNJ does nothing: they never join to the next letter.
NON_JOINING = "ءآأؤإادذرزژوۀة"
# Letters that join to the following letter.
JOINING = "".join(ch for ch in PERSIAN_LETTERS if ch not in NON_JOINING)

ARABIC_SCRIPT_LETTER_CLASS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06fc"

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

# Arabic letter forms -> Persian (one character each, so offsets map one to one).
LETTER_MAP = {
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی",
    "ك": "ک", "ڪ": "ک", "ګ": "ک",
    "ھ": "ه", "ە": "ه", "ہ": "ه", "ۃ": "ه",
    "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ٶ": "ؤ", "ٸ": "ئ",
}

# Invisible characters that carry no meaning in Persian text (ZWNJ is handled apart).
INVISIBLE = (
    "\u200b"  # zero width space
    "\u200d"  # zero width joiner
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u061c"  # Arabic letter mark
    "\ufeff"  # BOM / zero width no-break space
    "\u00ad"  # soft hyphen
    "\u2060"  # word joiner
)

KASHIDA = "\u0640"

# Harakat and other marks removed by the diacritics rule.  Hamza above (U+0654),
# as in «هٔ», is orthographic and kept.
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0655\u0656\u0657\u0658\u0670"

# Horizontal white space (never line breaks).
HSPACE = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

# Where a URL begins: a scheme in any case (``HTTP://``), or "www." in one of the three cases people type
# (the normalizer's URL spans and the tokenizer's url tokens)
WWW = ("www.", "Www.", "WWW.")
URL_START = r"(?:(?i:https?|ftp)://|(?:www|Www|WWW)\.)"
