"""The evidence of a figure: its card (the quote with the number marked, badges, document
and source, an analyst's correction; when the dashboard curates, the buttons that correct,
reject or confirm it) and the document's text with its sentence marked.

Pure functions; every string from a document goes in as a child (Dash escapes it).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import html

from dash_app.components.labels import LEVEL_NAMES
from pipeline.present.format import PERIOD_NAMES, QUALIFIER_NAMES, format_value


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


CURATE_ACTIONS = {"set": "correct 更正", "reject": "reject 剔除", "confirm": "read right 无误"}


def correction_badge(figure: dict[str, Any]) -> html.Span:
    """'✎ corrected 已更正 · extracted 原值 520.49万人 · li: the report of 2023 says 521万'."""
    if figure["original_value"] is None:
        what = "✎ added by an analyst 人工补录"
    else:
        what = ("✎ corrected 已更正 · extracted 原值 "
                + format_value(figure["original_value"], figure["original_unit"], figure["original_qualifier"]))
        changed = [f"{name} {figure[f'original_{field}']}" for field, name in
                   (("year", "year"), ("metric", "metric"), ("region_name", "region"), ("period_kind", "period"))
                   if figure[f"original_{field}"] != figure[field]]
        what += "".join(f", {c}" for c in changed)
    return html.Span(f"{what} · {figure['correction_author']}: {figure['correction_reason']}",
                     className="badge corrected", title=figure["correction_id"])


def evidence_card(figure: dict[str, Any], chosen: bool, curating: bool = False) -> html.Div:
    start, end = number_span(figure)
    badges = [
        html.Span(format_value(figure["value"], figure["unit"], figure["qualifier"]), className="badge value"),
        html.Span(QUALIFIER_NAMES.get(figure["qualifier"], figure["qualifier"] or ""), className="badge"),
        html.Span(PERIOD_NAMES.get(figure["period_kind"], figure["period_kind"] or ""), className="badge"),
    ]
    if chosen:
        badges.append(html.Span("line uses this 折线取值", className="badge chosen"))
    if figure["corrected"]:
        badges.append(correction_badge(figure))
    curate = [html.Button(label, id={"type": "curate", "action": action, "figure": figure["figure_id"]},
                          className=f"curate {action}", n_clicks=0) for action, label in CURATE_ACTIONS.items()]
    return html.Div(className="evidence-card" + (" chosen" if chosen else ""), children=[
        html.Div(badges),
        html.Blockquote(highlighted(figure["quote"], start, end), className="quote"),
        html.Div(className="meta", children=[
            html.Span(figure["title"] or figure["doc"], className="title"), " · ",
            html.Span(figure["source"] or "source unknown 来源不详"), " · ",
            html.Span(figure["published"] or "date unknown 日期不详"), " · ",
            html.Span(f"{figure['region_name']} ({LEVEL_NAMES.get(figure['region_level'], figure['region_level'])})"),
            " · ", html.Span(f"figure {figure['figure_id']}", className="figure-id"),
        ]),
        html.Button("Open document 打开原文", id={"type": "open-doc", "figure": figure["figure_id"]},
                    className="open-doc", n_clicks=0),
        *(curate if curating else []),
    ])


def evidence_list(figures: pl.DataFrame, chosen_id: str | None, heading: str, conflict: bool,
                  curating: bool = False) -> list[Any]:
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
    children.extend(evidence_card(f, f["figure_id"] == chosen_id, curating) for f in rows)
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

