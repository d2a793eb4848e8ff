"""Issue 14, row 11: the dashboard works under its Content-Security-Policy in Chromium, and
the policy is really enforced (an injected inline script is refused)."""

from __future__ import annotations

import pytest
from test_dash_browser import TIMEOUT, TREND_POINTS

pytestmark = pytest.mark.browser


def test_the_dashboard_runs_under_its_policy_and_the_policy_refuses_inline_script(page, dashboard_url):
    response = page.goto(dashboard_url)
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    page.wait_for_function(f"() => {{ const p = ({TREND_POINTS})(); return p && p.length > 0; }}", timeout=TIMEOUT)
    assert page.errors == []
    refused = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.violatedDirective));
        const s = document.createElement('script');
        s.textContent = 'window.injected = true';
        document.body.appendChild(s);
        setTimeout(() => resolve(window.injected ? 'ran' : 'no event'), 2000);
    })""")
    assert refused.startswith("script-src")


FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def formula_url(tmp_path_factory, serve_dashboard):
    """A database whose quote and subject start like spreadsheet formulas."""
    from pathlib import Path

    from pipeline import curation, knowledge
    from pipeline.warehouse import store

    db = tmp_path_factory.mktemp("formula") / "figures.duckdb"
    text = f"{FORMULA}全县有党组织860个。"
    start = text.index("860个")
    con = store.connect(db)
    store.load_reference_tables(con, *knowledge.default().reference_rows())
    store.insert(con, "documents", [{"doc_id": "f", "doc": "f", "path": "f.txt", "title": "@SUM(A1)",
                                     "published": "2023-01-01", "text": text}], store.DOCUMENT_COLUMNS)
    store.insert(con, "figures", [{
        "figure_id": "ff", "doc_id": "f", "doc": "f", "start": start, "end": start + 4, "text": "860个",
        "quote": text, "quote_start": 0, "value": 860.0, "unit": "个", "qualifier": "exact",
        "metric": "party_orgs", "subject": "+党组织", "region_code": "130921", "region_name": "沧县",
        "region_level": "county", "year": 2022, "period_kind": "stock", "extractor": "test", "run_id": 1,
    }], store.FIGURE_COLUMNS)
    curation.apply(con, [])   # the corrected figures the dashboard reads, as a build publishes them
    con.close()
    with serve_dashboard(Path(db)) as url:
        yield url


def test_the_grid_csv_neutralises_formula_cells(page, formula_url):
    import csv

    page.goto(f"{formula_url}/?tab=table&metric=party_orgs")
    page.wait_for_function("() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length === 1",
                           timeout=TIMEOUT)
    with page.expect_download() as download:
        page.locator("#csv").click()
    rows = list(csv.reader(download.value.path().read_text(encoding="utf-8-sig").splitlines()))
    cells = [c for c in rows[1] if c]
    assert f"'{FORMULA}全县有党组织860个。" in cells or any(c.startswith(f"'{FORMULA}") for c in cells), cells
    assert not any(c[0] in "=+-@\t\r" for c in cells), cells
    assert page.errors == []
