"""`khabar serve`: every page and API route, escaping, limits, and concurrency (TestClient)."""

from __future__ import annotations

import json
import re
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():  # newer Starlette suggests httpx2; httpx still works
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient  # noqa: E402

from khabar.document import Document, Entity, Quote, Source, Span, Speaker  # noqa: E402
from khabar.text.normalizer import NormalizerConfig, normalize_with_alignment  # noqa: E402

ZARIF = "محمدجواد ظریف"

# Built here (not from a corpus): one article with entities and quotations, written with
# Arabic letters and a missing half-space so that the normalizer has changes to show.
ARTICLE_RAW = ("به گزارش خبرگزاری ایرنا، محمدجواد ظریف وزير امور خارجه روز دوشنبه در تهران گفت: "
               "«مذاكرات با اتحادیه اروپا ادامه دارد.» او افزود که ایران آماده همکاری است.\n"
               "این سفر دو روز طول می کشد.")
HOSTILE_TITLE = "<script>alert('title')</script> خبر <img src=x onerror=alert(1)>"
HOSTILE_RAW = "متن <script>alert('x')</script> و <img src=x onerror=alert(2)> در تهران گفت: «<b>سلام</b>»"


def normalized(raw: str, meta: dict[str, Any], doc_id: str) -> Document:
    """A Document normalized by the rule-based normalizer (no half-space model: these tests are about pages)."""
    config = NormalizerConfig.from_options(halfspace=False)
    text, alignment, changes = normalize_with_alignment(raw, config, explain=True)
    return Document(raw=raw, text=text, alignment=alignment, id=doc_id, meta=meta, changes=changes)


def _span(doc: Document, needle: str, after: int = 0) -> Span:
    start = doc.text.index(needle, after)
    return Span(start, start + len(needle))


def article_document(**meta: Any) -> Document:
    """A normalized document with hand-placed entities and quotations."""
    doc = normalized(ARTICLE_RAW, {"title": "ظریف: مذاکرات با اروپا ادامه دارد", "url": "https://example.com/news/1",
                                   "published": "2024-03-04", "agency": "ایرنا", **meta}, "zarif-1")
    assert doc.changes, "the sample must give the normalizer something to change"

    def ent(needle: str, label: str) -> Entity:
        s = _span(doc, needle)
        return Entity(s.start, s.end, label)

    doc.entities = sorted([ent("ایرنا", "ORG"), ent(ZARIF, "PER"), ent("تهران", "LOC"),
                           ent("اتحادیه اروپا", "ORG"), ent("ایران", "LOC")], key=lambda e: e.start)
    per = next(i for i, e in enumerate(doc.entities) if e.label == "PER")
    doc.quotes = [
        Quote("direct", _span(doc, "مذاکرات با اتحادیه اروپا ادامه دارد."), _span(doc, "گفت"),
              Speaker(_span(doc, ZARIF), ZARIF, per)),
        Quote("indirect", _span(doc, "ایران آماده همکاری است"), _span(doc, "افزود"),
              Speaker(Span(doc.text.index("او افزود"), doc.text.index("او افزود") + 2), ZARIF, per)),
    ]
    doc.source = Source(agency="ایرنا", reporter=None, cited=[])
    return doc


def hostile_document() -> Document:
    doc = normalized(HOSTILE_RAW, {"title": HOSTILE_TITLE, "url": "javascript:alert(3)", "published": "2024-05-01"},
                     "hostile")
    s = _span(doc, "<script>")
    t = _span(doc, "تهران")
    doc.entities = [Entity(s.start, s.end, "PRODUCT"), Entity(t.start, t.end, "LOC")]
    doc.quotes = [Quote("direct", _span(doc, "<b>سلام</b>"), _span(doc, "گفت"),
                        Speaker(None, "<img src=y onerror=alert(4)>", None))]
    return doc


