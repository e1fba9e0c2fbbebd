"""Speakers: classify the mention of each quotation and resolve it to the person or organisation meant.

A mention is a pronoun (وی، او), a title (معاون وزیر امور خارجه روسیه), a name with or without a
title (گریگوری کاراسین / «نیکو کوواچ، سرمربی بایرن»), an organisation (باشگاه ماشین‌سازی), or
nothing (a dropped subject).  Resolution, in article order:

- a name resolves to the fullest name the article gives with the same surname;
- a title resolves to the name it was given in the article (apposition «NAME TITLE»), else to the
  nearest earlier named speaker, else it stands for itself (an unnamed spokesman);
- a pronoun, a demonstrative title (این مسئول) or a dropped subject resolves to the nearest earlier
  speaker;
- when the entities step ran, a PER/ORG entity inside the mention gives the name, and every
  resolved speaker is linked to the entity index of the person meant.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from khabar.attribution.quotes import (
    ADVERBS,
    NOW_OPENERS,
    ORG_HEADS,
    PRONOUNS,
    STOP,
    SURNAME_LIKE_TITLES,
    is_title_word,
)
from khabar.document import Entity

# military and police ranks: dropped like «سردار» (docs/quotes.md §4), with their grade; never a given name
MILITARY_RANKS = ("سرتیپ", "سرلشکر", "سرهنگ", "سرگرد", "سروان", "ستوان", "ستوانیار", "سپهبد", "ارتشبد", "دریادار",
                  "دریابان", "دریاسالار", "ناخدا")
HONORIFICS = ("حجت‌الاسلام و المسلمین", "حجت الاسلام و المسلمین", "حجت‌الاسلام والمسلمین", "حجت‌الاسلام",
              "والمسلمین", "و المسلمین",
              "حجت الاسلام", "حجه‌الاسلام", "آیت‌الله", "آیت الله", "آیه‌الله", "سردار", "سرتیپ", "سرلشکر", "امیر",
              "دکتر", "مهندس", "ماموستا", "آقای", "آقا", "خانم", "سرهنگ", "استاد", "شهید", "مرحوم", "حاج", "حاجی",
              "شیخ", "حضرت", "آیت‌الله‌العظمی", "آیت‌الله العظمی", "آیت الله العظمی", "العظمی", "پروفسور", "علامه",
              "سرتیپ دوم", "سرهنگ دوم", "سرتیپ", "پاسدار", "جناب", "سرکار", "مولوی", "حاج‌آقا", "حاج آقا",
              *MILITARY_RANKS,
              *(f"{rank}{sep}{grade}" for rank in ("سرتیپ", "سرهنگ", "ستوان", "ناخدا") for sep in (" ", "\u200c")
                for grade in ("یکم", "دوم", "سوم")))
# generic words before a medium's name, dropped from the speaker (docs/quotes.md §4)
# (روزنامه، خبرگزاری، سایت، نشریه are kept as written: speakers compare without them anyway)
MEDIA_WORDS = {"رادیو", "تلویزیون", "مجله", "هفته‌نامه", "ماهنامه"}
SPEAKER_LABELS = ("PER", "ORG", "LOC")
# words that open sentences before a name but are not given names
_NOT_GIVEN = {"اما", "ولی", "البته", "همچنین", "سپس", "امروز", "دیروز", *NOW_OPENERS, "هم", "نیز", "که", "این", "آن",
              "آقای", "خانم", "دکتر", "مهندس", "سردار", "حجت‌الاسلام", "آیت‌الله", "ماموستا", "شاگردان", "تیم", "باشگاه",
              *MILITARY_RANKS, "به", "از", "با", "در", "برای", "و", "یا", "نه", "گفت", "افزود"}
GROUPS = {"مدیران", "مسئولان", "مسئولین", "مقامات", "اعضای", "کارشناسان", "نمایندگان", "بازیکنان", "هواداران",
          "مردم", "دانشجویان", "کارگران", "معترضان", "شرکت‌کنندگان", "ساکنان", "اهالی", "اعضا", "اعضاء", "عشایر",
          "علما", "فعالان", "فعالین", "نخبگان", "کشاورزان", "پزشکان", "پرستاران", "معلمان", "فرهنگیان", "کارکنان",
          "خبرنگاران", "طرفداران", "تماشاگران", "مربیان", "سران", "رهبران", "وزرای", "وزیران", "راهپیمایان",
          "تظاهرکنندگان", "زائران", "کاربران", "تحلیلگران", "منتقدان", "مخالفان", "موافقان", "حامیان",
          "دانش‌آموزان", "بازنشستگان", "رانندگان", "کسبه", "بازاریان", "سرمایه‌گذاران", "نظامیان", "شهروندان",
          "ورزشکاران", "ملی‌پوشان", "پیشکسوتان", "داوران", "قضات", "وکلا", "نویسندگان", "هنرمندان"}
# «ئ» between vowels is written «ی» too («زائد» / «زاید»، «پائین» / «پایین»)
_FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ئ": "ی", "أ": "ا", "إ": "ا", "ۀ": "ه", "ة": "ه", "\u200c": None,
                       " ": None, "«": None, "»": None, '"': None, "“": None, "”": None, "\u200f": None})


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (khabar/data/cues.firstnames.txt, built by training/build_cues.py)."""
    path = resources.files("khabar") / "data" / "cues.firstnames.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _ends_with(words: list[str], key: str) -> bool:
    """Whether a name ends with the folded name ``key`` at a word boundary: «سیدمحمد خاتمی» ends with «محمد
    خاتمی» (a «سید»/«میر» glued on), «حسن ابراهیم‌کریمی» does not end with «کریمی»."""
    for k in range(len(words)):
        tail = fold("".join(words[k:]))
        if tail == key or (tail.startswith(("سید", "میر")) and tail[3:] == key):
            return True
    # a name of two words or more may also end inside a half-space compound («هاشم ولی‌پور مطلق» / «پور مطلق»)
    return len(words) > 1 and len(key) > 6 and fold(" ".join(words)).endswith(key) and any(
        fold("".join(words[k:])).endswith(key) and len(fold("".join(words[k + 1:]))) < len(key)
        and "\u200c" in words[k] for k in range(len(words)))


def _drop_trailing_stops(name: str) -> str:
    """«صالح درادامه» tagged PER: words that end a subject (adverbs, prepositions) are not part of a name."""
    words = name.split()
    while len(words) > 1 and (words[-1] in STOP or words[-1] in ADVERBS
                              or words[-1].startswith(("درادامه", "درپایان", "درابتدا"))):
        words.pop()
    return " ".join(words)


