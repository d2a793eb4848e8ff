"""The Compare tab: the chosen metric's regions side by side, as sorted bars and a map, for a
year or each region's latest."""

from __future__ import annotations

from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, dcc, html

from dash_app.components import data, geo, inputs
from dash_app.components.labels import metric_title
from dash_app.components.shell import GRAPH_CONFIG, NO_DATABASE, loading
from dash_app.db import Database
from pipeline.present import charts

TAB = "compare"
# The bar chart shows the largest regions only; the map and the table show them all.
MAX_BARS = 30
# plotly.js fetches world_110m.json for every geo map; the stand-in in assets/ keeps it offline.
MAP_CONFIG: Any = {**GRAPH_CONFIG, "topojsonURL": "/assets/topojson/"}


def layout() -> dcc.Tab:
    return dcc.Tab(label="Compare 对比", value=TAB, children=[
        html.Div(className="controls", children=[
            html.Div(className="control", children=[
                html.Label("Year 年份", htmlFor="cyear"),
                dcc.Dropdown(id="cyear", clearable=False, value="latest"),
            ]),
            html.Div(className="control", children=[
                html.Label("Level 层级"),
                dcc.RadioItems(id="level", value="province", inline=True, options=[
                    {"label": "provinces 省", "value": "province"},
                    {"label": "prefectures 地市", "value": "prefecture"},
                    {"label": "counties 县区", "value": "county"},
                ]),
            ]),
            html.Div(className="control", children=[
                html.Label("Within province 省内", htmlFor="province"),
                dcc.Dropdown(id="province", placeholder="all provinces 全部"),
            ]),
        ]),
        html.Div(className="compare", children=[
            loading(dcc.Graph(id="compare-bar", config=GRAPH_CONFIG, className="compare-bar")),
            loading(dcc.Graph(id="compare-map", config=MAP_CONFIG, className="compare-map")),
        ]),
    ])


def latest(points: pl.DataFrame) -> pl.DataFrame:
    """Each series' most recent point of kind 'year' (never a cumulative or a target)."""
    actual = points.filter(pl.col("point_kind") == "year")
    return actual.sort("year", descending=True).group_by("series", maintain_order=True).first()


def compared(points: pl.DataFrame, year: int | None) -> pl.DataFrame:
    """The bars, largest first: each series' value in `year`, or its latest when `year` is None
    (queries/points.sql holds the point rule)."""
    actual = points.filter(pl.col("point_kind") == "year")
    chosen = latest(actual) if year is None else actual.filter(pl.col("year") == year)
    return chosen.sort(["value", "series"], descending=[True, False])


def bar_and_map(con: duckdb.DuckDBPyConnection, metric: str | None, cyear: str, level: str,
              province: str) -> tuple[go.Figure, go.Figure]:
    """The bar chart (the largest MAX_BARS) and the map of every region at `level`."""
    info = data.metric_info(con, metric)
    if info is None:
        message = charts.message_figure("Choose a metric · 请选择指标")
        return message, message
    year = None if cyear == "latest" else int(cyear)
    years = (0, 9999) if year is None else (year, year)
    found = data.points(con, info["id"], level=level, province=province or "", years=years)
    bars = compared(found, year)
    title = metric_title(info) + (" · latest 最新" if year is None else f" · {year}")
    bar_title = title if bars.height <= MAX_BARS else f"{title} · top {MAX_BARS} of {bars.height} 前{MAX_BARS}名"
    return (
        charts.compare_bar(bars.head(MAX_BARS), info["unit"], bar_title, show_year=year is None),
        charts.compare_map(bars, geo.outlines(level, province or ""), info["unit"], title, geo.url(level)),
    )


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("compare-bar", "figure"), Output("compare-map", "figure"),
                  Input("tab", "value"), Input("metric", "value"), Input("cyear", "value"), Input("level", "value"),
                  Input("province", "value"))
    def compare(tab, metric, cyear, level, province):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                message = charts.message_figure(NO_DATABASE)
                return message, message
            return bar_and_map(con, inputs.text(metric), inputs.cyear(cyear), inputs.level(level),
                             inputs.text(province) or "")
