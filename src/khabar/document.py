"""The Document: raw input, normalized text, alignment, and stand-off spans.

Every annotation is a span ``(start, end)`` of ``doc.text``; ``doc.raw_span``
maps it back to ``doc.raw``.  ``to_dict`` / ``from_dict`` read and write the
``khabar.document/1`` JSON schema (see docs/schema.md).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import eq, itemgetter
from typing import Any, overload

from khabar.text.alignment import Alignment

SCHEMA = "khabar.document/1"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token(Span):
    kind: str = "word"


# Token is a frozen dataclass with slots: its generated __init__ sets each field through
# object.__setattr__.  The slot descriptors set the same fields from C (map over the columns), giving
# equal objects at about half the cost.
_new = object.__new__
_SET_START = Token.start.__set__  # type: ignore[attr-defined]
_SET_END = Token.end.__set__  # type: ignore[attr-defined]
_SET_KIND = Token.kind.__set__  # type: ignore[attr-defined]


def make_tokens(starts: Sequence[int], ends: Sequence[int], kinds: Sequence[str]) -> list[Token]:
    """``Token`` objects for three equally long columns, built without a Python call per token."""
    tokens: list[Token] = list(map(_new, repeat(Token, len(ends))))
    deque(map(_SET_START, tokens, starts), 0)
    deque(map(_SET_END, tokens, ends), 0)
    deque(map(_SET_KIND, tokens, kinds), 0)
    return tokens


def make_spans(pairs: Sequence[tuple[int, int]]) -> list[Span]:
    """``Span`` objects for (start, end) pairs, built the same way (Token's start and end are Span's slots)."""
    spans: list[Span] = list(map(_new, repeat(Span, len(pairs))))
    deque(map(_SET_START, spans, map(itemgetter(0), pairs)), 0)
    deque(map(_SET_END, spans, map(itemgetter(1), pairs)), 0)
    return spans


class TokenList(Sequence[Token]):
    """A document's tokens held as three columns (start and end offsets, kinds).

    It reads like a list of :class:`Token` (``len``, indexing, slicing, iteration, equality with a
    list of tokens) but is read-only, and makes a ``Token`` object only when one is read: the
    ``segment`` step stores tens of thousands of tokens per article without an object for each.
    """

    __slots__ = ("starts", "ends", "kinds")

    def __init__(self, starts: list[int], ends: list[int], kinds: list[str]) -> None:
        if not len(starts) == len(ends) == len(kinds):
            raise ValueError(f"token columns differ in length: {len(starts)}, {len(ends)}, {len(kinds)}")
        self.starts = starts
        self.ends = ends
        self.kinds = kinds

    @classmethod
    def from_tokens(cls, tokens: Iterable[Token]) -> TokenList:
        tokens = list(tokens)
        return cls([t.start for t in tokens], [t.end for t in tokens], [t.kind for t in tokens])

    def __len__(self) -> int:
        return len(self.ends)

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> TokenList: ...

    def __getitem__(self, i: int | slice) -> Token | TokenList:
        if isinstance(i, slice):
            return TokenList(self.starts[i], self.ends[i], self.kinds[i])
        token = _new(Token)
        _SET_START(token, self.starts[i])
        _SET_END(token, self.ends[i])
        _SET_KIND(token, self.kinds[i])
        return token

    def __iter__(self) -> Iterator[Token]:
        return iter(make_tokens(self.starts, self.ends, self.kinds))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TokenList):
            return self.ends == other.ends and self.starts == other.starts and self.kinds == other.kinds
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(map(eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"TokenList({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Entity(Span):
    label: str = "MISC"


@dataclass(slots=True)
class Speaker:
    mention: Span | None = None
    name: str | None = None
    entity: int | None = None


@dataclass(slots=True)
class Quote:
    kind: str  # "direct" | "indirect"
    content: Span
    cue: Span | None = None
    speaker: Speaker = field(default_factory=Speaker)


@dataclass(slots=True)
class Source:
    agency: str | None = None
    reporter: str | None = None
    cited: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Change:
    """One normalizer rule's change: ``raw[raw_start:raw_end]`` (``before``) became ``after``."""

    rule: str
    raw_start: int
    raw_end: int
    before: str
    after: str


