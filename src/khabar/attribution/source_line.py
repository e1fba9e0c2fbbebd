"""The source line: «به گزارش خبرنگار ورزشی خبرگزاری فارس از قم، به نقل از تسنیم، ...», or a dateline: «تهران- ایرنا- ...».

agency   the outlet that reports (the generic word «خبرگزاری» dropped): فارس، ورزش سه، آران نیوز
reporter the reporter phrase before the agency: «خبرنگار ورزشی», or a byline name («محمد رشیدیان- گروه ...»)
cited    the outlets the report quotes with «به نقل از»: وستنیک قفقاز، روابط عمومی سازمان ...
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from importlib import resources

from khabar.attribution.cues import find_cues
from khabar.attribution.quotes import ORG_HEADS, TIME_OPENERS, is_title_word
from khabar.attribution.speakers import fold, given_names
from khabar.document import Source

SP = r"[ \u200c]+"
LEAD_PARAGRAPHS = 4  # title, lead and source paragraphs of a scraped page
GENERIC = re.compile(r"^(?:خبرگزا\S*|پایگاه(?: خبری| اطلاع[ \u200c]?رسانی)?|شبکه(?: خبری)?|سایت(?: خبری)?)[ \u200c]+")
DESK = re.compile(r"^(?:گروه|سرویس)[ \u200c]+.*?(?=خبرگزا|$)")
# a place after the outlet: «از قم»، «در تهران», or where a reporter was sent: «به کیش» (خبرنگار اعزامی ... به کیش),
# perhaps with its province word: «از استان کردستان»
AT_WORDS = ("از", "در", "به")
PROVINCE_WORDS = ("استان", "شهرستان")  # a provincial office: «خبرگزاری فارس استان تهران»
PLACE_WORDS = (*PROVINCE_WORDS, "شهر")
AT = "(?:" + "|".join(AT_WORDS) + ")"
_PLACE_WORD = "(?:" + "|".join(PLACE_WORDS) + ")"
PROVINCE = re.compile(rf"(?<=\S)[ \u200c]+(?:{'|'.join(PROVINCE_WORDS)})[ \u200c]+\S+$")
PLACE_PHRASE = re.compile(rf"[ \u200c]+{AT}[ \u200c]+(?:{_PLACE_WORD}[ \u200c]+)?\S+")
PLACE = re.compile(rf"[ \u200c]+{AT}[ \u200c]+\S+(?:[ \u200c]+\S+)?$")
QUOTES = "«»\"“”'"
# «به گزارش X»; «گزارش خبرنگار ... فارس،» without «به» only at the head of a line
SOURCE_RE = re.compile(r"(?:(?:^|(?<=[\s.،]))به[ \u200c]+|(?:^|(?<=\n))[ \u200c]*)گزارش(?=[\s\"«“]|$)")
CITED_RE = re.compile(r"(?:^|(?<=[\s،:]))(?:و[ \u200c]+)?به[ \u200c]+نقل[ \u200c]+از[ \u200c]*")
CITED_SPLIT = r"[ \u200c]+(?:و[ \u200c]+)?به[ \u200c]+نقل[ \u200c]+از[ \u200c]*"
# words that end a source name written without a comma after it
NAME_END = {"این", "که", "در", "از", "به", "با", "و", "را", "روزنامه", "سایت", "یک", "طی", "پس", "متن",
            *TIME_OPENERS}
BYLINE = re.compile(r"^\s*([^\s\-–،]+(?:[ \u200c]+[^\s\-–،]+){1,2})[ \u200c]*[-–][ \u200c]*(?:گروه|سرویس)[^،]*?"
                    r"خبرگزا\S*[ \u200c]+(\S+)[ \u200c]*،")
HEADLINE_AGENCY = re.compile(r"^\s*خبرگزاری[ \u200c]+([^\s؛:،]+(?:[ \u200c]+[^\s؛:،]+)?)[ \u200c]*[؛:]")
# A dateline opening a lead line: «تهران- ایرنا- ...», «تهران (پانا) - ...»: a place of up to three words, then the
# agency of up to two between dashes or in brackets and a dash, then the report (not «ایران - آمریکا: ...», a
# title's pair, nor «محمد جواد ظریف (وزیر خارجه): ...», a quotation's speaker)
_DL_WORD = r"[^\s\-–—(),.:؛،«»\"0-9۰-۹]+"
_LINE_HEAD = r"(?:^|(?<=\n))[ \u200c]*"  # the start of a line, spaces skipped
_DASH = "[-–—]"
_GAP = r"[ \u200c]*"
_DL_TWO = rf"{_DL_WORD}(?:[ \u200c]+{_DL_WORD})?"  # one or two dateline words
_DL_THREE = rf"{_DL_WORD}(?:[ \u200c]+{_DL_WORD}){{0,2}}"  # one to three
DATELINE = re.compile(
    rf"{_LINE_HEAD}{_DL_THREE}{_GAP}"
    rf"(?:{_DASH}{_GAP}(?P<dashed>{_DL_TWO}){_GAP}{_DASH}"
    rf"|\({_GAP}(?P<bracketed>{_DL_TWO}){_GAP}\){_GAP}{_DASH})"
    rf"(?={_GAP}[^\s\-–—]+[ \u200c]+[^\s\-–—]+(?:\s|$))")  # (the report: two words, no dash: not a list of
# names «علی رضایی- حسن احمدی- رضا ...»)
# Weaker forms, a dateline only when the report after them is a sentence (next_to_report): «تهران - ایرنا: ...» (a dash
# then a colon; «خبرگزاری فارس – NAME: ...» is a byline: agency فارس, reporter NAME) and «ایرنا - ...» (the agency
# alone, one word, then a dash; no dash in the report's first words: not «تهران - تبریز - ساعت ۱۸»)
DATELINE_COLON = re.compile(
    rf"{_LINE_HEAD}(?P<place>{_DL_THREE}){_GAP}{_DASH}{_GAP}"
    rf"(?P<dashed>{_DL_THREE}){_GAP}:(?!:)")  # (a byline's name: up to three words)
DATELINE_LONE = re.compile(
    rf"{_LINE_HEAD}(?P<dashed>(?=[^\s\-–—]{{2}}){_DL_WORD}){_GAP}{_DASH}{_GAP}"
    rf"(?=[^\s\-–—]+(?:[ \u200c]+[^\s\-–—]+){{2}}(?:\s|$))")
SENTENCE_END = re.compile(r"[.!?؟](?=\s|$)")
_LATIN_NAME = re.compile(r"^[\"«“'(]*[A-Za-z0-9۰-۹][A-Za-z0-9۰-۹.&\-]*[\"»”')]*$")  # «News»، «24»، «CNN»
MAX_TERMINATED_WORDS = 16  # a name closed by a comma may be long (روابط عمومی اداره کل ...)
TERMINATORS = "،,:؛\n"
MAX_WORDS = 10


def _clean(s: str) -> str:
    s = "".join(ch for ch in s if ch not in QUOTES)
    s = re.sub(r" *\u200c[ \u200c]*", "\u200c", s)  # a half-space stays one
    return re.sub(r" +", " ", s).strip(" \u200c،,:")


def find_source(text: str) -> tuple[Source, tuple[int, int] | None]:
    """The source line of a news text and its span (None when the text has none).  A dateline's agency
    («تهران- ایرنا- ...») is the agency; an outlet a source line after it names is one it cites («تهران- ایرنا-
    به گزارش روزنامه شرق، ...»)."""
    return find_source_and_dateline(text)[:2]


def find_source_and_dateline(text: str) -> tuple[Source, tuple[int, int] | None, tuple[int, int] | None]:
    """find_source, and the span of the text's dateline («تهران- ایرنا-»), whether or not it names the agency."""
    lead_end = _lead_end(text)
    source, span = _source_line(text, lead_end)
    dateline = _dateline(text, lead_end)
    if dateline is None:
        return source, span, None
    agency, reporter, (start, end) = dateline
    if span is None:
        return Source(agency=agency, reporter=reporter), (start, end), (start, end)
    if not start <= span[0] <= end + 1:
        # a source line elsewhere says who reports: a dateline-shaped line apart from it is no dateline
        # («ایران - عراق - بازی ...» then «به گزارش ایسنا، ...»), and its own sentence keeps its quotations
        return source, span, (start, end)
    cited = source.cited if source.agency in (None, agency) else [source.agency, *source.cited]
    return Source(agency=agency, reporter=reporter or source.reporter, cited=cited), (start, span[1]), (start, end)


