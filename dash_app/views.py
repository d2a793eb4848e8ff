"""What each callback shows, from a connection and the view's state: data → series → figures.

The callbacks in dash_app.callbacks only unpack Dash inputs and call these.
"""

from __future__ import annotations

from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl

from dash_app import components, data, figures, geo, series
from dash_app.format import format_value

DEFAULT_REGIONS = 2
# The bar chart shows the largest regions only; the map and the table show them all.
MAX_BARS = 30


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
    """The state with a metric, regions and years filled in where the URL left them out."""
    state = dict(state)
    known = set(data.metric_options(con)["id"].to_list())
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


def _metric(con: duckdb.DuckDBPyConnection, metric: str | None) -> dict[str, Any] | None:
    return data.metric_info(con, metric) if metric else None


def metric_title(info: dict[str, Any]) -> str:
    return f"{info['zh']} · {info['en']} ({info['unit']})"


def trend(con: duckdb.DuckDBPyConnection, metric: str | None, regions: list[str], years: list[int]) -> go.Figure:
    info = _metric(con, metric)
    if info is None:
        return figures.message_figure("Choose a metric · 请选择指标")
    if not regions:
        if data.region_options(con, info["id"]).is_empty():
            return figures.message_figure(
                f"No figures of {info['en']} in the database yet · 数据库中还没有{info['zh']}的数据")
        return figures.message_figure("Choose one or more regions · 请选择地区")
    found = data.trend_figures(con, info["id"], regions, (years[0], years[1]))
    # Keep the picker's order so each region keeps its colour as others are added.
    order = {s: i for i, s in enumerate(regions)}
    points = series.points(found, info["kind"]).sort(
        pl.col("series").replace_strict(order, default=len(order)), "is_target", "year")
    return figures.trend_figure(points, info["unit"], metric_title(info))


def picker_options(con: duckdb.DuckDBPyConnection, metric: str | None) -> tuple[list[dict[str, Any]], ...]:
    """Options of the metric, region, compare-year and province pickers for a metric."""
    regions = components.region_options(data.region_options(con, metric)) if metric else []
    years = data.compare_years(con, metric) if metric else []
    year_options = [{"label": "each region's latest 最新", "value": "latest"}] + [
        {"label": str(y), "value": str(y)} for y in years]
    provinces = [{"label": row["name"], "value": row["code"]} for row in data.provinces(con).to_dicts()]
    return components.metric_options(data.metric_options(con)), regions, year_options, provinces


def compare(con: duckdb.DuckDBPyConnection, metric: str | None, cyear: str, level: str,
            province: str) -> tuple[go.Figure, go.Figure]:
    info = _metric(con, metric)
    if info is None:
        message = figures.message_figure("Choose a metric · 请选择指标")
        return message, message
    year = None if cyear == "latest" else int(cyear)
    found = data.compare_figures(con, info["id"], level, year, province or "")
    bars = series.compared(found, info["kind"], year)
    title = metric_title(info) + (" · latest 最新" if year is None else f" · {year}")
    bar_title = title if bars.height <= MAX_BARS else f"{title} · top {MAX_BARS} of {bars.height} 前{MAX_BARS}名"
    return (
        figures.compare_bar(bars.head(MAX_BARS), info["unit"], bar_title, show_year=year is None),
        figures.compare_map(bars, geo.outlines(level, province or ""), info["unit"], title),
    )


def evidence(con: duckdb.DuckDBPyConnection, metric: str | None, point: dict[str, Any] | None) -> list[Any]:
    info = _metric(con, metric)
    if info is None or not point:
        return components.evidence_list(pl.DataFrame(), None, "", False)
    found = data.evidence_figures(con, info["id"], point["series"], point["year"])
    found = found.filter((pl.col("period_kind") == "target") == point["target"])
    if found.is_empty():
        return components.evidence_list(found, None, "", False)
    named = found.with_columns(series=pl.lit(point["series"]), series_name=pl.col("region_name"))
    chosen = series.points(named, info["kind"]).row(0, named=True)
    kind_note = "sum of the items below 下列各项之和" if info["kind"] == "items" else "value on the chart 图中取值"
    heading = (f"{info['zh']} · {found['region_name'][0]} · {point['year']}"
               f"{' · target 目标' if point['target'] else ''}: "
               f"{format_value(chosen['value'], chosen['unit'])} ({kind_note})")
    chosen_id = None if info["kind"] == "items" else chosen["figure_id"]
    return components.evidence_list(found, chosen_id, heading, chosen["conflict"])


def document(con: duckdb.DuckDBPyConnection, figure_id: str) -> list[Any]:
    return components.document_view(data.evidence_document(con, figure_id))


def table(con: duckdb.DuckDBPyConnection, metric: str | None, scope: str,
          years: list[int] | None) -> tuple[list[dict[str, Any]], str]:
    bounds = years or list(data.year_bounds(con) or (0, 9999))
    rows = data.table_figures(con, (metric or "") if scope == "metric" else "", (bounds[0], bounds[1]))
    note = f"{rows.height} figures 条" + (
        f" (the first {data.TABLE_LIMIT}; narrow the years or pick a metric 仅显示前{data.TABLE_LIMIT}条)"
        if rows.height >= data.TABLE_LIMIT else "")
    return components.table_rows(rows), note


def default_query_params(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Query name → the parameters the dashboard sends when it opens (for `make bench`).

    The default metric and regions, the compare view of provinces for each one's latest year,
    the evidence behind the first plotted point and its document, and the table.
    """
    metric = default_metric(con) or ""
    regions = default_regions(con, metric) if metric else []
    bounds = data.year_bounds(con) or (2000, 2030)
    trend_params = {"metric": metric, "codes": sorted({data.series_code(s) for s in regions}) or [""],
                    "series": regions or [""], "year_from": bounds[0], "year_to": bounds[1]}
    found = data.trend_figures(con, metric, regions, bounds)
    first: dict[str, Any] = (found.row(0, named=True) if found.height
                             else {"series": "", "region_code": "", "year": bounds[1]})
    evidence = data.evidence_figures(con, metric, first["series"], first["year"]) if found.height else None
    figure_id = evidence["figure_id"][0] if evidence is not None and evidence.height else ""
    return {
        "metric_options": {},
        "metric_default": {},
        "metric_info": {"metric": metric},
        "region_options": {"metric": metric},
        "region_provinces": {},
        "trend_year_bounds": {},
        "trend_figures": trend_params,
        "compare_figures": {"metric": metric, "level": "province", "year": None, "province": ""},
        "compare_years": {"metric": metric},
        "evidence_figures": {"metric": metric, "series": first["series"], "region_code": first["region_code"],
                             "year": first["year"]},
        "evidence_document": {"figure_id": figure_id},
        "table_figures": {"metric": metric, "year_from": bounds[0], "year_to": bounds[1], "limit": data.TABLE_LIMIT},
    }
