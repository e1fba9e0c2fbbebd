"""Finding quotations: direct (after a colon or in quote marks) and indirect (a clause).

Works on the normalized text, one paragraph (line) at a time, with the sentences of the
``segment`` step.  Each quotation found carries its content span, its cue span and the span of
the speaker mention in its sentence (resolved later by :mod:`khabar.attribution.speakers`).
See docs/quotes.md for the guidelines these rules follow.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from khabar.attribution import PRONOUNS
from khabar.attribution import cues as C

OPEN_MARKS = {"«": "»", "“": "”", '"': '"', "„": "“"}
TRIM_END = ".،؛:,;»”\"' \u200c\n\t"
TRIM_START = " \u200c\t«“\"„"
# a colon doubled inside the opening mark («گفت:«: ...») is no part of the content
_DOUBLED_COLON = re.compile(r"[«“\"„][ \u200c]*:[ \u200c]*")
TA_LEMMAS = ("خواست", "خواستار شد", "خواستار است", "درخواست کرد", "ابراز تمایل کرد", "اعلام آمادگی کرد", "دستور داد")
# tokens after a cue verb that show it ends its clause rather than introducing a bare one
NOT_BARE = {"و", "،", ".", "را", "تا", "که", "؛", "است", "بود", "شد", "می‌شود", "نیز", "هم", "اما", "ولی", "؟",
            "زیرا", "چون", "چرا", "چراکه", "سپس", "ولیکن", "لیکن", "بلکه", "وگرنه", "(", "-", "–", "»"}
# relative «که» after a generic antecedent: «کسانی که می‌گویند ...» has no identifiable source
GENERIC_SOURCES = {"کسانی", "افرادی", "برخی", "بسیاری", "عده‌ای", "عده", "همه", "خیلی‌ها", "بعضی", "برخی‌ها",
                   "بعضی‌ها", "گروهی", "شماری", "منابع", "شایعات", "هیچ", "هیچکس", "هیچ‌کس"}


def _named_sources(words: list[str]) -> bool:
    """«منابع پلیس»، «منابع ارتش»: the sources of a named organisation are identifiable (not «منابع آگاه»)."""
    return len(words) > 1 and words[0] == "منابع" and words[1] in ORG_HEADS


# a cue right after these is impersonal («می‌توان گفت که»): nobody is quoted
IMPERSONAL_ANY = re.compile(r"(?:^|[ \u200c])(?:می[ \u200c]?توان|نمی[ \u200c]?توان|بتوان)[ \u200c]")


@dataclass
class Found:
    kind: str  # direct | indirect
    content: tuple[int, int]
    cue: tuple[int, int] | None
    mention: tuple[int, int] | None
    sentence: tuple[int, int]
    via: str  # verb | clause | according | document | continued
    open_mark: str | None = None  # the closing mark still expected when the quote marks run past the paragraph


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines of the text (a news paragraph is one line)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading white space / opening marks and trailing . ، ؛ : and closing marks."""
    if (doubled := _DOUBLED_COLON.match(text, start, end)) is not None:
        start = doubled.end()
    while start < end and text[start] in TRIM_START:
        start += 1
    while end > start and text[end - 1] in TRIM_END:
        end -= 1
    return start, end


def _skip_space(text: str, i: int, end: int) -> int:
    while i < end and text[i] in " \u200c\t":
        i += 1
    return i


def _next_word(text: str, i: int, end: int) -> tuple[str, int, int]:
    i = _skip_space(text, i, end)
    j = i
    while j < end and not text[j].isspace():
        j += 1
    return text[i:j], i, j


def find_quotations(text: str, sentences: list[tuple[int, int]]) -> list[Found]:
    """Every quotation in ``text``; ``sentences`` are (start, end) spans (paragraphs when empty)."""
    found: list[Found] = []
    all_cues = C.find_cues(text)
    k = 0
    pending: str | None = None
    sentences = sorted(sentences)
    starts = [s for s, _ in sentences]
    for ps, pe in paragraphs(text):
        lo, hi = bisect_left(starts, ps), bisect_left(starts, pe)
        sents = [(s, e) for s, e in sentences[lo:hi] if e <= pe] or [(ps, pe)]
        while k < len(all_cues) and all_cues[k].start < ps:
            k += 1
        j = k
        while j < len(all_cues) and all_cues[j].end <= pe:
            j += 1
        here = _paragraph(text, ps, pe, sents, all_cues[k:j], sentences)
        if pending:
            here.extend(_continued(text, ps, pe, sents, pending, here))
        pending = next((f.open_mark for f in here if f.open_mark and f.content[1] >= pe - 2), None)
        found.extend(here)
    found.sort(key=lambda f: f.content[0])
    return found


def _continued(text: str, ps: int, pe: int, sents: list[tuple[int, int]], close_mark: str,
               here: list[Found]) -> list[Found]:
    """A passage in quote marks that runs on into this paragraph and closes in it: a quotation of its own
    (docs/quotes.md §3), by the same speaker, with no cue."""
    close = text.find(close_mark, ps, pe)
    opener = next((o for o, c in OPEN_MARKS.items() if c == close_mark and o != c), None)
    if close < 0:
        # «... گفت: "A ¶ B ¶ C ¶ D."»: a middle paragraph of a passage that closes a few paragraphs on (and
        # opens no other quotation before) is a quotation too; the chain stops at a paragraph with its own cue
        ahead = _ahead(text, pe, _MAX_CONTINUED)
        close_ahead = ahead.find(close_mark)
        if here or close_ahead < 0 or (opener is not None and opener in ahead[:close_ahead]) \
                or (opener is None and not _closing_straight(ahead, close_ahead)) \
                or (opener is not None and opener in text[ps:pe]) or (opener is None and close_mark in text[ps:pe]):
            return []
        cs, ce = trim(text, ps, pe)
        if ce - cs < 2:
            return []
        return [Found("direct", (cs, ce), None, None, _sentence_of(sents, cs), "continued", close_mark)]
    if any(f.content[0] < close for f in here):
        return []
    if opener is not None and opener in text[ps:close]:
        return []
    cs, ce = trim(text, ps, close)
    if ce - cs < 2:
        return []
    return [Found("direct", (cs, ce), None, None, _sentence_of(sents, cs), "continued")]


_MAX_CONTINUED = 4  # paragraphs looked ahead for the mark closing a passage that runs on
_LINE = re.compile(r"[^\n]*\S[^\n]*")  # a non-empty paragraph


def _ahead(text: str, pe: int, n: int) -> str:
    """The text after ``pe`` up to the end of the ``n``-th non-empty paragraph that follows."""
    end = pe  # scans only the n paragraphs it returns, not the rest of the article
    for m in itertools.islice(_LINE.finditer(text, pe), n):
        end = m.end()
    return text[pe:end]


def _closing_straight(s: str, i: int) -> bool:
    """Whether the straight quote mark ``s[i]`` closes a passage: it follows a word or a stop, not a space or
    a colon («گفت: "...»), and no letter follows it."""
    before = s[i - 1] if i > 0 else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    return not before.isspace() and before not in ":،" and not after.isalpha()