def _dateline(text: str, lead_end: int) -> tuple[str, str | None, tuple[int, int]] | None:
    """The first dateline opening a line of the lead: its agency, reporter (a byline's) and span."""
    found = []
    for m in DATELINE.finditer(text, 0, lead_end):  # (on the first line, the title's, only before a report:
        if text[:m.start()].strip() or _next_to_report(text, m.start(), m.end()):  # not «پرسپولیس - استقلال - ...»)
            found.append((_clean(m.group("dashed") or m.group("bracketed")), None, m.span()))
            break
    for pattern in (DATELINE_COLON, DATELINE_LONE):
        for m in pattern.finditer(text, 0, lead_end):
            place = m.groupdict().get("place") or ""
            generic = GENERIC.match(place + " ")
            if generic and place[generic.end():].strip():  # «خبرگزاری فارس – NAME:»: a byline, no title's pair
                found.append((_clean(place[generic.end():]), _clean(m.group("dashed")), m.span()))
                break
            if pattern is DATELINE_LONE and not _agency_like(m.group("dashed")):
                continue  # (one word and a dash: only an agency's name, not «پرسش - ...», «استقلال - ما ...»)
            if not generic and len(m.group("dashed").split()) <= 2 and _next_to_report(text, m.start(), m.end()):
                found.append((_clean(m.group("dashed")), None, m.span()))
                break
    return min(found, key=lambda f: f[2][0]) if found else None


