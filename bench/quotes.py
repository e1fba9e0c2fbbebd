"""Score the attribution step against the hand-annotated quotation sets (docs/quotes.md).

    python bench/quotes.py [bench/quotes_dev.jsonl ...] [--news ../shared/data/news] [--errors] [--timing]
                           [--entities] [--speaker-diff] [--together]

Without file arguments it scores every set of docs/quotes.md §6: the first dev set
(bench/quotes_dev.jsonl), the later dev batches (bench/quotes_dev_b*.jsonl, each alone and together)
and the held-out set (bench/quotes_heldout.jsonl).  --errors prints every error; do not use it on the
held-out set (only its aggregate figures are looked at; docs/quotes.md §6).  --speaker-diff counts, per set
and over every news article outside the held-out set, the quotations whose resolved speaker the entities
step changes (aggregate counts; --errors lists them, never for the held-out set).

Each gold line names an article by file and index in ../shared/data/news; its text is built the
way ``khabar analyze`` reads the JSON (paragraphs joined with a blank line, the title and abstract
are not part of it), and gold offsets are offsets into that raw text.  Predicted spans are mapped
to raw offsets with ``doc.raw_span``.

Scoring: text is split into tokens at white space; a predicted quotation matches a gold one when
their token sets overlap by at least half of the larger of the two (one-to-one, greedy by
overlap).  Precision and recall count matched quotations; exact-span rate is the share of matched
quotations whose raw spans are equal; speaker accuracy is the share of matched quotations whose
resolved speaker names are equal after normalization (letters unified, spaces, half-spaces and
quote marks dropped, a leading military rank, honorific or generic word such as «روزنامه» dropped); agency
accuracy compares the agency of every article the same way (no agency = no agency), source-line
accuracy requires agency, reporter and cited outlets all equal.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from khabar.attribution.corpus import annotated, news_articles, news_text  # noqa: E402
from khabar.document import content_id  # noqa: E402
from khabar.pipeline import Pipeline, available_steps  # noqa: E402

NEWS = ROOT.parent / "shared" / "data" / "news"
GENERIC = ("خبرگزاری", "روزنامه", "باشگاه", "سایت", "نشریه", "شبکه خبری", "پایگاه خبری", "حجت‌الاسلام", "آیت‌الله",
           "سردار", "دکتر", "مهندس", "ماموستا", "آقای", "خانم")
FOLD = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "أ": "ا", "ۀ": "ه", "ة": "ه", "\u200c": None, " ": None,
                      "«": None, "»": None, '"': None, "“": None, "”": None, "\u200f": None, "\u200e": None})


# military and police ranks, dropped like «سردار» (docs/quotes.md §4), with a grade or «پاسدار»/«خلبان» after them
RANK = re.compile(r"^(?:سرتیپ|سرلشکر|سرهنگ|سرگرد|سروان|ستوانیار|ستوان|سپهبد|ارتشبد|دریادار|دریابان|دریاسالار|ناخدا)"
                  r"(?: (?:یکم|دوم|سوم|پاسدار|خلبان))* ")


def norm_name(name: str | None) -> str:
    if not name:
        return ""
    s = re.sub(r"\s+", " ", name.replace("\u200c", " ").replace("ي", "ی").replace("ك", "ک")).strip()
    s = RANK.sub("", s)
    for g in GENERIC:
        g2 = g.replace("\u200c", " ")
        if s.startswith(g2 + " "):
            s = s[len(g2) + 1:]
    return s.translate(FOLD).translate(DIGITS)


DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def article_text(news: Path, file: str, index: int, cache: dict) -> str:
    if file not in cache:
        cache[file] = json.loads((news / file).read_text(encoding="utf-8"))
    return news_text(cache[file][index])


def tokens(raw: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", raw)]


def token_set(toks: list[tuple[int, int]], span: tuple[int, int]) -> set[int]:
    return {i for i, (s, e) in enumerate(toks) if s < span[1] and e > span[0]}


def match(gold: list[dict], pred: list[dict], toks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pairs = []
    gsets = [token_set(toks, tuple(g["content"])) for g in gold]
    psets = [token_set(toks, tuple(p["content"])) for p in pred]
    for gi, gs in enumerate(gsets):
        for pi, ps in enumerate(psets):
            inter = len(gs & ps)
            if inter and inter >= 0.5 * max(len(gs), len(ps)):
                pairs.append((inter / max(len(gs), len(ps)), gi, pi))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def predict(pipe: Pipeline, raw: str) -> tuple[list[dict], dict]:
    doc = pipe(raw)
    preds = []
    for q in doc.quotes:
        rs, re_ = doc.raw_span(q.content.start, q.content.end)
        preds.append({"kind": q.kind, "content": [rs, re_], "speaker": q.speaker.name,
                      "mention": doc.text[q.speaker.mention.start:q.speaker.mention.end] if q.speaker.mention else None})
    src = doc.source
    return preds, {"agency": src.agency if src else None, "reporter": src.reporter if src else None,
                   "cited": list(src.cited) if src else []}


def score(path: Path, news: Path, pipe: Pipeline, show_errors: bool) -> dict:
    return score_all([path], news, pipe, show_errors)


def _gold_lines(paths: list[Path]) -> list[tuple[Path, int, str]]:
    return [(path, n, line) for path in paths
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]


def score_all(paths: list[Path], news: Path, pipe: Pipeline, show_errors: bool) -> dict:
    """The scores of one or more gold files taken together."""
    cache: dict = {}
    n_gold = n_pred = n_match = n_exact = n_spk = n_kind = 0
    n_art = n_agency = n_line = 0
    for path, lineno, line in _gold_lines(paths):
        if not line.strip():
            continue
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            raise SystemExit(f"{path}:{lineno}: not a JSON object ({e.msg})") from None
        raw = article_text(news, g["file"], g["index"], cache)
        # (a text with no letter or digit, «.», khabar rejects as empty since session 10: it reads as "", and such
        # an article's gold has no quotation)
        if content_id(raw) != g["id"] and (raw or g["quotes"]):
            raise SystemExit(f"{path}: {g['file']}[{g['index']}] text changed (id {content_id(raw)} != {g['id']})")
        preds, src = predict(pipe, raw)
        toks = tokens(raw)
        pairs = match(g["quotes"], preds, toks)
        n_gold += len(g["quotes"])
        n_pred += len(preds)
        n_match += len(pairs)
        for gi, pi in pairs:
            gq, pq = g["quotes"][gi], preds[pi]
            n_exact += list(gq["content"]) == list(pq["content"])
            n_kind += gq["kind"] == pq["kind"]
            ok = norm_name(gq["speaker"]) == norm_name(pq["speaker"])
            n_spk += ok
            if show_errors and not ok:
                print(f"  SPEAKER {g['file']}[{g['index']}] @{gq['content'][0]}: gold={gq['speaker']!r} "
                      f"pred={pq['speaker']!r} mention={pq['mention']!r}")
        if show_errors:
            mg = {gi for gi, _ in pairs}
            mp = {pi for _, pi in pairs}
            for gi, gq in enumerate(g["quotes"]):
                if gi not in mg:
                    s, e = gq["content"]
                    print(f"  MISS {g['file']}[{g['index']}] {gq['kind']} {raw[s:e][:90]!r}")
            for pi, pq in enumerate(preds):
                if pi not in mp:
                    s, e = pq["content"]
                    print(f"  FALSE {g['file']}[{g['index']}] {pq['kind']} {raw[s:e][:90]!r}")
        gs = g["source"]
        n_art += 1
        a_ok = norm_name(gs["agency"]) == norm_name(src["agency"])
        n_agency += a_ok
        line_ok = a_ok and norm_name(gs["reporter"]) == norm_name(src["reporter"]) and \
            sorted(map(norm_name, gs["cited"])) == sorted(map(norm_name, src["cited"]))
        n_line += line_ok
        if show_errors and not line_ok:
            print(f"  SOURCE {g['file']}[{g['index']}]: gold={gs} pred={src}")
    return {
        "articles": n_art, "gold": n_gold, "predicted": n_pred, "matched": n_match,
        "precision": n_match / n_pred if n_pred else 1.0,
        "recall": n_match / n_gold if n_gold else 1.0,
        "exact_span": n_exact / n_match if n_match else 0.0,
        "kind_accuracy": n_kind / n_match if n_match else 0.0,
        "speaker_accuracy": n_spk / n_match if n_match else 0.0,
        "agency_accuracy": n_agency / n_art if n_art else 0.0,
        "source_line_accuracy": n_line / n_art if n_art else 0.0,
    }


def _articles(paths: list[Path] | None, news: Path) -> list[tuple[str, int, str]]:
    """(file, index, raw text) of the gold files' articles, or of every news article outside the held-out set."""
    cache: dict = {}
    if paths:
        out = []
        for _path, _, line in _gold_lines(paths):
            if line.strip():
                g = json.loads(line)
                out.append((g["file"], g["index"], article_text(news, g["file"], g["index"], cache)))
        return out
    return list(news_articles(news, annotated(ROOT / "bench" / "quotes_heldout.jsonl")))


