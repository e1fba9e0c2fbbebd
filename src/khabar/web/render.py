"""Highlighted HTML for a document: entities and quotations over the text, changes over the raw.

Every piece of document text goes through :func:`markupsafe.escape`; only the tags
written here are markup.  The functions take the ``khabar.document/1`` dict (what the
archive and ``/api/documents/{id}`` return), so they render whatever a document has.

>>> doc = {"text": "علی گفت «<b>»", "entities": [{"start": 0, "end": 3, "label": "PER", "text": "علی"}],
...        "quotes": []}
>>> str(annotated_text(doc))
'<a class="ent ent-PER" href="/entities/%D8%B9%D9%84%DB%8C?label=PER" title="شخص (PER)">علی</a> گفت «&lt;b&gt;»'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote as urlquote

from markupsafe import Markup, escape

# Persian names of the entity labels (shown in legends and titles).
LABELS: dict[str, str] = {
    "PER": "شخص", "ORG": "سازمان", "LOC": "مکان", "FAC": "تأسیسات", "EVENT": "رویداد",
    "PRODUCT": "محصول", "DATE": "تاریخ", "TIME": "زمان", "MONEY": "پول", "PERCENT": "درصد",
}


def entity_url(text: str, label: str | None = None) -> str:
    """The entity page of ``text`` (path-quoted), optionally narrowed to one label."""
    url = "/entities/" + urlquote(text, safe="")
    return url + ("?label=" + urlquote(label, safe="") if label else "")


def speaker_url(name: str) -> str:
    return "/speakers/" + urlquote(name, safe="")


def css_label(label: str) -> str:
    return "".join(c for c in str(label) if c.isascii() and c.isalnum()) or "X"


def _pick(spans: Sequence[tuple[int, int]], length: int) -> list[int]:
    """For each character, the index of the span covering it (the first given wins), or -1."""
    owner = [-1] * length
    for i, (start, end) in enumerate(spans):
        for pos in range(max(start, 0), min(end, length)):
            if owner[pos] == -1:
                owner[pos] = i
    return owner


def _cover(spans: Iterable[tuple[int, int]], length: int) -> list[bool]:
    flags = [False] * length
    for start, end in spans:
        for pos in range(max(start, 0), min(end, length)):
            flags[pos] = True
    return flags


def _span(d: Mapping[str, Any] | None) -> tuple[int, int] | None:
    if not d:
        return None
    return int(d["start"]), int(d["end"])


def annotated_text(doc: Mapping[str, Any]) -> Markup:
    """``doc["text"]`` with entities as coloured links and quotations marked with their speaker.

    Quotations are the outer layer; an entity that crosses a quotation's edge is cut
    there.  Cues (``گفت``) and speaker mentions get a class of their own.  With the
    tags removed, the HTML is exactly ``doc["text"]``, escaped.
    """
    text: str = doc.get("text") or ""
    n = len(text)
    entities = list(doc.get("entities") or [])
    quotes = list(doc.get("quotes") or [])
    # Longer entities first, so a nested shorter one does not split a longer one.
    ent_order = sorted(range(len(entities)), key=lambda i: (entities[i]["start"], -entities[i]["end"]))
    ent_owner = _pick([(int(entities[i]["start"]), int(entities[i]["end"])) for i in ent_order], n)
    ent_at = [ent_order[o] if o >= 0 else -1 for o in ent_owner]
    quote_spans = [_span(q.get("content")) or (0, 0) for q in quotes]
    quote_at = _pick(quote_spans, n)
    cue_at = _cover([s for q in quotes if (s := _span(q.get("cue")))], n)
    mention_at = _cover([s for q in quotes if (s := _span((q.get("speaker") or {}).get("mention")))], n)
    # Blank lines before and after the text: kept in the page text, hidden by CSS.
    lead, trail = n - len(text.lstrip()), len(text.rstrip())
    edge_at = _cover([(0, lead), (trail, n)] if lead < n else [(0, n)], n)

    out: list[str] = []
    pos = 0
    while pos < n:
        q = quote_at[pos]
        end = pos
        while end < n and quote_at[end] == q:
            end += 1
        inner = _render_entities(text, pos, end, ent_at, (cue_at, mention_at, edge_at), entities)
        if q >= 0:
            out.append(_quote_open(quotes[q], q))
            out.append(inner)
            out.append("</q>")
            out.append(_speaker_badge(quotes[q]))
        else:
            out.append(inner)
        pos = end
    return Markup("".join(out))


def _render_entities(text: str, start: int, end: int, ent_at: list[int], flags: tuple[list[bool], ...],
                     entities: list[Mapping[str, Any]]) -> str:
    out: list[str] = []
    pos = start
    while pos < end:
        e = ent_at[pos]
        stop = pos
        while stop < end and ent_at[stop] == e:
            stop += 1
        inner = _render_flags(text, pos, stop, flags)
        if e >= 0:
            label = str(entities[e].get("label", ""))
            etext = text[int(entities[e]["start"]):int(entities[e]["end"])]
            title = f"{LABELS.get(label, label)} ({label})" if label in LABELS else label
            out.append(f'<a class="ent ent-{css_label(label)}" href="{escape(entity_url(etext, label))}" '
                       f'title="{escape(title)}">{inner}</a>')
        else:
            out.append(inner)
        pos = stop
    return "".join(out)


_FLAG_CLASSES = ("cue", "mention", "edge")


def _render_flags(text: str, start: int, end: int, flags: tuple[list[bool], ...]) -> str:
    out: list[str] = []
    pos = start
    while pos < end:
        here = tuple(f[pos] for f in flags)
        stop = pos
        while stop < end and tuple(f[stop] for f in flags) == here:
            stop += 1
        piece = str(escape(text[pos:stop]))
        classes = [name for name, on in zip(_FLAG_CLASSES, here, strict=True) if on]
        out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
        pos = stop
    return "".join(out)


def speaker_name(quote: Mapping[str, Any]) -> str | None:
    speaker = quote.get("speaker") or {}
    name = speaker.get("name")
    if name:
        return str(name)
    mention = speaker.get("mention")
    return str(mention["text"]) if mention and mention.get("text") else None


def _quote_open(quote: Mapping[str, Any], index: int) -> str:
    kind = css_label(quote.get("kind", "direct"))
    who = speaker_name(quote)
    title = ("نقل قول مستقیم" if kind == "direct" else "نقل قول غیرمستقیم") + (f" از {who}" if who else "")
    return (f'<q class="quote quote-{kind}" id="q{index}" data-speaker="{escape(who or "")}" '
            f'title="{escape(title)}">')


def _speaker_badge(quote: Mapping[str, Any]) -> str:
    """A badge after the quotation; the name is shown by CSS (``attr(data-name)``) so that the
    text of the page stays exactly ``doc.text`` when copied."""
    who = speaker_name(quote)
    if not who:
        return '<span class="who who-unknown" data-name="؟" title="گوینده نامعلوم"></span>'
    name = escape(who)
    return (f'<a class="who" href="{escape(speaker_url(who))}" data-name="{name}" title="{name}" '
            f'aria-label="{name}"></a>')


def raw_with_changes(doc: Mapping[str, Any]) -> Markup:
    """``doc["raw"]`` with every normalizer change marked at its exact raw span.

    A change that deletes or replaces raw text marks that text; one that only inserts
    (an empty raw span, such as an added half-space) leaves an empty marker.  The
    title of each mark names the rule and what the text became.  With the tags
    removed, the HTML is exactly ``doc["raw"]``, escaped.
    """
    raw: str = doc.get("raw") or ""
    changes = sorted(doc.get("changes") or [], key=lambda c: (int(c["raw_start"]), int(c["raw_end"])))
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(changes):
        start = max(int(changes[i]["raw_start"]), pos)
        end = int(changes[i]["raw_end"])
        group = [changes[i]]
        i += 1
        # Merge changes whose raw spans overlap (or touch an insertion at the same place).
        while i < len(changes) and int(changes[i]["raw_start"]) < max(end, start + 1):
            end = max(end, int(changes[i]["raw_end"]))
            group.append(changes[i])
            i += 1
        end = max(end, start)
        out.append(str(escape(raw[pos:start])))
        title = "؛ ".join(f"{c['rule']}: «{_visible(c['before'])}» ← «{_visible(c['after'])}»" for c in group)
        rules = " ".join(sorted({css_label(c["rule"]) for c in group}))
        if end > start:
            invisible = " chg-invisible" if _all_invisible(raw[start:end]) else ""
            out.append(f'<mark class="chg{invisible}" data-rules="{escape(rules)}" title="{escape(title)}">'
                       f"{escape(raw[start:end])}</mark>")
        else:
            out.append(f'<mark class="chg chg-ins" data-rules="{escape(rules)}" title="{escape(title)}"></mark>')
        pos = end
    out.append(str(escape(raw[pos:])))
    return Markup("".join(out))


# Characters that are invisible on screen, shown by name in change titles.
_INVISIBLE = {"\u200c": "ZWNJ", "\u200d": "ZWJ", "\u200b": "ZWSP", "\u200e": "LRM", "\u200f": "RLM",
              "\u00a0": "NBSP", "\ufeff": "BOM", "\u0640": "ـ", " ": "␣", "\n": "⏎", "\t": "⇥"}


def _visible(s: str) -> str:
    return "".join(f"[{_INVISIBLE[c]}]" if c in _INVISIBLE and c not in ("\u0640",) else c for c in s)


def _all_invisible(s: str) -> bool:
    """True for raw text nobody can see (a lone ZWNJ, a BOM...): its mark gets a visible dot by CSS."""
    return bool(s) and all(c in ("\u200c", "\u200d", "\u200b", "\u200e", "\u200f", "\ufeff") for c in s)


def change_summary(doc: Mapping[str, Any]) -> list[tuple[str, int]]:
    """(rule, how many changes) for a document, most frequent first."""
    counts: dict[str, int] = {}
    for c in doc.get("changes") or []:
        counts[c["rule"]] = counts.get(c["rule"], 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def quote_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The quotations of a document as rows for a table: kind, speaker, content, cue."""
    rows = []
    for i, q in enumerate(doc.get("quotes") or []):
        rows.append({"index": i, "kind": q.get("kind"), "speaker": speaker_name(q),
                     "content": (q.get("content") or {}).get("text", ""),
                     "cue": (q.get("cue") or {}).get("text", "") if q.get("cue") else ""})
    return rows


