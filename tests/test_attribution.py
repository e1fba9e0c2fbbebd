"""The attribution step: quotations, speakers and the source line (docs/quotes.md).

Every sentence here is written for these tests, one or more per guideline.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_attribution_util import PIPE, quotes, with_entities

from khabar import Pipeline
from khabar.attribution.cues import find_cues, load_cues
from khabar.attribution.source_line import find_source
from khabar.document import Document, Entity

# -- direct and indirect, by form ---------------------------------------------

def test_direct_after_colon() -> None:
    assert quotes("وزیر نیرو گفت: ذخایر آب پشت سدها کافی است.") == [
        ("direct", "ذخایر آب پشت سدها کافی است", "وزیر نیرو")]


def test_direct_in_quote_marks_drops_the_marks_and_final_stop() -> None:
    assert quotes("علی رضایی اظهار داشت: «ما برای بازی فردا آماده‌ایم.»") == [
        ("direct", "ما برای بازی فردا آماده‌ایم", "علی رضایی")]
    assert quotes("مربی تیم گفت «بازیکنان خسته‌اند.»")[0][:2] == ("direct", "بازیکنان خسته‌اند")


def test_quoted_name_at_the_start_of_a_quotation_is_not_its_end() -> None:
    [(kind, content, _)] = quotes("وی افزود: «ژاوی» بهترین بازیکن فصل بود.")
    assert kind == "direct" and content == "«ژاوی» بهترین بازیکن فصل بود"


def test_indirect_ke_clause() -> None:
    assert quotes("مریم احمدی تأکید کرد که مذاکرات هفته آینده ادامه می‌یابد.") == [
        ("indirect", "مذاکرات هفته آینده ادامه می‌یابد", "مریم احمدی")]


def test_according_to_pronoun_resolves_to_the_previous_speaker() -> None:
    text = ("رضا کریمی رئیس اتاق بازرگانی گفت: صادرات افزایش یافت.\n\n"
            "به گفته وی، واردات کالاهای اساسی نیز کاهش خواهد یافت.")
    assert quotes(text) == [
        ("direct", "صادرات افزایش یافت", "رضا کریمی"),
        ("indirect", "واردات کالاهای اساسی نیز کاهش خواهد یافت", "رضا کریمی")]


def test_ba_bayan_inke_gives_an_indirect_and_a_direct_quotation() -> None:
    text = "سارا محمدی با بیان اینکه بودجه امسال کافی نیست، گفت: باید منابع تازه پیدا کنیم."
    assert quotes(text) == [
        ("indirect", "بودجه امسال کافی نیست", "سارا محمدی"),
        ("direct", "باید منابع تازه پیدا کنیم", "سارا محمدی")]
    assert len(quotes("سارا محمدی بابیان اینکه بودجه کافی نیست، گفت: منابع تازه لازم است.")) == 2


@pytest.mark.parametrize("sentence", [
    "وزیر راه از افتتاح آزادراه شمال خبر داد.",  # از X خبر داد: a noun phrase
    "نماینده مردم تهران بر لزوم شفافیت تأکید کرد.",  # بر X تأکید کرد
    "مدیرعامل باشگاه خواستار برکناری داور شد.",  # خواستار X شد
    "گفته می‌شود که قیمت خودرو بالا می‌رود.",  # no identifiable source
    "اعلام شد که جلسه امروز برگزار نمی‌شود.",  # passive, no source
    "آمارها نشان می‌دهد که بیکاری کاهش یافته است.",  # shows that
    "وی این تصمیم را اقدامی شجاعانه دانست.",  # X را Y دانست
    "می‌توان به جشنواره فیلم اشاره کرد که ماه آینده برگزار می‌شود.",  # impersonal, relative که
    "در گفت و گو با خبرنگاران چیزی مطرح نشد.",  # گفت as part of a noun
    "بر اساس این گزارش، سه نفر زخمی شدند.",  # the source line formula
    "بسیاری مدعی شدند که تیم از هم پاشیده است.",  # no identifiable source
    "در قرآن کسانی را می‌یابی که می‌گویند: ما مؤمنیم.",  # a generic antecedent
    "مدیر بندر در حالی از افزایش صادرات خبر داد که واردات کاهش یافته بود.",  # «در حالی ... که»
    "ماه گذشته اعلام کردم که دیگر نمی‌آیم.",  # first person outside a quotation: an interview answer
    "او به بررسی بازار پرداخت و قیمت‌ها را مقایسه کرد.",  # «پرداخت» introduces only a colon quotation
])
def test_non_quotations(sentence: str) -> None:
    assert quotes(sentence) == []


@pytest.mark.parametrize("sentence,kind", [
    ("کارشناسان معتقدند که تورم کاهش می‌یابد.", "indirect"),
    ("حسن موسوی ابراز امیدواری کرد که پروژه امسال تمام شود.", "indirect"),
    ("اعضای شورا موافق هستند که طرح اجرا شود.", "indirect"),
    ("رئیس دانشگاه از دانشجویان خواست که در انتخابات شرکت کنند.", "indirect"),
    ("مهدی نوری نمی‌گوید که تیم ضعیف است.", "indirect"),
    ("مهدی نوری میگوید که تیم ضعیف است.", "indirect"),  # ZWNJ missing
    ("مهدی نوری گفته است: تیم ضعیف نیست.", "direct"),
    ("مدیر کل بنادر خاطر نشان کرد: کشتی‌ها در صف نیستند.", "direct"),
    ("سخنگوی دولت یادآور شد که قانون اجرا خواهد شد.", "indirect"),
    ("وزیر خارجه گفت طرفین به توافق نزدیک شده‌اند.", "indirect"),  # a bare clause after گفت
    ("این در حالی است که دبیرکل سازمان ملل اعلام کرد جامعه جهانی کمک خواهد کرد.", "indirect"),
    ("رحیم نوری که معتقد بود این مدت کافی نیست، با طرح مخالفت کرد.", "indirect"),
    ("آردا توران به این نکته اشاره کرد که رونالدو مثل دیوار است.", "indirect"),
    ("آردا توران به تمجید از رونالدو پرداخت: «او بازیکنی بزرگ است.»", "direct"),
    # batch 11: formal light verbs and the present of «داشتن»
    ("معاون وزیر راه نیز تصریح نمود: جاده‌های شمال امسال بازسازی می‌شود.", "direct"),  # «نمود» for «کرد»
    ("حسن موسوی اظهار امیدواری نمود که پروژه امسال تمام شود.", "indirect"),
    ("سعید نوری عقیده دارد که بازار به زودی آرام می‌شود.", "indirect"),  # «داشتن» without «می»
    ("کارشناسان اعتقاد دارند که تورم کاهش می‌یابد.", "indirect"),
    ("مدیر کارخانه اظهار می‌دارد که تولید بالا رفته است.", "indirect"),
])
def test_beliefs_hopes_requests_and_every_tense(sentence: str, kind: str) -> None:
    found = quotes(sentence)
    assert len(found) == 1 and found[0][0] == kind


# -- extent -----------------------------------------------------------------------

def test_direct_quotation_continues_over_sentences_of_its_paragraph() -> None:
    [(kind, content, _)] = quotes("امیر حسینی گفت: جاده بسته است. رانندگان صبر کنند. فردا باز می‌شود.")
    assert kind == "direct" and content == "جاده بسته است. رانندگان صبر کنند. فردا باز می‌شود"


def test_a_new_cue_in_the_paragraph_starts_a_new_quotation() -> None:
    text = "امیر حسینی گفت: جاده بسته است. وی افزود: فردا باز می‌شود."
    assert [c for _, c, _ in quotes(text)] == ["جاده بسته است", "فردا باز می‌شود"]


def test_an_indirect_quotation_stops_at_a_new_clause() -> None:
    [(_, content, _)] = quotes("پرسپولیسی‌ها معتقد بودند در دو صحنه حق آنها خورده شد به همین دلیل شکایت کردند.")
    assert content == "در دو صحنه حق آنها خورده شد"
    assert quotes("پرسپولیسی‌ها معتقدند داور اشتباه کرد.")[0][2] == "پرسپولیس"


def test_two_colon_quotations_in_one_sentence() -> None:
    text = "وزیر انرژی گفت: از اوپک نفت نمی‌خواهیم، اسپنسر گراهام با اشاره به قیمت‌ها افزود: بازار آرام می‌شود."
    assert [c for _, c, _ in quotes(text)] == ["از اوپک نفت نمی‌خواهیم", "بازار آرام می‌شود"]


def test_a_quotation_does_not_cross_paragraphs() -> None:
    text = "امیر حسینی گفت: جاده بسته است.\n\nبرف سنگینی در راه است."
    assert [c for _, c, _ in quotes(text)] == ["جاده بسته است"]


def test_cue_inside_a_quotation_with_the_same_speaker_is_not_a_new_one() -> None:
    text = "محسن یزدی گفت: من همیشه می‌گویم که باید صبور بود. امیدوار هستیم که برنده شویم."
    assert len(quotes(text)) == 1


def test_a_named_third_party_inside_a_quotation_is_a_quotation_of_its_own() -> None:
    text = ("جواد منافی گفت: آقای حریرچی معاون وزیر بهداشت گفت ما تمرینات را شروع می‌کنیم. اما شدنی نیست.\n\n"
            "وی افزود: باید صبر کرد.")
    assert [(k, n) for k, _, n in quotes(text)] == [
        ("direct", "جواد منافی"), ("indirect", "حریرچی"), ("direct", "جواد منافی")]
    # a vague source inside a quotation is not one
    assert len(quotes("جواد منافی گفت: دوستم می‌گفت همه خسته‌اند.")) == 1


# -- speakers -----------------------------------------------------------------------

def test_titles_pronouns_and_surnames_resolve_to_the_fullest_name() -> None:
    text = ("به گزارش خبرگزاری فارس، حسن روحانی رئیس جمهور در جمع خبرنگاران گفت: دولت کار می‌کند.\n\n"
            "وی افزود: تحریم‌ها شکست خورده است.\n\n"
            "رئیس جمهور تصریح کرد: اقتصاد رشد کرده است.\n\n"
            "روحانی در پایان خاطرنشان کرد: مردم صبور باشند.")
    assert {name for _, _, name in quotes(text)} == {"حسن روحانی"}


def test_a_title_before_the_name_resolves_to_the_name_given_later() -> None:
    text = ("مدیرکل بهزیستی استان گفت: طرح امسال اجرا می‌شود.\n\n"
            "علی صالحی ادامه داد: بودجه آن تأمین شده است.\n\n"
            "مدیرکل بهزیستی استان افزود: کار از فردا آغاز می‌شود.")
    assert [name for _, _, name in quotes(text)] == ["علی صالحی"] * 3


def test_a_title_with_a_list_inside_and_a_name_given_later() -> None:
    text = ("مدیرکل صنعت، معدن و تجارت استان امروز گفت: بازار رونق دارد.\n\n"
            "فرهاد کریمی افزود: صادرات بیشتر شد.\n\n"
            "مدیرکل صنعت، معدن و تجارت استان تصریح کرد: کار ادامه دارد.")
    assert [name for _, _, name in quotes(text)] == ["فرهاد کریمی"] * 3


def test_a_surname_is_completed_with_the_given_names_the_text_has() -> None:
    text = ("با این سخنان مهدی محمد نبی موضع فدراسیون روشن شد.\n\n"
            "نبی در پایان گفت: رابطه ما با کنفدراسیون خوب است.")
    # compared without spaces: the half-space model may write «محمدنبی»
    assert [(name or "").replace(" ", "") for _, _, name in quotes(text)] == ["مهدیمحمدنبی"]


def test_a_name_after_an_opening_phrase() -> None:
    assert quotes("پس از بازی دیشب علی کریمی در نشست خبری گفت: از نتیجه راضی هستم.")[0][2] == "علی کریمی"
    # a plain noun before «با» is not taken for a name: the speaker stays unknown
    assert quotes("در حاشیه جلسه با خبرنگاران گفت: راضی هستم.")[0][2] is None


def test_groups_and_clauses_after_but() -> None:
    assert quotes("بازیکنان و کادر فنی تیم پس از بازی اعتقاد داشتند که گل درست بود.")[0][2] == \
        "بازیکنان و کادر فنی تیم"
    text = "در حالی که باشگاه امیدوار بود، اما علی کریمی اعلام کرده که تمدید نمی‌کند."
    assert quotes(text)[-1][2] == "علی کریمی"


def test_a_surname_is_completed_from_a_sentence_that_opens_with_the_full_name() -> None:
    text = ("کارلوس کی‌روش در پایان بازی از داوری انتقاد کرد.\n\n"
            "کی‌روش در نشست خبری گفت: بازی بعدی فینال است.")
    assert quotes(text)[0][2] == "کارلوس کی‌روش"


def test_subjects_after_an_opening_phrase_and_after_then() -> None:
    text = "در پی صدور این بیانیه، هیئت داوران تصمیم خود را اعلام کرد و گفت که نتیجه تغییر نمی‌کند."
    assert quotes(text)[0][2] == "هیئت داوران"
    text = "مردم اعتراض کردند و سپس شورای شهر با صدور بیانیه‌ای تاکید کرد که طرح متوقف شود."
    assert quotes(text)[0][2] == "شورای شهر"


def test_a_title_with_also_is_another_person() -> None:
    text = ("علی صالحی مدیرکل بهزیستی گفت: طرح اجرا می‌شود.\n\n"
            "رئیس اتاق اصناف نیز در این مراسم اظهار کرد: بازار آرام است.\n\n"
            "حسن رحیمی افزود: قیمت‌ها ثابت می‌ماند.\n\n"
            "رئیس اتاق اصناف تصریح کرد: صادرات بیشتر می‌شود.")
    assert [name for _, _, name in quotes(text)] == ["علی صالحی", "حسن رحیمی", "حسن رحیمی", "حسن رحیمی"]


def test_a_title_named_in_the_same_paragraph() -> None:
    text = "رضا نادری گفت: قیمت بالا رفت.\n\nوزیر انرژی نیز گفت: نفت نمی‌خریم، اسپنسر گراهام با اشاره به بازار افزود: آرام می‌شود."
    assert [name for _, _, name in quotes(text)] == ["رضا نادری", "اسپنسر گراهام", "اسپنسر گراهام"]


def test_dropped_subject_and_honorifics() -> None:
    text = "حجت‌الاسلام محمد کاظمی گفت: مسجد بازسازی شد.\n\nتصریح کرد: هزینه آن را مردم دادند."
    assert [name for _, _, name in quotes(text)] == ["محمد کاظمی", "محمد کاظمی"]


def test_two_speakers_keep_apart() -> None:
    text = ("نیکو کوواچ، سرمربی بایرن گفت: بازی سختی بود.\n\n"
            "لوسین فاوره سرمربی دورتموند گفت: ما بهتر بودیم.\n\n"
            "کوواچ افزود: داوری خوب بود.")
    assert [name for _, _, name in quotes(text)] == ["نیکو کوواچ", "لوسین فاوره", "نیکو کوواچ"]


def test_a_name_right_after_the_cited_outlet_is_the_speaker() -> None:
    text = ('به گزارش "ورزش سه" و به نقل از مهر حسین علی رستمی، درباره بازی دیروز اظهار کرد: ما بد بودیم.\n\n'
            "رستمی افزود: باید بهتر شویم.")
    doc = PIPE(text)
    assert doc.source.cited == ["مهر"]
    assert [q.speaker.name for q in doc.quotes] == ["حسین علی رستمی"] * 2


def test_a_report_opening_with_bana_bar_gozaresh_is_not_the_speaker() -> None:
    text = ("کامران یزدی سخنگوی شورا گفت: جلسه برگزار شد.\n\n"
            "بنا بر گزارش خبرگزاری «صدای شهر»، سخنگوی شورا در ادامه گفت: تصمیم نهایی گرفته نشد.")
    assert [name for _, _, name in quotes(text)] == ["کامران یزدی"] * 2


def test_a_clause_after_a_comma_and_quote_marks_after_a_comma() -> None:
    text = "بهرام نیکو سخنگوی وزارت اعلام کرد، بیش از صد خانه در سیل تخریب شده‌اند."
    assert quotes(text) == [("indirect", "بیش از صد خانه در سیل تخریب شده‌اند", "بهرام نیکو")]
    text = "بهرام نیکو با رد این ادعا تأکید کرد، «وزارت در این تصمیم نقشی نداشته است»."
    assert quotes(text) == [("direct", "وزارت در این تصمیم نقشی نداشته است", "بهرام نیکو")]
    # a relative clause ending in a comma is not a quotation of what follows
    assert quotes("کسی که این را اعلام کرد، دیروز به شهر بازگشت و کار را آغاز کرد.") == []


def test_group_and_title_words_and_an_opening_time_phrase() -> None:
    text = "کشاورزان روستاهای شمال استان اعلام کردند که از طرح حمایت می‌کنند."
    assert quotes(text)[0][2] == "کشاورزان روستاهای شمال استان"
    text = ("پرویز سالاری امام جمعه شهر گفت: نماز برگزار شد.\n\n"
            "خطیب جمعه شهر در بخش دیگری افزود: مردم آمدند.")
    assert [name for _, _, name in quotes(text)] == ["پرویز سالاری"] * 2
    # a title word that is also a surname is no title after a given name
    assert quotes("حسن خطیب گفت: کار تمام شد.")[0][2] == "حسن خطیب"
    text = "هفته گذشته «جواد نیک‌نام» وزیر کشور، به مدیران دستور داد تا گزارش‌ها را زودتر بفرستند."
    assert quotes(text) == [("indirect", "گزارش‌ها را زودتر بفرستند", "جواد نیک‌نام")]
    text = "۲۳:۵۳ - بابک رستمی مدافع تیم گفت: بازی سختی بود."
    assert quotes(text)[0][2] == "بابک رستمی"


def test_quote_marks_running_into_the_next_paragraph_give_a_second_quotation() -> None:
    text = ("مهدی کاوه پس از بازی گفت: «از هواداران تشکر می‌کنم. ما خوب بودیم.\n\n"
            "هدف بعدی ما قهرمانی است و برای آن می‌جنگیم.»\n\n"
            "تیم فردا تمرین می‌کند.")
    assert quotes(text) == [
        ("direct", "از هواداران تشکر می‌کنم. ما خوب بودیم", "مهدی کاوه"),
        ("direct", "هدف بعدی ما قهرمانی است و برای آن می‌جنگیم", "مهدی کاوه")]


def test_quote_marks_running_over_three_paragraphs_give_three_quotations() -> None:
    text = ('مهدی کاوه پس از بازی گفت: "از هواداران تشکر می‌کنم.\n\n'
            "اما بازیکنان خسته بودند و باید استراحت کنند.\n\n"
            'هدف بعدی ما قهرمانی است."\n\n'
            "تیم فردا تمرین می‌کند.")
    assert quotes(text) == [
        ("direct", "از هواداران تشکر می‌کنم", "مهدی کاوه"),
        ("direct", "اما بازیکنان خسته بودند و باید استراحت کنند", "مهدی کاوه"),
        ("direct", "هدف بعدی ما قهرمانی است", "مهدی کاوه")]
    # a mark never closed within the next paragraph holds nothing after its own paragraph
    text = ('مهدی کاوه گفت: "از هواداران تشکر می‌کنم.\n\nتیم فردا تمرین می‌کند.\n\nبلیت‌ها فروخته شد.')
    assert len(quotes(text)) == 1


def test_quote_marks_running_over_four_paragraphs_give_four_quotations() -> None:
    # the mark closes three paragraphs after the cue, straight or angled, with no cue in between
    for op, cl in (('"', '"'), ("«", "»")):
        text = (f"سرمربی تیم پس از بازی گفت:{op} نمی‌دانم چه شد.\n\n"
                "بازیکنان خسته بودند و باید استراحت کنند.\n\n"
                "او چند بار شوت زد و خوب بازی کرد.\n\n"
                f"هدف بعدی ما قهرمانی است.{cl}\n\n"
                "تیم فردا تمرین می‌کند.")
        assert [q[1] for q in quotes(text)] == [
            "نمی‌دانم چه شد", "بازیکنان خسته بودند و باید استراحت کنند", "او چند بار شوت زد و خوب بازی کرد",
            "هدف بعدی ما قهرمانی است"]
    # a straight mark ahead that opens another passage («گفت: "...») closes nothing
    text = ('سرمربی تیم گفت: "نمی‌دانم چه شد.\n\nبازیکنان خسته بودند.\n\nتیم فردا تمرین می‌کند.\n\n'
            'وزیر ورزش گفت: "همه چیز خوب است."')
    assert [q[1] for q in quotes(text)] == ["نمی‌دانم چه شد", "همه چیز خوب است"]


def test_openers_that_are_not_the_subject() -> None:
    text = "شایان ذکر است روز گذشته دکتر حسن نوری در همایش گفت: دانشجویان آماده‌اند."
    assert quotes(text)[0][2] == "حسن نوری"
    text = "بنابراین گزارش، مهدی کرمانی رئیس انجمن تصریح کرد: بازار آرام است."
    assert quotes(text)[0][2] == "مهدی کرمانی"
    # «نوشته» after «طبق همین» is the noun (the text), not a cue
    assert quotes("طبق همین نوشته شرکت امسال سود بیشتری خواهد داشت و کار ادامه دارد.") == []
    text = "باشگاه پیروزی لحظاتی پیش اعلام کرد که قرارداد مربی تمدید شد."
    assert quotes(text)[0][2] == "باشگاه پیروزی"


def test_a_title_opening_the_article_is_the_person_named_next() -> None:
    text = ("معاون وزیر نیرو گفت: سدها پر است.\n\n"
            "مصرف آب در تابستان بالا رفت.\n\n"
            "رحیمی افزود: باید صرفه‌جویی کرد.\n\n"
            "کریم رحیمی در پایان گفت: از مردم سپاسگزاریم.")
    assert [name for _, _, name in quotes(text)] == ["کریم رحیمی"] * 3


def test_a_title_with_a_parenthesised_honorific_is_the_same_title() -> None:
    text = ("مسئول ستاد بزرگداشت امام (ره) گفت: مراسم برگزار می‌شود.\n\n"
            "مصرف آب در تابستان بالا رفت.\n\n"
            "ناصر اکبری اظهار کرد: همه دعوت شده‌اند.\n\n"
            "مسئول ستاد بزرگداشت امام افزود: کار آغاز شده است.")
    assert [name for _, _, name in quotes(text)] == ["ناصر اکبری"] * 3


def test_surnames_first_part_and_two_people_with_one_surname() -> None:
    text = ("نادر فلاح‌زرندی استاندار گفت: سیل خسارت زد.\n\n"
            "فلاح افزود: کمک‌ها رسید.")
    assert [name for _, _, name in quotes(text)] == ["نادر فلاح‌زرندی"] * 2
    text = ("بهرام محمدی گفت: جلسه خوب بود.\n\n"
            "سعید محمدی عضو شورا اظهار کرد: طرح تصویب شد.\n\n"
            "محمدی افزود: اجرا از ماه آینده است.")
    assert [name for _, _, name in quotes(text)] == ["بهرام محمدی", "سعید محمدی", "سعید محمدی"]


def test_a_title_inside_a_quotation_is_not_its_speaker() -> None:
    text = "حسن ناصری گفت: رئیس قوه قضاییه گفته است که پرونده بررسی می‌شود و ما منتظریم."
    names = [name for _, _, name in quotes(text)]
    assert names[0] == "حسن ناصری" and "رئیس قوه قضاییه" in names


def test_a_statement_issued_by_an_organisation() -> None:
    text = "در بیانیه منتشره از سوی کاخ سفید آمده است: آمریکا به توافق پایبند است."
    assert quotes(text) == [("direct", "آمریکا به توافق پایبند است", "کاخ سفید")]


def test_names_in_quote_marks_after_a_title_or_a_generic_word() -> None:
    assert quotes("سناتور «جان براون» یکی از منتقدان گفت: طرح شکست خورد.")[0][2] == "جان براون"
    assert quotes("خبرگزاری روسی «صدای مسکو» نوشت که مذاکرات ادامه دارد.")[0][2] == "صدای مسکو"


def test_a_report_line_running_into_the_speakers_sentence() -> None:
    text = "به گزارش خبرنگار اجتماعی فارس رضا محمدی معاون وزیر در نشستی خبری گفت: طرح اجرا می‌شود."
    doc = PIPE(text)
    assert (doc.source.agency, doc.source.reporter) == ("فارس", "خبرنگار اجتماعی")
    assert doc.quotes[0].speaker.name == "رضا محمدی"


def test_plural_groups_with_a_list_and_more_honorifics_and_titles() -> None:
    assert quotes("متخصصین و پزشکان بیمارستان اعلام کردند که در مراسم شرکت می‌کنند.")[0][2] == \
        "متخصصین و پزشکان بیمارستان"
    text = "نادر امینی گفت: بودجه کم است.\n\nمخبر کمیسیون آموزش مجلس افزود: باید بیشتر شود."
    assert [name for _, _, name in quotes(text)] == ["نادر امینی"] * 2


def test_subjects_after_a_subordinate_clause_or_a_quoted_claim() -> None:
    text = "در حالی که گفته می‌شد ثبت‌نام بسته شده است، دانشگاه امروز اعلام کرد دانشجویان تا آخر ماه فرصت دارند."
    assert quotes(text) == [("indirect", "دانشجویان تا آخر ماه فرصت دارند", "دانشگاه")]
    text = ("رضا کاظمی گفت: کار خوب پیش می‌رود.\n\n"
            "«مدیر قصد استعفا داشت»، مشاور وزیر در واکنش به این خبر گفت: چنین چیزی درست نیست.")
    assert [name for _, _, name in quotes(text)] == ["رضا کاظمی"] * 2
    text = ("امید کریمی گفت: بازی سخت بود.\n\n"
            "وقتی از او درباره آینده‌اش پرسیدند پاسخ داد: هنوز تصمیم نگرفته‌ام.")
    assert [name for _, _, name in quotes(text)] == ["امید کریمی"] * 2


def test_a_cue_inside_a_circumstantial_ke_clause() -> None:
    text = "مسابقه در حالی تمام شد که هواداران تیم میزبان فریاد می‌زدند: «ما قهرمانیم.»"
    assert quotes(text) == [("direct", "ما قهرمانیم", "هواداران تیم میزبان")]
    # «در حالی اعلام کرد که ...»: the که-clause is a circumstance, not what was said
    assert quotes("وزیر در حالی اعلام کرد که هیچ برنامه‌ای برای این کار ندارد و جلسه تمام شد.") == []


def test_ba_takid_bar_in_nokte_ke_and_a_document_continued() -> None:
    text = "وی با تأکید بر این نکته که بودجه امسال کافی نیست، ادامه داد: باید صرفه‌جویی کنیم."
    assert [kind for kind, _, _ in quotes(text)] == ["indirect", "direct"]
    text = ("در پیام علی رضوی آمده است: امروز روز بزرگی است.\n\n"
            "در ادامه پیام ضمن اعلام برنامه‌های هفته آمده است: همه دعوت هستند.")
    assert [name for _, _, name in quotes(text)] == ["علی رضوی"] * 2


def test_batch_nine_causes() -> None:
    # «اما در همین حال X ... اظهار داشت که»: the subject after «اما» and an opening phrase
    text = "اما در همین حال مریم صادقی رئیس انجمن اظهار داشت که برنامه‌ها تغییری نمی‌کند."
    assert quotes(text)[0][2] == "مریم صادقی"
    # a headline in a list opening with a bullet
    assert quotes("-\tپزشکان شهر به وزارت توصیه کرده‌اند ساعت کار را کم کند")[0][2] == "پزشکان شهر"
    # an outlet whose name has an adjective that is also a given name («شورای اسلامی»)
    doc = PIPE("به گزارش خبرگزاری فارس به نقل از روابط عمومی شورای اسلامی شهر کرج، «مینا رضایی» عضو شورا گفت: "
               "جلسه برگزار شد.")
    assert doc.source.cited == ["روابط عمومی شورای اسلامی شهر کرج"]
    assert doc.quotes[0].speaker.name == "مینا رضایی"


def test_a_pronoun_at_the_top_means_the_person_named_just_before() -> None:
    text = ("به گزارش خبرگزاری فارس، علی نادری امروز از کارخانه دیدن کرد و با کارگران گفت‌وگو کرد.\n\n"
            "وی در جمع کارگران اظهار داشت: امیدوارم کارها بهتر شود.")
    assert quotes(text)[0][2] == "علی نادری"


def test_batch_ten_causes() -> None:
    # a medium speaks without its generic word
    assert quotes("رادیو صدای شهر گفت: قیمت‌ها ثابت می‌ماند.")[0][2] == "صدای شهر"
    # a headline «X گزارش داد/ ...» is no bare clause
    assert quotes("روزنامه فردا گزارش داد/ طرح تازه شهرداری برای ترافیک اجرا می‌شود") == []
    # a pronoun subject with a question inside the sentence: the «اما» of the question is not the subject's
    text = ("نادر کرمی گفت: بازی خوب بود.\n\n"
            "وی در پاسخ به این سوال که مربیان حضور داشتند اما تیم نتیجه نگرفت عنوان کرد: باید صبر کرد.")
    assert [name for _, _, name in quotes(text)] == ["نادر کرمی"] * 2
    # «مسوول» spelled without hamza is a title
    text = ("رضا امینی گفت: کمک‌ها جمع شد.\n\n"
            "مسوول بنیاد نیکوکاری شهر افزود: همه کمک کردند.")
    assert [name for _, _, name in quotes(text)] == ["رضا امینی"] * 2
    # «با عنوان اینکه X اظهار کرد: Y»
    text = "وی با عنوان اینکه برنامه او مبارزه با فساد است اظهار کرد: باید شفاف بود."
    assert [kind for kind, _, _ in quotes(text)] == ["indirect", "direct"]
    # a generic word closing a phrase before the cue is no subject; «هیچ منبعی» is no source
    assert quotes("حسن نیک در واکنش به این شایعات گفت: چنین نیست.")[0][2] == "حسن نیک"
    assert quotes("با وجود اینکه هیچ منبعی این خبر را تایید نکرده در شهر دست به دست می‌شود.") == []
    assert quotes("منابع مطلع اعلام می‌کنند که این وضع دو روز دیگر ادامه می‌یابد.") == []
    text = "رضا کامیاب با بیان اینکه هیچ مشکلی نداریم، تصریح کرد: کار ادامه دارد."
    assert quotes(text)[-1] == ("direct", "کار ادامه دارد", "رضا کامیاب")


def test_an_unnamed_person_keeps_the_description() -> None:
    text = ("این مربی جوان در گفتگو با خبرنگار گفت: «از تیم جدا شدم.\n\n"
            "از همه تشکر می‌کنم.»")
    assert [name for _, _, name in quotes(text)] == ["مربی جوان"] * 2


def _with_entities(text: str, ents: list[tuple[str, str] | tuple[str, str, int]]) -> list[str | None]:
    """The speakers' names with hand-placed entities (surface string, label[, occurrence, 0 = the first])."""
    return [q.speaker.name for q in with_entities(text, ents).quotes]


