"""Shapes of the JSON API, for the OpenAPI document only.

Routes return the archive's dicts as they are (so ``/api/search`` is byte for byte the
JSON of ``khabar search --json``); these models describe them in ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(BaseModel):
    detail: str = Field(..., description="what was wrong, in plain words")


class AnalyzeRequest(BaseModel):
    text: str = Field(..., description="the text to analyze (nothing is stored)")
    title: str | None = Field(None, description="optional title, kept in meta")


class SearchHit(_Open):
    id: str
    title: str | None
    url: str | None
    published: str | None = Field(None, description="ISO date")
    snippet: str = Field(..., description="HTML: <mark> around matches, everything else escaped")
    score: float = Field(..., description="higher is better")


class SearchResult(_Open):
    query: str
    total: int
    results: list[SearchHit]


class QuoteRow(_Open):
    doc_id: str
    title: str | None
    published: str | None
    kind: str = Field(..., description="direct | indirect")
    content: str
    cue: str | None
    speaker: str


class SpeakerQuotes(BaseModel):
    speaker: str
    quotes: list[QuoteRow] = Field(..., description="newest first")


class Count(_Open):
    name: str
    count: int


class Speakers(BaseModel):
    speakers: list[Count]


class EntityDocument(_Open):
    id: str
    title: str | None
    published: str | None
    count: int = Field(..., description="mentions in this article")


class EntityOverview(_Open):
    entity: Any
    documents: list[EntityDocument]
    speakers: list[Count] = Field(..., description="who is quoted in those articles")


class DocumentJSON(_Open):
    """A khabar.document/1 document (docs/schema.md): raw, text, sentences, tokens, entities, quotes,
    source, meta and the normalizer's changes."""

    schema_: str = Field("khabar.document/1", alias="schema")
    id: str
    meta: dict[str, Any]
    raw: str
    text: str