def _name_like(word: str) -> bool:
    """A word that may open a full name: a given name, or one with «سید»/«میر» glued («سیدمحمد»)."""
    key = fold(word)
    names = given_names()
    if key in names or key in ("سید", "سیده", "میر"):
        return True
    # «سیدمحمد»، «محمدحسن»: a given name glued to «سید»/«میر» or to another given name
    return any(key[:k] in names | {"سید", "میر"} and key[k:] in names for k in range(2, len(key) - 1))


# endings that make a surname of a given name («علیزاده»، «حسن‌پور»): never the surname part of a glued full name
_SURNAME_ENDINGS = {"زاده", "زادگان", "پور", "نژاد", "نیا", "فر", "فرد", "راد", "وند", "لو", "مند", "یان", "کیا", "منش",
                    "پناه", "نسب", "زاد", "خانی", "بیگی", "دوست", "خواه", "پرست", "آبادی", "الله"}


def _given_like(part: str) -> bool:
    """A given name of the list, or one with «الله» glued on («ثناالله»، «روح‌الله»)."""
    key = fold(part)
    names = given_names()
    return key in names or (key.endswith("الله") and len(key) > 6 and key[:-4] in names)


def unglue(token: str, alone: set[str]) -> str | None:
    """A full name written as one word, «خدادادعزیزی» or «ثناالله‌زهری» (scraped text loses spaces as it loses
    half-spaces), as its two words «خداداد عزیزی»; None when ``token`` is no such name (docs/quotes.md §4).

    ``alone`` holds the folded one-word names the article's speaker mentions give: the token splits into a given name
    and a surname of three letters or more each, the given name known (the list) and it or the surname used alone as
    a speaker, or both used alone as speakers.  A surname that is only an ending («علیزاده»، «حسینی»), a given name
    («محمدرضا») or starts with «الله» is no split; with a half-space in the token it splits only there."""
    if not token or " " in token or fold(token) in given_names():
        return None
    if "\u200c" in token:
        cuts = [(token[:i], token[i + 1:]) for i, ch in enumerate(token) if ch == "\u200c"]
    else:
        cuts = [(token[:k], token[k:]) for k in range(3, len(token) - 2)]
    best: tuple[tuple[bool, bool, int], str] | None = None
    for head, rest in cuts:
        fh, fr = fold(head), fold(rest)
        if len(fh) < 3 or len(fr) < 3 or fr in _SURNAME_ENDINGS or fr in given_names() or fr.startswith("الله") \
                or fr in STOP or fr in ADVERBS:
            continue
        head_alone, rest_alone = fh in alone, fr in alone
        if not ((_given_like(head) and (head_alone or rest_alone)) or (head_alone and rest_alone)):
            continue
        rank = (rest_alone, head_alone, len(fh))
        if best is None or rank > best[0]:
            best = (rank, f"{head} {rest}")
    return best[1] if best else None


def _glued_in_text(words: TextWords, alone: set[str], known: set[str]) -> list[str]:
    """Words of the text made of two one-word names the article's speakers go by, glued («خدادادعزیزی» in a sentence
    that is no quotation's, with «خداداد افزود» and «عزیزی گفت» elsewhere): full names for :func:`unglue`."""
    if len(alone) < 2:
        return []
    out = []
    for w in words.distinct():
        f = fold(w)
        if len(f) >= 6 and f not in known and f not in alone and \
                any(f.startswith(a) and f[len(a):] in alone for a in alone if 3 <= len(a) <= len(f) - 3):
            out.append(w)
    return sorted(out)


