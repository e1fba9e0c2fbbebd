"""The attribution step on clause structure: «و»-joined clauses, relative clauses, adverbs around the subject,
what ends an indirect quotation, and names opening with «سید» (docs/quotes.md §3–4).

Every sentence here is written for these tests.
"""

from __future__ import annotations

import pytest
from test_attribution_util import PIPE, quotes, with_entities


def test_the_second_clause_of_a_va_joined_sentence_has_its_own_subject() -> None:
    text = ("فصل برای مهاجم جوان با یک مصدومیت سخت به پایان رسید و مارکو روسی مدعی شد این بازیکن دیگر "
            "جایی در تیم ندارد.")
    assert quotes(text) == [("indirect", "این بازیکن دیگر جایی در تیم ندارد", "مارکو روسی")]


@pytest.mark.parametrize("text", [
    # a dropped subject after «و»: the first clause's subject speaks
    "علی کاظمی به ورزشگاه رفت و با بازیکنان دیدار کرد و گفت: تیم برای بازی فردا آماده است.",
    # an adverbial after «و» is no subject
    "علی کاظمی در مجله ورزشی مطلبی منتشر کرد و روی صفحه اول نوشت: لیگ امسال جذاب‌تر است.",
    # a «و» inside a topic phrase joins its nouns, not two clauses
    "علی کاظمی پیرامون خریدهایی که تیم در تابستان داشت و عملکرد بازیکنان تازه گفت: از همه آنها راضی هستیم.",
])
def test_a_va_that_joins_no_new_subject_keeps_the_sentence_subject(text: str) -> None:
    assert [s for _, _, s in quotes(text)] == ["علی کاظمی"]


def test_an_adverb_after_a_title_is_not_part_of_it() -> None:
    text = "سرمربی تیم ملکه همیشه گفته است که دوست دارد روزی در اروپا مربیگری کند."
    assert quotes(text) == [("indirect", "دوست دارد روزی در اروپا مربیگری کند", "سرمربی تیم ملکه")]
    text = "همیشه مدیر باشگاه گفته است که بودجه تیم کافی نیست."
    assert quotes(text) == [("indirect", "بودجه تیم کافی نیست", "مدیر باشگاه")]


def test_an_adverb_after_a_name_is_not_part_of_it() -> None:
    text = "مهدی رضایی مقدم گذشته در آیین افتتاح کتابخانه افزود: کتاب خواندن را باید از کودکی آموخت."
    assert [s for _, _, s in quotes(text)] == ["مهدی رضایی مقدم"]


def test_a_semicolon_ends_a_according_to_quotation() -> None:
    text = ("ناصر امینی رئیس انجمن گفت: نمایشگاه امسال بزرگ‌تر است.\n\n"
            "به گفته وی، پیروزی ناشران نزدیک است؛ پیروزی‌ای که همه سال‌ها منتظرش بوده‌اند.")
    assert quotes(text)[1] == ("indirect", "پیروزی ناشران نزدیک است", "ناصر امینی")


def test_a_bare_clause_in_a_relative_clause_ends_with_its_verb() -> None:
    text = "جواد کریمی هافبک تیم که دیروز اعلام کرده بود به تهران می‌رود صبح امروز عازم پایتخت شد."
    assert quotes(text) == [("indirect", "به تهران می‌رود", "جواد کریمی")]


def test_a_bare_clause_in_a_relative_clause_that_goes_on_is_kept_whole() -> None:
    # the words after the first verb go on with the clause («و ...»): no cut
    text = "جواد کریمی که دیروز اعلام کرده بود به تهران می‌رود و در تمرین شرکت می‌کند امروز عازم پایتخت شد."
    [(_, content, _)] = quotes(text)
    assert content.startswith("به تهران می‌رود و در تمرین")


def test_seyyed_before_a_given_name_is_not_one_more_word() -> None:
    text = ("سید حمید حسینی لاری در این همایش خاطرنشان کرد: حضور مهاجران باید ضابطه‌مند شود.\n\n"
            "وی افزود: این کار به همکاری همه دستگاه‌ها نیاز دارد.")
    assert [s for _, _, s in quotes(text)] == ["سید حمید حسینی لاری"] * 2


