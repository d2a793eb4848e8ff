"""The shipped map outlines (data/geo/*.geojson, made by scripts/make_geojson.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

GEO_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"


@cache
def _collection(name: str) -> dict[str, Any]:
    return json.loads((GEO_DIR / f"{name}.geojson").read_text(encoding="utf-8"))


def outlines(level: str, province: str = "") -> dict[str, Any] | None:
    """Province outlines, or the prefecture outlines of one province; None for other levels."""
    if level == "province":
        return _collection("provinces")
    if level == "prefecture":
        features = [f for f in _collection("prefectures")["features"]
                    if not province or f["properties"]["code"][:2] == province[:2]]
        return {"type": "FeatureCollection", "features": features}
    return None
