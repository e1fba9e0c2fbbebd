"""The C scan (khabar.text._scan) against the pure-Python segmentation, the reference (issue 3).

Both paths must give the same sentences, tokens and kinds on any text; without the extension the
pure-Python path is used.
"""

from __future__ import annotations

import importlib
import json
import random
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text import segmenter
from khabar.text.tokenizer import token_re

needs_c = pytest.mark.skipif(not segmenter.ACCELERATED, reason="khabar.text._scan is not built")


def same(text: str) -> None:
    """The C path and the pure-Python path agree on ``text`` in every column."""
    py = segmenter.segment_offsets_py(text)
    c = segmenter.segment_offsets_c(text)
    assert c.ends == py.ends
    assert c.starts == py.starts
    assert c.tokens == py.tokens
    assert c.pieces == py.pieces
    assert c.kinds == py.kinds
    assert c.sentences == py.sentences


# Marks, quotes, digits of both scripts, Latin, abbreviations, e-mails, hashtags, line breaks, emoji,
# and characters next to the ranges the C scan tests (Arabic-script edges, marks it must not take).
TRICKY = list("ابپتجچخدرزسشصطعفقکگلمنوهیآئةۀكي\u064b\u0610\u061a\u061c\u06d4\u06dd\u06f0\u06f9\u0750\ufb50\ufefc"
              "\u200c\u200d ۰۱۲۳۴۵۶۷۸۹0123456789abcxyzABCUS.،؛:!؟?«»\"“”'()[]{}…@#/-_%٪٫٬,;"
              " \n\n\t\r\u00a0\u2028\u3000\u200b😀👍🏽🇮🇷\ufe0f")
PIECES = ["ه.ق.", "ق.م.", "د.", "U.S.", "و.", "صص.", "...", "!!", "؟؟", "https://x.ir/a?b=1", "www.isna.ir",
          "a.b@c.ir", "#خبر", "@user", "۱۴۰۲/۰۶/۰۴", "۳٫۵", "3.5", "۱۲٬۵۰۰", "تهران - ایرنا:", " «", ".»", "؟»",
          "\n\n", " - ", "می‌گوید", "file.txt", "اف. بی. آی", "آیت‌ا..."]
TRICKY_TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), st.sampled_from(PIECES)), max_size=80).map("".join)
# Short words, stops, colons, quotes and datelines: the cases the C scan settles for the sentence scan.
SHORT_TEXT = st.lists(st.sampled_from(["ا", "ب", "شد", "است", "۱", "12", "U", ".", ". ", " ", " ", "  ", "\n", "!",
                                       "؟", ":", "«", "»", '"', "“", "”", " «", "…", "-", " - ", "ایرنا", "تهران",
                                       "،", "(", ")", "خبرگزاری", "فارس", "واحد مرکزی خبر", "–", "صدا و سیما",
                                       "گفت"]), max_size=60).map("".join)


@needs_c
@settings(max_examples=600, deadline=None)
@given(st.one_of(TRICKY_TEXT, SHORT_TEXT))
def test_c_scan_equals_regex_on_tricky_text(text: str) -> None:
    same(text)


@needs_c
@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.characters(codec=None, exclude_categories=()),
                         st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
                         st.sampled_from(TRICKY)), max_size=60))
def test_c_scan_equals_regex_on_any_unicode(text: str) -> None:
    # any str, lone surrogates included (they cannot come from UTF-8 but can from Python code)
    same(text)


@needs_c
def test_c_scan_edges() -> None:
    for text in ["", " ", "\n", ".", "..", "ا.", "اب.", "صص. ب", "\ud800", "a\udfff.", "۱۲", "«", " \n ا", "😀" * 3,
                 "کار تمام شد. سپس رفت.\n«او گفت.» و رفت… ولی.", "x" * 5000 + ".", "ا " * 3000]:
        same(text)


@needs_c
def test_c_scan_equals_regex_around_every_character_it_classifies() -> None:
    # The C scan hard-codes character classes of tokenizer.py (white space, line breaks, the
    # Arabic-script word class, marks, digits): each character of the ranges around them, in contexts
    # where a wrong class would move a token or a sentence end.
    chars = [chr(c) for c in [*range(0, 0x3100), *range(0xFB00, 0x10000), *range(0x1F000, 0x1FB00)]
             if not 0xD800 <= c <= 0xDFFF]
    for k in range(0, len(chars), 400):
        same("".join(f"ابت{c}پ {c}. ۱۲{c} {c}{c}ت.{c}جد:{c}" for c in chars[k:k + 400]))


def _texts(shared: Path) -> list[str]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import segment as bench  # bench/segment.py: running text built from UD sentences
    finally:
        sys.path.pop(0)
    rng = random.Random(3)
    texts: list[str] = []
    for path in sorted((shared / "ud").glob("*-dev.conllu")):
        texts += rng.sample([d.text for d in bench.build_docs(bench.read_conllu(path))], 12)
    for path in sorted((shared / "raw").glob("*-train-sentences.txt")):
        texts += rng.sample([d.text for d in bench.build_docs(bench.read_raw(path))], 12)
    for path in sorted((shared / "news").glob("*.json")):
        articles = json.loads(path.read_text(encoding="utf-8"))
        for a in rng.sample(articles, min(8, len(articles))):
            texts.append("\n".join([a.get("title") or "", a.get("abstract") or "", *a.get("paragraphs", [])]))
    example = shared.parent / "example" / "karabakh-aran-news.txt"
    if example.is_file():
        texts.append(example.read_text(encoding="utf-8"))
    return texts