def title_key(title: str) -> str:
    """A title compared with another: folded, parenthesised honorifics «(ره)» dropped."""
    return fold(re.sub(r"\([^)]*\)", "", title))


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name key: letters unified, spaces, half-spaces and quote marks removed."""
    return name.translate(_FOLD)


@dataclass
class Mention:
    kind: str  # pronoun | anaphor | title | name | org | none
    name: str | None  # the name part (for name), the title (for title), the org (for org)
    title: str | None = None
    entity: int | None = None
    long: bool = False  # a name part with more words than a name usually has (may hold an object)
    also: bool = False  # followed by «نیز»/«هم»: another person than the one before
    person: bool = False  # an org by its entity label only: a person when the article gives a fuller name


def _clean(s: str) -> str:
    s = re.sub(r"[«»\"“”]", "", s)
    return re.sub(r"\s+", " ", s).strip(" \u200c،,")


_HONORIFIC_ALT = "(?:" + "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True)) + ")"
# honorifics (glued to each other or not: «حجت‌الاسلام‌والمسلمین») followed by a space
_HONORIFIC_RE = re.compile(f"^(?:{_HONORIFIC_ALT}(?:[ \u200c]+{_HONORIFIC_ALT})*\u200c* [ \u200c]*)+")
_GLUED_HONORIFIC = re.compile(f"^{_HONORIFIC_ALT}\u200c")


# the places a teacher works at: «استاد حوزه علمیه قم»، «استاد دانشگاه تهران» is a title, not an honorific
# before a name (docs/quotes.md §4: a title resolves to the person the article means)
_INSTITUTIONS = {"حوزه", "دانشگاه", "دانشکده", "پژوهشگاه", "پژوهشکده", "مدرسه", "فرهنگستان", "موسسه", "مؤسسه",
                 "آموزشگاه", "دبیرستان", "هنرستان", "حوزه‌های", "دانشگاه‌های", "مرکز"}


def _strip_honorifics(s: str) -> str:
    rest = _HONORIFIC_RE.sub("", s)
    if rest != s and rest.split()[:1] and rest.split()[0] in _INSTITUTIONS:
        head = s[:len(s) - len(rest)].split()
        if head and is_title_word(head[-1]):
            return f"{head[-1]} {rest}"  # «آیت‌الله استاد حوزه علمیه قم» → «استاد حوزه علمیه قم»
    # glued with a half-space, an honorific goes only before a given name («حاج‌رسول»); «علامه‌زاده» is a surname
    glued = _GLUED_HONORIFIC.match(rest)
    after = rest[glued.end():].split(maxsplit=1) if glued else []
    return rest[glued.end():] if glued and after and fold(after[0]) in given_names() else rest


_CACHE = threading.local()


def classify(text: str, span: tuple[int, int] | None, entities: list[Entity]) -> Mention:
    """What kind of mention ``text[span]`` is (see :func:`_classify`); remembered per article and thread, since
    the step asks about each mention several times."""
    if span is None:
        return Mention("none", None)
    inside = tuple((i, entities[i].start, entities[i].end, entities[i].label)
                   for i in _within(span, entities)) if entities else ()
    cache = getattr(_CACHE, "mentions", None)
    if cache is None or getattr(_CACHE, "text", None) is not text:
        cache = _CACHE.mentions = {}
        _CACHE.text = text
    key = (span, inside)
    if key not in cache:
        cache[key] = _classify(text, span, entities)
    return cache[key]  # shared: callers never change it (they copy it first)


def _classify(text: str, span: tuple[int, int] | None, entities: list[Entity]) -> Mention:
    """What kind of mention ``text[span]`` is, and its name / title parts.

    The mention's own words decide (a title word, a name before it ...); a PER entity inside the
    mention supplies or lengthens the name, an ORG/LOC entity names the speaker only when the mention
    starts with it (not «رئیس‌جمهور قزاقستان»).
    """
    own = _classify_plain(text, span)
    if span is None or not entities:
        return own
    ent = _entity_in(span, entities, text)
    if ent is None:
        return own
    e = entities[ent]
    etext = _strip_honorifics(_clean(text[slice(*entity_words(text, e))]))
    if e.label == "PER":
        etext = _drop_trailing_stops(etext)
    if not etext:
        return own
    if e.label == "PER" and is_title_word(etext.split()[0]):
        return own  # «امام‌جمعه قهاوند» tagged PER: a title, not a name
    if e.label == "PER":
        if own.kind == "name" and own.name:
            a, b = fold(own.name), fold(etext)
            if own.long:  # a mention that runs on: the entity if it is among its first words, else the first words
                ow = own.name.split()
                ew = etext.split()
                at = next((k for k in range(min(3, len(ow))) if ow[k:k + len(ew)] == ew), None)
                if len(ew) == 1:  # «[اکبری] مطلق تنها راه ...»: a one-word PER may be half a surname
                    return Mention("name", own.name, own.title, ent, long=True)
                if at is not None and at + len(ew) >= len(ow) and _object_follows(text, span):
                    # «[جلال‌الدین محمد شکریه اصناف] را ... دانست»: the PER ran into the object before «را»
                    return Mention("name", own.name, own.title, ent, long=True)
                name = etext if at is not None else " ".join(ow[:2])
            else:
                name = etext if a in b else own.name
            return Mention("name", name, own.title, ent)
        before = text[span[0]:e.start].split()
        if own.kind == "title" and before and (before[-1] in HONORIFICS + ("امام", "شهید", "حضرت")
                                               or before[-1] in ORG_HEADS or before[-1] == "جبهه"):
            return own  # «رئیس دانشگاه ... واحد آیت‌الله [آملی]»: a place named after a person, not the speaker
        if own.kind == "title" and own.name and etext in own.name:
            ew = etext.split()
            if len(ew) >= 3 and not _name_like(ew[0]) and _name_like(ew[1]):
                etext = " ".join(ew[1:])  # «امام‌جمعه [کرمان محی‌الدین نوری]»: the title's place went into the PER
            rest = own.name.replace(etext, " ").split()
            return Mention("name", etext, " ".join(rest) or None, ent)
        return own
    if is_title_word(etext.split()[0]) or (own.kind == "name" and any(is_title_word(w) for w in etext.split()[1:])):
        return own  # «سخنگوی وزارت خارجه» or «علی‌السمیسم مسؤول سیاسی ...» tagged ORG: a person's title, not an org
    starts = _strip_honorifics(_clean(text[span[0]:span[1]])).startswith(etext)
    if own.kind == "name" and own.name and fold(own.name.split()[0]) in given_names() and len(own.name.split()) > 1:
        return own  # «ماریا زاخارووا ...» tagged ORG: a person's name the mention's words give
    if own.kind == "name" and own.name and fold(etext) != fold(own.name) and (
            e.label == "LOC" or _name_like(own.name.split()[0])
            or (len(own.name.split()) > len(etext.split()) and _name_like(own.name.split()[len(etext.split())]))):
        return own  # «[وین] رونی»، «[ریو] فردیناند»: a place tagged in the first part of a person's name
    if own.kind in ("org", "name") and starts:
        # «الاشعل» tagged ORG: a surname the article gives with a full name stays a person (Resolver.resolve)
        person = own.kind == "name" and own.name is not None and fold(own.name) == fold(etext)
        return Mention("org", own.name if own.kind == "org" and own.name else etext, None, ent, person=person)
    if own.kind == "org":
        return Mention("org", own.name, None, ent)
    return own


# two-word heads of an organisation's office («روابط عمومی وزارت ...»): the whole mention names the speaker
_ORG_HEAD_PAIR = re.compile(r"روابط[ \u200c]?عمومی(?![\w\u200c])")


def _classify_plain(text: str, span: tuple[int, int] | None) -> Mention:
    if span is None:
        return Mention("none", None)
    raw = text[span[0]:span[1]]
    s = _strip_honorifics(_clean(raw))
    words = s.split()
    if not words:
        return Mention("none", None)
    if words[0] in PRONOUNS or (len(words) == 1 and words[0] in ("این", "آن")):
        return Mention("pronoun", None)
    if len(words) == 1 and re.search(r"ی[\u200c]?ها$", words[0]) and len(words[0]) > 6:
        # «پرسپولیسی‌ها»، «استقلالی‌ها»: the players or fans of a club speak for it
        return Mention("org", re.sub(r"ی[\u200c]?ها$", "", words[0]))
    if words[0] in ("این", "آن") and len(words) >= 2:
        # «این مربی جوان»: the person named before, or, when nobody was, the description itself
        return Mention("anaphor", " ".join(words[1:]))
    if len(words) >= 2 and _SHARE_WORD.fullmatch(words[1]) and re.fullmatch(r"[0-9۰-۹]+(?:[./٫][0-9۰-۹]+)?", words[0]):
        return Mention("org", s)  # «۴۵ درصد (از ترک‌ها)»: a share of the people asked speaks as written, no person
    if words[0] in ("یک", "یکی") and len(words) >= 2:  # «یک مقام آمریکایی»: an unnamed person
        words = words[1:] if words[1] != "از" else words[2:]
        s = " ".join(words)
        if not words:
            return Mention("none", None)
    if words[0] in GROUPS or (len(words) > 2 and "و" in words[1:3] and re.search(r"(?:ان|ها|ون|ین)$", words[0])
                              and not is_title_word(words[0])):  # «معاون سیاسی و امنیتی ...» is one person
        # «مدیران این باشگاه»، «بازیکنان و کادر فنی والنسیا»: a group speaks for itself
        return Mention("org", s)
    opening = re.match(r"[ \u200c]*[«\"“]([^»\"”]{2,40})[»\"”]", raw)
    if opening and len(words) > len(opening.group(1).split()) and 0 < len(opening.group(1).split()) <= 4 \
            and not is_title_word(opening.group(1).split()[0]) and opening.group(1).split()[0] not in ORG_HEADS:
        # «"غلامرضا حسین‌زاده" متخصص ارتباطات و مشاور خانواده»: the quote marks hold the name, a title follows
        rest = _clean(raw[opening.end():])
        return Mention("name", _strip_honorifics(_clean(opening.group(1))), rest or None)
    quoted = re.search(r"[«\"“]([^»\"”]{2,40})[»\"”]", raw)
    if quoted and len(words) > 1 and (is_title_word(words[0]) or words[0] in ORG_HEADS) and \
            0 < len(quoted.group(1).split()) <= 4 and _clean(raw[:quoted.start()]).split():
        # «سناتور "کیت باند"»، «خبرگزاری روسی «ریانووستی»»: the name in quote marks after a title or a generic word
        inner = _clean(quoted.group(1))
        if words[0] in ORG_HEADS:
            return Mention("org", inner)
        return Mention("name", inner, _clean(raw[:quoted.start()]))
    if is_title_word(words[0]):
        # «سرمربی بایرن، نیکو کوواچ»: a name after the comma of an apposition
        if "،" in raw:
            after = _strip_honorifics(_clean(raw.split("،", 1)[1]))
            listed = "و" in after.split()[1:3]  # «مدیرکل صنعت، معدن و تجارت»: a list, not a name
            if after and not listed and not is_title_word(after.split()[0]) and len(after.split()) <= 4:
                return Mention("name", after, _clean(raw.split("،", 1)[0]))
        return Mention("title", s)
    if words[0] in ORG_HEADS or _ORG_HEAD_PAIR.match(s):  # «روابط عمومی باشگاه ...»: an office speaks as itself
        if words[0] in MEDIA_WORDS and len(words) > 1:  # «رادیو صدای آمریکا» speaks as «صدای آمریکا»
            return Mention("org", " ".join(words[1:]))
        # «باشگاه ماشین‌سازی و کادر پزشکی این تیم»: a second part that belongs to the first speaks for it
        own = re.match(r"(.+?)[ \u200c]+و[ \u200c]+.*(?:این|همین)[ \u200c]+(?:تیم|باشگاه)$", s)
        if own:
            return Mention("org", own.group(1))
        # «هیئت تجدید نظر صرف نظر کردن خود ... را اعلام کرد»: the mention was cut before the object, maybe inside the name
        return Mention("org", s, long=_OBJECT_AHEAD.match(text, span[1]) is not None)
    for i, w in enumerate(words):
        if i > 0 and is_title_word(w) and w.split("\u200c")[0] not in SURNAME_LIKE_TITLES:
            return Mention("name", _name_part(words[:i]), " ".join(words[i:]).strip("، "))
        if w.endswith("،"):
            return Mention("name", _name_part(words[:i + 1]))
    # «هاشم بنی‌هاشمی نسب گذشته در ... افزود»: an adverb after the name is no part of it, nor «یکی» («X یکی از ...»)
    while len(words) > 1 and (words[-1] in ADVERBS or words[-1] == "یکی"):
        words.pop()
    # «X Y Z را ... دانست و گفت»: a mention right before «را» ends with the object, not with the name; «سید» before a
    # given name is not one more word of it («سید عبدالواحد موسوی لاری»)
    n = len(words) - (fold(words[0]) in _LINEAGE and len(words) > 1 and _name_like(words[1]))
    return Mention("name", _name_part(words), long=n > 3 or (len(words) > 1 and _object_follows(text, span)))


_LINEAGE = ("سید", "سیده", "میر")
_SHARE_WORD = re.compile(r"درصد|٪|%")
# the particle of a European surname written apart («دی ماریا»، «فن پرسی»، «دل پیرو»): with it the surname is one name
# that given names before it complete like a one-word surname
SURNAME_PARTICLES = {"دی", "دل", "دلا", "دا", "فن", "فان", "ون", "وان", "دس", "لو"}


_APPOSITION = re.compile(r"[ \u200c]*،[ \u200c]*(\S+)")  # «اوبامیانگ، مهاجم ...»: a comma and the next word
_OBJECT_AHEAD = re.compile(r"(?:[ \u200c]+[^\s،.:؛«»\"]+){1,12}?[ \u200c]+را(?![\w\u200c])")
_OBJECT_MARK = re.compile(r"[ \u200c]+را(?![\w\u200c])")


def _object_follows(text: str, span: tuple[int, int]) -> bool:
    """Whether «را» follows the mention: its last words are the verb's object («شکریه اصناف را ... دانست»)."""
    return _OBJECT_MARK.match(text, span[1]) is not None


