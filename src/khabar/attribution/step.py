"""The ``attribution`` pipeline step: quotations with their speakers, and the source line."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from khabar.attribution.cues import find_cues
from khabar.attribution.quotes import (
    ORG_HEADS,
    PRONOUNS,
    STOP,
    Found,
    find_quotations,
    is_title_word,
    subject_span,
)
from khabar.attribution.source_line import find_source_and_dateline
from khabar.attribution.speakers import (
    _NOT_GIVEN,
    HONORIFICS,
    Mention,
    Resolver,
    TextWords,
    _name_like,
    buried_name,
    classify,
    fold,
    given_names,
    known_names,
    mention_names,
    merge_person_pieces,
    title_key,
)
from khabar.document import Document, Entity, Quote, Source, Span, Speaker


def attribution_step(doc: Document) -> Document:
    """Set ``doc.quotes`` and ``doc.source`` from ``doc.text`` (uses ``doc.sentences`` and ``doc.entities``)."""
    # a carriage return ends a line as a line feed does («\r\n» of Windows text, a lone «\r»): read as one, a
    # character for a character, so that every span found is the document's
    text = doc.text.replace("\r", "\n")
    source, source_span, dateline = find_source_and_dateline(text)
    sentences = [(s.start, s.end) for s in doc.sentences]
    found = find_quotations(text, sentences)
    if source_span is not None:
        # the source line is never a quotation
        found = [f for f in found if not (source_span[0] <= f.content[0] < source_span[1]
                                          and f.content[1] <= source_span[1])]
    # «به گزارش "ورزش سه" و به نقل از فارس روزنامه آبولا ... عنوان کرد», «تهران- ایرنا- وزیر گفت ...»: the subject
    # follows the source line, and a dateline (also one a source line on another line outranks)
    for span in sorted({source_span, dateline} - {None}, key=lambda s: s[1]):
        for f in found:
            if f.cue and f.sentence[0] <= span[1] <= f.cue[0] and (f.mention is None or f.mention[0] < span[1]):
                f.mention = subject_span(text, span[1], f.cue[0])
    entities = merge_person_pieces(text, list(doc.entities))  # indices stay those of doc.entities
    if source_span is not None:
        entities = _outside_source_line(text, entities, source_span)
    words = TextWords(text, [f.content for f in found] + _byline(text, source, source_span))
    plain = _speakers(text, found, [], words, sentences)
    chosen = list(zip(plain.names, plain.mentions, strict=True))
    if entities:
        chosen = _with_entities(text, found, plain, entities, words)
    quotes = [Quote(kind=f.kind, content=Span(*f.content), cue=Span(*f.cue) if f.cue else None,
                    speaker=Speaker(mention=Span(*m) if m else None, name=name, entity=entity))
              for f, ((name, entity), m) in zip(found, chosen, strict=True)]
    # «خواستند که ...», «می‌گویند ...» with no subject and nobody before: a generic "they", no source
    doc.quotes = [q for q in quotes if q.speaker.name is not None or not _plural(text, q)]
    doc.source = source
    return doc


def _byline(text: str, source: Source, span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Where the source line names its reporter (a byline: «به گزارش خبرنگار فارس مهدی صادقی، وزیر گفت ...»): no
    speaker's name is looked for there (the title after it was «مهدی صادقی وزیر»)."""
    name = source.reporter
    if span is None or not name or name.startswith("خبرنگار"):
        return []
    at = text.find(name, *span)
    return [] if at < 0 else [(at, at + len(name))]


def _outside_source_line(text: str, entities: list[Entity], span: tuple[int, int]) -> list[Entity]:
    """«به نقل از شین هوا ماهاتیر محمد ... گفت»: a PER span running from the cited outlet into the speaker's
    name starts where the source line ends (the outlet's words are no part of the name)."""
    out = []
    for e in entities:
        if e.start < span[1] < e.end and e.label == "PER":
            start = span[1]
            while start < e.end and text[start] in " \u200c\t،,":
                start += 1
            e = Entity(start, e.end, e.label) if start < e.end else e
        out.append(e)
    return out