def _sentence_of(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence holding ``pos`` (``sents`` sorted and apart), else the last one."""
    k = bisect_right(sents, (pos, math.inf)) - 1
    if k >= 0 and sents[k][0] <= pos < sents[k][1]:
        return sents[k]
    return sents[-1]


class _FirstHolding:
    """The first span, in the order the spans were given or added, that holds a position, for positions asked in
    order (a span that ends before one position holds no later one): the step stays linear in an article of
    many quotations."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self.spans: list[tuple[int, int]] = list(spans or ())
        self.waiting = sorted(range(len(self.spans)), key=lambda i: self.spans[i][0])
        self.next = 0
        self.alive: list[int] = []

    def add(self, span: tuple[int, int]) -> None:
        self.spans.append(span)
        self.alive.append(len(self.spans) - 1)

    def find(self, pos: int) -> tuple[int, int] | None:
        while self.next < len(self.waiting) and self.spans[self.waiting[self.next]][0] <= pos:
            self.alive.append(self.waiting[self.next])
            self.next += 1
        self.alive = [i for i in self.alive if self.spans[i][1] > pos]
        held = [i for i in self.alive if self.spans[i][0] <= pos]
        return self.spans[min(held)] if held else None


def _paragraph(text: str, ps: int, pe: int, sents: list[tuple[int, int]],
               found_cues: list[C.CueMatch], all_sents: list[tuple[int, int]] | None = None) -> list[Found]:
    cues = [c for c in found_cues if not c.passive and not _is_noun_use(text, c) and not _impersonal(text, ps, c)]
    out: list[Found] = []
    # cues that open a new direct quotation: a direct quotation without marks stops before their sentence
    colon_starts = []
    for c in cues:
        i = _skip_space(text, c.end, pe)
        if i < pe and text[i] == ":":
            sent_start = _sentence_of(sents, c.start)[0]
            # «گفت: A، گراهام با اشاره به ... افزود: B» in one sentence: A stops at the comma before B's clause
            comma = text.rfind("،", sent_start, c.start)
            run_on = _run_on_start(text, sent_start, c.start)
            if run_on is not None:  # «... حضور یافته است در ادامه این مراسم رئیس ... گفت: B»: a missing full stop
                comma = run_on - 1
            colon_starts.append((sent_start, comma + 1 if comma > sent_start else sent_start))
    # «با اشاره به اینکه در گذشته هم اعلام کرده بود X، تاکید کرد: Y»: a cue inside the clause of a clause phrase with
    # no subject of its own is the same speaker's, part of that clause (docs/quotes.md §3, nested quotations)
    clause_phrases = _clause_phrases(text, sents, cues)
    clauses = _FirstHolding([f.content for f in clause_phrases])
    quoting: list[C.CueMatch] = []  # cues that introduced a quotation
    topics: list[Found] = []  # quotations inside a topic clause («در مورد اینکه X گفته است ...،»)
    holding = _FirstHolding()  # direct contents (``holding.spans``): cues inside them are not new quotations
    ends: list[int] = []  # the content ends of ``out`` but the topics', sorted
    cue_starts = [c.start for c in cues]
    cuts = _Cuts(colon_starts)

    for c in cues:  # in text order
        sent = _sentence_of(sents, c.start)
        if (inside := clauses.find(c.start)) is not None and not _own_subject(text, inside[0], c):
            continue
        outer = holding.find(c.start)
        if outer is not None and not _nested_speaker(text, max(sent[0], outer[0]), c):
            continue
        i = _skip_space(text, c.end, pe)
        nxt = text[i] if i < pe else ""
        q: Found | None = None
        subject_from: int | None = None  # where the subject starts when the quotation stands before its cue
        if c.lemma in C.COLON_ONLY and nxt != ":":
            continue
        if (_first_person(text, c) or _second_person(text, c)) and outer is None:
            # «اعلام کردم که ...» in an interview answer: the reporter's interlocutor, not a source; «شما می‌گویید
            # ...؟»: the reporter's question
            continue
        if _noun_khast(text, c):
            continue  # «خواست خدا بود که ...»: "God's will", a noun
        if nxt == "،" and text[_skip_space(text, i + 1, pe):][:1] in OPEN_MARKS:
            # «... تأکید کرد، «مسکو ...»»: a comma between the cue and the quote marks
            i = _skip_space(text, i + 1, pe)
            nxt = text[i]
        if nxt == ":" or nxt in OPEN_MARKS:
            start = _skip_space(text, i + 1 if nxt == ":" else i, pe)
            q = _direct(text, start, pe, sent, cuts, c, cue_starts)
        else:
            word, ws, we = _next_word(text, c.end, sent[1])
            comma = word.startswith("،")
            if word == "،":
                word, ws, we = _next_word(text, ws + 1, sent[1])
            if word == "که" or (word == "تا" and c.lemma in TA_LEMMAS):
                q = _indirect(text, we, sent, cues, c)
            elif ((not comma or _comma_bare(text, sent, c)) and _takes_bare_clause(text, c) and word
                  and _bare_ok_in_relative(text, sent, c)
                  and word not in NOT_BARE and not word.startswith(("،", ".", ":", "؟", "/")) and we < sent[1]
                  and not _names_an_object(text, sent, c)
                  and len(text[ws:sent[1]].split()) >= 3):
                q = _indirect(text, ws, sent, cues, c)
                if q is not None:
                    q.content = _relative_bare_end(text, sent, c, q.content)
            elif (ahead := _quoted_before(text, sent, c)) is not None:
                q, subject_from = ahead
        if q is not None and q.kind == "indirect" and (topic := _in_topic(text, sent, c)) is not None:
            # «مهاجرانی در مورد اینکه کی‌روش گفته است A، گفت: B»: A is the words of the subject inside the topic
            # clause, to the comma before the main cue; the main cue keeps the sentence's subject
            clause = (q.content[0], _before_main_cue(text, q.content, cues))  # cues in it belong to the topic
            asked = _QUESTION_JOIN.search(text, *clause)  # «... اعلام کرده X و آیا ...»: the reporter's question
            q.content = (clause[0], asked.start()) if asked is not None else clause
            q.mention = subject_span(text, topic, c.start)
            q.via = "nested"
            # a question («درباره اینکه چقدر امیدوار است ...»، «آیا رحمتی به او نگفته ...») or a subject that is no
            # identifiable source: the reporter's topic, no quotation
            if q.mention is not None and _identifiable(text, q.mention) and not _QUESTION.match(text, topic):
                holding.add(clause)
                topics.append(q)
                out.append(q)
            continue
        if q is not None:
            # «روزنامه مارکا نوشت آنچلوتی از او خواست تا ...»: the subject follows an earlier quoting cue
            relative = re.search(r"(?:^|[ \u200c])که[ \u200c]+$", text[max(sent[0], c.start - 6):c.start])
            prev = []  # only the greatest counts: the latest earlier quoting cue, the latest quotation's end
            for o in reversed(quoting):  # in text order
                if o.start < sent[0]:
                    break
                if o.end <= c.start:
                    prev.append(o.end)
            k = bisect_right(ends, c.start) - 1
            if k >= 0 and ends[k] >= sent[0]:
                prev.append(ends[k] + 1)
            # «مراسم در حالی به پایان رسید که بازیکنان ... فریاد می‌زدند: ...»: the subject of the که-clause
            circ = re.search(r"در[ \u200c]*حالی(?![ \u200c]*(?:است|بود|که)).*?[ \u200c]که[ \u200c]",
                             text[sent[0]:c.start])
            if circ:
                prev.append(sent[0] + circ.end())
            run_on = _run_on_start(text, sent[0], c.start)
            if run_on is not None:
                prev.append(run_on)
            # «سوالات تا آنجا ادامه پیدا کرد که ...، دادگستری ... اعلام کرد»: a finite verb ends a clause before «که»;
            # the subject of the cue follows the «که»
            verb_ke = list(_VERB_KE.finditer(text, sent[0], c.start))
            if verb_ke and _opens_subject(text, verb_ke[-1].end(), c.start):
                prev.append(verb_ke[-1].end())
            and_clause = _and_clause_start(text, max([sent[0], *prev]), c.start)
            if and_clause is not None:
                prev.append(and_clause)
            q.mention = subject_span(text, max([sent[0], *prev]), c.start)
            if subject_from is not None:  # «"..."، رئیس‌جمهور گفت.»: the subject follows the quotation
                q.mention = subject_span(text, subject_from, c.start)
            if q.mention is None:
                q.mention = _antecedent(text, sent[0], c.start)
            if (share := _share_subject(text, max([sent[0], *prev]), c, q.mention)) is not None:
                q.mention = share
            before = text[max(sent[0], c.start - 40):c.start].split()
            # a generic subject right before the cue («بسیاری مدعی شدند»، «منابع مطلع اعلام می‌کنند»), not the end of
            # a phrase («در واکنش به این شایعات گفت»)
            # («درباره اعتراض‌های برخی تیم‌ها بیان کرد»: a generic word inside a phrase two words after its preposition)
            generic_before = any(
                len(before) >= -k and before[k] in GENERIC_SOURCES and not _named_sources(before[k:])
                and (len(before) < 1 - k or before[k - 1] not in {"به", "این", "آن", "از", "در", "درباره", "با", "همین"})
                and (len(before) < 2 - k or before[k - 2] not in {"درباره", "مورد", "خصوص", "به", "از", "با", "برای"})
                for k in (-1, -2))
            # «هیچ منبعی این خبر را تایید نکرده»: nobody said it (not «هیچ مشکلی نداریم، تصریح کرد»)
            generic_before |= "هیچ" in before[-5:] and "،" not in " ".join(before[-5:])
            subject = text[q.mention[0]:q.mention[1]].split() if q.mention else []
            if subject and subject[0].strip("«\"“") in ("من", "ما"):
                continue  # «من گفتم ...»: the first person of an interview answer or of the quoted speaker himself
            if subject[:2] in (["یکی", "از"], ["یک", "از"]):
                subject = subject[2:]  # «یکی از منابع آگاه گفت»
            if (subject and subject[0] in GENERIC_SOURCES and not _named_sources(subject)) or generic_before or (
                    (relative or q.mention is None) and set(before[-4 if relative else -2:]) & GENERIC_SOURCES):
                continue  # «بسیاری مدعی شدند که ...»، «کسانی که می‌گویند: ...»: no identifiable source
            if not relative:
                quoting.append(c)
            holding.add(q.content)  # cues inside a quotation belong to it unless a new speaker is named
            if outer is not None:
                q.via = "nested"
            out.append(q)
            insort(ends, q.content[1])

    extra = [f for f in clause_phrases + _according_to(text, sents, cues)
             if f.cue and not any(s <= f.cue[0] < e for s, e in holding.spans)]
    # «به گفته وی، همه ... موافق هستند که ...»: a cue inside a «به گفته» quotation is part of it
    inside = [f.content for f in extra if f.via == "according"]
    out = [q for q in out if not any(s <= (q.cue or q.content)[0] < e for s, e in inside)]
    out.extend(extra)
    out.extend(_documents(text, ps, pe, sents, cuts, all_sents or sents))
    return out


def _in_topic(text: str, sent: tuple[int, int], c: C.CueMatch) -> int | None:
    """Where the clause of a topic phrase holding the cue ``c`` begins («در مورد اینکه کی‌روش گفته است ...»,
    no comma between), after a subject the sentence opens with; None when the cue is not inside one."""
    topic = None
    for m in _TOPIC_CLAUSE.finditer(text, sent[0], c.start):
        topic = m
    if topic is None or "،" in text[topic.end():c.start] or not text[sent[0]:topic.start()].strip(" \u200c،"):
        return None
    return _skip_space(text, topic.end(), c.start)


def _own_subject(text: str, start: int, c: C.CueMatch) -> bool:
    """Whether a cue inside a clause starting at ``start`` has an identifiable subject of its own in it."""
    span = subject_span(text, start, c.start)
    return span is not None and _identifiable(text, span)


_QUESTION_JOIN = re.compile(r"[ \u200c]+و[ \u200c]+(?:آیا|چرا|چگونه|چطور)(?![\w\u200c])")
_QUESTION = re.compile(r"(?:آیا|چرا|چقدر|چه|چطور|چگونه|کجا|کی|کدام)(?![\w\u200c])")


def _identifiable(text: str, span: tuple[int, int]) -> bool:
    """Whether a subject names its source: a name, a title or an organisation (not a pronoun or a question word)."""
    from khabar.attribution.speakers import classify

    return classify(text, span, []).kind in ("name", "title", "org")


def _before_main_cue(text: str, content: tuple[int, int], cues: list[C.CueMatch]) -> int:
    """The end of a clause that the sentence's main cue closes («...، گفت: ...»): the comma right before a later
    cue, at most two words before it, else right before a later cue with a colon (docs/quotes.md §3, as for «با
    بیان اینکه X، گفت»); the content's own end when there is none."""
    later = [c for c in cues if content[0] < c.start < content[1]]
    for c in later:
        k = text.rfind("،", content[0], c.start)
        if k > content[0] and len(text[k + 1:c.start].split()) <= 2:
            return trim(text, content[0], k)[1]
    for c in later:
        if text[_skip_space(text, c.end, content[1]):][:1] == ":":
            return trim(text, content[0], c.start)[1]
    return content[1]


# a finite verb ending a clause, then an opener of a new sentence, with no full stop between them
_RUN_ON = re.compile(
    r"(?<=[ \u200c])(?:است|بود|بودند|شد|شدند|کرد|کردند|نمود|نمودند|داد|دادند|دارد|دارند|می[ \u200c]?شود|باشد)"
    r"[ \u200c]+(?=(?:در[ \u200c]+ادامه|در[ \u200c]+پایان|در[ \u200c]+همین[ \u200c]+حال|همچنین|سپس"
    r"|در[ \u200c]+(?:این|همین)[ \u200c]+(?:مراسم|جلسه|نشست|دیدار|همایش))[ \u200c])")


_VERB_KE = re.compile(r"(?<= )(?:شد|شدیم|شدند|کرد|کردیم|کردند|داشت|داشتیم|داشتند|رسید|یافت|بود|بودند)"
                      r"[ \u200c]+که[ \u200c]+")
# a finite verb and «و»: «فصل ... به اتمام رسید و روزنامه X مدعی شد ...» joins two clauses, each with its subject
_VERB_AND = re.compile(r"(?<=[ \u200c])(?:است|بود|بودند|شد|شدند|کرد|کردند|نمود|نمودند|داد|دادند|دارد|دارند|داشت"
                       r"|داشتند|رسید|رسیدند|یافت|یافتند|گرفت|گرفتند|رفت|رفتند|آمد|آمدند|کند|کنند|شود|شوند|باشد"
                       r"|می[ \u200c]?شود|می[ \u200c]?کند)[ \u200c]+و[ \u200c]+")


def _and_clause_start(text: str, start: int, cue_start: int) -> int | None:
    """Where the cue's own clause begins when a «و» after a finite verb joins it to a clause before it and it has a
    subject of its own («فصل ... به اتمام رسید و کوریره دلا اسپورت مدعی شد»); None when its subject is dropped
    (the first clause's subject speaks: «رضا نادری کارگران را قهرمان دانست و گفت»)."""
    last = None
    for m in _VERB_AND.finditer(text, start, cue_start):
        last = m
    if last is None:
        return None
    if "،" in text[last.end():cue_start]:
        return None  # «با اعلام اینکه ... به دست آمد و باید ...، گفت»: the «و» is inside a phrase closed by the comma
    if _TOPIC_PHRASE.search(text, start, last.start()) or C.CLAUSE_PHRASES.search(text, start, last.start()):
        return None  # «دایی پیرامون خریدهایی که ... داشتند و عملکرد بازیکنان ... گفت»: the «و» joins the phrase's nouns
    span = subject_span(text, last.end(), cue_start)
    # the clause is its subject and the cue («و کوریره دلا اسپورت مدعی شد»), not an object or an adverbial before a
    # dropped subject («... رفت و روی جلد خود نوشت»)
    if span is None or not _SUBJECT_TO_CUE.fullmatch(text, span[1], cue_start) \
            or text[span[0]:span[1]].split()[0] in _NO_SUBJECT_START:
        return None
    return last.end()


_TOPIC_PHRASE = re.compile(r"(?<![\w\u200c])(?:پیرامون|درباره|در[ \u200c]+باره|در[ \u200c]*(?:خصوص|مورد)|ضمن"
                           r"|در[ \u200c]+(?:رابطه|ارتباط)[ \u200c]+با|(?:با[ \u200c]+اشاره|در[ \u200c]+(?:پاسخ|واکنش))[ \u200c]+به)"
                           r"(?![\w\u200c])")
# words that open no subject: a question or clause word, a modal, a preposition («روی صفحه اول نوشت»)
_NO_SUBJECT_START = {"آیا", "اینکه", "این‌که", "باید", "نباید", "شاید", "روی", "زیر", "کنار", "بالای", "پشت", "جلوی",
                     "میان", "بین", "درون", "داخل", "نزد", "توسط", "بدون", "جز", "مثل", "مانند", "همراه"}
_SUBJECT_TO_CUE = re.compile(r"[ \u200c]*(?:(?:نیز|هم)[ \u200c]*)?")
_IN_PHRASE = re.compile(r"در[ \u200c][^،:]{0,60}?،[ \u200c]*")
# «در آستانه / جریان / حاشیه / پایان ... X،»: a phrase of the occasion («on the eve of X»), whose noun phrase is an
# event, not the subject with a title after it («در ادامه یوسف امینی، سرپرست دفتر ...»)
_OCCASION = re.compile(r"در[ \u200c]+(?:آستانه|جریان|حاشیه|خلال|طول|آغاز|ابتدای|پایان)(?:[ \u200c]*ی)?[ \u200c]")


def _phrase_before_subject(seg: str, m: re.Match[str]) -> bool:
    """«در ادامه پیگیری موضوع، «محمد ابراهیم‌پور» ... اظهار کرد»: a «در» phrase closed by a comma before the subject;
    not when the comma is inside a title's list («در این مراسم سرپرست اداره کل میراث فرهنگی، گردشگری و ...»), sets a
    title after a name («در ادامه یوسف امینی، سرپرست دفتر ...») or closes a subject inside the phrase."""
    from khabar.attribution.speakers import fold, given_names
    after = seg[m.end():].split()[:3]
    if not after or "و" in after[1:3] or (is_title_word(after[0]) and not _OCCASION.match(seg)):
        return False
    # «در این باره سید روح‌الله لطیفی سخنگوی گمرک ایران، با اشاره ...»: the comma closes the subject itself
    return not any(fold(w.strip("،")) in given_names() or is_title_word(w) for w in seg[:m.end()].split()[1:])


_AFTER_LEAD = re.compile(r"(?:پس|بعد|پیش|قبل)[ \u200c]+از[^،:]{0,80}،[ \u200c]*")


def _opens_subject(text: str, start: int, end: int) -> bool:
    """Whether a subject opens at ``start`` (after «... ادامه پیدا کرد که»): a name in quote marks, a title, an
    organisation or a given name, after an optional «پس از ...،» phrase (not «سوال شد که روی گل ... پاسخ داد»)."""
    lead = _AFTER_LEAD.match(text, start, end)
    word = text[lead.end() if lead else start:end].split(maxsplit=1)[:1]
    if not word:
        return False
    w = word[0]
    if w[0] in "«\"“":
        return True
    from khabar.attribution.speakers import fold, given_names
    return is_title_word(w) or w in ORG_HEADS or fold(w) in given_names()


def _run_on_start(text: str, start: int, end: int) -> int | None:
    """Where the last clause of ``text[start:end]`` begins when a full stop is missing before a new sentence's
    opener: «... حضور یافته است در ادامه این مراسم رئیس ... گفت» (the opener's position), else None."""
    last = None
    for m in _RUN_ON.finditer(text, start, end):
        last = m.end()
    return last


def _comma_bare(text: str, sent: tuple[int, int], c: C.CueMatch) -> bool:
    """«سخنگو ... اعلام کرد، بیش از ۲۰ کودک ... کشته شده‌اند»: a clause after a comma when the cue has a
    subject of its own (not a relative «که» clause) and the clause runs on to the end of the sentence."""
    ke = list(re.finditer(r"(?:^|[ \u200c])که[ \u200c]", text[sent[0]:c.start]))
    # «"احمد چلبی" که پس از ... رفت، اعلام کرد، ...»: a relative clause on the subject closed by a comma right
    # before the cue is no bar
    if ke and not re.search(r"،[ \u200c]*$", text[sent[0] + ke[-1].end():c.start]):
        return False
    rest = text[c.end:sent[1]].lstrip(" \u200c،")
    return "،" not in rest[:12] and len(rest.split()) >= 4 and subject_span(text, sent[0], c.start) is not None


_CLAUSE_OPEN = re.compile(r"(?:^|[ \u200c])(?:که|و|اما|ولی|لیکن|ولیکن|سپس|بلکه|زیرا|چون)[ \u200c]|[،:؛]")
_OBJECT = re.compile(r"(?:^|[ \u200c])را[ \u200c]")
_SUBJECT_PRONOUNS = PRONOUNS | {"من", "ما", "شما", "تو"}


def _names_an_object(text: str, sent: tuple[int, int], c: C.CueMatch) -> bool:
    """«... را که اسراییل را رژیمی تروریست خواند تایید کرده»: a cue whose own clause has an object with «را» says
    what it calls or thinks of the object (docs/quotes.md §1, «X را Y دانست»); no bare clause follows it.  Not when a
    pronoun after the «را» opens a clause of its own («این را هم بگویم او به من گفت ...»)."""
    opens = [m.end() for m in _CLAUSE_OPEN.finditer(text, sent[0], c.start)]
    obj = _OBJECT.search(text, max([sent[0], *opens]), c.start)
    return obj is not None and not any(w in _SUBJECT_PRONOUNS for w in text[obj.end():c.start].split())


_THIS_OBJECT = re.compile(r"(?:این|اینها|این‌ها|این[ \u200c]+(?:سخنان|جملات|حرف‌ها|مطلب))[ \u200c]+را[ \u200c]+")


def _quoted_before(text: str, sent: tuple[int, int], c: C.CueMatch) -> tuple[Found, int] | None:
    """«"ما تسلیم فشار نمی‌شویم"، رئیس‌جمهور در جلسه هیئت دولت گفت.»، «"..."؛ این را حسن روحانی ... گفت.»: a passage
    in quote marks opening the sentence, then a comma or «؛» and the cue that ends the sentence, is the cue's direct
    quotation (docs/quotes.md §2); with where its subject starts (after «این را»)."""
    if text[c.end:sent[1]].strip(" \u200c.!؟") or sent[0] >= c.start:
        return None
    open_at = _skip_space(text, sent[0], c.start)
    mark = text[open_at] if open_at < c.start else ""
    if mark not in OPEN_MARKS:
        return None
    close = text.find(OPEN_MARKS[mark], open_at + 1, c.start)
    if close < 0:
        return None
    after = _skip_space(text, close + 1, c.start)
    if after >= c.start or text[after] not in "،؛,":
        return None
    subject = _skip_space(text, after + 1, c.start)
    if (this := _THIS_OBJECT.match(text, subject, c.start)) is not None:
        subject = this.end()
    cs, ce = trim(text, open_at, close)
    if len(text[cs:ce].split()) < 2 or subject >= c.start:
        return None  # «"ژاوی"، مربی گفت»: a name in quote marks, not a quotation
    return Found("direct", (cs, ce), (c.start, c.end), None, sent, "verb"), subject


def _bare_ok_in_relative(text: str, sent: tuple[int, int], c: C.CueMatch) -> bool:
    """«X که معتقد بود این مدت کافی نیست، روبرو شد»: a bare clause in a relative clause needs a closing comma."""
    if not re.search(r"(?:^|[ \u200c])که[ \u200c]+$", text[max(sent[0], c.start - 6):c.start]):
        return True
    return "،" in text[c.end:sent[1]]


_FINITE = re.compile(r"(?:ن?می\u200c\S+|است|نیست|هست|هستند|بود|بودند|نبود|شد|شدند|نشد|شود|شوند|باشد|کرد|کردند"
                     r"|کند|کنند|دارد|دارند|ندارد|داشت|داشتند|رفت|آمد)")
_CLAUSE_GOES_ON = {"که", "تا", "و", "اما", "ولی", "زیرا", "چون", "چرا", "اگر", "یا", "بلکه", "ولیکن", "لیکن"}


def _relative_bare_end(text: str, sent: tuple[int, int], c: C.CueMatch, content: tuple[int, int]) -> tuple[int, int]:
    """«جاسم کرار که روز گذشته اعلام کرده بود از عراق به مشهد می‌رود صبح امروز عازم مشهد شد»: a bare clause inside a
    relative clause on the subject ends with its own verb when a short main predicate follows it (a comma, when there
    is one, already ends it); not when the words after the verb go on with the clause (a conjunction, «که»)."""
    subject = subject_span(text, sent[0], c.start)
    seg = text[content[0]:content[1]]
    if subject is None or not re.match(r"[ \u200c،]*که[ \u200c]", text[subject[1]:c.start]) \
            or any(ch in seg for ch in "،:«\""):
        return content
    words = list(re.finditer(r"\S+", seg))
    for k, w in enumerate(words[:-2]):
        if _FINITE.fullmatch(w.group()):
            rest = [r.group() for r in words[k + 1:]]
            if rest[0] in _CLAUSE_GOES_ON or len(rest) > 8 or "که" in rest or not _FINITE.fullmatch(rest[-1]) \
                    or C.find_cues(text, content[0] + words[k + 1].start(), content[1]):
                return content
            return content[0], content[0] + w.end()
    return content


def _takes_bare_clause(text: str, c: C.CueMatch) -> bool:
    """Whether a clause may follow the cue without «که»: «گفت طرفین ...»، «اعلام کرد جامعه ...»."""
    if c.lemma in C.NO_BARE_CLAUSE:
        return False
    if c.lemma == "خواست":  # «از او خواست ...», «خواست نامش فاش نشود»; not «می‌خواست» (wanted)
        if text[c.start:c.end] == "خواسته":  # «از ما خواسته به شکلی ...», not the noun «خواسته مهم هیئت ...»
            asked = re.search(r"(?:^|[ \u200c])از(?:[ \u200c]+[^ \u200c،.:؛!؟]+){1,5}[ \u200c]+$", text[max(0, c.start - 80):c.start])
            stop = re.search(r"[.!؟\n]", text[c.end:c.end + 400])
            last = text[c.end:c.end + (stop.start() if stop else 400)].split()[-1:]
            # ... and what follows is a clause ending with a verb («... توقیف کند.»), not a noun phrase
            return asked is not None and bool(last) and re.search(r"(?:د|ست|یم|م)[»\"”)]*$", last[0]) is not None
        return not re.match(r"ن?می", text[c.start:c.end])
    return c.verb != "" or c.lemma in C.BARE_COPULA


def _impersonal(text: str, ps: int, c: C.CueMatch) -> bool:
    """«می‌توان به X اشاره کرد که ...»: a modal subject or a «به»-object makes the که relative, not reported."""
    clause_start = max(text.rfind("،", ps, c.start), text.rfind(".", ps, c.start), ps)
    clause = text[clause_start:c.start]
    sentence = text[max(text.rfind(".", ps, c.start), ps):c.start]
    if IMPERSONAL_ANY.search(clause):
        return True
    if re.search(r"(?:^|[ \u200c])(?:باید|نباید|بایستی|می[ \u200c]?بایست)[ \u200c]+$", text[max(ps, c.start - 12):c.start]):
        return True  # «ولی باید گفت که ...»، «باید اذعان کرد که ...»: it must be said, by nobody
    # «در حالی اعلام کرد که ...»: the که-clause is a circumstance; a cue inside that clause («... به پایان رسید که
    # بازیکنان فریاد می‌زدند: ...») is not
    m = re.search(r"در[ \u200c]*حالی(?![ \u200c]*(?:است|بود|که))", sentence)
    if m and not re.search(r"(?:^|[ \u200c])که[ \u200c]", sentence[m.end():]):
        return True
    if c.lemma == "اشاره کرد" and re.search(r"به[ \u200c]+این[ \u200c]+(?:نکته|موضوع|مطلب|مسئله|مساله)[ \u200c]*$",
                                             clause):
        return False  # «به این نکته اشاره کرد که ...»: the که-clause is the point made
    return c.lemma == "اشاره کرد" and re.search(r"(?:^|[ \u200c])به[ \u200c]", clause) is not None


NOT_NESTED = PRONOUNS | {"ما", "من", "شما", "همه", "مردم", "این", "آن", "او", "خودم", "خود", "کسی", "هر", "تنها",
                         "فقط", "حتی", "واقعا", "واقعاً", "البته", "باز", "بازهم", "اگر", "چون", "نمی‌شود",
                         "نمیشود", "باید", "نباید", "می‌توان", "نمی‌توان"}


def _first_person(text: str, c: C.CueMatch) -> bool:
    last = text[c.start:c.end].split()[-1].replace("\u200c", "")
    return re.search(r"(?:م|یم)$", last) is not None  # «گفتم»، «اعلام کردیم»، «معتقدم»


def _second_person(text: str, c: C.CueMatch) -> bool:
    """«شما می‌گویید ...؟»، «گفتید ...»، «اعلام کردید»: a question of the interviewer, not a report."""
    if not c.verb:
        return False
    last = text[c.start:c.end].split()[-1].replace("\u200c", "")
    if last.endswith((c.verb + "ید", c.verb + "ی")):  # past: «گفتید»، «کردید»، «گفتی»
        return True
    present = C.person_stems().get(c.verb)
    if present is None or present + "ید" == c.verb:
        return False  # «می‌پرسید»: the present's second person is the past stem's third («he was asking»)
    return last.startswith(("می", "نمی")) and last.endswith((present + "ید", present + "ی"))


# «خواست» as a noun ("will", "demand"): another noun follows and the clause is a copula («خواست خدا بود»،
# «خواست مردم این است که ...»), where the verb «خواست» would take «که» / «تا» or a clause of its own
_NOUN_KHAST = re.compile(r"[ \u200c]+[^\s،.:؛؟!«»]+(?:[ \u200c]+(?:این|آن|هم|نیز))?[ \u200c]+"
                         r"(?:بود|است|نبود|نیست|بوده|باشد)(?![\w\u200c])")


def _noun_khast(text: str, c: C.CueMatch) -> bool:
    return text[c.start:c.end] == "خواست" and _NOUN_KHAST.match(text, c.end) is not None


def _nested_speaker(text: str, start: int, c: C.CueMatch) -> bool:
    """A cue inside a quotation is a quotation of its own only with a named third party as subject
    («خلعتبری به صادقیان می‌گفت نباید ...»), not «من همیشه می‌گویم که ...»."""
    cue_start = c.start
    last = text[c.start:c.end].split()[-1].replace("\u200c", "")
    if re.search(r"(?:م|یم|ید|ی)$", last):
        return False  # first or second person: the quoted speaker himself
    bounds = re.finditer(r"(?:،|[ \u200c](?:و|اما|ولی|که)[ \u200c])", text[start:cue_start])
    clause = max([start, *(start + m.end() for m in bounds)])
    span = subject_span(text, clause, cue_start)
    if span is None:
        return False
    words = text[span[0]:span[1]].split()
    if not words or words[0] in NOT_NESTED or len(words) > 6:
        return False
    # identifiable: a title, an honorific, an organisation or a given name («آقای حریرچی معاون وزیر»)
    from khabar.attribution.speakers import HONORIFICS, fold, given_names

    return any(is_title_word(w) or w in ORG_HEADS or w in HONORIFICS or fold(w) in given_names() for w in words)


def _antecedent(text: str, start: int, cue_start: int) -> tuple[int, int] | None:
    """«کوفی عنان، دبیرکل سازمان ملل که معتقد بود ...»: the noun phrase before a relative «که» + cue."""
    m = re.search(r"(?:^|[،,(]|[ \u200c])((?:[^\s،,()]+[ \u200c]+){1,5}?)که[ \u200c]+$", text[start:cue_start])
    if not m:
        return None
    seg_start = start + m.start(1)
    seg = text[seg_start:cue_start]
    comma = max(text.rfind("،", start, seg_start + len(seg)), -1)
    words = list(re.finditer(r"\S+", seg[:seg.rfind("که")]))
    if not words:
        return None
    s0 = seg_start + words[0].start()
    if comma >= s0:
        s0 = comma + 1
    return subject_span(text, s0, seg_start + words[-1].end()) or None


def _is_noun_use(text: str, c: C.CueMatch) -> bool:
    """«به گفته وی»، «گفت و گو»، «این گفته‌ها»: the verb form used as a noun."""
    before = text[max(0, c.start - 8):c.start]
    if m := re.search(r"(?<![\w\u200c])(?:به|بنا|بنابه|بنابر|این|آن|همین|همان|طبق|با)[ \u200c]+$", before):
        # «... درباره ورود بخش خصوصی به آن گفت: ...»: a demonstrative closing a phrase, then the verb and its colon
        return not (m.group().strip(" \u200c") in ("این", "آن", "همین", "همان")
                    and re.match(r"[ \u200c]*:", text[c.end:c.end + 4]) is not None
                    and re.search(r"(?<![\w\u200c])(?:به|از|در|با|برای|درباره)[ \u200c]+\S+[ \u200c]*$",
                                  text[max(0, c.start - 16):c.start]) is not None)
    after = text[c.end:c.end + 6]
    return c.verb == "گفت" and re.match(r"[ \u200c]*و[ \u200c]*گو", after) is not None


class _Cuts(list):
    """The (sentence start, comma cut) of the cues that open a direct quotation, in text order, with the first whose
    cut lies after a position found by bisection (the cuts' running maximum)."""

    def __init__(self, cuts: list[tuple[int, int]]) -> None:
        super().__init__(cuts)
        self.top = list(itertools.accumulate((cut for _, cut in cuts), max))

    def first_after(self, pos: int) -> tuple[int, int] | None:
        k = bisect_right(self.top, pos)
        return self[k] if k < len(self) else None


def _direct(text: str, start: int, pe: int, sent: tuple[int, int], colon_starts: _Cuts, c: C.CueMatch,
            cue_starts: list[int] | None = None) -> Found | None:
    if start >= pe:
        return None
    mark = text[start]
    close = text.find(OPEN_MARKS[mark], start + 1, pe) if mark in OPEN_MARKS else -1
    i = start
    while i > 0 and text[i - 1] in " \u200c\t":
        i -= 1
    after_colon = i > 0 and text[i - 1] == ":"
    if mark in OPEN_MARKS and close < 0:
        end = pe
    elif close > 0 and (_wraps(text, close, pe) or not after_colon):
        end = close  # quote marks right after the cue hold the quotation: «عقیده دارد "..." روز ... را سپری کرد»
    else:
        end = pe
        # the first cue opening a direct quotation after ``start``: its sentence, or the comma before its clause
        first = colon_starts.first_after(start)
        if first is not None:
            sent_start, comma_cut = first
            # the next quotation's sentence, or «گفت: A، گراهام ... افزود: B» in one sentence
            end = min(end, sent_start if sent_start > start else comma_cut)
        if cue_starts is None:
            cue_starts = [m.start for m in C.find_cues(text, start, end)]
        end = _cut_before_new_attribution(text, start, end, cue_starts)
    cs, ce = trim(text, start, end)
    if mark in OPEN_MARKS and close > 0 and end != close:
        cs = start  # «ژاوی» بهترین بازیکن بود: the marks hold a name, not the quotation
    if ce - cs < 2:
        return None
    unclosed = OPEN_MARKS[mark] if mark in OPEN_MARKS and close < 0 else None
    return Found("direct", (cs, ce), (c.start, c.end), None, sent, "verb", unclosed)


def _wraps(text: str, close: int, pe: int) -> bool:
    """Whether the closing mark at ``close`` ends the quotation (not a quoted name inside it)."""
    if text[close - 1:close] in ".!؟?…" or close + 1 >= pe:
        return True
    rest = text[close + 1:pe].lstrip(" \u200c")
    return not rest or rest[0] in ".،؛!؟?:"


_NEW_ATTRIBUTION = re.compile(r"(?:(?<=[.!؟?»]) |^)(?:وی|او)[ \u200c]")


def _cut_before_new_attribution(text: str, start: int, end: int, cue_starts: list[int]) -> int:
    """A direct quotation without marks stops at a later sentence opening with «وی ...» and a cue (``cue_starts``:
    where the cues start, in order)."""
    for m in _NEW_ATTRIBUTION.finditer(text, start, end):
        k = bisect_left(cue_starts, m.start())
        if m.start() > start and k < len(cue_starts) and cue_starts[k] < end:
            return m.start()
    return end


_BUT = re.compile(r"[ \u200c]*،?[ \u200c]+(?:اما|ولی(?![ \u200c]+(?:فقیه|امر)))[ \u200c]+\S")
ANNOUNCER_WORDS = 12


def _indirect(text: str, start: int, sent: tuple[int, int], cues: list[C.CueMatch], c: C.CueMatch) -> Found | None:
    end = sent[1]
    # «تأکید کرد که A و افزود که B»: A stops before « و» + the next cue of the same sentence
    for other in cues:
        if start < other.start < end:
            m = re.search(r"[ \u200c]و[ \u200c]+(?:[^ ]+[ \u200c]+){0,2}$", text[start:other.start])
            # «... نوشته است که A بوده است اما دادستانی ... اعلام کرد که B»: A stops before «اما» + a new subject's cue
            but = list(_BUT.finditer(text[start:other.start]))
            if m or but:
                end = start + (m.start() if m else but[-1].start())
                break
    if re.search(r"(?:^|[ \u200c])که[ \u200c]+$", text[max(sent[0], c.start - 6):c.start]):
        comma = text.find("،", start, end)
        end = comma if comma > 0 else end
    cs, ce = trim(text, start, _clause_end(text, start, end))
    if ce - cs < 2:
        return None
    return Found("indirect", (cs, ce), (c.start, c.end), None, sent, "verb")


# what ends an indirect quotation inside its sentence (docs/quotes.md §3): «؛», «و این در حالی ...», a conclusion
_CLAUSE_END = re.compile(r"؛|[ \u200c]و[ \u200c]+این[ \u200c]+در[ \u200c]+حالی|[ \u200c](?:به[ \u200c]+همین[ \u200c]+دلیل"
                         r"|بنابراین|از[ \u200c]+این[ \u200c]+رو|در[ \u200c]+نتیجه)[ \u200c،]")


def _clause_end(text: str, start: int, end: int) -> int:
    """Where an indirect quotation running from ``start`` to at most ``end`` stops (the same for «که»-clauses, bare
    clauses and «به گفته وی، ...»)."""
    m = _CLAUSE_END.search(text, start, end)
    return m.start() if m else end


def _clause_phrases(text: str, sents: list[tuple[int, int]], cues: list[C.CueMatch]) -> list[Found]:
    out = []
    for s, e in sents:
        for m in C.CLAUSE_PHRASES.finditer(text, s, e):
            start = _skip_space(text, m.end(), e)
            after = [c for c in cues if c.start > start and c.end <= e]
            # the main cue closes the clause after its comma («با بیان اینکه ... در صورت پرداخت ...، گفت»); a cue
            # word inside X («پرداخت» a noun there) is not it; a cue before a colon is never inside X
            colon = next((n for n, c in enumerate(after) if text[_skip_space(text, c.end, e):][:1] == ":"), None)
            upto = after if colon is None else after[:colon + 1]
            main = next((c for c in upto if (k := text.rfind("،", start, c.start)) > start
                         and len(text[k + 1:c.start].split()) <= 2), upto[0] if upto else None)
            limit = main.start if main else e
            comma = text.rfind("،", start, limit)
            # «با بیان اینکه X، گفت»: X ends at the comma before the main cue, unless that comma is inside X
            end = comma if comma > start and (not main or len(text[comma + 1:limit].split()) <= 2) else limit
            cs, ce = trim(text, start, end)
            if ce - cs < 4:
                continue
            out.append(Found("indirect", (cs, ce), (m.start(), _strip_ineke(text, m.start(), m.end())),
                             subject_span(text, s, m.start()), (s, e), "clause"))
    return out


def _strip_ineke(text: str, start: int, end: int) -> int:
    m = re.search(r"[ \u200c]+این(?:[ \u200c]?که)?$", text[start:end])
    return start + m.start() if m else end


def _according_to(text: str, sents: list[tuple[int, int]], cues: list[C.CueMatch]) -> list[Found]:
    out = []
    for s, e in sents:
        for m in C.ACCORDING_TO.finditer(text, s, e):
            src_start = _skip_space(text, m.end(), e)
            if "اعلام" in m.group(0):
                # «بنا بر اعلام روابط عمومی پژوهشگاه ...، X»: an announcing organisation's name may be long, and only
                # a comma closes it
                comma = text.find("،", src_start, e)
                if comma < 0 or not 0 < len(text[src_start:comma].split()) <= ANNOUNCER_WORDS:
                    continue
                src_end = comma
            else:
                src_end = _source_np_end(text, src_start, e)
            if src_end <= src_start:
                continue
            lead = text[s:m.start()].strip(" \u200c،")
            opens = not lead or re.fullmatch(r"(?:و|اما|ولی|همچنین|نیز|همچنان)", lead)
            if not opens and "گفته" not in m.group(0):
                continue
            if opens:
                start = src_end
                while start < e and text[start] in "، \u200c":
                    start += 1
            else:
                start = s
            end = e
            if opens:  # «به گفته وی، A اما دولت ... خواسته B»: A stops before «اما» + a new subject's cue
                for other in cues:
                    if start < other.start < end:
                        but = list(_BUT.finditer(text[start:other.start]))
                        if but:
                            end = start + but[-1].start()
                            break
            cs, ce = trim(text, start, _clause_end(text, start, end))
            if ce - cs < 4:
                continue
            out.append(Found("indirect", (cs, ce), (m.start(), m.end()), (src_start, src_end), (s, e), "according"))
    return out


def _source_np_end(text: str, start: int, end: int) -> int:
    """The end of the source after «به گفته»: a pronoun, or the words up to the next comma (at most 7)."""
    word, ws, we = _next_word(text, start, end)
    if word.rstrip("،") in PRONOUNS:
        return ws + len(word.rstrip("،"))
    comma = text.find("،", start, end)
    words = text[start:comma].split() if comma > 0 else []
    if comma > 0 and 0 < len(words) <= 7:
        # «به گفته سخنگوی وزارت امور خارجه، سید عباس موسوی، ...»: a name in apposition after the title, closed by a
        # comma, is part of the source
        second = text.find("،", comma + 1, end)
        if is_title_word(words[0]) and second > 0:
            after = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[comma + 1:second + 1])]
            named = appositive_name(text[comma + 1:second + 1], after)
            if named and named == len(after) and _name_like_first(text[comma + 1:second]):
                return second
        return comma
    # no comma: the first word, or two when the second is not a common word
    i = we
    word2, ws2, we2 = _next_word(text, we, end)
    if word2 and word2 not in COMMON_AFTER_NAME and len(word2) > 2 and not word2.endswith("ها"):
        i = we2
    return i


