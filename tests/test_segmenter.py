"""The segmenter: tokens and sentences as spans (issue 3).

Cases are pairs of an input and the expected token strings or sentence strings (each one a span of
the input: the helpers check that the spans cut exactly those strings out of the text).
"""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import khabar
from khabar.document import Span, Token
from khabar.text import chars
from khabar.text.segmenter import segment, segment_offsets, segment_step, split_sentences, tokenize
from khabar.text.tokenizer import KINDS, SPACE_CHARS, token_kind


def toks(text: str) -> list[str]:
    return [text[t.start:t.end] for t in tokenize(text)]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(text[t.start:t.end], t.kind) for t in tokenize(text)]


def sents(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text)]


# -- tokens ------------------------------------------------------------------------------------

TOKEN_CASES = [
    # words keep their half-space
    ("او می‌گوید که نمی‌توانند بیایند.", ["او", "می‌گوید", "که", "نمی‌توانند", "بیایند", "."]),
    ("کتاب‌های تازه‌ای", ["کتاب‌های", "تازه‌ای"]),
    # punctuation is split off, each mark its own token
    ("سلام، دنیا! چرا؟!", ["سلام", "،", "دنیا", "!", "چرا", "؟", "!"]),
    ("«سلام»؛ (ص) [۱]", ["«", "سلام", "»", "؛", "(", "ص", ")", "[", "۱", "]"]),
    # numbers with separators are one token
    ("۱۲٬۵۰۰ تومان و ۳٫۵ درصد و ۲۰٪ سود", ["۱۲٬۵۰۰", "تومان", "و", "۳٫۵", "درصد", "و", "۲۰٪", "سود"]),
    ("3.5 و 1,000 و 5% و ۱۲/۵", ["3.5", "و", "1,000", "و", "5%", "و", "۱۲/۵"]),
    ("در ۱۴۰۲/۰۶/۰۴ ساعت ۱۰:۳۰", ["در", "۱۴۰۲/۰۶/۰۴", "ساعت", "۱۰:۳۰"]),
    ("۱، ۲، ۳", ["۱", "،", "۲", "،", "۳"]),
    # URLs, e-mails, hashtags and mentions whole; trailing punctuation is not part of a URL
    ("ببینید https://khabar.ir/news/12?id=3. یا www.irna.ir،", ["ببینید", "https://khabar.ir/news/12?id=3", ".",
                                                             "یا", "www.irna.ir", "،"]),
    ("به info@khabar.ir بنویسید", ["به", "info@khabar.ir", "بنویسید"]),
    ("ببینید HTTPS://Khabar.IR/News و Www.Irna.ir یا IRNA.IR.", ["ببینید", "HTTPS://Khabar.IR/News", "و",
                                                               "Www.Irna.ir", "یا", "IRNA.IR", "."]),
    ("Tell.Me و Fox.News", ["Tell", ".", "Me", "و", "Fox", ".", "News"]),  # (Title case: no domain)
    ("#خبر_فوری از @khabar_news", ["#خبر_فوری", "از", "@khabar_news"]),
    # Latin words whole
    ("سیاره CoRoT-7b و Covid-19 و iPhone", ["سیاره", "CoRoT-7b", "و", "Covid-19", "و", "iPhone"]),
    # abbreviations and initials keep their stops
    ("سال ۱۳۰۰ ه.ق. و ۵۰۰ ق.م. و د. احمدی", ["سال", "۱۳۰۰", "ه.ق.", "و", "۵۰۰", "ق.م.", "و", "د.", "احمدی"]),
    ("the U.S. Army and Dr. Smith", ["the", "U.S.", "Army", "and", "Dr.", "Smith"]),
    # ellipses are one token
    ("و… نه... بله", ["و", "…", "نه", "...", "بله"]),
    # emoji, with skin tones and flags
    ("عالی 👍🏽🇮🇷😀", ["عالی", "👍🏽", "🇮🇷", "😀"]),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_CASES, ids=[c[0][:20] for c in TOKEN_CASES])
def test_tokens(text: str, expected: list[str]) -> None:
    assert toks(text) == expected