def _agency_like(word: str) -> bool:
    """Whether one word before a dash can be an agency's name: a known outlet, or an acronym in «نا» (خبرگزاری ...:
    ایرنا، ایسنا، ایلنا، پانا، شانا) the way Persian news agencies name themselves."""
    return fold(word) in outlets() or (word.endswith("نا") and len(word) >= 4)


def _next_to_report(text: str, start: int, end: int) -> bool:
    """Whether the words after a weak dateline form (``text[start:end]``) are a report, not a title: a sentence
    that ends on that line («... گفت: آب کافی است.»; a title has no full stop), and, on the text's first line (the
    title of a scraped page), one with a reporting verb («تهران - ایرنا: وزیر نیرو گفت: ...», not «ایران - آمریکا:
    جنگ لفظی ادامه دارد.»)."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    stop = SENTENCE_END.search(text, end, line_end)
    if stop is None:
        return False
    return bool(text[:start].strip()) or bool(find_cues(text, end, stop.end()))


def _source_line(text: str, lead_end: int) -> tuple[Source, tuple[int, int] | None]:
    """find_source without the dateline."""
    m = BYLINE.match(text[:lead_end])
    if m:
        return Source(agency=m.group(2), reporter=_clean(m.group(1))), (m.start(), m.end())
    m = HEADLINE_AGENCY.match(text[:lead_end])
    if m:
        return Source(agency=_clean(m.group(1))), (m.start(), m.end())
    lone = CITED_RE.search(text, 0, lead_end)
    if lone and (lone.start() == 0 or text[lone.start() - 1] == "\n"):
        first_report = SOURCE_RE.search(text, 0, lead_end)
        if first_report is None or first_report.start() > lone.start():
            end, chunk = _chunk(text, lone.end())
            if chunk:
                return Source(cited=[_clean(chunk)]), (lone.start(), end)
    for m in SOURCE_RE.finditer(text, 0, lead_end):
        before = text[max(0, m.start() - 12):m.start()]
        if re.search(r"(?:این|همین|بنابر|بر اساس|براساس)[ \u200c]*$", before):
            continue  # «بر اساس این گزارش»، «بنابراین گزارش»
        start = m.end()
        end = _terminator(text, start)
        byline = None
        # «به گزارش خبرنگار فارس محمد ... در نشستی گفت: ...»: a colon after a cue ends the sentence, not the source
        terminated = end < len(text) and text[end] in "،,:؛" and not (text[end] == ":" and find_cues(text, start, end))
        parts = re.split(CITED_SPLIT, text[start:end])
        if len(parts) > 1:
            head, cited_parts = parts[0], parts[1:]
            last = _before_person(_limit(cited_parts[-1], force=not terminated))
            if last != cited_parts[-1]:
                end = text.rfind(cited_parts[-1], start, end) + len(last.rstrip())
            cited_parts[-1] = last
        else:
            head, cited_parts = _before_person(_limit(parts[0], force=not terminated)), []
            name = parts[0].split()[len(head.split()):]
            if terminated and text[end] in "،," and head.strip().startswith("خبرنگار") and 2 <= len(name) <= 3:
                # «به گزارش خبرنگار فارس مهدی صادقی، وزیر گفت ...»: after a reporter, the name the comma closes is
                # the reporter's (a byline; it was left to the report, where it named the next speaker «مهدی صادقی
                # وزیر»); without one it is the report's subject («... فارس از قزوین سید مسعود نبوی‌فر، ... گفت»)
                byline = " ".join(name)
            elif head != parts[0]:
                end = text.find(head.strip(), start) + len(head.strip())
        if not head.strip() and not cited_parts:
            continue
        place = PLACE_PHRASE.search(head)
        if place and not cited_parts and len(head[place.end():].split()) >= 1:
            end = start + place.end()  # the words after the place begin the report
            head = head[:place.end()]
        cited: list[str] = [_clean(c) for c in cited_parts if _clean(c)]
        agency, reporter = _agency(head)
        reporter = byline or reporter
        # «به گزارش آران نیوز: به نقل از وستنیک قفقاز،»
        nxt = _skip(text, end + 1)
        while True:
            cm = CITED_RE.match(text, nxt)
            if not cm:
                break
            cend, cchunk = _chunk(text, cm.end())
            if cchunk:
                cited.append(_clean(cchunk))
            end, nxt = cend, _skip(text, cend + 1)
        if agency or reporter or cited:
            return Source(agency=agency, reporter=reporter, cited=cited), (m.start(), end)
    # «به نقل از فارس، ...» alone
    m = CITED_RE.search(text, 0, lead_end)
    if m and (m.start() == 0 or text[m.start() - 1] == "\n"):
        end, chunk = _chunk(text, m.end())
        if chunk:
            return Source(cited=[_clean(chunk)]), (m.start(), end)
    return Source(), None


def _terminator(text: str, start: int) -> int:
    """The comma/colon ending a source name; a comma inside a list («میراث فرهنگی، گردشگری و ...») does not."""
    end = start
    while end < len(text) and (text[end] not in TERMINATORS or (
            text[end] == ":" and text[end - 1:end].isdigit() and text[end + 1:end + 2].isdigit())):  # «ساعت 30:9»
        end += 1
    name = GENERIC.sub("", text[start:end].strip()).strip(QUOTES)
    own = name.split()[_name_at(name.split()):]  # the outlet's own name after a reporter's or desk's words
    if own[:1] == ["خبرنگار"]:
        own = own[-1:]  # («خبرنگار مهر، تهران و اصفهان ...»: the outlet is the reporter phrase's last word)
    if end < len(text) and text[end] in "،," and len(own) > 1 and fold(" ".join(own)) not in outlets():
        # (one word or a known outlet ends at its comma: «خبرگزاری مهر، تهران و اصفهان ...» is no list, nor is
        # «خبرنگار گروه دانستنی‌های خبرگزاری فارس، رعد و برق ...»)
        ahead = text[end + 1:end + 40].split()[:3]
        # (a list goes on with a name, not with «در»، «از»...: «فارس، در حساس‌ترین و مهم‌ترین ...» ends at the comma)
        if ahead and ahead[0] not in NAME_END and "و" in ahead[1:] and not any(w.endswith(("،", ",", ":")) for w in ahead[:ahead.index("و")]):
            return _terminator(text, end + 1)
    return end


def _lead_end(text: str) -> int:
    """The end of the first LEAD_PARAGRAPHS non-empty lines: the source line is near the top."""
    seen = 0
    pos = 0
    for line in text.split("\n"):
        pos += len(line) + 1
        if line.strip():
            seen += 1
            if seen >= LEAD_PARAGRAPHS:
                break
    return min(pos, len(text))


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \u200c":
        i += 1
    return i


def _chunk(text: str, start: int) -> tuple[int, str]:
    """The words from ``start`` to the next comma/colon (at most MAX_WORDS words, else the first two)."""
    i = _terminator(text, start)
    chunk = text[start:i]
    words = chunk.split()
    if len(words) > MAX_WORDS:
        # no comma: «به گزارش شبکه خبری News 24 درگیری ...» keeps the generic word and two words
        keep = 4 if GENERIC.match(chunk.strip()) else 2
        cut = start + len(" ".join(chunk.split()[:keep])) + (len(chunk) - len(chunk.lstrip()))
        return cut, " ".join(words[:keep])
    return i, chunk


def _limit(chunk: str, force: bool = False) -> str:
    """A source without a comma after it: «به گزارش "ورزش سه" باشگاه ...», «به گزارش شبکه خبری News 24 ...»."""
    words = chunk.split()
    known = _known_outlet_end(words)
    if known and (force or len(words) - known > 1):
        # «به گزارش فارس جشنواره استانبول که ... است، ...»: a known outlet ends the name, unless a comma closes
        # it one word on («باشگاه خبرنگاران جوان،» is one outlet's name)
        return " ".join(words[:known])
    if len(words) <= MAX_TERMINATED_WORDS and not force:
        return chunk
    stripped = chunk.lstrip()
    if stripped[:1] in QUOTES:
        close = next((i for i in range(1, len(stripped)) if stripped[i] in QUOTES), -1)
        if close > 0:
            return stripped[:close + 1]
    agency_word = _generic_after_desk(words)
    if agency_word:  # «خبرنگار سیاسی خبرگزاری فارس برات قنبری ...»: the agency's name follows its generic word
        # and a place may follow it («... فارس از کرمان محمد نیازی ...», dropped from the agency later)
        place = _place_words(words, agency_word + 2)
        return " ".join(words[:agency_word + 2 + place])
    generic = GENERIC.match(stripped)
    if generic:
        at = len(generic.group().split())  # «خبرگزاری»، «پایگاه خبری»: the name follows the generic words
        if _place_words(words, at + 1):  # «خبرگزاری فارس از مشهد»: a place (dropped later)
            return " ".join(words[:at + 1 + _place_words(words, at + 1)])
        # «خبرگزاری فارس صبح امروز ...»: a word that ends a name ends it (a known outlet did above); a name in Latin
        # letters ends where they end («شبکه خبری News 24 درگیری ...»)
        name = words[at:at + 1] + list(itertools.takewhile(lambda w: w not in NAME_END, words[at + 1:at + 3]))
        if name and _LATIN_NAME.match(name[0]):
            name = list(itertools.takewhile(_LATIN_NAME.match, name))
        return " ".join(words[:at] + name)
    office = _OFFICE.match(stripped)
    if office:  # «روابط عمومی وزارت فرهنگ و ارشاد اسلامی متن پیام ...»: an office of a named organisation
        return " ".join(words[:_org_name_end(words, len(office.group().split()))])
    # «به نقل از رویترز تاکسین شیناوات ... گفت»: an outlet the news names elsewhere with a comma after it ends there
    known = _outlet_words(words, 0, 2)
    if known and words[known] not in NAME_END:
        return " ".join(words[:known])
    kept = []
    for w in words[:3]:
        if w in NAME_END:
            break
        kept.append(w)
    if len(kept) == 3:
        # «ستاد خبری حوزه هنری این فیلم ...»: adjectives after an ezafe (words in «ی») go on with the name when a
        # word that ends a name follows them
        k = 3
        while k < min(5, len(words)) and words[k].endswith("ی") and words[k] not in NAME_END:
            k += 1
        if k > 3 and k < len(words) and words[k] in NAME_END:
            kept += words[3:k]
    return " ".join(kept or words[:1])


MAX_DESK_WORDS = 5  # «خبرنگار حوزه دولت خبرگزاری فارس»: a reporter's or a desk's words before the generic word


def _place_words(words: list[str], i: int) -> int:
    """How many words a place phrase at ``words[i]`` takes: «از مشهد», «به کیش», «به استان کردستان»; 0 if none."""
    if i >= len(words) or words[i] not in AT_WORDS or i + 1 >= len(words):
        return 0
    return 3 if words[i + 1] in PLACE_WORDS and i + 2 < len(words) else 2


def _generic_after_desk(words: list[str]) -> int | None:
    """The index of a generic word «خبرگزاری» that a reporter's or a desk's words come before («خبرنگار حوزه دولت
    خبرگزاری فارس»، «حوزه احزاب خبرگزاری فارس»): at most MAX_DESK_WORDS of them, none a word that ends a name
    but «و» («گروه ایثار و شهادت»); None when there is none."""
    for i, w in enumerate(words[:MAX_DESK_WORDS + 1]):
        if i and w.startswith("خبرگزا"):
            return i
        if w in NAME_END and w != "و":
            return None
    return None


def _name_at(words: list[str]) -> int:
    """Where an outlet's own name begins in ``words``: after the generic words opening them («خبرگزاری فارس»،
    «پایگاه خبری ...») or after a «خبرگزاری» a reporter's or desk's words come before; 0 when there is none."""
    g = GENERIC.match(" ".join(words))
    if g:
        return len(g.group().split())
    i = _generic_after_desk(words)
    return 0 if i is None else i + 1


def _outlet_words(words: list[str], at: int, most: int) -> int:
    """How many words (up to ``most``, at least one word left after them) of ``words[at:]`` a known outlet takes,
    the longest first; 0 when none is one."""
    return next((k for k in range(min(len(words) - at - 1, most), 0, -1)
                 if fold(" ".join(words[at:at + k]).strip(QUOTES)) in outlets()), 0)


def _known_outlet_end(words: list[str]) -> int:
    """How many of ``words`` a source name takes when it opens with a known outlet (after its generic word:
    «خبرگزاری فارس») and the words after it do not go on with it (a place «از قم»، «به کیش», a provincial office
    «استان تهران», a bracket or quotation mark, a cited outlet): «فارس جشنواره استانبول که ...» → «فارس»; 0 when
    there is no such outlet or nothing follows it."""
    at = _name_at(words)
    k = _outlet_words(words, at, 3)
    if not k:
        return 0
    nxt = words[at + k]
    if nxt in AT_WORDS or nxt in PROVINCE_WORDS or nxt == "و" or nxt[0] in QUOTES + "(" or words[at + k - 1][-1] in QUOTES:
        return 0
    return at + k


# «(اداره کل) روابط عمومی» + an organisation's generic word: the office of an organisation named after it
_OFFICE = re.compile(r"(?:اداره[ \u200c]+کل[ \u200c]+)?روابط[ \u200c]?عمومی[ \u200c]+(?:" + "|".join(sorted(ORG_HEADS)) + r")(?=[ \u200c])")


def _org_name_end(words: list[str], k: int) -> int:
    """How many of ``words`` an organisation's name takes when its generic word is ``words[k - 1]`` and no comma
    closes it: one noun, then «و» + a noun and adjectives in «ی» («وزارت فرهنگ و ارشاد اسلامی»، «سازمان صدا و
    سیما»), up to a word that ends a name or a given name."""
    if k >= len(words) or words[k] in NAME_END:
        return k
    person = _person_after_org(words, k)
    if person is not None:
        return person
    k += 1
    names = given_names()
    # «... خراسان شمالی علی بیگ‌زاده»: a person's name follows (a given name and a word that goes on with it)
    while k < len(words) and not (fold(words[k]) in names and k + 1 < len(words) and words[k + 1] not in NAME_END):
        if words[k] == "و" and k + 1 < len(words) and words[k + 1] not in NAME_END:
            k += 2
        elif words[k].endswith("ی") and words[k] not in NAME_END:
            k += 1
        else:
            break
    return k


PERSON_AHEAD = 5  # a person's name (up to three words) and the cue verb group (up to two) close the chunk


def _person_after_org(words: list[str], k: int) -> int | None:
    """«روابط عمومی اداره کل میراث فرهنگی، صنایع‌دستی و گردشگری خراسان شمالی حسین ... گفت»: with no comma closing
    it, an office's name runs to the person named right before the cue — a given name followed by a word that goes
    on with it, at most PERSON_AHEAD words before the end of the chunk; a comma inside a list («X، Y و Z») does not end it.
    None when no such person closes the name: a word that ends a name or a title word comes first."""
    names = given_names()
    for i in range(k + 1, len(words)):
        w = words[i].strip("،,")
        if w == "و" and i + 1 < len(words) and words[i + 1] not in NAME_END:
            continue  # «ورزش و جوانان»: a name's own «و»
        if w in NAME_END or words[i - 1].endswith((":", "؛")):
            return None
        if words[i - 1].endswith(("،", ",")) and "و" not in words[i + 1:i + 3]:
            return None  # a comma that is no list's: the name ended before it
        if is_title_word(w):
            return None  # «... محارم نجفی مدیرعامل شرکت ...»: a name the given names miss may stand before the title
        if fold(w) in names and i + 1 < len(words) and words[i + 1] not in NAME_END and len(words) - i <= PERSON_AHEAD:
            return i
    return None


@lru_cache(maxsize=1)
def outlets() -> frozenset[str]:
    """Folded outlet names (khabar/data/outlets.txt, built by training/build_outlets.py from the news)."""
    path = resources.files("khabar") / "data" / "outlets.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(fold(w) for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and w[0] != "#")


def _before_person(chunk: str) -> str:
    """«به نقل از ایسنا علی اکبر طاهری، ... گفت»: the outlet ends before a person's name (a given name
    followed by more words) that opens the report without a comma."""
    words = list(re.finditer(r"\S+", chunk))
    names = given_names()
    for k in range(1, len(words) - 1):
        if sum(chunk[:words[k].start()].count(q) for q in QUOTES) % 2:
            continue  # inside quote marks: part of the outlet's name
        prev = words[k - 1].group()
        if prev.endswith("ی") or prev in ORG_HEADS:
            continue  # «شورای اسلامی»: an adjective after an ezafe, part of the outlet's name
        # «... حوزه هنری این فیلم»: a given name followed by a word that ends a name is no person («هنری»)
        if fold(words[k].group().strip(QUOTES)) in names and words[k + 1].group() not in NAME_END:
            return chunk[:words[k - 1].end()]
    return chunk


def _without_aside(name: str) -> str:
    """A name without a bracketed aside after it («رویترز (Reuters)»، «فارس (باشگاه توانا)»), or a bracket left open
    where the name was cut; the bracket's words when nothing else is left («(ایسنا)»)."""
    rest = re.sub(r"[ \u200c]*\([^()]*(?:\)|$)", " ", name).strip()
    return rest if rest.strip(" \u200c" + QUOTES) else name.replace("(", " ").replace(")", " ").strip()