def entity_rows(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Distinct entities of a document with their label and count, most frequent first."""
    counts: dict[tuple[str, str], int] = {}
    text = doc.get("text") or ""
    for e in doc.get("entities") or []:
        key = (e.get("text") or text[int(e["start"]):int(e["end"])], str(e.get("label", "")))
        counts[key] = counts.get(key, 0) + 1
    return [{"text": t, "label": lab, "count": c, "css": css_label(lab)}
            for (t, lab), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


_MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str) -> Markup:
    """A search snippet as markup: its ``<mark>`` tags kept, everything else escaped again.

    The archive already escapes snippets; unescaping and escaping each piece keeps that
    right even if a snippet were not escaped, and leaves no other tag alive.

    >>> str(safe_snippet("a <mark>b</mark> &lt;i&gt; <script>"))
    'a <mark>b</mark> &lt;i&gt; &lt;script&gt;'
    """
    out: list[str] = []
    depth = 0
    for piece in _MARK.split(snippet):
        if piece == "<mark>" and depth == 0:
            out.append(piece)
            depth = 1
        elif piece == "</mark>" and depth == 1:
            out.append(piece)
            depth = 0
        elif piece in ("<mark>", "</mark>"):
            continue
        else:
            out.append(str(escape(html.unescape(piece))))
    if depth:
        out.append("</mark>")
    return Markup("".join(out))


def http_url(url: object) -> str | None:
    """``url`` when it is an http(s) address (safe to link), else None.

    >>> http_url("https://example.com/a"), http_url("javascript:alert(1)")
    ('https://example.com/a', None)
    """
    if not isinstance(url, str):
        return None
    u = url.strip()
    return u if u.lower().startswith(("http://", "https://")) else None
