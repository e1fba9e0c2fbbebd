"""The reporting-cue lexicon: verbs (گفت، تصریح کرد، معتقد است ...) and phrases (به گفته، با بیان اینکه).

The verb lemmas come from ``khabar/data/cues.tsv`` (built by training/build_cues.py from the
news, plus hand-checked additions); this module expands every lemma to its reporting tenses,
persons and negation and compiles one regex.  Matching works on normalized text and does not
depend on half-spaces: «می‌گوید»، «میگوید» and «می گوید» all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

J = "[\u200c ]?"  # an optional half-space or space between the parts of a verb
SP = "[ \u200c]+"
WORD_END = r"(?![\w\u200c])"
WORD_START = r"(?<![\w\u200c])"

PAST_PERSON = "(?:م|ی|یم|ید|ند)?"
PRES_PERSON = "(?:م|ی|د|یم|ید|ند)"
AUX = "(?:است|اند|ام|ایم|اید|ای)"

# A bare participle reports («گفته که»، «اعلام کرده که»، «نوشته ...») except «افزوده» («ارزش افزوده»).
NO_BARE_PARTICIPLE = frozenset({"افزود"})
# Predicates that may take a bare clause: «امیدوار هستند با حضور او ...»، «معتقدم این ...».
BARE_COPULA = frozenset({"امیدوار است", "معتقد است", "مطمئن است"})
# Cues that never take a bare clause (what follows them is a new clause or an adjunct).
NO_BARE_CLAUSE = frozenset({"خبر داد", "پاسخ داد", "ادامه داد", "توضیح داد", "اشاره کرد", "پیشنهاد کرد",
                            "درخواست کرد", "خواستار شد", "تشریح کرد", "مطرح کرد", "فریاد زد", "هشدار داد",
                            "پرسید", "فرمود", "سرایید", "تکرار کرد", "خواستار است", "دستور داد"})
# Cues that introduce only a colon quotation: «به تمجید از رونالدو پرداخت: «...»».
COLON_ONLY = frozenset({"پرداخت"})
# Morphology, not vocabulary (the lemmas are in cues.tsv): formal news writes «نمود» for the light verb «کرد»
# (تصریح نمود، اظهار امیدواری نمود), so every «کرد» cue is also a «نمود» cue, with the «کرد» lemma.
LIGHT_ALIASES = {"نمود": "کرد"}
# letters that never join the next one: a head ending in one reads as spaced from its verb even when glued to it
NON_JOINING = frozenset("اآأدذرزژو")
# Heads whose light verb is a state, with the present without «می»: «اعتقاد دارد»، «عقیده دارند»، «یقین دارد».
STATE_HEADS = {"داشت": frozenset({"اعتقاد", "عقیده", "باور", "یقین"})}


@dataclass(frozen=True)
class Cue:
    kind: str  # verb | light | copula
    head: str  # preverb or predicate ("" for a simple verb)
    past: str
    present: str
    origin: str


@dataclass(frozen=True)
class CueMatch:
    start: int
    end: int
    lemma: str  # "گفت", "تصریح کرد", "معتقد است"
    verb: str  # the past stem ("گفت", "کرد") or "" for a copula cue
    passive: bool = False


def _data_path() -> str:
    return str(resources.files("khabar") / "data" / "cues.tsv")


@lru_cache(maxsize=1)
def load_cues() -> tuple[Cue, ...]:
    """The cue lemmas of cues.tsv."""
    cues = []
    path = _data_path()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7:
                raise ValueError(f"{path}:{lineno}: expected 7 tab-separated fields, got {len(parts)}")
            cues.append(Cue(parts[0], parts[1], parts[2], parts[3], parts[6]))
    return tuple(cues)


# compounds that news writes both joined and split: «خاطرنشان» / «خاطر نشان»
SPLITTABLE = {"خاطرنشان": "خاطر نشان", "یادآور": "یاد آور", "یادآوری": "یاد آوری"}


def _flex(word: str) -> str:
    """A pattern for a written word: spaces/half-spaces optional inside, أ/ا interchangeable."""
    out = []
    for whole, split in SPLITTABLE.items():
        word = word.replace(whole, split)
    for ch in word.replace("\u200c", " "):
        if ch == " ":
            out.append(J)
        elif ch in "اأ":
            out.append("[اأ]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def verb_pattern(past: str, present: str, bare_present: bool = False) -> str:
    """All reporting tenses of a verb, with negation: گفت، نگفتند، می‌گوید، گفته است، خواهد گفت ..."""
    p, r = re.escape(past), re.escape(present)
    present_alts = [f"{r}{PRES_PERSON}"]
    if present and present[-1] in "او":
        present_alts.append(f"{r}ی{PRES_PERSON}")
    pres = "|".join(present_alts)
    forms = [
        f"ن?(?:می{J})?{p}{PAST_PERSON}",  # گفت، نگفتند، می‌گفت
        f"ن?{p}ه(?:{J}{AUX}|{SP}(?:است|بود{PAST_PERSON}|باشد)){'' if past in NO_BARE_PARTICIPLE else '?'}",  # گفته است
        f"خواه{PRES_PERSON}{SP}{p}",  # خواهد گفت
    ]
    if present:
        forms.append(f"ن?می{J}(?:{pres})")  # می‌گوید، نمی‌گویند
    if bare_present:
        forms.append(f"ن?(?:{pres})")  # a state with «داشتن» has no «می» in the present: «اعتقاد دارد»
    return "(?:" + "|".join(forms) + ")"


COPULA_FORMS = ("است|هست(?:م|ی|یم|ید|ند)|نیست(?:م|ی|یم|ید|ند)?|بود(?:م|ی|یم|ید|ند)?|نبود(?:م|ی|یم|ید|ند)?"
                f"|می{J}باش(?:د|ند|م|یم)")


@lru_cache(maxsize=1)
def cue_regex() -> re.Pattern[str]:
    """One regex over every cue; the group name tells which lemma matched."""
    simple: dict[str, str] = {}
    light: dict[str, set[str]] = {}
    copula: set[str] = set()
    for c in load_cues():
        if c.kind == "verb":
            simple.setdefault(c.past, c.present)
        elif c.kind == "light":
            light.setdefault(c.past, set()).add(c.head)
        elif c.kind == "copula":
            copula.add(c.head)
    for alias, past in LIGHT_ALIASES.items():
        light.setdefault(alias, set()).update(light.get(past, ()))
    presents = light_present()
    alts = []
    for past, heads in sorted(light.items()):
        heads_pat = "|".join(_flex(h) for h in sorted(heads, key=len, reverse=True))
        alts.append(f"(?:{heads_pat}){SP}(?:(?:هم|نیز){SP})?{verb_pattern(past, presents[past])}")
        # «یادآورشد»، «تاکیدکرد»: a head ending in a letter that does not join the next one looks spaced when glued
        glued = sorted((h for h in heads if h[-1] in NON_JOINING), key=len, reverse=True)
        if glued:
            alts.append(f"(?:{'|'.join(_flex(h) for h in glued)}){verb_pattern(past, presents[past])}")
        states = sorted(heads & STATE_HEADS.get(past, frozenset()), key=len, reverse=True)
        if states:  # «اعتقاد دارد»، «باور دارند» (a speech act keeps «می»: «اظهار می‌دارد», not «عنوان دارد»)
            alts.append(f"(?:{'|'.join(_flex(h) for h in states)}){SP}(?:(?:هم|نیز){SP})?"
                        f"{verb_pattern(past, presents[past], bare_present=True)}")
    for past, present in sorted(simple.items()):
        alts.append(verb_pattern(past, present))
    heads_pat = "|".join(_flex(h) for h in sorted(copula, key=len, reverse=True))
    alts.append(f"(?:{heads_pat})(?:{J}(?:ند|یم|م)|{SP}(?:{COPULA_FORMS}))")
    # every cue starts with one of few letters: a cheap first test before the long alternation
    firsts = {h[0] for h in copula} | {h[0] for hs in light.values() for h in hs} | {p[0] for p in simple}
    firsts |= {"ن", "م", "خ", "ا", "أ"} | {SPLITTABLE[h][0] for h in SPLITTABLE}
    first_class = "".join(sorted(re.escape(ch) for ch in firsts))
    return re.compile(f"{WORD_START}(?=[{first_class}])(?:{'|'.join(alts)}){WORD_END}")


# present stems of the light verbs (with the aliases'), completed from cues.tsv by light_present()
LIGHT_PRESENT: dict[str, str] = {"کرد": "کن", "داشت": "دار", "شد": "شو", "داد": "ده", "ساخت": "ساز",
                                 "نمود": "نما", "زد": "زن"}


@lru_cache(maxsize=1)
def light_present() -> dict[str, str]:
    """The present stem of every light verb: LIGHT_PRESENT and the light verbs of cues.tsv."""
    out = dict(LIGHT_PRESENT)
    for c in load_cues():
        if c.kind == "light":
            out.setdefault(c.past, c.present)
    return out

@lru_cache(maxsize=1)
def person_stems() -> dict[str, str]:
    """The present stem that personal endings attach to, for every verb of the lexicon (light verbs with their
    aliases too): the longest stem cues.tsv gives for it («گوی» beside «گو»: «می‌گویید»), a stem in «ا» with the
    «ی» it takes before an ending («افزا» → «می‌افزایید»)."""
    stems: dict[str, str] = {}
    pairs = [*light_present().items(), *((c.past, c.present) for c in load_cues() if c.kind == "verb")]
    for past, present in pairs:
        if present and len(present) > len(stems.get(past, "")):
            stems[past] = present
    return {past: stem + "ی" if stem.endswith("ا") else stem for past, stem in stems.items()}


_PASSIVE = re.compile(f"^{SP}(?:(?:ن?می{J})?(?:شو|شد)|شده|نشد|خواهد{SP}شد)")


def find_cues(text: str, start: int = 0, end: int | None = None) -> list[CueMatch]:
    """Every reporting-verb cue in ``text[start:end]``."""
    end = len(text) if end is None else end
    out = []
    for m in cue_regex().finditer(text, start, end):
        lemma, verb = _lemma_cached(m.group(0))
        passive = bool(_PASSIVE.match(text[m.end():m.end() + 12])) and verb not in ("", "شد")
        out.append(CueMatch(m.start(), m.end(), lemma, verb, passive))
    return out


def _squash(s: str) -> str:
    return s.replace("\u200c", "").replace(" ", "").replace("أ", "ا")


@lru_cache(maxsize=1)
def _lemma_index() -> tuple[tuple[str, str, str], ...]:
    """(squashed head, lemma, verb) for every head, longest first."""
    rows = []
    for c in load_cues():
        if c.kind == "verb":
            rows.append(("", c.past, c.past))
        elif c.kind == "light":
            rows.append((_squash(c.head), f"{c.head} {c.past}", c.past))
            for alias, past in LIGHT_ALIASES.items():
                if past == c.past:  # «تصریح نمود» has the lemma «تصریح کرد»
                    rows.append((_squash(c.head), f"{c.head} {c.past}", alias))
        else:
            rows.append((_squash(c.head), f"{c.head} است", ""))
    rows.sort(key=lambda r: -len(r[0]))
    return tuple(rows)


@lru_cache(maxsize=4096)
def _lemma_cached(surface: str) -> tuple[str, str]:
    """The lemma of a cue's surface form (forms repeat: «گفت»، «افزود» ...)."""
    return _lemma_of(surface, _lemma_index())


