"""What the dashboard reads, one named query (queries/*.sql) per function."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from pipeline import queries

TABLE_LIMIT = 1000
ADMIN_LEVELS = ("national", "province", "prefecture", "county")


def metric_options(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return queries.run(con, "metric_options")


def metric_default(con: duckdb.DuckDBPyConnection) -> str | None:
    rows = queries.run(con, "metric_default")
    return rows["id"][0] if rows.height else None


def metric_info(con: duckdb.DuckDBPyConnection, metric: str) -> dict[str, Any] | None:
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


def trend_figures(con: duckdb.DuckDBPyConnection, metric: str, series: list[str],
                  years: tuple[int, int]) -> pl.DataFrame:
    codes = sorted({series_code(s) for s in series}) or [""]
    return queries.run(con, "trend_figures", metric=metric, codes=codes, series=list(series) or [""],
                       year_from=years[0], year_to=years[1])


def compare_figures(con: duckdb.DuckDBPyConnection, metric: str, level: str, year: int | None,
                    province: str) -> pl.DataFrame:
    return queries.run(con, "compare_figures", metric=metric, level=level, year=year, province=province)


def compare_years(con: duckdb.DuckDBPyConnection, metric: str) -> list[int]:
    return queries.run(con, "compare_years", metric=metric)["year"].to_list()


def evidence_figures(con: duckdb.DuckDBPyConnection, metric: str, series: str, year: int) -> pl.DataFrame:
    return queries.run(con, "evidence_figures", metric=metric, series=series, region_code=series_code(series),
                       year=year)


def evidence_document(con: duckdb.DuckDBPyConnection, figure_id: str) -> dict[str, Any] | None:
    rows = queries.run(con, "evidence_document", figure_id=figure_id)
    return rows.row(0, named=True) if rows.height else None


def table_figures(con: duckdb.DuckDBPyConnection, metric: str, years: tuple[int, int],
                  limit: int = TABLE_LIMIT) -> pl.DataFrame:
    return queries.run(con, "table_figures", metric=metric, year_from=years[0], year_to=years[1], limit=limit)
