"""The view's state kept in the URL (dash_app.components.state), so a view can be shared as a
link: the URL sets the controls when the page opens (and on back/forward), every change of a
control rewrites the URL, and a chart point clicked becomes the URL's point, shown in Evidence."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update

from dash_app.components import controls, inputs, state
from dash_app.db import Database


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
                s = controls.completed(con, state.parse(search if isinstance(search, str) else ""))
                canonical = state.encode(s)
                return (canonical if canonical != search else no_update, s["tab"], s["metric"], s["regions"],
                        s["years"], s["cyear"], s["level"], s["province"] or None, s["point"],
                        *controls.picker_options(con, s["metric"]))
            metric = inputs.text(metric)
            s = {"tab": inputs.tab(tab), "metric": metric, "regions": inputs.texts(regions),
                 "years": inputs.years(years), "cyear": inputs.cyear(cyear), "level": inputs.level(level),
                 "province": inputs.text(province) or "", "point": inputs.point(point)}
            updated: dict[str, Any] = {}
            if ctx.triggered_id == "clicked" and inputs.point(clicked):
                s["point"] = updated["point"] = inputs.point(clicked)
                s["tab"] = updated["tab"] = "evidence"
            options: tuple[Any, ...] = (no_update,) * 4
            if ctx.triggered_id == "metric" and metric:
                s["regions"] = updated["regions"] = controls.regions_for_metric(con, metric, s["regions"])
                s["cyear"] = updated["cyear"] = "latest"
                options = (no_update, *controls.picker_options(con, metric)[1:3], no_update)
            keys = ("tab", "metric", "regions", "years", "cyear", "level", "province", "point")
            return (state.encode(s), *(updated.get(k, no_update) for k in keys), *options)

    @app.callback(Output("clicked", "data"),
                  Input("trend-graph", "clickData"), Input("compare-bar", "clickData"),
                  Input("compare-map", "clickData"), prevent_initial_call=True)
    def clicked(trend_click, bar_click, map_click):
        clicks = {"trend-graph": trend_click, "compare-bar": bar_click, "compare-map": map_click}
        found = inputs.clicked_point(clicks.get(ctx.triggered_id))
        return no_update if found is None else found
