"""`khabar serve` in a real browser: Playwright driving Debian's Chromium against a real uvicorn.

Search, open a result, see a highlighted entity and a marked quotation, toggle the raw
view.  With KHABAR_SCREENSHOTS=1 it also saves a screenshot of each page into
docs/screenshots/ (the images the README and docs/web.md show).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

if not CHROMIUM.exists():
    pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (the [test] extra)")

from test_web import (  # noqa: E402
    ZARIF,
    article_document,
    build_archive,
    demo_documents,
    filler_documents,
    hostile_document,
    serving,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_archive(tmp_path_factory.mktemp("browser") / "archive.db",
                       [article_document(), *demo_documents(), *filler_documents(12)])
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_archive(tmp_path_factory.mktemp("hostile") / "archive.db", [hostile_document(), article_document()])
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def _shoot(page: object, name: str) -> None:
    if os.environ.get("KHABAR_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def test_search_open_article_and_toggle_raw_view(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 760}, locale="fa-IR")  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(server + "/")
    assert page.get_attribute("html", "dir") == "rtl"
    _shoot(page, "home")

    # Search.
    page.fill("input[name=q]", "گفت")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("ol.results li.result")
    assert page.locator("li.result").count() == 4  # the four articles with a «گفت»
    assert page.locator("li.result mark").count() >= 4
    _shoot(page, "search")

    # Open one result: the article.
    page.click("li.result a.title[href='/documents/zarif-1']")
    page.wait_for_selector("article.doc")
    assert "/documents/zarif-1" in page.url
    person = page.locator("#view-text .text a.ent-PER").first
    assert person.is_visible() and person.inner_text() == ZARIF
    colour = person.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    quote_el = page.locator("#view-text .text q.quote-direct").first
    assert quote_el.is_visible() and "مذاکرات" in quote_el.inner_text()
    assert quote_el.get_attribute("data-speaker") == ZARIF
    badge = page.locator("#view-text a.who").first
    assert badge.is_visible() and badge.get_attribute("data-name") == ZARIF
    assert badge.evaluate("e => getComputedStyle(e, '::after').content") == f'"{ZARIF}"'  # the name is shown
    assert not page.locator("#view-raw").is_visible()
    _shoot(page, "article")

    # Toggle the raw view: the raw text with the normalizer's changes marked.
    page.click("#rawswitch-label")
    assert page.locator("#view-raw").is_visible()
    assert not page.locator("#view-text").is_visible()
    change = page.locator("#view-raw mark.chg").first
    assert change.is_visible() and change.get_attribute("title")
    assert "وزير" in page.locator("#view-raw .text").inner_text()  # the raw spelling, before normalizing
    _shoot(page, "article-raw")
    page.click("#rawswitch-label")
    assert page.locator("#view-text").is_visible()

    # Follow the speaker badge to the speaker page.
    page.locator("#view-text a.who").first.click()
    page.wait_for_selector("ol.quotelist")
    assert page.locator("ol.quotelist blockquote").count() == 3  # two in zarif-1, one in zarif-2
    _shoot(page, "speaker")

    page.goto(server + "/entities/" + quote("تهران", safe="") + "?label=LOC")
    assert page.locator("ol.doclist li").count() == 2  # zarif-1 and araghchi-1
    _shoot(page, "entity")
    assert not errors, errors  # no CSP violations or script errors
    context.close()


def test_hostile_article_runs_no_script(hostile_server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server + "/documents/hostile")
    assert "<script>" in page.locator("h1").inner_text()
    assert page.locator("article img, article script, article b").count() == 0
    page.goto(hostile_server + "/?q=alert")
    page.wait_for_selector("ol.results")
    assert not dialogs
    page.close()


def test_analyze_page_in_the_browser(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 760})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "/analyze")
    page.fill("textarea[name=text]", "به گزارش ایرنا، وزير امور خارجه روز دوشنبه در تهران گفت: «مذاكرات با "
              "اروپا ادامه دارد.» او افزود که ایران آماده همکاری است.\nاین سفر دو روز طول می کشد.")
    page.click("form.analyze button")
    page.wait_for_selector("#view-text .text, p.error")
    assert page.locator("p.error").count() == 0, page.locator("p.error").inner_text()
    assert "وزیر" in page.locator("#view-text .text").inner_text()
    _shoot(page, "analyze")
    context.close()


def test_article_on_a_phone(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 760}, device_scale_factor=1,  # type: ignore[attr-defined]
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/documents/zarif-1")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    _shoot(page, "article-phone")
    context.close()
