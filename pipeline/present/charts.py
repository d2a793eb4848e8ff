"""Plotly figures from chart points (queries/points.sql), for the dashboard and the report: pure, no I/O."""

from __future__ import annotations

import math
from html import escape
from typing import Any

import plotly.graph_objects as go
import polars as pl

from pipeline.present.format import (
    POINT_KIND_NAMES,
    QUALIFIER_NAMES,
    YEAR_SO_FAR,
    axis_ticks,
    format_value,
    log_ticks,
    months_so_far,
)

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f"]
CONFLICT_COLOR = "#e4572e"
CORRECTED_COLOR = "#2a9d8f"
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
# Point labels are drawn beside the markers only while the chart stays readable.
MAX_LABELLED_POINTS = 40


def message_figure(message: str) -> go.Figure:
    """A figure with no axes that says why there is nothing to draw."""
    fig = go.Figure()
    fig.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, plot_bgcolor="white", height=360,
        annotations=[{"text": escape(message), "showarrow": False, "font": {"size": 16, "color": "#555"},
                      "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5}],
        font={"family": FONT},
    )
    return fig


# Every graph, in the dashboard and the report: no link or upload to Plotly's cloud (plotly.js
# offers both by default), and a PNG download named after what it shows.
BASE_CONFIG: dict[str, Any] = {"displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
                               "showLink": False, "modeBarButtonsToRemove": ["sendDataToCloud"]}
QUOTE_WRAP = 36   # characters of a sentence per hover line


def graph_config(filename: str = "figures") -> dict[str, Any]:
    """The plotly config of one graph; `filename` names its PNG download (metric, regions, unit)."""
    safe = "".join(c if c.isalnum() or c in "-_·" else "_" for c in filename)[:120] or "figures"
    return {**BASE_CONFIG, "toImageButtonOptions": {"format": "png", "filename": safe, "scale": 2}}


def symbol(qualifier: str | None, point_kind: str) -> str:
    """Exact values filled, approximate ones (over/under/about) open; targets diamonds, cumulatives squares."""
    shape = {"target": "diamond", "cumulative": "square"}.get(point_kind, "circle")
    return shape if qualifier in (None, "exact") else f"{shape}-open"


def wrapped(text: str, width: int = QUOTE_WRAP) -> str:
    """Escaped text broken into hover lines of `width` characters."""
    return "<br>".join(escape(text[i:i + width]) for i in range(0, len(text), width))


def hover_text(row: dict[str, Any]) -> str:
    """Hover for one point: value as labelled, the sentence, the document; text escaped (plotly
    renders a subset of HTML)."""
    kind = row["point_kind"]
    lines = [
        f"<b>{escape(row['series_name'] or row['series'])}</b>",
        f"{row['year']}{_as_of(row)}: <b>{escape(format_value(row['value'], row['unit'], row['qualifier']))}</b>"
        f" ({QUALIFIER_NAMES.get(row['qualifier'], escape(str(row['qualifier'])))})",
        YEAR_SO_FAR if row.get("as_of") and kind == "year" else POINT_KIND_NAMES.get(kind, escape(str(kind))),
    ]
    if row.get("quote"):
        lines.append(f"原文 sentence: {wrapped(row['quote'])}")
    elif row["metric_kind"] == "items":
        lines.append(f"{row['figures']}项合计 sum of {row['figures']} items")
    lines.append(f"来源 source: {escape(row['title'] or '')} · {escape(row['source'] or '–')} "
                 f"{escape(row['published'] or '')}")
    if row["corrected"]:
        lines.append(corrected_note(row))
    if row["conflict"]:
        lines.append(f"⚠ {row['figures']} figures disagree ({row['distinct_values']} values): click for evidence")
    elif row["figures"] > 1:
        lines.append(f"{row['figures']} figures: click for evidence")
    return "<br>".join(lines)


def _as_of(row: dict[str, Any]) -> str:
    """A year-to-date point's months (1—5月 of 2025: ` 1—5月 through 2025-05`)."""
    months = months_so_far(row.get("as_of"))
    return f" {months} (through {escape(row['as_of'])})" if months else ""


def corrected_note(row: dict[str, Any]) -> str:
    """What an analyst's correction did to a point, with the value the extractor read."""
    if row["original_value"] is not None:
        extracted = escape(format_value(row["original_value"], row["unit"]))
        return f"✎ corrected by an analyst 人工更正 · extracted 原值 {extracted}"
    if row["metric_kind"] == "items":
        return "✎ an analyst corrected items of this sum 部分项目经人工更正: click for evidence"
    return "✎ added by an analyst 人工补录"


def value_axis(points: pl.DataFrame, unit: str, log: bool = False) -> dict[str, Any]:
    """An axis over the values' own range (a national line does not flatten the provinces'),
    ticks in the shared number style; log scale when asked and every value is positive."""
    low, high = float(points["value"].min()), float(points["value"].max())  # type: ignore[arg-type]
    if log and low > 0:
        values, labels = log_ticks(low, high, unit)
        pad = 0.08 * (math.log10(high) - math.log10(low) or 1)
        return {"type": "log", "tickvals": values, "ticktext": labels, "gridcolor": "#eee",
                "range": [math.log10(low) - pad, math.log10(high) + pad]}
    pad = 0.12 * (high - low or abs(high) or 1)
    values, labels = axis_ticks(low - pad if low - pad > 0 or low < 0 else 0, high + pad, unit)
    return {"tickvals": values, "ticktext": labels, "range": [values[0], values[-1]], "gridcolor": "#eee",
            "zeroline": values[0] <= 0}


def _target_connector(group: pl.DataFrame, color: str) -> go.Scatter | None:
    """A dashed line from a series' last yearly value to its first later target, so a lone
    target still reads as a plan going on from the line."""
    group = group.sort("year")
    actual = group.filter(pl.col("point_kind") == "year")
    if actual.is_empty():
        return None
    last = actual.row(actual.height - 1, named=True)
    later = group.filter((pl.col("point_kind") == "target") & (pl.col("year") > last["year"]))
    if later.is_empty():
        return None
    target = later.row(0, named=True)
    return go.Scatter(x=[last["year"], target["year"]], y=[last["value"], target["value"]], mode="lines",
                      line={"color": color, "dash": "dash", "width": 1.5}, hoverinfo="skip", showlegend=False,
                      legendgroup=last["series"], meta={"connector": True})


KIND_TRACES = {  # point kind → (legend suffix, line)
    "year": ("", "solid"),
    "target": (" · 目标 target", "dash"),
    "cumulative": (" · 累计 cumulative", None),   # markers only: a sum over years is no point of the line
}


def trend_figure(points: pl.DataFrame, unit: str, title: str, log: bool = False) -> go.Figure:
    """One line per series over years; targets dashed; cumulatives apart; conflicts ringed in red,
    analysts' corrections in teal."""
    if points.is_empty():
        return message_figure("No figures for this metric and these regions in these years · 所选地区和年份没有数据")
    fig = go.Figure()
    label_points = points.height <= MAX_LABELLED_POINTS
    for i, (_, group) in enumerate(points.group_by("series", maintain_order=True)):
        color = PALETTE[i % len(PALETTE)]
        for kind, (suffix, dash) in KIND_TRACES.items():
            part = group.filter(pl.col("point_kind") == kind).sort("year")
            if part.is_empty():
                continue
            rows = part.to_dicts()
            name = rows[0]["series_name"] or rows[0]["series"]
            mode = ("lines+markers" if dash else "markers") + ("+text" if label_points else "")
            fig.add_trace(go.Scatter(
                x=part["year"].to_list(), y=part["value"].to_list(), mode=mode,
                name=f"{name}{suffix}", legendgroup=rows[0]["series"],
                line={"color": color, "dash": dash or "solid", "width": 2.5},
                marker={"symbol": [symbol(r["qualifier"], kind) for r in rows], "size": 13, "color": color,
                        "line": {"width": 2, "color": color}},
                text=[format_value(r["value"], r["unit"], r["qualifier"]) for r in rows] if label_points else None,
                # labels alternate above and below so neighbouring lines' labels do not sit on each other
                textposition="top center" if i % 2 == 0 else "bottom center", textfont={"color": color},
                customdata=[[r["series"], r["year"], kind] for r in rows],
                hovertext=[hover_text(r) for r in rows], hovertemplate="%{hovertext}<extra></extra>",
                meta={"series": rows[0]["series"], "kind": kind},
            ))
        connector = _target_connector(group, color)
        if connector is not None:
            fig.add_trace(connector)
    _ring(fig, points.filter(pl.col("corrected")), "✎ corrected by an analyst 人工更正", CORRECTED_COLOR, 20,
          {"corrected": True})
    _ring(fig, points.filter(pl.col("conflict")), "⚠ documents disagree 数据冲突", CONFLICT_COLOR, 24,
          {"conflicts": True})
    first_year, last_year = int(points["year"].min()), int(points["year"].max())  # type: ignore[arg-type]
    fig.update_layout(
        title={"text": escape(title)}, font={"family": FONT}, plot_bgcolor="white", height=480,
        hovermode="closest", clickmode="event", legend={"orientation": "h", "y": -0.15},
        xaxis={"dtick": 1, "range": [first_year - 0.6, last_year + 0.6], "gridcolor": "#eee",
               "title": "year 年份"},
        yaxis=value_axis(points, unit, log),
        margin={"l": 90, "r": 30, "t": 60, "b": 60},
    )
    return fig


def _ring(fig: go.Figure, points: pl.DataFrame, name: str, color: str, size: int, meta: dict[str, Any]) -> None:
    """Open rings over the points that need a second look (conflicts, analysts' corrections)."""
    if points.is_empty():
        return
    rows = points.to_dicts()
    fig.add_trace(go.Scatter(
        x=points["year"].to_list(), y=points["value"].to_list(), mode="markers", name=name,
        marker={"symbol": "circle-open", "size": size, "color": color, "line": {"width": 3}},
        customdata=[[r["series"], r["year"], r["point_kind"]] for r in rows],
        hovertext=[hover_text(r) for r in rows], hovertemplate="%{hovertext}<extra></extra>", meta=meta,
    ))


def _bar_label(row: dict[str, Any], show_year: bool) -> str:
    label = format_value(row["value"], row["unit"], row["qualifier"])
    return f"{label} ({row['year']})" if show_year else label


def compare_bar(points: pl.DataFrame, unit: str, title: str, show_year: bool) -> go.Figure:
    """Regions side by side, largest on top; approximate values hatched, conflicts marked ⚠, analysts'
    corrections ✎;
    for "each region's latest" every bar says its year, and the title warns when years differ."""
    if points.is_empty():
        return message_figure("No figures for this metric at this level and year · 该层级和年份没有数据")
    rows = points.to_dicts()
    names = [("⚠ " if r["conflict"] else "") + ("✎ " if r["corrected"] else "") + (r["series_name"] or r["series"])
             for r in rows]
    years = sorted({r["year"] for r in rows})
    if show_year and len(years) > 1:
        title += f" · ⚠ years differ {years[0]}–{years[-1]} 年份不同"
    fig = go.Figure(go.Bar(
        x=points["value"].to_list(), y=names, orientation="h",
        marker={"color": PALETTE[0], "pattern": {"shape": ["" if r["qualifier"] == "exact" else "/" for r in rows]}},
        text=[_bar_label(r, show_year) for r in rows], textposition="outside", cliponaxis=False,
        customdata=[[r["series"], r["year"], "year"] for r in rows],
        hovertext=[hover_text(r) for r in rows], hovertemplate="%{hovertext}<extra></extra>",
    ))
    values, labels = axis_ticks(0, top_value(points) * 1.3, unit)
    fig.update_layout(
        title={"text": escape(title)}, font={"family": FONT}, plot_bgcolor="white",
        height=max(240, 120 + 36 * len(rows)), clickmode="event",
        bargap=max(0.3, 1 - 0.15 * len(rows)),  # a lone bar stays a bar, not a block
        xaxis={"tickvals": values, "ticktext": labels, "range": [0, values[-1]], "gridcolor": "#eee"},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 20, "r": 40, "t": 60, "b": 40},
    )
    return fig


