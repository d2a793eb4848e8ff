"""The Subjects tab: every figure without a catalog metric, reachable by its subject or sentence.

Search subjects and sentences (queries/subject_search.sql), pick a subject (one per unit) and
see its figures charted by the same point rule as a metric's (queries/points.sql, keyed
'subject:SUBJECT:UNIT'), a point clicked lists exactly that point's figures, and a figure row
opens its evidence. Its callbacks, like the other tabs', do nothing while the tab is hidden.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import duckdb
import plotly.graph_objects as go
import polars as pl
from dash import Dash, Input, Output, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dash_app.components import data, inputs
from dash_app.components.figure_grid import TABLE_COLUMNS, table_rows
from dash_app.components.shell import GRAPH_CONFIG, loading
from dash_app.db import Database
from pipeline.present import charts

TAB = "subjects"
MAX_SUBJECTS = 300     # subjects listed per search (the note says how many matched)
MAX_FIGURES = 1000     # figures listed per subject (the Table tab's "all figures" pages through all)
NO_SUBJECT = "(no subject 无主题)"

SUBJECT_COLUMNS = [
    {"field": "subject_label", "headerName": "主题 subject", "width": 220},
    {"field": "unit", "headerName": "unit", "width": 80},
    {"field": "figures", "headerName": "figures 条数", "filter": "agNumberColumnFilter", "width": 115},
    {"field": "documents", "headerName": "documents 文章", "width": 125},
    {"field": "charted", "headerName": "on the chart 可绘图", "width": 140},
    {"field": "years", "headerName": "years 年份", "width": 120},
]
# the table's own columns, those a subject's figures need (one definition of each column)
FIGURE_COLUMNS = [c for c in TABLE_COLUMNS if c["field"] in (
    "year", "region_name", "value_label", "corrected_label", "text", "period_kind", "quote", "title")]


def subject_label(subject: str, unit: str) -> str:
    return f"{subject or NO_SUBJECT} ({unit or '–'})"


def layout() -> dcc.Tab:
    grid_options = {"pagination": True, "paginationPageSize": 20, "enableCellTextSelection": True,
                    "tooltipShowDelay": 300}
    return dcc.Tab(label="Subjects 主题", value=TAB, children=[
        dcc.Store(id="subject"),
        html.Div(className="controls", children=[
            html.Label("Figures without a metric: search subjects and sentences 无指标数据：搜索主题或原句",
                       htmlFor="subject-search"),
            dcc.Input(id="subject-search", type="search", debounce=True, maxLength=inputs.MAX_TEXT,
                      placeholder="e.g. 村 / 项目 / 志愿者"),
            html.Span(id="subject-note", className="hint"),
        ]),
        loading(dag.AgGrid(id="subject-list", columnDefs=SUBJECT_COLUMNS, rowData=[], getRowId="params.data.key",
                           defaultColDef={"sortable": True, "resizable": True}, dashGridOptions=grid_options,
                           style={"height": "300px"})),
        html.Span("click a subject to chart it, a point for its figures, a figure for its evidence "
                  "点击主题绘图，点击数据点查看其数据，点击行查看出处", className="hint"),
        loading(dcc.Graph(id="subject-graph", config=GRAPH_CONFIG)),
        html.Span(id="subject-figures-note", className="hint"),
        loading(dag.AgGrid(id="subject-figures", columnDefs=FIGURE_COLUMNS, rowData=[],
                           getRowId="params.data.figure_id", defaultColDef={"sortable": True, "resizable": True},
                           dashGridOptions=grid_options, style={"height": "420px"})),
    ])


def subject_rows(con: duckdb.DuckDBPyConnection, search: str) -> tuple[list[dict[str, Any]], str]:
    """The subjects matching `search`, and a note saying how many."""
    found = data.subject_search(con, search, MAX_SUBJECTS)
    total = int(found["subjects"][0]) if found.height else 0
    rows = [{**row, "subject_label": subject_label(row["subject"], row["unit"]),
             "years": "–" if row["first_year"] is None else
             str(row["first_year"]) if row["first_year"] == row["last_year"] else
             f"{row['first_year']}–{row['last_year']}"} for row in found.to_dicts()]
    shown = f"the {len(rows)} with most figures of " if len(rows) < total else ""
    return rows, f"{shown}{total} subject{'' if total == 1 else 's'} · 共{total}个主题"


def subject_chart(con: duckdb.DuckDBPyConnection, key: str | None, years: list[int]) -> go.Figure:
    """A subject's points in every region, by the mart's rule, drawn as a metric's trend."""
    if key is None or not key.startswith("subject:"):
        return charts.message_figure("Choose a subject above · 请在上方选择主题")
    subject, _, unit = key.removeprefix("subject:").rpartition(":")
    found = data.points(con, key, years=(years[0], years[1]))
    if found.is_empty():
        return charts.message_figure("None of this subject's figures has a year and a region to chart · "
                                      "该主题没有可绘图的数据（缺年份或地区）")
    return charts.trend_figure(found.sort("series", "point_kind", "year"), unit, subject_label(subject, unit))


