"""The half-space model's compact tables (``khabar.text._halfspace.Table``, issue 2's load time and
memory): a Table answers every question a dict or frozenset of the same keys answers, with the same
values, and a model loaded into Tables restores text exactly as one loaded into dicts and sets (the
pure-Python path's, where the extension is not built)."""

from __future__ import annotations

import copy
import gzip
import pickle
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text import halfspace

pytestmark = pytest.mark.skipif(not halfspace.ACCELERATED, reason="khabar.text._halfspace is not built")

KEY = st.text(st.characters(blacklist_characters="\n"), max_size=8)
PROBES = ["", "a", "ab", "کتاب", "کتاب\u200cها", "\U0001f600", "a b", 3, None, ("a",)]


def _mapping_answers(table: object, reference: dict | frozenset, probes: list) -> None:
    """Every question on ``table`` answered as ``reference`` answers it."""
    assert len(table) == len(reference)  # type: ignore[arg-type]
    assert sorted(table) == sorted(reference)  # type: ignore[call-overload]
    for k in [*reference, *probes]:
        assert (k in table) == (k in reference)  # type: ignore[operator]
        if isinstance(reference, dict):
            assert table.get(k) == reference.get(k)  # type: ignore[attr-defined]
            assert table.get(k, -1.5) == reference.get(k, -1.5)  # type: ignore[attr-defined]
            if k in reference:
                assert table[k] == reference[k]  # type: ignore[index]
            else:
                with pytest.raises(KeyError):
                    table[k]  # type: ignore[index]
    hashable = [k for k in probes if not isinstance(k, list)]
    keys = reference.keys() if isinstance(reference, dict) else reference
    assert table.isdisjoint(hashable) == keys.isdisjoint(hashable)  # type: ignore[attr-defined]
    assert not table.isdisjoint([*hashable, *reference][-1:]) or not reference  # type: ignore[attr-defined]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEY, st.floats(allow_nan=False), max_size=40), st.lists(KEY, max_size=10))
def test_a_table_of_floats_is_its_dict(d: dict[str, float], probes: list[str]) -> None:
    _mapping_answers(halfspace._table(d, "float"), d, [*probes, *PROBES])


@settings(max_examples=200, deadline=None)
@given(st.frozensets(KEY, max_size=40), st.lists(KEY, max_size=10))
def test_a_table_of_keys_is_its_set(s: frozenset[str], probes: list[str]) -> None:
    _mapping_answers(halfspace._table(s, "set"), s, [*probes, *PROBES])


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(KEY, st.tuples(st.floats(allow_nan=False), st.floats(allow_nan=False)), max_size=20),
       st.dictionaries(KEY, KEY, max_size=20))
def test_tables_of_pairs_and_of_strs(pairs: dict[str, tuple[float, float]], forms: dict[str, str]) -> None:
    _mapping_answers(halfspace._table(pairs, "pair"), pairs, PROBES)
    _mapping_answers(halfspace._table(forms, "str"), forms, PROBES)


def test_keys_are_lines_and_floats_come_back_as_written() -> None:
    Table = halfspace._halfspace.Table
    t = Table("b\na\nc", (array("f", [0.1, 2.0, -3.5]),))
    assert t["b"] == array("f", [0.1])[0] and t["a"] == 2.0 and t["c"] == -3.5  # float32 read exactly
    twice = Table("x\ny\nx", (array("d", [1.0, 3.0, 2.0]),))  # the last of equal keys, as dict(pairs) keeps
    assert (twice["x"], len(twice), sorted(twice)) == (2.0, 2, ["x", "y"])
    assert len(Table("")) == 0 and "" not in Table("")
    assert len(Table("", empty_key=True)) == 1 and "" in Table("", empty_key=True)  # "".split("\n") == [""]
    assert Table("a\nb", (array("f", [1, 2]), array("f", [3, 4])))["b"] == (2.0, 4.0)


# Pairs of keys whose FNV-1a hashes agree in the upper 32 bits (the slot's tag) and the low 4 (the first
# slot of a small table): only comparing the keys' characters tells them apart.
COLLIDING = [("enocx", "ghtvt"), ("ااجوا", "اچتون")]


@pytest.mark.parametrize("a, b", COLLIDING)
def test_keys_with_one_tag_are_told_apart(a: str, b: str) -> None:
    Table = halfspace._halfspace.Table
    assert b not in Table(a) and Table(a, (array("d", [1.0]),)).get(b) is None
    assert not Table(a)._has_joined(b[:2], b[2:])
    t = Table(f"{a}\n{b}", (array("d", [1.0, 2.0]),))
    assert (t[a], t[b], len(t)) == (1.0, 2.0, 2)


@settings(max_examples=200, deadline=None)
@given(st.lists(KEY, max_size=30), st.lists(st.tuples(KEY, KEY, st.none() | KEY), max_size=10),
       st.sampled_from(["", " "]))
