"""The dashboard in headless Chromium over the sample database: what is drawn equals the database.

Screenshots of each view go to build/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline import curation, knowledge
from pipeline.warehouse import store

pytestmark = pytest.mark.browser

TIMEOUT = 20_000
TREND_POINTS = """() => {
    const gd = document.querySelector('#trend-graph .js-plotly-plot');
    if (!gd || !gd.data) return null;
    return gd.data.filter(t => t.meta && t.meta.series && t.meta.kind === 'year')
        .flatMap(t => t.x.map((x, i) => [t.meta.series, x, t.y[i]]));
}"""


def two_regions_of_one_metric(con: duckdb.DuckDBPyConnection) -> tuple[str, list[tuple[str, str]]]:
    """A metric with actual figures for at least two regions at their own level, and two of them."""
    rows = con.execute("""
        SELECT f.metric, f.region_code, r.name, count(*) AS n
        FROM figures f JOIN regions r ON r.code = f.region_code AND r.level = f.region_level
        WHERE f.metric IS NOT NULL AND f.year IS NOT NULL AND f.period_kind NOT IN ('target', 'cumulative')
        GROUP BY ALL ORDER BY f.metric, n DESC, f.region_code""").fetchall()
    by_metric: dict[str, list[tuple[str, str]]] = {}
    for metric, code, name, _n in rows:
        by_metric.setdefault(metric, []).append((code, name))
    metric = next(m for m, regions in by_metric.items() if len(regions) >= 2)
    return metric, by_metric[metric][:2]


def actual_values(con: duckdb.DuckDBPyConnection, metric: str, codes: list[str]) -> set[tuple]:
    """(code, year, value) the trend lines must show: one per region and year by the conflict
    rule, or the sum of an items metric's amounts."""
    rows = con.execute("""
        SELECT f.region_code, f.year, f.value, f.qualifier <> 'exact' AS approx, d.published
        FROM figures f JOIN regions r ON r.code = f.region_code AND r.level = f.region_level
        LEFT JOIN documents d ON d.doc_id = f.doc_id
        WHERE f.metric = ? AND list_contains(?, f.region_code) AND f.year IS NOT NULL
          AND f.period_kind NOT IN ('target', 'cumulative')
        ORDER BY f.region_code, f.year, approx, d.published DESC NULLS LAST, f.doc, f.start""",
                       [metric, codes]).fetchall()
    items = con.execute("SELECT kind = 'items' FROM metrics WHERE id = ?", [metric]).fetchone()[0]
    first: dict[tuple, float] = {}
    for code, year, value, _approx, _published in rows:
        if items:  # an items metric's point is the sum of its amounts (queries/points.sql)
            first[(code, year)] = first.get((code, year), 0) + value
        else:
            first.setdefault((code, year), value)
    return {(code, year, value) for (code, year), value in first.items()}


def choose(page, dropdown: str, search: str, option_text: str) -> None:
    page.locator(f"#{dropdown}").click()
    page.keyboard.type(search)
    page.locator(".dash-dropdown-option", has_text=option_text).first.click()


def test_page_loads_without_errors(page, screenshot, dashboard_url):
    page.goto(dashboard_url)
    page.wait_for_function(f"() => {{ const p = ({TREND_POINTS})(); return p && p.length > 0; }}", timeout=TIMEOUT)
    assert "metric=" in page.url and "region=" in page.url  # the default view is already a shareable link
    screenshot("trends")
    assert page.errors == [] and page.external == []


