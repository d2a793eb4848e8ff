"""From figures to chart points: one value per series, year and kind (actual or target).

Conflict rule (documented in the README): when several figures of a `level` metric give
the same series and year, the line takes the exact figure over an approximate one
(over/under/about), then the one from the most recently published document, then the
first in document order; the point is flagged as a conflict when their values differ, and
the evidence lists all of them. Figures of an `items` metric (investment: many separate
projects) never conflict: the point is their sum, and the evidence lists every item.
"""

from __future__ import annotations

from typing import Any

import polars as pl

KEYS = ["series", "series_name", "year", "is_target"]
POINT_SCHEMA: dict[Any, Any] = {
    "series": pl.Utf8, "series_name": pl.Utf8, "year": pl.Int32, "is_target": pl.Boolean,
    "value": pl.Float64, "unit": pl.Utf8, "qualifier": pl.Utf8, "period_kind": pl.Utf8, "text": pl.Utf8,
    "source": pl.Utf8, "published": pl.Utf8, "figure_id": pl.Utf8,
    "figures": pl.UInt32, "values": pl.UInt32, "conflict": pl.Boolean,
}


# Chart queries leave out wide columns; the evidence query has them all.
OPTIONAL = {"text": pl.Utf8, "figure_id": pl.Utf8, "source": pl.Utf8, "published": pl.Utf8}


def _prepared(figures: pl.DataFrame) -> pl.DataFrame:
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in OPTIONAL.items() if name not in figures.columns]
    known = figures.with_columns(missing).filter(pl.col("year").is_not_null() & pl.col("value").is_not_null())
    return known.with_columns(
        is_target=pl.col("period_kind") == "target",
        approximate=pl.col("qualifier") != "exact",
    )


def _picked(figures: pl.DataFrame) -> pl.DataFrame:
    """A level metric: the rule's figure for each point, with the count of figures and values."""
    ranked = figures.sort(
        ["approximate", "published", "doc", "start"], descending=[False, True, False, False], nulls_last=True
    )
    return ranked.group_by(KEYS, maintain_order=True).agg(
        pl.col("value").first(), pl.col("unit").first(), pl.col("qualifier").first(), pl.col("period_kind").first(),
        pl.col("text").first(),
        pl.col("source").first(), pl.col("published").first(), pl.col("figure_id").first(),
        figures=pl.len(), values=pl.col("value").n_unique(),
    ).with_columns(conflict=pl.col("values") > 1)


def _summed(figures: pl.DataFrame) -> pl.DataFrame:
    """An items metric: each point is the sum of its items; exact only when every item is."""
    return figures.group_by(KEYS, maintain_order=True).agg(
        pl.col("value").sum(), pl.col("unit").first(), pl.col("period_kind").first(),
        pl.when(pl.col("qualifier").n_unique() == 1).then(pl.col("qualifier").first())
        .otherwise(pl.lit("about")).alias("qualifier"),
        pl.format("{}项合计 (sum of {} items)", pl.len(), pl.len()).alias("text"),
        pl.col("source").drop_nulls().unique(maintain_order=True).str.join(", ").alias("source"),
        pl.col("published").max(), pl.col("figure_id").first(),
        figures=pl.len(), values=pl.col("value").n_unique(),
    ).with_columns(conflict=pl.lit(False))


def points(figures: pl.DataFrame, kind: str) -> pl.DataFrame:
    """One row per series, year and actual/target, ordered by series then year."""
    if figures.is_empty():
        return pl.DataFrame(schema=POINT_SCHEMA)
    prepared = _prepared(figures)
    if prepared.is_empty():
        return pl.DataFrame(schema=POINT_SCHEMA)
    chosen = _summed(prepared) if kind == "items" else _picked(prepared)
    return chosen.select(list(POINT_SCHEMA)).cast(POINT_SCHEMA).sort(["series", "is_target", "year"])


def latest(points_frame: pl.DataFrame) -> pl.DataFrame:
    """Each series' most recent actual (non-target) point."""
    actual = points_frame.filter(~pl.col("is_target"))
    return actual.sort("year", descending=True).group_by("series", maintain_order=True).first()


def compared(figures: pl.DataFrame, kind: str, year: int | None) -> pl.DataFrame:
    """The bars of the compare view, largest first: each series' value in `year`, or its latest."""
    actual = points(figures, kind).filter(~pl.col("is_target"))
    chosen = latest(actual) if year is None else actual.filter(pl.col("year") == year)
    return chosen.sort(["value", "series"], descending=[True, False])