@dataclass
class Document:
    raw: str
    text: str = ""
    alignment: Alignment | None = None
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: list[Span] = field(default_factory=list)
    tokens: Sequence[Token] = field(default_factory=list)  # a TokenList once segmented
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    source: Source | None = None
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.alignment is None:
            if self.text and self.text != self.raw:
                raise ValueError("a Document whose text differs from raw needs an alignment")
            self.text = self.text or self.raw
            self.alignment = Alignment.identity(self.raw)
        if self.id is None:
            self.id = content_id(self.raw)

    # -- offsets ---------------------------------------------------------
    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that became ``text[start:end]``."""
        assert self.alignment is not None
        return self.alignment.raw_span(start, end)

    def span_dict(self, span: Span) -> dict[str, Any]:
        raw_start, raw_end = self.raw_span(span.start, span.end)
        return {"start": span.start, "end": span.end, "raw_start": raw_start, "raw_end": raw_end,
                "text": self.text[span.start:span.end]}

    # -- JSON ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def bare(span: Span) -> dict[str, Any]:
            d = self.span_dict(span)
            del d["text"]
            return d

        out: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "meta": {"title": self.meta.get("title"), "url": self.meta.get("url"),
                     "published": self.meta.get("published"),
                     **{k: v for k, v in self.meta.items() if k not in ("title", "url", "published")}},
            "raw": self.raw,
            "text": self.text,
            "sentences": [bare(s) for s in self.sentences],
            "tokens": self._token_dicts(),
            "entities": [{**self.span_dict(e), "label": e.label} for e in self.entities],
            "quotes": [
                {"kind": q.kind,
                 "content": self.span_dict(q.content),
                 "cue": self.span_dict(q.cue) if q.cue else None,
                 "speaker": {"mention": self.span_dict(q.speaker.mention) if q.speaker.mention else None,
                             "name": q.speaker.name, "entity": q.speaker.entity}}
                for q in self.quotes
            ],
            "source": ({"agency": self.source.agency, "reporter": self.source.reporter,
                        "cited": list(self.source.cited)} if self.source else
                       {"agency": None, "reporter": None, "cited": []}),
        }
        if self.changes:
            out["changes"] = [{"rule": c.rule, "raw_start": c.raw_start, "raw_end": c.raw_end,
                               "before": c.before, "after": c.after} for c in self.changes]
        return out

    def _token_dicts(self) -> list[dict[str, Any]]:
        tokens = self.tokens if isinstance(self.tokens, TokenList) else TokenList.from_tokens(self.tokens)
        assert self.alignment is not None
        n = len(self.alignment)
        raw = self.alignment.starts, self.alignment.ends
        out = []
        for start, end, kind in zip(tokens.starts, tokens.ends, tokens.kinds, strict=True):
            if 0 <= start < end <= n:
                raw_start, raw_end = raw[0][start], raw[1][end - 1]
            else:
                raw_start, raw_end = self.raw_span(start, end)
            out.append({"start": start, "end": end, "raw_start": raw_start, "raw_end": raw_end, "kind": kind})
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from ``to_dict`` output.

        The alignment is recomputed by normalizing ``raw`` again; when that no
        longer yields ``text`` (a different khabar version wrote it), a
        character-level diff aligns the two instead.
        """
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document: schema={data.get('schema')!r}")
        raw, text = data["raw"], data["text"]
        alignment = _realign(raw, text)

        def span(d: dict[str, Any]) -> Span:
            return Span(d["start"], d["end"])

        def opt(d: dict[str, Any] | None) -> Span | None:
            return span(d) if d else None

        src = data.get("source") or {}
        tokens = data.get("tokens", [])
        return cls(
            raw=raw, text=text, alignment=alignment, id=data.get("id"),
            meta={k: v for k, v in (data.get("meta") or {}).items() if v is not None},
            sentences=[span(s) for s in data.get("sentences", [])],
            tokens=TokenList([t["start"] for t in tokens], [t["end"] for t in tokens],
                             [t.get("kind", "word") for t in tokens]),
            entities=[Entity(e["start"], e["end"], e["label"]) for e in data.get("entities", [])],
            quotes=[Quote(q["kind"], span(q["content"]), opt(q.get("cue")),
                          Speaker(opt(q["speaker"].get("mention")), q["speaker"].get("name"),
                                  q["speaker"].get("entity")))
                    for q in data.get("quotes", [])],
            source=Source(src.get("agency"), src.get("reporter"), list(src.get("cited", []))),
            changes=[Change(**c) for c in data.get("changes", [])],
        )


def content_id(raw: str) -> str:
    """A stable id for a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _realign(raw: str, text: str) -> Alignment:
    from khabar.text.normalizer import normalize_with_alignment

    again, alignment, _ = normalize_with_alignment(raw)
    if again == text:
        return alignment
    return diff_alignment(raw, text)


def diff_alignment(raw: str, text: str) -> Alignment:
    """Align two strings with a character diff (used when re-normalizing disagrees)."""
    import difflib

    from khabar.text.alignment import Edit

    identity = Alignment.identity(raw)
    matcher = difflib.SequenceMatcher(None, raw, text, autojunk=False)
    edits = [Edit(i1, i2, text[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    return identity.apply(edits)