def _find(doc: Document, needle: str) -> Span:
    """The span of ``needle`` in doc.text; ``needle#2`` is its second occurrence."""
    text, _, nth = needle.partition("#")
    pos = -1
    for _ in range(int(nth or 1)):
        pos = doc.text.index(text, pos + 1)
    return Span(pos, pos + len(text))


def annotated(raw: str, meta: dict[str, Any], doc_id: str, entities: list[tuple[str, str]],
              quotes: list[tuple[str, str, str, str, str]]) -> Document:
    """A document with entities ``(needle, label)`` and quotations ``(kind, content, cue, mention, name)``."""
    doc = normalized(raw, meta, doc_id)
    doc.entities = sorted((Entity(s.start, s.end, label) for s, label in ((_find(doc, n), lab) for n, lab in entities)),
                          key=lambda e: e.start)
    starts = {e.start: i for i, e in enumerate(doc.entities)}
    for kind, content, cue, mention, name in quotes:
        m = _find(doc, mention)
        doc.quotes.append(Quote(kind, _find(doc, content), _find(doc, cue), Speaker(m, name, starts.get(m.start))))
    doc.source = Source(agency=meta.get("agency"))
    return doc


def demo_documents() -> list[Document]:
    """A few more annotated articles (other speakers, labels and dates) for the browser test and screenshots."""
    return [
        annotated("به گزارش ایسنا، عباس عراقچی معاون وزیر امور خارجه در نشست خبری در تهران گفت: "
                  "«گفت\u200cوگوها با اروپا سازنده بود.» وی همچنین گفت که نشست بعدی در ژنو برگزار می شود.",
                  {"title": "عراقچی: گفت‌وگوها با اروپا سازنده بود", "published": "2024-03-06", "agency": "ایسنا",
                   "url": "https://example.com/news/2"}, "araghchi-1",
                  [("ایسنا", "ORG"), ("عباس عراقچی", "PER"), ("تهران", "LOC"), ("اروپا", "LOC"), ("ژنو", "LOC")],
                  [("direct", "گفت\u200cوگوها با اروپا سازنده بود.", "گفت", "عباس عراقچی", "عباس عراقچی"),
                   ("indirect", "نشست بعدی در ژنو برگزار می شود", "گفت#3", "وی", "عباس عراقچی")]),
        annotated("به گزارش خبرگزاری مهر، محمدجواد ظریف در کنفرانس امنیتی مونیخ گفت: «تحریم ها باید برداشته شود.»",
                  {"title": "ظریف در مونیخ: تحریم‌ها باید برداشته شود", "published": "2024-02-17", "agency": "مهر"},
                  "zarif-2", [("مهر", "ORG"), (ZARIF, "PER"), ("کنفرانس امنیتی مونیخ", "EVENT")],
                  [("direct", "تحریم ها باید برداشته شود.", "گفت", ZARIF, ZARIF)]),
        annotated("بانک مرکزی اعلام کرد نرخ تورم در دی ماه به ۳۵ درصد رسید. محمدرضا فرزین رئیس کل بانک مرکزی "
                  "گفت: «بازار ارز آرام است.»",
                  {"title": "تورم دی ماه ۳۵ درصد شد", "published": "2024-01-15", "agency": "ایرنا"}, "inflation-1",
                  [("بانک مرکزی", "ORG"), ("دی ماه", "DATE"), ("۳۵ درصد", "PERCENT"), ("محمدرضا فرزین", "PER"),
                   ("بانک مرکزی#2", "ORG")],
                  [("indirect", "نرخ تورم در دی ماه به ۳۵ درصد رسید", "اعلام کرد", "بانک مرکزی", "بانک مرکزی"),
                   ("direct", "بازار ارز آرام است.", "گفت", "محمدرضا فرزین", "محمدرضا فرزین")]),
    ]


def filler_documents(n: int) -> list[Document]:
    """Plain articles (no annotations) that all contain the word «بودجه»."""
    docs = []
    for i in range(n):
        raw = f"گزارش شماره {i} دربارهٔ بودجه سال آینده و هزینه های دولت در استان {i % 5}."
        docs.append(normalized(raw, {"title": f"بودجه {i}", "published": f"2023-{1 + i % 12:02d}-10",
                                     "agency": "ایسنا" if i % 2 else "مهر"}, f"budget/{i}"))
    return docs


