"""What each callback shows, from a connection and the view's state: data → series → figures.

The callbacks in dash_app.callbacks only unpack Dash inputs and call these.
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from dash_app.components import controls, data
from dash_app.pages import subjects

DEFAULT_REGIONS = 2


def default_metric(con: duckdb.DuckDBPyConnection) -> str | None:
    """The metric with the most figures about provinces (see metric_default.sql), else the most figures."""
    metric = data.metric_default(con)
    if metric:
        return metric
    metrics = data.metric_options(con).filter(pl.col("figures") > 0)
    return metrics.sort(["figures", "id"], descending=[True, False])["id"][0] if metrics.height else None


def default_regions(con: duckdb.DuckDBPyConnection, metric: str) -> list[str]:
    """The series with the most figures, administrative regions first."""
    options = data.region_options(con, metric)
    ranked = options.sort(["own_level", "figures", "series"], descending=[True, True, False])
    return ranked["series"].head(DEFAULT_REGIONS).to_list()


def completed(con: duckdb.DuckDBPyConnection, state: dict[str, Any]) -> dict[str, Any]:
    """The state with a metric, regions and years filled in where the URL left them out (or
    named a metric without figures)."""
    state = dict(state)
    known = set(data.metric_options(con).filter(pl.col("figures") > 0)["id"].to_list())
    if state["metric"] not in known:
        state["metric"] = default_metric(con)
    if state["metric"] and not state["regions"]:
        state["regions"] = default_regions(con, state["metric"])
    bounds = data.year_bounds(con)
    if bounds and not state["years"]:
        state["years"] = list(bounds)
    return state


def regions_for_metric(con: duckdb.DuckDBPyConnection, metric: str, regions: list[str]) -> list[str]:
    """Keep the chosen regions when the new metric has figures for any of them, else its defaults."""
    available = set(data.region_options(con, metric)["series"].to_list())
    return regions if available & set(regions) else default_regions(con, metric)


def picker_options(con: duckdb.DuckDBPyConnection, metric: str | None) -> tuple[list[dict[str, Any]], ...]:
    """Options of the metric (those with figures), region, compare-year and province pickers."""
    regions = controls.region_options(data.region_options(con, metric)) if metric else []
    years = data.compare_years(con, metric) if metric else []
    year_options = [{"label": "each region's latest 最新", "value": "latest"}] + [
        {"label": str(y), "value": str(y)} for y in years]
    provinces = [{"label": row["name"], "value": row["code"]} for row in data.provinces(con).to_dicts()]
    metrics = data.metric_options(con).filter(pl.col("figures") > 0)
    return controls.metric_options(metrics), regions, year_options, provinces


def default_query_params(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Query name → the parameters the dashboard sends when it opens (for `make bench`).

    The default metric and regions' trend points, the compare view of provinces for each one's
    latest year, the evidence behind the first plotted point and its document, the table, and
    the Subjects tab's list and its largest subject's figures.
    """
    metric = default_metric(con) or ""
    regions = default_regions(con, metric) if metric else []
    bounds = data.year_bounds(con) or (2000, 2030)
    found = data.points(con, metric, series=regions, years=bounds) if metric else pl.DataFrame()
    figure_ids = found["figure_ids"][0].to_list() if found.height else [""]
    listed, _note = subjects.subject_rows(con, "")
    return {
        "metric_options": {},
        "metric_default": {},
        "metric_info": {"metric": metric},
        "region_options": {"metric": metric},
        "region_provinces": {},
        "trend_year_bounds": {},
        "points": {"metric": metric, "series": regions, "level": "", "province": "",
                   "year_from": bounds[0], "year_to": bounds[1]},
        "compare_years": {"metric": metric},
        "evidence_figures": {"figure_ids": figure_ids},
        "evidence_document": {"figure_id": figure_ids[0]},
        "table_figures": {"metric": metric, "year_from": bounds[0], "year_to": bounds[1], "limit": data.TABLE_LIMIT,
                          "offset": 0},
        "table_count": {"metric": metric, "year_from": bounds[0], "year_to": bounds[1]},
        "subject_search": {"search": "", "limit": subjects.MAX_SUBJECTS},
        "subject_figures": {"subject_key": listed[0]["key"] if listed else "", "figure_ids": [],
                            "limit": subjects.MAX_FIGURES},
    }
