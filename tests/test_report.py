"""The static report: its numbers are the database's, it names what changed, it flags
data quality problems, and text from reports cannot inject markup."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from bs4 import BeautifulSoup
from test_build import NEW_SENTENCE, SAMPLE, pin_fingerprint, quiet, rewrite

from pipeline import curation, report
from pipeline.build import build
from pipeline.warehouse import queries, store


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


def soup_of(index: Path) -> BeautifulSoup:
    return BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def sample_report(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BeautifulSoup, Path]:
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        index = report.write_report(con, tmp_path_factory.mktemp("report"))
    finally:
        con.close()
    return soup_of(index), index


def test_the_summary_shows_the_database_counts(sample_report: tuple[BeautifulSoup, Path], sample_con) -> None:
    soup, _ = sample_report
    shown = {el["data-summary"]: int(el.get_text(strip=True)) for el in soup.select("[data-summary]")}
    counts = sample_con.execute(
        "SELECT count(DISTINCT doc_id), count(*), count(metric), count(DISTINCT region_code),"
        " count(DISTINCT year) FROM figures").fetchall()[0]
    documents = sample_con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    assert shown["documents"] == documents == 5
    assert (shown["figures"], shown["figures_with_metric"], shown["regions"], shown["years"]) == counts[1:]
    assert shown["rejected_files"] == 0


def test_one_chart_and_region_table_per_metric_with_points(sample_report: tuple[BeautifulSoup, Path],
                                                           sample_con) -> None:
    soup, _ = sample_report
    points = queries.run(sample_con, "points", **queries.ALL_POINTS)
    sections = soup.select("div.metric")
    assert {s["data-metric"] for s in sections} == set(points["metric"].to_list())
    party = set(sample_con.execute("SELECT id FROM metrics WHERE category = 'party'").fetchall())
    assert (sections[0]["data-metric"],) in party   # party-building metrics come first
    for section in sections:
        found = points.filter(pl.col("metric") == section["data-metric"])
        chart = json.loads(section.select_one('script[type="application/json"]').string)
        charted = report.most_covered(found, report.PLACES_CHARTED)
        plotted = [t for t in chart["data"] if t.get("meta", {}).get("kind")]
        assert sum(len(trace["x"]) for trace in plotted) == charted.height
        assert len(section.select("table.regions tbody td[data-point]")) == found.height
        assert all(td.get("title") for td in section.select("td[data-point]"))   # every value sourced


def test_the_brief_reads_summary_first_and_the_change_log_last(sample_report: tuple[BeautifulSoup, Path]) -> None:
    soup, _ = sample_report
    order = [s["id"] for s in soup.select("body > section")]
    assert order[0] == "summary" and order.index("trends") < order.index("method") < order.index("changes")
    assert order[-2:] == ["changes", "runs"]
    assert soup.select("#headlines li.headline")
    titles = {td.get_text() for td in soup.select("#changes-table tbody tr td:nth-of-type(2)")}
    assert titles and not any(len(t) == 16 and t.isalnum() and t.isascii() for t in titles)   # titles, not hashes


def test_charts_keep_the_places_with_most_years() -> None:
    points = pl.DataFrame({
        "series": ["1", "1", "2", "3", "3", "3"], "year": [2020, 2021, 2020, 2020, 2021, 2022],
        "figures": [1, 1, 5, 1, 1, 1], "value": [1.0] * 6})
    kept = report.most_covered(points, 2)
    assert sorted(set(kept["series"].to_list())) == ["1", "3"] and kept.height == 5


def test_a_refresh_swaps_the_report_in_whole(sample_con, tmp_path: Path) -> None:
    out = tmp_path / "report"
    index = report.write_report(sample_con, out)
    js = out / report.PLOTLY_JS
    before = js.stat().st_ino
    (out / "index.html").write_text("old", encoding="utf-8")
    report.write_report(sample_con, out)
    assert js.stat().st_ino == before            # plotly.js is written once, not per report
    assert index.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]   # no staging folder left


def test_the_report_loads_nothing_from_the_network(sample_report: tuple[BeautifulSoup, Path]) -> None:
    soup, index = sample_report
    sources = [el.get("src") or el.get("href") for el in soup.select("script[src], link[href], img[src]")]
    assert sources == ["plotly.min.js"]
    assert (index.parent / "plotly.min.js").is_file()
    assert soup.select_one("meta[charset]")["charset"] == "utf-8"


def test_changes_since_the_previous_build_are_listed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in SAMPLE[:3]:
        shutil.copyfile(p, corpus / p.name)
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    rewrite(corpus / SAMPLE[0].name, SAMPLE[0].read_text(encoding="utf-8") + NEW_SENTENCE)
    (corpus / SAMPLE[1].name).unlink()
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    build(corpus, db, progress=False, warn=quiet, workers=1)   # nothing changed: the report keeps the last change

    con = duckdb.connect(str(db), read_only=True)
    index = report.write_report(con, tmp_path / "report")
    con.close()
    soup = soup_of(index)
    rows = soup.select("#changes-table tbody tr")
    kinds = [r["data-change"] for r in rows]
    assert kinds.count("new") == s["figures_added"] > 0
    assert kinds.count("retracted") == s["figures_removed"] > 0
    assert soup.select_one('[data-run="docs_removed"]').get_text() == "1"
    assert soup.select_one("#no-change-note") is not None


@pytest.fixture()
def quality_db(fresh_db: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Figures with a conflict, figures without region or year, a reject, and text with markup."""
    fresh_db.execute("INSERT INTO metrics VALUES"
                     " ('party_members', '党员人数', 'Party members', '人', 'party', 'level')")
    base = {"doc_id": "d1", "doc": "<b>doc</b>", "text": "1个", "quote": "<script>alert(1)</script>党员",
            "quote_start": 0, "unit": "人", "qualifier": "exact", "metric": "party_members", "subject": "党员",
            "region_code": "130000", "region_name": "河北省", "region_level": "province", "year": 2022,
            "period_kind": "stock", "extractor": "test", "run_id": 1}
    rows = [
        {**base, "figure_id": "f1", "start": 0, "end": 2, "value": 100.0},
        {**base, "figure_id": "f2", "start": 5, "end": 7, "value": 120.0},
        {**base, "figure_id": "f3", "start": 9, "end": 11, "value": 7.0, "region_code": None, "metric": None},
        {**base, "figure_id": "f4", "start": 13, "end": 15, "value": 8.0, "year": None, "metric": None},
    ]
    store.insert(fresh_db, "figures", rows, store.FIGURE_COLUMNS)
    curation.apply(fresh_db, [])   # the corrected figures the report reads, as a build publishes them
    store.record_reject(fresh_db, "bad.pdf", "encrypted: <needs a password>", 1)
    fresh_db.execute("INSERT INTO runs (run_id, started_at, finished_at, status, docs_new, docs_changed,"
                     " docs_removed, docs_unchanged, docs_rejected, figures_added, figures_changed, figures_removed)"
                     " VALUES (1, ?, ?, 'ok', 1, 0, 0, 0, 1, 4, 0, 0)", [dt.datetime(2024, 1, 1)] * 2)
    fresh_db.execute("INSERT INTO figure_changes (run_id, change, figure_id, doc, quote, value_after)"
                     " VALUES (1, 'new', 'f1', '<b>doc</b>', '<script>alert(1)</script>党员', 100)")
    return fresh_db


