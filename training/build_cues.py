"""Learn the reporting-cue lexicon (src/khabar/data/cues.tsv) from the news in ../shared/data/news.

Method: every news text is folded to the letters khabar.normalize produces (ي→ی، ك→ک) with
ZWNJ removed, so that the lexicon does not depend on the half-space model; at every place where a
quotation is introduced (a colon, or «که» right after a verb) the verb group just before
it is analysed with the verb stems of hazm's verbs.dat: a simple verb (گفت) or a light-verb
construction (preverb + کرد/داشت/شد/...: تصریح کرد، اظهار داشت، یادآور شد) or a predicate +
copula (معتقد است).  Every lemma is counted separately before a colon and before «که».

Lemmas seen at least --min-count times are kept unless the hand-checked REJECT list says they
do not report speech (شده است، نشان می‌دهد، وجود دارد ...); the hand-checked ADD list supplies
valid cues that are rare in this news.  The file records, for each lemma, its counts, whether
it was mined or added by hand, and which complements it takes.

    python training/build_cues.py [--news ../shared/data/news] [--out src/khabar/data/cues.tsv]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

from khabar.attribution.corpus import news_articles

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news"
VERBS = ROOT.parent / "shared" / "data" / "lexicons" / "hazm-verbs.dat"
OUT = ROOT / "src" / "khabar" / "data" / "cues.tsv"
PARSTWINER = ROOT.parent / "shared" / "data" / "ner" / "parstwiner"
STOPWORDS = ROOT.parent / "shared" / "data" / "lexicons" / "hazm-stopwords.dat"
NAMES_OUT = ROOT / "src" / "khabar" / "data" / "cues.firstnames.txt"
# words that open PER spans in ParsTwiNER but are titles or surnames, not given names
NOT_GIVEN = {"امام", "حضرت", "رهبر", "شاه", "آقای", "خانم", "دکتر", "سردار", "آیت", "آیت‌الله", "حجت‌الاسلام",
             "شیخ", "ملا", "بن", "ابن", "الدین", "جان", "سر", "پاپ", "ژنرال", "سرهنگ", "مهندس", "استاد",
             "احمدی", "موسوی"}

ZWNJ = "\u200c"
LIGHT = {"کرد": "کن", "داشت": "دار", "شد": "شو", "داد": "ده", "ساخت": "ساز", "نمود": "نما", "گرفت": "گیر",
         "زد": "زن", "آورد": "آور", "کشید": "کش", "افکند": "افکن", "خواست": "خواه"}
COPULA = {"است", "هست", "هستند", "هستیم", "هستم", "هستید", "بود", "بودند", "بودیم", "بودم", "نیست", "نیستند",
          "نیستیم", "نبود", "نبودند", "اند", "ام", "ایم"}
TWO_WORD_HEADS = {"ابراز", "اظهار", "اعلام"}
PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند")
PRES_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")

# Hand-checked: mined lemmas that do not report a speaker's words (checked against their contexts).
REJECT = {
    "شد", "کرد", "داشت", "داد", "بود", "گرفت", "آورد", "رسید", "آمد", "گذاشت", "ماند", "رفت", "دید", "دانست",
    "توانست", "نمود", "ساخت", "کرد:", "یافت", "زد", "گشت", "نشان|داد", "نشان|داد:", "وجود|داشت",
    "برگزار|شد", "انجام|شد", "مطرح|شد", "آغاز|شد", "مشخص|شد", "صادر|شد", "قرار|گرفت", "قرار|داشت",
    "قرار|داد", "انجام|داد", "باعث|شد", "اعلام|شد", "گفته|شد", "حضور|داشت", "رخ|داد", "اضافه|شد", "صورت|گرفت",
    "ذکر|است", "گفتنی|است", "حاکی|است", "لازم|است", "درست|است", "مهم|است", "طبیعی|است", "روشن|است",
    "بدیهی|است", "بهتر|است", "خوب|است", "مشخص|است", "زیر|است", "شرح|است", "ذیل|است", "قرار|است",
    "نظر|رسید", "شمار|رفت", "تشکیل|داد", "دست|یافت", "پایان|یافت", "ادامه|یافت", "شکست|خورد", "عهده|داشت",
    "نام|برد", "گزارش|شد", "انتظار|رفت", "اختصاص|داد", "توجه|داشت", "تأکید|شد", "تاکید|شد", "بیان|شد",
}
# Hand-checked additions: valid cues that are rare in this news (each seen in Persian news usage). «پنداشت» was
# dropped in session 3: in this news it is the noun (perception: «پنداشت مثبت دارد که ...»), never a report.
ADD = [
    ("verb", "گفت", "گو"), ("verb", "افزود", "افزا"), ("verb", "نوشت", "نویس"), ("verb", "پرسید", "پرس"),
    ("light", "اظهار", "داشت"), ("light", "اظهار", "کرد"), ("light", "تصریح", "کرد"), ("light", "تأکید", "کرد"),
    ("light", "خاطرنشان", "کرد"), ("light", "خاطرنشان", "ساخت"), ("light", "ادامه", "داد"),
    ("light", "یادآور", "شد"), ("light", "عنوان", "کرد"), ("light", "اعلام", "کرد"), ("light", "بیان", "کرد"),
    ("light", "بیان", "داشت"), ("light", "ابراز", "امیدواری|کرد"), ("light", "اظهار", "امیدواری|کرد"),
    ("light", "ابراز", "تمایل|کرد"), ("light", "ابراز", "نگرانی|کرد"), ("light", "ابراز", "کرد"),
    ("light", "ابراز", "داشت"), ("light", "اضافه", "کرد"), ("light", "متذکر", "شد"), ("light", "توضیح", "داد"),
    ("light", "اذعان", "کرد"), ("light", "اذعان", "داشت"), ("light", "اشاره", "کرد"), ("light", "تشریح", "کرد"),
    ("light", "ادعا", "کرد"), ("light", "مدعی", "شد"), ("light", "پیشنهاد", "کرد"), ("light", "پاسخ", "داد"),
    ("light", "گزارش", "داد"), ("light", "هشدار", "داد"), ("light", "اعتراف", "کرد"), ("light", "تأیید", "کرد"),
    ("light", "تاکید", "کرد"), ("light", "اعلام", "آمادگی|کرد"), ("light", "اعتقاد", "داشت"),
    ("light", "یادآوری", "کرد"), ("light", "خبر", "داد"), ("light", "تکرار", "کرد"), ("light", "اعلام", "داشت"),
    ("light", "عنوان", "داشت"), ("light", "مطرح", "کرد"), ("light", "درخواست", "کرد"), ("light", "تصریح", "داشت"),
    ("light", "خواستار", "شد"), ("light", "توصیه", "کرد"), ("light", "فکر", "کرد"), ("light", "تأکید", "نمود"), ("light", "متهم", "کرد"), ("light", "یقین", "داشت"), ("light", "باور", "داشت"),
    ("light", "تاکید", "داشت"), ("light", "تأکید", "داشت"), ("light", "اضافه", "نمود"), ("light", "اظهار", "نمود"),
    ("light", "بیان", "نمود"), ("light", "عنوان", "نمود"), ("light", "اعلام", "نمود"), ("light", "خاطرنشان", "نمود"),
    ("copula", "معتقد", ""), ("copula", "مدعی", ""), ("copula", "امیدوار", ""), ("copula", "موافق", ""),
    ("copula", "مطمئن", ""), ("copula", "مخالف", ""), ("copula", "بر این باور", ""), ("copula", "بر این عقیده", ""),
    ("copula", "بر این اعتقاد", ""), ("copula", "خواستار", ""), ("copula", "متقاعد", ""),
    ("verb", "خواست", "خواه"), ("verb", "پرداخت", "پرداز"),
    ("light", "دستور", "داد"),
    # «خبرگزاری X گزارش کرد، ...» reports like «گزارش داد»; «عقیده دارد» like «اعتقاد دارد»
    ("light", "گزارش", "کرد"), ("light", "عقیده", "داشت"),
]


# words that end a subject or a clause, never a preverb (seen before گفت: "و گفت"، "وی گفت"، "فارس گفت")
NOT_PREVERB = {"و", "وی", "او", "نیز", "هم", "همچنین", "ادامه", "پایان", "باره", "رابطه", "خبرنگاران", "فارس"}


def load_stems(path: Path) -> dict[str, str]:
    stems: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" in line and not line.startswith("#"):
            past, _, present = line.partition("#")
            stems[past.strip()] = present.strip()
    return stems


def verb_forms(past: str, present: str) -> dict[str, str]:
    """Surface forms (ZWNJ and spaces removed) of the reporting tenses of a verb -> its past stem."""
    forms: dict[str, str] = {}
    for neg in ("", "ن"):
        for e in PAST_ENDINGS:
            forms[neg + past + e] = past
            forms[neg + "می" + past + e] = past
        for e in ("", "است", "اند", "ام", "ایم", "اید", "بود", "بودند", "شده"):
            forms[neg + past + "ه" + e] = past
        if present:
            for e in PRES_ENDINGS:
                forms[neg + "می" + present + e] = past
                if present.endswith(("ا", "و")):
                    forms[neg + "می" + present + "ی" + e] = past
    for e in ("د", "ند", "م", "یم"):
        forms["خواه" + e + past] = past
    return forms


FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "ة": "ه", "ۀ": "ه", "أ": "ا", "\u0640": None, ZWNJ: None,
                      "\u200f": None, "\u200e": None, "\u00a0": " "})


def fold(text: str) -> str:
    """The letter forms khabar.normalize produces, without ZWNJ (cue keys ignore half-spaces)."""
    return text.translate(FOLD)


def mine(texts: list[str], stems: dict[str, str]) -> tuple[Counter, Counter]:
    forms: dict[str, str] = {}
    for past, present in stems.items():
        for f, p in verb_forms(past, present).items():
            forms.setdefault(f, p)
    colon: Counter = Counter()
    ke: Counter = Counter()
    site = re.compile(r"((?:\S+ ){0,4}\S+?)\s*(:|،? که )")
    for raw in texts:
        text = fold(raw)
        for m in site.finditer(text):
            toks = m.group(1).split()
            lemma = analyse(toks, forms)
            if lemma:
                (colon if m.group(2) == ":" else ke)[lemma] += 1
    return colon, ke


def analyse(toks: list[str], forms: dict[str, str]) -> str | None:
    """The lemma of the verb group ending ``toks`` ("گفت", "تصریح|کرد", "معتقد|است"), or None."""
    if not toks:
        return None
    # join "می گوید" / "گفته است" / "خواهد گفت" written with spaces
    for n in (3, 2, 1):
        if len(toks) < n:
            continue
        surface = "".join(toks[-n:])
        if surface in forms:
            past = forms[surface]
            rest = toks[:-n]
            if past in LIGHT and rest:
                pre = rest[-1]
                if len(rest) >= 2 and rest[-2] == "خاطر" and pre == "نشان":
                    pre = "خاطرنشان"
                elif len(rest) >= 2 and rest[-2] in TWO_WORD_HEADS:
                    pre = f"{rest[-2]} {pre}"
                return f"{pre}|{past}"
            return past
    last = toks[-1]
    if last in COPULA and len(toks) >= 2:
        return f"{toks[-2]}|است"
    return None


def first_names(folder: Path, min_count: int = 2) -> list[str]:
    """Given names: words that begin multi-word PER spans of ParsTwiNER (MIT) more often than they end one.

    Function words (hazm's stopword list, MIT) and words shorter than three letters are left out.
    """
    first: Counter = Counter()
    last: Counter = Counter()
    for name in ("train.txt", "dev.txt", "test.txt"):
        path = folder / name
        if not path.is_file():
            continue
        spans: list[list[str]] = []
        cur: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            tag = parts[1] if len(parts) > 1 else "O"
            if tag == "B-PER":
                if cur:
                    spans.append(cur)
                cur = [fold(parts[0])]
            elif tag == "I-PER" and cur:
                cur.append(fold(parts[0]))
            elif cur:
                spans.append(cur)
                cur = []
        if cur:
            spans.append(cur)
        for span in spans:
            if len(span) >= 2:
                for w in span[:-1]:
                    first[w] += 1
            last[span[-1]] += 1
    stop = set()
    if STOPWORDS.is_file():
        stop = {fold(w.strip()) for w in STOPWORDS.read_text(encoding="utf-8").splitlines() if w.strip()}
    return sorted(w for w, n in first.items()
                  if n >= min_count and n > last[w] and w not in NOT_GIVEN and w not in stop and len(w) >= 3
                  and not w.isascii())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--verbs", type=Path, default=VERBS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--parstwiner", type=Path, default=PARSTWINER)
    args = ap.parse_args(argv)
    if not args.news.is_dir():
        print(f"build_cues: no news folder at {args.news}", file=sys.stderr)
        return 2
    stems = load_stems(args.verbs)
    colon, ke = mine([text for _, _, text in news_articles(args.news)], stems)
    rows: dict[tuple[str, str, str], list] = {}
    for kind, a, b in ADD:
        lem = a if kind == "verb" else f"{a}|است" if kind == "copula" else f"{a} {b.split('|')[0]}|{b.split('|')[1]}" \
            if "|" in b else f"{a}|{b}"
        rows[(kind, a, b)] = [colon.get(lem, 0), ke.get(lem, 0), "hand"]
    hand = {(k, a) for k, a, _ in ADD}
    for lemma in set(colon):
        n_colon, n_ke = colon[lemma], ke[lemma]
        # evidence: seen introducing a colon quotation at least --min-count times, mostly before a colon
        if n_colon < args.min_count or n_colon < n_ke or lemma in REJECT:
            continue
        if "|" in lemma:
            pre, verb = lemma.split("|")
            if pre in COPULA or len(pre) < 2 or pre.isdigit() or pre in NOT_PREVERB:
                continue
            key = ("copula", pre, "") if verb == "است" else ("light", pre, verb)
        else:
            key = ("verb", lemma, stems.get(lemma, ""))
        if (key[0], key[1]) in hand and key in rows:
            rows[key][2] = "mined+hand"
        elif key not in rows:
            rows[key] = [n_colon, n_ke, "mined"]
    # light verbs whose preverb spans two words (ابراز امیدواری کرد) are stored as "ابراز امیدواری" + "کرد"
    out_rows = []
    for (kind, a, b), (n_colon, n_ke, origin) in rows.items():
        if kind == "light" and "|" in b:
            extra, verb = b.split("|")
            a, b = f"{a} {extra}", verb
        present = LIGHT.get(b, stems.get(b, "")) if kind == "light" else b
        past = b if kind == "light" else a
        head = a if kind != "verb" else ""
        out_rows.append((kind, head, past if kind != "copula" else "", present if kind != "copula" else "",
                         n_colon, n_ke, origin))
    out_rows.sort(key=lambda r: (-(r[4] + r[5]), r))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        f.write("# Reporting cues, built by training/build_cues.py from ../shared/data/news (do not edit by hand).\n")
        f.write("# kind\thead\tpast\tpresent\tbefore_colon\tbefore_ke\torigin\n")
        for r in out_rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    names = first_names(args.parstwiner)
    if names:
        with NAMES_OUT.open("w", encoding="utf-8") as f:
            f.write("# Given names, built by training/build_cues.py from ParsTwiNER (overfit-ir/persian-twitter-ner,\n"
                    "# twitter_data/persian-ner-twitter-data, MIT licence, see cues.firstnames.LICENSE): words that begin\n"
                    "# multi-word PER spans more often than they end one. Used to complete a surname to a full name.\n")
            f.write("\n".join(names) + "\n")
        licence = args.parstwiner / "LICENSE"
        if licence.is_file():
            NAMES_OUT.with_suffix(".LICENSE").write_text(licence.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"build_cues: {len(names)} given names -> {NAMES_OUT}")
    print(f"build_cues: {len(out_rows)} cues ({sum(r[6] == 'mined' for r in out_rows)} mined) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