class _Resolved(NamedTuple):
    """The speakers of an article's quotations resolved with one set of entities."""

    names: list[tuple[str | None, int | None]]
    mentions: list[tuple[int, int] | None]
    resolver: Resolver


def _link(text: str, span: tuple[int, int] | None, entities: list[Entity], linker: Resolver,
          name: str | None, linked: dict[str, int] | None = None) -> int | None:
    """The entity of a speaker: the one inside its mention when it names the same speaker, else the one of the
    mention that last named it (``linked``), else the first one with its name."""
    if name is None:
        return None
    own = classify(text, span, entities).entity if span is not None else None
    if own is not None and fold(text[entities[own].start:entities[own].end]) in fold(name):
        return own
    if linked and name in linked:
        return linked[name]
    return linker.entity_for(name)


def _with_entities(text: str, found: list[Found], plain: _Resolved, entities: list[Entity], words: TextWords
                   ) -> list[tuple[tuple[str | None, int | None], tuple[int, int] | None]]:
    """The speakers the cue's syntax resolved, lengthened and linked with the entities, without resolving the
    article a second time: entities only lengthen a name the syntax gives («اوبامیانگ» -> «پیر امریک اوبامیانگ»: an
    entity inside the mention, or a person the article names in full elsewhere) or name a speaker it leaves unknown
    (a name buried after an opening phrase); where they disagree with it (a tagger's partial or wrong span), the
    syntax wins.  A name lengthened at its mention stays lengthened for the pronouns and titles resolved to it."""
    quoted = [f.content for f in found]
    spoken = mention_names(text, plain.mentions, entities)
    linker = Resolver(text, entities, known_names(text, plain.mentions, entities, spoken, quoted), spoken, words)
    longer: dict[str, tuple[str, int | None]] = {}  # a syntax name -> its lengthened name and entity
    linked: dict[str, int] = {}  # a speaker -> the entity of the mention that last named it
    full: dict[str, str] = {}  # a syntax name -> the fullest agreeing name the article gives
    out = []
    for f, (name, _), span in zip(found, plain.names, plain.mentions, strict=True):
        tagged, where = _tagged_name(text, f, span, entities, linker)
        if tagged is not None and _agrees(name, tagged[0]) and (name is None or fold(tagged[0]) != fold(name)):
            if name is not None:
                longer[name] = tagged
            speaker, span = tagged, where
        elif name is not None and name in longer:
            speaker = longer[name]
        else:
            if name is not None and name not in full:  # named in full elsewhere
                full[name] = linker.full_name(name)
                if not _agrees(name, full[name]):
                    full[name] = name
            fuller = full[name] if name is not None else None
            speaker = (fuller, _link(text, span, entities, linker, fuller, linked))
        if speaker[0] is not None and speaker[1] is not None:
            linked[speaker[0]] = speaker[1]
        out.append((speaker, span))
    return out


def _tagged_name(text: str, f: Found, span: tuple[int, int] | None, entities: list[Entity], linker: Resolver
                 ) -> tuple[tuple[str, int | None] | None, tuple[int, int] | None]:
    """The name (and entity) an entity inside the mention gives, a name or an organisation resolved the way the
    syntax's own are, or, with no mention, one buried after an opening phrase that the entities make known; and
    the mention's span."""
    if span is None:
        if f.cue is None or f.via not in ("verb", "clause"):
            return None, None
        span = buried_name(text, f.sentence[0], f.cue[0], linker.names)
        if span is None:
            return None, None
    own = classify(text, span, entities)
    if own.entity is None or not own.name or own == classify(text, span, []) or own.kind not in ("name", "org"):
        return None, span
    if own.kind == "name":
        return (linker.full_name(linker.trim(own.name, own.long)), own.entity), span
    return (own.name, own.entity), span