def _lemma_of(surface: str, lemmas: tuple[tuple[str, str, str], ...]) -> tuple[str, str]:
    sq = _squash(surface)
    for head, lemma, verb in lemmas:
        if head and sq.startswith(head):
            rest = sq[len(head):]
            if not verb or verb in rest or light_present().get(verb, "\0") in rest:
                return lemma, verb
    for head, lemma, verb in lemmas:
        if not head and verb in sq:
            return lemma, verb
    if "گو" in sq:
        return "گفت", "گفت"
    return sq, ""


# -- phrase cues ------------------------------------------------------------
# a bare «این» too («با تأکید براین ...»), but not «با بیان این مطلب در خصوص ... گفت» (a noun phrase, no clause)
INEKE = (f"(?:این{SP}(?:نکته|موضوع|مطلب|مسئله|مساله){SP}که|این{J}که"
         f"|این(?!{SP}(?:مطلب|مطالب|موضوع|نکته|مسئله|مساله|سخنان|خبر|نکات)(?![\\w\u200c])))")
# «با بیان اینکه X، گفت: ...»: an indirect quotation X inside the sentence of a main cue.
CLAUSE_PHRASES = re.compile(
    f"{WORD_START}(?:(?:با|ضمن){SP}|با)(?:بیان|اشاره{SP}به|ت[اأ]کید{J}بر|اعلام|یادآوری|ابراز|اظهار|تصریح(?:{SP}بر)?"
    f"|ذکر|عنوان(?:{SP}کردن)?){J}{INEKE}{WORD_END}")  # «با تأکید براین نکته که»
# «به گفته وی، X»: X is an indirect quotation of the named source.
ACCORDING_TO = re.compile(
    f"{WORD_START}(?:(?:بنا{SP}به|بنابر|به){SP}(?:گفته|اعتقاد|باور|عقیده|اذعان|ت[اأ]کید)"
    f"|(?:بنا{SP}به|بنا{J}بر){SP}اعلام"  # «بنا بر اعلام پلیس، ...» (not «نسبت به اعلام نتایج»)
    f"|(?:بنا{SP}به|به){SP}نظر(?={SP}(?:وی|او|ایشان)\\b)|از{SP}دید|از{SP}نظر(?={SP}(?:وی|او|ایشان|این)\\b))"
    f"{WORD_END}")
# «در این پیام آمده است: ...»
DOCUMENT_CUE = re.compile(f"{WORD_START}(?:آمده|آورده|نوشته)(?:{J}(?:است|اند)|{SP}بود(?:ند)?){WORD_END}")
