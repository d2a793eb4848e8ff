"""The parameters each named query gets on the dashboard's opening view, for `make bench`
(bench/query_bench.py times every dashboard query with them)."""

from __future__ import annotations

import duckdb
import polars as pl

from dash_app.components import data
from dash_app.components.controls import default_metric, default_regions
from dash_app.pages import subjects
from pipeline.curation import review


def default_query_params(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Query name → the parameters the dashboard sends when it opens (for `make bench`).

    The default metric and regions' trend points, the compare view of provinces for each one's
    latest year, the evidence behind the first plotted point and its document, the table, the
    Subjects tab's list and its largest subject's figures, the Review tab's queue of the metric and
    the Corrections tab.
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
        "review_queue": {"metric": metric, "conflict_ids": review.conflicting(con, metric) or [""],
                         "limit": review.LIMIT},
        "corrections_list": {"orphaned": False},
        "corrections_summary": {},
        "correction_figure": {"figure_id": figure_ids[0]},
    }
