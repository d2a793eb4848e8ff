"""The controls every tab shares (metric, regions, years): their pickers' options."""

from __future__ import annotations

from typing import Any

import polars as pl

from dash_app.components.labels import CATEGORY_NAMES, LEVEL_NAMES


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
