"""The static report opened from disk in headless Chromium, with the network cut off:
nothing fails to load, every chart draws, and the numbers and the Chinese text are there."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup

from pipeline import report

pytestmark = pytest.mark.browser


def test_the_report_opens_offline_with_its_charts_and_numbers(browser, sample_db: Path, tmp_path: Path) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        index = report.write_report(con, tmp_path / "report")
        documents, figures = con.execute("SELECT (SELECT count(*) FROM documents), count(*) FROM figures").fetchall()[0]
        metrics = con.execute("SELECT count(DISTINCT metric) FROM figures WHERE metric IS NOT NULL"
                              " AND region_code IS NOT NULL AND year IS NOT NULL"
                              " AND period_kind IS DISTINCT FROM 'target'").fetchall()[0][0]
    finally:
        con.close()

    failed: list[str] = []
    outside: list[str] = []
    errors: list[str] = []
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
               else (outside.append(route.request.url), route.abort()))
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(index.as_uri(), wait_until="load")
        page.wait_for_function(f"document.querySelectorAll('.chart .main-svg').length >= {metrics}")
        html = page.content()
    finally:
        context.close()

    assert (failed, outside, errors) == ([], [], [])
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("div.metric .js-plotly-plot")) == metrics > 0
    assert int(soup.select_one('[data-summary="documents"]').get_text(strip=True)) == documents
    assert int(soup.select_one('[data-summary="figures"]').get_text(strip=True)) == figures
    assert soup.select_one("h1").get_text().startswith("基层数据报告")
    titles = [t.get_text() for t in soup.select(".chart .gtitle")]
    assert len(titles) == metrics and all("（" in t for t in titles)
