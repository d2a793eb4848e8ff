"""Component trees from query results: pickers' options, evidence cards, the document view.

Pure functions; every string from a document goes in as a child (Dash escapes it).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from pipeline.present.format import PERIOD_NAMES, QUALIFIER_NAMES, format_value

CATEGORY_NAMES = {"party": "党建 Party", "cadres": "干部 Cadres", "governance": "治理 Governance",
                  "economy": "经济 Economy", "services": "服务 Services"}
LEVEL_NAMES = {"national": "全国", "province": "省", "prefecture": "地市", "county": "县区", "township": "乡镇",
               "village": "村社区", "organization": "组织", "area": "片区"}


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


def highlighted(quote: str, start: int | None, end: int | None) -> list[Any]:
    """The quote as text with the number in <mark>: children, never HTML."""
    if start is None or end is None or not 0 <= start < end <= len(quote):
        return [quote]
    return [quote[:start], html.Mark(quote[start:end], className="number"), quote[end:]]


def number_span(figure: dict[str, Any]) -> tuple[int | None, int | None]:
    """Where the figure's text sits in its quote (from the offsets, else by search)."""
    if figure.get("quote_start") is not None:
        start = figure["start"] - figure["quote_start"]
        if figure["quote"][start:start + len(figure["text"])] == figure["text"]:
            return start, start + len(figure["text"])
    found = figure["quote"].find(figure["text"])
    return (found, found + len(figure["text"])) if found >= 0 else (None, None)


def evidence_card(figure: dict[str, Any], chosen: bool) -> html.Div:
    start, end = number_span(figure)
    badges = [
        html.Span(format_value(figure["value"], figure["unit"], figure["qualifier"]), className="badge value"),
        html.Span(QUALIFIER_NAMES.get(figure["qualifier"], figure["qualifier"] or ""), className="badge"),
        html.Span(PERIOD_NAMES.get(figure["period_kind"], figure["period_kind"] or ""), className="badge"),
    ]
    if chosen:
        badges.append(html.Span("line uses this 折线取值", className="badge chosen"))
    return html.Div(className="evidence-card" + (" chosen" if chosen else ""), children=[
        html.Div(badges),
        html.Blockquote(highlighted(figure["quote"], start, end), className="quote"),
        html.Div(className="meta", children=[
            html.Span(figure["title"] or figure["doc"], className="title"), " · ",
            html.Span(figure["source"] or "source unknown 来源不详"), " · ",
            html.Span(figure["published"] or "date unknown 日期不详"), " · ",
            html.Span(f"{figure['region_name']} ({LEVEL_NAMES.get(figure['region_level'], figure['region_level'])})"),
        ]),
        html.Button("Open document 打开原文", id={"type": "open-doc", "figure": figure["figure_id"]},
                    className="open-doc", n_clicks=0),
    ])


def evidence_list(figures: pl.DataFrame, chosen_id: str | None, heading: str, conflict: bool) -> list[Any]:
    """The figures behind one point, the one the chart uses first."""
    if figures.is_empty():
        return [html.P("Click a point on the Trends chart or a bar in Compare to see the figures behind it. "
                       "点击趋势图中的点或对比图中的条形查看出处。", className="hint")]
    rows = sorted(figures.to_dicts(), key=lambda f: f["figure_id"] != chosen_id)
    children: list[Any] = [html.H3(heading)]
    if conflict:
        children.append(html.P(
            f"⚠ {len(rows)} figures give different values. The chart uses exact over approximate, then the most "
            "recent publication, then the first in document order. 各来源数值不一致。", className="conflict"))
    children.extend(evidence_card(f, f["figure_id"] == chosen_id) for f in rows)
    return children


def document_view(document: dict[str, Any] | None) -> list[Any]:
    """The document's text with the figure's sentence marked (id doc-mark, scrolled into view)."""
    if document is None:
        return []
    text, start, end = document["text"] or "", document["mark_start"], document["mark_end"]
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return [
        html.H3(document["title"] or document["doc"]),
        html.P(f"{document['source'] or 'source unknown 来源不详'} · {document['published'] or ''}", className="meta"),
        html.Div(className="document-text", children=[
            text[:start], html.Mark(text[start:end], id="doc-mark"), text[end:],
        ]),
    ]


TABLE_COLUMNS = [
    {"field": "year", "headerName": "年份 year", "filter": "agNumberColumnFilter", "width": 95},
    {"field": "region_name", "headerName": "地区 region", "width": 120},
    {"field": "region_code", "headerName": "code", "width": 95},
    {"field": "region_level", "headerName": "level", "width": 105},
    {"field": "metric_zh", "headerName": "指标 metric", "width": 150},
    {"field": "value_label", "headerName": "数值 value", "width": 120},
    {"field": "value", "headerName": "value", "filter": "agNumberColumnFilter", "width": 120},
    {"field": "unit", "headerName": "unit", "width": 80},
    {"field": "text", "headerName": "原文 text", "width": 120},
    {"field": "qualifier", "headerName": "qualifier", "width": 100},
    {"field": "period_kind", "headerName": "period", "width": 110},
    {"field": "subject", "headerName": "subject", "width": 140},
    {"field": "quote", "headerName": "quote 出处", "width": 380, "tooltipField": "quote"},
    {"field": "title", "headerName": "document 文章", "width": 220},
    {"field": "source", "headerName": "source 来源", "width": 140},
    {"field": "published", "headerName": "published", "width": 110},
    {"field": "metric", "headerName": "metric id", "width": 140},
]


def table_rows(figures: pl.DataFrame) -> list[dict[str, Any]]:
    """Table rows with the value also written the readers' way."""
    return [{**row, "value_label": format_value(row["value"], row["unit"], row["qualifier"])
             if row["value"] is not None else ""} for row in figures.to_dicts()]
