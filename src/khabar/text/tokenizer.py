"""Tokens: one compiled regular expression over the text.

Tokens never overlap, never contain white space, and together cover every non-space character;
each has a kind (docs/schema.md).  :func:`token_re` matches the white space before a token and the
token, so the matches of ``findall`` are contiguous and their lengths add up to offsets.

>>> [(p.strip(), token_kind(p.strip())) for p in token_re().findall("می‌گوید ۱۲٬۵۰۰ تومان!")]
[('می‌گوید', 'word'), ('۱۲٬۵۰۰', 'number'), ('تومان', 'word'), ('!', 'punct')]
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from khabar.text.chars import URL_START

# Every character for which str.isspace() is true (a test checks the list is complete), and the
# same as the body of a regex character class.
SPACE_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
LINE_BREAKS = frozenset("\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029")

KINDS = ("word", "latin", "number", "punct", "symbol", "url", "email", "hashtag", "mention", "emoji")

# Character classes (stdlib ``re`` syntax; measured faster than ``regex`` for this pattern).
_AR = ("\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06dc\u06df-\u06e8\u06ea-\u06ef\u06fa-\u06fc\u06ff"
       "\u0750-\u077f\u08a0-\u08ff\ufb50-\ufd3d\ufd50-\ufdfb\ufe70-\ufefc\u200c\u200d")  # Arabic-script word
AR = _AR
_AR1 = "\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"  # one letter
_LAT = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATM = _LAT + "\u0300-\u036f"
AR_LETTERS = frozenset(chr(c) for c in range(0x0620, 0x06D4) if chr(c).isalpha())
_NOT_URL = SPACE + "<>«»\"\\[\\]{}"
_URL_TAIL = f"[^{_NOT_URL}.,;:!?؟،؛)'’]"
_TLD = "com|org|net|ir|io|gov|edu|info|int|co|uk|de|fr|ru|me|tv|news|app|dev|ai|eu|us"
_TLD_ANY = f"{_TLD}|{_TLD.upper()}"  # (a domain in capitals too, ISNA.IR; not Title case: «Tell.Me», «Fox.News»)
_EMOJI = "\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_EMOJI_MORE = "\ufe0f\u20e3\U0001f3fb-\U0001f3ff"  # variation selector, keycap, skin tones


@lru_cache(maxsize=1)
def abbreviations() -> tuple[str, ...]:
    """Dotted abbreviations shipped in khabar/data/abbreviations.txt (built by training/)."""
    path = resources.files("khabar") / "data" / "abbreviations.txt"
    words = {w.strip() for w in path.read_text(encoding="utf-8").splitlines()}
    return tuple(sorted((w for w in words if w and not w.startswith("#")), key=lambda w: (-len(w), w)))


_CHAIN = re.compile(f"[{_AR1}](?:\\.[{_AR1}])*\\.?|(?:[{_LAT}]\\.)+")


def abbreviations_listed(latin: bool) -> list[str]:
    """Listed abbreviations the generic rules (letter chains such as «ه.ق.», «U.S.») do not cover."""
    return [w for w in abbreviations() if (w[0] < "\u0250") == latin and not _CHAIN.fullmatch(w)]


def _listed(latin: bool) -> str:
    return "|".join(re.escape(w) for w in abbreviations_listed(latin)) or "(?!)"


def token_pattern() -> str:
    """The token regex: one alternative per kind, tried in order; the last takes any other character."""
    return rf"""
      [{_AR}]++(?!\.)                                                                # word (no dot after)
    | [،؛:«»()\[\]"/\-] | \.(?!\.) | !(?!!) | ؟(?!؟) | \?(?!\?) | …(?!…)               # common punctuation
    | (?:(?!و\.)[{_AR1}](?:\.[{_AR1}]){{0,9}}\.(?![{_AR}\d]) | [{_AR1}](?:\.[{_AR1}]){{1,9}} )   # ه.ق.  د.
    | (?=[{_AR1}])(?:{_listed(False)})(?![{_AR}\d])                                 # listed: صص.
    | [{_AR}]+                                                                      # word
    | (?=[A-Za-z0-9])(?:
        [A-Za-z0-9][A-Za-z0-9._%+-]{{0,63}}@[A-Za-z0-9-]{{1,63}}(?:\.[A-Za-z0-9-]{{1,63}}){{0,8}}\.[A-Za-z]{{2,24}}(?![\w-])
      | {URL_START}[^{_NOT_URL}]*{_URL_TAIL}                                          # url (HTTP://, WWW.)
      | (?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.){{1,8}}(?:{_TLD_ANY})(?![\w-])(?:[/?\#](?:[^{_NOT_URL}]*{_URL_TAIL})?)?
      | (?:{_listed(True)})(?![{_LAT}\d])                                           # Mr. etc.
      )
    | (?:[{_LAT}]\.){{2,10}}(?![{_LAT}\d]) | [A-Z]\.(?=[ \u00a0]?[A-Z])            # U.S.  J. K.
    | \d*[{_LAT}][{_LATM}\d]*(?:[-_'’&][{_LAT}\d][{_LATM}\d]*)*                    # latin
    | \d+(?:(?:[.٫/:]|,(?=\d{{3}}(?!\d))|٬)\d+)*[%٪‰]?                               # number
    | @\w(?:[\w.]*\w)? | \#\w[\w\u200c]*                                           # mention, hashtag
    | [\U0001f1e6-\U0001f1ff]{{2}}                                                   # flag
    | [{_EMOJI}][{_EMOJI_MORE}]*(?:\u200d[{_EMOJI}][{_EMOJI_MORE}]*)*                # emoji
    | \.{{2,}} | …+ | !{{2,}} | \?{{2,}} | ؟{{2,}}                                    # ellipsis, !!!
    | [^\W\d_]+                                                                     # other scripts
    | [^{SPACE}]                                                                    # anything else
    """


@lru_cache(maxsize=1)
def token_re() -> re.Pattern[str]:
    """White space, then one token: matches are contiguous, so their lengths add up to offsets."""
    return re.compile(f"[{SPACE}]*+(?:{token_pattern()})", re.VERBOSE)


_KIND_CHARS = {c: "punct" for c in ".،؛:!؟?«»()[]{}\"'-–—/…,;٪%"}


@lru_cache(maxsize=1 << 16)
def token_kind(tok: str) -> str:
    """The kind of a token (its text as the tokenizer cut it).

    >>> [token_kind(t) for t in ["می‌گوید", "۳٫۵", "U.S.", "#خبر", "a@b.ir", "https://x.ir", "؟"]]
    ['word', 'number', 'latin', 'hashtag', 'email', 'url', 'punct']
    """
    c = tok[0]
    kind = _KIND_CHARS.get(c)
    if kind and len(tok) == 1:
        return kind
    m = _kind_re().match(tok)
    if m is None:
        return _char_kind(c)
    if m.lastgroup == "other":
        return "word" if c.isalpha() else "symbol"
    return m.lastgroup  # type: ignore[return-value]


@lru_cache(maxsize=1)
def _kind_re() -> re.Pattern[str]:
    return re.compile(rf"""
        (?P<url>{URL_START}\S+|(?:[A-Za-z0-9-]+\.)+(?:{_TLD_ANY})(?:[/?\#]\S*)?$)
      | (?P<email>[^@\s]+@\S+\.\S+)
      | (?P<mention>@\w)
      | (?P<hashtag>\#\w)
      | (?P<word>[{_AR}])
      | (?P<latin>\d*[{_LAT}])
      | (?P<number>\d)
      | (?P<emoji>[{_EMOJI}])
      | (?P<punct>(?:\.{{2,}}|…+|!+|\?+|؟+)$)
      | (?P<other>[^\W\d_])
    """, re.VERBOSE)


def _char_kind(c: str) -> str:
    cat = unicodedata.category(c)
    return "punct" if cat[0] == "P" else "word" if cat[0] in "LM" else "symbol"
