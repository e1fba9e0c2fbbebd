"""The normalizer's fast paths give exactly what its plain definitions give.

Rules find the characters they act on with ``str.find`` and run line-local rules only on the
lines that can change; the regexes are written to start with one character class.  These
properties compare each shortcut with the plain formulation it replaces, over arbitrary text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text import chars
from khabar.text import normalizer as N
from khabar.text.alignment import apply_edits

TRICKY = st.lists(
    st.sampled_from(
        list("ابپتکگیيكىۀة ‌\u200d\u200f\u0640َُّ.,،؛؟?!:;«»()[]{}…\n\r\t \u00a0\u2009\u3000"
             "0123456789۰۱۲٣٤abcXYZ@#/_-%+whtpf:ﻻﺏ\ufb50\ufdfc\ufe00\ufe6f\ufe70\ufe71\ufefe\ufeff")
        + ["http://", "www.", "ببب", "  ", " \n", "\n ", "...", ".com", "\r\n"]),
    max_size=60,
).map("".join) | st.text(max_size=40)

_L = chars.ARABIC_SCRIPT_LETTER_CLASS
_H = re.escape(chars.HSPACE)
# The plain formulations the rules' regexes were rewritten from.
PLAIN = {
    "protected": re.compile(
        r"(?=[A-Za-z0-9.%+#@_-])(?:(?:https?://|ftp://|www\.)" + N._URL_BODY +
        r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+|[#@][\w\u200c]+"
        r"|[A-Za-z][A-Za-z0-9_\-./]*[0-9][A-Za-z0-9_\-]*|[0-9]+[A-Za-z][A-Za-z0-9_\-]*)"),
    "space_run": re.compile(f"[{_H}]{{2,}}|[{re.escape(chars.HSPACE[1:])}]"),
    "edge_space": re.compile(f"(?m)^[{_H}]+|[{_H}]+(?=\\r?\\n|\\r|\\Z)"),
    "space_before": re.compile(f"(?<=\\S)[{_H}]+(?=[،؛؟!)\\]»}}]|[.:,;?…]+(?:[\\s»)\\]{_L}«(]|$))"),
    "space_after_open": re.compile(f"(?<=[«(\\[])[{_H}]+"),
}
REWRITTEN = {"protected": N.PROTECTED, "space_run": N._SPACE_RUN_RE, "edge_space": N._EDGE_SPACE_RE,
             "space_before": N._SPACE_BEFORE_RE, "space_after_open": N._SPACE_AFTER_OPEN_RE}


@settings(max_examples=300)
@given(TRICKY)
def test_rewritten_patterns_match_as_the_plain_ones(text: str) -> None:
    for name, plain in PLAIN.items():
        assert [m.span() for m in REWRITTEN[name].finditer(text)] == [m.span() for m in plain.finditer(text)], name
    # the two insertions: a zero-width match in the plain form, a one-character match now
    after = re.compile(f"(?<=[،؛؟!:.»)\\]])(?=[{_L}«(])")
    before = re.compile(f"(?<=[{_L}])(?=[«(])")
    assert [m.end() for m in N._MISSING_AFTER_RE.finditer(text)] == [m.start() for m in after.finditer(text)]
    assert [m.start() for m in N._MISSING_BEFORE_RE.finditer(text)] == [m.start() for m in before.finditer(text)]


@settings(max_examples=300)
@given(TRICKY)
def test_line_rules_give_what_they_give_on_the_whole_text(text: str) -> None:
    cfg = N.DEFAULT_CONFIG
    assert N.fix_spacing(text) == N._spacing_in_line(text, cfg)
    assert N.persian_punctuation(text) == N._punctuation_in_line(text, cfg)
    assert N.collapse_repeated_letters(text) == N._outside_urls(text, lambda t: N._repeated_in_line(t, cfg))


@settings(max_examples=300)
@given(TRICKY)
def test_found_characters_give_the_regex_runs(text: str) -> None:
    for targets in (chars.INVISIBLE, chars.DIACRITICS, chars.KASHIDA, "".join(chars.LETTER_MAP), "0123456789٠١٢"):
        runs = [m.span() for m in re.finditer(f"[{re.escape(targets)}]+", text)]
        assert N._runs(N._positions(text, targets)) == runs
    wrong = []
    for m in re.finditer("\u200c+", text):
        s, e = m.span()
        keep = s > 0 and text[s - 1] in chars.JOINING and e < len(text) and N._is_letter(text[e])
        if not keep or e - s > 1:
            wrong.append((s, e))
    assert [m.span() for m in N._WRONG_ZWNJ_RE.finditer(text)] == wrong


def fast_rule(rule: N.Rule, config: N.NormalizerConfig) -> Callable[[str], str]:
    """The text ``rule`` gives by the fast forms ``N.plan`` runs: its table, then its fast path (or its edits
    applied)."""
    step = N._rule_step(rule, config)
    if rule.table is None:
        return step
    table = N.CharMap(rule.table)
    return table if rule.fast is None else lambda text: step(table(text))


@settings(max_examples=300)
@given(TRICKY, st.sampled_from(["persian", "latin"]))
def test_fast_rules_equal_their_edits(text: str, digits: str) -> None:
    cfg = N.NormalizerConfig(digits=digits)  # type: ignore[arg-type]
    for rule in N.RULES:
        assert fast_rule(rule, cfg)(text) == apply_edits(text, rule.edits(text, cfg)), rule.name


@settings(max_examples=300)
@given(TRICKY, st.sampled_from(["persian", "latin"]))
def test_digits_skip_protected_spans_as_the_plain_rule(text: str, digits: str) -> None:
    cfg = N.NormalizerConfig(digits=digits)  # type: ignore[arg-type]
    pattern = re.compile("[0-9٠-٩]+" if digits == "persian" else "[۰-۹٠-٩]+")
    table = N._TO_PERSIAN if digits == "persian" else N._TO_LATIN
    plain = N._sub_outside(pattern, text, lambda m: m.group().translate(table))  # protected: whole text
    assert N.convert_digits(text, cfg) == plain



CONFIGS = st.builds(N.NormalizerConfig, letters=st.booleans(), invisible=st.booleans(), kashida=st.booleans(),
                    diacritics=st.booleans(), repeated=st.booleans(), digits=st.sampled_from(["keep", "persian", "latin"]),
                    punctuation=st.booleans(), spacing=st.booleans(), halfspace=st.just(False))


def test_rules_and_plans_are_hashable() -> None:
    assert len({*N.RULES}) == len(N.RULES)
    assert N.plan(N.NormalizerConfig(digits="latin")) is N.plan(N.NormalizerConfig(digits="latin"))  # cached


@settings(max_examples=300)
@given(TRICKY, CONFIGS)
def test_normalize_gives_the_text_of_the_rules_edits(text: str, cfg: N.NormalizerConfig) -> None:
    # normalize composes the character maps of consecutive rules; the edits apply rule after rule
    assert N.normalize(text, cfg) == N.normalize_with_alignment(text, cfg)[0]


@settings(max_examples=300)
@given(TRICKY)
def test_presentation_runs_are_the_regex_matches(text: str) -> None:
    assert N._presentation_runs(text) == [m.span() for m in N._PRESENTATION_RE.finditer(text)]


MAPS = st.dictionaries(st.sampled_from("abcdeي\u200b"), st.sampled_from(["", "a", "b", "x", "yz", "ی"]), max_size=5)


@settings(max_examples=300)
@given(st.text("abcdexyzي\u200bی", max_size=30), st.lists(MAPS, min_size=1, max_size=3))
def test_composed_char_maps_apply_each_map_in_turn(text: str, maps: list[dict[str, str]]) -> None:
    composed = N.CharMap(maps[0])
    want = text.translate({ord(k): v for k, v in maps[0].items()})
    for m in maps[1:]:
        composed = composed.then(m)
        want = want.translate({ord(k): v for k, v in m.items()})
    assert composed(text) == want


needs_c = pytest.mark.skipif(not N.ACCELERATED, reason="khabar.text._scan (with the normalizer's scans) is not built")
# any text, also with characters outside the BMP (a string of 4-byte characters) and of one byte only
ANY_TEXT = TRICKY | st.text(st.sampled_from("a\n\n\u00e9\u00ad\u0640\U0001f600\U00010000b"), max_size=30) | st.text()


@needs_c
@settings(max_examples=500)
@given(ANY_TEXT, st.text(max_size=6) | st.sampled_from([chars.INVISIBLE, chars.HSPACE, "\U0001f600a\n"]))
def test_c_scans_equal_the_python_ones(text: str, targets: str) -> None:
    assert N._scan.find_chars(text, targets) == N._positions_py(text, targets)
    assert N._scan.triples(text) == N._triples_py(text)
    assert N._spacing_at_c(text) == N._spacing_at_py(text)
    assert N._presentation_positions_c(text) == N._presentation_positions_py(text)
    assert N._scan.touching_runs(text, targets) == N._touching_runs_py(text, targets)


@needs_c
@settings(max_examples=500)
@given(ANY_TEXT, st.dictionaries(st.characters(max_codepoint=0x20000), st.sampled_from(["", "a", "\u200b", "\U0001f600"])
                                 | st.characters(), max_size=8))
def test_c_remap_is_translate(text: str, table: dict[str, str]) -> None:
    table.update({c: "" for c in text[:2]})  # keys that occur
    want = text.translate({ord(k): v for k, v in table.items()})
    assert N._scan.remap(text, table) == want
    assert N._remap_py(text, table) == want


@settings(max_examples=500)
@given(ANY_TEXT | st.lists(TRICKY, max_size=40).map(" ".join))
def test_protected_spans_found_around_latin_letters_are_the_regex_matches(text: str) -> None:
    assert N._protected_chunked(text) == N._protected(text)
    assert N._protected_chunked(text * 200) == N.protected_spans(text * 200) == N._protected(text * 200)


@needs_c
def test_c_scans_reject_bad_arguments() -> None:
    with pytest.raises(ValueError):
        N._scan.remap("abc", {"a": "xy"})
    with pytest.raises(ValueError):
        N._scan.remap("abc", {"ab": "x"})
    with pytest.raises(TypeError):
        N._scan.find_chars(b"abc", "a")
    with pytest.raises(ValueError):
        N._scan.find_chars("abc", "".join(map(chr, range(0x10000, 0x10100))))  # too many outside the BMP
    with pytest.raises(ValueError):
        N._scan.spacing_at("abc", b"short")


@settings(max_examples=200)
@given(TRICKY, CONFIGS)
def test_normalize_without_the_c_scans_is_the_same(text: str, cfg: N.NormalizerConfig) -> None:
    want = N.normalize(text, cfg)
    scans = ("_positions", "_triples", "_spacing_at", "_presentation_positions", "_remap", "_touching_runs")
    saved = {name: getattr(N, name) for name in scans}
    try:
        for name in scans:
            setattr(N, name, getattr(N, name + "_py"))
        assert N.normalize(text, cfg) == want
        assert N.normalize_with_alignment(text, cfg)[0] == want
    finally:
        for name, fn in saved.items():
            setattr(N, name, fn)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(list("ab hptswHTPSW:/.fي«»\"' ") + ["http://", "https://", "www.", "ftp://", "://",
                                                                  "HTTP://", "Www.", "WWW.", "wWw."]),
                max_size=30).map("".join), st.data())
def test_url_spans_are_the_url_regex_matches(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert N._url_spans(text) == [m.span() for m in N._URL_RE.finditer(text)]
    assert N._url_spans(text, start, end) == [m.span() for m in N._URL_RE.finditer(text, start, end)]