def _name_part(words: list[str]) -> str:
    return " ".join(w.strip("،,") for w in words).strip()


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch == "\u200c" or unicodedata.category(ch)[0] == "M"


def entity_words(text: str, e: Entity) -> tuple[int, int]:
    """The entity's span widened to whole words: the tagger works on pieces cut at half-spaces, so a PER
    span may cover «حسینی» of «حسینی‌بوشهری»; a name run of given names right before it joins it too
    («ژان» + «لوک گودار»)."""
    start, end = e.start, e.end
    while start > 0 and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and _in_word(text[end]):
        end += 1
    if e.label == "PER":
        names = given_names()
        while True:
            m = re.search(r"(\S+)[ \u200c]+$", text[max(0, start - 30):start])
            if not m or fold(m.group(1)) not in names:
                break
            start -= len(m.group(0))
    return start, end


def merge_person_pieces(text: str, entities: list[Entity]) -> list[Entity]:
    """PER entities that follow each other with only a space between («میر» «محمد حسینی») are one name:
    the merged list keeps every index of the original (a merged piece repeats the whole span)."""
    out = list(entities)
    i = 0
    while i < len(out):
        j = i
        while (out[j].label == "PER" and j + 1 < len(out) and out[j + 1].label == "PER"
               and not text[out[j].end:out[j + 1].start].strip(" \u200c")):
            j += 1
        if j > i:
            whole = Entity(out[i].start, out[j].end, "PER")
            for k in range(i, j + 1):
                out[k] = whole
        i = j + 1
    return out


