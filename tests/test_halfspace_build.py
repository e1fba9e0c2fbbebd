"""The half-space build's vote rules for words only a lexicon lists (training/build_halfspace.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))

from build_halfspace import LEXICON_VOTE, PLURAL_STEM_MIN, best_form, kin_of_kept, plural_misread  # noqa: E402

ZWNJ = "\u200c"


def test_best_form_most_votes_then_more_zwnjs() -> None:
    assert best_form(Counter({"ab": 1.0, "a" + ZWNJ + "b": 0.5})) == "ab"
    assert best_form(Counter({"ab": 1.0, "a" + ZWNJ + "b": 1.0})) == "a" + ZWNJ + "b"


def test_kin_of_a_kept_word_keeps_its_style() -> None:
    keep = {"آنها"}
    # the lexicon's «آنه‌ای» cuts inside the kept «آنها»: the kin is kept solid
    assert kin_of_kept("آنهای", Counter({"آنه" + ZWNJ + "ای": LEXICON_VOTE}), keep)
    assert kin_of_kept("آنهایم", Counter({"آن" + ZWNJ + "هایم": LEXICON_VOTE}), keep)
    # a ZWNJ after the kept word, a solid form, or no kept word in front: not kin
    assert not kin_of_kept("آنهایم", Counter({"آنها" + ZWNJ + "یم": LEXICON_VOTE}), keep)
    assert not kin_of_kept("آنهای", Counter({"آنهای": LEXICON_VOTE}), keep)
    assert not kin_of_kept("کتابهای", Counter({"کتاب" + ZWNJ + "های": LEXICON_VOTE}), keep)
    # more than two letters after the kept word is another word
    assert not kin_of_kept("آنهاییشان", Counter({"آن" + ZWNJ + "هاییشان": LEXICON_VOTE}), keep)


def test_one_lexicons_e_ai_reading_of_a_common_words_plural_is_misread() -> None:
    uni = Counter({"پلیس": PLURAL_STEM_MIN, "کمین": PLURAL_STEM_MIN - 1, "خامه": 0, "خام": 50, "دختر": 99})
    one = Counter({"پلیسه" + ZWNJ + "ای": LEXICON_VOTE})
    assert plural_misread("پلیسهای", one, uni, Counter())
    # the word with «ه» written solid in the news, a stem seen too rarely, two lexicons: the lexicon stands
    assert not plural_misread("پلیسهای", one, uni, Counter({"پلیسه": 1}))
    assert not plural_misread("کمینهای", Counter({"کمینه" + ZWNJ + "ای": LEXICON_VOTE}), uni, Counter())
    assert not plural_misread("خامهای", Counter({"خامه" + ZWNJ + "ای": 2 * LEXICON_VOTE}), uni, Counter())
    # a word in «ه» needs only to be seen: no word of it ends in a second «ه» (but «شبهه» is seen, and stands)
    uni.update({"جزیره": 1, "شبه": 5, "شبهه": 3})
    assert plural_misread("جزیرههای", Counter({"جزیرهه" + ZWNJ + "ای": LEXICON_VOTE}), uni, Counter())
    assert not plural_misread("شبههای", Counter({"شبهه" + ZWNJ + "ای": LEXICON_VOTE}), uni, Counter())
    # ... and a stem ending in a letter that does not join, or another reading, is not this case
    assert not plural_misread("دخترهای", Counter({"دختره" + ZWNJ + "ای": LEXICON_VOTE}), uni, Counter())
    assert not plural_misread("پلیسهای", Counter({"پلیس" + ZWNJ + "های": LEXICON_VOTE}), uni, Counter())