def _agrees(syntax: str | None, tagged: str | None) -> bool:
    """Whether the name found with entities may replace the one the mention's syntax gives: the same name, a
    fuller form of it, or a name where the syntax has none."""
    if tagged is None:
        return syntax is None
    if syntax is None:
        return True
    if fold(syntax) == fold(tagged):
        return True
    sw, tw = [fold(w) for w in syntax.split()], [fold(w) for w in tagged.split()]
    k = next((i for i in range(len(tw) - len(sw) + 1) if tw[i:i + len(sw)] == sw), None)
    if k is None:
        return False
    # the words the tagger adds must be name words, not a title, an organisation, a place word or an adverb
    extra = tagged.split()[:k] + tagged.split()[k + len(sw):]
    return not any(is_title_word(w) or w in ORG_HEADS or w in STOP or w in HONORIFICS for w in extra)


def _mentions(text: str, found: list[Found], entities: list[Entity]
              ) -> tuple[list[tuple[int, int] | None], list[str], list[str]]:
    """The mention span of each quotation (a name buried after an opening phrase when the subject is dropped),
    the names those mentions give, and every person name the article gives."""
    quoted = [f.content for f in found]
    spans = [f.mention for f in found]
    spoken = mention_names(text, spans, entities)
    names = known_names(text, spans, entities, spoken, quoted)
    buried = [buried_name(text, f.sentence[0], f.cue[0], names)
              if f.mention is None and f.cue is not None and f.via in ("verb", "clause") else None for f in found]
    if any(buried):
        spans = [b or m for b, m in zip(buried, spans, strict=True)]
        spoken = spoken + mention_names(text, [b for b in buried if b], entities)
        names = known_names(text, spans, entities, spoken, quoted)
    return spans, spoken, names


def _introduce(text: str, resolver: Resolver, sentences: list[tuple[int, int]], before: int,
               entities: list[Entity]) -> None:
    """«محسن نصیری در بازدید از ... گفت‌وگو کرد. وی ... اظهار داشت: ...»: a pronoun or a dropped subject at the
    top of an article means the person named as the subject of one of the three sentences before it."""
    earlier = [(s, e) for s, e in sentences if e <= before][-3:]
    for s, e in reversed(earlier):
        span = subject_span(text, s, e)
        m = classify(text, span, entities)
        if m.kind == "name" and not m.long and m.name and len(m.name.split()) >= 2 and _name_like(m.name.split()[0]):
            resolver.resolve(m)
            return