def _name_like_first(words: str) -> bool:
    from khabar.attribution.speakers import _name_like  # speakers imports this module

    first = words.split()[:1]
    return bool(first) and _name_like(first[0])


COMMON_AFTER_NAME = {"در", "با", "از", "به", "این", "آن", "که", "و", "را", "هم", "نیز", "یک", "همه", "وجود",
                     "تیم", "بازی", "کشور", "ما", "من"}


def _documents(text: str, ps: int, pe: int, sents: list[tuple[int, int]],
               colon_starts: _Cuts, all_sents: list[tuple[int, int]]) -> list[Found]:
    out = []
    for m in C.DOCUMENT_CUE.finditer(text, ps, pe):
        i = _skip_space(text, m.end(), pe)
        if i >= pe or (text[i] != ":" and text[i] not in OPEN_MARKS):
            continue  # «در این بیانیه آمده است: ...» or «... آمده بود «...»»
        sent = _sentence_of(sents, m.start())
        pre = text[sent[0]:m.start()]
        if not re.search(r"(?:پیام|بیانیه|نامه|گزارش|متن|اطلاعیه|سند|کتاب|یادداشت|توییت|پست|مقاله|وصیت)", pre):
            continue
        start = _skip_space(text, i + 1, pe) if text[i] == ":" else i
        q = _direct(text, start, pe, sent, colon_starts, C.CueMatch(m.start(), m.end(), "آمده است", ""))
        if q:
            q.via = "document"
            q.mention = _document_author(text, sent[0], m.start())
            if q.mention is None:
                q.mention = _earlier_document_author(text, all_sents, sent[0], pre)
            if q.mention is None and _THIS_DOC.search(pre):
                q.mention = _later_document_author(text, _THIS_DOC.search(pre).group(1), pe)  # type: ignore[union-attr]
            out.append(q)
    return out