def test_data_quality_lists_conflicts_gaps_and_rejects(quality_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    soup = soup_of(report.write_report(quality_db, tmp_path / "report"))
    conflict = soup.select("#conflicts-table tbody tr")
    assert len(conflict) == 1
    assert [td.get_text(strip=True) for td in conflict[0].select("td")][:5] == \
        ["党员人数", "河北省（130000）", "2022", "100人 / 120人", "100人"]
    assert soup.select_one('[data-quality="without_region"]').get_text() == "1"
    assert soup.select_one('[data-quality="without_year"]').get_text() == "1"
    reject = soup.select_one("#rejects-table tbody tr").select("td")
    assert [reject[0].get_text(), reject[1].get_text()] == ["bad.pdf", "encrypted: <needs a password>"]


def test_text_from_reports_is_escaped(quality_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    soup = soup_of(report.write_report(quality_db, tmp_path / "report"))
    assert soup.select("b") == []
    assert not any("alert(1)" in (s.string or "") for s in soup.select("script:not([type])"))
    charts = [s.string or "" for s in soup.select('script[type="application/json"]')]
    assert charts and not any("<" in c for c in charts)   # hover text inside chart data: escaped, no markup
    cells = [td.get_text() for td in soup.select("#changes-table tbody tr td")]
    assert "<b>doc</b>" in cells and "<script>alert(1)</script>党员" in cells


def test_chart_json_cannot_close_its_script_element() -> None:
    text = report.script_json(json.dumps({"data": [{"name": "</script><b>x</b>"}]}))
    assert "</" not in text and json.loads(text)["data"][0]["name"] == "</script><b>x</b>"