def test_token_kinds() -> None:
    text = "خبر ۳٫۵ CoRoT-7b ، https://x.ir a@b.ir #تیتر @ali 😀 ₿ U.S. ه.ق."
    assert kinds(text) == [
        ("خبر", "word"), ("۳٫۵", "number"), ("CoRoT-7b", "latin"), ("،", "punct"), ("https://x.ir", "url"),
        ("a@b.ir", "email"), ("#تیتر", "hashtag"), ("@ali", "mention"), ("😀", "emoji"), ("₿", "symbol"),
        ("U.S.", "latin"), ("ه.ق.", "word"),
    ]
    assert {t.kind for t in tokenize(text)} <= set(KINDS)


def test_token_offsets_are_spans() -> None:
    text = "  او گفت:\n«سلام»  "
    assert [(t.start, t.end) for t in tokenize(text)] == [(2, 4), (5, 8), (8, 9), (10, 11), (11, 15), (15, 16)]


# -- sentences ---------------------------------------------------------------------------------

SENTENCE_CASES = [
    ("او آمد. ما رفتیم! چرا؟ نمی‌دانم? شاید…\nبعد", ["او آمد.", "ما رفتیم!", "چرا؟", "نمی‌دانم?", "شاید…", "بعد"]),
    # paragraph breaks and single line breaks: a headline without a stop is a sentence of its own
    ("تیتر خبر\nمتن خبر این است. ادامه دارد\n\nپاراگراف دوم",
     ["تیتر خبر", "متن خبر این است.", "ادامه دارد", "پاراگراف دوم"]),
    # no end inside «...» or "..." quotations; a stop right before » ends the sentence after the »
    ("او گفت: «کار تمام است. ما رفتیم.» سپس رفت.", ["او گفت: «کار تمام است. ما رفتیم.»", "سپس رفت."]),
    ('او گفت: "کار تمام است. ما رفتیم." سپس رفت.', ['او گفت: "کار تمام است. ما رفتیم."', "سپس رفت."]),
    ("گفت: «چرا دسته حرکت نمی‌کند؟». بعد رفت.", ["گفت: «چرا دسته حرکت نمی‌کند؟».", "بعد رفت."]),
    ("گفت: «با من بیا!» همه آمدند.", ["گفت: «با من بیا!»", "همه آمدند."]),
    # a question in a quoted title inside a sentence does not end it
    ("روزنامه با عنوان «امنیت چه شد؟» نوشت که خوب است.", ["روزنامه با عنوان «امنیت چه شد؟» نوشت که خوب است."]),
    # decimals, dates, numbers with separators
    ("نرخ ۳٫۵ و 3.5 و ۱۲/۵ درصد بود. تاریخ ۱۴۰۲/۰۶/۰۴ است.", ["نرخ ۳٫۵ و 3.5 و ۱۲/۵ درصد بود.", "تاریخ ۱۴۰۲/۰۶/۰۴ است."]),
    # abbreviations and initials
    ("در سال ۱۳۰۰ ه.ق. و ۵۰ ق.م. د. احمدی آمد. بعد رفت.", ["در سال ۱۳۰۰ ه.ق. و ۵۰ ق.م. د. احمدی آمد.", "بعد رفت."]),
    ("نیروهای U.S. Army وارد شدند. Dr. Smith گفت.", ["نیروهای U.S. Army وارد شدند.", "Dr. Smith گفت."]),
    ("اداره تحقیقات (اف. بی. آی) گفت. بعد رفت.", ["اداره تحقیقات (اف. بی. آی) گفت.", "بعد رفت."]),
    ("شرکت بی.ام.دبلیو آمد.", ["شرکت بی.ام.دبلیو آمد."]),
    # an ellipsis after «و» closes a list inside the sentence; after a word it may end one
    ("کیهان و رسالت و… نفوذی‌ها را دیدند.", ["کیهان و رسالت و… نفوذی‌ها را دیدند."]),
    ("دلم می‌خواست… ولی نشد.", ["دلم می‌خواست…", "ولی نشد."]),
    ("آیت‌ا... خامنه‌ای گفت.", ["آیت‌ا... خامنه‌ای گفت."]),
    # a closing mark with spaces on both sides after a stop is a mirrored opening one
    ("پایان برد. ) شاهنامه، ص ۲۸. (", ["پایان برد.", ") شاهنامه، ص ۲۸. ("]),
    # a dateline without its colon, before the report
    ("تهران - واحد مرکزی خبر استفاده از بالش خوب است.", ["تهران - واحد مرکزی خبر", "استفاده از بالش خوب است."]),
    ("بازی ایران - عراق امروز است.", ["بازی ایران - عراق امروز است."]),
    # URLs and e-mails
    ("سایت www.khabar.ir و info@khabar.ir است. بعد", ["سایت www.khabar.ir و info@khabar.ir است.", "بعد"]),
    # a colon opening a quotation is not an end; a dateline is
    ("وزیر گفت: «ما آماده‌ایم.» بعد رفت.", ["وزیر گفت: «ما آماده‌ایم.»", "بعد رفت."]),
    ("وزیر گفت: ما آماده‌ایم.", ["وزیر گفت: ما آماده‌ایم."]),
    ("تهران - ایرنا: وزیر امروز آمد.", ["تهران - ایرنا:", "وزیر امروز آمد."]),
    ("خبرگزاری فارس: وزیر گفت: آمدیم.", ["خبرگزاری فارس:", "وزیر گفت: آمدیم."]),
    ("به گزارش خبرگزاری فارس: وزیر آمد.", ["به گزارش خبرگزاری فارس: وزیر آمد."]),
    # the Persian semicolon does not end a sentence
    ("او آمد؛ ما رفتیم.", ["او آمد؛ ما رفتیم."]),
    # a numbered list item
    ("۱. مورد اول\n۲. مورد دوم", ["۱. مورد اول", "۲. مورد دوم"]),
    # punctuation that continues the sentence after a stop
    ("او آمد (ر.ک. ص ۲). ادامه داد.، و رفت.", ["او آمد (ر.ک. ص ۲).", "ادامه داد.، و رفت."]),
    # written without a space after the stop
    ("او آمد.ما رفتیم. فایل file.txt است.", ["او آمد.", "ما رفتیم.", "فایل file.txt است."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES, ids=[c[0][:24] for c in SENTENCE_CASES])
def test_sentences(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


def test_sentence_spans_skip_white_space() -> None:
    text = "  او آمد.   ما رفتیم. \n"
    assert [(s.start, s.end) for s in split_sentences(text)] == [(2, 9), (12, 21)]


def test_unbalanced_quotes_do_not_swallow_sentences() -> None:
    text = "او گفت «نه. ما رفتیم. بعد آمدیم.\nخط بعد."
    assert sents(text) == ["او گفت «نه.", "ما رفتیم.", "بعد آمدیم.", "خط بعد."]


def test_a_quote_left_open_in_a_long_line_does_not_make_it_one_sentence() -> None:
    # joined paragraphs (an HTML page without line breaks): a «» left open held every sentence after it
    from khabar.text.segmenter import MAX_QUOTED_ENDS

    said = " ".join(f"جمله شماره {i} اینجاست." for i in range(MAX_QUOTED_ENDS + 10))
    assert len(sents(f"او گفت «{said} پایان.")) > MAX_QUOTED_ENDS
    short = " ".join(f"جمله شماره {i} اینجاست." for i in range(3))
    assert sents(f"او گفت: «{short}» و رفت.")[0] == f"او گفت: «{short}»"  # a closed quote holds its ends


def test_empty_and_blank() -> None:
    assert segment("") == ([], [])
    assert segment(" \n\t ") == ([], [])


def test_wrong_type_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="needs a str"):
        segment(b"bytes")  # type: ignore[arg-type]


def test_space_chars_are_all_white_space() -> None:
    assert set(SPACE_CHARS) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def test_token_kind_is_total() -> None:
    for s in ["a", "؟", "\u200c", "\x00", "½", "Ω", "中", "\U0001f600", "…"]:
        assert token_kind(s) in KINDS


# -- properties --------------------------------------------------------------------------------

PERSIANISH = st.lists(
    st.sampled_from(list("ابپتجچخدرزسشصطعفقکگلمنوهیآئ‌ ‌ \n\n\t\u00a0.،؛:!؟?«»\"'()[]-/…۰۱۲۳۴٫٬%٪"
                         "abcXYZ019@#_éü😀👍🏽🇮🇷\u200d\r\u2028\u0650ـ")
                    + ["https://", "www.", ".com", "ه.ق.", "U.S.", "...", "تهران - ایرنا: "]),
    max_size=60,
).map("".join)


def check_invariants(text: str) -> None:
    sentences, tokens = segment(text)
    covered = [False] * len(text)
    previous = 0
    for tok in tokens:
        assert previous <= tok.start < tok.end, (text, tok)
        piece = text[tok.start:tok.end]
        assert not any(c.isspace() for c in piece), (text, piece)
        assert tok.kind in KINDS
        for k in range(tok.start, tok.end):
            covered[k] = True
        previous = tok.end
    assert all(covered[k] or c.isspace() for k, c in enumerate(text)), text
    starts = {t.start for t in tokens}
    ends = {t.end for t in tokens}
    previous = 0
    for sent in sentences:
        assert previous <= sent.start < sent.end, (text, sent)
        assert sent.start in starts and sent.end in ends
        assert text[previous:sent.start].strip() == "", (text, sentences)  # sentences tile the text
        previous = sent.end
    assert text[previous:].strip() == ""
    assert bool(sentences) == bool(tokens)


@settings(max_examples=400, deadline=None)
@given(PERSIANISH)
def test_invariants_on_persian_like_text(text: str) -> None:
    check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_invariants_on_any_unicode(text: str) -> None:
    check_invariants(text)


@settings(max_examples=100, deadline=None)
@given(PERSIANISH)
def test_core_and_objects_agree(text: str) -> None:
    seg = segment_offsets(text)
    sentences, tokens = segment(text)
    assert [(s.start, s.end) for s in sentences] == seg.sentences
    assert [(t.start, t.end) for t in tokens] == list(zip(seg.starts, seg.ends, strict=True))
    assert seg.tokens == [text[t.start:t.end] for t in tokens]
    assert [t.kind for t in tokens] == list(map(token_kind, seg.tokens))  # the cached kinds are the kinds


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_cached_kinds_and_offsets_are_exact(text: str) -> None:
    from khabar.text.segmenter import clear_caches

    clear_caches()
    cold = segment(text)
    assert segment(text) == cold  # the same from the caches
    seg = segment_offsets(text)
    assert [t.kind for t in cold[1]] == list(map(token_kind, seg.tokens))
    assert [(t.start, t.end) for t in cold[1]] == [(e - len(t), e) for t, e in zip(seg.tokens, seg.ends, strict=True)]


# -- the pipeline step, analyze and the CLI ----------------------------------------------------

def test_step_sets_sentences_and_tokens() -> None:
    doc = khabar.Document(raw="او آمد. ما رفتیم.")
    segment_step(doc)
    assert doc.sentences == [Span(0, 7), Span(8, 17)]
    assert doc.tokens[0] == Token(0, 2, "word") and doc.tokens[-1] == Token(16, 17, "punct")


def _skeleton(s: str) -> str:
    """Letters and digits only, Arabic forms mapped to Persian: what normalization never changes."""
    s = "".join(chars.LETTER_MAP.get(c, c) for c in s)
    return "".join(c for c in s if c.isalnum())


def _check_raw_offsets(doc: dict) -> None:
    raw, text = doc["raw"], doc["text"]
    assert doc["tokens"] and doc["sentences"]
    previous = 0
    for tok in doc["tokens"]:
        piece = raw[tok["raw_start"]:tok["raw_end"]]
        assert previous <= tok["raw_start"] < tok["raw_end"], tok
        assert piece == piece.strip(), tok
        assert _skeleton(piece) == _skeleton(text[tok["start"]:tok["end"]]), (piece, tok)
        previous = tok["raw_end"]
    for sent in doc["sentences"]:
        piece = raw[sent["raw_start"]:sent["raw_end"]]
        assert _skeleton(piece) == _skeleton(text[sent["start"]:sent["end"]])


def test_analyze_gives_raw_offsets(shared_example) -> None:
    raw = shared_example.read_text(encoding="utf-8")
    doc = khabar.analyze(raw).to_dict()
    _check_raw_offsets(doc)
    first = doc["sentences"][0]
    assert "\n" not in raw[first["raw_start"]:first["raw_end"]]  # the headline is a sentence of its own


def test_cli_analyze_gives_raw_offsets(shared_example, tmp_path) -> None:
    from khabar.cli import main

    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(shared_example), "-o", str(out)]) == 0
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 1
    _check_raw_offsets(docs[0])


def test_analyze_messy_raw_text() -> None:
    raw = "  تهران - ايرنا:  وزير گفت «كار تمام است.»\n\nمي گويند ۳٫۵ درصد... "
    _check_raw_offsets(khabar.analyze(raw).to_dict())
