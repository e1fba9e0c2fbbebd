"""The source line (docs/quotes.md §5): session-10 cases of newuser10 #4, invented lines."""

from __future__ import annotations

import pytest

import khabar
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


@pytest.mark.parametrize("line,agency,span", [
    # a known outlet (outlets()) ends the name: the words after it begin the report, a comma far on notwithstanding
    ("به گزارش مهر جشنواره تئاتر کودک که هر سال در همدان برگزار می‌شود، امسال لغو شد.", "مهر", "به گزارش مهر"),
    ("به گزارش خبرگزاری تسنیم نمایشگاه کتاب امسال با حضور ناشران خارجی، در مصلی برپا می‌شود.", "تسنیم",
     "به گزارش خبرگزاری تسنیم"),
    # ... not before a place, a provincial office or another name's words: those go on with the source line
    ("به گزارش ایسنا از همدان، جشنواره لغو شد.", "ایسنا", "به گزارش ایسنا از همدان"),
    ("به گزارش خبرگزاری مهر استان همدان، جشنواره لغو شد.", "مهر", "به گزارش خبرگزاری مهر استان همدان"),
    ("به گزارش روابط عمومی جشنواره تئاتر کودک، جشنواره لغو شد.", "روابط عمومی جشنواره تئاتر کودک",
     "به گزارش روابط عمومی جشنواره تئاتر کودک"),
])
def test_a_known_outlet_ends_the_name(line: str, agency: str, span: str) -> None:
    source, (start, end) = find_source(line)
    assert (source.agency, line[start:end]) == (agency, span)


@pytest.mark.parametrize("line,agency", [
    # with no comma, a name of up to three words follows all of a two-word generic phrase
    ("به گزارش پایگاه خبری اسلام آن لاین وزیر امروز گفت: کار تمام است.", "اسلام آن لاین"),
    ("به گزارش پایگاه اطلاع‌رسانی صدای مردم شهر وزیر امروز گفت: کار تمام است.", "صدای مردم شهر"),
    ("به گزارش خبرگزاری صدای مردم شهر وزیر امروز گفت: کار تمام است.", "صدای مردم شهر"),
    # ... and a name in Latin letters ends where they end
    ("به گزارش شبکه خبری News 24 درگیری بین نیروهای دولتی و شورشیان ادامه یافت.", "News 24"),
    ("به گزارش پایگاه خبری Middle East Eye درگیری بین نیروهای دولتی و شورشیان ادامه یافت.", "Middle East Eye"),
])
def test_a_name_after_a_generic_phrase_without_a_comma(line: str, agency: str) -> None:
    assert _source(line)[0] == agency


@pytest.mark.parametrize("line,agency,reporter", [
    # quotation marks keep a name whole after a reporter phrase, with a place after it or not
    ('به گزارش خبرنگار "آفتاب شرق" از زاهدان، تیم میزبان برد.', "آفتاب شرق", "خبرنگار"),
    ("به گزارش خبرنگار ورزشی «آفتاب شرق»، تیم میزبان برد.", "آفتاب شرق", "خبرنگار ورزشی"),
    ("به گزارش خبرنگار اجتماعی آفتاب، تیم میزبان برد.", "آفتاب", "خبرنگار اجتماعی"),
])
def test_quotation_marks_keep_a_name_whole(line: str, agency: str, reporter: str) -> None:
    assert _source(line)[:2] == (agency, reporter)


