"""The static HTML report of a figures database, for scheduled builds.

`write_report` is the I/O edge: it runs the named `report_*` queries, then everything
else is pure (rows → plotly figures → HTML through a Jinja2 template with autoescape).
The report is a folder: `index.html` and the `plotly.min.js` it loads, so it opens
from disk without network access.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape
from plotly.offline import get_plotlyjs

from pipeline import queries

PLOTLY_JS = "plotly.min.js"
CHANGES_SHOWN = 300
PLACES_CHARTED = 12   # lines per chart: the places with most years of data (the table lists all)
RUNS_SHOWN = 20   # builds listed, and searched for the last one that changed something
FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
CHANGE_LABELS = {"new": "新增", "changed": "变化", "retracted": "撤回"}


def gather(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the report shows, read through the named queries."""
    runs = queries.run(con, "report_runs", limit=RUNS_SHOWN)
    ok = runs.filter(pl.col("status") == "ok")
    changed = ok.filter((pl.col("docs_new") + pl.col("docs_changed") + pl.col("docs_removed")) > 0)
    last_run = ok.row(0, named=True) if ok.height else None
    change_run = changed.row(0, named=True) if changed.height else last_run
    return {
        "summary": queries.run(con, "report_summary").row(0, named=True),
        "values": queries.run(con, "report_metric_values"),
        "runs": runs,
        "last_run": last_run,
        "change_run": change_run,
        "changes": queries.run(con, "report_changes", run_id=change_run["run_id"] if change_run else -1,
                               limit=CHANGES_SHOWN),
        "missing": queries.run(con, "report_missing"),
        "conflicts": queries.run(con, "report_conflicts"),
        "rejects": queries.run(con, "report_rejects"),
    }


def place_label(region_name: str, region_code: str) -> str:
    return f"{region_name}（{region_code}）"


def trend_figure(points: pl.DataFrame, title: str, unit: str) -> go.Figure:
    """Value by year, one line per place, for one metric's points (report_metric_values rows)."""
    fig = go.Figure()
    for (code, _level, name), series in points.sort("year").group_by(
            ["region_code", "region_level", "region_name"], maintain_order=True):
        fig.add_trace(go.Scatter(
            x=series["year"].to_list(), y=series["value"].to_list(), mode="lines+markers",
            name=place_label(str(name), str(code)),
            customdata=series["figures"].to_list(),
            hovertemplate=f"%{{x}}年: %{{y:,}} {unit}<br>%{{customdata}} 个数字<extra>%{{fullData.name}}</extra>",
        ))
    fig.update_layout(
        title=title, font={"family": FONT}, height=360, margin={"l": 60, "r": 20, "t": 50, "b": 40},
        xaxis={"title": "年份", "dtick": 1, "tickformat": "d"}, yaxis={"title": unit, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2}, template="plotly_white",
    )
    return fig


def region_table(points: pl.DataFrame) -> tuple[list[int], list[dict[str, Any]]]:
    """(years, rows) comparing places for one metric: a row per place, a cell per year."""
    years = sorted(points["year"].unique().to_list())
    rows = []
    for (code, level, name), series in points.group_by(
            ["region_code", "region_level", "region_name"], maintain_order=True):
        by_year = dict(zip(series["year"].to_list(), series["value"].to_list(), strict=True))
        rows.append({"place": place_label(str(name), str(code)), "level": level,
                     "cells": [by_year.get(y) for y in years]})
    return years, rows


def most_covered(points: pl.DataFrame, n: int) -> pl.DataFrame:
    """The points of the `n` places with the most years of data (ties: most figures, then code)."""
    place = ["region_code", "region_level", "region_name"]
    top = (points.group_by(place).agg(pl.len().alias("years"), pl.col("figures").sum())
           .sort(["years", "figures", *place], descending=[True, True, False, False, False]).head(n))
    return points.join(top.select(place), on=place, how="semi", nulls_equal=True)


def metric_sections(values: pl.DataFrame) -> list[dict[str, Any]]:
    """One section per metric with data: its chart (as plotly JSON) and its region table."""
    sections = []
    for (metric,), points in values.group_by(["metric"], maintain_order=True):
        first = points.row(0, named=True)
        years, rows = region_table(points)
        title = f"{first['metric_zh']}（{first['unit']}）"
        sections.append({
            "metric": metric, "zh": first["metric_zh"], "en": first["metric_en"], "unit": first["unit"],
            "category": first["category"], "figures": int(points["figures"].sum()),
            "chart": trend_figure(most_covered(points, PLACES_CHARTED), title, first["unit"]).to_json(),
            "charted": min(len(rows), PLACES_CHARTED), "years": years, "rows": rows,
        })
    return sections


def number(value: float | None) -> str:
    """A value as analysts read it: 亿 from a hundred million up, thousands separators below,
    at most two decimals and none that are zero (1.2亿, 518,000, 27.5)."""
    if value is None:
        return ""
    scaled, suffix = (value / 1e8, "亿") if abs(value) >= 1e8 else (value, "")
    text = f"{scaled:,.2f}".rstrip("0").rstrip(".")
    return text + suffix


def script_json(chart_json: str) -> str:
    """Chart JSON safe inside a <script> element (no `</script>`, no `<!--`)."""
    return json.dumps(json.loads(chart_json), ensure_ascii=False).replace("<", "\\u003c")


def render(data: dict[str, Any]) -> str:
    env = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = number
    env.filters["script_json"] = script_json
    return env.get_template("report.html").render(
        summary=data["summary"],
        last_run=data["last_run"],
        change_run=data["change_run"],
        sections=metric_sections(data["values"]),
        changes=data["changes"].to_dicts(),
        missing=data["missing"].to_dicts(),
        missing_totals={k: int(data["missing"][k].sum()) for k in ("without_region", "without_year")},
        conflicts=data["conflicts"].to_dicts(),
        rejects=data["rejects"].to_dicts(),
        runs=data["runs"].to_dicts(),
        change_labels=CHANGE_LABELS,
        plotly_js=PLOTLY_JS,
    )


def write_report(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """Write `out/index.html` and `out/plotly.min.js`; return the index path."""
    html = render(gather(con))
    out.mkdir(parents=True, exist_ok=True)
    (out / PLOTLY_JS).write_text(get_plotlyjs(), encoding="utf-8")
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index
