"""The Corrections tab: every analyst's correction with its audit trail (who, when, why, what it
changed, its status, the undo that took it back), orphans first: a correction whose figure
cannot be found after its document changed waits there for someone to re-anchor or undo it.
A row of a correction that applies opens its figure's evidence."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import duckdb
from dash import Dash, Input, Output, dcc, html
from dash.exceptions import PreventUpdate

from dash_app.components import data, inputs
from dash_app.components.shell import NO_DATABASE, loading
from dash_app.db import Database
from pipeline.present.corrections import STATUS_NAMES, change_text

TAB = "corrections"
COLUMNS = [
    {"field": "status_label", "headerName": "status 状态", "width": 125},
    {"field": "when", "headerName": "when 时间 (UTC)", "width": 150, "tooltipField": "created_at"},
    {"field": "author", "headerName": "who 更正人", "width": 110},
    {"field": "change", "headerName": "what 更正内容", "width": 260, "tooltipField": "change"},
    {"field": "text", "headerName": "原文 text", "width": 110},
    {"field": "reason", "headerName": "why 原因", "width": 220, "tooltipField": "reason"},
    {"field": "problem", "headerName": "orphaned because 失效原因", "width": 260, "tooltipField": "problem"},
    {"field": "undone", "headerName": "undone 撤销", "width": 220, "tooltipField": "undone"},
    {"field": "quote", "headerName": "quote 出处", "width": 320, "tooltipField": "quote"},
    {"field": "title", "headerName": "document 文章", "width": 200},
    {"field": "correction_id", "headerName": "correction", "width": 130},
    {"field": "line", "headerName": "line 行", "width": 80},
]


def layout() -> dcc.Tab:
    return dcc.Tab(label="Corrections 更正", value=TAB, children=[
        html.P(id="corrections-note", className="corrections-note"),
        loading(dag.AgGrid(
            id="corrections-grid", columnDefs=COLUMNS, rowData=[], getRowId="params.data.correction_id",
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"enableCellTextSelection": True, "tooltipShowDelay": 300,
                             "rowClassRules": {"orphaned": "params.data.status === 'orphaned'"}},
            style={"height": "480px"},
        )),
    ])


def rows(con: duckdb.DuckDBPyConnection) -> tuple[list[dict[str, Any]], str]:
    """The corrections as grid rows, orphans first, and a line counting them (corrections_summary.sql)."""
    found = data.corrections(con).to_dicts()
    s = data.corrections_summary(con)
    note = (f"{s['corrections']} corrections 条更正: {s['applied']} applied 已生效, {s['orphaned']} orphaned 失效, "
            f"{s['undone']} undone 已撤销 · figures {s['figures_corrected']} corrected 更正, {s['figures_rejected']} "
            f"rejected 剔除, {s['figures_added']} added 补录, {s['figures_confirmed']} confirmed 确认")
    if s["orphaned"]:
        note += (" · ⚠ orphaned corrections apply to no figure until someone re-anchors or undoes them "
                 "(python -m pipeline correct --reanchor / --undo)")
    if not s["corrections"]:
        note = "No corrections yet 还没有人工更正 — `serve --curate` or `python -m pipeline correct`."
    return [{**r, "status_label": STATUS_NAMES[r["status"]], "change": change_text(r),
             "when": r["created_at"].replace("T", " ")[:16],
             "undone": f"{r['undone_by']} · {r['undone_by_author']} {r['undone_at']}: {r['undo_reason']}"
             if r["undone_by"] else ""} for r in found], note


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("corrections-grid", "rowData"), Output("corrections-note", "children"),
                  Input("tab", "value"))
    def corrections(tab):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                return [], NO_DATABASE
            return rows(con)

    @app.callback(Output("row-figure", "data", allow_duplicate=True), Output("tab", "value", allow_duplicate=True),
                  Input("corrections-grid", "cellClicked"), prevent_initial_call=True)
    def open_figure(cell):
        """A correction that applies opens its figure's evidence."""
        correction_id = inputs.clicked_row_figure(cell)
        if correction_id is None:
            raise PreventUpdate
        with db.connect() as con:
            if con is None:
                raise PreventUpdate
            found = data.corrections(con).filter(correction_id=correction_id, status="applied")
            figure = found["applies_to"][0] if found.height else None
            if figure is None or data.correction_figure(con, figure) is None:
                raise PreventUpdate   # orphaned, undone or a rejection: no figure to show
        return figure, "evidence"