def build_archive(path: Path, docs: list[Document]) -> Path:
    """Store hand-built documents through the archive's own Store (as ingest does)."""
    from khabar.archive.db import connect
    from khabar.archive.ingest import Store

    conn = connect(str(path))
    try:
        conn.execute("BEGIN IMMEDIATE")
        store = Store(conn)
        for doc in docs:
            store.put(doc, digest="test:" + str(doc.id))
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """A real uvicorn on 127.0.0.1 with a random port, serving the archive ``db``; yields its base URL."""
    import uvicorn

    from khabar.web.app import create_app

    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "archive.db"
    return build_archive(path, [article_document(), hostile_document(), *demo_documents(), *filler_documents(45)])


@pytest.fixture(scope="module")
def client(archive: Path) -> TestClient:
    from khabar.web.app import create_app

    return TestClient(create_app(archive))


# -- pages ----------------------------------------------------------------


def test_search_page_is_persian_rtl_with_csp(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="fa" dir="rtl">' in r.text
    assert 'name="viewport"' in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert ZARIF in r.text  # the most frequent speakers are listed on the front page


def test_search_page_ranks_highlights_and_paginates(client: TestClient) -> None:
    r = client.get("/", params={"q": "بودجه"})
    assert r.status_code == 200
    assert r.text.count('class="result"') == 20
    assert "<mark>" in r.text
    assert 'rel="next"' in r.text and 'rel="prev"' not in r.text
    last = client.get("/", params={"q": "بودجه", "page": 3})
    assert last.text.count('class="result"') == 45 - 40
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text


def test_search_page_filters(client: TestClient) -> None:
    by_agency = client.get("/", params={"q": "بودجه", "agency": "مهر"})
    assert by_agency.status_code == 200
    assert by_agency.text.count('class="result"') == 20  # 23 of the 45 are from مهر
    api = client.get("/api/search", params={"q": "بودجه", "agency": "مهر", "limit": 100}).json()
    assert api["total"] == 23
    dated = client.get("/api/search", params={"q": "بودجه", "from": "2023-03-01", "to": "2023-03-31"}).json()
    assert dated["total"] == 4 and all(r["published"].startswith("2023-03") for r in dated["results"])
    by_speaker = client.get("/api/search", params={"speaker": ZARIF}).json()
    assert [r["id"] for r in by_speaker["results"]] == ["zarif-1", "zarif-2"]  # no words: newest first
    by_entity = client.get("/api/search", params={"q": "گفت", "entity": "تهران"}).json()
    assert {r["id"] for r in by_entity["results"]} == {"zarif-1", "hostile", "araghchi-1"}
    both = client.get("/api/search", params={"speaker": ZARIF, "agency": "مهر"}).json()
    assert [r["id"] for r in both["results"]] == ["zarif-2"]
    nothing = client.get("/api/search", params={"q": "بودجه", "speaker": ZARIF}).json()
    assert nothing["total"] == 0


def test_search_page_bad_query_is_400_with_message(client: TestClient) -> None:
    r = client.get("/", params={"q": "((("})
    assert r.status_code == 400 and 'class="error"' in r.text and "(((" in r.text
    bad_date = client.get("/", params={"q": "بودجه", "from": "yesterday"})
    assert bad_date.status_code == 400 and "yesterday" in bad_date.text


def test_article_page_marks_entities_quotes_and_raw_changes(client: TestClient) -> None:
    r = client.get("/documents/zarif-1")
    assert r.status_code == 200
    html = r.text
    assert f'class="ent ent-PER" href="/entities/{quote(ZARIF, safe="")}?label=PER"' in html
    assert 'class="ent ent-LOC"' in html and 'class="ent ent-ORG"' in html
    # The direct quotation is marked, carries its speaker, and links to the speaker page.
    assert re.search(r'<q class="quote quote-direct" id="q0" data-speaker="' + ZARIF, html)
    assert f'<a class="who" href="/speakers/{quote(ZARIF, safe="")}" data-name="{ZARIF}"' in html
    assert 'class="quote quote-indirect"' in html
    # The raw view marks each normalizer change at its raw span.
    doc = client.get("/api/documents/zarif-1").json()
    marks = re.findall(r'<mark class="chg[^"]*" data-rules="[^"]*" title="[^"]*">([^<]*)</mark>', html)
    assert marks and len(marks) <= len(doc["changes"])
    assert "وزير" not in doc["text"] and "ي" in "".join(marks)
    # Both views hold their text exactly (the marks are tags only).
    views = re.findall(r'<div class="text( raw)?" lang="fa">(.*?)</div>', html, flags=re.S)
    assert ["".join(_parse(v).text) for _, v in views] == [doc["text"], doc["raw"]]
    assert 'id="rawswitch"' in html


def test_article_page_missing_is_404(client: TestClient) -> None:
    r = client.get("/documents/no-such-id")
    assert r.status_code == 404
    assert 'dir="rtl"' in r.text


def test_hostile_article_renders_as_text(client: TestClient) -> None:
    r = client.get("/documents/hostile")
    assert r.status_code == 200
    html = r.text
    for bad in ("<script>alert", "<img src=x", "<img src=y", "<b>سلام", "javascript:alert"):
        assert bad not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # from the title
    assert "&lt;img src=x onerror=alert(" in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")  # from the text
    assert "&lt;b&gt;سلام&lt;/b&gt;" in html
    # Search results and the speaker page escape it too.
    s = client.get("/", params={"q": "alert"})
    assert s.status_code == 200 and "<script>alert" not in s.text and "<img src" not in s.text
    who = client.get("/speakers/" + quote("<img src=y onerror=alert(4)>", safe=""))
    assert who.status_code == 200 and "<img src=y" not in who.text and "&lt;b&gt;سلام" in who.text


def test_speaker_page_lists_quotes_newest_first(client: TestClient) -> None:
    r = client.get("/speakers/" + quote(ZARIF, safe=""))
    assert r.status_code == 200
    assert r.text.count("<blockquote") == 3
    assert "مذاکرات با اتحادیه اروپا ادامه دارد." in r.text
    assert r.text.index("/documents/zarif-1") < r.text.index("/documents/zarif-2")  # 2024-03-04 before 2024-02-17
    assert client.get("/speakers").status_code == 200
    unknown = client.get("/speakers/" + quote("کسی دیگر", safe=""))
    assert unknown.status_code == 404 and "<blockquote" not in unknown.text and "«کسی دیگر»" in unknown.text


def test_an_unknown_label_is_a_bad_request(client: TestClient) -> None:
    r = client.get("/api/entities/" + quote("تهران", safe=""), params={"label": "FOO"})
    assert r.status_code == 400 and r.json()["detail"].startswith("unknown label 'FOO': one of PER, ORG, LOC")
    assert client.get("/entities/" + quote("تهران", safe=""), params={"label": "FOO"}).status_code == 400
    assert client.get("/api/entities/" + quote("تهران", safe=""), params={"label": "loc"}).json()["documents"]


@pytest.mark.parametrize("body, said", [
    (b"text=abc", "the body is not JSON (Expecting value)"),
    (b'{"text": ', "the body is not JSON (Expecting value)"),
    (b'["abc"]', "the body is not a JSON object"),
    (b"", "no body"),
])
def test_analyze_a_body_that_is_not_a_json_object(client: TestClient, body: bytes, said: str) -> None:
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json() == {"detail": f'{said}: send a JSON object such as {{"text": "..."}}'}


def test_entity_page_lists_articles_and_speakers(client: TestClient) -> None:
    r = client.get("/entities/" + quote("تهران", safe=""), params={"label": "LOC"})
    assert r.status_code == 200
    assert r.text.count("/documents/") == 3
    assert all(f"/documents/{i}" in r.text for i in ("zarif-1", "hostile", "araghchi-1"))
    assert f"/speakers/{quote(ZARIF, safe='')}" in r.text and f"/speakers/{quote('عباس عراقچی', safe='')}" in r.text
    narrowed = client.get("/entities/" + quote("تهران", safe=""), params={"label": "ORG"})
    assert narrowed.status_code == 200 and "/documents/" not in narrowed.text


def test_analyze_page_shows_the_analysis_and_stores_nothing(client: TestClient, archive: Path) -> None:
    assert client.get("/analyze").status_code == 200
    before = client.get("/api/stats").json()["documents"]
    r = client.post("/analyze", data={"text": "كتاب هاي <i>جديد</i> در تهران"})
    assert r.status_code == 200
    assert "کتاب" in r.text and "جدید" in r.text and "&lt;i&gt;" in r.text and "<i>" not in r.text
    assert 'class="chg' in r.text
    assert client.get("/api/stats").json()["documents"] == before
    assert client.post("/analyze", data={"text": "  "}).status_code == 400


# -- JSON API -------------------------------------------------------------


def test_api_search_matches_search_json(client: TestClient, archive: Path) -> None:
    from khabar.archive.db import connect
    from khabar.archive.search import search

    r = client.get("/api/search", params={"q": "بودجه", "limit": 5, "offset": 5})
    assert r.status_code == 200
    conn = connect(str(archive), readonly=True)
    try:
        expected = search(conn, "بودجه", limit=5, offset=5)
    finally:
        conn.close()
    assert r.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    assert set(r.json()["results"][0]) >= {"id", "title", "url", "published", "snippet", "score"}


def test_api_search_past_every_result_is_empty_not_500(client: TestClient) -> None:
    # an offset past SQLite's 64-bit integers was an OverflowError (500): it is past every result
    speaker = client.get("/api/speakers").json()["speakers"][0]["name"]
    for offset in (9223372036854775808, 10 ** 20):
        r = client.get("/api/search", params={"q": "بودجه", "offset": offset})
        assert r.status_code == 200 and r.json()["results"] == [] and r.json()["total"] > 0
        r = client.get(f"/api/speakers/{speaker}/quotes", params={"offset": offset})
        assert r.status_code == 200 and r.json()["quotes"] == []


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "  "}, {"q": "بودجه", "limit": 0},
                                    {"q": "بودجه", "limit": "many"}, {"q": "بودجه", "offset": -1},
                                    {"q": "x", "to": "2024-13-99x"}])
