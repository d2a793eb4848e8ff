"""The compare view's bars from chart points (queries/points.sql holds the point rule)."""

from __future__ import annotations

import polars as pl


def latest(points: pl.DataFrame) -> pl.DataFrame:
    """Each series' most recent point of kind 'year' (never a cumulative or a target)."""
    actual = points.filter(pl.col("point_kind") == "year")
    return actual.sort("year", descending=True).group_by("series", maintain_order=True).first()


def compared(points: pl.DataFrame, year: int | None) -> pl.DataFrame:
    """The bars, largest first: each series' value in `year`, or its latest when `year` is None."""
    actual = points.filter(pl.col("point_kind") == "year")
    chosen = latest(actual) if year is None else actual.filter(pl.col("year") == year)
    return chosen.sort(["value", "series"], descending=[True, False])
