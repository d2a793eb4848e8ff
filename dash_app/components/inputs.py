"""Callback inputs checked before use: a browser (or anyone posting to /_dash-update-component)
can send any JSON. Each function returns the clean value, or None/the default when the value is
malformed, so the view shows its empty state instead of failing with HTTP 500."""

from __future__ import annotations

from typing import Any

from dash.exceptions import PreventUpdate

from dash_app.components.state import LEVELS, POINT_KINDS, TABS

MAX_TEXT = 200        # longest id, region series or code we accept
MAX_REGIONS = 50      # more lines than any chart can show
YEAR_RANGE = (0, 9999)


def text(value: Any) -> str | None:
    """A short non-empty string, else None."""
    return value if isinstance(value, str) and 0 < len(value) <= MAX_TEXT and "\x00" not in value else None


def texts(value: Any) -> list[str]:
    """A list of short strings (the malformed entries dropped), at most MAX_REGIONS."""
    if not isinstance(value, list):
        return []
    return [v for v in (text(item) for item in value) if v is not None][:MAX_REGIONS]


def year(value: Any) -> int | None:
    """A year as an int (bool is not one), from an int, a whole float or a digit string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and YEAR_RANGE[0] <= value <= YEAR_RANGE[1] else None


def years(value: Any) -> list[int] | None:
    """[from, to] in order, or None."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    first, last = year(value[0]), year(value[1])
    return None if first is None or last is None else [min(first, last), max(first, last)]


def cyear(value: Any) -> str:
    """'latest' or a year as a string."""
    found = year(value)
    return "latest" if found is None else str(found)


def level(value: Any) -> str:
    return value if value in LEVELS else LEVELS[0]


def tab(value: Any) -> str:
    return value if value in TABS else TABS[0]


def shown(tab_value: Any, name: str) -> None:
    """Stop (PreventUpdate) a callback of tab `name` while another tab is shown: it works once seen."""
    if tab(tab_value) != name:
        raise PreventUpdate


def point(value: Any) -> dict[str, Any] | None:
    """{series, year, kind} as the charts' customdata gives it, or None."""
    if not isinstance(value, dict):
        return None
    series, found, kind = text(value.get("series")), year(value.get("year")), value.get("kind")
    if series is None or found is None or kind not in POINT_KINDS.values():
        return None
    return {"series": series, "year": found, "kind": kind}


def clicked_point(click: Any) -> dict[str, Any] | None:
    """The point a plotly clickData names in its first point's customdata [series, year, kind]."""
    points = click.get("points") if isinstance(click, dict) else None
    first = points[0] if isinstance(points, list) and points and isinstance(points[0], dict) else {}
    custom = first.get("customdata")
    if not isinstance(custom, list) or len(custom) != 3:
        return None
    return point({"series": custom[0], "year": custom[1], "kind": custom[2]})


def page(value: Any) -> int:
    """A table page number (0 when malformed)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**7 else 0


def flag(value: Any) -> bool:
    """A checklist that is ticked: a non-empty list."""
    return isinstance(value, list) and bool(value)


def clicked_row_figure(cell: Any) -> str | None:
    """The figure id of a clicked AG Grid row (rows are keyed by figure id: getRowId), or None."""
    return text(cell.get("rowId")) if isinstance(cell, dict) else None
