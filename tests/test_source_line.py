"""The source line (docs/quotes.md §5): session-10 cases of newuser10 #4, invented lines."""

from __future__ import annotations

import pytest

from khabar.attribution.source_line import find_source


def _source(text: str) -> tuple[str | None, str | None, list[str]]:
    source, _ = find_source(text)
    return source.agency, source.reporter, source.cited


@pytest.mark.parametrize("line,agency,reporter", [
    # where a reporter was sent («به X») is a place, dropped like «از X» / «در X»
    ("به گزارش خبرنگار اعزامی خبرگزاری مهر به شیراز، نمایشگاه کتاب باز شد.", "مهر", "خبرنگار اعزامی"),
    ("به گزارش خبرنگار اعزامی ایلنا به ژنو، مذاکرات ادامه یافت.", "ایلنا", "خبرنگار اعزامی"),
    ("به گزارش خبرگزاری مهر به نقل از خبرنگار اعزامی به ژنو، مذاکرات ادامه یافت.", "مهر", None),
    # ... with no comma after it: the place ends the name and the report begins
    ("به گزارش خبرنگار اعزامی خبرگزاری مهر به شیراز نمایشگاه کتاب امروز باز شد.", "مهر", "خبرنگار اعزامی"),
    ("به گزارش خبرگزاری ایلنا به ژنو مذاکرات امروز ادامه یافت.", "ایلنا", None),
])
def test_a_place_after_ba_is_dropped(line: str, agency: str, reporter: str | None) -> None:
    assert _source(line)[:2] == (agency, reporter)