_DOC_WORDS = "پیام|بیانیه|نامه|اطلاعیه|یادداشت|توییت|مقاله"
_THIS_DOC = re.compile(f"(?:این|همین)[ \u200c]+({_DOC_WORDS})(?![\\w\u200c])")


def _earlier_document_author(text: str, sents: list[tuple[int, int]], before: int, pre: str
                             ) -> tuple[int, int] | None:
    """«در این بیانیه ... آمده بود»: the subject of the sentence (of the three before) that issued «بیانیه‌ای»
    («X در بیانیه‌ای از ... خبر داد»); its words run from the last comma before «در بیانیه‌ای»."""
    this = _THIS_DOC.search(pre)
    if not this:
        return None
    issued = re.compile(f"(?:در|طی)[ \u200c]+{this.group(1)}[ \u200c]?ای(?![\\w\u200c])")
    earlier = [(s, e) for s, e in sents if e <= before][-3:]
    for s, e in reversed(earlier):
        m = issued.search(text, s, e)
        if m:
            comma = text.rfind("،", s, m.start())
            return subject_span(text, comma + 1 if comma >= s else s, m.start())
    return None


# the verb group after a document's author: «در پیام رئیس سازمان ... تأکید شده است»، «... آمده است»
_DOC_VERB = re.compile(r"[ \u200c]+(?:\S+[ \u200c]+(?:شده|کرده|نموده)|آمده|آورده)(?![\w\u200c])|[،:]")


