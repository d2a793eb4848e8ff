"""Corrections in the browser: a dashboard over a database with an analyst's corrected value and
a rejected figure shows the corrected value (ringed, the value extracted in the hover, marked in
the table and the evidence) and never the rejected figure, through a rebuild by a new extractor,
and the value extracted once the corrected sentence moves (orphaned); a dashboard started to curate
corrects and rejects from the evidence panel through the corrections file, and its Corrections
page lists an orphan first. Screenshots: build/screenshots/curation-*.png."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from curated import CORRECTED_TEXT, REJECTED_TEXT, REPORT, build, corpus, correct_two, figure_id, move_the_sentence
from test_build import pin_fingerprint

import pipeline.build as build_module
from pipeline import cli
from pipeline.curation import ledger

pytestmark = pytest.mark.browser

TIMEOUT = 40_000
TREND = """() => {
    const gd = document.querySelector('#trend-graph .js-plotly-plot');
    if (!gd || !gd.data) return null;
    return gd.data.filter(t => t.meta && t.meta.kind)
        .flatMap(t => t.x.map((x, i) => [t.customdata[i], t.y[i], t.text ? t.text[i] : null]));
}"""
CELLS = "(col) => Array.from(document.querySelectorAll(`#table .ag-center-cols-container [col-id=${col}]`))" \
        ".map(e => e.textContent)"


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


def trend_point(page, url: str) -> tuple[float, str]:
    """河北's party members of 2023 as the Trends chart draws them: value and label."""
    page.goto(f"{url}/?tab=trends&metric=party_members&region=130000&from=2000&to=2100")
    page.wait_for_function(f"() => ({TREND})()?.length > 0", timeout=TIMEOUT)
    return {tuple(c): (y, label) for c, y, label in page.evaluate(TREND)}[("130000", 2023, "year")]