def test_joined_lookups_are_lookups_of_the_joined_str(keys: list[str], probes: list, sep: str) -> None:
    # the run loops look up a + b (+ c) without making the str: the same answers as the str's
    keys = [*keys, *(sep.join(p for p in probe if p is not None) for probe in probes[::2])]
    table = halfspace._table(keys, "set")
    for a, b, c in [*probes, *((k[:1], k[1:], None) for k in keys)]:
        joined = sep.join(p for p in (a, b, c) if p is not None)
        assert table._has_joined(a, b, c, sep) == (joined in set(keys)), (a, b, c, sep)


def test_a_table_keeps_its_own_values() -> None:
    values = ["x", "y"]
    t = halfspace._halfspace.Table("a\nb", values=values)
    values.clear()  # the caller's list changes: the table's values do not
    assert (t["a"], t["b"]) == ("x", "y")


def test_keys_with_line_breaks_are_refused_and_empty_tables_keep_their_kind() -> None:
    with pytest.raises(ValueError):
        halfspace._table({"a\nb": 1.0}, "float")
    with pytest.raises(ValueError):
        halfspace._table(["a\nb"], "set")
    assert halfspace._table(["a", "a", "b"], "set").isdisjoint(["c"]) and len(halfspace._table(["a", "a"], "set")) == 1
    # an empty table of contexts or forms is still one the C path reads (two columns; str values)
    model = pickle.loads(gzip.decompress(halfspace.model_path().read_bytes()))
    d = {**halfspace.unpack(model), "ctx": {}, "forms": {}}
    r = halfspace.Restorer(halfspace.HalfspaceModel.from_dict(d))
    assert r.edits_c("میگوییم کتابهای") == r.edits_py("میگوییم کتابهای")


@pytest.mark.parametrize("args, kwargs, error", [
    (("a\nb", (array("f", [1.0]),)), {}, ValueError),           # one float short
    (("a", (b"\x00\x00\x80\x3f",)), {}, TypeError),             # bytes, not floats
    (("a", (array("i", [1]),)), {}, TypeError),                 # ints
    (("a",), {"values": ["x", "y"]}, ValueError),               # two values for one key
    (("a",), {"values": ("x",)}, TypeError),                    # not a list
    (("a",), {"values": ["x"], "columns": (array("d", [1.0]),)}, ValueError),  # values and columns
    ((b"a",), {}, TypeError),                                   # keys not a str
])
def test_bad_tables_are_refused(args: tuple, kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        halfspace._halfspace.Table(*args, **kwargs)


def test_the_shipped_model_in_tables_is_the_model_in_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = pickle.loads(gzip.decompress(halfspace.model_path().read_bytes()))
    tables = halfspace.unpack(packed)
    monkeypatch.setattr(halfspace, "_halfspace", None)
    plain = halfspace.unpack(packed)
    for name in halfspace._TABLES:
        t, p = tables[name], plain[name]
        if isinstance(p, dict):
            assert len(t) == len(p), name
            assert all(t.get(k) == v for k, v in p.items()), name
        else:
            assert sorted(t) == sorted(set(p)), name


def test_a_model_in_tables_restores_as_one_in_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    text = ("پیشرفتهای بین المللی میگوییم که کتابهای سیاستهای قره باغ را پیش بینی میکنند و نشست های سه گانه "
            "تعلیق شده و بدنسازی سنگینم هر گاه کند ترین ها دا لایی لاما")
    c = halfspace.Restorer(halfspace.load_model())
    expected = c.edits_c(text)
    assert expected == c.edits_py(text) and expected
    packed = pickle.loads(gzip.decompress(halfspace.model_path().read_bytes()))
    monkeypatch.setattr(halfspace, "_halfspace", None)
    plain = halfspace.Restorer(halfspace.HalfspaceModel.from_dict(halfspace.unpack(packed)))
    assert isinstance(plain.m.uni, dict) and isinstance(plain.m.triples, frozenset)
    assert plain.edits(text) == expected
    # with the extension built, a build's model of dicts (compact=False) is read by the Python path
    dicts = halfspace.unpack(packed)
    monkeypatch.undo()
    live = halfspace.Restorer(halfspace.HalfspaceModel.from_dict(dicts, compact=False))
    assert isinstance(live.m.uni, dict) and not live._accelerated
    assert live.edits(text) == expected
    with pytest.raises(ImportError):
        live.edits_c(text)


def test_tables_pickle_and_copy() -> None:
    Table = halfspace._halfspace.Table
    tables = [Table(""), Table("", empty_key=True), Table("a\nb\na", (array("f", [1, 2, 3]),)),
              Table("a\nب", (array("d", [1.5, 2]), array("d", [3, 4]))), Table("a\n\U0001f600", values=["x", "y"])]
    for t in tables:
        for again in (pickle.loads(pickle.dumps(t)), copy.deepcopy(t)):
            assert type(again) is Table and len(again) == len(t) and sorted(again) == sorted(t)
            assert all(again[k] == t[k] for k in t)
    model = halfspace.load_model()
    again = pickle.loads(pickle.dumps(model))
    text = "پیشرفتهای بین المللی میگوییم که کتابهای سیاستهای"
    assert halfspace.Restorer(again).edits_c(text) == halfspace.Restorer(model).edits_c(text)