def _later_document_author(text: str, doc: str, after: int) -> tuple[int, int] | None:
    """«در این پیام آمده است: ...» when no sentence before says who issued it: the author the article gives the
    document later («در پیام رئیس سازمان ... تأکید شده است»), a title or an organisation."""
    for m in re.finditer(f"(?:در|طی)[ \u200c]+(?:متن[ \u200c]+)?{doc}[ \u200c]+(?!این|آن|خود)", text[after:]):
        start = after + m.end()
        line_end = text.find("\n", start)
        verb = _DOC_VERB.search(text, start, len(text) if line_end < 0 else line_end)
        if verb is None:
            continue
        span = subject_span(text, start, verb.start())
        if span is not None and (is_title_word(text[span[0]:span[1]].split()[0])
                                 or text[span[0]:span[1]].split()[0] in ORG_HEADS):
            return span
    return None


_AUTHOR = re.compile(r"(?<![\w\u200c])(?:پیام|بیانیه|نامه|اطلاعیه|یادداشت|توییت|مقاله)[ \u200c]+(?!این|آن|با|در|به|از|ضمن|که|و[ \u200c])([^،:]+?)(?=[ \u200c]+(?:با|که|در|به|آمده|،)|$)")


def _document_author(text: str, start: int, end: int) -> tuple[int, int] | None:
    # «در بیانیه منتشره از سوی کاخ الیزه آمده است»: the author follows «از سوی» / «از طرف»
    by = re.search(r"از[ \u200c]+(?:سوی|طرف|جانب)[ \u200c]+([^،:]+?)(?=[ \u200c]+(?:با|که|در|به|آمده|خطاب)|،|$)",
                   text[start:end])
    if by:
        return start + by.start(1), start + by.end(1)
    m = _AUTHOR.search(text, start, end)
    return (m.start(1), m.end(1)) if m else None