def _speakers(text: str, found: list[Found], entities: list[Entity], words: TextWords,
              sentences: list[tuple[int, int]]) -> _Resolved:
    """Resolve the speaker of every quotation in article order (docs/quotes.md §4)."""
    mentions, spoken, names = _mentions(text, found, entities)
    resolver = Resolver(text, entities, names, spoken, words)
    out: list[tuple[str | None, int | None]] = []
    self_titled: dict[str, list[int]] = {}  # a title standing for itself -> the quotes given to it
    later: dict[str, tuple[str, int | None]] = {}  # a title -> the named person it was later resolved to
    kinds: list[str] = []
    descs: list[str | None] = []  # the description of an anaphor («روزنامه» of «این روزنامه»)
    for f, span in zip(found, mentions, strict=True):
        mention = classify(text, span, entities)
        if span is not None and re.match(r"[ \u200c]*(?:نیز|هم)[ \u200c]", text[span[1]:span[1] + 6]):
            mention = replace(mention, also=True)  # «رئیس اتاق اصناف نیز ... گفت»: a new speaker, not the last one
        if mention.kind == "anaphor" and span is not None and not _same_kind(resolver.last, mention) \
                and (named := _named_medium(text, mention, span[0])):
            mention = named  # «از دید این سایت، ...» after «سایت sbs استرالیا ... نام برده است»: the medium named before
        if mention.kind in ("pronoun", "anaphor", "none") and resolver.last[0] is None and not out:
            _introduce(text, resolver, sentences, f.sentence[0], entities)
        name, entity = resolver.resolve(mention, nested=f.via == "nested")
        if mention.kind == "title" and name == mention.name:
            self_titled.setdefault(_same_title(self_titled, name) or title_key(name), [])
        elif mention.kind == "title" and mention.name and name and (key := _same_title(self_titled, mention.name)):
            later.setdefault(key, (name, entity))
        if key := _same_title(self_titled, name):
            self_titled[key].append(len(out))
        # a quotation inside another or inside a topic clause names nobody the article's own quotations go on with
        kinds.append("nested" if f.via == "nested" else mention.kind)
        descs.append(mention.name if mention.kind == "anaphor" else None)
        out.append((name, entity))
    # «وزیر انرژی آمریکا نیز گفت: ...، اسپنسر گراهام ... افزود: ...»: a title named in the same paragraph
    # «معاون رئیس جمهور عراق گفت: ...» opening the article, «طارق الهاشمی افزود: ...» next: the title was him
    for i in range(len(out) - 1):
        key = _same_title(self_titled, out[i][0]) if kinds[i] == "title" and out[i][0] else None
        first = "name" not in kinds[:i]
        if (key and kinds[i + 1] == "name" and out[i + 1][0] and key not in later
                and ("\n" not in text[found[i].content[1]:found[i + 1].content[0]] or first
                     or _continues(text, found[i + 1]))):
            later[key] = (out[i + 1][0], out[i + 1][1])  # type: ignore[assignment]
    # «ستاره‌ی این تیم اعلام کرد ...» opening the article's quotations, then a headline line «*ماتا: ...» (a name, a colon and no
    # cue) before the next quotation, which goes on with «وی» or no subject: the title is the person named next
    # (docs/quotes.md §4)
    for key, indices in self_titled.items():
        i = indices[0] if indices else 0
        if key in later or not indices or i != 0 or not is_title_word(_key_head(out, indices)) \
                or (i + 1 < len(found) and kinds[i + 1] not in ("pronoun", "none")):
            continue
        nxt = found[i + 1].content[0] if i + 1 < len(found) else len(text)
        if (headed := _headline_name(text, found[i].content[1], nxt)) is not None:
            name = resolver.full_name(headed)
            later[key] = (name, resolver.entity_for(name))
    # «مدیرکل ... گفت: ...» before the article names him, «سید مصطفی آذرکش» later: the title was him
    for key, named in later.items():
        for i in self_titled[key]:
            out[i] = named
    # «دروازه‌بان پرسپولیس گفته است ...» in an article that says «علیرضا بیرانوند دروازه‌بان شماره یک این تیم»: the
    # title is the one person the article gives it to, outside the quotations
    for key, indices in self_titled.items():
        if key not in later and indices and (given := _given_title(text, out[indices[0]][0] or "", words, resolver)):
            for i in indices:
                out[i] = (given, resolver.entity_for(given))
    # a speaker the article has not named yet («او گفت» at the top): the first person named after it
    first_named = next((out[i] for i in range(len(out)) if out[i][0] and kinds[i] == "name"), None)
    if first_named is not None:
        for i in range(len(out)):
            if out[i][0] is not None:
                break
            out[i] = first_named
    # «این روزنامه در ادامه افزود» in an article that names no speaker: the medium keeps its description
    for i, desc in enumerate(descs):
        if out[i][0] is None and desc and desc.split()[0] in ORG_HEADS:
            out[i] = (desc, None)
    return _Resolved(out, mentions, resolver)


def _key_head(out: list[tuple[str | None, int | None]], indices: list[int]) -> str:
    """The first word of the title the quotations ``indices`` were given."""
    return ((out[indices[0]][0] or "").split() or [""])[0]


_HEADLINE = re.compile(r"(?m)^[*\-•]?[ \t]*([^\s:،.«»\"()؟!0-9۰-۹]+(?:[ \u200c][^\s:،.«»\"()؟!0-9۰-۹]+)?)[ \t]*:[ \t]*\S")


