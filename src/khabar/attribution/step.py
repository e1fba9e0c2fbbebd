"""The ``attribution`` pipeline step: quotations with their speakers, and the source line."""

from __future__ import annotations

import re

from khabar.attribution.quotes import find_quotations, subject_span
from khabar.attribution.source_line import find_source
from khabar.attribution.speakers import (
    Resolver,
    buried_name,
    classify,
    known_names,
    mention_names,
    merge_person_pieces,
    title_key,
)
from khabar.document import Document, Quote, Span, Speaker


def attribution_step(doc: Document) -> Document:
    """Set ``doc.quotes`` and ``doc.source`` from ``doc.text`` (uses ``doc.sentences`` and ``doc.entities``)."""
    text = doc.text
    source, source_span = find_source(text)
    sentences = [(s.start, s.end) for s in doc.sentences]
    found = find_quotations(text, sentences)
    if source_span is not None:
        # the source line is never a quotation
        found = [f for f in found if not (source_span[0] <= f.content[0] < source_span[1]
                                          and f.content[1] <= source_span[1])]
    if source_span is not None:
        # «به گزارش "ورزش سه" و به نقل از فارس روزنامه آبولا ... عنوان کرد»: the subject follows the source line
        for f in found:
            if f.cue and f.sentence[0] <= source_span[1] <= f.cue[0] and (
                    f.mention is None or f.mention[0] < source_span[1]):
                f.mention = subject_span(text, source_span[1], f.cue[0])
    entities = merge_person_pieces(text, list(doc.entities))  # indices stay those of doc.entities
    spoken = mention_names(text, [f.mention for f in found], entities)
    names = known_names(text, [f.mention for f in found], entities, spoken)
    for f in found:
        if f.mention is None and f.cue is not None and f.via in ("verb", "clause"):
            f.mention = buried_name(text, f.sentence[0], f.cue[0], names)
    resolver = Resolver(text, entities, names, spoken)
    quotes = []
    self_titled: dict[str, list[int]] = {}  # a title standing for itself -> the quotes given to it
    later: dict[str, tuple[str, int | None]] = {}  # a title -> the named person it was later resolved to
    kinds: list[str] = []
    for f in found:
        mention = classify(text, f.mention, entities)
        if f.mention is not None and re.match(r"[ \u200c]*(?:نیز|هم)[ \u200c]", text[f.mention[1]:f.mention[1] + 6]):
            mention.also = True  # «رئیس اتاق اصناف نیز ... گفت»: a new speaker, not the last one
        name, entity = resolver.resolve(mention, nested=f.via == "nested")
        if mention.kind == "title" and name == mention.name:
            self_titled.setdefault(_same_title(self_titled, name) or title_key(name), [])
        elif mention.kind == "title" and mention.name and name and _same_title(self_titled, mention.name):
            later.setdefault(_same_title(self_titled, mention.name) or "", (name, entity))
        if name and _same_title(self_titled, name):
            self_titled[_same_title(self_titled, name) or ""].append(len(quotes))
        kinds.append(mention.kind)
        quotes.append(Quote(
            kind=f.kind,
            content=Span(*f.content),
            cue=Span(*f.cue) if f.cue else None,
            speaker=Speaker(mention=Span(*f.mention) if f.mention else None, name=name, entity=entity),
        ))
    # «وزیر انرژی آمریکا نیز گفت: ...، اسپنسر گراهام ... افزود: ...»: a title named in the same paragraph
    # «معاون رئیس جمهور عراق گفت: ...» opening the article, «طارق الهاشمی افزود: ...» next: the title was him
    for i in range(len(quotes) - 1):
        a, b = quotes[i], quotes[i + 1]
        key = _same_title(self_titled, a.speaker.name) if kinds[i] == "title" and a.speaker.name else None
        first = "name" not in kinds[:i]
        if (key and kinds[i + 1] == "name" and b.speaker.name and key not in later
                and ("\n" not in text[a.content.end:b.content.start] or first)):
            later[key] = (b.speaker.name, b.speaker.entity)
    # «مدیرکل ... گفت: ...» before the article names him, «سید مصطفی آذرکش» later: the title was him
    for key, (name, entity) in later.items():
        for i in self_titled[key]:
            quotes[i].speaker.name, quotes[i].speaker.entity = name, entity
    # a speaker the article has not named yet («او گفت» at the top): the first person named after it
    first_named = next((q.speaker for q in quotes if q.speaker.name and q.speaker.mention is not None
                        and classify(text, (q.speaker.mention.start, q.speaker.mention.end), entities).kind == "name"),
                       None)
    if first_named is not None:
        for q in quotes:
            if q.speaker.name is not None:
                break
            q.speaker.name, q.speaker.entity = first_named.name, first_named.entity
    # «خواستند که ...», «می‌گویند ...» with no subject and nobody before: a generic "they", no source
    doc.quotes = [q for q in quotes if q.speaker.name is not None or not _plural(text, q)]
    doc.source = source
    return doc


def _same_title(titles: dict[str, list[int]], name: str | None) -> str | None:
    """The key in ``titles`` of the same title as ``name`` («مسئول ستاد ارتحال امام (ره)» = «مسئول ستاد ارتحال امام»)."""
    if not name:
        return None
    key = title_key(name)
    return next((t for t in titles if t == key or (min(len(t), len(key)) >= 8 and (t.startswith(key)
                                                                                  or key.startswith(t)))), None)


def _plural(text: str, q: Quote) -> bool:
    if q.cue is None or q.speaker.mention is not None:
        return False
    cue = text[q.cue.start:q.cue.end].replace("\u200c", "").replace(" ", "")
    return cue.endswith(("ند", "اند"))
