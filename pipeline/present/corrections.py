"""How a correction is told to a person (the `corrections` command, the dashboard's Corrections
page, the report): what it did, in the shared number style, from a row of
queries/corrections_list.sql."""

from __future__ import annotations

from typing import Any

from pipeline.present.format import PERIOD_NAMES, QUALIFIER_NAMES, format_value

ACTION_NAMES = {"reject": "rejected 剔除", "set": "corrected 更正", "add": "added 补录", "confirm": "confirmed 确认"}
STATUS_NAMES = {"applied": "applied 已生效", "orphaned": "orphaned 失效", "undone": "undone 已撤销"}
FIELD_NAMES = {"value": "value", "unit": "unit", "qualifier": "qualifier", "metric": "metric",
               "region_code": "region", "year": "year", "period_kind": "period"}


def _shown(field: str, value: Any, unit: str | None) -> str:
    if value is None:
        return "–"
    if field == "value":
        return format_value(value, unit)
    if field == "qualifier":
        return QUALIFIER_NAMES.get(value, str(value))
    if field == "period_kind":
        return PERIOD_NAMES.get(value, str(value))
    return str(value)


def change_text(row: dict[str, Any]) -> str:
    """'value 520.49万人 → 521万人; year 2022 → 2023', 'rejected 剔除', 'added 补录 521万人 (2023)'.
    The extracted side is given while the correction still applies to an extracted figure."""
    action = row["action"]
    if action in ("reject", "confirm"):
        return ACTION_NAMES[action]
    unit = row["unit"] or row.get("extracted_unit")
    if action == "add":
        what = format_value(row["value"], row["unit"], row["qualifier"])
        return f"{ACTION_NAMES['add']} {what}" + (f" ({row['year']})" if row["year"] else "")
    parts = []
    for field, name in FIELD_NAMES.items():
        if row[field] is None:
            continue
        before = row.get(f"extracted_{field}")
        after = _shown(field, row[field], unit)
        known = before is not None or row.get("extracted_value") is not None
        parts.append(f"{name} {_shown(field, before, row.get('extracted_unit'))} → {after}" if known
                     else f"{name} → {after}")
    return "; ".join(parts)