def test_this_message_speaks_for_the_author_the_article_gives_it_later() -> None:
    text = ("به گزارش ایرنا، در این پیام از همه هنرمندان کشور قدردانی شده است.\n\n"
            "در بخشی از این پیام آمده است: هنر زبان مشترک همه ملت‌هاست.\n\n"
            "در پیام رئیس سازمان میراث فرهنگی همچنین تأکید شده است: باید از هنرمندان حمایت کرد.")
    assert quotes(text)[0] == ("direct", "هنر زبان مشترک همه ملت‌هاست", "رئیس سازمان میراث فرهنگی")


def test_a_title_word_with_two_letters_swapped_is_still_the_title() -> None:
    text = ("ناصر جمالی مربی سابق تیم گفت: فوتبال ارزش جان کسی را ندارد.\n\n"
            "نمانیده مجلس یازدهم افزود: این موضوع را در مجلس مطرح می‌کنم.")
    assert [s for _, _, s in quotes(text)] == ["ناصر جمالی", "ناصر جمالی"]


def test_an_organisation_cut_before_its_object_takes_the_fullest_name_the_article_gives() -> None:
    text = ("انجمن داوران فوتبال تصمیم نهایی خود را اعلام کرد و گفت: داور بازی تغییر نمی‌کند.\n\n"
            "به گفته انجمن داوران فوتبال ایران، این تصمیم قطعی است.")
    assert [s for _, _, s in quotes(text)] == ["انجمن داوران فوتبال ایران"] * 2


@pytest.mark.parametrize("line,cited", [
    ("به گزارش ایرنا به نقل از روابط عمومی وزارت نیرو و انرژی اسلامی متن بیانیه را منتشر کرد.",
     "روابط عمومی وزارت نیرو و انرژی اسلامی"),
    ("به گزارش ایرنا به نقل از اداره کل روابط عمومی سازمان آب و برق مهدی کاظمی در نشستی گفت: آب هست.",
     "اداره کل روابط عمومی سازمان آب و برق"),
    ("به گزارش ایرنا به نقل از روابط عمومی استانداری فارس جنوبی رضا کاظمی در نشستی گفت: آب هست.",
     "روابط عمومی استانداری فارس جنوبی"),
])
def test_an_office_of_an_organisation_without_a_comma_keeps_the_organisations_name(line: str, cited: str) -> None:
    from khabar.attribution.source_line import find_source

    source, _ = find_source(line)
    assert source.agency == "ایرنا" and source.cited == [cited]


def test_this_medium_is_the_medium_of_that_kind_the_article_named_before() -> None:
    text = ("به گزارش ایرنا، سایت گل‌نیوز برزیل از دو بازیکن به عنوان ستاره‌های تیم نام برده است.\n\n"
            "نویسنده این مطلب گفت: مهدی کریمی بازیکن کلیدی تیم است.\n\n"
            "از دید این سایت، تیم برای جام آماده است.")
    assert [s for _, _, s in quotes(text)] == ["نویسنده این مطلب", "سایت گل‌نیوز برزیل"]
    # a medium the article never names speaks as its generic word
    text = "این روزنامه در ادامه افزود: تیم برای جام آماده است."
    assert [s for _, _, s in quotes(text)] == ["روزنامه"]


def test_a_title_is_the_one_person_the_article_gives_it_to_outside_the_quotations() -> None:
    text = ("چند بازیکن تیم در آستانه جدایی هستند که مهم‌ترین آنها حمید سلیمانی دروازه بان اول تیم است.\n\n"
            "سلیمانی با باشگاه قرارداد دارد اما پیشنهادهایی به دستش رسیده است.\n\n"
            "دروازه‌بان شهرداری همیشه گفته است که دوست دارد در اروپا بازی کند.")
    assert [s for _, _, s in quotes(text)] == ["حمید سلیمانی"]
    # a title the article gives to nobody keeps its title
    assert [s for _, _, s in quotes("دروازه‌بان شهرداری گفته است که دوست دارد در اروپا بازی کند.")] == [
        "دروازه‌بان شهرداری"]


def test_given_names_before_a_surname_in_an_apposition_with_a_title() -> None:
    text = ("به گزارش ایرنا، تازه‌ترین گفت‌وگوی کوامه اوسو مبامبا، مهاجم تیم لیون منتشر شد.\n\n"
            "مبامبا گفت: به پدربزرگم قول داده‌ام روزی در اسپانیا بازی کنم.")
    assert [s for _, _, s in quotes(text)] == ["کوامه اوسو مبامبا"]