@pytest.mark.parametrize("line,agency,reporter,cited", [
    # a reporter's or a desk's words before «خبرگزاری»: the agency is the name after it, comma or none
    ("به گزارش خبرنگار حوزه دولت خبرگزاری ایلنا عبدالرضا رحمانی وزیر کشور درباره جلسه ستاد اطلاع‌رسانی و "
     "تبلیغات اقتصادی اظهار داشت: کمیته‌ای تشکیل می‌شود.", "ایلنا", "خبرنگار حوزه دولت", []),
    ("به گزارش خبرنگار امور مجلس خبرگزاری مهر رضا طلایی سخنگوی فراکسیون وفاق و کارآمدی مجلس اعلام کرد: "
     "دیدگاه‌ها مثبت است.", "مهر", "خبرنگار امور مجلس", []),
    ("به گزارش حوزه احزاب خبرگزاری ایلنا به نقل از خانه ملت، جلسه برگزار شد.", "ایلنا", None, ["خانه ملت"]),
    ("به گزارش حوزه احزاب خبرگزاری مهر حجت‌الاسلام حسینی، سخنران پیش از دستور بود.", "مهر", None, []),
    ("به گزارش خبرنگار سیاسی خبرگزاری مهر مستقر در ستاد انتخابات وزارت کشور، ثبت‌نام آغاز شد.",
     "مهر", "خبرنگار سیاسی", []),
    # ... and a comma after a known outlet there is no list's («رعد و برق» is the report)
    ("به گزارش خبرنگار گروه دانستنی‌های خبرگزاری مهر، رعد و برق در آسمان دیده شد.", "مهر",
     "خبرنگار گروه دانستنی‌های", []),
])
def test_words_before_the_generic_word_are_a_reporter_or_desk(line: str, agency: str, reporter: str | None,
                                                              cited: list[str]) -> None:
    assert _source(line) == (agency, reporter, cited)


@pytest.mark.parametrize("line,agency,reporter", [
    # a bracketed aside after the name is no part of the agency; a bracket alone holds it
    ("به گزارش خبرنگار گروه فرهنگی آفتاب (باشگاه جوان)، نمایشگاه باز شد.", "آفتاب", "خبرنگار گروه فرهنگی"),
    ("به گزارش خبرگزاری رویترز (Reuters)، رئیس‌جمهور گفت: کار تمام است.", "رویترز", None),
    ("به گزارش (ایلنا)، نمایشگاه باز شد.", "ایلنا", None),
])
def test_a_bracketed_aside_is_dropped(line: str, agency: str, reporter: str | None) -> None:
    assert _source(line)[:2] == (agency, reporter)


@pytest.mark.parametrize("text,agency,reporter", [
    # a dash then a colon, or the agency alone before a dash, opening a line: a dateline when a report follows it, a
    # sentence on that line; on the first line (a scraped page's title) one with a reporting verb
    ("تهران - ایرنا: وزیر نیرو گفت: آب کافی است.", "ایرنا", None),
    ("عنوان خبر\nتهران - ایرنا: قیمت نفت امروز بالا رفت.", "ایرنا", None),
    ("عنوان خبر\nایرنا - رئیس‌جمهور امروز به نیویورک رفت.", "ایرنا", None),
    ("ایرنا - رئیس‌جمهور گفت: به نیویورک می‌روم.", "ایرنا", None),
    # «خبرگزاری X – NAME:» is a byline: the agency and its reporter
    ("خبرگزاری مهر – علی رضایی: جرم چیست؟ پاسخ ساده نیست.", "مهر", "علی رضایی"),
    # a title's pair is none: on the first line with no reporting verb, or with no full stop
    ("ایران - آمریکا: جنگ لفظی ادامه دارد\nواشنگتن و تهران امروز بیانیه دادند.", None, None),
    ("ایران - آمریکا: ظریف گفت مذاکره نمی‌کنیم\nمتن خبر.", None, None),
    ("عنوان\nایران - آمریکا: جنگ لفظی ادامه دارد\nمتن خبر.", None, None),
    ("عنوان\nپرسپولیس - استقلال امروز ساعت ۱۸ در ورزشگاه آزادی", None, None),
])
def test_datelines_with_a_colon_or_the_agency_alone(text: str, agency: str | None, reporter: str | None) -> None:
    assert _source(text)[:2] == (agency, reporter)


@pytest.mark.parametrize("text,agency,speaker", [
    ("تهران- ایسنا- وزیر نیرو گفت آب کافی است.", "ایسنا", "وزیر نیرو"),
    ("تهران - ایرنا: وزیر نیرو گفت: آب کافی است.", "ایرنا", "وزیر نیرو"),
    ("ایرنا - رئیس‌جمهور گفت: به نیویورک می‌روم.", "ایرنا", "رئیس‌جمهور"),
])
def test_a_dateline_is_no_speaker(text: str, agency: str, speaker: str) -> None:
    doc = khabar.analyze(text)
    assert doc.source is not None and doc.source.agency == agency
    assert [q.speaker.name if q.speaker else None for q in doc.quotes] == [speaker]


