"""Thin Dash callbacks: unpack inputs, call dash_app.views, return outputs."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from dash_app import figures, state, views
from dash_app.db import Database

NO_DATABASE = "No database 无数据库 — reload after a build"


def register(app: Dash, db: Database) -> None:
    @app.callback(
        Output("url", "search"), Output("tab", "value"), Output("metric", "value"), Output("regions", "value"),
        Output("years", "value"), Output("cyear", "value"), Output("level", "value"), Output("province", "value"),
        Output("point", "data"),
        Output("metric", "options"), Output("regions", "options"), Output("cyear", "options"),
        Output("province", "options"),
        Input("url", "search"), Input("tab", "value"), Input("metric", "value"), Input("regions", "value"),
        Input("years", "value"), Input("cyear", "value"), Input("level", "value"), Input("province", "value"),
        Input("clicked", "data"), State("point", "data"),
    )
    def sync_url(search, tab, metric, regions, years, cyear, level, province, clicked, point):
        """URL → controls on load (and back/forward); controls → URL on every change.

        A dropdown drops values missing from its options, so options travel with the values.
        """
        with db.connect() as con:
            if con is None:
                return (no_update,) * 13
            if ctx.triggered_id in (None, "url"):
                s = views.completed(con, state.parse(search))
                canonical = state.encode(s)
                return (canonical if canonical != search else no_update, s["tab"], s["metric"], s["regions"],
                        s["years"], s["cyear"], s["level"], s["province"] or None, s["point"],
                        *views.picker_options(con, s["metric"]))
            s = {"tab": tab, "metric": metric, "regions": regions or [], "years": years, "cyear": cyear or "latest",
                 "level": level, "province": province or "", "point": point}
            updated: dict[str, Any] = {}
            if ctx.triggered_id == "clicked" and clicked:
                s["point"] = updated["point"] = {k: clicked[k] for k in ("series", "year", "target")}
                s["tab"] = updated["tab"] = "evidence"
            options: tuple[Any, ...] = (no_update,) * 4
            if ctx.triggered_id == "metric" and metric:
                s["regions"] = updated["regions"] = views.regions_for_metric(con, metric, s["regions"])
                s["cyear"] = updated["cyear"] = "latest"
                options = (no_update, *views.picker_options(con, metric)[1:3], no_update)
            keys = ("tab", "metric", "regions", "years", "cyear", "level", "province", "point")
            return (state.encode(s), *(updated.get(k, no_update) for k in keys), *options)

    @app.callback(Output("trend-graph", "figure"),
                  Input("metric", "value"), Input("regions", "value"), Input("years", "value"))
    def trend(metric, regions, years):
        with db.connect() as con:
            if con is None:
                return figures.message_figure(NO_DATABASE)
            return views.trend(con, metric, regions or [], years or [0, 9999])

    @app.callback(Output("compare-bar", "figure"), Output("compare-map", "figure"),
                  Input("metric", "value"), Input("cyear", "value"), Input("level", "value"),
                  Input("province", "value"))
    def compare(metric, cyear, level, province):
        with db.connect() as con:
            if con is None:
                message = figures.message_figure(NO_DATABASE)
                return message, message
            return views.compare(con, metric, cyear or "latest", level or "province", province or "")

    @app.callback(Output("clicked", "data"),
                  Input("trend-graph", "clickData"), Input("compare-bar", "clickData"),
                  Input("compare-map", "clickData"), prevent_initial_call=True)
    def clicked(trend_click, bar_click, map_click):
        click = {"trend-graph": trend_click, "compare-bar": bar_click, "compare-map": map_click}[ctx.triggered_id]
        custom = (click or {}).get("points", [{}])[0].get("customdata")
        if not custom:
            return no_update
        return {"series": custom[0], "year": int(custom[1]), "target": bool(custom[2])}

    @app.callback(Output("evidence-list", "children"), Input("metric", "value"), Input("point", "data"))
    def evidence(metric, point):
        with db.connect() as con:
            return [] if con is None else views.evidence(con, metric, point)

    @app.callback(Output("document-view", "children"),
                  Input({"type": "open-doc", "figure": ALL}, "n_clicks"), prevent_initial_call=True)
    def open_document(clicks):
        with db.connect() as con:
            if con is None or not any(clicks) or not isinstance(ctx.triggered_id, dict):
                return no_update
            return views.document(con, ctx.triggered_id["figure"])

    app.clientside_callback(
        """function(children) {
            const mark = document.getElementById('doc-mark');
            if (mark) { mark.scrollIntoView({block: 'center'}); }
            return window.dash_clientside.no_update;
        }""",
        Output("document-view", "className"), Input("document-view", "children"), prevent_initial_call=True,
    )

    @app.callback(Output("table", "rowData"), Output("table-note", "children"),
                  Input("metric", "value"), Input("table-scope", "value"), Input("years", "value"))
    def table(metric, scope, years):
        with db.connect() as con:
            if con is None:
                return [], NO_DATABASE
            return views.table(con, metric, scope, years)

    @app.callback(Output("table", "exportDataAsCsv"), Input("csv", "n_clicks"), prevent_initial_call=True)
    def download_csv(_clicks):
        return True