def test_the_dashboard_shows_the_corrected_value_through_rebuilds_and_never_the_rejected_figure(
        page, screenshot, serve_dashboard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    assert build(reports, db) == cli.EXIT_OK
    correct_two(db)
    with serve_dashboard(db) as url:
        assert trend_point(page, url) == (5210000, "521万人")
        page.mouse.move(0, 0)
        hover = page.wait_for_function("""() => { const gd = document.querySelector('#trend-graph .js-plotly-plot');
            const c = gd.data.findIndex(t => t.meta && t.meta.corrected);
            if (c < 0) return null;
            Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: 0}]);
            const label = gd.querySelector('.hoverlayer .hovertext');
            return label && label.textContent; }""", polling=250, timeout=TIMEOUT).json_value()
        assert "521万人" in hover and "原值 520.49万人" in hover
        screenshot("curation-trend")

        # the rejected figure: no point of its metric in 河北 is left, and the table lists it nowhere
        page.goto(f"{url}/?tab=table&metric=party_orgs")
        page.wait_for_function(f"() => ({CELLS})('text').length > 0", timeout=TIMEOUT)
        assert REJECTED_TEXT not in page.evaluate(CELLS, "text")
        page.goto(f"{url}/?tab=table&metric=party_members")
        page.wait_for_function(f"() => ({CELLS})('text').includes('{CORRECTED_TEXT}')", timeout=TIMEOUT)
        row = page.evaluate(CELLS, "text").index(CORRECTED_TEXT)
        assert page.evaluate(CELLS, "value_label")[row] == "521万人"
        assert page.evaluate(CELLS, "corrected_label")[row] == "✎ 原值 520.49万人"

        # its evidence says who corrected it and why; a dashboard that only reads offers no form
        page.goto(f"{url}/?tab=evidence&metric=party_members&region=130000&point=130000~2023~a")
        page.wait_for_selector(".badge.corrected", timeout=TIMEOUT)
        assert "li: the 2023 communiqué says 521万" in page.inner_text(".badge.corrected")
        assert page.locator("button.curate").count() == 0

        page.goto(f"{url}/?tab=corrections")
        page.wait_for_function("() => document.querySelectorAll('#corrections-grid .ag-center-cols-container"
                               " .ag-row').length === 2", timeout=TIMEOUT)

        # rebuilt by a new extractor (the served file replaced): still corrected
        monkeypatch.setattr(build_module, "fingerprint", lambda: "another extractor")
        assert build(reports, db) == cli.EXIT_OK
        assert trend_point(page, url) == (5210000, "521万人")
        # the corrected sentence moved: the corrections are orphaned, the chart shows what is extracted
        move_the_sentence(reports)
        assert build(reports, db) == cli.EXIT_OK
        assert trend_point(page, url) == (5204900, "520.49万人")
        page.goto(f"{url}/?tab=corrections")
        page.wait_for_function("() => document.getElementById('corrections-note')?.textContent"
                               "?.includes('2 orphaned')", timeout=TIMEOUT)
    assert page.errors == [] and page.external == []


def test_an_analyst_corrects_and_rejects_from_the_evidence_panel(page, screenshot, serve_dashboard,
                                                                 tmp_path: Path) -> None:
    db, ledger_file = tmp_path / "figures.duckdb", tmp_path / "corrections.jsonl"
    reports = corpus(tmp_path)
    build(reports, db)
    orphan = figure_id(db, REJECTED_TEXT)   # rejected, then its sentence moves: an orphan
    assert cli.main(["correct", orphan, "--reject", "--reason", "not 河北's", "--author", "wang", "--db",
                     str(db)]) == cli.EXIT_OK
    move_the_sentence(reports)
    build(reports, db)
    corrected = figure_id(db, CORRECTED_TEXT)

    with serve_dashboard(db, curate=ledger_file) as url:
        page.goto(f"{url}/?tab=evidence&metric=party_members&region=130000&point=130000~2023~a")
        page.wait_for_selector("button.curate.set", timeout=TIMEOUT)
        page.click("button.curate.set")
        page.wait_for_selector(".correction-form:not([hidden])", timeout=TIMEOUT)
        page.fill("#cf-value", "5210000")
        page.fill("#cf-reason", "the 2023 communiqué says 521万")
        page.fill("#cf-author", "li")
        screenshot("curation-evidence-form")
        page.click("#cf-save")
        page.wait_for_selector(".badge.corrected", timeout=TIMEOUT)
        assert page.inner_text("#curation-message").startswith("✓ c-")
        screenshot("curation-evidence-saved")
        written = [c for _n, c in ledger.read(ledger_file) if c.figure_id == corrected]
        assert [(c.action, c.value, c.author) for c in written] == [("set", 5210000.0, "li")]

        # a reason is required: nothing is written without one, and the form keeps what was typed
        page.goto(f"{url}/?tab=evidence&metric=party_members&region=000000&point=000000~2022~a")
        page.wait_for_selector("button.curate.reject", timeout=TIMEOUT)
        rejected_text = page.inner_text(".evidence-card mark.number")
        page.click("button.curate.reject")
        page.wait_for_selector(".correction-form:not([hidden])", timeout=TIMEOUT)
        page.fill("#cf-author", "li")
        page.click("#cf-save")
        page.wait_for_function("() => document.getElementById('curation-message')?.textContent.includes('reason')",
                               timeout=TIMEOUT)
        assert len(ledger.read(ledger_file)) == 2
        page.fill("#cf-reason", "a national figure in a provincial report")
        page.click("#cf-save")
        page.wait_for_function("() => document.getElementById('curation-message')?.textContent.startsWith('✓')",
                               timeout=TIMEOUT)
        page.wait_for_function(f"() => !Array.from(document.querySelectorAll('.evidence-card mark.number'))"
                               f".some(m => m.textContent === {json.dumps(rejected_text)})", timeout=TIMEOUT)
        assert [c.action for _n, c in ledger.read(ledger_file)] == ["reject", "set", "reject"]

        # the Corrections page: the orphan first, then the newest
        page.goto(f"{url}/?tab=corrections")
        first = "#corrections-grid .ag-center-cols-container .ag-row[row-index='0']"
        page.wait_for_selector(f"{first}.orphaned", timeout=TIMEOUT)
        assert "orphaned" in page.inner_text(f"{first} [col-id=status_label]")
        assert REPORT in page.inner_text(f"{first} [col-id=problem]")
        assert page.locator("#corrections-grid .ag-center-cols-container .ag-row").count() == 3
        assert "1 orphaned" in page.inner_text("#corrections-note")
        screenshot("curation-corrections")
    assert page.errors == [] and page.external == []
