"""Numbers the way Chinese readers write them: 21.78万个, 1.2亿元, 27.5%."""

from __future__ import annotations

import math

# Multipliers from the largest down; a value is written with the first one it reaches.
MULTIPLIERS = ((1e8, "亿"), (1e4, "万"))
# Below this a count is written in full (10539人 rather than 1.05万人).
PLAIN_BELOW = 1e5

QUALIFIER_NAMES = {"exact": "exact 确数", "over": "over 以上", "under": "under 不足", "about": "about 约"}
PERIOD_NAMES = {"stock": "stock 存量", "flow": "flow 当年", "cumulative": "cumulative 累计", "target": "target 目标"}


def trim(number: float, decimals: int = 2) -> str:
    """A number with at most `decimals` decimals and no trailing zeros."""
    text = f"{number:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float) -> str:
    """217800 → 21.78万, 120000000 → 1.2亿, 4720 → 4720, 27.5 → 27.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    size = abs(value)
    if size >= PLAIN_BELOW:
        for multiplier, word in MULTIPLIERS:
            if size >= multiplier:
                return f"{trim(value / multiplier)}{word}"
    return trim(value)


def format_value(value: float, unit: str | None) -> str:
    """A value with its unit: 21.78万个, 1.2亿元, 27.5%."""
    return f"{format_number(value)}{unit or ''}"


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 × 10^n) that divides `span` into about `ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def axis_ticks(top: float, unit: str | None, ticks: int = 5) -> tuple[list[float], list[str]]:
    """Tick positions from 0 up to past `top`, labelled like 20万个."""
    step = nice_step(top, ticks)
    count = math.ceil(top / step) if top > 0 else 1
    values = [round(i * step, 10) for i in range(count + 1)]
    return values, [format_value(v, unit) for v in values]