def test_picked_metric_and_regions_plot_the_database_values(page, screenshot, dashboard_url, sample_con):
    metric, regions = two_regions_of_one_metric(sample_con)
    zh = sample_con.execute("SELECT zh FROM metrics WHERE id = ?", [metric]).fetchone()[0]
    page.goto(dashboard_url)
    page.wait_for_function("() => location.search.includes('metric=')", timeout=TIMEOUT)  # the opening view is set
    choose(page, "metric", zh, zh)
    page.keyboard.press("Escape")
    # the metric's regions and options arrive with the URL update: wait for it before picking regions
    page.wait_for_function(f"() => location.search.includes('metric={metric}&')", timeout=TIMEOUT)
    page.locator("#regions").click()
    page.get_by_text("Deselect All").click()
    for code, name in regions:
        page.locator(".dash-dropdown-search").fill(name)  # the searchable picker
        page.locator(f".dash-dropdown-option:has(input[value='{code}'])").click()
    page.keyboard.press("Escape")
    expected = actual_values(sample_con, metric, [code for code, _ in regions])
    codes = sorted(code for code, _ in regions)
    page.wait_for_function(f"""([count, codes]) => {{
        const p = ({TREND_POINTS})();
        const shown = [...new Set((p || []).map(x => x[0]))].sort();
        return p && p.length === count && JSON.stringify(shown) === JSON.stringify(codes);
    }}""", arg=[len(expected), codes], timeout=TIMEOUT)
    plotted = {tuple(p) for p in page.evaluate(TREND_POINTS)}
    assert plotted == expected
    assert f"metric={metric}" in page.url and all(f"region={code}" in page.url for code, _ in regions)
    assert page.errors == []


