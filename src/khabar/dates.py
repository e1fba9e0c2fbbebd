"""Dates as news sites write them, read into ISO dates.

ISO (``2023-08-26``, ``2023-08-26T10:30:00+03:30``), Jalali dates
(``۱۴۰۲-۶-۴``, ``1402/06/04``, ``۴ شهریور ۱۴۰۲``, ``شنبه ۴ شهریور ۱۴۰۲ - ۱۰:۳۰``) and the RFC 822 dates
of RSS feeds and e-mail (``Sat, 26 Aug 2023 10:00:00 GMT``) become ``YYYY-MM-DD`` (Gregorian), the day
as written (in the time zone written, as for ISO).  A year below 1700 is read as Jalali.

>>> parse_date("۱۴۰۲-۶-۴")
'2023-08-26'
>>> parse_date("۴ شهریور ۱۴۰۲")
'2023-08-26'
>>> parse_date("2023-08-26T10:30:00Z")
'2023-08-26'
>>> parse_date("Sat, 26 Aug 2023 23:30:00 -0500")
'2023-08-26'
>>> parse_date("دیروز") is None
True
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

JALALI_MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
    "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12,
}

_NUMERIC = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:$|[\sT,_-])")
_NUMERIC_DMY = re.compile(r"^\s*(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})\s*$")
_WORDS = re.compile(r"(\d{1,2})\s*(" + "|".join(JALALI_MONTHS) + r")\s*(?:ماه\s*)?(?:سال\s*)?(\d{4})")
# RFC 822 / 2822 (RSS pubDate), also without the time: "Sat, 26 Aug 2023", "26 Aug 2023"
_RFC822_DAY = re.compile(r"^(?:[A-Za-z]{3,9},\s*)?\d{1,2}\s+[A-Za-z]{3,9}\s+\d{2,4}$")
_PARTIAL = re.compile(r"^\s*(\d{4})(?:\s*[-/.]\s*(\d{1,2}))?\s*$")


def _clean(text: str) -> str:
    return text.translate(_DIGITS).replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ")


def _to_iso(year: int, month: int, day: int) -> str | None:
    try:
        if year < 1700:
            import jdatetime

            return jdatetime.date(year, month, day).togregorian().isoformat()
        return _dt.date(year, month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def parse_date(text: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) written in ``text``, or None when there is none."""
    if not isinstance(text, str):
        return None
    s = _clean(text).strip()
    m = _NUMERIC.match(s + " ")
    if m:
        return _to_iso(int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC_DMY.match(s)
    if m:
        return _to_iso(int(m[3]), int(m[2]), int(m[1]))
    m = _WORDS.search(s)
    if m:
        return _to_iso(int(m[3]), JALALI_MONTHS[m[2]], int(m[1]))
    return _rfc822(s)


def _rfc822(s: str) -> str | None:
    """The day of an RFC 822 date (``Sat, 26 Aug 2023 10:00:00 GMT``, the time may be left out), else None."""
    if not s[:1].isascii() or not any(c.isalpha() for c in s):
        return None
    from email.utils import parsedate_to_datetime

    if _RFC822_DAY.match(s):
        s += " 00:00:00 +0000"
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def parse_bound(text: str, end: bool = False) -> str | None:
    """A date or a partial one (``2023``, ``1402-06``) as the first day it covers (the last with ``end``).

    >>> parse_bound("1402-06"), parse_bound("1402-06", end=True)
    ('2023-08-23', '2023-09-22')
    >>> parse_bound("2023", end=True)
    '2023-12-31'
    """
    full = parse_date(text)
    if full:
        return full
    m = _PARTIAL.match(_clean(text))
    if not m:
        return None
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    if month is not None and not 1 <= month <= 12:
        return None
    if not end:
        return _to_iso(year, month or 1, 1)
    if month is None:
        month = 12
    if year < 1700:
        import jdatetime

        days = 31 if month <= 6 else 30 if month <= 11 else (30 if jdatetime.date(year, 1, 1).isleap() else 29)
    else:
        days = calendar.monthrange(year, month)[1]
    return _to_iso(year, month, days)
