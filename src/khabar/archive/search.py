"""Search: a small query language, turned into a safe FTS5 expression.

Query syntax (what ``khabar search`` and the web search box accept):

- ``word word``: every word must match (in the title or the text);
- ``"a phrase"`` (or ``«a phrase»``): the words in this order;
- ``-word``, ``-"a phrase"``: articles without it;
- ``speaker:NAME``, ``entity:NAME``, ``agency:NAME`` (quote names with spaces:
  ``speaker:"محمدجواد ظریف"``; ``-speaker:...`` excludes), ``from:DATE``, ``to:DATE``
  (ISO or Jalali; ``1402`` and ``1402-06`` cover the whole year or month).

Words match however they are written: with a half-space, a space, joined, or
with Arabic letters (``بین‌المللی`` = ``بین المللی`` = ``بینالمللی`` = ``بين‌المللي``).
The index holds folded text with half-spaces removed (:mod:`khabar.archive.fold`).
A query word also matches its two-word spellings whose two parts occur in the
archive (``بینالمللی`` -> ``"بین المللی"``); two query words whose joined form
occurs in the archive are read as that one word, written joined or spaced
(``بین المللی`` -> ``"بین المللی" OR بینالمللی``).

User text never reaches FTS5 or SQL as syntax: every term is a quoted FTS5
string of word characters, every value a bound parameter.  Input the user
should fix raises :class:`QueryError` with a plain message.
"""

from __future__ import annotations

import bisect
import html
import re
import sqlite3
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from khabar.archive.db import holds_any, marks, sqlite_int
from khabar.archive.fold import TABLE, WORD, fold, key, key_variants
from khabar.dates import parse_bound

ZWNJ = "\u200c"
FIELDS = ("speaker", "entity", "agency", "from", "to")
OPEN_QUOTES = {'"': '"', "«": "»", "“": "”", "”": "”"}
MAX_TERMS = 32
MAX_QUERY = 1000
MAX_VARIANTS = 12


class QueryError(ValueError):
    """A query the user should fix; the message says how, in plain words."""


# ---------------------------------------------------------------------------
# parsing


@dataclass(frozen=True)
class Word:
    parts: tuple[str, ...]  # folded pieces between half-spaces (one piece for most words)

    @property
    def joined(self) -> str:
        return "".join(self.parts)


@dataclass
class Query:
    include: list[list[Word]] = field(default_factory=list)  # each: one word, or a phrase of several
    exclude: list[list[Word]] = field(default_factory=list)
    speaker: list[tuple[str, bool]] = field(default_factory=list)  # (key, negated)
    entity: list[tuple[str, bool]] = field(default_factory=list)
    agency: list[tuple[str, bool]] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None

    @property
    def has_filters(self) -> bool:
        return bool(self.speaker or self.entity or self.agency or self.date_from or self.date_to)


_KEEP_ZWNJ = {**TABLE, ord(ZWNJ): ZWNJ}
_QWORD = re.compile(r"[^\W_]+(?:\u200c+[^\W_]+)*")
_FIELD = re.compile(r"(" + "|".join(FIELDS) + r"):", re.IGNORECASE)


def query_words(text: str) -> list[Word]:
    """The words of a piece of query text, folded, each remembering its half-space pieces.

    >>> [w.parts for w in query_words("بين‌المللي AND(x")]
    [('بین', 'المللی'), ('and',), ('x',)]
    """
    folded = text.translate(_KEEP_ZWNJ).lower()
    return [Word(tuple(p for p in m.group().split(ZWNJ) if p)) for m in _QWORD.finditer(folded)]