def test_a_place_with_its_province_word_is_kept_whole_in_the_span() -> None:
    line = "به گزارش خبرنگار اعزامی خبرگزاری مهر به استان همدان رئیس‌جمهور در دومین روز سفر خود به این استان گفت: می‌آییم."
    source, (start, end) = find_source(line)
    assert (source.agency, line[start:end]) == ("مهر", "به گزارش خبرنگار اعزامی خبرگزاری مهر به استان همدان")


@pytest.mark.parametrize("text,agency", [
    # two dashes on the first line (a scraped page's title) are a dateline only before a report
    ("پرسپولیس - استقلال - سپاهان امروز بازی کردند.", None),
    ("تهران- ایرنا- وزیر امور خارجه گفت که مذاکرات ادامه دارد.", "ایرنا"),
    ("عنوان خبر\nتهران- ایرنا- قیمت نفت امروز بالا رفت.", "ایرنا"),
])
def test_a_dash_dash_dateline_on_the_title_line_needs_a_report(text: str, agency: str | None) -> None:
    assert _source(text)[0] == agency


def test_a_reporter_named_before_the_comma_is_a_byline_not_the_next_speaker() -> None:
    # after «خبرنگار», the name the comma closes is the reporter's, and the title after it is nobody's by that name
    doc = khabar.analyze("به گزارش خبرنگار فارس مهدی صادقی، وزیر نیرو گفت که جلسه فردا برگزار می‌شود.")
    assert (doc.source.agency, doc.source.reporter) == ("فارس", "مهدی صادقی")
    assert [q.speaker.name for q in doc.quotes] == ["وزیر نیرو"]
    # without a reporter the name is the report's subject
    doc = khabar.analyze("به گزارش خبرگزاری فارس از قزوین سید مسعود نبوی‌فر، ظهر امروز گفت که کار تمام است.")
    assert doc.source.reporter is None and [q.speaker.name for q in doc.quotes] == ["سید مسعود نبوی\u200cفر"]


@pytest.mark.parametrize("text,agency,cited", [
    # a dateline-shaped line apart from a source line is no dateline: the source line says who reports
    ("عنوان خبر\nایران - عراق - بازی دوستانه ساعت ۱۸ برگزار می‌شود.\nبه گزارش ایسنا، تیم تمرین کرد.", "ایسنا", []),
    ("عنوان\nمحمد جواد ظریف (وزیر خارجه): ما آماده گفت‌وگو هستیم.\nبه گزارش ایرنا، او این را گفت.", "ایرنا", []),
    # one word and a dash: an agency's name only (a known outlet or an acronym in «نا»)
    ("گفت‌وگو با وزیر\nپرسش - نظر شما درباره این طرح چیست؟\nپاسخ - خوب است.", None, []),
    ("عنوان\nاستقلال - ما بازی خوبی انجام دادیم و برنده شدیم.", None, []),
    # a known outlet a comma closes one word on is part of a longer name
    ("به گزارش باشگاه خبرنگاران جوان، ایران امروز بازی کرد.", "باشگاه خبرنگاران جوان", []),
    # a reporter phrase before the comma: the outlet is its last word, no list after it
    ("به گزارش خبرنگار مهر، تهران و اصفهان امروز بارانی بود.", "مهر", []),
])
def test_review10_source_lines(text: str, agency: str | None, cited: list[str]) -> None:
    src = _source(text)
    assert (src[0], src[2]) == (agency, cited)


def test_a_dateline_above_a_source_line_keeps_its_quotation_and_is_no_speaker() -> None:
    doc = khabar.analyze("عنوان خبر\nتهران- ایرنا- وزیر نیرو گفت: آب کافی است.\nبه گزارش روزنامه شرق، او این را گفت.")
    assert [(q.kind, q.speaker.name) for q in doc.quotes][:1] == [("direct", "وزیر نیرو")]


@pytest.mark.parametrize("end", ["\r\n", "\r"])
def test_a_carriage_return_ends_the_source_line_too(end: str) -> None:
    # the step reads «\r» as the line end it is, here as in the quotations («به نقل از ایسنا\r» was cited)
    text = end.join(["عنوان خبر", "به نقل از ایسنا", "تهران- ایرنا- وزیر نیرو گفت: آب کافی است.", ""])
    doc = khabar.analyze(text)
    assert doc.source.cited == ["ایسنا"]
    assert [(q.speaker.name, doc.text[q.content.start:q.content.end]) for q in doc.quotes] == [
        ("وزیر نیرو", "آب کافی است")]