@needs_c
@pytest.mark.shared
def test_c_scan_equals_regex_on_shared_texts(shared_data: Path) -> None:
    from khabar import normalize

    texts = _texts(shared_data)
    assert len(texts) > 50
    for text in texts:
        same(text)
        same(normalize(text))


@needs_c
def test_c_scan_keeps_no_references() -> None:
    text = "او گفت: «کار ۱۲٬۵۰۰ تومان است.» سپس رفت… U.S. #خبر 😀\n" * 20
    segmenter.segment_offsets_c(text)  # the kind cache is filled once
    counts = [sys.getrefcount(x) for x in (text, "word", "punct", "number")]
    for _ in range(200):
        segmenter.segment(text)
    assert [sys.getrefcount(x) for x in (text, "word", "punct", "number")] == counts


@needs_c
def test_c_scan_reports_a_broken_regex() -> None:
    from khabar.text import _scan

    tables = (frozenset(), "word", "punct", None, frozenset(), frozenset(), 8, 3)  # no number shortcut: "12" asks
    with pytest.raises(RuntimeError, match="no token at 0"):
        _scan.scan("12", lambda text, pos: None, {}, {}, *tables)
    with pytest.raises(ZeroDivisionError):
        _scan.scan("ab 12", lambda text, pos: 1 / 0, {}, {}, *tables)
    with pytest.raises(TypeError):
        _scan.scan(b"12", token_re().match, {}, {}, *tables)


def test_c_extensions_are_built_where_a_compiler_is() -> None:
    """A `pip install -e .` with a C compiler and Python's headers builds both extensions (they are optional, so a
    failed build would otherwise pass unnoticed, with the accelerated paths' tests skipped)."""
    from khabar.text import halfspace

    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not shutil.which(cc) or not headers.is_file():
        pytest.skip(f"no C compiler ({cc}) or no {headers}: the pure-Python path is used")
    assert segmenter.ACCELERATED, "khabar.text._scan is not built: run `pip install -e .` again"
    assert halfspace.ACCELERATED, "khabar.text._halfspace is not built (or is stale): run `pip install -e .` again"


def test_pure_python_fallback_without_the_extension(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "تهران - ایرنا: او گفت: «کار تمام است.» سپس رفت.\nU.S. ۳٫۵ درصد… #خبر"
    expected = [(t.start, t.end, t.kind) for t in segmenter.tokenize(text)]
    expected_sents = [(s.start, s.end) for s in segmenter.split_sentences(text)]
    import khabar.text

    monkeypatch.setitem(sys.modules, "khabar.text._scan", None)  # the import fails
    monkeypatch.delattr(khabar.text, "_scan", raising=False)
    try:
        importlib.reload(segmenter)
        assert not segmenter.ACCELERATED
        with pytest.raises(ImportError, match="not built"):
            segmenter.segment_offsets_c(text)
        assert [(t.start, t.end, t.kind) for t in segmenter.tokenize(text)] == expected
        assert [(s.start, s.end) for s in segmenter.split_sentences(text)] == expected_sents
        assert [text[s.start:s.end] for s in segmenter.split_sentences(text)] == [
            "تهران - ایرنا:", "او گفت: «کار تمام است.»", "سپس رفت.", "U.S. ۳٫۵ درصد… #خبر"]
    finally:
        monkeypatch.undo()
        importlib.reload(segmenter)



# datelines longer than the shipped windows (9 tokens before the colon; «خبرگزاری» + 4 words)
LONG_DATELINES = ["مشهد - حسن رضا علی تقی نقی کاظم جواد هادی: باران بارید. گفت.",
                  "خبرگزاری بین المللی قرآن کریم: باران بارید. گفت."]


@needs_c
def test_c_scan_follows_the_dateline_windows_of_segmenter() -> None:
    # the C scan's dateline look-back windows come from segmenter.py's constants, not copies of its own
    saved = (segmenter.DATELINE_MAX_TOKENS, segmenter.AGENCY_HEAD_MAX_WORDS, segmenter._SCAN_ARGS)
    found = {}
    try:
        for windows in [(8, 3), (12, 5), (2, 1)]:
            segmenter.DATELINE_MAX_TOKENS, segmenter.AGENCY_HEAD_MAX_WORDS = windows
            segmenter._SCAN_ARGS = ()
            for text in LONG_DATELINES:
                same(text)
                found[windows, text] = len(segmenter.segment_offsets_py(text).sentences)
    finally:
        segmenter.DATELINE_MAX_TOKENS, segmenter.AGENCY_HEAD_MAX_WORDS, segmenter._SCAN_ARGS = saved
    for text in LONG_DATELINES:  # the wider windows do make these datelines: the check above bites
        assert found[(12, 5), text] == found[(8, 3), text] + 1