def _read_until_space(q: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(q) and not q[j].isspace() and q[j] not in OPEN_QUOTES:
        j += 1
    return q[i:j], j


def _read_quoted(q: str, i: int) -> tuple[str, int]:
    """The text inside quotes starting at q[i]; an unclosed quote runs to the end."""
    close = OPEN_QUOTES[q[i]]
    j = q.find(close, i + 1)
    if j < 0:
        return q[i + 1:], len(q)
    return q[i + 1:j], j + 1


def parse(query: str) -> Query:
    """Parse a query string (never raises for syntax characters; only for unusable values)."""
    if not isinstance(query, str):
        raise QueryError("the query must be text")
    if len(query) > MAX_QUERY:
        raise QueryError(f"the query is too long ({len(query)} characters; at most {MAX_QUERY})")
    out = Query()
    q = query.replace("\x00", " ")
    i = 0
    while i < len(q):
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < len(q) and not q[i + 1].isspace():
            negated = True
            i += 1
            ch = q[i]
        m = _FIELD.match(q, i)
        if m and i + len(m.group()) < len(q) and not q[i + len(m.group())].isspace():
            name = m.group(1).lower()
            j = m.end()
            value, i = _read_quoted(q, j) if q[j] in OPEN_QUOTES else _read_until_space(q, j)
            _add_filter(out, name, value, negated)
            continue
        if ch in OPEN_QUOTES:
            text, i = _read_quoted(q, i)
            phrase = query_words(text)
            if phrase:
                (out.exclude if negated else out.include).append(phrase)
            continue
        text, i = _read_until_space(q, i)
        if not text:
            i += 1
        if text == "AND" and not negated:  # every word must match anyway
            continue
        for w in query_words(text):
            (out.exclude if negated else out.include).append([w])
    if len(out.include) + len(out.exclude) > MAX_TERMS:
        raise QueryError(f"too many words in the query (at most {MAX_TERMS})")
    if not out.include and not out.exclude and not out.has_filters:
        raise QueryError("nothing to search for: type one or more words"
                         if not query.strip() else
                         f"nothing to search for in {query.strip()!r}: type words (letters or digits)")
    return out


def _add_filter(out: Query, name: str, value: str, negated: bool) -> None:
    if name in ("from", "to"):
        if negated:
            raise QueryError(f"{name}: cannot be excluded with '-'")
        bound = parse_bound(value, end=(name == "to"))
        if bound is None:
            raise QueryError(f"{name}: needs a date like 2023-08-26, ۱۴۰۲-۰۶-۰۴, '۴ شهریور ۱۴۰۲', "
                             f"1402-06 or 2023; got {value!r}")
        if name == "from":
            out.date_from = bound
        else:
            out.date_to = bound
        return
    k = key(value)
    if not k:
        raise QueryError(f"{name}: needs a name, e.g. {name}:\"...\"")
    getattr(out, name).append((k, negated))


# ---------------------------------------------------------------------------
# the FTS5 expression


def _q(seq: tuple[str, ...]) -> str:
    return '"' + " ".join(seq).replace('"', '""') + '"'


class _Vocab:
    """Which terms occur in the archive (to keep split and join alternatives few and real)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known: dict[str, bool] = {}

    def load(self, terms: set[str]) -> None:
        # One MATCH ... LIMIT 1 per term reads the first page of its doclist; the fts5vocab table
        # (documents_vocab) would walk the whole doclist to count documents (~10 ms for a common word).
        for t in terms:
            if t not in self.known:
                self.known[t] = self.conn.execute(
                    "SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1", [_q((t,))]).fetchone() is not None

    def __contains__(self, term: str) -> bool:
        return self.known.get(term, False)


def _splits(word: str) -> list[tuple[str, str]]:
    return [(word[:i], word[i:]) for i in range(2, len(word) - 1)]


def _candidates(q: Query) -> set[str]:
    terms: set[str] = set()
    for group in q.include + q.exclude:
        for w in group:
            for a, b in _splits(w.joined):
                terms.update((a, b))
        for a, b in zip(group, group[1:], strict=False):
            terms.add(a.joined + b.joined)
    words = [g[0] for g in q.include if len(g) == 1]
    for a, b in zip(words, words[1:], strict=False):
        terms.add(a.joined + b.joined)
    return terms


def _word_variants(w: Word, vocab: _Vocab) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [(w.joined,)]
    if len(w.parts) > 1:
        out.append(w.parts)
    for a, b in _splits(w.joined):
        if a in vocab and b in vocab and (a, b) not in out:
            out.append((a, b))
    return out[:MAX_VARIANTS]


def _phrase_variants(words: list[Word], vocab: _Vocab) -> list[tuple[str, ...]]:
    if len(words) == 1:
        return _word_variants(words[0], vocab)
    base = [w.joined for w in words]
    out: list[tuple[str, ...]] = [tuple(base)]

    def add(seq: list[str]) -> None:
        t = tuple(seq)
        if t not in out and len(out) < MAX_VARIANTS:
            out.append(t)

    for i, w in enumerate(words):
        if len(w.parts) > 1:
            add(base[:i] + list(w.parts) + base[i + 1:])
    for i in range(len(base) - 1):
        if base[i] + base[i + 1] in vocab:
            add(base[:i] + [base[i] + base[i + 1]] + base[i + 2:])
    for i, w in enumerate(words):
        for a, b in _splits(w.joined):
            if a in vocab and b in vocab:
                add(base[:i] + [a, b] + base[i + 1:])
    return out


def _any(variants: list[tuple[str, ...]]) -> str:
    inner = " OR ".join(_q(v) for v in variants)
    return f"({inner})" if len(variants) > 1 else inner


def fts_expression(q: Query, vocab: _Vocab) -> tuple[str | None, str | None]:
    """(what must match, what must not match) as FTS5 expressions built only from quoted terms."""
    vocab.load(_candidates(q))
    parts: list[str] = []
    groups = q.include
    i = 0
    while i < len(groups):
        g = groups[i]
        if len(g) == 1 and i + 1 < len(groups) and len(groups[i + 1]) == 1:
            a, b = g[0], groups[i + 1][0]
            joined = a.joined + b.joined
            if joined in vocab:  # «بین المللی» typed for the word «بین‌المللی»: the phrase or the word
                parts.append(_any(_phrase_variants([a, b], vocab)))
                i += 2
                continue
        parts.append(_any(_phrase_variants(g, vocab)))
        i += 1
    include = " AND ".join(parts) if parts else None
    exclude = " OR ".join(_any(_phrase_variants(g, vocab)) for g in q.exclude) or None
    return include, exclude


# ---------------------------------------------------------------------------
# running it


def _filters(q: Query) -> tuple[list[str], list[Any]]:
    """Filters as SQL conditions on ``documents d`` (bound values only): (conditions, arguments).

    They match what the facet columns of documents_fts hold (names as whole folded words, dates
    as published), but as indexed lookups, so that the MATCH expression holds only text terms
    and BM25 never counts documents for a filter.
    """
    conds: list[str] = []
    args: list[Any] = []
    # (each name as typed, or with some of its spaces typed for half-spaces: key_variants)
    for k, negated in q.speaker:  # quoting a speaker whose folded name contains these words, in this order
        ks = key_variants(k)
        conds.append("d.doc " + ("NOT " if negated else "") + "IN (SELECT doc FROM quotes WHERE speaker IN "
                     f"(SELECT speaker FROM speakers WHERE {holds_any(len(ks))}))")
        args.extend(f" {v} " for v in ks)
    for k, negated in q.entity:  # mentioning exactly this folded entity text
        ks = key_variants(k)
        conds.append("d.doc " + ("NOT " if negated else "") + "IN (SELECT doc FROM entities WHERE key IN "
                     f"({marks(len(ks))}))")
        args.extend(ks)
    for k, negated in q.agency:  # from an agency whose folded name contains these words, in this order
        ks = key_variants(k)
        agencies = f"(SELECT key FROM agencies WHERE {holds_any(len(ks))})"
        conds.append(f"d.agency_key IS NULL OR d.agency_key NOT IN {agencies}" if negated else
                     f"d.agency_key IN {agencies}")
        args.extend(f" {v} " for v in ks)
    if q.date_from or q.date_to:
        conds.append("length(d.published) = 10 AND d.published BETWEEN ? AND ?")
        args.extend([q.date_from or "0000-00-00", q.date_to or "9999-99-99"])
    return conds, args


RANK_WINDOW = 10_000
BM25 = "bm25(documents_fts, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0)"  # title x3; the facet columns do not rank


def search(conn: sqlite3.Connection, query: str, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Ranked articles for ``query``: ``{"query", "total", "results": [{"id", "title", "url",
    "published", "snippet", "score"}]}``; ``snippet`` is HTML with ``<mark>`` around matches.

    Ranking is BM25 (title x3).  When the query matches more than ``RANK_WINDOW`` articles, the
    ranking considers the ``RANK_WINDOW`` most recently stored of them (``total`` still counts all).
    """
    q = parse(query)
    limit = max(0, min(int(limit), 1000))
    offset = sqlite_int(offset)
    vocab = _Vocab(conn)
    include, exclude = fts_expression(q, vocab)
    try:
        conds, args = _filters(q)
        if include:
            match = "{title body} : (" + include + ")"
            if exclude:
                match = f"({match}) NOT ({{title body}} : ({exclude}))"
            one_term = not exclude and not conds and include.count('"') == 2 and " " not in include
            total, rows = _ranked(conn, match, conds, args, limit, offset, one_term)
        else:  # filters or exclusions only: newest first
            if exclude:
                conds = [*conds, "d.doc NOT IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"]
                args = [*args, "{title body} : (" + exclude + ")"]
            where = " AND ".join(f"({c})" for c in conds)
            total = conn.execute(f"SELECT count(*) FROM documents d WHERE {where}", args).fetchone()[0]
            rows = conn.execute(f"SELECT d.doc, 0.0 FROM documents d WHERE {where} ORDER BY d.published DESC, "
                                f"d.doc DESC LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
        page = _page(conn, [r[0] for r in rows])
    except sqlite3.OperationalError as e:  # should not happen: report plainly, never as SQL
        raise QueryError(f"this query could not be run ({e}); try fewer or simpler words") from None
    patterns = _highlight_patterns(q, vocab)
    results = []
    for num, score in rows:
        r = page[num]
        results.append({"id": r["id"], "title": r["title"], "url": r["url"], "published": r["published"],
                        "snippet": snippet(r["text"], patterns), "score": round(-float(score), 4) or 0.0})
    return {"query": query, "total": total, "results": results}


def _ranked(conn: sqlite3.Connection, match: str, conds: list[str], args: list[Any], limit: int,
            offset: int, one_term: bool = False) -> tuple[int, list[tuple[int, float]]]:
    """(total, [(doc, bm25)]) for a text MATCH and the filters' SQL conditions on documents d.

    ``one_term``: the MATCH is one word (FTS5 counts its matches without reading positions).
    """
    source, where = "documents_fts", "documents_fts MATCH ?"
    if conds:  # the text match drives, checked against the filtered documents (an indexed set built once;
        # the unary + keeps FTS5 from looking the set's rowids up one by one)
        where += " AND +rowid IN (SELECT d.doc FROM documents d WHERE " + " AND ".join(f"({c})" for c in conds) + ")"
    margs = [match, *args]
    cur = conn.cursor()
    cur.row_factory = None  # plain tuples: cheaper to fetch
    if one_term:  # count first (almost free), then rank in SQL within the window
        total = cur.execute(f"SELECT count(*) FROM {source} WHERE {where}", margs).fetchone()[0]
        if total > RANK_WINDOW and offset + limit <= RANK_WINDOW:
            floor = cur.execute(f"SELECT rowid FROM {source} WHERE {where} ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                                [*margs, RANK_WINDOW - 1]).fetchone()[0]
            where += " AND rowid >= ?"
            margs.append(floor)
    elif offset + limit <= RANK_WINDOW:
        # One pass over the RANK_WINDOW most recent matches (FTS5 reads rowids in descending order, so the
        # LIMIT stops it there), ranked here; a count only when there are more matches than that.
        recent = cur.execute(f"SELECT rowid, {BM25} FROM {source} WHERE {where} ORDER BY rowid DESC LIMIT ?",
                             [*margs, RANK_WINDOW + 1]).fetchall()
        if len(recent) <= RANK_WINDOW:
            total = len(recent)
        else:
            del recent[RANK_WINDOW:]  # and count only the older ones
            total = RANK_WINDOW + cur.execute(f"SELECT count(*) FROM {source} WHERE {where} AND rowid < ?",
                                              [*margs, recent[-1][0]]).fetchone()[0]
        recent.sort(key=lambda r: r[1])  # stable: equal scores stay newest first
        return total, recent[offset:offset + limit]
    else:
        total = cur.execute(f"SELECT count(*) FROM {source} WHERE {where}", margs).fetchone()[0]
    rows = cur.execute(f"SELECT rowid, {BM25} AS s FROM {source} WHERE {where} ORDER BY s LIMIT ? OFFSET ?",
                       [*margs, limit, offset]).fetchall()
    return total, rows


def _page(conn: sqlite3.Connection, nums: list[int]) -> dict[int, sqlite3.Row]:
    if not nums:
        return {}
    marks = ",".join("?" * len(nums))
    return {r["doc"]: r for r in conn.execute(
        f"SELECT d.doc, d.id, d.title, d.url, d.published, t.text FROM documents d JOIN document_texts t "
        f"USING (doc) WHERE d.doc IN ({marks})", nums)}


# ---------------------------------------------------------------------------
# snippets


def _highlight_patterns(q: Query, vocab: _Vocab) -> re.Pattern[str] | None:
    vocab.load(_candidates(q))  # already loaded by fts_expression: no new lookups
    seqs: set[tuple[str, ...]] = set()
    for g in q.include:
        seqs.update(_phrase_variants(g, vocab))
    for g, h in zip(q.include, q.include[1:], strict=False):
        if len(g) == len(h) == 1:
            seqs.update(_phrase_variants([g[0], h[0]], vocab))
    return _compile(tuple(sorted(seqs, key=lambda s: (-sum(map(len, s)), s))))


@lru_cache(maxsize=256)
def _compile(seqs: tuple[tuple[str, ...], ...]) -> re.Pattern[str] | None:
    if not seqs:
        return None
    alts = [r"[\W_]+".join(re.escape(t) for t in seq) for seq in seqs]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alts) + r")(?![^\W_])")


_REMOVED = re.compile("[" + re.escape("".join(chr(c) for c, v in TABLE.items() if v is None)) + "]")
_EXPANDING = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\u0130]")
SNIPPET_CHARS = 220
CHUNK = 4000


