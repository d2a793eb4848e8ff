"""The static HTML report of a figures database: an analyst's brief for scheduled builds.

First a summary (what the corpus covers, headline numbers with their change), then each
metric's trend with every value sourced, the method and the data-quality notes, and the change
log last. Its points come from the same mart as the dashboard and `export --points`
(queries/points.sql), written in the same number style (pipeline.present.format), drawn by the same
chart builder (pipeline.present.charts).

`write_report` is the I/O edge: it runs the named `report_*` queries and `points`, then
everything else is pure (rows → plotly figures → HTML through a Jinja2 template with
autoescape). The report is a folder: `index.html` and the `plotly.min.js` it loads, so it
opens from disk without network access.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape
from plotly.offline import get_plotlyjs

from pipeline.present import charts
from pipeline.present.corrections import change_text
from pipeline.present.format import POINT_KIND_NAMES, format_value, months_so_far
from pipeline.warehouse import queries

PLOTLY_JS = "plotly.min.js"
CHANGES_SHOWN = 300
PLACES_CHARTED = 8   # lines per chart: the places with most years of data (the table lists all)
RUNS_SHOWN = 20   # builds listed, and searched for the last one that changed something
CHANGE_LABELS = {"new": "新增", "changed": "变化", "retracted": "撤回"}
# a rate's change is a difference, in the unit of the difference (3.5% → 15.3%: +11.8 个百分点)
POINT_UNITS = {"%": "个百分点", "‰": "个千分点", "个百分点": "个百分点"}
KIND_LABELS = {"year": "", "cumulative": "累计", "target": "目标"}


def gather(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Everything the report shows, read through the named queries."""
    runs = queries.run(con, "report_runs", limit=RUNS_SHOWN)
    ok = runs.filter(pl.col("status") == "ok")
    changed = ok.filter((pl.col("docs_new") + pl.col("docs_changed") + pl.col("docs_removed")) > 0)
    last_run = ok.row(0, named=True) if ok.height else None
    change_run = changed.row(0, named=True) if changed.height else last_run
    return {
        "summary": queries.run(con, "report_summary").row(0, named=True),
        "points": queries.run(con, "points", **queries.ALL_POINTS),
        "metrics": queries.run(con, "metric_options"),
        "runs": runs,
        "last_run": last_run,
        "change_run": change_run,
        "changes": queries.run(con, "report_changes", run_id=change_run["run_id"] if change_run else -1,
                               limit=CHANGES_SHOWN),
        "missing": queries.run(con, "report_missing"),
        "rejects": queries.run(con, "report_rejects"),
        "corrections": queries.run(con, "corrections_summary").row(0, named=True),
        "correction_list": queries.run(con, "corrections_list", orphaned=False),
    }


def source_note(point: dict[str, Any]) -> str:
    """Where a point's value comes from: document, source and date, then the sentence."""
    where = " · ".join(str(p) for p in (point["title"], point["source"], point["published"]) if p)
    said = point["quote"] or (f"{point['figures']}项合计 (sum of {point['figures']} items)"
                              if point["metric_kind"] == "items" else "")
    note = f"{where}：{said}" if said else where
    return f"{note}（{charts.corrected_note(point)}）" if point["corrected"] else note


def label(point: dict[str, Any]) -> str:
    """A point's value as written everywhere: 21.78万个, 约490万名, and 目标/累计 when it is one,
    the months of the year so far when it is those (4.7%（1—6月）)."""
    kind = KIND_LABELS.get(point["point_kind"], "")
    months = months_so_far(point.get("as_of"))
    return ((f"{kind} " if kind else "") + format_value(point["value"], point["unit"], point["qualifier"])
            + (f"（{months}）" if months else ""))


def most_covered(points: pl.DataFrame, n: int) -> pl.DataFrame:
    """The points of the `n` series with the most years of data (ties: most figures, then series)."""
    top = (points.group_by("series").agg(pl.col("year").n_unique().alias("years"), pl.col("figures").sum())
           .sort(["years", "figures", "series"], descending=[True, True, False]).head(n))
    return points.join(top.select("series"), on="series", how="semi")


def region_table(points: pl.DataFrame) -> tuple[list[int], list[dict[str, Any]]]:
    """(years, rows) comparing places for one metric: a row per place and point kind (the
    year's values, then cumulatives and targets on rows of their own), a cell per year."""
    years = sorted(points["year"].unique().to_list())
    rows = []
    order = {"year": 0, "cumulative": 1, "target": 2}
    keyed = points.with_columns(pl.col("point_kind").replace_strict(order, default=3).alias("kind_order"))
    for (_series, _kind), group in keyed.sort(["series", "kind_order", "year"]).group_by(
            ["series", "kind_order"], maintain_order=True):
        by_year = {p["year"]: p for p in group.to_dicts()}
        first = group.row(0, named=True)
        kind = KIND_LABELS.get(first["point_kind"], "")
        rows.append({"place": first["series_name"] + (f"（{kind}）" if kind else ""), "series": first["series"],
                     "level": first["region_level"], "kind": first["point_kind"],
                     "cells": [by_year.get(y) for y in years]})
    return years, rows


