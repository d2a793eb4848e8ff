"""The review queue: figures most likely to be wrong first (queries/review_queue.sql), for the
dashboard's Review page and the `review` command."""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.warehouse import queries

LIMIT = 200


def conflicting(con: duckdb.DuckDBPyConnection, metric: str = "") -> list[str]:
    """The figures behind conflicting chart points of `metric` ('': every metric): the point
    rule's own conflicts (queries/points.sql), so the queue and the charts agree on them."""
    points = queries.run(con, "points", **{**queries.ALL_POINTS, "metric": metric})
    return points.filter(pl.col("conflict"))["figure_ids"].explode().to_list()


def queue(con: duckdb.DuckDBPyConnection, metric: str = "", limit: int = LIMIT) -> pl.DataFrame:
    """The figures of `metric` ('': every metric) to review, highest score first, with their reasons."""
    return queries.run(con, "review_queue", metric=metric, conflict_ids=conflicting(con, metric) or [""],
                       limit=limit)