def test_api_search_bad_requests_are_400(client: TestClient, params: dict[str, Any]) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 400, r.text
    assert r.json()["detail"]


def test_ids_and_names_with_slashes(client: TestClient) -> None:
    assert client.get("/api/documents/budget/3").json()["id"] == "budget/3"
    page = client.get("/documents/budget/3")
    assert page.status_code == 200 and "<h1>بودجه 3</h1>" in page.text
    listed = client.get("/", params={"q": "بودجه"}).text
    assert 'href="/documents/budget/' in listed
    assert client.get("/api/speakers/" + quote("a/b", safe="") + "/quotes").json()["quotes"] == []
    assert client.get("/entities/" + quote("a/b", safe="")).status_code == 200


def test_api_document(client: TestClient) -> None:
    doc = client.get("/api/documents/zarif-1").json()
    assert doc["schema"] == "khabar.document/1"
    assert [e["label"] for e in doc["entities"]].count("PER") == 1
    assert doc["quotes"][0]["speaker"]["name"] == ZARIF
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")


def test_api_speaker_quotes(client: TestClient) -> None:
    r = client.get(f"/api/speakers/{quote(ZARIF, safe='')}/quotes")
    assert r.status_code == 200
    quotes = r.json()["quotes"]
    assert [q["doc_id"] for q in quotes] == ["zarif-1", "zarif-1", "zarif-2"]
    assert [q["published"] for q in quotes] == sorted((q["published"] for q in quotes), reverse=True)
    assert {q["kind"] for q in quotes} == {"direct", "indirect"}
    assert client.get("/api/speakers/nobody/quotes").json()["quotes"] == []