def headline(points: pl.DataFrame) -> dict[str, Any] | None:
    """A metric's headline: the latest yearly value of the place with most years, and its change
    from the year before it (None when the metric has no yearly value). A rate's change is in
    percentage points (a growth of 3.5% then 15.3% rose 11.8 points, not 337%); the year so far
    is compared only with the same months of the year before (1—5月 with 1—5月)."""
    yearly = points.filter(pl.col("point_kind") == "year")
    if yearly.is_empty():
        return None
    series = most_covered(yearly, 1).sort("year")
    last = series.row(series.height - 1, named=True)
    before = series.row(series.height - 2, named=True) if series.height > 1 else None
    change, change_unit = None, "%"
    same_months = before is not None and (last.get("as_of") or "")[5:] == (before.get("as_of") or "")[5:]
    if before and same_months and last["unit"] == before["unit"] and last["unit"] in POINT_UNITS:
        change, change_unit = last["value"] - before["value"], POINT_UNITS[last["unit"]]
    elif before and same_months and before["value"]:
        change = (last["value"] - before["value"]) / abs(before["value"]) * 100
    return {"last": last, "before": before, "change": change, "change_unit": change_unit}


def metric_sections(points: pl.DataFrame, metrics: pl.DataFrame) -> list[dict[str, Any]]:
    """One section per metric with points, party metrics first (metric_options' order): its
    chart (as plotly JSON), its headline and its region table."""
    sections = []
    for info in metrics.to_dicts():
        found = points.filter(pl.col("metric") == info["id"])
        if found.is_empty():
            continue
        years, rows = region_table(found)
        charted = most_covered(found, PLACES_CHARTED)
        title = f"{info['zh']}（{info['unit']}）"
        sections.append({
            "metric": info["id"], "zh": info["zh"], "en": info["en"], "unit": info["unit"], "kind": info["kind"],
            "category": info["category"], "figures": int(found["figures"].sum()), "points": found.height,
            "chart": charts.trend_figure(charted.sort("series", "point_kind", "year"), info["unit"], title).to_json(),
            "charted": charted["series"].n_unique(), "years": years, "rows": rows, "headline": headline(found),
            "places": found["series"].n_unique(),
        })
    return sections


def conflicts(points: pl.DataFrame, metrics: pl.DataFrame) -> list[dict[str, Any]]:
    """The points whose figures disagree, with every value and the one the charts use."""
    names = dict(zip(metrics["id"].to_list(), metrics["zh"].to_list(), strict=True))
    return [{**p, "metric_zh": names.get(p["metric"], p["metric"])}
            for p in points.filter(pl.col("conflict")).to_dicts()]


def script_json(chart_json: str) -> str:
    """Chart JSON safe inside a <script> element (no `</script>`, no `<!--`)."""
    return json.dumps(json.loads(chart_json), ensure_ascii=False).replace("<", "\\u003c")


def render(data: dict[str, Any]) -> str:
    env = Environment(loader=PackageLoader("pipeline.present", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["value"] = lambda v, unit=None, qualifier=None: "" if v is None else format_value(v, unit, qualifier)
    env.filters["label"] = label
    env.filters["months_so_far"] = months_so_far
    env.filters["source_note"] = source_note
    env.filters["script_json"] = script_json
    env.filters["change"] = change_text
    points = data["points"]
    return env.get_template("report.html").render(
        summary=data["summary"],
        last_run=data["last_run"],
        change_run=data["change_run"],
        sections=metric_sections(points, data["metrics"]),
        changes=data["changes"].to_dicts(),
        missing=data["missing"].to_dicts(),
        missing_totals={k: int(data["missing"][k].sum()) for k in ("without_region", "without_year")},
        conflicts=conflicts(points, data["metrics"]),
        rejects=data["rejects"].to_dicts(),
        corrections=data["corrections"],
        correction_list=data["correction_list"].to_dicts(),
        runs=data["runs"].to_dicts(),
        change_labels=CHANGE_LABELS,
        kind_names=POINT_KIND_NAMES,
        plotly_js=PLOTLY_JS,
        plotly_config=json.dumps(charts.graph_config("report")),
    )


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def write_report(con: duckdb.DuckDBPyConnection, out: Path) -> Path:
    """Write `out/index.html` (and `out/plotly.min.js` when it is missing or another version);
    return the index path. Each file is written in full to a temporary folder beside `out`,
    then renamed into place (index.html last), so a web server serving `out` during a
    scheduled refresh shows the old report or the new one, never half of one."""
    html = render(gather(con))
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        plotly_js = get_plotlyjs()
        current = out / PLOTLY_JS
        if not current.is_file() or hashlib.sha256(current.read_bytes()).digest() != \
                hashlib.sha256(plotly_js.encode("utf-8")).digest():
            _write_synced(staging / PLOTLY_JS, plotly_js)
            os.replace(staging / PLOTLY_JS, current)
        _write_synced(staging / "index.html", html)
        os.replace(staging / "index.html", out / "index.html")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "index.html"
