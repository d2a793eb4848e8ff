"""Write the figures table as JSONL (the SCHEMA.md record format), CSV or Parquet; or, with
`points=True`, the chart points (queries/points.sql: the values the dashboard and the report show)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import duckdb
import polars as pl

from dash_app.format import format_value
from pipeline import queries

FORMATS = ("jsonl", "csv", "parquet")


ALL_POINTS = {"metric": "", "series": [], "level": "", "province": "", "year_from": 0, "year_to": 9999}


def chart_points(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every chart point, with `value_label` written as the dashboard and report write it."""
    rows = queries.run(con, "points", **ALL_POINTS)
    labels = [format_value(v, u, q) for v, u, q in zip(rows["value"], rows["unit"], rows["qualifier"], strict=True)]
    return rows.with_columns(value_label=pl.Series(labels, dtype=pl.Utf8))


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path | IO[str], points: bool = False) -> int:
    """Write every figure (or every chart point) to `out` (a path, or a text stream for
    jsonl/csv); return the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = chart_points(con) if points else queries.run(con, "export_figures")
    if fmt == "csv":
        # CSV has no lists: a point's values and figure ids become ';'-joined text
        rows = rows.with_columns(pl.col(pl.List(pl.Utf8)).list.join(";"),
                                 pl.col(pl.List(pl.Float64)).cast(pl.List(pl.Utf8)).list.join(";"))
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ValueError("parquet needs an output file")
        rows.write_parquet(out)
    elif fmt == "csv":
        rows.write_csv(out)  # type: ignore[arg-type]
    else:
        lines = (json.dumps(r, ensure_ascii=False) for r in rows.iter_rows(named=True))
        if isinstance(out, Path):
            out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        else:
            out.writelines(line + "\n" for line in lines)
    return rows.height