# -- the speaker mention in a cue's sentence ---------------------------------
STOP = {"در", "با", "که", "طی", "ضمن", "پس", "پیش", "بعد", "قبل", "امروز", "دیروز", "امشب", "دیشب", "روز",
        "ظهر", "صبح", "عصر", "شب", "شامگاه", "بامداد", "همچنین", "نیز", "هم", "سپس", "بر", "از", "به", "درباره",
        "خطاب", "هنگام", "پیرامون", "درخصوص", "درمورد", "دررابطه", "درپاسخ", "راجع", "دراین‌باره", "دراینباره",
        "لحظاتی", "ساعاتی", "دقایقی", "ساعتی", "روزهای", "هفته‌های", "وقتی", "زمانی", "هنگامی", "اگر", "چون",
        "چنانچه", "یکدیگر", "همدیگر", "درادامه", "درپایان", "درابتدا", "مکررا", "مکرراً", "بارها", "همواره",
        "رسما", "رسماً", "مجددا", "مجدداً", "صریحا", "صریحاً", "بلافاصله", "درباره‌ی", "دربارهٔ", "حین", "تا", "را", "اما", "ولی", "عصرامروز", "صبحامروز", "پیش‌ازظهر",
        "بعدازظهر", "صبح‌امروز", "همچنان", "ابتدا", "سرانجام", "نهایتا", "نهایتاً", "دراین", "برای",
        "اخیرا", "اخیراً", "بار", "شامل", "بود", "بودند", "است", "هستند", "شد", "شدند", "نیست", "نبود", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "پنج‌شنبه"}
# adverbs that follow a subject («مورینیو مکررا گفته است»، «دروازه‌بان تیم همیشه گفته است»): never part of a name or
# a title; the mention ends before them (and skips one that opens the sentence)
ADVERBS = {"مکررا", "مکرراً", "قبلا", "قبلاً", "بعدا", "بعداً", "اخیرا", "اخیراً", "صرفا", "صرفاً", "قطعا", "قطعاً",
           "دقیقا", "دقیقاً", "رسما", "رسماً", "مجددا", "مجدداً", "شخصا", "شخصاً", "عمدتا", "ضمنا", "ضمناً", "نهایتا",
           "اساسا", "کاملا", "کاملاً", "حتما", "حتماً", "مستقیما", "صریحا", "صریحاً", "بارها", "همواره", "همیشه",
           "هرگز", "هنوز", "اکنون", "حالا", "بلافاصله", "سرانجام", "گذشته", "دیروز", "امروز", "امشب", "دیشب"}
# «گذشته» also ends a title («سرمربی فصل گذشته»): only a name drops it
# question words («آیا در آن زمان ... گفت»: a question the reporter asked before the cue) end a subject too
_SUBJECT_ADVERBS = (ADVERBS - {"گذشته"}) | {"آیا", "چرا", "چگونه", "چطور"}
# times of day that open a sentence before its subject («صبح امروز X گفت») and end a source name written without a
# comma («به گزارش فارس صبح امروز ...»: source_line.NAME_END)
TIME_OPENERS = ("صبح", "ظهر", "عصر", "شب", "شامگاه", "بامداد", "امروز", "دیروز", "امشب", "دیشب")
# «حالا / اکنون» (now) open a sentence before its subject (LEADS) and are never a given name (speakers._NOT_GIVEN)
NOW_OPENERS = ("حال", "حالا", "اکنون", "اینک")
LEADS = re.compile(
    r"^(?:(?:و|اما|ولی|همچنین|سپس|از سوی دیگر|از طرف دیگر|از[ \u200c]+(?:سویی|طرفی|یک[ \u200c]+(?:سو|طرف)|دیگر[ \u200c]+(?:سو|سوی))(?:[ \u200c]+دیگر)?|"
    + "|".join(NOW_OPENERS) + r"|هم[ \u200c]?اکنون"
    r"|گویا|ظاهرا|ظاهراً|احتمالا|احتمالاً"
    # «صبح امروز علی‌اصغر خرم‌روی اظهار داشت»: a time of day opening the sentence
    r"|(?:" + "|".join(TIME_OPENERS) + ")"
    r"(?:[ \u200c]+(?:امروز|دیروز|گذشته|شنبه|یکشنبه|دوشنبه|سه[ \u200c]?شنبه|چهارشنبه|پنج[ \u200c]?شنبه|جمعه))?"
    r"|در (?:ادامه|پایان)(?:[ \u200c]+(?:این|همین|آن)[ \u200c]+(?:مراسم|جلسه|نشست|دیدار|همایش|برنامه|گفت‌وگو|گفتگو|سخنان))?|در پایان|در همین حال|در این میان"
    r"|در (?:این|همین) (?:رابطه|راستا|زمینه|باره|خصوص|مراسم|جلسه|نشست|دیدار)|در عین حال|بنابراین|با این حال|با این وجود|با وجود این"
    r"|(?:شایان|لازم[ \u200c]+به|قابل)[ \u200c]+ذکر[ \u200c]+است(?:[ \u200c]+که)?|گفتنی[ \u200c]+است(?:[ \u200c]+که)?"
    r"|ناگفته[ \u200c]+نماند(?:[ \u200c]+که)?|البته|(?:خاطر[ \u200c]*نشان|یادآور)[ \u200c]+می[ \u200c]?شود(?:[ \u200c]+که)?"
    r"|همچنان|در[ \u200c]+(?:ابتدای|پایان|حاشیه|جریان|خلال|آغاز)[ \u200c]+(?:این[ \u200c]+)?\S+(?:[ \u200c]+نیز)?|(?:و[ \u200c]+)?این[ \u200c]+در[ \u200c]*حالی[ \u200c]+(?:است|بود)[ \u200c]+که|در[ \u200c]*حالی[ \u200c]*که)[،\s\u200c]+)+")