def test_a_second_part_of_an_organisation_that_belongs_to_it() -> None:
    text = "بنابر تأکید باشگاه ملوان و کادر پزشکی این تیم، تمرینات پس از تست بازیکنان آغاز می‌شود."
    assert [s for _, _, s in quotes(text)] == ["باشگاه ملوان"]



# -- a name in apposition after a title (docs/quotes.md §4) ---------------------

APPOSED = ("به گزارش خبرگزاری نمونه، حمید فرهادی سرمربی تیم گفت: بازیکنانم خوب بازی کردند.\n\n"
           "{}")


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("سخنگوی شورای شهر، مهدی نادری، گفت: بودجه سال آینده کافی نیست.", "مهدی نادری"),
    ("سخنگوی شورای شهر، مهدی نادری، در نشست خبری گفت: بودجه سال آینده کافی نیست.", "مهدی نادری"),
    # a foreign name the list of given names lacks: closed by a comma right before the cue
    ("سخنگوی کاخ سفید، جن ساکی، گفت: رئیس‌جمهور در سفر است.", "جن ساکی"),
    ("سخنگوی شورای شهر، مهدی نادری، نیز گفت: بودجه سال آینده کافی نیست.", "مهدی نادری"),
])
def test_a_name_in_apposition_after_a_title_is_the_speaker(sentence: str, speaker: str) -> None:
    assert [s for _, _, s in quotes(APPOSED.format(sentence))] == ["حمید فرهادی", speaker]


def test_according_to_a_title_with_a_name_in_apposition() -> None:
    text = APPOSED.format("به گفته سخنگوی وزارت امور خارجه، سید حسن کاظمی، این سفر سه روز طول می‌کشد.")
    assert quotes(text)[1:] == [("indirect", "این سفر سه روز طول می‌کشد", "سید حسن کاظمی")]


@pytest.mark.parametrize("sentence", [
    # a phrase, an adverb or a clause after the title's comma is no name: the title keeps its earlier speaker
    "سرمربی تیم، در نشست خبری گفت: بازی سختی بود.",
    "سرمربی تیم، امروز گفت: بازی سختی بود.",
    "سرمربی تیم، بعد از بازی با خبرنگاران، گفت: بازی سختی بود.",
])
def test_words_after_a_titles_comma_that_are_no_name_keep_the_title(sentence: str) -> None:
    assert [s for _, _, s in quotes(APPOSED.format(sentence))] == ["حمید فرهادی"] * 2


def test_an_apposed_name_with_entities() -> None:
    text = APPOSED.format("سخنگوی شورای شهر، مهدی نادری، گفت: بودجه سال آینده کافی نیست.")
    doc = with_entities(text, [("حمید فرهادی", "PER"), ("مهدی نادری", "PER")])
    assert [q.speaker.name for q in doc.quotes] == ["حمید فرهادی", "مهدی نادری"]
    assert doc.quotes[1].speaker.entity == 1


# -- list markers, shares of a poll, «X را Y خواند» (docs/quotes.md §1, §4) -------------------------------------

@pytest.mark.parametrize("marker", ["۵. ", "۳) ", "-۲ ", "۲- ", "۱_ ", "12. "])
@pytest.mark.parametrize("line", [
    "این گزارش ادعا می‌کند که واردات کاهش یافته است.",
    "کارشناسان بانک مرکزی اعلام کردند که تورم کاهش می‌یابد.",
    "در مورد برنامه موشکی، این گزارش تصریح می‌کند که برد موشک‌ها بیشتر شده است.",
])
def test_the_number_of_a_list_item_is_no_part_of_the_speaker(marker: str, line: str) -> None:
    text = "تهیه‌کنندگان گزارش می‌گویند که بازار نفت آرام است.\n\n{}"
    found = quotes(text.format(marker + line))
    assert [s for _, _, s in found] == [s for _, _, s in quotes(text.format(line))]
    assert not any(s and s[0] in "0123456789۰۱۲۳۴۵۶۷۸۹" for _, _, s in found)