def test_entities_that_cover_part_of_a_word_do_not_name_the_speaker() -> None:
    text = ("مهدی ایران‌نژاد مدیرکل ورزش استان گفت: سالن افتتاح شد.\n\n"
            "ایران‌نژاد افزود: بودجه رسید.\n\n"
            "مدیرکل ورزش استان تصریح کرد: کار ادامه دارد.")
    expected = ["مهدی ایران‌نژاد"] * 3
    assert _with_entities(text, []) == expected
    # the tagger saw «ایران» (a LOC) in «ایران‌نژاد» and a PER only in the half of the surname
    assert _with_entities(text, [("ایران", "LOC", 1)]) == expected
    assert _with_entities(text, [("مهدی ایران", "PER"), ("ایران", "LOC", 1)]) == expected


def test_a_partial_person_span_is_widened_to_the_name_run() -> None:
    text = ("ژان کلود بومان به تیم پیوست.\n\n"
            "بومان گفت: آماده‌ایم.")
    assert _with_entities(text, [("کلود بومان", "PER")]) == ["ژان کلود بومان"]
    # a name the tagger cut in two pieces is one name
    text = "میر جواد رضوی رئیس انجمن گفت: جلسه برگزار شد.\n\nوی افزود: همه آمدند."
    assert _with_entities(text, [("میر", "PER"), ("جواد رضوی", "PER")]) == ["میر جواد رضوی"] * 2