def _folded_to_raw(text: str) -> tuple[str, Any]:
    """Folded text and a function from folded offsets to offsets in ``text``."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, lambda k: k
    if _EXPANDING.search(text):
        from khabar.archive.fold import fold_with_offsets

        folded, where = fold_with_offsets(text)
        return folded, lambda k: where[k] if k < len(where) else len(text)
    shifted = [m.start() - j for j, m in enumerate(_REMOVED.finditer(text))]

    def to_raw(k: int) -> int:
        return k + bisect.bisect_right(shifted, k)

    return folded, to_raw


def snippet(text: str, pattern: re.Pattern[str] | None, width: int = SNIPPET_CHARS) -> str:
    """A short HTML excerpt of ``text`` around the best cluster of matches, matches in ``<mark>``.

    >>> snippet("در نشست بين‌المللي <تهران> گفت", _compile((("بینالمللی",),)))
    'در نشست <mark>بين\u200cالمللي</mark> &lt;تهران&gt; گفت'
    """
    full = text
    base = 0
    while True:  # long texts are folded a piece at a time, until a piece has a match
        end = len(text) if len(text) - base <= 2 * CHUNK else _word_end(text, base + CHUNK + 200)
        piece = text[base:end]
        folded, to_raw = _folded_to_raw(piece)
        matches = [(m.start(), m.end()) for m in pattern.finditer(folded)] if pattern else []
        if matches or end >= len(text):
            break
        base = _word_start(text, end - 200)
    if not matches:
        cut = _word_end(text, min(len(text), width))
        return _render(text, 0, cut, [])
    text = piece
    best, best_n = 0, 0
    for i, (s, _e) in enumerate(matches[:200]):
        n = len({folded[a:b] for a, b in matches[i:i + 50] if b <= s + width})
        if n > best_n:
            best, best_n = i, n
    start_f = matches[best][0]
    lead = width // 4
    a = _word_start(text, to_raw(max(0, start_f - lead)))
    b = _word_end(text, min(len(text), a + width))
    spans: list[tuple[int, int]] = []
    for s, e in matches:
        rs, re_ = to_raw(s), to_raw(e - 1) + 1
        if rs >= a and re_ <= b:
            if spans and _JOINABLE.fullmatch(text[spans[-1][1]:rs]):
                spans[-1] = (spans[-1][0], re_)  # «بین» «المللی» -> one mark
            else:
                spans.append((rs, re_))
    return _render(text, a, b, spans, base, base + len(piece) < len(full))


_JOINABLE = re.compile(r"[ \u200c]{0,2}")


def _word_start(text: str, i: int) -> int:
    if i <= 0:
        return 0
    j = text.rfind(" ", 0, i)
    return j + 1 if j >= 0 and i - j < 30 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    j = text.find(" ", i)
    return j if 0 <= j and j - i < 30 else i


_SPACES = re.compile(r"\s+")


def _render(text: str, a: int, b: int, spans: list[tuple[int, int]], base: int = 0, more: bool = False) -> str:
    out = ["… " if a + base > 0 else ""]
    pos = a
    for s, e in spans:
        out.append(html.escape(_SPACES.sub(" ", text[pos:s])))
        out.append("<mark>" + html.escape(_SPACES.sub(" ", text[s:e])) + "</mark>")
        pos = e
    out.append(html.escape(_SPACES.sub(" ", text[pos:b])))
    if b < len(text) or more:
        out.append(" …")
    return "".join(out)


def search_terms(query: str) -> list[str]:
    """The folded words of a query (for callers that highlight on their own)."""
    return [w.joined for g in parse(query).include for w in g]


__all__ = ["QueryError", "parse", "search", "snippet", "search_terms", "WORD"]