def figure_rows(con: duckdb.DuckDBPyConnection, key: str | None,
                point: dict[str, Any] | None) -> tuple[list[dict[str, Any]], str]:
    """The subject's figures (or, for a clicked point, exactly the figures behind it)."""
    if key is None or not key.startswith("subject:"):
        return [], ""
    figure_ids: list[str] = []
    if point is not None:
        found = data.points(con, key, series=[point["series"]], years=(point["year"], point["year"]))
        found = found.filter(pl.col("point_kind") == point["kind"])
        figure_ids = found["figure_ids"][0].to_list() if found.height else [""]
    rows = data.subject_figures(con, key, figure_ids, MAX_FIGURES)
    total = int(rows["total"][0]) if rows.height else 0
    shown = f"first {rows.height} of " if rows.height < total else ""
    what = (f"behind the point {point['year']} clicked 所点数据点的数据" if point is not None
            else "of this subject 该主题的数据")
    return table_rows(rows), f"{shown}{total} figure{'' if total == 1 else 's'} {what}"


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("subject-list", "rowData"), Output("subject-note", "children"),
                  Input("tab", "value"), Input("subject-search", "value"))
    def search(tab_value, text):
        inputs.shown(tab_value, TAB)
        with db.connect() as con:
            if con is None:
                return [], ""
            return subject_rows(con, (inputs.text(text) or "").strip())

    @app.callback(Output("subject", "data"), Input("subject-list", "cellClicked"), prevent_initial_call=True)
    def choose(cell):
        key = inputs.text(cell.get("rowId")) if isinstance(cell, dict) else None
        if key is None or not key.startswith("subject:"):
            raise PreventUpdate
        return key

    @app.callback(Output("subject-graph", "figure"),
                  Input("tab", "value"), Input("subject", "data"), Input("years", "value"))
    def chart(tab_value, key, years):
        inputs.shown(tab_value, TAB)
        with db.connect() as con:
            if con is None:
                return charts.message_figure("No database 无数据库")
            return subject_chart(con, inputs.text(key), inputs.years(years) or [0, 9999])

    @app.callback(Output("subject-figures", "rowData"), Output("subject-figures-note", "children"),
                  Input("tab", "value"), Input("subject", "data"), Input("subject-graph", "clickData"))
    def figures_of(tab_value, key, click):
        inputs.shown(tab_value, TAB)
        point = inputs.clicked_point(click) if ctx.triggered_id == "subject-graph" else None
        with db.connect() as con:
            if con is None:
                return [], ""
            return figure_rows(con, inputs.text(key), point)

    @app.callback(Output("row-figure", "data", allow_duplicate=True), Output("tab", "value", allow_duplicate=True),
                  Input("subject-figures", "cellClicked"), prevent_initial_call=True)
    def open_figure(cell):
        figure_id = inputs.clicked_row_figure(cell)
        if figure_id is None:
            raise PreventUpdate
        return figure_id, "evidence"