def test_api_analyze(client: TestClient) -> None:
    import khabar

    r = client.post("/api/analyze", json={"text": ARTICLE_RAW, "title": "<i>t</i>"})
    assert r.status_code == 200
    doc = r.json()
    expected = khabar.analyze(ARTICLE_RAW, meta={"title": "<i>t</i>"}).to_dict()
    assert doc == json.loads(json.dumps(expected, ensure_ascii=False))
    assert doc["schema"] == "khabar.document/1" and doc["changes"] and "ي" not in doc["text"]
    assert client.post("/api/analyze", json={"txt": "x"}).status_code == 400
    assert client.post("/api/analyze", content=b"not json", headers={"content-type": "application/json"}
                       ).status_code == 400


def test_api_analyze_refuses_bodies_over_1mb(client: TestClient) -> None:
    big = json.dumps({"text": "ا" * (600 * 1024)})  # about 1.2 MB in UTF-8
    r = client.post("/api/analyze", content=big.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    chunked = client.post("/api/analyze", content=iter([big.encode()[:700_000], big.encode()[700_000:]]),
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413
    assert client.post("/analyze", data={"text": "ا" * (1 << 20)}).status_code == 413


def test_openapi_lists_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents/{doc_id}", "/api/speakers/{name}/quotes", "/api/analyze"):
        assert path in spec["paths"]
    assert "/" not in spec["paths"]
    assert all("422" not in op["responses"] for ops in spec["paths"].values() for op in ops.values())
    assert "400" in spec["paths"]["/api/search"]["get"]["responses"]


def test_api_answers_match_their_documented_shapes(client: TestClient) -> None:
    from khabar.web import models

    models.SearchResult.model_validate(client.get("/api/search", params={"q": "گفت"}).json())
    models.DocumentJSON.model_validate(client.get("/api/documents/zarif-1").json())
    models.SpeakerQuotes.model_validate(client.get(f"/api/speakers/{quote(ZARIF, safe='')}/quotes").json())
    models.Speakers.model_validate(client.get("/api/speakers").json())
    models.EntityOverview.model_validate(client.get("/api/entities/" + quote("تهران", safe="")).json())
    page = client.get("/documents/zarif-1")
    assert page.headers["link"] == '</api/documents/zarif-1>; rel="alternate"; type="application/json"'
    raw_first = client.get("/documents/zarif-1", params={"view": "raw"}).text
    assert 'id="rawswitch" class="switch-input" checked' in raw_first


def test_static_css(client: TestClient) -> None:
    r = client.get("/static/style.css")
    assert r.status_code == 200 and "direction" not in r.headers.get("content-type", "") and ".ent-PER" in r.text


# -- concurrency ----------------------------------------------------------

HOSTILE_QUERIES = ['"', "AND", "OR OR", "NOT", "(", ")", "*", "^", "NEAR(", "title:", "body:x", "{a b}", "a:b:c",
                   '"unterminated', "ایران AND", "-", "+", "'; DROP TABLE documents; --", "\x00", "\\", "%", "?",
                   "NEAR(ایران روسیه, -1)", "col:*", "بودجه*", "*بودجه", "«»", "ـ", "\u200c", "a" * 2000]


@pytest.mark.parametrize("server", ["testclient", "uvicorn"])
def test_200_concurrent_searches_answer_200_or_400(archive: Path, server: str) -> None:
    """200 searches, 16 at a time, a third plain and the rest hostile syntax, on pages and the API."""
    import httpx

    from khabar.web.app import create_app

    queries = [HOSTILE_QUERIES[i % len(HOSTILE_QUERIES)] if i % 3 else "بودجه" for i in range(200)]
    local = threading.local()
    with ExitStack() as stack:
        if server == "uvicorn":
            base = stack.enter_context(serving(archive))

            def new_client() -> httpx.Client:
                return httpx.Client(base_url=base, timeout=60)
        else:
            app = create_app(archive)

            def new_client() -> httpx.Client:
                return TestClient(app)

        def one(q: str) -> tuple[str, int, bool]:
            if not hasattr(local, "client"):
                local.client = stack.enter_context(new_client())
            path = "/api/search" if len(q) % 2 else "/"
            r = local.client.get(path, params={"q": q})
            return q, r.status_code, r.status_code == 200 and q == "بودجه" and "بودجه" in r.text

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(one, queries))
    assert not [(q, status) for q, status, _ in answers if status not in (200, 400)]
    assert sum(found for _, _, found in answers) == 67  # every plain «بودجه» search found its articles


# -- the command ----------------------------------------------------------


def test_serve_command_is_registered_and_checks_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from khabar.cli import build_parser, main

    args = build_parser().parse_args(["serve", "--db", "x.db"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no such archive" in capsys.readouterr().err
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    assert main(["serve", "--db", str(junk)]) == 2
    assert "cannot open" in capsys.readouterr().err


def test_serve_says_a_port_in_use_and_announces_nothing(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from khabar.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--db", str(archive), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err == f"khabar: cannot serve on http://127.0.0.1:{port}/: Address already in use\n"


def test_serve_announces_its_address_once_it_listens(archive: Path) -> None:
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:  # a port free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "khabar.cli", "serve", "--db", str(archive), "--port", str(port)],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline() == f"khabar: serving {archive} on http://127.0.0.1:{port}/ (Ctrl-C stops)\n"
        # no wait and no retry: the address is announced once connections to it are taken
        assert httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=60).json()["documents"] > 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- rendering: properties ------------------------------------------------

class _Tags(HTMLParser):
    """Text content and tag nesting of an HTML fragment (raises on a mis-nested end tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.marks: list[tuple[int, int]] = []  # text offsets of <mark> elements
        self._mark_start: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)
        if tag == "mark":
            self._mark_start = len("".join(self.text))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"mis-nested </{tag}>"
        if tag == "mark" and self._mark_start is not None:
            self.marks.append((self._mark_start, len("".join(self.text))))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Tags:
    p = _Tags()
    p.feed(fragment)
    p.close()
    assert not p.stack, f"unclosed {p.stack}"
    return p


PERSIAN_BITS = st.sampled_from(list("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكة ۰۱۲3<>&\"'«»\u200c\u064b\n") + ["می ", "ها", "<b>"])


@given(text=st.lists(PERSIAN_BITS, min_size=1, max_size=60).map("".join), data=st.data())
@settings(max_examples=150, deadline=None)
def test_annotated_text_keeps_the_text_exactly(text: str, data: st.DataObject) -> None:
    """Whatever spans (overlapping, nested, crossing quotations), the page text is doc.text, well nested."""
    from khabar.web.render import annotated_text

    n = len(text)
    span = st.tuples(st.integers(0, n), st.integers(0, n)).map(sorted).filter(lambda s: s[0] < s[1])

    def sd(s: list[int]) -> dict[str, Any]:
        return {"start": s[0], "end": s[1], "text": text[s[0]:s[1]]}

    entities = [{**sd(s), "label": lab} for s, lab in data.draw(st.lists(
        st.tuples(span, st.sampled_from(["PER", "ORG", "LOC", "X<y"])), max_size=6))]
    quotes = [{"kind": k, "content": sd(c), "cue": sd(u) if u else None,
               "speaker": {"mention": sd(m) if m else None, "name": name, "entity": None}}
              for k, c, u, m, name in data.draw(st.lists(st.tuples(
                  st.sampled_from(["direct", "indirect"]), span, st.none() | span, st.none() | span,
                  st.none() | st.text(max_size=5)), max_size=3))]
    parsed = _parse(str(annotated_text({"text": text, "entities": entities, "quotes": quotes})))
    assert "".join(parsed.text) == text


@given(raw=st.lists(PERSIAN_BITS, min_size=0, max_size=60).map("".join))
@settings(max_examples=150, deadline=None)
def test_raw_view_marks_every_change_at_its_raw_span(raw: str) -> None:
    """The raw view is doc.raw exactly, with a mark over each (merged) change span of the normalizer."""
    from khabar.web.render import raw_with_changes

    _, _, changes = normalize_with_alignment(raw, NormalizerConfig.from_options(halfspace=False), explain=True)
    doc = {"raw": raw, "changes": [{"rule": c.rule, "raw_start": c.raw_start, "raw_end": c.raw_end,
                                    "before": c.before, "after": c.after} for c in changes]}
    parsed = _parse(str(raw_with_changes(doc)))
    assert "".join(parsed.text) == raw
    covered = set()
    for start, end in parsed.marks:
        covered.update(range(start, end))
    for c in changes:
        assert set(range(c.raw_start, c.raw_end)) <= covered, c
    changed = set().union(*(range(c.raw_start, c.raw_end) for c in changes)) if changes else set()
    assert covered == changed
    assert len(parsed.marks) >= bool(changes)


def test_safe_snippet_keeps_only_marks() -> None:
    from khabar.web.render import safe_snippet

    assert str(safe_snippet("<mark>a</mark> <img src=x onerror=1> &amp; <mark>b")) == \
        "<mark>a</mark> &lt;img src=x onerror=1&gt; &amp; <mark>b</mark>"


def test_analyze_page_renders_whatever_the_pipeline_finds(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entities and quotations from the pipeline are shown like an article's (whatever steps exist today)."""
    from khabar.web import app as web_app

    doc = article_document().to_dict()
    monkeypatch.setattr(web_app, "_analyze", lambda text, title: doc)
    r = client.post("/analyze", data={"text": ARTICLE_RAW})
    assert r.status_code == 200
    assert 'class="ent ent-PER"' in r.text and 'class="quote quote-direct"' in r.text
    assert "منبع: ایرنا" in r.text and "khabar.document/1" in r.text

    def boom(text: str, title: str | None) -> dict[str, Any]:
        raise web_app.AnalysisFailed("analysis failed: ValueError: boom")

    monkeypatch.setattr(web_app, "_analyze", boom)
    failed = client.post("/analyze", data={"text": "x"})
    assert failed.status_code == 500 and "boom" in failed.text and "Traceback" not in failed.text
    api = client.post("/api/analyze", json={"text": "x"})
    assert api.status_code == 500 and api.json() == {"detail": "analysis failed: ValueError: boom"}


def test_real_articles_render(shared_data: Path, tmp_path: Path) -> None:
    """Articles analyzed by today's pipeline (../shared/data news) render, with their text exact."""
    from khabar.archive.ingest import ingest_paths
    from khabar.web.app import create_app

    articles = json.loads((shared_data / "news" / "fars-news-1.json").read_text(encoding="utf-8"))[:25]
    src = tmp_path / "some.json"
    src.write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "real.db"
    summary = ingest_paths(str(db), [str(src)])
    assert summary.stored == 25
    client = TestClient(create_app(db))
    ids = [r["id"] for r in client.get("/api/search", params={"q": "از", "limit": 100}).json()["results"]]
    assert ids
    for doc_id in ids:
        page = client.get("/documents/" + quote(doc_id, safe=""))
        assert page.status_code == 200
        doc = client.get("/api/documents/" + quote(doc_id, safe="")).json()
        views = re.findall(r'<div class="text( raw)?" lang="fa">(.*?)</div>', page.text, flags=re.S)
        assert ["".join(_parse(v).text) for _, v in views] == [doc["text"], doc["raw"]]
    for s in client.get("/api/speakers").json()["speakers"][:10]:
        assert client.get("/speakers/" + quote(s["name"], safe="")).status_code == 200
