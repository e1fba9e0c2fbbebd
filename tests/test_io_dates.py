"""Dates as feeds write them: RFC 822 (RSS pubDate) beside ISO and Jalali (newuser10 #14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.dates import parse_date
from khabar.io import InputDoc, read_inputs


@pytest.mark.parametrize("text, iso", [
    ("Sat, 26 Aug 2023 10:00:00 GMT", "2023-08-26"),
    ("Sat, 26 Aug 2023 23:30:00 -0500", "2023-08-26"),  # the day as written, as for ISO with an offset
    ("Mon, 4 Sep 2023 08:15:00 +0330", "2023-09-04"),
    ("26 Aug 2023 10:00 EST", "2023-08-26"),
    ("Sat, 26 Aug 23 10:00:00 GMT", "2023-08-26"),
    ("Sat, 26 Aug 2023", "2023-08-26"),
    ("  26 Aug 2023 ", "2023-08-26"),
    ("Thu, 31 Feb 2023 10:00:00 GMT", None),
    ("Aug 2023", None),
    ("hello world", None),
    ("شنبه ۴ شهریور ۱۴۰۲", "2023-08-26"),
])
def test_rfc822_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_an_rss_pubdate_is_read_as_published(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in [
        {"text": "خبر", "published": "Sat, 26 Aug 2023 10:00:00 GMT"},
        {"text": "خبر دوم", "date": "Tue, 05 Sep 2023 21:10:00 +0330"}]), encoding="utf-8")
    docs = list(read_inputs([str(p)]))
    assert all(isinstance(d, InputDoc) and not d.warnings for d in docs)
    assert [d.meta["published"] for d in docs] == ["2023-08-26", "2023-09-05"]  # type: ignore[union-attr]
