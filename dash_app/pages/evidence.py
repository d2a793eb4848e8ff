"""The Evidence tab: the figures behind a clicked point (or one figure, from a table row), each
with its sentence, and the document a card opens, scrolled to that sentence."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from dash import ALL, Dash, Input, Output, ctx, dcc, html, no_update

from dash_app.components import data, evidence_card, inputs
from dash_app.components.shell import loading
from dash_app.db import Database
from pipeline.present.format import POINT_KIND_NAMES, format_value

TAB = "evidence"


def layout() -> dcc.Tab:
    return dcc.Tab(label="Evidence 出处", value=TAB, children=[
        html.Div(className="evidence", children=[
            loading(html.Div(id="evidence-list", className="evidence-list")),
            loading(html.Div(id="document-view", className="document-view")),
        ]),
    ])


def point_cards(con: duckdb.DuckDBPyConnection, metric: str | None, point: dict[str, Any] | None) -> list[Any]:
    """The figures behind one point: exactly the figure_ids the mart gives that point."""
    info = data.metric_info(con, metric)
    if info is None or not point:
        return evidence_card.evidence_list(pl.DataFrame(), None, "", False)
    found = data.points(con, info["id"], series=[point["series"]], years=(point["year"], point["year"]))
    found = found.filter(pl.col("point_kind") == point["kind"])
    if found.is_empty():
        return evidence_card.evidence_list(pl.DataFrame(), None, "", False)
    chosen = found.row(0, named=True)
    behind = data.evidence_figures(con, chosen["figure_ids"])
    kind_note = "sum of the items below 下列各项之和" if info["kind"] == "items" else "value on the chart 图中取值"
    heading = (f"{info['zh']} · {chosen['series_name']} · {point['year']} · "
               f"{POINT_KIND_NAMES.get(point['kind'], point['kind'])}: "
               f"{format_value(chosen['value'], chosen['unit'], chosen['qualifier'])} ({kind_note})")
    return evidence_card.evidence_list(behind, chosen["figure_id"], heading, chosen["conflict"])


def figure_cards(con: duckdb.DuckDBPyConnection, figure_id: str) -> list[Any]:
    """One figure's card (a table row clicked), whether or not it has a metric, region or year."""
    found = data.evidence_figures(con, [figure_id])
    if found.is_empty():
        return evidence_card.evidence_list(found, None, "", False)
    row = found.row(0, named=True)
    heading = f"{row['subject'] or row['metric'] or '—'} · {row['region_name'] or '—'} · {row['year'] or '—'}"
    return evidence_card.evidence_list(found, None, heading, False)


def document(con: duckdb.DuckDBPyConnection, figure_id: str) -> list[Any]:
    return evidence_card.document_view(data.evidence_document(con, figure_id))


def register(app: Dash, db: Database) -> None:
    @app.callback(Output("evidence-list", "children"),
                  Input("tab", "value"), Input("metric", "value"), Input("point", "data"),
                  Input("row-figure", "data"))
    def evidence(tab, metric, point, row_figure):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                return []
            figure_id = inputs.text(row_figure)
            if "row-figure.data" in ctx.triggered_prop_ids and figure_id:
                return figure_cards(con, figure_id)
            return point_cards(con, inputs.text(metric), inputs.point(point))

    @app.callback(Output("document-view", "children"),
                  Input({"type": "open-doc", "figure": ALL}, "n_clicks"), prevent_initial_call=True)
    def open_document(clicks):
        with db.connect() as con:
            if con is None or not isinstance(clicks, list) or not any(clicks) or not isinstance(ctx.triggered_id, dict):
                return no_update
            figure_id = inputs.text(ctx.triggered_id.get("figure"))
            return no_update if figure_id is None else document(con, figure_id)

    # Its text is hashed into the Content-Security-Policy (dash_app.security): an inline script.
    app.clientside_callback(
        """function(children) {
            const mark = document.getElementById('doc-mark');
            if (mark) { mark.scrollIntoView({block: 'center'}); }
            return window.dash_clientside.no_update;
        }""",
        Output("document-view", "className"), Input("document-view", "children"), prevent_initial_call=True,
    )
