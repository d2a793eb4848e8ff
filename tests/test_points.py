"""One truth for every chart point: the rule of queries/points.sql on a real DuckDB database,
and the same value and label for each point in the dashboard's trend (points, labels, hover),
its evidence, the compare bars, the static report and `export --points`."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from bs4 import BeautifulSoup
from hand_made import figure, make_db
from points_corpus import EXPECTED, build

from dash_app.pages import compare, evidence, trends
from pipeline import cli, report
from pipeline.present import charts
from pipeline.present.format import YEAR_SO_FAR
from pipeline.warehouse import queries


@pytest.fixture(scope="module")
def points_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("points") / "figures.duckdb")


@pytest.fixture()
def con(points_db: Path):
    connection = duckdb.connect(str(points_db), read_only=True)
    yield connection
    connection.close()


def key(row: dict) -> tuple:
    return row["metric"], row["series"], row["year"], row["point_kind"]


def test_the_mart_applies_the_point_rule(con) -> None:
    found = {key(p): p for p in queries.run(con, "points", **queries.ALL_POINTS).to_dicts()}
    assert {k: (p["value"], p["conflict"]) for k, p in found.items()} == \
        {k: (value, conflict) for k, (value, _label, conflict) in EXPECTED.items()}
    conflict = found[("party_members", "130000", 2022, "year")]
    assert conflict["values"] == [5204900.0, 5210000.0] and conflict["figures"] == 2
    assert conflict["figure_ids"][0] == conflict["figure_id"] == "old:5"   # exact beats the newer 约521万
    items = found[("investment", "130921", 2018, "year")]
    assert (items["figures"], items["figure_id"], items["qualifier"]) == (2, None, "exact")


def test_dashboard_report_and_export_show_the_same_points(con, points_db: Path, tmp_path: Path) -> None:
    # the dashboard's trend: every plotted point with its label and hover
    shown: dict[tuple, tuple] = {}
    for metric, series_list in (("party_members", ["130000", "520000"]), ("investment", ["130921"]),
                                ("party_orgs", ["130921|village|北庄村"])):
        fig, _ = trends.chart(con, metric, series_list, [2000, 2100])
        for trace in fig.data:
            if not trace.meta or "kind" not in trace.meta:
                continue
            for (series, year, kind), y, text, hover in zip(trace.customdata, trace.y, trace.text,
                                                            trace.hovertext, strict=True):
                assert text in hover
                shown[(metric, series, year, kind)] = (y, text, "documents disagree" in str(fig.data) and
                                                       "disagree" in hover)
    assert shown == EXPECTED

    # the report: every table cell, keyed by metric, series, kind and year
    index = report.write_report(con, tmp_path / "report")
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    cells = {}
    for section in soup.select("div.metric"):
        for row in section.select("table.regions tbody tr"):
            for cell in row.select("td[data-point]"):
                cells[(section["data-metric"], row["data-series"], int(cell["data-point"]), row["data-kind"])] = (
                    cell.get_text(" ", strip=True).removesuffix(" ⚠"), "⚠" in cell.get_text())
    assert cells == {k: (label, conflict) for k, (_v, label, conflict) in EXPECTED.items()}
    assert len(soup.select("#conflicts-table tbody tr")) == 1

    # `export --points`, through the command line
    out = tmp_path / "points.jsonl"
    assert cli.main(["export", "--db", str(points_db), "--points", "--format", "jsonl", "--out", str(out)]) == 0
    exported = {key(p): (p["value"], p["value_label"], p["conflict"])
                for p in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert exported == EXPECTED


def test_evidence_opens_the_points_own_figures(con) -> None:
    cards = evidence.point_cards(con, "party_members", {"series": "130000", "year": 2022, "kind": "year"})
    assert "520.49万人" in str(cards[0]) and "different values" in str(cards[1])
    assert [c.className for c in cards[2:]] == ["evidence-card chosen", "evidence-card"]
    target = evidence.point_cards(con, "party_members", {"series": "520000", "year": 2025, "kind": "target"})
    assert len(target) == 2 and "力争" in str(target[1])   # the target's figure only, not the 2023 stock
    cumulative = evidence.point_cards(con, "investment", {"series": "130921", "year": 2018, "kind": "cumulative"})
    assert len(cumulative) == 2 and "累计" in str(cumulative[1])


def test_latest_bars_never_use_a_target_or_a_cumulative(con) -> None:
    bar, _ = compare.bar_and_map(con, "party_members", "latest", "province", "")
    assert list(bar.data[0].x) == [5251000.0, 1900000.0]
    assert list(bar.data[0].text) == ["525.1万人 (2023)", "190余万人 (2023)"]


def test_points_export_as_csv_and_parquet(points_db: Path, tmp_path: Path) -> None:
    for fmt in ("csv", "parquet"):
        out = tmp_path / f"points.{fmt}"
        assert cli.main(["export", "--db", str(points_db), "--points", "--format", fmt, "--out", str(out)]) == 0
        rows = pl.read_csv(out) if fmt == "csv" else pl.read_parquet(out)
        assert rows.height == len(EXPECTED) and "value_label" in rows.columns


def test_a_year_to_date_point_is_the_latest_month_of_its_year(tmp_path: Path) -> None:
    """前三季度 after 上半年: the later month is the point and no conflict with it; two figures
    of the same month that disagree are one; a figure without a month is dated by its document."""
    docs = [{"doc_id": d, "doc": d, "path": f"{d}.txt", "title": d, "source": "新闻联播", "published": published,
             "text": "。"} for d, published in (("h1", "2024-07-15"), ("q3", "2024-10-18"), ("q3b", "2024-10-20"),
                                                ("so_far", "2024-11-02"))]

    def growth(doc: str, value: float, date: str | None, start: int = 0, year: int = 2024) -> dict:
        return figure(doc_id=doc, doc=doc, start=start, text=f"{value}%", value=value, unit="%", year=year,
                      metric="gdp_growth_year_to_date", subject="国内生产总值增长", region_code="000000",
                      region_name="全国", region_level="national", period_kind="flow", date=date)

    db = make_db(tmp_path / "ytd.duckdb", [growth("h1", 5.0, "2024-06"), growth("q3", 4.8, "2024-09"),
                                            growth("h1", 5.3, "2023-06", start=9, year=2023),
                                            growth("q3b", 4.9, "2024-09", start=3)], docs)
    con = duckdb.connect(str(db), read_only=True)
    try:
        points = {p["year"]: p for p in queries.run(con, "points", **queries.ALL_POINTS).to_dicts()}
    finally:
        con.close()
    assert (points[2023]["value"], points[2023]["as_of"], points[2023]["conflict"]) == (5.3, "2023-06", False)
    latest = points[2024]
    assert latest["as_of"] == "2024-09" and latest["conflict"] and latest["values"] == [4.8, 4.9, 5.0]
    assert latest["value"] == 4.9 and latest["figures"] == 3   # the newer document of the latest month
    hover = charts.hover_text(latest)
    assert "2024 1—9月 (through 2024-09)" in hover and YEAR_SO_FAR in hover
    con = duckdb.connect(str(db), read_only=True)
    try:
        index = report.write_report(con, tmp_path / "report")
    finally:
        con.close()
    cells = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select(
        'div.metric[data-metric="gdp_growth_year_to_date"] td[data-point]')
    assert [c.get_text(" ", strip=True).removesuffix(" ⚠") for c in cells] == ["5.3% 1—6月", "4.9% 1—9月"]
    (line,) = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select(
        '#headlines li[data-metric="gdp_growth_year_to_date"]')
    said = " ".join(line.get_text().split())
    assert "2024 年 4.9%（1—9月）" in said and "较" not in said  # 1—9月 is compared with no 1—6月

    db = make_db(tmp_path / "ytd2.duckdb", [growth("h1", 5.0, "2024-06"), growth("so_far", 4.8, None)], docs)
    con = duckdb.connect(str(db), read_only=True)
    try:
        (point,) = queries.run(con, "points", **queries.ALL_POINTS).to_dicts()
    finally:
        con.close()
    assert (point["value"], point["as_of"], point["conflict"]) == (4.8, "2024-11", False)


def test_a_rates_headline_change_is_in_percentage_points() -> None:
    """3.5% then 15.3% rose 11.8 points, not 337%; an amount's change stays relative."""
    def points(unit: str, values: list[float]) -> pl.DataFrame:
        return pl.DataFrame([{"metric": "m", "series": "000000", "series_name": "全国", "year": 2024 + i,
                              "point_kind": "year", "value": v, "unit": unit, "qualifier": "exact", "as_of": None,
                              "figures": 1}
                             for i, v in enumerate(values)])
    rate = report.headline(points("%", [3.5, 15.3]))
    assert rate is not None and (round(rate["change"], 1), rate["change_unit"]) == (11.8, "个百分点")
    amount = report.headline(points("元", [100.0, 150.0]))
    assert amount is not None and (amount["change"], amount["change_unit"]) == (50.0, "%")