def test_a_person_span_that_took_in_the_word_before_the_name() -> None:
    text = ("امام‌جمعه کرمان حسن نوری گفت: نماز برپاست.\n\n"
            "حسن نوری افزود: مردم آمدند.\n\n"
            "نوری در پایان گفت: سپاس.")
    assert _with_entities(text, [("کرمان حسن نوری", "PER")]) == ["حسن نوری"] * 3


def test_a_surname_is_not_the_tail_of_another_persons_compound_surname() -> None:
    text = ("حسن ابراهیم‌کریمی به جلسه آمد.\n\n"
            "کریمی گفت: جلسه خوب بود.")
    assert _with_entities(text, [("حسن ابراهیم‌کریمی", "PER")]) == ["کریمی"]
    assert _with_entities(text, []) == ["کریمی"]


def test_a_person_named_inside_a_quotation_is_not_the_speakers_full_name() -> None:
    text = "کاظمی پس از تمرین گفت: تیمی که رضا کاظمی می‌سازد فقط به قهرمانی فکر می‌کند."
    assert _with_entities(text, [("رضا کاظمی", "PER")]) == ["کاظمی"]
    # the same name outside any quotation completes the surname
    text = "رضا کاظمی به تمرین آمد.\n\nکاظمی پس از تمرین گفت: ما قهرمان می‌شویم."
    assert _with_entities(text, [("رضا کاظمی", "PER")]) == ["رضا کاظمی"]