def click_center(page, locator) -> None:
    """Hover, then click the middle of an element (Plotly shows hover data before a click counts)."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_clicking_a_point_shows_its_quote_and_document(page, screenshot, dashboard_url, sample_con):
    metric, regions = two_regions_of_one_metric(sample_con)
    code = regions[0][0]
    page.goto(f"{dashboard_url}/?tab=trends&metric={metric}&region={code}")
    point = page.locator("#trend-graph .scatterlayer .trace .points path").first
    point.wait_for(timeout=TIMEOUT)
    click_center(page, point)
    page.wait_for_selector(".evidence-card", timeout=TIMEOUT)
    year = int(page.url.split("point=")[1].split("~")[1])
    quotes = {q for (q,) in sample_con.execute(
        "SELECT quote FROM figures f JOIN regions r ON r.code = f.region_code AND r.level = f.region_level "
        "WHERE metric = ? AND region_code = ? AND year = ? AND period_kind NOT IN ('target', 'cumulative')",
        [metric, code, year]).fetchall()}  # the point of a year's value: cumulatives and targets are their own
    shown = page.locator(".evidence-card .quote").all_inner_texts()
    assert {q.strip() for q in shown} == quotes
    texts = {t for (t,) in sample_con.execute(
        "SELECT text FROM figures WHERE metric = ? AND region_code = ? AND year = ? "
        "AND period_kind NOT IN ('target', 'cumulative')", [metric, code, year]).fetchall()}
    assert set(page.locator(".evidence-card mark.number").all_inner_texts()) <= texts
    page.locator(".open-doc").first.click()
    mark = page.locator("#doc-mark")
    mark.wait_for(timeout=TIMEOUT)
    assert any(q in mark.inner_text() or mark.inner_text() in q for q in quotes)
    page.wait_for_function("() => { const m = document.getElementById('doc-mark').getBoundingClientRect();"
                           " const v = document.querySelector('.document-view').getBoundingClientRect();"
                           " return m.top >= v.top && m.bottom <= v.bottom; }", timeout=TIMEOUT)
    screenshot("evidence")
    assert page.errors == [] and page.external == []


def test_compare_view_draws_bars_and_the_map_offline(page, screenshot, dashboard_url, sample_con):
    metric = sample_con.execute(
        "SELECT metric FROM figures WHERE region_level = 'province' AND metric IS NOT NULL AND year IS NOT NULL "
        "AND period_kind <> 'target' GROUP BY metric ORDER BY count(DISTINCT region_code) DESC, metric LIMIT 1"
    ).fetchone()[0]
    provinces = {name for (name,) in sample_con.execute(
        "SELECT DISTINCT r.name FROM figures f JOIN regions r ON r.code = f.region_code AND r.level = 'province' "
        "WHERE f.metric = ? AND f.region_level = 'province' AND f.period_kind <> 'target'", [metric]).fetchall()}
    page.goto(f"{dashboard_url}/?tab=compare&metric={metric}")
    page.wait_for_function("() => document.querySelectorAll('#compare-map .choroplethlayer path').length >= 34",
                           timeout=TIMEOUT)
    bars = page.evaluate("() => document.querySelector('#compare-bar .js-plotly-plot').data[0].y")
    assert {b.removeprefix("⚠ ") for b in bars} == provinces
    assert page.locator(".tab--selected").inner_text().startswith("Compare")
    screenshot("compare")
    assert page.errors == [] and page.external == []


def test_table_lists_the_figures_and_downloads_what_is_shown(page, screenshot, dashboard_url, sample_con):
    metric, _ = two_regions_of_one_metric(sample_con)
    names = [n for (n,) in sample_con.execute("SELECT region_name FROM figures WHERE metric = ?", [metric]).fetchall()]
    rows = "() => document.querySelectorAll('#table .ag-center-cols-container .ag-row').length"
    page.goto(f"{dashboard_url}/?tab=table&metric={metric}")
    page.wait_for_function(f"() => ({rows})() === {len(names)}", timeout=TIMEOUT)
    screenshot("table")
    # filter on the region column: the CSV holds only the rows left
    chosen = names[0]
    page.locator(".ag-floating-filter input[type=text]").nth(1).fill(chosen)
    shown = sum(chosen in n for n in names if n)
    page.wait_for_function(f"() => ({rows})() === {shown}", timeout=TIMEOUT)
    with page.expect_download() as download:
        page.locator("#csv").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == shown + 1 and "年份 year" in lines[0]
    assert all(chosen in line for line in lines[1:])
    assert page.errors == [] and page.external == []


def test_clicking_a_bar_lists_the_figures_behind_it(page, screenshot, dashboard_url, sample_con):
    metric, code, name = sample_con.execute(
        "SELECT f.metric, f.region_code, r.name FROM figures f JOIN regions r ON r.code = f.region_code "
        "AND r.level = f.region_level WHERE f.region_level = 'province' AND f.metric IS NOT NULL "
        "AND f.year IS NOT NULL AND f.period_kind <> 'target' ORDER BY f.metric, f.region_code LIMIT 1").fetchone()
    page.goto(f"{dashboard_url}/?tab=compare&metric={metric}")
    bar = page.locator("#compare-bar .barlayer .point path").first
    bar.wait_for(timeout=TIMEOUT)
    click_center(page, bar)
    page.wait_for_selector(".evidence-card", timeout=TIMEOUT)
    assert f"point={code}~" in page.url
    assert name in page.locator("#evidence-list h3").inner_text()
    assert page.errors == []


HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, serve_dashboard) -> Iterator[str]:
    """A database whose document title, text and quote carry HTML and script."""
    db = tmp_path_factory.mktemp("hostile") / "figures.duckdb"
    text = f"开头。{HOSTILE}全县有党组织860个。结尾"
    start = text.index("860个")
    con = store.connect(db)
    store.load_reference_tables(con, *knowledge.default().reference_rows())
    store.insert(con, "documents", [{"doc_id": "h", "doc": "h", "path": "h.html", "title": f"<b>{HOSTILE}</b>",
                                     "source": HOSTILE, "published": "2023-01-01", "text": text}],
                 store.DOCUMENT_COLUMNS)
    store.insert(con, "figures", [{
        "figure_id": "hf", "doc_id": "h", "doc": "h", "start": start, "end": start + 4, "text": "860个",
        "quote": text[3:start + 5], "quote_start": 3, "value": 860.0, "unit": "个", "qualifier": "exact",
        "metric": "party_orgs", "subject": "党组织", "region_code": "130921", "region_name": "沧县",
        "region_level": "county", "year": 2022, "period_kind": "stock", "extractor": "test", "run_id": 1,
    }], store.FIGURE_COLUMNS)
    curation.apply(con, [])   # the corrected figures the dashboard reads, as a build publishes them
    con.close()
    with serve_dashboard(Path(db)) as url:
        yield url


def test_document_text_is_shown_as_text_never_as_html(page, hostile_url):
    page.goto(f"{hostile_url}/?tab=evidence&metric=party_orgs&region=130921&point=130921~2022~a")
    page.wait_for_selector(".evidence-card", timeout=TIMEOUT)
    page.locator(".open-doc").first.click()
    page.wait_for_selector("#doc-mark", timeout=TIMEOUT)
    assert HOSTILE in page.locator(".evidence-card .quote").inner_text()
    assert HOSTILE in page.locator(".document-text").inner_text()
    assert page.evaluate("() => document.querySelectorAll('.evidence img, .evidence script, .evidence b').length") == 0
    assert page.evaluate("() => window.__pwned") is None
