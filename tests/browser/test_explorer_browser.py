"""The Subjects tab in headless Chromium, over the sample database: a figure without a catalog
metric is found by a word of its sentence, its subject charted, a clicked point lists that
point's figures and a figure row opens its evidence. Screenshot: build/screenshots/subjects.png."""

from __future__ import annotations

import duckdb
import pytest

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
ROWS = "#subject-list .ag-center-cols-container .ag-row"
FIGURE_ROWS = "#subject-figures .ag-center-cols-container .ag-row"


def test_a_figure_without_a_metric_is_reached_from_its_sentence(page, screenshot, dashboard_url,
                                                                 sample_db) -> None:
    con = duckdb.connect(str(sample_db), read_only=True)
    subject, quote = con.execute("""
        SELECT subject, quote FROM figures
        WHERE metric IS NULL AND subject <> '' AND year IS NOT NULL AND region_code IS NOT NULL
        ORDER BY figure_id LIMIT 1""").fetchone()
    con.close()

    page.goto(f"{dashboard_url}/?tab=subjects")
    page.wait_for_selector(ROWS, timeout=TIMEOUT)
    assert "tab=subjects" in page.url
    page.fill("#subject-search", subject)
    page.press("#subject-search", "Enter")
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{ROWS}'))
        .some(r => r.textContent.includes({subject!r}))""", timeout=TIMEOUT)
    page.locator(ROWS, has_text=subject).first.click()
    page.wait_for_selector("#subject-graph .scatterlayer .points path", timeout=TIMEOUT)
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('{FIGURE_ROWS}'))
        .some(r => r.textContent.includes({quote[:12]!r}))""", timeout=TIMEOUT)
    screenshot("subjects")

    # a real click on a plotted point lists exactly the figures behind it
    page.locator("#subject-graph .scatterlayer .points path").first.click(force=True)
    page.wait_for_function("() => document.getElementById('subject-figures-note').textContent"
                           ".includes('behind the point')", timeout=TIMEOUT)
    page.locator(FIGURE_ROWS).first.click()
    page.wait_for_selector(".evidence-card", timeout=TIMEOUT)
    assert "tab=evidence" in page.url
    assert page.errors == [] and page.external == []
