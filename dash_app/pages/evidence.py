"""The Evidence tab: the figures behind a clicked point (or one figure, from a table row), each
with its sentence, and the document a card opens, scrolled to that sentence. When the dashboard
curates (`serve --curate`), each card can be corrected, rejected or confirmed: a form beside the
list, saved through pipeline.curation (the `correct` command's path: the corrections file, then
the database published again), after which the list is read again."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dash_app.components import correction_form, data, evidence_card, inputs
from dash_app.components.shell import loading
from dash_app.db import Database
from pipeline import curation
from pipeline.curation import entries
from pipeline.present.corrections import ACTION_NAMES
from pipeline.present.format import POINT_KIND_NAMES, format_value
from pipeline.warehouse.publish import BuildLocked

TAB = "evidence"


def layout() -> dcc.Tab:
    return dcc.Tab(label="Evidence 出处", value=TAB, children=[
        dcc.Store(id="curation-saved", data=0),   # counts the corrections saved here: the list is read again
        dcc.Store(id="correction-target"),
        html.Div(className="evidence", children=[
            loading(html.Div(id="evidence-list", className="evidence-list")),
            html.Div(className="evidence-side", children=[
                html.Div(id="curation-message", role="status"),
                html.Div(id="curation"),   # the correction form, when the dashboard curates and a card asks
                loading(html.Div(id="document-view", className="document-view")),
            ]),
        ]),
    ])


def point_cards(con: duckdb.DuckDBPyConnection, metric: str | None, point: dict[str, Any] | None,
                curating: bool = False) -> list[Any]:
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
    return evidence_card.evidence_list(behind, chosen["figure_id"], heading, chosen["conflict"], curating)


def figure_cards(con: duckdb.DuckDBPyConnection, figure_id: str, curating: bool = False) -> list[Any]:
    """One figure's card (a table row clicked), whether or not it has a metric, region or year."""
    found = data.evidence_figures(con, [figure_id])
    if found.is_empty():
        return evidence_card.evidence_list(found, None, "", False)
    row = found.row(0, named=True)
    heading = f"{row['subject'] or row['metric'] or '—'} · {row['region_name'] or '—'} · {row['year'] or '—'}"
    return evidence_card.evidence_list(found, None, heading, False, curating)


def document(con: duckdb.DuckDBPyConnection, figure_id: str) -> list[Any]:
    return evidence_card.document_view(data.evidence_document(con, figure_id))


def register(app: Dash, db: Database) -> None:
    curating = db.corrections is not None

    @app.callback(Output("evidence-list", "children"),
                  Input("tab", "value"), Input("metric", "value"), Input("point", "data"),
                  Input("row-figure", "data"), Input("curation-saved", "data"), State("correction-target", "data"))
    def evidence(tab, metric, point, row_figure, _saved, target):
        inputs.shown(tab, TAB)
        with db.connect() as con:
            if con is None:
                return []
            figure_id = inputs.text(row_figure)
            if "row-figure.data" in ctx.triggered_prop_ids and figure_id:
                return figure_cards(con, figure_id, curating)
            corrected = correction_form.target(target)
            if "curation-saved.data" in ctx.triggered_prop_ids and corrected and corrected["figure"] == figure_id:
                return figure_cards(con, figure_id, curating)   # saved on a card a table row opened
            return point_cards(con, inputs.text(metric), inputs.point(point), curating)

    @app.callback(Output("document-view", "children"),
                  Input({"type": "open-doc", "figure": ALL}, "n_clicks"), prevent_initial_call=True)
    def open_document(clicks):
        with db.connect() as con:
            if con is None or not isinstance(clicks, list) or not any(clicks) or not isinstance(ctx.triggered_id, dict):
                return no_update
            figure_id = inputs.text(ctx.triggered_id.get("figure"))
            return no_update if figure_id is None else document(con, figure_id)

    if curating:
        register_curation(app, db)

    # Its text is hashed into the Content-Security-Policy (dash_app.security): an inline script.
    app.clientside_callback(
        """function(children) {
            const mark = document.getElementById('doc-mark');
            if (mark) { mark.scrollIntoView({block: 'center'}); }
            return window.dash_clientside.no_update;
        }""",
        Output("document-view", "className"), Input("document-view", "children"), prevent_initial_call=True,
    )


def save(db: Database, target: dict[str, str], values: dict[str, Any]) -> str:
    """Record the correction the form asks for and publish it; what happened, in one line."""
    assert db.corrections is not None
    figure, action = target["figure"], target["action"]
    reason, author = correction_form.long_text(values.get("cf-reason")), correction_form.long_text(
        values.get("cf-author"))
    make: curation.Draft = {
        "reject": lambda con, _found: entries.reject(con, figure, reason, author),
        "confirm": lambda con, _found: entries.confirm(con, figure, reason, author),
        "set": lambda con, _found: entries.change(con, figure, correction_form.changes(values), reason, author),
    }[action]
    try:
        new, _summary = curation.record(db.path, db.corrections, make)
    except (curation.CorrectionError, curation.LedgerError, curation.NotPublished, BuildLocked,
            FileNotFoundError) as e:
        return f"✗ not saved 未保存: {e}"
    return f"✓ {new[0].correction_id}: {ACTION_NAMES[action]} “{new[0].text}” — saved to {db.corrections}"


def register_curation(app: Dash, db: Database) -> None:
    """The form's callbacks: a card's button opens it for that figure, save writes the correction."""
    @app.callback(Output("curation", "children"), Output("correction-target", "data"),
                  Output("curation-message", "children", allow_duplicate=True),
                  Input({"type": "curate", "action": ALL, "figure": ALL}, "n_clicks"), prevent_initial_call=True)
    def open_form(clicks):
        chosen = correction_form.target(ctx.triggered_id)
        if not isinstance(clicks, list) or not any(isinstance(c, int) and c for c in clicks) or chosen is None:
            raise PreventUpdate
        with db.connect() as con:
            figure = data.correction_figure(con, chosen["figure"]) if con is not None else None
            if con is None or figure is None:
                raise PreventUpdate
            metrics = [{"label": f"{m['zh']} · {m['en']}", "value": m["id"]}
                       for m in data.metric_options(con).to_dicts()]
        return correction_form.form(chosen, figure, metrics), chosen, ""

    fields = [*correction_form.FIELDS, "cf-reason", "cf-author"]

    @app.callback(Output("curation-message", "children"), Output("curation-saved", "data"),
                  Output("curation", "children", allow_duplicate=True),
                  Input("cf-save", "n_clicks"), State("correction-target", "data"), State("curation-saved", "data"),
                  *(State(f, "value") for f in fields), prevent_initial_call=True)
    def save_form(clicks, target, saved, *values):
        chosen = correction_form.target(target)
        if not isinstance(clicks, int) or isinstance(clicks, bool) or clicks < 1 or chosen is None:
            raise PreventUpdate
        message = save(db, chosen, dict(zip(fields, values, strict=True)))
        if message.startswith("✗"):
            return message, no_update, no_update
        return message, inputs.page(saved) + 1, []