def _whole(text: str, e: Entity) -> bool:
    """Whether the entity covers whole words (not «جهان» of «جهان‌بینی» or «ایران» of «ایران‌دوست»)."""
    return (e.start == 0 or not _in_word(text[e.start - 1])) and (e.end >= len(text) or not _in_word(text[e.end]))


def _within(span: tuple[int, int], entities: list[Entity]) -> list[int]:
    """The indices, in order, of the entities inside ``span``: found among those starting in it, by the entities
    sorted by start (made once per list and remembered while the list stays the same)."""
    index = getattr(_CACHE, "entity_index", None)
    if index is None or index[0] is not entities or index[1] != len(entities):
        order = sorted(range(len(entities)), key=lambda i: entities[i].start)
        index = _CACHE.entity_index = (entities, len(entities), order, [entities[i].start for i in order])
    _, _, order, starts = index
    lo, hi = bisect_left(starts, span[0]), bisect_left(starts, span[1] + 1)
    return sorted(i for i in order[lo:hi] if entities[i].end <= span[1])


def _entity_in(span: tuple[int, int], entities: list[Entity], text: str = "") -> int | None:
    """The entity naming the mention: a PER entity (widened to whole words) before an ORG/LOC one; an ORG/LOC
    entity only when it covers whole words."""
    best = None
    for i in _within(span, entities):
        e = entities[i]
        if e.label not in SPEAKER_LABELS:
            continue
        if e.label != "PER" and text and not _whole(text, e):
            continue
        if best is None or (e.label == "PER" and entities[best].label != "PER"):
            best = i
    return best


_PUNCT = "«»\"“”()،,.:؛!؟"
_TOKEN = re.compile(r"\S+")


def _in_token(ch: str) -> bool:
    """Whether a character continues a word (not white space nor punctuation that ends a name)."""
    return not ch.isspace() and ch not in _PUNCT


