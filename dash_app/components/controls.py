"""The controls every tab shares (metric, regions, years): their layout, their pickers' options,
and the view they open on when the URL leaves them out."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
from dash import dcc, html

from dash_app.components import data
from dash_app.components.labels import CATEGORY_NAMES, LEVEL_NAMES

DEFAULT_REGIONS = 2
MAX_YEAR_LABELS = 6  # what the slider's width holds without labels running together


def layout(years: tuple[int, int]) -> html.Div:
    """Metric, regions and the years slider over the database's years."""
    first, last = years
    return html.Div(className="controls", children=[
        html.Div(className="control metric", children=[
            html.Label("Metric 指标", htmlFor="metric"),
            dcc.Dropdown(id="metric", clearable=False, placeholder="choose a metric 选择指标", maxHeight=420),
        ]),
        html.Div(className="control regions", children=[
            html.Label("Regions 地区 (province → prefecture → county → places)", htmlFor="regions"),
            dcc.Dropdown(id="regions", multi=True, placeholder="search a region 搜索地区", maxHeight=420),
        ]),
        html.Div(className="control years", children=[
            html.Label("Years 年份"),
            dcc.RangeSlider(id="years", min=first, max=last, step=1, value=[first, last],
                            marks=year_marks(first, last),
                            tooltip={"placement": "bottom"}),
        ]),
    ])


def year_marks(first: int, last: int) -> dict[int, str]:
    """Year labels under the slider that fit its width (about five): the first, the last and
    the round years between, every 2, 5, 10… years (a label for each year of 2016–2025 runs
    the labels into one another)."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if (last - first) / s <= MAX_YEAR_LABELS - 1)
    years = {first, last} | {y for y in range(first, last + 1) if y % step == 0 and min(y - first, last - y) >= step}
    return {y: str(y) for y in sorted(years)}


def metric_options(metrics: pl.DataFrame) -> list[dict[str, Any]]:
    """Dropdown options grouped by category: a disabled heading, then '党员人数 · Party members (3)'."""
    options: list[dict[str, Any]] = []
    for category, group in metrics.group_by("category", maintain_order=True):
        options.append({"label": f"— {CATEGORY_NAMES.get(category[0], category[0])} —",
                        "value": f"category:{category[0]}", "disabled": True})
        options.extend(
            {"label": f"{m['zh']} · {m['en']} ({m['figures']})", "value": m["id"],
             "search": f"{m['zh']} {m['en']} {m['id']}"}
            for m in group.to_dicts()
        )
    return options


def series_label(row: dict[str, Any]) -> str:
    """'河北省', or for a place below its region '北庄村 (村社区 · 平山县)'."""
    if row["own_level"]:
        return row["name"] or row["region_code"]
    level = LEVEL_NAMES.get(row["region_level"], row["region_level"])
    return f"{row['name']} ({level} · {row['region_name'] or row['region_code']})"


def region_options(regions: pl.DataFrame) -> list[dict[str, Any]]:
    """Series in province → prefecture → county → place order, each with the path above it,
    searchable by any name on that path or the code."""
    options = []
    for row in regions.to_dicts():
        above = [p for p in (row["province_name"], row["prefecture_name"]) if p and p != row["name"]]
        if not row["own_level"] and row["region_name"] not in above:
            above.append(row["region_name"])
        path = " › ".join(p for p in above if p)
        options.append({
            "label": f"{series_label(row) if row['own_level'] else row['name']}"
                     f"{' (' + path + ')' if path else ''} [{row['figures']}]",
            "value": row["series"],
            "search": f"{' '.join(above)} {row['name'] or ''} {row['region_code']}",
        })
    return options


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
    regions = region_options(data.region_options(con, metric)) if metric else []
    years = data.compare_years(con, metric) if metric else []
    year_options = [{"label": "each region's latest 最新", "value": "latest"}] + [
        {"label": str(y), "value": str(y)} for y in years]
    provinces = [{"label": row["name"], "value": row["code"]} for row in data.provinces(con).to_dicts()]
    metrics = data.metric_options(con).filter(pl.col("figures") > 0)
    return metric_options(metrics), regions, year_options, provinces
