"""The view's state in the URL query string, so a view can be shared as a link.

?tab=trends&metric=party_members&region=130000&region=520000&from=2018&to=2024
 &cyear=latest&level=province&province=&point=130000~2023~a

(point kinds: a = the year's value, c = cumulative, t = target)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode

TABS = ("trends", "compare", "evidence", "table", "subjects", "review", "corrections")
LEVELS = ("province", "prefecture", "county")
DEFAULTS: dict[str, Any] = {
    "tab": "trends", "metric": None, "regions": [], "years": None, "cyear": "latest", "level": "province",
    "province": "", "point": None,
}


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def parse(search: str | None) -> dict[str, Any]:
    """The state a query string describes; unknown or malformed values fall back to defaults."""
    query = parse_qs((search or "").lstrip("?"))

    def first(key: str) -> str | None:
        return query.get(key, [None])[0]

    state = dict(DEFAULTS)
    if first("tab") in TABS:
        state["tab"] = first("tab")
    state["metric"] = first("metric") or None
    state["regions"] = [r for r in query.get("region", []) if r]
    year_from, year_to = _int(first("from")), _int(first("to"))
    if year_from is not None and year_to is not None:
        state["years"] = [min(year_from, year_to), max(year_from, year_to)]
    cyear = first("cyear")
    state["cyear"] = "latest" if cyear in (None, "latest") or _int(cyear) is None else str(_int(cyear))
    if first("level") in LEVELS:
        state["level"] = first("level")
    state["province"] = first("province") or ""
    state["point"] = parse_point(first("point"))
    return state


POINT_KINDS = {"a": "year", "c": "cumulative", "t": "target"}
POINT_LETTERS = {kind: letter for letter, kind in POINT_KINDS.items()}


def parse_point(text: str | None) -> dict[str, Any] | None:
    """'130000~2023~a' → {series, year, kind}; None when malformed."""
    parts = (text or "").rsplit("~", 2)
    if len(parts) != 3 or not parts[0] or _int(parts[1]) is None or parts[2] not in POINT_KINDS:
        return None
    return {"series": parts[0], "year": _int(parts[1]), "kind": POINT_KINDS[parts[2]]}


def format_point(point: dict[str, Any] | None) -> str | None:
    if not point:
        return None
    return f"{point['series']}~{point['year']}~{POINT_LETTERS[point['kind']]}"


def encode(state: dict[str, Any]) -> str:
    """The query string for a state (defaults left out), starting with '?'."""
    pairs: list[tuple[str, Any]] = [("tab", state["tab"])]
    if state.get("metric"):
        pairs.append(("metric", state["metric"]))
    pairs.extend(("region", r) for r in state.get("regions") or [])
    if state.get("years"):
        pairs += [("from", state["years"][0]), ("to", state["years"][1])]
    for key in ("cyear", "level", "province"):
        if state.get(key) and state[key] != DEFAULTS[key]:
            pairs.append((key, state[key]))
    if state.get("point"):
        pairs.append(("point", format_point(state["point"])))
    return "?" + urlencode(pairs)