def test_entities_only_lengthen_the_name_the_syntax_gives() -> None:
    from khabar.attribution.step import _agrees

    assert _agrees("اوبامیانگ", "پیر امریک اوبامیانگ")  # a fuller form of the same name
    assert _agrees(None, "علی کریمی")  # a name where the syntax has none
    assert _agrees("علی کریمی", "علی کریمی")
    assert not _agrees("محمدحسن اکبری مطلق", "محمدحسن اکبری")  # the tagger cut the surname
    assert not _agrees("علی کریمی", "علی کریمی سرمربی")  # the tagger took in a title
    assert not _agrees("وین رونی", "وین")
    assert not _agrees("علی کریمی", None)


def test_a_person_span_that_ran_into_the_object_before_ra() -> None:
    text = ("کاوه حسینی رئیس انجمن صنفی نانوایان گفت: آرد کم است.\n\n"
            "کاوه حسینی نانوایان را ستون اقتصاد شهر دانست و افزود: باید کمک کرد.\n\n"
            "رئیس انجمن صنفی نانوایان تصریح کرد: قیمت ثابت می‌ماند.")
    expected = ["کاوه حسینی"] * 3
    assert _with_entities(text, []) == expected
    # the tagger took the object «نانوایان» (before «را») into the name
    assert _with_entities(text, [("کاوه حسینی", "PER"), ("کاوه حسینی نانوایان", "PER")]) == expected
    # without entities, an object before «را» is cut from a name given nowhere else
    assert quotes("مینا صدری کارگران را قهرمان دانست و گفت: سپاسگزاریم.")[0][2] == "مینا صدری"


def test_an_organisation_span_holding_a_title_or_a_person_is_not_the_speaker() -> None:
    text = "سخنگوی وزارت خارجه روسیه گفت: مذاکره ادامه دارد."
    assert _with_entities(text, [("سخنگوی وزارت خارجه روسیه", "ORG")]) == ["سخنگوی وزارت خارجه روسیه"]
    text = "مریم زارعی سخنگوی شورا گفت: جلسه لغو شد."
    assert _with_entities(text, [("مریم زارعی سخنگوی شورا", "ORG")]) == ["مریم زارعی"]
    # an organisation speaking for itself keeps its entity
    text = "فیفا در بیانیه‌ای اعلام کرد که جام جهانی به تعویق نمی‌افتد."
    assert _with_entities(text, [("فیفا", "ORG")]) == ["فیفا"]


def test_entities_link_and_name_the_speaker() -> None:
    doc = PIPE("به گزارش ایسنا، خبرنگار ورزشی گفت: لیگ تعطیل نمی‌شود.")  # no entities: the title stands
    assert doc.quotes[0].speaker.entity is None
    text = "مسعود شجاعی کاپیتان تیم ملی گفت: آماده‌ایم.\n\nوی افزود: تماشاگران بیایند."
    doc = Pipeline(["normalize", "segment"])(text)
    start = doc.text.index("مسعود")
    doc.entities = [Entity(0, 0, "LOC"), Entity(start, start + len("مسعود شجاعی"), "PER")]
    from khabar.attribution.step import attribution_step

    attribution_step(doc)
    assert [(q.speaker.name, q.speaker.entity) for q in doc.quotes] == [("مسعود شجاعی", 1), ("مسعود شجاعی", 1)]


# -- the source line ------------------------------------------------------------------

@pytest.mark.parametrize("line,agency,reporter,cited", [
    ("به گزارش خبرنگار ورزشی خبرگزاری فارس از قم، تیم صعود کرد.", "فارس", "خبرنگار ورزشی", []),
    ("به گزارش آران نیوز: به نقل از وستنیک قفقاز، جلسه برگزار شد.", "آران نیوز", None, ["وستنیک قفقاز"]),
    ('به گزارش "ورزش سه" و به نقل از تسنیم، بازی لغو شد.', "ورزش سه", None, ["تسنیم"]),
    ("به گزارش گروه بین‌الملل خبرگزاری فارس، اجلاس آغاز شد.", "فارس", None, []),
    ("به نقل از روابط عمومی شهرداری، خیابان بسته شد.", None, None, ["روابط عمومی شهرداری"]),
    ('به گزارش "ورزش سه" و به نقل از فارس روزنامه آبولا نوشت تیم برد.', "ورزش سه", None, ["فارس"]),
    ("به گزارش خبرگزاری فرانسه از مقر سازمان ملل، شورا رای داد.", "فرانسه", None, []),
    ("به گزارش خبرگزاری فارس به نقل از روابط عمومی اداره میراث فرهنگی، گردشگری و صنایع‌دستی استان، موزه باز شد.",
     "فارس", None, ["روابط عمومی اداره میراث فرهنگی، گردشگری و صنایع‌دستی استان"]),
    ("خبرگزاری فارس؛ یادداشت میهمان: انتخابات مهم است.", "فارس", None, []),
    ("تیم ملی امروز تمرین کرد.", None, None, []),
    # a comma before «در»/«از» ends the name even with a «و» after it; a known outlet after «خبرگزاری» ends it
    ("به گزارش خبرگزاری فارس، در حساس‌ترین و مهم‌ترین پیکار این هفته دو تیم به هم رسیدند.", "فارس", None, []),
    ("به گزارش خبرگزاری فارس مقرر بود که هفته گذشته اعضا جلسه داشته باشند.", "فارس", None, []),
    # one word or a known outlet ends at its comma, a «و» after it notwithstanding (a list needs a longer name)
    ("به گزارش خبرگزاری مهر، تهران و اصفهان بازی کردند.", "مهر", None, []),
    ("به گزارش ایلنا، مرحله چهارم و پنجم لغو شد.", "ایلنا", None, []),
    # a dateline names the agency; an outlet a source line after it names is cited
    ("تهران- ایرنا- وزیر امور خارجه گفت که مذاکرات ادامه دارد.", "ایرنا", None, []),
    ("عنوان خبر\nمشهد - ایسنا - باران سیل‌آسا آمد.", "ایسنا", None, []),
    ("تهران (پانا) - وزیر آموزش گفت که مدارس باز است.", "پانا", None, []),
    ("تهران- ایرنا- به گزارش روزنامه شرق، وزیر گفت که می‌آید.", "ایرنا", None, ["روزنامه شرق"]),
    ("تهران- ایرنا- به گزارش خبرنگار اقتصادی ایرنا، قیمت‌ها ثابت ماند.", "ایرنا", "خبرنگار اقتصادی", []),
    # ... not a title's pair, a list of names, or dashes after the source line
    ("ایران - آمریکا: جنگ لفظی ادامه دارد.", None, None, []),
    ("داوران بازی\nعلی رضایی- حسن احمدی- رضا کریمی- سعید شمس", None, None, []),
    ("به گزارش ایسنا، برنامه بازی‌ها:\nتهران - تبریز - ساعت ۱۸ در ورزشگاه آزادی", "ایسنا", None, []),
])
def test_source_line(line: str, agency: str | None, reporter: str | None, cited: list[str]) -> None:
    source, _ = find_source(line)
    assert (source.agency, source.reporter, source.cited) == (agency, reporter, cited)


@pytest.mark.parametrize("office", ["روابط عمومی اداره کل ورزش، جوانان و تربیت بدنی استان گیلان",
                                    "روابط عمومی اداره کل فرهنگ و هنر شهر کرج"])
def test_an_office_without_a_comma_runs_to_the_person_named_before_the_cue(office: str) -> None:
    # a comma inside a list («ورزش، جوانان و ...») and «و» inside the name do not end it; the person does
    doc = PIPE(f"به گزارش خبرگزاری مهر به نقل از {office} مهدی نوروزی گفت: مسابقات هفته آینده آغاز می‌شود.\n\n"
               "وی افزود: تماشاگران می‌توانند بیایند.")
    assert doc.source.agency == "مهر"
    assert [c.replace("\u200c", " ") for c in doc.source.cited] == [office]
    assert [q.speaker.name for q in doc.quotes] == ["مهدی نوروزی"] * 2


def test_the_source_line_is_not_a_quotation() -> None:
    doc = PIPE("به گزارش خبرگزاری فارس، رئیس پلیس گفت: جاده‌ها امن است.")
    assert doc.source is not None and doc.source.agency == "فارس"
    assert [doc.text[q.content.start:q.content.end] for q in doc.quotes] == ["جاده‌ها امن است"]


# -- the lexicon ------------------------------------------------------------------------

def test_cue_lexicon_is_learned_and_covers_tenses() -> None:
    cues = load_cues()
    assert len(cues) >= 50 and any(c.origin.startswith("mined") for c in cues)
    text = "گفت نگفتند می‌گوید میگویند گفته‌اند گفته بود خواهد گفت تصریح کرده است اظهار می‌دارد معتقدیم"
    assert len(find_cues(text)) == 10


# -- properties and JSON ------------------------------------------------------------------

