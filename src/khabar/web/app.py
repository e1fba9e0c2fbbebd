"""``khabar serve``: the pages and the JSON API over an archive (FastAPI + Jinja2).

Each route opens its own read-only connection (:func:`khabar.web.data.reader`), so
requests run side by side.  Pages render the same data the ``/api`` routes return.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from khabar import __version__
from khabar.archive.search import QueryError
from khabar.web import data, render
from khabar.web.models import (
    AnalyzeRequest,
    DocumentJSON,
    EntityOverview,
    ErrorBody,
    SearchResult,
    SpeakerQuotes,
    Speakers,
)
from khabar.web.security import MAX_BODY, SecurityHeaders

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 20
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def fa_num(value: Any) -> str:
    """Persian digits with a Persian thousands separator.

    >>> fa_num(12345)
    '۱۲٬۳۴۵'
    """
    if isinstance(value, int):
        return f"{value:,}".replace(",", "٬").translate(FA_DIGITS)
    return str(value).translate(FA_DIGITS)


def fa_date(value: Any) -> Markup:
    """An ISO date as a Persian (Jalali) date in a ``<time>`` element; anything else as given.

    >>> str(fa_date("2024-03-04"))
    '<time datetime="2024-03-04" title="2024-03-04">۱۴ اسفند ۱۴۰۲</time>'
    """
    text = str(value or "")
    m = _ISO_DATE.match(text)
    if not m:
        return Markup("<time>{}</time>").format(fa_num(text))
    try:
        import jdatetime

        j = jdatetime.date.fromgregorian(date=date(int(m[1]), int(m[2]), int(m[3])))
    except (ImportError, ValueError):
        return Markup("<time>{}</time>").format(fa_num(text))
    shown = f"{fa_num(str(j.day))} {jdatetime.date.j_months_fa[j.month - 1]} {fa_num(str(j.year))}"
    return Markup('<time datetime="{0}" title="{0}">{1}</time>').format(m[0], shown)


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["fa_num"] = fa_num
    env.filters["fa_date"] = fa_date
    env.globals.update(speaker_url=render.speaker_url, entity_url=render.entity_url, http_url=render.http_url,
                       version=__version__)
    return env


def create_app(db_path: str | Path) -> FastAPI:
    """The application over the archive at ``db_path`` (opened read-only, once per request)."""
    db_path = Path(db_path)
    env = _environment()
    app = FastAPI(title="khabar", version=__version__, docs_url=None, redoc_url=None,
                  description="Search and read an archive of analyzed Persian news. "
                              "Pages: `/`, `/documents/{id}`, `/speakers/{name}`, `/entities/{text}`, `/analyze`.")
    app.add_middleware(SecurityHeaders, max_body=MAX_BODY)
    _document_400_not_422(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        api_url = context.get("api_url")
        headers = {"Link": f'<{api_url}>; rel="alternate"; type="application/json"'} if api_url else None
        return HTMLResponse(env.get_template(template).render(**context), status_code=status, headers=headers)

    def error_page(status: int, heading: str, message: str) -> HTMLResponse:
        return page("error.html", status, title=heading, heading=heading, message=message, nav="")

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    # -- errors ----------------------------------------------------------
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            if loc[:1] == ("body",) and (err.get("type") == "json_invalid" or len(loc) == 1):
                # the body as a whole: not JSON, not an object, or none
                what = {"json_invalid": f"the body is not JSON ({(err.get('ctx') or {}).get('error', 'invalid')})",
                        "missing": "no body"}.get(str(err.get("type")), "the body is not a JSON object")
                parts.append(f'{what}: send a JSON object such as {{"text": "..."}}')
                continue
            where = ".".join(str(p) for p in loc if p not in ("query", "body", "path"))
            parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        message = "; ".join(parts) or "invalid request"
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=400)
        return error_page(400, "درخواست نادرست", message)

    @app.exception_handler(data.BadRequest)
    async def _bad_request(request: Request, exc: data.BadRequest) -> Response:
        # (a value the archive cannot take, such as an unknown entity label: 400, JSON or a page)
        if wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=400)
        return error_page(400, "درخواست نادرست", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request) or exc.status_code not in (404, 405):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return error_page(exc.status_code, "پیدا نشد" if exc.status_code == 404 else "روش نادرست", str(exc.detail))

    # -- JSON API --------------------------------------------------------
    @app.get("/api/search", tags=["api"], responses={200: {"model": SearchResult}, 400: {"model": ErrorBody}},
             summary="Ranked results (the JSON of `khabar search --json`)")
    def api_search(q: str = Query("", description="query, the syntax of `khabar search`"),
                   limit: int = Query(PAGE_SIZE, ge=1, le=data.MAX_LIMIT), offset: int = Query(0, ge=0),
                   agency: str = "", speaker: str = "", entity: str = "",
                   date_from: str = Query("", alias="from", description="YYYY-MM-DD"),
                   date_to: str = Query("", alias="to", description="YYYY-MM-DD")) -> Response:
        try:
            filters = data.Filters.of(agency, speaker, entity, date_from, date_to)
            with data.reader(db_path) as conn:
                return JSONResponse(data.run_search(conn, q, filters, limit, offset))
        except (QueryError, data.BadRequest) as e:
            return JSONResponse({"detail": str(e)}, status_code=400)

    @app.get("/api/documents/{doc_id:path}", tags=["api"],
             responses={200: {"model": DocumentJSON}, 404: {"model": ErrorBody}},
             summary="One document (khabar.document/1 JSON)")
    def api_document(doc_id: str) -> Response:
        with data.reader(db_path) as conn:
            doc = data.document(conn, doc_id)
        if doc is None:
            return JSONResponse({"detail": f"no document {doc_id!r}"}, status_code=404)
        return JSONResponse(doc)

    @app.get("/api/speakers/{name:path}/quotes", tags=["api"], responses={200: {"model": SpeakerQuotes}},
             summary="Every quotation by one speaker, newest first")
    def api_speaker_quotes(name: str, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> Response:
        with data.reader(db_path) as conn:
            return JSONResponse({"speaker": name, "quotes": data.speaker_quotes(conn, name, limit, offset)})

    @app.get("/api/speakers", tags=["api"], responses={200: {"model": Speakers}},
             summary="Speakers with the number of their quotations")
    def api_speakers(limit: int = Query(100, ge=1, le=1000)) -> Response:
        with data.reader(db_path) as conn:
            return JSONResponse({"speakers": data.speakers(conn, limit)})

    @app.get("/api/entities/{text:path}", tags=["api"], responses={200: {"model": EntityOverview}},
             summary="Documents that mention an entity, and who speaks about it")
    def api_entity(text: str, label: str = "", limit: int = Query(50, ge=1, le=500)) -> Response:
        data.check_label(label)
        with data.reader(db_path) as conn:
            return JSONResponse(data.entity(conn, text, label or None, limit))

    @app.get("/api/stats", tags=["api"], summary="Counts of documents, entities, quotations and speakers")
    def api_stats() -> Response:
        with data.reader(db_path) as conn:
            return JSONResponse(data.archive_stats(conn))

    @app.post("/api/analyze", tags=["api"],
              responses={200: {"model": DocumentJSON}, 413: {"model": ErrorBody}, 500: {"model": ErrorBody}},
              summary="Analyze a text (nothing stored); bodies over 1 MB get 413")
    def api_analyze(body: AnalyzeRequest) -> Response:
        try:
            return JSONResponse(_analyze(body.text, body.title))
        except AnalysisFailed as e:
            return JSONResponse({"detail": str(e)}, status_code=500)

    # -- pages -----------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", agency: str = "", speaker: str = "", entity: str = "",
                    date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                    page_no: str = Query("1", alias="page")) -> HTMLResponse:
        form = {"q": q, "agency": agency, "speaker": speaker, "entity": entity, "date_from": date_from,
                "date_to": date_to, "filtered": any((agency, speaker, entity, date_from, date_to))}
        number = int(page_no) if page_no.isdigit() and 0 < int(page_no) < 100_000 else 1
        context: dict[str, Any] = {"title": q or "جست‌وجو", "nav": "search", "form": form, "page": number,
                                   "result": None, "error": None, "pages": 0, "stats": None, "speakers": []}
        status = 200
        try:
            filters = data.Filters.of(agency, speaker, entity, date_from, date_to)
            with data.reader(db_path) as conn:
                if q.strip() or filters:
                    result = data.run_search(conn, q, filters, PAGE_SIZE, (number - 1) * PAGE_SIZE)
                    result["offset"] = (number - 1) * PAGE_SIZE
                    for r in result["results"]:
                        r["snippet_html"] = render.safe_snippet(r.get("snippet") or "")
                    context["result"] = result
                    context["pages"] = max(1, math.ceil(result["total"] / PAGE_SIZE))
                    params = {"q": q, **filters.as_params()}
                    context["api_url"] = "/api/search?" + urlencode(params)
                    context["page_url"] = lambda n: "/?" + urlencode({**params, "page": n})
                else:
                    context["stats"] = data.archive_stats(conn)
                    context["speakers"] = data.speakers(conn, 20)
        except (QueryError, data.BadRequest) as e:
            context["error"] = f"پرس‌وجوی نادرست: {e}"
            status = 400
        return page("search.html", status, **context)

    @app.get("/documents/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(doc_id: str, view: str = "text") -> HTMLResponse:
        with data.reader(db_path) as conn:
            doc = data.document(conn, doc_id)
        if doc is None:
            return error_page(404, "پیدا نشد", f"خبری با شناسهٔ {doc_id} در آرشیو نیست.")
        title = (doc.get("meta") or {}).get("title") or "(بی‌عنوان)"
        return page("article.html", title=title, nav="", doc=doc, raw_first=(view == "raw"),
                    api_url="/api/documents/" + quote(doc_id), **_doc_context(doc))

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page() -> HTMLResponse:
        with data.reader(db_path) as conn:
            rows = data.speakers(conn, 500)
        return page("speakers.html", title="گویندگان", nav="speakers", speakers=rows, api_url="/api/speakers")

    @app.get("/speakers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(name: str, page_no: str = Query("1", alias="page")) -> HTMLResponse:
        number = int(page_no) if page_no.isdigit() and 0 < int(page_no) < 100_000 else 1
        size = 50
        with data.reader(db_path) as conn:
            rows = data.speaker_quotes(conn, name, size + 1, (number - 1) * size)
        if not rows and number == 1:
            return error_page(404, "پیدا نشد", f"از «{name}» نقل قولی در آرشیو نیست.")
        return page("speaker.html", title=name, nav="speakers", name=name, quotes=rows[:size],
                    more=len(rows) > size, page=number, api_url=render.speaker_url(name).replace(
                        "/speakers/", "/api/speakers/", 1) + "/quotes")

    @app.get("/entities/{text:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(text: str, label: str = "") -> HTMLResponse:
        data.check_label(label)
        with data.reader(db_path) as conn:
            overview = data.entity(conn, text, label or None, 100)
        return page("entity.html", title=text, nav="", text=text, overview=overview, label=label,
                    label_css=render.css_label(label) if label else "", label_name=render.LABELS.get(label, label),
                    api_url=render.entity_url(text, label).replace("/entities/", "/api/entities/", 1))

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form() -> HTMLResponse:
        return page("analyze.html", title="تحلیل متن", nav="analyze", text="", doc=None)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_page(request: Request) -> HTMLResponse:
        body = await request.body()
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            return page("analyze.html", 400, title="تحلیل متن", nav="analyze", text="", doc=None,
                        error="متن باید UTF-8 باشد.")
        text = (fields.get("text") or [""])[0].replace("\r\n", "\n")
        if not text.strip():
            return page("analyze.html", 400, title="تحلیل متن", nav="analyze", text="", doc=None,
                        error="متنی برای تحلیل نیامده است.")
        try:
            doc = await run_in_threadpool(_analyze, text, None)
        except AnalysisFailed as e:
            return page("analyze.html", 500, title="تحلیل متن", nav="analyze", text=text, doc=None, error=str(e))
        text_ = doc.get("text") or ""
        sentences = [text_[s["start"]:s["end"]] for s in doc.get("sentences") or []]
        return page("analyze.html", title="تحلیل متن", nav="analyze", text=text, doc=doc, sentences=sentences,
                    doc_json=json.dumps(doc, ensure_ascii=False, indent=1), **_doc_context(doc))

    return app


def _document_400_not_422(app: FastAPI) -> None:
    """Invalid parameters get 400 here (see the handler in create_app); say so in /openapi.json."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        spec = original()
        for operations in spec.get("paths", {}).values():
            for op in operations.values():
                responses = op.get("responses", {})
                if responses.pop("422", None) is not None and "400" not in responses:
                    responses["400"] = {"description": "Invalid parameters",
                                        "content": {"application/json": {"schema": {
                                            "$ref": "#/components/schemas/ErrorBody"}}}}
        for name in ("HTTPValidationError", "ValidationError"):
            spec.get("components", {}).get("schemas", {}).pop(name, None)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


class AnalysisFailed(RuntimeError):
    """A pipeline step failed on the pasted text (reported as 500 with the step's error, no traceback)."""


def _analyze(text: str, title: str | None) -> dict[str, Any]:
    import khabar

    meta = {"title": title} if title else None
    try:
        return khabar.analyze(text, meta=meta).to_dict()
    except Exception as e:  # a failing step must give a message, not a traceback page
        raise AnalysisFailed(f"analysis failed: {type(e).__name__}: {e}") from e


def _doc_context(doc: dict[str, Any]) -> dict[str, Any]:
    entity_rows = render.entity_rows(doc)
    used = sorted({e["label"] for e in entity_rows})
    return {"text_html": render.annotated_text(doc), "raw_html": render.raw_with_changes(doc),
            "changes_count": len(doc.get("changes") or []), "change_summary": render.change_summary(doc),
            "quote_rows": render.quote_rows(doc), "entity_rows": entity_rows,
            "labels_used": [(render.css_label(lab), render.LABELS.get(lab, lab)) for lab in used]}