def speaker_diff(paths: list[Path] | None, news: Path, show: bool) -> dict:
    """Quotations whose resolved speaker differs between normalize,segment,attribution and the default pipeline
    (with entities), counted by the mention's kind and by how the two names relate ("fuller": the entity run's
    name is the syntax name plus words; "shorter": the reverse). ``show`` prints each one."""
    from khabar.attribution.speakers import classify, fold

    plain = Pipeline(["normalize", "segment", "attribution"])
    tagged = Pipeline(["normalize", "segment", *(["entities"] if "entities" in available_steps() else []),
                       "attribution"])
    n_quotes = n_diff = n_articles = 0
    by_kind: dict[str, int] = {}
    by_relation: dict[str, int] = {}
    for file, index, raw in _articles(paths, news):
        a, b = plain(raw), tagged(raw)
        spans = {(q.content.start, q.content.end): q for q in a.quotes}
        n_quotes += len(b.quotes)
        changed = 0
        for q in b.quotes:
            p = spans.get((q.content.start, q.content.end))
            if p is None or p.speaker.name == q.speaker.name:
                continue
            changed += 1
            m = p.speaker.mention
            kind = classify(a.text, (m.start, m.end) if m else None, []).kind
            by_kind[kind] = by_kind.get(kind, 0) + 1
            x, y = fold(p.speaker.name or ""), fold(q.speaker.name or "")
            rel = "fuller" if x and x in y else "shorter" if y and y in x else "other"
            by_relation[rel] = by_relation.get(rel, 0) + 1
            if show:
                print(f"  DIFF {file}[{index}] @{q.content.start}: syntax={p.speaker.name!r} entities={q.speaker.name!r}")
        n_diff += changed
        n_articles += changed > 0
    return {"quotations": n_quotes, "speaker_differs": n_diff, "articles_with_a_difference": n_articles,
            "by_mention": dict(sorted(by_kind.items())), "by_relation": dict(sorted(by_relation.items()))}