WORDS = ["گفت", ":", "که", "«", "»", "وی", "افزود", "به", "گفته", "،", ".", "علی", "با", "بیان", "اینکه",
         "تأکید", "کرد", "خبر", "داد", "است", "\n\n", "معتقد", "مردم", "کار"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_spans_are_inside_the_text_and_trimmed(words: list[str]) -> None:
    text = " ".join(words)
    doc = PIPE(text)
    before = doc.text
    for q in doc.quotes:
        assert 0 <= q.content.start < q.content.end <= len(doc.text)
        content = doc.text[q.content.start:q.content.end]
        assert content == content.strip() and content[-1] not in ".،؛:»"
        assert "\n" not in content
        assert q.kind in ("direct", "indirect")
    assert doc.text == before
    json.dumps(doc.to_dict(), ensure_ascii=False)


def test_json_round_trip_keeps_quotes_and_source() -> None:
    doc = PIPE("به گزارش ایسنا، زهرا نادری گفت: کتاب منتشر شد.")
    again = Document.from_dict(doc.to_dict())
    assert again.quotes == doc.quotes and again.source == doc.source


# -- batch 11 causes (written for these tests) ----------------------------------------------

def test_a_speech_act_with_dashtan_needs_mi_in_the_present() -> None:
    # «عنوان دارد» is "is titled", not "states": only states (belief) drop «می»
    assert quotes("این کتاب عنوان دارد که خواننده را جذب می‌کند.") == []


def test_gozaresh_kard_reports_and_a_named_source_inside_it_is_a_quotation_of_its_own() -> None:
    text = "خبرگزاری رویترز در این خصوص گزارش کرد، وزارت نفت عراق امروز اعلام کرد که صادرات افزایش یافته است."
    found = quotes(text)
    assert [(k, n) for k, _, n in found] == [("indirect", "خبرگزاری رویترز"), ("indirect", "وزارت نفت عراق")]
    assert found[1][1] == "صادرات افزایش یافته است"
    assert quotes("پلیس راه این حادثه را گزارش کرد.") == []


def test_a_person_entity_running_out_of_the_source_line_starts_after_it() -> None:
    # the tagger's PER span swallows the cited outlet: the speaker's name must not take the outlet's words
    from khabar.attribution.step import attribution_step

    # (a two-word outlet the half-space model keeps apart: «یونایتد پرس» may be written solid, and a one-word
    # outlet without a comma takes the next word with it, see docs/benchmarks.md, Attribution, what is left)
    doc = PIPE("به گزارش ایسنا به نقل از نیویورک تایمز تاکسین شیناوات در نشست خبری گفت: مذاکرات ادامه دارد.")
    start = doc.text.index("نیویورک تایمز")
    doc.entities = [Entity(start, doc.text.index("شیناوات") + len("شیناوات"), "PER")]
    [q] = attribution_step(doc).quotes
    assert q.speaker.name is not None and "نیویورک" not in q.speaker.name and "تایمز" not in q.speaker.name
    assert "شیناوات" in q.speaker.name


def test_quote_marks_right_after_the_cue_hold_the_quotation_inside_a_longer_sentence() -> None:
    text = "مینا کاظمی که عقیده دارد \"کار گروهی مهم‌تر است\" تیم را عوض کرد."
    assert quotes(text) == [("direct", "کار گروهی مهم‌تر است", "مینا کاظمی")]
    # after a colon a quoted name still opens a longer quotation
    [(_, content, _)] = quotes("وی افزود: «ژاوی» بهترین بازیکن فصل بود.")
    assert content == "«ژاوی» بهترین بازیکن فصل بود"


def test_document_cue_in_the_past_perfect_and_with_quote_marks() -> None:
    for cue in ("آمده بود", "آمده است"):
        found = quotes(f"در این بیانیه {cue} «نیروهای ما سه پایگاه را تصرف کرده‌اند».")
        assert [(k, c) for k, c, _ in found] == [("direct", "نیروهای ما سه پایگاه را تصرف کرده‌اند")]


def test_this_statement_speaks_for_who_issued_it_earlier() -> None:
    text = ("به گزارش ایرنا، سخنگوی دولت گفت: مذاکرات ادامه دارد.\n\n"
            "عصر امروز، وزارت نفت عراق در بیانیه‌ای از افزایش صادرات خبر داده بود.\n\n"
            "در این بیانیه با اشاره به بازار آمده بود «صادرات ما سه برابر شده است».")
    assert quotes(text)[1] == ("direct", "صادرات ما سه برابر شده است", "وزارت نفت عراق")


def test_a_medium_the_article_never_names_keeps_its_description() -> None:
    assert quotes("به گزارش ایسنا، این نشریه در ادامه افزود: قیمت نفت بالا می‌رود.") == [
        ("direct", "قیمت نفت بالا می‌رود", "نشریه")]


def test_a_missing_full_stop_before_a_new_sentence_opener() -> None:
    text = ("به گزارش ایرنا، استاندار فارس گفت: گردشگری رونق دارد.\n\n"
            "مدیرکل فرهنگ استان نیز تصریح کرد: کتابخانه‌ها در بخش‌های آموزشی، جهانگردی، و کاریابی در این "
            "نمایشگاه حضور یافته است در ادامه این مراسم رئیس صنایع استان گفت: دولت مصمم است که بیکاری را رفع کند.")
    found = quotes(text)
    assert found[1][1].endswith("در این نمایشگاه حضور یافته است")
    assert found[2] == ("direct", "دولت مصمم است که بیکاری را رفع کند", "رئیس صنایع استان")


def test_a_title_followed_by_a_name_that_goes_on_is_that_name() -> None:
    text = ("به گزارش ایرنا، استاندار فارس گفت: گردشگری رونق دارد.\n\n"
            "رئیس اتحادیه هتلداران استان نیز گفت: هتل‌ها پر است.\n\n"
            "کرمانی افزود: باید هتل تازه ساخت.\n\n"
            "مدیرکل راه استان نیز گفت: جاده‌ها آماده است.\n\n"
            "حسن نادری خاطرنشان کرد: فرودگاه توسعه می‌یابد.")
    names = [n for _, _, n in quotes(text)]
    assert names[1] == names[2] == "کرمانی"  # «افزود»: the same speaker goes on
    assert names[3] == "مدیرکل راه استان" and names[4] == "حسن نادری"  # a new speaker: the title stays


def test_batch_twelve_causes() -> None:
    # «ولی فقیه» in a title is not «but»: the title goes on to the person named before
    text = ("به گزارش ایرنا، حسن موسوی امام جمعه شهر گفت: مردم آمدند.\n\n"
            "نماینده ولی فقیه در استان خاطرنشان کرد: باید کار کرد.")
    assert [n for _, _, n in quotes(text)] == ["حسن موسوی"] * 2
    assert quotes("بازیکنان آمدند ولی مربی تیم گفت: خسته‌ایم.")[0][2] == "مربی تیم"  # «ولی» = but
    # «ئ» and «ی» spell one name
    text = "ایمون زاید پس از بازی گفت: خسته‌ایم.\n\nزائد افزود: بازی بعدی را می‌بریم."
    assert [n for _, _, n in quotes(text)] == ["ایمون زاید"] * 2
    # a word ending in «با» or «به» before the cue is no «به گفته»-like noun use
    assert quotes("پوگبا گفت: من آماده‌ام.") == [("direct", "من آماده‌ام", "پوگبا")]
    assert len(quotes("فیفا روز پنج‌شنبه اعلام کرد که قوانین نقل و انتقالات موقتاً تغییر می‌کند.")) == 1
    # a relative clause on the subject closed by a comma right before the cue, then a bare clause after a comma
    text = "«حمید نوری» که پس از دیدار با وزیر به تهران بازگشت، اعلام کرد، دولت باید بودجه را افزایش دهد."
    assert quotes(text) == [("indirect", "دولت باید بودجه را افزایش دهد", "حمید نوری")]
    text = "حمید نوری که در گفت و گو با خبرنگار ما، سخن می‌گفت، اظهار داشت: بودجه کم است."
    assert quotes(text) == [("direct", "بودجه کم است", "حمید نوری")]
    # «خواسته»: a request after «از X», a noun otherwise
    assert quotes("- استفاده از بازیکنان بومی خواسته مهم هیئت از باشگاه") == []
    assert quotes("دادگاه از سازمان ثبت اسناد خواسته سفارت را توقیف کند.")[0][1] == "سفارت را توقیف کند"
    # a title word that is also a surname («قاضی») inside a name
    assert quotes("سعید قاضی مغربی رئیس دانشگاه گفت: کلاس‌ها برگزار شد.")[0][2] == "سعید قاضی مغربی"
    # «در پایان این نشست» opens the sentence; the subject follows it
    assert quotes("در پایان این نشست جعفری مدیر رسانه‌ای باشگاه گفت که تمرین لغو شد.")[0][2] == "جعفری"


def test_a_word_opening_a_sentence_that_the_article_uses_alone_is_no_given_name() -> None:
    text = "تجمع بکری به تیم پیوست.\n\nبکری گفت: خوشحالیم.\n\nدر تجمع امروز صد نفر بودند."
    assert quotes(text)[0][2] == "بکری"
    text = "ژوزه بکری به تیم پیوست.\n\nبکری گفت: خوشحالیم."
    assert quotes(text)[0][2] == "ژوزه بکری"


def test_a_cited_outlet_without_a_comma_keeps_its_adjectives() -> None:
    src, _ = find_source("به گزارش خبرگزاری فارس به نقل از ستاد خبری حوزه هنری این فیلم محصول سال ۲۰۰۴ است.")
    assert (src.agency, src.cited) == ("فارس", ["ستاد خبری حوزه هنری"])


def test_batch_thirteen_and_fourteen_causes() -> None:
    # a title ending in «ون» (معاون) with «و» inside is one person, not a plural group
    text = ("به گزارش ایرنا، مهدی کاظمی گفت: بازار آرام است.\n\n"
            "معاون سیاسی و امنیتی فرماندار تصریح کرد: نظارت ادامه دارد.")
    assert [n for _, _, n in quotes(text)] == ["مهدی کاظمی"] * 2
    # a name in quote marks opening the mention, then titles joined by «و»
    text = "«رضا حسین‌زاده» متخصص ارتباطات و مشاور خانواده گفت: تلویزیون خسته است."
    assert quotes(text)[0][2] == "رضا حسین‌زاده"
    # an honorific glued with a half-space to a word that is no given name is part of a surname
    text = "رضا حسین‌زاده گفت: تلویزیون خسته است.\n\nعلامه‌زاده اضافه کرد: رادیو هم خسته است."
    assert quotes(text)[1][2] == "علامه‌زاده"
    # «یکی از X» is an unnamed member of X; «یکی از منابع» is no source
    assert quotes("یکی از شهروندان اردبیلی گفت: قیمت مرغ بالاست.")[0][2] == "شهروندان اردبیلی"
    assert quotes("یکی از منابع آگاه گفت: قرارداد امضا شد.") == []
    # «خاطرنشان می‌شود» and «در این مراسم» open the sentence
    text = "خاطرنشان می‌شود، در این مراسم فرمانده سپاه استان گفت: برنامه آماده است."
    assert quotes(text)[0][2] == "فرمانده سپاه استان"
    # phrases before the subject: «بلافاصله پس از ...،» and a «در» phrase before a name in quote marks
    assert quotes("بلافاصله پس از انتشار خبر، هادی نادری گفت: خبر درست نیست.")[0][2] == "هادی نادری"
    text = "در ادامه پیگیری موضوع، «محمد امینی» نایب رئیس سازمان اظهار کرد: قرارداد بسته شد."
    assert quotes(text)[0][2] == "محمد امینی"
    # ... but not a comma inside a title's list, nor one after a name and before its title
    text = "در این مراسم سرپرست اداره کل میراث فرهنگی، گردشگری و صنایع‌دستی استان گفت: موزه باز شد."
    assert quotes(text)[0][2] == "سرپرست اداره کل میراث فرهنگی، گردشگری و صنایع‌دستی استان"
    # a finite verb before «که», then a name: the subject of the cue follows the «که»
    text = "موضوع را از دادگستری پیگیر شدیم که «مسعود کریمی» معاون دادگستری تاکید کرد: پرونده باز است."
    assert quotes(text)[0][2] == "مسعود کریمی"
    # a generic word two words after its preposition is no subject
    text = "رضا نادری رئیس دپارتمان داوری درباره اعتراض‌های برخی تیم‌ها بیان کرد: داوران خوب بودند."
    assert quotes(text)[0][1] == "داوران خوب بودند"
    # «با بیان این مطلب ... گفت»: a noun phrase, no clause
    assert [k for k, _, _ in quotes("رضا نادری با بیان این مطلب در جلسه گفت: کار ادامه دارد.")] == ["direct"]


def test_an_indirect_quotation_stops_before_but_and_another_subjects_cue() -> None:
    text = ("سایت «خبر» نوشته است که علت بازداشت اعتراض بوده است اما دادستانی کشور پس از بازداشت آنان، "
            "اعلام کرد که آنان معترض قبض برق بوده‌اند.")
    assert quotes(text) == [("indirect", "علت بازداشت اعتراض بوده است", "خبر"),
                            ("indirect", "آنان معترض قبض برق بوده‌اند", "دادستانی کشور")]


def test_must_be_said_is_impersonal() -> None:
    assert quotes("کورتوف ادامه داد که چین رقیب دارد.\n\nولی باید گفت که چین یک تمدن است.") == [
        ("indirect", "چین رقیب دارد", "کورتوف")]
    assert quotes("باید اذعان کرد که سیاست چین متفاوت است.") == []


def test_cue_lexicon_rows_come_from_the_build_and_compiling_changes_no_table() -> None:
    from khabar.attribution import cues

    heads = {(c.head, c.past) for c in load_cues()}
    assert ("گزارش", "کرد") in heads and ("عقیده", "داشت") in heads  # training/build_cues.py ADD, not cues.py
    before = dict(cues.LIGHT_PRESENT)
    cues.cue_regex.cache_clear()
    cues.cue_regex()
    assert cues.LIGHT_PRESENT == before
    assert [c.lemma for c in find_cues("وی تصریح نمود: بله.")] == ["تصریح کرد"]


def test_a_noun_that_looks_like_a_cue_and_an_organisation_after_a_ke_clause() -> None:
    # «پنداشت مثبت دارد که ...»: the noun (perception), no cue
    assert quotes("جامعه نسبت به این حادثه پنداشت مثبت دارد که اگر خبر بد برسد خشمگین می‌شود.") == []
    text = ("سوالات تا آنجا ادامه پیدا کرد که پس از انتشار این اخبار، دادگستری استان با انتشار خبری "
            "اعلام کرد کیفرخواست پرونده صادر شده است.")
    assert quotes(text) == [("indirect", "کیفرخواست پرونده صادر شده است", "دادگستری استان")]


def test_a_time_of_day_and_a_place_after_the_agency_are_no_subject() -> None:
    text = "به گزارش خبرگزاری فارس از بندرعباس، صبح امروز علی‌اصغر خرم‌روی اظهار داشت: مرزها امن است."
    assert quotes(text)[0][2] == "علی‌اصغر خرم‌روی"
    text = "بامداد جمعه روزنامه «گاردین» مدعی شده بود دولت محموله را توقیف کرده است."
    assert quotes(text)[0][2] == "گاردین"
    text = "به گزارش خبرنگار خبرگزاری فارس از کرمان محمد نیازی در جمع مدیران استان گفت: حادثه تلخ بود."
    src, _ = find_source(text)
    assert src.agency == "فارس" and quotes(text)[0][2] == "محمد نیازی"
    # a first-person subject is no source (an interview answer, or the quoted speaker himself)
    assert quotes("من گفتم که باید صبر کنیم.") == []
    text = 'رضا نادری گفت: "ما قهرمان می‌شویم. من با بازیکنان که حرف زدم گفتند آماده‌اند."'
    assert [n for _, _, n in quotes(text)] == ["رضا نادری"]
    assert quotes("گویا علی کریمی گفته است که جدا می‌شود.")[0][2] == "علی کریمی"
    # «حال» / «حالا» (now) open a sentence; they are no given names
    assert quotes("حال لاورن مدعی شد که صلاح آماده است.")[0][2] == "لاورن"
    assert quotes("حالا زلاتکو دالیچ گفت: ما آماده‌ایم.")[0][2] == "زلاتکو دالیچ"
    # a «but» inside a «با بیان اینکه» clause is no clause of the main cue's subject
    text = ("رضا نادری به جلسه آمد.\n\nاین نماینده با بیان اینکه برخی به انتخابات راه یافتند اما امروز منتقد "
            "هستند، خاطرنشان کرد: مردم هوشیارند.")
    assert quotes(text)[-1][2] == "رضا نادری"


def test_source_lines_of_batches_thirteen_and_fourteen() -> None:
    # the agency's provincial office is a place; a time «30:9» ends no name; «خبرگزاری» before the name
    src, _ = find_source("به گزارش گروه اجتماعی خبرگزاری فارس استان تهران به نقل از روابط عمومی شهرداری، علی گفت.")
    assert (src.agency, src.cited) == ("فارس", ["روابط عمومی شهرداری"])
    src, _ = find_source("به گزارش خبرگزاری فارس صبح امروز ساعت 30:9 پیکر شاعر تشییع شد.")
    assert src.agency == "فارس"
    src, _ = find_source("به گزارش خبرنگار سیاسی خبرگزاری فارس برات قنبری در همایش احزاب تصریح کرد: بحث مخابرات طرح شد.")
    assert (src.agency, src.reporter) == ("فارس", "خبرنگار سیاسی")


# -- the shared example and the dev set ---------------------------------------------------

@pytest.mark.parametrize("steps", [None, ["normalize", "segment", "attribution"]])
def test_shared_example(shared_example, steps: list[str] | None) -> None:
    import khabar

    doc = khabar.analyze(shared_example.read_text(encoding="utf-8"), steps=steps)  # None: the default pipeline
    names = {q.speaker.name for q in doc.quotes}
    assert len(doc.quotes) >= 10
    assert names <= {"گریگوری کاراسین", "سخنگوی معاون وزیر امور خارجه روسیه"}
    assert "گریگوری کاراسین" in names
    assert doc.source is not None
    assert (doc.source.agency, doc.source.cited) == ("آران نیوز", ["وستنیک قفقاز"])


def test_a_topic_clause_between_the_subject_and_the_cue_keeps_the_subject() -> None:
    # «درباره / در خصوص اینکه ...» after the subject: its «اما» opens no clause of the subject
    text = ("پرویز کاظمی مدیرعامل باشگاه آبی‌رنگ گفت: بدهی زیاد است.\n\nمدیرعامل باشگاه آبی‌رنگ در خصوص اینکه هواداران مدت‌هاست "
            "منتظر هستند اما همیشه وعده شنیده‌اند، عنوان کرد: ما بدهی‌ها را می‌پردازیم.")
    assert quotes(text)[-1][2] == "پرویز کاظمی"
    text = ("سعید رحمانی سرپرست تیم گفت: تمرین خوب بود.\n\nسرپرست تیم درباره اینکه کاپیتان جلسه را ترک کرد و اما مربی قبول نکرد، "
            "تنها به یک جمله بسنده کرد و گفت: به او گفتم بماند.")
    assert quotes(text)[-1][2] == "سعید رحمانی"
    # a «but» before the subject still gives the subject of the last clause
    assert quotes("تیم خوب بازی کرد اما مهدی نوری گفت: داوری ضعیف بود.")[0][2] == "مهدی نوری"


def test_an_organisations_public_relations_speaks_with_its_whole_name() -> None:
    text = "روابط عمومی باشگاه ملوان با انتشار نامه‌ای اعلام کرد که بازیکن جدید مجوز دارد."
    assert quotes(text)[0][2] == "روابط عمومی باشگاه ملوان"


def test_interview_questions_and_the_noun_khast_are_no_quotations() -> None:
    # second person: the interviewer's question («شما می‌گویید ...؟»، «گفتید ...»، «فکر می‌کنید ...»)
    assert quotes("یعنی شما می‌گویید بازیکنان حقوق نگرفته‌اند؟") == []
    assert quotes("اما شما گفتید قرارداد مثل یک وعده است؟") == []
    assert quotes("فکر می‌کنید تیم به فینال برسد؟") == []
    # «خواست خدا بود»: "God's will", a noun before a copula
    assert quotes("خواست خدا بود که در بازی آخر نیمکت‌نشین باشم.") == []
    assert quotes("خواست مردم این است که تیم بماند.") == []
    # the verb still reports a request, and a third person's «می‌گوید» is no question
    assert quotes("مربی از بازیکنان خواست که تمرین را جدی بگیرند.")[0][2] == "مربی"
    assert quotes("علی نوری می‌گوید تیم آماده است.")[0][2] == "علی نوری"


def test_a_known_outlet_without_a_comma_ends_before_the_person() -> None:
    text = "به گزارش ایسنا به نقل از رویترز کامران یزدی در نشست خبری گفت: دولت کنار نمی‌رود."
    src, _ = find_source(text)
    assert (src.agency, src.cited) == ("ایسنا", ["رویترز"])
    assert quotes(text)[0][2] == "کامران یزدی"


def test_outlets_are_learned_from_names_closed_by_a_comma() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "training" / "build_outlets.py"
    spec = importlib.util.spec_from_file_location("build_outlets", path)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    spellings = build.mine(["به گزارش آوای شهر، جلسه برگزار شد. به نقل از «آوای شهر»، مدیر گفت: نه.",
                            "به گزارش خبرنگار ما، باران آمد. به نقل از خبرگزاری دور از مرز، خبری نیست.",
                            "به گزارش صدای‌دشت، باران آمد. به نقل از صدای دشت، سیل آمد."])
    # two spellings of one name (a space, a half-space) count together
    assert [n.replace("\u200c", " ") for n in build.frequent(spellings, 2)] == ["آوای شهر", "صدای دشت"]
    assert not any("خبرنگار" in n or " از " in n for c in spellings.values() for n in c)


def test_a_teacher_of_an_institution_is_a_title_not_the_institution() -> None:
    # «استاد» before a seminary or a university is a title (docs/quotes.md §4), not an honorific before a name
    text = ("آیت‌الله حسن رحمانی در درس تفسیر گفت: مردم صبور هستند.\n\n"
            "استاد حوزه علمیه مشهد تاکید کرد: باید به جوانان اعتماد کرد.\n\n"
            "وی افزود: آینده روشن است.")
    assert [q[2] for q in quotes(text)] == ["حسن رحمانی"] * 3
    assert quotes("استاد دانشگاه شیراز گفت: بودجه پژوهش کم است.")[0][2] == "استاد دانشگاه شیراز"
    assert quotes("استاد فرهاد نیکو گفت: موسیقی زبان مشترک است.")[0][2] == "فرهاد نیکو"


def test_on_the_one_hand_opens_a_sentence() -> None:
    # «از سویی»، «از طرفی»، «از یک سو» (on the one hand) open the sentence like «از سوی دیگر»; the subject follows
    text = "از سویی، کامران نوری، مربی تیم، از همه بازیکنانش خواسته تا پیش از سفر به پزشک مراجعه کنند."
    assert quotes(text) == [("indirect", "پیش از سفر به پزشک مراجعه کنند", "کامران نوری")]
    assert quotes("از طرفی کامران نوری گفت که تیم آماده است.")[0][2] == "کامران نوری"
    assert quotes("از یک سو کامران نوری گفت که تیم آماده است.")[0][2] == "کامران نوری"


def test_a_cue_word_inside_the_ba_bayan_clause_does_not_end_it() -> None:
    # «پرداخت» is a noun inside X; X ends at the comma before the main cue «گفت», not at that word
    text = ("علی نوری با بیان اینکه شهروندان در صورت پرداخت بدهی در این ماه، می‌توانند تخفیف بگیرند، گفت: "
            "این طرح تا پایان سال ادامه دارد.")
    assert quotes(text)[0] == ("indirect", "شهروندان در صورت پرداخت بدهی در این ماه، می‌توانند تخفیف بگیرند", "علی نوری")
    # a cue before a colon ends X even when a later cue follows a comma
    text = "علی نوری با بیان اینکه بازار آرام است تصریح کرد: قیمت‌ها ثابت می‌ماند، بنابراین تاکید می‌کنم که نگران نباشید."
    assert quotes(text)[0] == ("indirect", "بازار آرام است", "علی نوری")


def test_a_phrase_of_the_occasion_before_a_title_is_not_the_subject() -> None:
    # «در آستانه / در حاشیه X،» names the occasion; the title after the comma is the subject, not an apposition
    assert quotes("در آستانه دیدار امشب استقلال، ستاره این تیم اعلام کرد که آماده است.")[0][2] == "ستاره این تیم"
    assert quotes("در حاشیه تمرین دیروز سپاهان، مهاجم این تیم گفت که آماده است.")[0][2] == "مهاجم این تیم"


def test_an_ezafe_written_apart_keeps_the_title_whole() -> None:
    # «سرمربی ی این تیم» = «سرمربی‌ی این تیم»: the demonstrative after the ezafe belongs to the title
    assert quotes("پس از بازی، سرمربی ی این تیم گفت که داوری ضعیف بود.")[0][2] == "سرمربی ی این تیم"


def test_a_title_opening_the_article_is_the_name_of_the_headline_after_it() -> None:
    # «*NAME: ...» (a name and a colon, no cue) is a headline naming the person the opening title and «وی» mean
    text = ("در آستانه ی دیدار فردای پرسپولیس، کاپیتان این تیم اعلام کرد آماده‌ی بازی است.\n\n"
            "این بازیکن سی ساله امسال پنج گل زده است.\n\n*بارانی: این بهترین فصل من است\n\n"
            "وی در ادامه افزود: تیم ما قهرمان می‌شود.")
    assert [q[2] for q in quotes(text)] == ["بارانی", "بارانی"]
    # not when another titled speaker comes between (a list of headlines)
    text = ("- معاون وزیر راه گفت: جاده‌ها باز است\n\n- سخنگوی دولت اعلام کرد: جلسه لغو شد\n\n"
            "- بارانی: قیمت‌ها ثابت می‌ماند")
    assert [q[2] for q in quotes(text)] == ["معاون وزیر راه", "سخنگوی دولت"]


def test_a_surname_with_a_particle_takes_the_given_name_the_article_gives() -> None:
    # «فن هاوتن» is one surname; «روبن فن هاوتن» is the fullest name the article gives (docs/quotes.md §4)
    text = ("به گزارش ورزش سه، روبن فن هاوتن در تیم ملی هلند بازی کرده است.\n\n"
            "فن هاوتن در یک مصاحبه گفت: من از این فصل راضی هستم.")
    assert quotes(text)[0][2] == "روبن فن هاوتن"


def test_a_colon_doubled_inside_the_opening_mark_is_not_content() -> None:
    assert quotes("مربی تیم گفت:«: بازیکنان خسته‌اند.»") == [("direct", "بازیکنان خسته‌اند", "مربی تیم")]


def test_a_report_inside_a_topic_clause_is_its_own_quotation() -> None:
    # «X در مورد اینکه Y گفته است A، گفت: B»: A is Y's (to the comma before the main cue), B is X's
    text = "حسن رضایی در مورد اینکه فرهاد نوری گفته است تیم آماده است، گفت: باید صبر کرد."
    assert quotes(text) == [("indirect", "تیم آماده است", "فرهاد نوری"), ("direct", "باید صبر کرد", "حسن رضایی")]
    # with no comma, A ends right before the main cue with its colon
    text = "حسن رضایی درباره اینکه باشگاه سپاهان می‌گوید بودجه ندارد بیان کرد: این درست نیست."
    assert quotes(text) == [("indirect", "بودجه ندارد", "باشگاه سپاهان"), ("direct", "این درست نیست", "حسن رضایی")]
    # the reporter's question joined to the report is no part of it
    text = "حسن رضایی در مورد اینکه فرهاد نوری اعلام کرده می‌خواهد برود و آیا این تصمیم جدی است، گفت: نمی‌دانم."
    assert quotes(text)[0] == ("indirect", "می‌خواهد برود", "فرهاد نوری")


def test_a_question_in_a_topic_clause_is_no_quotation() -> None:
    # «درباره اینکه چقدر امیدوار است ...»: the speaker's own hope asked about, not a report; the answer is the quotation
    text = "مهدی کاظمی درباره اینکه چقدر امیدوار است در تیم ملی باشد، گفت: باید تلاش کنم."
    assert quotes(text) == [("direct", "باید تلاش کنم", "مهدی کاظمی")]
    text = "مهدی کاظمی در پاسخ به این سوال که آیا مربی به او گفته که نیمکت‌نشین است گفت: از این موضوع خبر ندارم."
    assert quotes(text) == [("direct", "از این موضوع خبر ندارم", "مهدی کاظمی")]


def test_a_word_always_before_a_surname_is_its_given_name() -> None:
    # «ژاکوب» is not in the list of given names; the article writes it before «ویلمز» twice and never alone
    text = ("باشگاه دیروز با ژاکوب ویلمز قرارداد بست. مربیان از ژاکوب ویلمز راضی هستند.\n\n"
            "ویلمز در نشست خبری گفت: من آماده‌ام.")
    assert quotes(text)[0][2] == "ژاکوب ویلمز"
    # «در آرژانتین»، «آرژانتینی»: a place; the noun before it is no given name
    text = ("مردم ساکن جنوب آرژانتین در خیابان بودند. رهبران جنوب آرژانتین به دولت نامه دادند و در آرژانتین ماندند.\n\n"
            "آرژانتین اعلام کرد که مرزها باز است.")
    assert quotes(text)[0][2] == "آرژانتین"


def test_a_cue_inside_a_clause_phrase_without_its_own_subject_belongs_to_it() -> None:
    # «با اشاره به اینکه در گذشته هم اعلام کرده بود X، تاکید کرد: Y»: X (same speaker) and Y, not X run over Y
    text = "سارا محمدی با اشاره به اینکه پیش از این هم اعلام کرده بود بودجه کم است، تاکید کرد: باید صرفه‌جویی کنیم."
    assert quotes(text) == [("indirect", "پیش از این هم اعلام کرده بود بودجه کم است", "سارا محمدی"),
                            ("direct", "باید صرفه‌جویی کنیم", "سارا محمدی")]


def test_a_demonstrative_closing_a_phrase_before_a_colon_cue_is_no_noun_use() -> None:
    # «... درباره بازار و ورود سرمایه به آن گفت: ...»: «آن گفت» is "about it, said", not the noun «آن گفته»
    text = "علی نوری درباره بازار مسکن و ورود سرمایه به آن گفت: قیمت‌ها پایین می‌آید."
    assert quotes(text) == [("direct", "قیمت‌ها پایین می‌آید", "علی نوری")]


@pytest.mark.parametrize("rank", ["سرگرد", "سروان", "ستوان یکم", "سرتیپ‌دوم پاسدار", "سرهنگ دوم", "دریادار", "سپهبد"])
def test_a_military_rank_is_dropped_like_sardar(rank: str) -> None:
    # docs/quotes.md §4: ranks are dropped from the speaker's name like «سردار»
    assert quotes(f"{rank} حسن نوری گفت: جاده باز است.")[0][2] == "حسن نوری"


def test_the_scorer_drops_a_rank_like_sardar() -> None:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_quotes_norm", Path(__file__).resolve().parent.parent / "bench" / "quotes.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for rank in ("سردار", "سرهنگ", "سرتیپ‌دوم پاسدار", "ستوان یکم", "دریادار"):
        assert bench.norm_name(f"{rank} حسن نوری") == bench.norm_name("حسن نوری")
    assert bench.norm_name("امیر حسن نوری") != bench.norm_name("حسن نوری")  # «امیر» is also a given name


def test_dev_set_scores(shared_data) -> None:
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("bench_quotes", root / "bench" / "quotes.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.score(root / "bench" / "quotes_dev.jsonl", shared_data / "news", PIPE, False)
    assert result["precision"] >= 0.92 and result["recall"] >= 0.88
    assert result["speaker_accuracy"] >= 0.85 and result["agency_accuracy"] >= 0.95


def test_a_full_name_written_glued_is_the_two_words_its_short_forms_resolve_to() -> None:
    # «فرهادرستمی»: given name and surname with the space lost; the article also says «رستمی» and «فرهاد»
    text = ("فرهادرستمی مدیر باغ گیاه‌شناسی گفت: گل‌ها شکوفا شدند.\n\n"
            "رستمی همچنین گفت: بازدید رایگان است.\n\n"
            "فرهاد افزود: باغ تا شب باز است.")
    assert [name for _, _, name in quotes(text)] == ["فرهاد رستمی"] * 3
    assert _with_entities(text, [("فرهادرستمی", "PER"), ("رستمی", "PER", 1)]) == ["فرهاد رستمی"] * 3
    assert _with_entities(text, []) == ["فرهاد رستمی"] * 3
    # «کاوهرستمی» gets a half-space from the half-space model («کاوه‌رستمی»): the same name
    assert [name for _, _, name in quotes(text.replace("فرهاد", "کاوه"))] == ["کاوه رستمی"] * 3
    # with a half-space between the parts, and a given name with «الله»
    text = "ثناالله‌زهری گفت: کلاس‌ها از فردا باز است.\n\nزهری افزود: کتاب‌ها رسیده است."
    assert [name for _, _, name in quotes(text)] == ["ثناالله زهری"] * 2
    # the given name and the surname both used alone
    text = "بابکارونی گفت: قطار رسید.\n\nارونی افزود: مسافران پیاده شدند.\n\nبابک تصریح کرد: سفر خوب بود."
    assert [name for _, _, name in quotes(text)] == ["بابک ارونی"] * 3
    # a given name the list lacks («بردیا»), when the article uses both parts alone as speakers
    text = "بردیاکرمانی گفت: قطار رسید.\n\nکرمانی افزود: مسافران پیاده شدند.\n\nبردیا تصریح کرد: سفر خوب بود."
    assert [name for _, _, name in quotes(text)] == ["بردیا کرمانی"] * 3
    # glued in the text before the quotations, a surname alone in the mention
    for first in ("جواد", "بهرام"):  # «بهرام‌صالحی» with the half-space the model puts in
        text = f"{first}صالحی به شهر رسید.\n\nصالحی گفت: مردم مهربان هستند."
        assert [name for _, _, name in quotes(text)] == [f"{first} صالحی"]
    # after a word that may be a given name the list lacks, «امیرفرهادی» is a surname, not «امیر» + «فرهادی»
    text = "بردیا امیرفرهادی مجری برنامه به شکایت پاسخ داد.\n\nفرهادی گفت: از همه عذر می‌خواهم."
    names = [name for _, _, name in quotes(text)]
    assert len(names) == 1 and names[0] != "امیر فرهادی" and names[0].replace(" ", "").endswith("امیرفرهادی")


def test_a_glued_full_name_outside_any_mention_joins_the_two_short_names_the_speakers_go_by() -> None:
    # «بردیاکرمانی» only in a sentence that is no quotation's (a given name the list lacks); the speakers go by
    # «بردیا» and «کرمانی» alone: one person, «بردیا کرمانی»
    text = ("بردیاکرمانی مربی سابق تیم دیشب در برنامه‌ای تلویزیونی حاضر شد.\n\n"
            "بردیا گفت: قطار دیر رسید.\n\nکرمانی افزود: مسافران خسته بودند.")
    assert [name for _, _, name in quotes(text)] == ["بردیا کرمانی"] * 2
    assert _with_entities(text, []) == ["بردیا کرمانی"] * 2
    # without the glued word, or with only one of the two used alone, nothing is joined
    assert [name for _, _, name in quotes(text.replace("بردیاکرمانی", "او"))] == ["بردیا", "کرمانی"]
    one = text.replace("بردیا گفت", "وی گفت")
    assert "بردیا کرمانی" not in [name for _, _, name in quotes(one)][1:]


def test_surnames_that_begin_with_a_given_name_are_not_split() -> None:
    from khabar.attribution.speakers import unglue

    # «علیزاده»، «حسینی»، «محمدی»: a given name and a surname ending, one surname
    text = "علیزاده گفت: سد پر شد.\n\nعلی افزود: آب کافی است."
    assert [name for _, _, name in quotes(text)] == ["علیزاده", "علی"]
    text = "حسینی گفت: سد پر شد.\n\nحسین افزود: آب کافی است."
    assert [name for _, _, name in quotes(text)] == ["حسینی", "حسین"]
    assert unglue("محمدی", {"محمد"}) is None
    assert unglue("علی‌پور", {"علی"}) is None
    assert unglue("محمدرضا", {"محمد", "رضا"}) is None  # a given name of two given names
    # no evidence: the article uses neither part alone
    assert unglue("کاوهرستمی", set()) is None
    assert unglue("کاوهرستمی", {"رستمی"}) == "کاوه رستمی"
    assert unglue("کاوهرستمی", {"کاوه"}) == "کاوه رستمی"
    # the split where the surname is used alone wins
    assert unglue("محمدرضاکریمی", {"کریمی"}) == "محمدرضا کریمی"


# -- batch 19 causes (invented sentences) -------------------------------------------------

@pytest.mark.parametrize("cue", ["یادآورشد", "اظهارداشت", "تاکیدکرد", "خبرداد"])
def test_a_light_verb_glued_to_a_head_in_a_non_joining_letter_is_a_cue(cue: str) -> None:
    # «یادآور» + «شد» written without a space reads the same: the cue is still there
    assert quotes(f"مدیر مدرسه {cue}: کلاس‌ها از شنبه آغاز می‌شود.") == [
        ("direct", "کلاس‌ها از شنبه آغاز می‌شود", "مدیر مدرسه")]


def test_a_glued_head_that_joins_its_verb_is_no_cue() -> None:
    # «اعلام» ends in a joining letter: «اعلامکرد» is no way news writes the cue, and it is not matched
    assert find_cues("مدیر اعلامکرد: کلاس‌ها تعطیل است.") == []


def test_with_emphasis_glued_to_its_preposition() -> None:
    text = "مدیر مدرسه با تاکیدبر اینکه کلاس‌ها از شنبه آغاز می‌شود، گفت: والدین آماده باشند."
    assert quotes(text) == [("indirect", "کلاس‌ها از شنبه آغاز می‌شود", "مدیر مدرسه"),
                            ("direct", "والدین آماده باشند", "مدیر مدرسه")]


def test_according_to_an_announcement() -> None:
    # «بنا بر اعلام X، Y»: like «به گفته X، Y»; a long organisation's name runs to the comma
    assert quotes("بنا بر اعلام روابط عمومی سازمان هواشناسی و پایش کیفیت هوای استان، باران تا فردا ادامه دارد.") == [
        ("indirect", "باران تا فردا ادامه دارد", "روابط عمومی سازمان هواشناسی و پایش کیفیت هوای استان")]
    assert quotes("بنابر اعلام پلیس، جاده شمال بسته است.") == [("indirect", "جاده شمال بسته است", "پلیس")]
    # no comma closes the announcer: nothing is taken («نسبت به اعلام نتایج» is no cue either)
    assert quotes("بنابر اعلام مسئولان ورود تماشاگران به ورزشگاه آزاد نیست.") == []
    assert quotes("داوطلبان نسبت به اعلام نتایج، اعتراض کردند.") == []


def test_according_to_stops_before_but_and_another_speakers_cue() -> None:
    text = "به گفته وی، مدرسه فعلا تعطیل است اما مدیر از والدین خواسته فرزندان را در خانه نگه دارند."
    got = quotes(text)
    assert ("indirect", "مدرسه فعلا تعطیل است", None) in [(k, c, None) for k, c, _ in got]
    assert [s for _, c, s in got if c.startswith("فرزندان")] == ["مدیر"]


def test_the_sources_of_a_named_organisation_are_identifiable() -> None:
    assert quotes("منابع پلیس اعلام کردند که راننده مقصر بوده است.") == [
        ("indirect", "راننده مقصر بوده است", "منابع پلیس")]
    assert quotes("منابع آگاه اعلام کردند که راننده مقصر بوده است.") == []


# -- an article of many quotations: each mention is looked up among the article's distinct names, not all others --

def test_many_quotations_look_each_name_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from khabar.attribution import speakers

    calls = []
    real = speakers._ends_with
    monkeypatch.setattr(speakers, "_ends_with", lambda words, key: calls.append(key) or real(words, key))
    n = 150
    text = " ".join(["به گزارش خبرگزاری نمونه، رضا کاظمی گفت: بازار آرام است و قیمت‌ها ثابت می‌ماند.",
                     "وی افزود: بازار ارز نیز آرام است."] * n)
    doc = PIPE(text)
    assert len(doc.quotes) == 2 * n
    assert {q.speaker.name for q in doc.quotes} == {"رضا کاظمی"}
    assert len(calls) < 10 * n  # one lookup among all the names per mention was n * n


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=12),
       st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=6),
       st.lists(st.integers(0, 90), max_size=15))
