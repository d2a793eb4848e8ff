"""The shipped map outlines (data/geo/*.geojson, made by scripts/make_geojson.py)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pipeline import DATA_DIR

GEO_DIR = DATA_DIR / "geo"
# The outlines are served as static files (see `serve`), so a browser fetches each once and
# caches it, instead of receiving 0.2–0.6 MB of GeoJSON inside every map figure.
URL_PREFIX = "/geo/"
CACHE_SECONDS = 7 * 24 * 3600
FILES = {"province": "provinces", "prefecture": "prefectures"}


def url(level: str) -> str | None:
    """Where the browser fetches the outlines of `level` (None: no map at that level)."""
    return f"{URL_PREFIX}{FILES[level]}.geojson" if level in FILES else None


def serve(server: Any) -> None:
    """Serve data/geo/*.geojson from the Flask `server` at URL_PREFIX, cacheable for a week."""
    from flask import abort, send_from_directory

    @server.route(f"{URL_PREFIX}<name>.geojson")
    def geojson(name: str) -> Any:
        if name not in FILES.values():
            abort(404)
        return send_from_directory(GEO_DIR, f"{name}.geojson", max_age=CACHE_SECONDS,
                                   mimetype="application/geo+json")


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