def timing(news: Path, base_steps: list[str]) -> dict:
    """Seconds to analyze every news article with and without the attribution step."""
    texts = [text for _, _, text in news_articles(news)]
    with_attr = Pipeline([*base_steps, "attribution"])
    without = Pipeline(base_steps)
    with_attr(texts[0])
    without(texts[0])  # load models
    t0 = time.perf_counter()
    docs = [without(t) for t in texts]
    t_base = time.perf_counter() - t0
    attr = with_attr.steps[-1]
    t0 = time.perf_counter()
    for d in docs:
        attr(d)
    t_attr = time.perf_counter() - t0
    return {"articles": len(texts), "base_steps": ",".join(base_steps), "base_seconds": round(t_base, 2),
            "attribution_seconds": round(t_attr, 2), "added": round(t_attr / t_base, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="*", type=Path, help="gold files (default: every set, see above)")
    ap.add_argument("--news", type=Path, default=NEWS)
    ap.add_argument("--errors", action="store_true", help="print every error")
    ap.add_argument("--timing", action="store_true", help="time attribution against the rest of the pipeline")
    ap.add_argument("--entities", action="store_true", help="run the entities step before attribution")
    ap.add_argument("--together", action="store_true", help="with gold files: also score them all together (one row)")
    ap.add_argument("--speaker-diff", action="store_true",
                    help="count the quotations whose speaker the entities change, per set (with no gold file: over "
                         "every news article outside the held-out set); --errors prints them, except for the held-out set")
    args = ap.parse_args(argv)
    if not args.news.is_dir():
        print(f"bench/quotes.py: no news folder at {args.news}", file=sys.stderr)
        return 2
    base = ["normalize", "segment"] + (["entities"] if args.entities and "entities" in available_steps() else [])
    pipe = Pipeline([*base, "attribution"])
    sets: list[tuple[str, list[Path]]] = [(p.name, [p]) for p in args.gold]
    if args.gold and args.together and len(args.gold) > 1:
        sets.append((" + ".join(p.name for p in args.gold) + " (together)", list(args.gold)))
    if not args.gold:
        batches = sorted((ROOT / "bench").glob("quotes_dev_b*.jsonl"))
        sets = [("quotes_dev.jsonl", [ROOT / "bench" / "quotes_dev.jsonl"]), *((p.name, [p]) for p in batches)]
        if batches:
            sets.append(("quotes_dev_b*.jsonl (together)", batches))
        sets.append(("quotes_heldout.jsonl", [ROOT / "bench" / "quotes_heldout.jsonl"]))
    if args.speaker_diff:
        diff_sets: list[tuple[str, list[Path] | None]] = [(n, p) for n, p in sets] if args.gold else [
            *sets, ("every news article outside the held-out set", None)]
        for name, paths in diff_sets:
            show = args.errors and not (paths and any(p.name == "quotes_heldout.jsonl" for p in paths))
            print(json.dumps({"set": name, **speaker_diff(paths, args.news, show)}, ensure_ascii=False))
        return 0
    for name, paths in sets:
        result = score_all(paths, args.news, pipe, args.errors)
        print(json.dumps({"set": name, "steps": ",".join(pipe.names),
                          **{k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}},
                         ensure_ascii=False))
    if args.timing:
        print(json.dumps(timing(args.news, base), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
