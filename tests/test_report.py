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

from pipeline import queries, report, store
from pipeline.build import build


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


def test_one_chart_and_region_table_per_metric_with_data(sample_report: tuple[BeautifulSoup, Path],
                                                         sample_con) -> None:
    soup, _ = sample_report
    values = queries.run(sample_con, "report_metric_values")
    sections = soup.select("div.metric")
    assert [s["data-metric"] for s in sections] == values["metric"].unique(maintain_order=True).to_list()
    for section in sections:
        points = values.filter(pl.col("metric") == section["data-metric"])
        chart = json.loads(section.select_one('script[type="application/json"]').string)
        charted = report.most_covered(points, report.PLACES_CHARTED)
        assert sum(len(trace["x"]) for trace in chart["data"]) == charted.height
        places = points.select("region_code", "region_level", "region_name").unique().height
        assert len(section.select("table.regions tbody tr")) == places
        assert len(chart["data"]) == min(places, report.PLACES_CHARTED)


def test_charts_keep_the_places_with_most_years() -> None:
    points = pl.DataFrame({
        "region_code": ["1", "1", "2", "3", "3", "3"], "region_level": ["county"] * 6,
        "region_name": ["甲", "甲", "乙", "丙", "丙", "丙"], "year": [2020, 2021, 2020, 2020, 2021, 2022],
        "figures": [1, 1, 5, 1, 1, 1], "value": [1.0] * 6})
    kept = report.most_covered(points, 2)
    assert sorted(set(kept["region_name"].to_list())) == ["丙", "甲"] and kept.height == 5
    fig = report.trend_figure(kept, "标题", "个")
    assert [t.name for t in fig.data] == ["甲（1）", "丙（3）"]


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
    assert [td.get_text(strip=True) for td in conflict[0].select("td")][:4] == \
        ["党员人数", "河北省（130000）", "2022", "100 / 120 人"]
    assert soup.select_one('[data-quality="without_region"]').get_text() == "1"
    assert soup.select_one('[data-quality="without_year"]').get_text() == "1"
    reject = soup.select_one("#rejects-table tbody tr").select("td")
    assert [reject[0].get_text(), reject[1].get_text()] == ["bad.pdf", "encrypted: <needs a password>"]


def test_text_from_reports_is_escaped(quality_db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    soup = soup_of(report.write_report(quality_db, tmp_path / "report"))
    assert soup.select("b") == []
    assert not any("alert(1)" in (s.string or "") for s in soup.select("script"))
    cells = [td.get_text() for td in soup.select("#changes-table tbody tr td")]
    assert "<b>doc</b>" in cells and "<script>alert(1)</script>党员" in cells


def test_chart_json_cannot_close_its_script_element() -> None:
    text = report.script_json(json.dumps({"data": [{"name": "</script><b>x</b>"}]}))
    assert "</" not in text and json.loads(text)["data"][0]["name"] == "</script><b>x</b>"


@pytest.mark.parametrize(("value", "shown"), [
    (120000000.0, "1.2亿"), (4039130000000.004, "40,391.3亿"), (518000.0, "518,000"), (27.5, "27.5"),
    (0.125, "0.12"), (-3.0, "-3"), (None, ""),
])
def test_numbers_read_as_in_chinese_reports(value: float | None, shown: str) -> None:
    assert report.number(value) == shown