def _agency(head: str) -> tuple[str | None, str | None]:
    head = _without_aside(head)
    stripped = head.strip(" \u200c")
    if stripped[:1] in QUOTES:
        close = next((i for i in range(1, len(stripped)) if stripped[i] in QUOTES), -1)
        if close > 0:
            return _clean(stripped[:close + 1]) or None, None
    h = _clean(head)
    reporter = None
    if h.startswith("خبرنگار"):
        m = re.search(r"خبرگزا\S*", h)
        quoted = re.search(r"[\"«“]([^\"«»“”]+)[\"»”]", head)
        if quoted and not m:  # «خبرنگار "ورزش سه" از مسجدسلیمان»: quotation marks keep the agency's name whole
            reporter, h = _clean(head[:quoted.start()]), _clean(quoted.group(1))
        elif m:
            reporter, h = h[:m.start()].strip(), h[m.start():]
        else:
            words = h.split()
            # «خبرنگار اجتماعی فارس»: the last word is the agency (a place phrase dropped first)
            words = PLACE.sub("", " ".join(words)).split()
            reporter, h = " ".join(words[:-1]) or "خبرنگار", words[-1] if len(words) > 1 else ""
    words = h.split()
    desk = _generic_after_desk(words)
    if desk is not None:  # «حوزه احزاب خبرگزاری فارس»: a desk's words before the generic word
        h = " ".join(words[desk:])
    h = DESK.sub("", h).strip()
    h = re.sub(rf"[ \u200c]+{AT}[ \u200c].*$", "", h).strip()
    h = GENERIC.sub("", h).strip()
    h = GENERIC.sub("", h).strip()
    h = _clean(PROVINCE.sub("", h))  # «فارس استان تهران»: the agency's provincial office is a place
    return (h or None), (reporter or None)
