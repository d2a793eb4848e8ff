"""The Table tab: the metric's figures (or all figures) a page at a time in a grid; a row
opens its figure's evidence, and the rows shown download as CSV."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import duckdb
from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dash_app.components import data, inputs
from dash_app.components.figure_grid import TABLE_COLUMNS, table_rows
from dash_app.components.shell import NO_DATABASE, loading
from dash_app.db import Database

TAB = "table"


def layout() -> dcc.Tab:
    return dcc.Tab(label="Table 表格", value=TAB, children=[
        html.Div(className="controls", children=[
            dcc.RadioItems(id="table-scope", value="metric", inline=True, options=[
                {"label": "this metric 当前指标", "value": "metric"},
                {"label": "all figures 全部数据", "value": "all"},
            ]),
            html.Button("◀ previous 上一页", id="table-prev", n_clicks=0),
            html.Button("next 下一页 ▶", id="table-next", n_clicks=0),
            html.Button("Download CSV of the rows shown 下载CSV", id="csv", n_clicks=0),
            html.Span(id="table-note", className="hint"),
            html.Span("click a row for its evidence 点击行查看出处", className="hint"),
        ]),
        loading(dag.AgGrid(
            id="table", columnDefs=TABLE_COLUMNS, rowData=[], getRowId="params.data.figure_id",
            defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True},
            dashGridOptions={"pagination": True, "paginationPageSize": 50, "enableCellTextSelection": True,
                             "tooltipShowDelay": 300},
            csvExportParams={"fileName": "figures.csv",  # formula-like cells neutralised (assets/)
                             "processCellCallback": {"function": "csvSafeCell(params)"}},
            style={"height": "640px"},
        )),
    ])


def rows(con: duckdb.DuckDBPyConnection, metric: str | None, scope: str, years: list[int] | None,
         page: int) -> tuple[list[dict[str, Any]], str, int]:
    """One page of the table's rows, a note saying which rows of how many, and the page shown."""
    bounds = years or list(data.year_bounds(con) or (0, 9999))
    chosen = (metric or "") if scope == "metric" else ""
    total = data.table_count(con, chosen, (bounds[0], bounds[1]))
    pages = max(1, -(-total // data.TABLE_LIMIT))
    page = min(max(page, 0), pages - 1)
    found = data.table_figures(con, chosen, (bounds[0], bounds[1]), offset=page * data.TABLE_LIMIT)
    first = page * data.TABLE_LIMIT + 1 if total else 0
    note = (f"rows {first}–{page * data.TABLE_LIMIT + found.height} of {total} figures · "
            f"第{page + 1}/{pages}页，共{total}条 (figures without a year are always shown 无年份的也列出)")
    return table_rows(found), note, page


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("table", "rowData"), Output("table-note", "children"), Output("table-page", "data"),
                  Input("tab", "value"), Input("metric", "value"), Input("table-scope", "value"),
                  Input("years", "value"), Input("table-prev", "n_clicks"), Input("table-next", "n_clicks"),
                  State("table-page", "data"))
    def table(tab, metric, scope, years, _prev, _next, page):
        inputs.shown(tab, TAB)
        page = inputs.page(page)
        step = {"table-prev": -1, "table-next": 1}.get(ctx.triggered_id, 0)  # type: ignore[call-overload]
        page = page + step if step else (page if ctx.triggered_id == "tab" else 0)
        with db.connect() as con:
            if con is None:
                return [], NO_DATABASE, 0
            return rows(con, inputs.text(metric), "all" if scope == "all" else "metric",
                        inputs.years(years), max(page, 0))

    @app.callback(Output("row-figure", "data"), Output("tab", "value", allow_duplicate=True),
                  Input("table", "cellClicked"), prevent_initial_call=True)
    def open_row(cell):
        """A table row opens its figure's evidence (rows are keyed by figure id: getRowId)."""
        figure_id = inputs.clicked_row_figure(cell)
        if figure_id is None:
            raise PreventUpdate
        return figure_id, "evidence"

    @app.callback(Output("table", "exportDataAsCsv"), Input("csv", "n_clicks"), prevent_initial_call=True)
    def download_csv(_clicks):
        return True
