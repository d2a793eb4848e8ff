"""The Trends tab: one line per chosen region over the years, for the chosen metric."""

from __future__ import annotations

from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, dcc, html

from dash_app.components import data, inputs
from dash_app.components.labels import metric_title
from dash_app.components.shell import GRAPH_CONFIG, NO_DATABASE, loading
from dash_app.db import Database
from pipeline.present import charts

TAB = "trends"
LEGEND_NOTE = ("● exact 确数   ○ approximate 约数 (余/多/近/约)   ◆ - - target 目标   ■ cumulative 累计 "
               "(several years' sum, not a year's value)   "
               "red ring: documents disagree 数据冲突 (click for every value)   "
               "teal ring: corrected by an analyst 人工更正 (hover for the value extracted)")


def layout() -> dcc.Tab:
    return dcc.Tab(label="Trends 趋势", value=TAB, children=[
        html.Div(className="controls", children=[
            html.P(LEGEND_NOTE, className="legend-note"),
            dcc.Checklist(id="log", options=[{"label": "log scale 对数坐标", "value": "log"}], value=[],
                          inline=True),
        ]),
        loading(dcc.Graph(id="trend-graph", config=GRAPH_CONFIG)),
    ])


def download_name(info: dict[str, Any], places: list[str]) -> str:
    """The name of a chart's PNG download: metric, places and unit."""
    return "_".join([info["zh"], info["en"], *places[:4], info["unit"]])


def chart(con: duckdb.DuckDBPyConnection, metric: str | None, regions: list[str], years: list[int],
          log: bool = False) -> tuple[go.Figure, dict[str, Any]]:
    """The trend chart and its graph config (the download names metric, regions and unit)."""
    info = data.metric_info(con, metric)
    if info is None:
        return charts.message_figure("Choose a metric · 请选择指标"), charts.graph_config()
    if not regions:
        if data.region_options(con, info["id"]).is_empty():
            return charts.message_figure(
                f"No figures of {info['en']} in the database yet · 数据库中还没有{info['zh']}的数据"), \
                charts.graph_config()
        return charts.message_figure("Choose one or more regions · 请选择地区"), charts.graph_config()
    found = data.points(con, info["id"], series=regions, years=(years[0], years[1]))
    # Keep the picker's order so each region keeps its colour as others are added.
    order = {s: i for i, s in enumerate(regions)}
    found = found.sort(pl.col("series").replace_strict(order, default=len(order)), "point_kind", "year")
    names = found["series_name"].unique(maintain_order=True).to_list()
    return (charts.trend_figure(found, info["unit"], metric_title(info), log),
            charts.graph_config(download_name(info, names)))


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("trend-graph", "figure"), Output("trend-graph", "config"),
                  Input("tab", "value"), Input("metric", "value"), Input("regions", "value"),
                  Input("years", "value"), Input("log", "value"))
    def trend(tab, metric, regions, years, log):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                return charts.message_figure(NO_DATABASE), charts.graph_config()
            return chart(con, inputs.text(metric), inputs.texts(regions), inputs.years(years) or [0, 9999],
                         inputs.flag(log))
