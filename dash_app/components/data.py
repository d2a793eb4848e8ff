"""What the dashboard reads, one named query (queries/*.sql) per function."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from pipeline.warehouse import queries

TABLE_LIMIT = 1000   # rows per table page
ADMIN_LEVELS = ("national", "province", "prefecture", "county")


def metric_options(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return queries.run(con, "metric_options")


def metric_default(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = queries.run(con, "metric_default")
    return rows["id"][0] if rows.height else None


def metric_info(con: duckdb.DuckDBPyConnection, metric: str | None) -> dict[str, Any] | None:
    """The metric's names, unit and kind; None when no metric is chosen or it is unknown."""
    if not metric:
        return None
    rows = queries.run(con, "metric_info", metric=metric)
    return rows.row(0, named=True) if rows.height else None


def provinces(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return queries.run(con, "region_provinces")


def region_options(con: duckdb.DuckDBPyConnection, metric: str) -> pl.DataFrame:
    return queries.run(con, "region_options", metric=metric)


def year_bounds(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    row = queries.run(con, "trend_year_bounds").row(0)
    return None if row[0] is None else (int(row[0]), int(row[1]))


def series_code(series: str) -> str:
    """The region code a series belongs to: '130131|village|北庄村' → '130131'."""
    return series.split("|", 1)[0]


def points(con: duckdb.DuckDBPyConnection, metric: str, *, series: list[str] | None = None, level: str = "",
           province: str = "", years: tuple[int, int] = (0, 9999)) -> pl.DataFrame:
    """Chart points from the one mart every view shares (queries/points.sql)."""
    return queries.run(con, "points", metric=metric, series=list(series or []), level=level, province=province,
                       year_from=years[0], year_to=years[1])


def compare_years(con: duckdb.DuckDBPyConnection, metric: str) -> list[int]:
    return queries.run(con, "compare_years", metric=metric)["year"].to_list()


def evidence_figures(con: duckdb.DuckDBPyConnection, figure_ids: list[str]) -> pl.DataFrame:
    return queries.run(con, "evidence_figures", figure_ids=list(figure_ids) or [""])


def evidence_document(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict[str, Any] | None:
    rows = queries.run(con, "evidence_document", figure_id=figure_id)
    return rows.row(0, named=True) if rows.height else None


def table_figures(con: duckdb.DuckDBPyConnection, metric: str, years: tuple[int, int],
                  offset: int = 0) -> pl.DataFrame:
    return queries.run(con, "table_figures", metric=metric, year_from=years[0], year_to=years[1],
                       limit=TABLE_LIMIT, offset=offset)


def table_count(con: duckdb.DuckDBPyConnection, metric: str, years: tuple[int, int]) -> int:
    return int(queries.run(con, "table_count", metric=metric, year_from=years[0], year_to=years[1])["figures"][0])


def subject_search(con: duckdb.DuckDBPyConnection, search: str, limit: int) -> pl.DataFrame:
    return queries.run(con, "subject_search", search=search, limit=limit)


def subject_figures(con: duckdb.DuckDBPyConnection, subject_key: str, figure_ids: list[str],
                    limit: int) -> pl.DataFrame:
    return queries.run(con, "subject_figures", subject_key=subject_key, figure_ids=figure_ids, limit=limit)


def corrections(con: duckdb.DuckDBPyConnection, orphaned: bool = False) -> pl.DataFrame:
    return queries.run(con, "corrections_list", orphaned=orphaned)


def corrections_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return queries.run(con, "corrections_summary").row(0, named=True)


def correction_figure(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict[str, Any] | None:
    """A figure as analysts see it now, None when it is unknown or rejected."""
    rows = queries.run(con, "correction_figure", figure_id=figure_id)
    return rows.row(0, named=True) if rows.height and rows["rejected_by"][0] is None else None