def test_first_holding_span_is_the_first_in_order(spans: list[tuple[int, int]], added: list[tuple[int, int]],
                                                  points: list[int]) -> None:
    from khabar.attribution.quotes import _FirstHolding

    spans = [(s, s + n) for s, n in spans]
    holding = _FirstHolding(spans)
    every = list(spans)
    for pos in sorted(points):
        if added:
            s, n = added.pop()
            holding.add((s, s + n))
            every.append((s, s + n))
        assert holding.find(pos) == next(((s, e) for s, e in every if s <= pos < e), None)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10)), max_size=10), st.integers(0, 70))
def test_cuts_find_the_first_cut_after_a_position(pairs: list[tuple[int, int]], pos: int) -> None:
    from khabar.attribution.quotes import _Cuts

    cuts = [(s, s + n) for s, n in sorted(pairs)]
    assert _Cuts(cuts).first_after(pos) == next(((s, c) for s, c in cuts if s > pos or c > pos), None)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10)), max_size=10), st.integers(0, 70))
def test_spans_hold_a_position_like_any_of_them(spans: list[tuple[int, int]], pos: int) -> None:
    from khabar.attribution.speakers import _Spans

    spans = [(s, s + n) for s, n in spans]
    assert (pos in _Spans(spans)) == any(s <= pos < e for s, e in spans)


# -- Windows («\r\n») and old Mac («\r») line ends are line ends -------------------------------------------

LINE_END_ARTICLES = [
    "وزیر نیرو گفت: ذخایر آب کافی است.\n\nمردم تهران دیروز به خیابان آمدند.\n",
    "به گزارش خبرگزاری نمونه، رضا کاظمی گفت: «بازار آرام است.\nقیمت‌ها هم ثابت می‌ماند.»\n\nوی افزود: ارز گران نمی‌شود.",
    "مریم احمدی تأکید کرد که مذاکرات ادامه می‌یابد.\nوی گفت: طرفین به توافق نزدیک شده‌اند\n",
    "سخنگوی شورای شهر، مهدی نادری، گفت: بودجه کافی نیست؛\n\nبه گفته وی، طرح تا پایان سال تمام می‌شود.\n",
]


@pytest.mark.parametrize("text", LINE_END_ARTICLES)
@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
def test_a_carriage_return_ends_a_line_like_a_line_feed(text: str, line_end: str) -> None:
    found = quotes(text.replace("\n", line_end))
    assert found == quotes(text)
    assert found and not any(content.endswith((".", "\r")) for _, content, _ in found)
