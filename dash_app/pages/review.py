"""The Review tab: the chosen metric's figures most likely to be wrong first
(pipeline.curation.review: conflicts, targets and cumulatives next to a year's value, outlying
values, metrics from the context), those already corrected or confirmed left out; a row opens
the figure's evidence, where a curating dashboard corrects, rejects or confirms it."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import duckdb
from dash import Dash, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dash_app.components import inputs
from dash_app.components.shell import NO_DATABASE, loading
from dash_app.db import Database
from pipeline.curation import review
from pipeline.present.format import PERIOD_NAMES, format_value

TAB = "review"
COLUMNS = [
    {"field": "score", "headerName": "score 优先", "width": 95, "filter": "agNumberColumnFilter"},
    {"field": "why", "headerName": "why 理由", "width": 300, "tooltipField": "why"},
    {"field": "metric_zh", "headerName": "指标 metric", "width": 140},
    {"field": "region_name", "headerName": "地区 region", "width": 110},
    {"field": "year", "headerName": "年份 year", "width": 90},
    {"field": "value_label", "headerName": "数值 value", "width": 110},
    {"field": "period", "headerName": "period", "width": 110},
    {"field": "text", "headerName": "原文 text", "width": 110},
    {"field": "quote", "headerName": "quote 出处", "width": 360, "tooltipField": "quote"},
    {"field": "title", "headerName": "document 文章", "width": 200},
]


def layout() -> dcc.Tab:
    return dcc.Tab(label="Review 待审", value=TAB, children=[
        html.P(id="review-note", className="hint"),
        loading(dag.AgGrid(
            id="review-grid", columnDefs=COLUMNS, rowData=[], getRowId="params.data.figure_id",
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"enableCellTextSelection": True, "tooltipShowDelay": 300},
            style={"height": "600px"},
        )),
    ])


def rows(con: duckdb.DuckDBPyConnection, metric: str | None) -> tuple[list[dict[str, Any]], str]:
    """The metric's queue as grid rows, and a line saying what it is."""
    if not metric:
        return [], "Choose a metric · 请选择指标"
    found = review.queue(con, metric).to_dicts()
    note = (f"the {len(found)} figure{'' if len(found) == 1 else 's'} of this metric most likely to be wrong, first "
            f"to check; click one for its evidence 该指标最可能有误的{len(found)}个数字，点击查看出处" if found else
            "Nothing to review 没有待审数字: no conflicts, outliers or doubtful metrics left in this metric.")
    return [{**r, "why": "; ".join(r["reasons"]), "value_label": format_value(r["value"], r["unit"], r["qualifier"]),
             "period": PERIOD_NAMES.get(r["period_kind"], r["period_kind"])} for r in found], note


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("review-grid", "rowData"), Output("review-note", "children"),
                  Input("tab", "value"), Input("metric", "value"))
    def queue(tab, metric):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                return [], NO_DATABASE
            return rows(con, inputs.text(metric))

    @app.callback(Output("row-figure", "data", allow_duplicate=True), Output("tab", "value", allow_duplicate=True),
                  Input("review-grid", "cellClicked"), prevent_initial_call=True)
    def open_figure(cell):
        figure_id = inputs.clicked_row_figure(cell)
        if figure_id is None:
            raise PreventUpdate
        return figure_id, "evidence"
