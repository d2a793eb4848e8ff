"""The page shell: the stores and controls every tab shares around the tabs, the no-database
page, and the pieces every tab's layout uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dash import dcc, html

from dash_app.components import controls
from pipeline.present.charts import graph_config

GRAPH_CONFIG: Any = graph_config()
NO_DATABASE = "No database 无数据库 — reload after a build"


def loading(*children: Any) -> dcc.Loading:
    """A spinner over an output while its callback runs, so an old chart never sits under a new title."""
    return dcc.Loading(list(children), type="circle", delay_show=150)


def page(years: tuple[int, int], tabs: list[dcc.Tab]) -> html.Div:
    """The stores behind the URL state and the table's page, the shared controls, then the tabs."""
    return html.Div(className="page", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="point"),
        dcc.Store(id="clicked"),
        dcc.Store(id="row-figure"),
        dcc.Store(id="table-page", data=0),
        html.H1("Grassroots figures 基层数据"),
        controls.layout(years),
        dcc.Tabs(id="tab", value="trends", children=tabs),
    ])


def no_database(path: Path, reason: str) -> html.Div:
    return html.Div(className="page", children=[
        html.H1("Grassroots figures 基层数据"),
        html.Div(id="no-data", className="no-data", children=[
            html.P(reason),
            html.P(["Build it with ", html.Code(f"python -m pipeline build --db {path}"),
                    " and reload this page. 请先构建数据库，然后刷新页面。"]),
        ]),
    ])
