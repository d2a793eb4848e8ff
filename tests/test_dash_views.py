"""Views over real databases: the sample corpus, and small hand-made ones for the rules."""

import os

import duckdb
import polars as pl
import pytest
from hand_made import figure, make_db

from dash_app import query_params
from dash_app.app import create_app
from dash_app.components import controls, data
from dash_app.db import Database
from dash_app.pages import compare, evidence, table, trends
from pipeline.warehouse import queries

DASHBOARD_QUERY_PREFIXES = ("trend_", "compare_", "evidence_", "table_", "metric_", "region_", "points", "subject_",
                            "review_", "corrections_", "correction_figure")


def test_sample_trend_points_equal_the_database(sample_con):
    fig, config = trends.chart(sample_con, "party_orgs", ["130000", "130921"], [2000, 2100])
    assert config["showSendToCloud"] is False and "基层党组织" in config["toImageButtonOptions"]["filename"]
    plotted = {(t.name, x, y) for t in fig.data if t.meta.get("series") for x, y in zip(t.x, t.y, strict=True)}
    expected = sample_con.execute(
        "SELECT r.name, f.year, f.value FROM figures f JOIN regions r ON r.code = f.region_code "
        "AND r.level = f.region_level WHERE f.metric = 'party_orgs' AND f.region_code IN ('130000', '130921') "
        "AND f.period_kind NOT IN ('target', 'cumulative')").fetchall()
    assert expected and plotted == set(expected)


def test_default_view_has_a_metric_two_regions_and_the_years(sample_con):
    state = controls.completed(sample_con, {"tab": "trends", "metric": None, "regions": [], "years": None})
    assert state["metric"] and len(state["regions"]) == 2
    first, last = sample_con.execute("SELECT min(year), max(year) FROM figures").fetchone()
    assert state["years"] == [first, last]
    assert trends.chart(sample_con, state["metric"], state["regions"], state["years"])[0].data


def test_village_figures_stay_out_of_their_county_line(tmp_path):
    db = make_db(tmp_path / "f.duckdb", [
        figure(start=0, value=860.0),
        figure(start=10, value=5.0, region_name="北庄村", region_level="village"),
    ])
    con = duckdb.connect(str(db), read_only=True)
    options = data.region_options(con, "party_orgs")
    assert options["series"].to_list() == ["130921", "130921|village|北庄村"]
    county, _ = trends.chart(con, "party_orgs", ["130921"], [2000, 2100])
    assert [list(t.y) for t in county.data] == [[860.0]]
    village, _ = trends.chart(con, "party_orgs", ["130921|village|北庄村"], [2000, 2100])
    assert [(t.name, list(t.y)) for t in village.data] == [("北庄村", [5.0])]


def test_conflicting_documents_all_show_in_evidence(tmp_path):
    docs = [{"doc_id": d, "doc": d, "path": f"{d}.txt", "title": d, "source": "报", "published": p, "text": "有5个。"}
            for d, p in (("old", "2022-01-01"), ("new", "2023-06-01"))]
    db = make_db(tmp_path / "f.duckdb", [figure(doc_id="old", doc="old", value=860.0),
                                         figure(doc_id="new", doc="new", value=900.0)], docs)
    con = duckdb.connect(str(db), read_only=True)
    fig, _ = trends.chart(con, "party_orgs", ["130921"], [2000, 2100])
    assert list(fig.data[0].y) == [900.0] and any(t.meta == {"conflicts": True} for t in fig.data)
    cards = evidence.point_cards(con, "party_orgs", {"series": "130921", "year": 2022, "kind": "year"})
    assert "disagree" not in str(cards[0]) and "different values" in str(cards[1])
    assert [c.className for c in cards[2:]] == ["evidence-card chosen", "evidence-card"]


def test_compare_and_table_on_the_sample(sample_con):
    bar, _map = compare.bar_and_map(sample_con, "party_orgs", "latest", "province", "")
    assert list(bar.data[0].y) == ["河北省"] and list(bar.data[0].x) == [217800.0]
    rows, note, _ = table.rows(sample_con, "party_orgs", "metric", [2000, 2100], 0)
    assert {r["metric"] for r in rows} == {"party_orgs"} and note.startswith(f"rows 1–{len(rows)} of {len(rows)} ")
    all_rows, note, _ = table.rows(sample_con, None, "all", [2000, 2100], 5)
    total = sample_con.execute("SELECT count(*) FROM figures").fetchone()[0]
    assert len(all_rows) == total and f"of {total} figures" in note