def top_value(points: pl.DataFrame) -> float:
    """The largest value drawn (0 when all are negative, so bars start at zero)."""
    return max(0.0, float(points["value"].max()))  # type: ignore[arg-type]


def compare_map(points: pl.DataFrame, outlines: dict[str, Any] | None, unit: str, title: str,
                url: str | None = None) -> go.Figure:
    """A choropleth of the regions' values over the shipped outlines (grey: no figure); with
    `url`, the browser fetches the outlines from there (once, cached) instead of the figure
    carrying them."""
    if outlines is None:
        return message_figure("Maps exist for provinces and for the prefectures of a province · 仅省级与地级有地图")
    codes = [f["properties"]["code"] for f in outlines["features"]]
    names = [f["properties"]["name"] for f in outlines["features"]]
    fig = go.Figure(go.Choropleth(
        geojson=url or outlines, featureidkey="properties.code", locations=codes, z=[0] * len(codes),
        colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], showscale=False, marker={"line": {"color": "white", "width": 0.6}},
        hovertext=[f"{escape(n)}: no figure 无数据" for n in names], hovertemplate="%{hovertext}<extra></extra>",
        name="outline",
    ))
    drawn = points.filter(pl.col("series").is_in(codes))
    if drawn.height:
        tick_values, tick_labels = axis_ticks(0, top_value(drawn), unit)
        rows = drawn.to_dicts()
        fig.add_trace(go.Choropleth(
            geojson=url or outlines, featureidkey="properties.code", locations=drawn["series"].to_list(),
            z=drawn["value"].to_list(), zmin=0, zmax=tick_values[-1], colorscale="Blues",
            marker={"line": {"color": "#555", "width": 0.6}},
            colorbar={"title": {"text": unit}, "thickness": 14, "tickvals": tick_values, "ticktext": tick_labels},
            customdata=[[r["series"], r["year"], "year"] for r in rows],
            hovertext=[hover_text(r) for r in rows], hovertemplate="%{hovertext}<extra></extra>",
            name="values",
        ))
    fig.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    fig.update_layout(title={"text": escape(title)}, font={"family": FONT}, height=520,
                      margin={"l": 0, "r": 0, "t": 50, "b": 0})
    return fig
