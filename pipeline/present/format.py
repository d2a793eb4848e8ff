"""One way to write a number, for the dashboard (labels, hover, axis ticks, table), the static
report and the readable columns of `export --points`: 21.78万个, 1.2万亿元, 约490万名, 860余个, 27.5%.

Babel's compact decimal format for zh_CN gives the 万/亿/万亿 forms. What it cannot do is
written here by hand: keep a figure's qualifier (约, 余, 近, 超) in its place, and keep an
exact count exact (Babel rounds to its fraction digits, so 10539 would read 1.05万).
"""

from __future__ import annotations

import math

from babel.numbers import format_compact_decimal

# From 1万 up a number is written with 万/亿/万亿; below that in full (4720人).
COMPACT_FROM = 1e4
# Decimals kept before the multiplier: enough that every count up to 1亿 stays exact
# (10539 → 1.0539万, 5207450 → 520.745万); trailing zeros are dropped (21.78万).
DECIMALS = 4

QUALIFIER_NAMES = {"exact": "exact 确数", "over": "over 以上", "under": "under 不足", "about": "about 约"}
PERIOD_NAMES = {"stock": "stock 存量", "flow": "flow 当年", "cumulative": "cumulative 累计", "target": "target 目标"}
POINT_KIND_NAMES = {"year": "the year's value 当年数值", "cumulative": "cumulative over several years 多年累计",
                    "target": "target 目标"}
YEAR_SO_FAR = "the year so far, not the whole year 年初至今累计"  # a year-to-date metric's 'year' point


def months_so_far(as_of: str | None) -> str:
    """The months a year-to-date point covers, from its `as_of` month (2025-05 → 1—5月); "" for
    any other point."""
    if not as_of or len(as_of) < 7:
        return ""
    return f"1—{int(as_of[5:7])}月"


def trim(number: float, decimals: int = 2) -> str:
    """A number with at most `decimals` decimals and no trailing zeros."""
    text = f"{number:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(value: float | None) -> str:
    """217800 → 21.78万, 1.2e12 → 1.2万亿, 4720 → 4720, 27.5 → 27.5; no value → –."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) < COMPACT_FROM:
        return trim(value, DECIMALS)
    return format_compact_decimal(value, locale="zh_CN", fraction_digits=DECIMALS)


def format_value(value: float | None, unit: str | None, qualifier: str | None = None) -> str:
    """A value with its unit and qualifier: 21.78万个, 约490万名, 860余个, 490余万名, 近3万人."""
    number, unit = format_number(value), unit or ""
    if value is None or number == "–" or qualifier in (None, "exact"):
        return f"{number}{unit}"
    if qualifier == "about":
        return f"约{number}{unit}"
    if qualifier == "under":
        return f"近{number}{unit}"
    if qualifier == "over":
        # 余 goes after a whole number, before its multiplier (490余万); a decimal takes 超 (超21.78万)
        digits = number.rstrip("万亿")
        if digits.lstrip("-").isdigit():
            return f"{digits}余{number[len(digits):]}{unit}"
        return f"超{number}{unit}"
    return f"{number}{unit}"


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


def axis_ticks(low: float, high: float, unit: str | None, ticks: int = 5) -> tuple[list[float], list[str]]:
    """Round tick positions covering `low`…`high` (not forced to 0), labelled like 20万个."""
    step = nice_step(high - low if high > low else abs(high) or 1.0, ticks)
    first = math.floor(low / step) * step
    count = max(1, math.ceil((high - first) / step))
    values = [round(first + i * step, 10) for i in range(count + 1)]
    return values, [format_value(v, unit) for v in values]


def log_ticks(low: float, high: float, unit: str | None) -> tuple[list[float], list[str]]:
    """1, 2, 5 × 10^n ticks for a log axis between `low` and `high` (both > 0)."""
    values = [m * 10 ** e for e in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
              for m in (1, 2, 5) if low / 2 <= m * 10 ** e <= high * 2]
    return values, [format_value(v, unit) for v in values]