def test_the_table_pages_through_every_row(sample_con, monkeypatch):
    monkeypatch.setattr(data, "TABLE_LIMIT", 50)
    total = sample_con.execute("SELECT count(*) FROM figures").fetchone()[0]
    seen, page = [], 0
    while True:
        rows, note, shown = table.rows(sample_con, None, "all", [0, 9999], page)
        if shown < page:
            break
        seen += [r["figure_id"] for r in rows]
        assert f"of {total} figures" in note
        page += 1
    assert len(seen) == len(set(seen)) == total


def test_a_metric_without_figures_shows_a_message(sample_con):
    empty = sample_con.execute("SELECT id FROM metrics WHERE id NOT IN (SELECT metric FROM figures "
                               "WHERE metric IS NOT NULL) LIMIT 1").fetchone()[0]
    fig, _ = trends.chart(sample_con, empty, ["130000"], [2000, 2100])
    assert not fig.data and "No figures" in fig.layout.annotations[0].text
    opening, _ = trends.chart(sample_con, empty, controls.regions_for_metric(sample_con, empty, ["130000"]),
                             [2000, 2100])
    assert "in the database yet" in opening.layout.annotations[0].text


def test_default_query_params_cover_every_dashboard_query_and_run(sample_con):
    params = query_params.default_query_params(sample_con)
    dashboard = {n for n in queries.names() if n.startswith(DASHBOARD_QUERY_PREFIXES)}
    assert set(params) == dashboard
    for name, values in params.items():
        assert queries.description(name).startswith(f"{name}:")
        assert isinstance(queries.run(sample_con, name, **values), pl.DataFrame)
    assert queries.run(sample_con, "evidence_figures", **params["evidence_figures"]).height >= 1


def values(db: Database) -> list[tuple]:
    with db.connect() as con:
        return con.execute("SELECT value FROM figures").fetchall()


def test_a_replaced_database_file_is_picked_up(tmp_path):
    path = tmp_path / "figures.duckdb"
    db = Database(path)
    with db.connect() as con:
        assert con is None
    make_db(path, [figure(value=1.0)])
    assert values(db) == [(1.0,)]
    make_db(tmp_path / "next.duckdb", [figure(value=2.0)])
    os.replace(tmp_path / "next.duckdb", path)
    assert values(db) == [(2.0,)]


def test_a_file_that_is_not_a_database_counts_as_missing(tmp_path):
    path = tmp_path / "figures.duckdb"
    path.write_bytes(b"not a database")
    with Database(path).connect() as con:
        assert con is None


@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_app_without_figures_says_so(tmp_path, kind):
    path = tmp_path / "figures.duckdb"
    if kind == "empty":
        make_db(path, [])
    layout = create_app(path).layout()
    assert layout.children[1].id == "no-data"
    assert "python -m pipeline build" in str(layout)


def trend_values(client, metric: str, series: list[str]) -> list[float]:
    body = {"output": "..trend-graph.figure...trend-graph.config..",
            "outputs": [{"id": "trend-graph", "property": "figure"}, {"id": "trend-graph", "property": "config"}],
            "inputs": [{"id": "tab", "property": "value", "value": "trends"},
                       {"id": "metric", "property": "value", "value": metric},
                       {"id": "regions", "property": "value", "value": series},
                       {"id": "years", "property": "value", "value": [2000, 2100]},
                       {"id": "log", "property": "value", "value": []}],
            "changedPropIds": ["metric.value"]}
    figure = client.post("/_dash-update-component", json=body).get_json()["response"]["trend-graph"]["figure"]
    return [y for trace in figure["data"] for y in trace["y"]]


def test_the_running_app_serves_a_rebuilt_database_without_restart(tmp_path):
    path = make_db(tmp_path / "figures.duckdb", [figure(value=860.0)])
    client = create_app(path).server.test_client()
    assert trend_values(client, "party_orgs", ["130921"]) == [860.0]
    os.replace(make_db(tmp_path / "next.duckdb", [figure(value=900.0)]), path)
    assert trend_values(client, "party_orgs", ["130921"]) == [900.0]


@pytest.mark.parametrize(("first", "last", "labels"), [
    (2016, 2025, [2016, 2018, 2020, 2022, 2025]),   # a label for each year ran them into one another
    (2020, 2022, [2020, 2021, 2022]),
    (2018, 2018, [2018]),
    (1990, 2025, [1990, 2000, 2010, 2025]),
])
def test_the_year_slider_labels_the_ends_and_round_years_between(first: int, last: int, labels: list[int]) -> None:
    marks = controls.year_marks(first, last)
    assert list(marks) == labels and len(marks) <= controls.MAX_YEAR_LABELS
    assert all(marks[y] == str(y) for y in marks)