def _headline_name(text: str, start: int, end: int) -> str | None:
    """The name of the first headline line «*ماتا: این بهترین فرم من است» in ``text[start:end]``: a paragraph opening
    with one or two words and a colon, no cue, pronoun, title, organisation or function word among them."""
    for m in _HEADLINE.finditer(text, start, end):
        name = m.group(1)
        words = name.split()
        if find_cues(name) or any(w in PRONOUNS or w in STOP or w in ORG_HEADS or is_title_word(w)
                                  or w in _NOT_GIVEN or len(w) < 3 for w in words):
            continue
        return name
    return None


def _named_medium(text: str, anaphor: Mention, before: int) -> Mention | None:
    """«این سایت»، «این روزنامه»: the organisation of that kind the article names last before it, as a subject
    («سایت sbs استرالیا از دو بازیکن نام برده است»), when it names one (docs/quotes.md §4)."""
    head = (anaphor.name or "").split()[:1]
    if not head or head[0] not in ORG_HEADS:
        return None
    for m in reversed(list(re.finditer(rf"(?:^|(?<=[\s،.:]))(?<!این )(?<!همین )(?<!آن )({re.escape(head[0])})[ \u200c]+"
                                       r"(?!این|آن|همین|همان)\S", text[:before]))):
        cue = next(iter(find_cues(text, m.start(1), min(before, m.start(1) + 120))), None)
        span = subject_span(text, m.start(1), cue.start if cue else min(before, m.start(1) + 120))
        named = classify(text, span, []) if span is not None else None
        if named is not None and named.kind == "org" and named.name and len(named.name.split()) > 1:
            return named
    return None


def _given_title(text: str, title: str, words: TextWords, resolver: Resolver) -> str | None:
    """The one person the article names right before the head word of ``title`` («علیرضا بیرانوند دروازه‌بان ...»:
    a given name and one or two more words, the last a surname the article also uses alone), outside the quotations;
    None when it names nobody so, or several."""
    head = title.split()[:1]
    if not head or not is_title_word(head[0]):
        return None
    names = given_names()
    found: set[str] = set()
    pattern = re.escape(head[0]).replace("\u200c", "[ \u200c]?")  # «دروازه‌بان» is also written «دروازه بان»
    for m in re.finditer(rf"(?<![\w\u200c]){pattern}(?![\w\u200c])", text):
        if words._quoted(m.start()):
            continue
        prev = [w for w, initial in words.before(m.start(), 3)]
        for k in range(len(prev) - 2, max(-1, len(prev) - 4), -1):
            cand = prev[k:]
            if cand and fold(cand[0]) in names and all(w and not is_title_word(w) and w not in STOP for w in cand) \
                    and len(cand[-1]) > 2 and _opens_a_clause(text, words, cand[-1]):
                found.add(resolver.full_name(" ".join(cand)))
                break
    return found.pop() if len(found) == 1 else None


def _opens_a_clause(text: str, words: TextWords, surname: str) -> bool:
    """Whether the article also opens a sentence or a clause with ``surname`` alone («بیرانوند با پرسپولیس قرارداد
    دارد»): a person's surname, not a common word after a given name."""
    return any(re.search(r"(?:^|[.!؟\n،]\s*)$", text[max(0, pos - 3):pos]) for pos in words.occurrences(surname))


def _same_kind(last: tuple[str | None, int | None, bool], anaphor: Mention) -> bool:
    """Whether the last speaker is already an organisation that «این روزنامه» may mean: not a person, and not an
    organisation of another kind («سایت ...» for «این روزنامه»)."""
    name, _, person = last
    if name is None or person or is_title_word(name.split()[0]):
        return False  # a person, named or by a title («نویسنده این مطلب»)
    first = name.split()[0]
    return first not in ORG_HEADS or first == (anaphor.name or "").split()[0]


CONTINUING = ("افزود", "ادامهداد", "اضافهکرد", "اضافهنمود")


def _continues(text: str, f: Found) -> bool:
    """«... افزود» right after a titled quotation: the same speaker goes on (the title was this name)."""
    if f.cue is None:
        return False
    cue = text[f.cue[0]:f.cue[1]].replace("\u200c", "").replace(" ", "")
    return cue.startswith(CONTINUING)


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
