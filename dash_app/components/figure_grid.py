"""The figure grid's columns and rows, shared by the Table tab and the Subjects tab's figures."""

from __future__ import annotations

from typing import Any

import polars as pl

from pipeline.present.format import format_value

TABLE_COLUMNS = [
    {"field": "year", "headerName": "年份 year", "filter": "agNumberColumnFilter", "width": 95},
    {"field": "region_name", "headerName": "地区 region", "width": 120},
    {"field": "region_code", "headerName": "code", "width": 95},
    {"field": "region_level", "headerName": "level", "width": 105},
    {"field": "metric_zh", "headerName": "指标 metric", "width": 150},
    {"field": "value_label", "headerName": "数值 value", "width": 120},
    {"field": "corrected_label", "headerName": "✎ 人工更正 corrected", "width": 150},
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


def corrected_label(row: dict[str, Any]) -> str:
    """'✎ 原值 520.49万人' for a figure an analyst corrected, '✎ 补录 added' for one added, else ''."""
    if not row["corrected"]:
        return ""
    if row["original_value"] is None:
        return "✎ 补录 added"
    return f"✎ 原值 {format_value(row['original_value'], row['unit'])}"


def table_rows(figures: pl.DataFrame) -> list[dict[str, Any]]:
    """Table rows with the value also written the readers' way, and an analyst's correction marked."""
    return [{**row, "value_label": format_value(row["value"], row["unit"], row["qualifier"])
             if row["value"] is not None else "", "corrected_label": corrected_label(row)}
            for row in figures.to_dicts()]
