"""The half-space rule's speed measures (issue 2) change no answer: caches of any size give the same
edits, and the garbage-collector pause leaves the collector as it found it."""

from __future__ import annotations

import gc
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text import halfspace
from khabar.text.alignment import apply_edits

# Words and pieces that make the restorer work: prefixes, suffixes, compounds, names, known and
# unknown words, written solid, spaced and with half-spaces.
WORDS = ["می", "نمی", "شود", "میشود", "می\u200cشود", "ها", "های", "کتاب", "کتابهای", "بین", "المللی",
         "بینالمللی", "قره", "باغ", "پیش", "بینی", "پیشبینی", "این", "که", "اینکه", "همان", "طور", "خود", "به",
         "تعلیق", "شده", "اند", "شده\u200cاند", "بدنسازی", "سنگینم", "هر", "گاه", "رئیس", "جمهور", "ترین",
         "بزرگترین", "گفت", "و", "در", "از", "تهران", "ایران", "سیاستهای", "حرفه", "ای", "گوینده", "x", "۱۲"]
TEXT = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", " ", "، ", "\n", "  "])),
                max_size=40).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_tiny_caches_give_the_same_edits(texts: list[str]) -> None:
    # every cache cleared again and again (and the fast path's sets rebuilt): the same edits
    reference = halfspace.get_restorer()
    small = halfspace.Restorer(halfspace.load_model())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspace, "CACHE_SIZE", 3)
        got = [small.edits(t) for t in texts]
    assert got == [reference.edits(t) for t in texts]


def test_restored_after_caches_cleared() -> None:
    text = "پیشرفتهای بین المللی میگوییم که کتابهای سیاستهای"
    r = halfspace.Restorer(halfspace.load_model())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halfspace, "CACHE_SIZE", 0)
        for _ in range(3):
            assert apply_edits(text, r.edits(text)) == "پیشرفت\u200cهای بین\u200cالمللی می\u200cگوییم که کتاب\u200cهای سیاست\u200cهای"


@pytest.mark.parametrize("enabled", [True, False])
def test_collector_left_as_found(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert apply_edits("میگوییم", halfspace.halfspace_edits("میگوییم")) == "می\u200cگوییم"
        assert gc.isenabled() is enabled
        with halfspace._gc_paused():
            with halfspace._gc_paused():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_collector_runs_again_after_threads() -> None:
    assert gc.isenabled()
    r = halfspace.get_restorer()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(30):
                assert apply_edits("کتابهای بین المللی", r.edits("کتابهای بین المللی")) == "کتاب\u200cهای بین\u200cالمللی"
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.isenabled()


def test_loading_the_model_leaves_the_collector_of_the_host_process_alone() -> None:
    # a library must not freeze the host's objects (gc.freeze would keep its cyclic garbage forever)
    before = gc.get_freeze_count()
    halfspace.load_model.__wrapped__()  # a fresh load, not the process's cached model
    assert gc.get_freeze_count() == before
    assert gc.isenabled()