TIME_LEAD = re.compile(r"(?:[\d۰-۹]{1,2}:[\d۰-۹]{2}[ \u200c]*[-–][ \u200c]*)"  # a live-blog time «۲۳:۵۳ - ...»
                       r"|(?:[\d۰-۹]+|یک|دو|سه|چهار|پنج|شش|هفت|چند|همین|این|آن)?[ \u200c]*"
                       r"(?:روز|هفته|ماه|سال|شب|ساعت|دقیقه)(?:[ \u200c]?(?:های|ها))?[ \u200c]+"
                       r"(?:گذشته|پیش|قبل|اخیر|جاری|بعد)[،]?[ \u200c]+")
SOURCE_LEAD = re.compile(r"^(?:(?:(?:به|بنا[ \u200c]?(?:بر|به)|بر[ \u200c]?اساس|طبق|بر[ \u200c]+پایه)"
                         r"(?:[ \u200c]*(?:این|همین|همان))?[ \u200c]+(?:گزارش|نوشته)"
                         r"|به[ \u200c]+نقل[ \u200c]+از)[^،:]{0,160}[،:][\s\u200c]*)+")


_GUARDED = re.compile(r"[ \u200c]+(?:فقیه|امر|عصر|نعمت|عهد|الله|خدا|دم)(?![\w\u200c])")


def _guardian(text: str, start: int, end: int) -> bool:
    """«نماینده ولی فقیه»، «ولی امر»، «ولی‌عهد»: «ولی» as "guardian" in a title, not "but"."""
    if text[start:end] != "ولی":
        return False
    prev = text[max(0, start - 30):start].split()
    return bool(_GUARDED.match(text, end)) or bool(prev and is_title_word(prev[-1]))


# «درباره اینکه ...»، «در خصوص اینکه ...»: a clause giving the topic of what is said (it may hold its own «اما»)
_TOPIC_CLAUSE = re.compile(r"(?<![\w\u200c])(?:درباره|در[ \u200c]+باره|در[ \u200c]+(?:خصوص|مورد)"
                           r"|در[ \u200c]+(?:رابطه|ارتباط)[ \u200c]+با|در[ \u200c]+پاسخ[ \u200c]+به)[ \u200c]+"
                           r"(?:این[ \u200c]?که|این[ \u200c]+(?:سوال|سؤال|پرسش|موضوع|مطلب)[ \u200c]+که)(?![\w\u200c])")


# the number of a list item opening a line: «۵. »، «۱_ »، «۳) »، «-۲ »، «۲- » (a number with a mark; a bare number,
# «۱۵ نفر»، is a count)
_LIST_MARKER = re.compile(r"(?:[-–][ \u200c]*[0-9۰-۹]{1,2}|[0-9۰-۹]{1,2}[ \u200c]*[.)_\-–])[ \u200c]+(?=\S)")


def _line_start(text: str, pos: int) -> bool:
    """Whether only white space stands between the start of its line and ``pos``."""
    i = pos
    while i > 0 and text[i - 1] in " \u200c\t":
        i -= 1
    return i == 0 or text[i - 1] in "\r\n"


# a share of people («۴۵ درصد»، «۷/۷۷ درصد از ترک‌ها»، «۸۳ درصد نیز») right before the cue: the subject of a poll's
# finding
_SHARE = re.compile(r"(?:^|(?<=[\s،]))([0-9۰-۹]+(?:[./٫][0-9۰-۹]+)?[ \u200c]*(?:درصد|٪|%))"
                    r"(?:[ \u200c]+از(?:[ \u200c]+[^\s،.:؛«»]+){1,4}?)?(?:[ \u200c]+(?:نیز|هم))?[ \u200c]*$")
_SHARE_AFTER = {"با", "به", "از", "در", "تا", "برای", "بر", "بالای", "زیر", "حدود"}


def _share_subject(text: str, start: int, cue: C.CueMatch, mention: tuple[int, int] | None
                   ) -> tuple[int, int] | None:
    """«در مقابل ۴۵ درصد نیز معتقدند ...»، «... را رد و ۸۳ درصد نیز اعلام کردند ...»: a share of people right before
    the cue is its subject (the sentence's own, not an earlier speaker's) when the sentence has no subject before it,
    or when it opens a clause of its own (after «و» or a comma); a share after a noun («رشد ۴۵ درصد») or a
    preposition is none, unless the cue is plural or «نیز»/«هم» follows the share."""
    m = _SHARE.search(text, start, cue.start)
    if m is None or (mention is not None and mention[0] <= m.start(1) < mention[1]):
        return None
    before = text[start:m.start(1)].split()
    prev = before[-1] if before else ""
    opens = not before or prev in ("و", "،") or prev.endswith("،")
    if mention is not None:
        return (m.start(1), m.end(1)) if opens and before else None
    if prev in _SHARE_AFTER:
        return None
    plural = text[cue.start:cue.end].replace("\u200c", "").endswith("ند")
    also = re.search(r"(?:نیز|هم)[ \u200c]*$", m.group(0)) is not None
    return (m.start(1), m.end(1)) if opens or plural or also else None