def test_a_number_of_people_is_a_subject_not_a_list_marker() -> None:
    assert [s for _, _, s in quotes("۱۵ نفر از کارگران اعلام کردند که حقوق نگرفته‌اند.")] == ["۱۵ نفر"]


def test_each_share_of_a_poll_speaks_in_its_own_sentence() -> None:
    text = ("۶۰ درصد از مردم شهر معتقدند که ترافیک بیشتر شده است.\n\n"
            "در مقابل ۳۵ درصد نیز معتقدند وضع بهتر شده است.\n\n"
            "در مورد قیمت بلیت ۴۶ درصد از مسافران معتقدند بلیت گران است.\n\n"
            "۲۰ درصد از رانندگان، طرح را رد و ۷۰ درصد نیز اعلام کردند با طرح موافق هستند.")
    assert [s for _, _, s in quotes(text)] == ["۶۰ درصد", "۳۵ درصد", "۴۶ درصد", "۷۰ درصد"]


def test_a_share_after_a_noun_is_not_the_subject() -> None:
    text = "رضا کاظمی گفت: بازار آرام است.\n\nوی با اشاره به رشد ۴۵ درصد تأکید کرد که صادرات بیشتر می‌شود."
    assert [s for _, _, s in quotes(text)] == ["رضا کاظمی", "رضا کاظمی"]


@pytest.mark.parametrize("sentence", [
    "مردم اظهارات وزیر را که بازار را آشفته خواند تایید کرده و نگران قیمت‌ها هستند.",
    "داور آن را خطای پنالتی اعلام کرد و بازی ادامه یافت.",
    "مدیر فروش این رمان را پرفروش‌ترین کتاب سال عنوان کرد و از نویسنده تقدیر شد.",
])
def test_a_cue_naming_its_object_takes_no_bare_clause(sentence: str) -> None:
    assert quotes(sentence) == []


def test_a_pronoun_after_an_object_opens_its_own_clause() -> None:
    text = "علی کاظمی گفت: تیم آماده است.\n\nاین را هم بگویم او به من گفت تیم برای قهرمانی بازی می‌کند."
    assert [c for _, c, _ in quotes(text)][1:] == ["تیم برای قهرمانی بازی می‌کند"]


# -- a quotation in quote marks before its cue (docs/quotes.md §2) ---------------------------------------------

@pytest.mark.parametrize(("text", "speaker"), [
    ("«ما از مواضع خود عقب نمی‌نشینیم»؛ این را مریم احمدی سخنگوی شورا امروز در نشست خبری گفت.", "مریم احمدی"),
    ("«ما از مواضع خود عقب نمی‌نشینیم»، مریم احمدی در نشست خبری گفت.", "مریم احمدی"),
    ('"ما از مواضع خود عقب نمی‌نشینیم. راه ما روشن است"، مریم احمدی تأکید کرد.', "مریم احمدی"),
])
def test_a_quotation_before_its_cue(text: str, speaker: str) -> None:
    [(kind, content, who)] = quotes(text)
    assert (kind, who) == ("direct", speaker)
    assert content.startswith("ما از مواضع خود عقب نمی‌نشینیم")


@pytest.mark.parametrize("text", [
    "«ژاوی»، مربی تیم گفت.",  # a name in quote marks
    "«ما از مواضع خود عقب نمی‌نشینیم»، مریم احمدی گفت و جلسه را ترک کرد.",  # the cue does not end the sentence
    "علی رضایی کتاب «ما از مواضع خود عقب نمی‌نشینیم» را نوشت.",  # the marks do not open the sentence
])
def test_quote_marks_that_do_not_stand_before_a_closing_cue(text: str) -> None:
    assert quotes(text) == []


def test_the_mention_of_a_pronoun_is_the_pronoun_not_the_object_after_it() -> None:
    text = ("رضا کاظمی فرمانده سپاه گفت: منطقه آرام است.\n\n"
            "وی حسن نوری را فرماندهی شجاع توصیف کرد و اظهار داشت: او همیشه در خط مقدم بود.")
    for doc in (PIPE(text), with_entities(text, [("رضا کاظمی", "PER"), ("حسن نوری", "PER")])):
        second = doc.quotes[1]
        assert doc.text[second.speaker.mention.start:second.speaker.mention.end] == "وی"
        assert second.speaker.name == "رضا کاظمی"