class _Spans:
    """Whether a position lies inside any of some spans (their union, searched by bisection)."""

    def __init__(self, spans: list[tuple[int, int]] | tuple[()]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if s >= e:
                continue
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


class TextWords:
    """Where a word stands in an article and the words before it (punctuation stripped, words inside the
    quotations blanked), and the surnames completed from them: shared by the resolutions of one article and
    looked up only when a surname needs completing."""

    def __init__(self, text: str, quoted: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.quoted = sorted(quoted or ())
        self._spans = _Spans(self.quoted)
        self.completed: dict[str, str] = {}
        self._distinct: set[str] | None = None

    def distinct(self) -> set[str]:
        """Every distinct word of the text (quotations included), punctuation stripped: scanned once per article
        however many resolvers of it ask."""
        if self._distinct is None:
            self._distinct = {m.group().strip(_PUNCT) for m in _TOKEN.finditer(self.text)}
        return self._distinct

    def _quoted(self, pos: int) -> bool:
        return pos in self._spans

    def occurrences(self, name: str) -> list[int]:
        """Start offsets of ``name`` as a whole word outside the quotations (a word inside a quotation, «تیمی که
        علی دایی می‌سازد», never completes the speaker's name)."""
        text, out, i = self.text, [], self.text.find(name)
        while i >= 0:
            j = i + len(name)
            if (i == 0 or not _in_token(text[i - 1])) and (j >= len(text) or not _in_token(text[j])) \
                    and not self._quoted(i):
                out.append(i)
            i = text.find(name, i + 1)
        return out

    def glued(self, name: str) -> list[int]:
        """Start offsets of words that end with ``name`` glued to something before it («محمدنبی»)."""
        text, out, i = self.text, [], self.text.find(name)
        while i >= 0:
            j = i + len(name)
            if i > 0 and _in_token(text[i - 1]) and (j >= len(text) or not _in_token(text[j])):
                k = i
                while k > 0 and _in_token(text[k - 1]):
                    k -= 1
                if not self._quoted(k):
                    out.append(k)
            i = text.find(name, i + 1)
        return out

    def before(self, pos: int, n: int = 3) -> list[tuple[str, bool]]:
        """Up to ``n`` words before ``pos``, nearest last: each stripped of punctuation ("" inside a quotation)
        and whether it opens a sentence or clause."""
        lo = max(0, pos - 40 * (n + 1))
        toks = list(_TOKEN.finditer(self.text, lo, pos))
        if toks and lo > 0 and not self.text[lo - 1].isspace():
            toks = toks[1:]  # cut in the middle of a word
        out: list[tuple[str, bool]] = []
        for k in range(max(0, len(toks) - n), len(toks)):
            m = toks[k]
            w = m.group()
            if k > 0:
                prev = toks[k - 1]
                initial = "\n" in self.text[prev.end():m.start()] or prev.group()[-1] in ".!؟:،\n"
            else:
                initial = lo == 0 or "\n" in self.text[max(0, m.start() - 2):m.start()]
            out.append(("" if self._quoted(m.start()) else w.strip(_PUNCT), initial or w[0] in "«\""))
        return out


class Resolver:
    """Resolves mentions in article order, remembering names, titles and the last speaker."""

    def __init__(self, text: str, entities: list[Entity], all_names: list[str],
                 spoken: list[str] | None = None, words: TextWords | None = None) -> None:
        self.text = text
        self.words = words if words is not None else TextWords(text)
        self.entities = entities
        self.names = [n for n in all_names if n]
        # names the speaker mentions give: preferred to other names of the article with the same surname
        self.spoken = {fold(n) for n in (spoken if spoken is not None else self.names)}
        # «خدادادعزیزی» with «خداداد» or «عزیزی» alone as a speaker: the name is «خداداد عزیزی» (docs/quotes.md §4)
        alone = {fold(n) for n in (spoken if spoken is not None else self.names) if len(n.split()) == 1}
        self.unglued: dict[str, str] = {}  # a folded glued name -> the name with its words apart
        glued = _glued_in_text(self.words, alone, {fold(n) for n in self.names})
        self.names += glued
        self.spoken.update(fold(n) for n in glued)  # made of two speakers' names: a speaker's full name
        # surnames the article also gives after another word («عبدالرضا امیراحمدی»)
        given_after = {fold(o.split()[-1]) for o in dict.fromkeys(self.names)
                       if len(o.split()) >= 2 and fold(o.split()[0]) not in _LINEAGE}
        for n in self.names:
            w = n.split()
            after = fold(w[-1]) in given_after
            if (len(w) == 1 or (len(w) == 2 and fold(w[0]) in _LINEAGE)) and not after:
                apart = unglue(w[-1], alone)
                if apart is not None:
                    self.unglued[fold(n)] = " ".join([*w[:-1], apart])
        self.names = [self.unglued.get(fold(n), n) for n in self.names]
        # a given name alone means the one unglued name opening with it that no other name of the article shares
        firsts: dict[str, set[str]] = {}
        for n in self.names:
            if len(n.split()) >= 2:
                firsts.setdefault(fold(n.split()[-2]), set()).add(fold(n))
        self.by_given = {fold(n.split()[-2]): n for n in self.unglued.values() if len(firsts[fold(n.split()[-2])]) == 1}
        self.titles: dict[str, str] = {}  # folded title -> name
        self.last: tuple[str | None, int | None, bool] = (None, None, False)  # name, entity, is a named person
        self._last_named: dict[str, int] = {}  # a named speaker resolved so far -> the order of its last resolution
        self._named = 0  # how many named speakers were resolved
        self._index_names()

    def _index_names(self) -> None:
        """The article's distinct names, indexed for :meth:`fullest` and :meth:`trim` (an article of many quotations
        names its speakers again and again: looking each mention up among all the others made the step quadratic)."""
        self._distinct = list(dict.fromkeys(self.names))
        self._folded = {n: fold(n) for n in self._distinct}
        self._times: dict[str, int] = {}  # a folded name -> how many of ``names`` fold to it
        for n in self.names:
            self._times[self._folded[n]] = self._times.get(self._folded[n], 0) + 1
        self._last_words = {fold(n.split()[-1]) for n in self._distinct if n.split()}
        # the distinct names by the last three letters of their folded words, and by the first part of a last word
        # written with a half-space («فلاح» of «ربیع فلاح‌جلودار»)
        self._by_end: dict[str, list[int]] = {}
        self._by_part: dict[str, list[int]] = {}
        for i, n in enumerate(self._distinct):
            cw = n.split()
            if not cw:
                continue
            self._by_end.setdefault(fold("".join(cw))[-3:], []).append(i)
            if "\u200c" in cw[-1]:
                self._by_part.setdefault(fold(cw[-1].split("\u200c")[0]), []).append(i)

    def _candidates(self, key: str, key_last: str, one_word: bool) -> list[str]:
        """The distinct names, in article order, that may end with the folded name ``key`` (those whose last three
        letters are its own) or, for a one-word name, whose last word's first half-space part is it: a superset of
        the names :meth:`fullest` takes, which it checks as before."""
        if len(key) < 3:
            return self._distinct
        picked = self._by_end.get(key[-3:], [])
        if one_word and key_last in self._by_part:
            picked = sorted(set(picked) | set(self._by_part[key_last]))
        return [self._distinct[i] for i in picked]

    def trim(self, name: str, long: bool) -> str:
        """«اسماعیلی عمل به تعهدات ...»: cut a name at the first word that is a known surname."""
        words = name.split()
        given = given_names()
        core = words[1:] if len(words) > 1 and fold(words[0]) in _LINEAGE else words
        if not long and len(core) <= 3 and _name_like(core[0]):
            return name  # «محمدحسن اکبری مطلق»: a given name and a two-word surname, not a name and an object
        for j, w in enumerate(words[:3]):
            key = fold(w)
            if key in given and j + 1 < len(words):
                continue  # «علی کریمی»: a given name followed by more words is not where a name ends
            if j + 1 < len(words):
                pair = fold(w + words[j + 1])
                if sum(k for f, k in self._times.items() if pair in f) >= 2:
                    continue  # «ولی‌پور مطلق» is a name the article gives elsewhere: no cut inside it
            if key in self._last_words:
                return " ".join(words[:j + 1])
        return " ".join(words[:2]) if long else name

    def complete(self, name: str) -> str:
        """A surname alone completed from the text: «نبی» -> «مهدی محمد نبی» (given names before it)."""
        words = name.split()
        if len(words) != 1 and not (len(words) == 2 and words[0] in SURNAME_PARTICLES):
            return name
        done = self.words.completed
        if name not in done:
            done[name] = self._complete(name)
        return done[name]

    def _complete(self, name: str) -> str:
        given = given_names()
        best = name
        for pos in self.words.occurrences(name):
            prev = [w for w, _ in self.words.before(pos, 3)]
            j = len(prev)
            while j > 0 and len(prev) - j < 3:
                if fold(prev[j - 1]) in given:
                    j -= 1
                elif j > 1 and len(prev) - j < 2 and fold(prev[j - 2]) in given and fold(prev[j - 1]) not in _NOT_GIVEN \
                        and len(prev[j - 1]) > 2:
                    j -= 2  # «علی اکبر طاهری»: a second given name the list lacks, after a first one
                else:
                    break
            if j < len(prev) and len(prev) - j + 1 > len(best.split()):
                best = " ".join([*prev[j:], name])
        if len(best.split()) == 1:
            for pos in self.words.glued(name):
                w = self.text[pos:pos + len(_TOKEN.match(self.text, pos).group())].strip(_PUNCT)  # type: ignore[union-attr]
                # «مهدی محمدنبی»: the surname glued to a given name by the half-space model (not with a half-space
                # after a given name: «حسن ابراهیم‌کریمی» is a compound surname, not «ابراهیم» + «کریمی»)
                if not w.endswith(name) or len(w) <= len(name):
                    continue
                prev = self.words.before(pos, 1)
                first = [prev[-1][0]] if prev and fold(prev[-1][0]) in given else []
                if w[-len(name) - 1] != "\u200c" and fold(w[:-len(name)]) in given:
                    # «خدادادعزیزی» opening the name: a full name glued, written with its words apart
                    apart = unglue(w, {fold(name)}) if not first and self._opens_name(pos) else None
                    best = " ".join([*first, apart if apart and apart.endswith(f" {name}") else w])
                    break
                if w[-len(name) - 1] == "\u200c" and not first and self._opens_name(pos) \
                        and unglue(w, {fold(name)}) == f"{w[:-len(name) - 1]} {name}":
                    best = f"{w[:-len(name) - 1]} {name}"  # «ثناالله‌زهری» with «زهری» alone
                    break
        if best != name:
            return best
        initial = self._sentence_initial(name)
        if initial != name:
            return initial
        appos = self._apposition(name)
        return appos if appos != name else self._repeated(name)

    def _opens_name(self, pos: int) -> bool:
        """Whether the word at ``pos`` opens a name: it opens a sentence or a clause, or follows a function word, a
        title or an honorific (not «عبدالرضا امیراحمدی», a given name the list lacks before a surname)."""
        before = self.text[max(0, pos - 3):pos].rstrip(" \u200c")
        if not before or before[-1] in ".!؟:،\n«\"(":
            return True
        prev = self.words.before(pos, 1)
        w = prev[-1][0] if prev else ""
        return w in STOP or w in _NOT_GIVEN or w in PRONOUNS or w in ORG_HEADS or w in HONORIFICS or is_title_word(w)

    def _repeated(self, name: str) -> str:
        """«... اظهارات کارلوس کی‌روش ...» and «... کارلوس کی‌روش ...» again: a word the article puts right before the
        surname at least twice, outside the quotations at least once, and never without it, is a given name the list
        lacks (not a function word, a title, a generic word or an adverb)."""
        before: dict[str, int] = {}
        outside: set[str] = set()
        if re.search(rf"(?:(?:^|\s)در[ \u200c]+{re.escape(name)}|(?<![\w\u200c]){re.escape(name)}ی)(?![\w\u200c])",
                     self.text):
            return name  # «در پاکستان»، «نیروهای پاکستانی»: a place («قبایل پاکستان» is no person)
        for pos in self._all_occurrences(name):
            raw = self.text[max(0, pos - 30):pos].split()
            # the word right before, with only white space between (no punctuation closing it)
            w = raw[-1] if raw and not self.text[pos - 1:pos].strip() and raw[-1][-1] not in _PUNCT else ""
            if not w:
                continue
            before[w] = before.get(w, 0) + 1
            if not self.words._quoted(pos):
                outside.add(w)
        for w, n in before.items():
            if n >= 2 and w in outside and len(w) > 2 and w not in STOP and w not in _NOT_GIVEN and w not in PRONOUNS \
                    and not is_title_word(w) and w not in ORG_HEADS and w not in ADVERBS and not self._alone_anywhere(w, name):
                return f"{w} {name}"
        return name

    def _all_occurrences(self, word: str) -> list[int]:
        """Start offsets of ``word`` as a whole word, inside the quotations too."""
        text, out, i = self.text, [], self.text.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or not _in_token(text[i - 1])) and (j >= len(text) or not _in_token(text[j])):
                out.append(i)
            i = text.find(word, i + 1)
        return out

    def _alone_anywhere(self, word: str, name: str) -> bool:
        """Whether ``word`` stands anywhere in the article (inside the quotations too) without ``name`` after it."""
        for pos in self._all_occurrences(word):
            if not self.text[pos + len(word):pos + len(word) + len(name) + 2].lstrip(" \u200c").startswith(name):
                return True
        return False

    def _apposition(self, name: str) -> str:
        """«... گفت‌وگوی پیر امریک اوبامیانگ، مهاجم دورتموند ...»: the words right before a surname that a comma and a
        title follow (an apposition) are its given names, even when the list of given names lacks them (two at
        most, none a function word, a title or a generic word)."""
        for pos in self.words.occurrences(name):
            after = _APPOSITION.match(self.text, pos + len(name))
            if after is None or not is_title_word(after.group(1)):
                continue
            prev = self.words.before(pos, 3)
            if len(prev) < 3 or prev[-1][1] or prev[-2][1]:
                continue  # the words must not open the sentence or follow a stop (a subject, not an apposition)
            first = [w for w, _ in prev[-2:]]
            if all(len(w) > 2 and w not in STOP and w not in _NOT_GIVEN and w not in PRONOUNS and not is_title_word(w)
                   and w not in ORG_HEADS and w not in ADVERBS for w in first) and prev[-3][0] not in ("و", "یا"):
                return " ".join([*first, name])
        return name

    def _sentence_initial(self, name: str) -> str:
        """«کارلوس کی‌روش در پایان بازی ...»: a word opening a sentence right before the surname is a given name."""
        for pos in self.words.occurrences(name):
            prev = self.words.before(pos, 1)
            if prev and prev[-1][1]:
                first = prev[-1][0]
                if not (first in PRONOUNS or is_title_word(first) or first in ORG_HEADS or first in _NOT_GIVEN
                        or len(first) < 3 or self._alone(first, name)):
                    return f"{first} {name}"
        return name

    def _alone(self, word: str, name: str) -> bool:
        """Whether ``word`` stands elsewhere in the article without ``name`` after it: a common word («تجمع» of «تجمع
        کتابداران ...» when the article says «... در تجمع امروز»), not a given name the list lacks."""
        for pos in self.words.occurrences(word):  # outside quotations: «من و دانیل ...» inside one is a name
            rest = self.text[pos + len(word):pos + len(word) + len(name) + 2].lstrip(" \u200c")
            if not rest.startswith(name):
                return True
        return False

    def full_name(self, name: str) -> str:
        """The fullest name the article gives for ``name`` (:meth:`fullest`), a surname alone then completed."""
        return self.complete(self.fullest(name))

    def fullest(self, name: str) -> str:
        """The fullest name the article gives that ends with ``name``: a surname alone takes any name with that
        surname, a name with given names only a longer form of itself («محمد خاتمی» -> «سیدمحمد خاتمی», never
        «علی خاتمی»).  A name from a speaker mention wins over one from elsewhere that does not extend it."""
        name = self.unglued.get(fold(name), name)
        if len(name.split()) == 1 and fold(name) in self.by_given:
            name = self.by_given[fold(name)]  # «خداداد افزود» after «خدادادعزیزی گفت»
        words = name.split()
        if not words:
            return name
        key = fold(name)
        key_last = fold(words[-1])
        cands = []
        for cand in self._candidates(key, key_last, len(words) == 1):
            cw = cand.split()
            if not cw:
                continue
            fc = self._folded[cand]
            # «فلاح» for «ربیع فلاح‌جلودار»: the first part of a surname joined with a half-space
            part = len(words) == 1 and "\u200c" in cw[-1] and fold(cw[-1].split("\u200c")[0]) == key_last
            if _ends_with(cw, key) or part:
                if len(fc) > len(key):
                    cands.append(cand)
        if not cands:
            return name
        best = max(cands, key=lambda c: len(fold(c)))
        if len(words) == 1:
            # two people with one surname («مجید محمدی»، «عیسی محمدی»): the one named last before this mention
            recent = max((c for c in cands if c in self._last_named), key=self._last_named.__getitem__, default=None)
            if recent is not None and not fold(best).endswith(fold(recent)):
                return recent
        spoken = [c for c in [name, *cands] if fold(c) in self.spoken]
        if spoken and fold(best) not in self.spoken:
            extends = [c for c in spoken if best != c and fold(best).endswith(fold(c))]
            if not extends:
                best = max(spoken, key=lambda c: len(fold(c)))  # another person with the same surname
            else:
                longest = max(extends, key=lambda c: len(fold(c)))
                if len(best.split()) == len(longest.split()) + 1 and not _name_like(best.split()[0]):
                    best = longest  # «امام‌جمعه [شیراز محی‌الدین حائری]»: a PER that took in the word before the name
        return best

    def org_fullest(self, name: str) -> str:
        """An organisation's name cut before an object («بولتن دانشمندان» of «بولتن دانشمندان آمریکا ... را»): the
        fullest name the article gives it, a phrase opening with the same words and closed by a comma or a colon
        («بولتن دانشمندان اتمی آمریکا، ...»), else the name as it is."""
        words = name.split()
        key = fold(name)
        best = name
        for m in re.finditer(re.escape(words[0]) + r"(?:[ \u200c]+[^\s،,:.؛«»\"()]+){1,5}?(?=[ \u200c]*[،,:])",
                             self.text):
            phrase = m.group()
            if fold(phrase).startswith(key) and len(fold(phrase)) > len(fold(best)) and "\n" not in phrase:
                best = phrase
        return best

    def resolve(self, m: Mention, nested: bool = False) -> tuple[str | None, int | None]:
        """The name and entity ``m`` means; a nested quotation's speaker does not become the last speaker."""
        if nested:
            saved = self.last
            try:
                name, ent = self.resolve(m)
                if m.kind == "title" and m.name and saved[0] is not None and name == saved[0]:
                    return m.name, None  # «... گفت: مقام معظم رهبری فرمودند ...»: not the outer speaker again
                return name, ent
            finally:
                self.last = saved
        if m.kind == "anaphor" and self.last[0] is None and m.name and is_title_word(m.name.split()[0]):
            self.last = (m.name, None, False)
        if m.kind in ("pronoun", "anaphor", "none"):
            return self.last[0], self.last[1]
        if m.kind == "org" and m.person and m.name and fold(self.full_name(m.name)) != fold(m.name):
            m = Mention("name", m.name, None, m.entity)
        if m.kind == "org":
            name = self.org_fullest(m.name) if m.long and m.name else m.name
            self.last = (name, m.entity, False)
            return name, m.entity
        if m.kind == "name":
            assert m.name is not None
            name = self.full_name(self.trim(m.name, m.long))
            if m.title:
                self.titles[title_key(m.title)] = name
            self._last_named[name] = self._named
            self._named += 1
            ent = m.entity if m.entity is not None else self.entity_for(name)
            self.last = (name, ent, True)
            return name, ent
        # a title
        assert m.name is not None
        key = title_key(m.name)
        for t, name in self.titles.items():
            if t.startswith(key) or key.startswith(t):
                self.last = (name, self.entity_for(name), True)
                return self.last[0], self.last[1]
        if self.last[0] is not None and (fold(self.last[0]) == key or (self.last[2] and not m.also)):
            return self.last[0], self.last[1]
        self.last = (m.name, None, False)
        return m.name, None

    def entity_for(self, name: str) -> int | None:
        key = fold(name)
        last = fold(name.split()[-1]) if name.split() else key
        for i, e in enumerate(self.entities):
            if e.label not in SPEAKER_LABELS:
                continue
            et = fold(self.text[e.start:e.end])
            if et == key or (et.endswith(last) and key.endswith(et)):
                return i
        return None


def mention_names(text: str, spans: list[tuple[int, int] | None], entities: list[Entity]) -> list[str]:
    """The person names the speaker mentions give (the cue's own syntax, entities only inside it)."""
    names = []
    for span in spans:
        m = classify(text, span, entities)
        if m.kind == "name" and m.name and not m.long:
            names.append(m.name)
    return names


def known_names(text: str, spans: list[tuple[int, int] | None], entities: list[Entity],
                spoken: list[str] | None = None, quoted: list[tuple[int, int]] | None = None) -> list[str]:
    """Every person name the article gives: names in speaker mentions and PER entities (not those inside the
    ``quoted`` contents: the people a speaker talks about are seldom the speaker)."""
    names = list(spoken) if spoken is not None else mention_names(text, spans, entities)
    inside = _Spans(quoted or ())
    for e in entities:
        if e.label == "PER" and e.start not in inside:
            name = _drop_trailing_stops(_strip_honorifics(_clean(text[slice(*entity_words(text, e))])))
            words = name.split()
            # one-word PER entities are often a given name alone or a tagging slip: they are no full names
            if len(words) >= 2 and not is_title_word(words[0]):
                names.append(name)
    return names


_PHRASE_START = {"در", "با", "درباره", "پس", "پیش", "طی", "ضمن", "هنگام", "پیرامون", "بعد", "قبل"}


def buried_name(text: str, start: int, end: int, names: list[str]) -> tuple[int, int] | None:
    """A name inside a sentence that opens with a phrase: «در واکنش به ... مهدی محمد نبی در گفتگویی ... گفت».

    The word before a later phrase opener («در»، «با»، «درباره» ...) is taken when it is a known surname
    of the article or follows given names (which then join it); otherwise nothing.
    """
    toks = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    surnames = {fold(n.split()[-1]) for n in names if n.split()}
    given = given_names()
    for k in range(2, len(toks)):
        if text[toks[k][0]:toks[k][1]] not in _PHRASE_START:
            continue
        word = text[toks[k - 1][0]:toks[k - 1][1]]
        if word in _PHRASE_START or word.endswith("،"):
            continue
        j = k - 1
        while j > 0 and k - j < 3 and fold(text[toks[j - 1][0]:toks[j - 1][1]]) in given:
            j -= 1
        if j < k - 1 or fold(word) in surnames:
            return toks[j][0], toks[k - 1][1]
    return None