def subject_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The subject noun phrase at the head of ``text[start:end]`` (the part of a sentence before its cue)."""
    while start < end and text[start] in " \u200c\t":
        start += 1
    if (marker := _LIST_MARKER.match(text, start, end)) is not None and _line_start(text, start):
        start = marker.end()  # «۵. این گزارش ادعا می‌کند ...»: the number of a list item is no part of the subject
    while start < end and text[start] in " \u200c\t،,:؛.»\"-–—•*":  # «- کارشناسان ...»: a list bullet
        start += 1
    # «با بیان اینکه ... اما امروز ... هستند، خاطرنشان کرد»: a «but» inside a clause phrase is no clause of the subject
    phrase = C.CLAUSE_PHRASES.search(text, start, end)
    # «رئیس هیات مدیره ... در خصوص اینکه ... اما همیشه ...، عنوان کرد»: nor is one inside a topic clause after the subject
    topic = _TOPIC_CLAUSE.search(text, start, end)
    bounds = [m.start() for m in (phrase, topic if topic and text[start:topic.start()].strip() else None) if m]
    stop = min(bounds, default=end)
    but = [m for m in re.finditer(r"(?<![^ ])(?:اما|ولی|لیکن|ولیکن|(?:و )?سپس)(?= )", text[start:stop])
           if not _guardian(text, start + m.start(), start + m.end())]
    first = text[start:end].split(maxsplit=1)[0] if text[start:end].split() else ""
    if but and first in PRONOUNS:
        but = []  # «وی در پاسخ به این سوال که ... اما تیم ... عنوان کرد»: the «اما» is inside the question
    if but:  # «در حالی که السد ... اما گابی اعلام کرده که»: the subject of the last clause
        start += but[-1].end()
        while start < end and text[start] in " \u200c\t،,":
            start += 1
    seg = text[start:end]
    # «بلافاصله پس از انتشار این خبر، X گفت»، «در ادامه پیگیری موضوع، X ... اظهار کرد»: a phrase before the subject
    lead = re.match(r"(?:(?:بلافاصله|درست|کمی|اندکی)[ \u200c]+)?"
                    r"(?:علاوه[ \u200c]+بر|در[ \u200c]+پی|پس[ \u200c]+از|بعد[ \u200c]+از|پیش[ \u200c]+از|قبل[ \u200c]+از"
                    r"|در[ \u200c]+(?:واکنش|پاسخ)[ \u200c]+به)[ \u200c][^،:]{0,60}?،[ \u200c]*"
                    # «در حالی که پیش از این اعلام شده بود ...، سازمان لیگ اعلام کرد»: a clause before the subject
                    r"|(?:در[ \u200c]*حالی[ \u200c]*که|با[ \u200c]+وجود[ \u200c]+(?:این|آن)[ \u200c]?که|اگرچه|اگر[ \u200c]+چه"
                    r"|هرچند|هر[ \u200c]+چند|زمانی[ \u200c]+که|هنگامی[ \u200c]+که|از[ \u200c]+آنجا[ \u200c]+که)"
                    r"[ \u200c][^،:]{0,160}?،[ \u200c]*"
                    # «سیاسی قصد برکناری ... را داشت»، مشاور وزیر ... گفت: a quoted claim before the subject
                    r"|[«\"“][^»\"”]{0,300}[»\"”][ \u200c]*،[ \u200c]*", seg)
    if lead and not seg.startswith(("به گزارش", "به نقل")):  # «در پی صدور این بیانیه، هیئت ... گفت»
        start += lead.end()
        seg = text[start:end]
    elif (going := _IN_PHRASE.match(seg)) is not None and _phrase_before_subject(seg, going):
        start += going.end()
        seg = text[start:end]
    m = SOURCE_LEAD.match(seg)
    off = m.end() if m else 0
    m = TIME_LEAD.match(seg[off:])  # «دو روز گذشته «ملک سلمان» ... دستور داد»
    off += m.end() if m else 0
    m = LEADS.match(seg[off:])
    off += m.end() if m else 0
    m = TIME_LEAD.match(seg[off:])  # «شایان ذکر است هفته گذشته آیت‌الله ... گفت»
    off += m.end() if m else 0
    toks = [(mm.start() + off, mm.end() + off) for mm in re.finditer(r"\S+", seg[off:])]
    while toks and seg[toks[0][0]:toks[0][1]].strip("«»\"“”()،") in _SUBJECT_ADVERBS - STOP:
        toks.pop(0)  # «همیشه X گفته است»: an adverb before the subject
    chosen: list[tuple[int, int]] = []
    for k, (ts, te) in enumerate(toks):
        word = seg[ts:te].strip("«»\"“”()")
        if word in _SUBJECT_ADVERBS:
            break
        if word == "از" and k == 1 and seg[toks[0][0]:toks[0][1]] in ("یکی", "یک"):
            chosen.append((ts, te))  # «یکی از شهروندان اردبیلی ... گفت»: an unnamed person of a group
            continue
        if (word in STOP or word.split("\u200c")[0] in ("در", "با", "از", "به")
                or (k > 0 and word in ("این", "آن", "همه", "تمام", "کلیه")
                    and not is_title_word(_head_before(seg, toks, k)))
                or len(chosen) >= 14):
            break
        if word == "و" and k + 1 < len(toks) and seg[toks[k + 1][0]:toks[k + 1][1]] in STOP:
            break
        comma = seg[ts:te].endswith(("،", ","))
        chosen.append((ts, te - 1 if comma else te))
        if comma:
            # «نیکو کوواچ، سرمربی بایرن ...»: an apposition after the comma continues the mention
            nxt = seg[toks[k + 1][0]:toks[k + 1][1]] if k + 1 < len(toks) else ""
            # «مدیرکل صنعت، معدن و تجارت گیلان»: a list inside a title («X، Y و Z») goes on
            ahead = [seg[a:b] for a, b in toks[k + 1:k + 4]]
            in_list = "و" in ahead[1:] and not any(w.endswith("،") or w in STOP for w in ahead[:ahead.index("و")])
            if is_title_word(seg[chosen[0][0]:chosen[0][1]]) and not is_title_word(nxt) and not in_list:
                # «سخنگوی دولت، علی ربیعی، گفت»: a name in apposition after the title is the speaker
                named = appositive_name(seg, toks[k + 1:])
                if named:
                    chosen.extend(toks[k + 1:k + 1 + named])
                break
            if not is_title_word(nxt) and not in_list:
                break
    while chosen and seg[chosen[-1][0]:chosen[-1][1]] in ("و", "،"):
        chosen.pop()
    if chosen and seg[chosen[0][0]:chosen[0][1]].strip("«»\"“”()،") in PRONOUNS:
        chosen = chosen[:1]  # «وی ابومهدی المهندس را ... توصیف کرد»: the words after a pronoun are the object's
    if len(chosen) >= 4 and seg[chosen[0][0]:chosen[0][1]] in ORG_HEADS and re.search(r"(?:^|[ \u200c])را(?:[ \u200c]|$)",
                                                                                     seg[chosen[-1][1]:]):
        chosen = chosen[:2]  # «هیئت داوران تصمیم خود را اعلام کرد»: the object is not part of the name
    if not chosen:
        return None
    s, e = start + chosen[0][0], start + chosen[-1][1]
    while e > s and text[e - 1] in "،,: \u200c":
        e -= 1
    return (s, e) if e > s else None


_NOT_IN_NAME = re.compile(r"[0-9۰-۹«»\"“”():؛.؟!]")


def appositive_name(seg: str, toks: list[tuple[int, int]]) -> int:
    """How many of the tokens ``toks`` of ``seg`` (the words after «TITLE،») are a person's name in apposition to the
    title: up to four words, none a function word, an adverb, a pronoun, a title or an organisation's word, closed by
    a comma (or running to the cue), the first a given name — or any such words closed by a comma right before the
    cue (``seg`` ends at the cue: «سخنگوی کاخ سفید، جن ساکی، گفت»).  0 when they are no name."""
    from khabar.attribution.speakers import _name_like  # speakers imports this module

    words: list[str] = []
    closed = False
    for ts, te in toks[:4]:
        w = seg[ts:te]
        closed = w.endswith(("،", ","))
        w = w.rstrip("،,")
        if (not w or w in STOP or w in ADVERBS or w in PRONOUNS or w in ORG_HEADS or w in ("و", "یا", "این", "آن")
                or is_title_word(w) or _NOT_IN_NAME.search(w)):
            return 0
        words.append(w)
        if closed:
            break
    n = len(words)
    if not words or (not closed and n < len(toks)):
        return 0  # more words follow without a comma: the subject of a clause, not an apposition
    rest = [seg[a:b] for a, b in toks[n:]]
    if _name_like(words[0]):
        return n
    return n if closed and n <= 3 and all(w in ("نیز", "هم") for w in rest) else 0


def _head_before(seg: str, toks: list[tuple[int, int]], k: int) -> str:
    """The word before token ``k``, or the one before that when token ``k - 1`` is an ezafe «ی» written apart
    («ستاره ی این تیم» = «ستاره‌ی این تیم»)."""
    prev = seg[toks[k - 1][0]:toks[k - 1][1]]
    return seg[toks[k - 2][0]:toks[k - 2][1]] if prev == "ی" and k > 1 else prev


ORG_HEADS = {"باشگاه", "روزنامه", "سایت", "خبرگزاری", "شبکه", "سازمان", "وزارت", "فدراسیون", "کنفدراسیون",
             "دولت", "کمیته", "شورای", "شورا", "مجلس", "اداره", "اتحادیه", "انجمن", "دانشگاه", "ستاد", "پلیس", "ارتش",
             "سپاه", "دفتر", "هیئت", "هیات", "مرکز", "کمیسیون", "بانک", "شرکت", "حزب", "کاخ", "نشریه", "مجله",
             "تلویزیون", "رادیو", "کمپانی", "گروه", "جنبش", "دادگاه", "دیوان", "وزارتخانه", "استانداری", "فرمانداری",
             "بولتن", "دادگستری", "شهرداری", "دادسرا", "بخشداری"}


def is_title_word(word: str) -> bool:
    word = word.strip("«»\"“”()،")
    return word in TITLE_WORDS or word.split("\u200c")[0] in TITLE_WORDS or word in _TITLE_TYPOS


TITLE_WORDS = {
    "رئیس", "رییس", "معاون", "مدیرکل", "مدیر", "مدیرعامل", "دبیر", "دبیرکل", "سخنگوی", "سخنگو", "وزیر", "نماینده",
    "سفیر", "استاندار", "فرماندار", "شهردار", "بخشدار", "دادستان", "فرمانده", "سرپرست", "عضو", "کارشناس", "مشاور",
    "مسئول", "مسؤول", "امام", "رهبر", "نخست‌وزیر", "نخست", "رئیس‌جمهور", "رییس‌جمهور", "دیپلمات", "سرمربی", "مربی",
    "کاپیتان", "بازیکن", "مهاجم", "هافبک", "مدافع", "دروازه‌بان", "دروازه", "ستاره", "مالک", "قائم‌مقام", "قائم",
    "استاد", "دانشیار", "پژوهشگر", "نویسنده", "کارگردان", "بازیگر", "خواننده", "هنرمند", "شاعر", "تحلیلگر",
    "خبرنگار", "جانشین", "نایب", "قاضی", "حاکم", "پادشاه", "وکیل", "دستیار", "رئیس‌کل", "ریاست", "مجری", "تهیه‌کننده",
    "فرمانداری", "مقام", "تولیت", "متولی", "نایب‌رئیس", "مفتی", "اسقف", "سرکرده", "فرمانروا", "سناتور", "مدیران", "مسئولان", "مسئولین", "مقامات", "اعضای", "رئيس", "ملی‌پوش", "بنیانگذار",
    "موسس", "مؤسس", "رئیسه", "سرکنسول", "کنسول", "فرماندهی", "هماهنگ‌کننده", "وزير", "داور", "پیشکسوت", "کمک", "دکترای", "مدیرمسئول",
    "کارشناسان", "نمایندگان", "سنگربان", "گلر", "وینگر", "پدیده", "مهره", "هم‌تیمی", "سرمربیگری", "سرپرستی", "هماهنگ", "مسئولیت", "ریيس", "رئیس‌جمهوری",
    "خطیب", "سخنران", "ولیعهد", "ملکه", "شاهزاده", "ژنرال", "نامزد", "کاندیدای", "منتقد", "مفسر", "ناظر", "بازرس",
    "دانشمند", "امام‌جمعه", "معاونت", "کارگزار", "مخبر", "رئيس‌جمهور", "مسوول", "مسوولان", "مسوولین",
}
# a long title word with two neighbouring letters swapped («نمانیده» for «نماینده»): the reporter's typo, still the
# title (docs/quotes.md §4: the text is the authority, a typo does not make it another word)
_TITLE_TYPOS = frozenset({w[:i] + w[i + 1] + w[i] + w[i + 2:] for w in TITLE_WORDS if len(w) >= 6 and "\u200c" not in w
                          for i in range(len(w) - 1) if w[i] != w[i + 1]} - TITLE_WORDS)
# title words that are also surnames («علی خطیب»): a title only when they open the mention
SURNAME_LIKE_TITLES = {"خطیب", "ناظر", "منتقد", "مفسر", "استاد", "امام", "قاضی", "داور", "مالک", "وکیل", "حاکم"}
