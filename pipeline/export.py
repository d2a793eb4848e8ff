"""Write the figures table as JSONL (the SCHEMA.md record format), CSV or Parquet; or, with
`points=True`, the chart points (queries/points.sql: the values the dashboard and the report show).

A file is written beside its destination and renamed into place when complete, so a
failed export (a full disk) leaves no partial file. CSV cells are neutralised against
formula injection (see csv_safe); JSONL and Parquet keep every text as it is."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import IO

import duckdb
import polars as pl

from pipeline.present.format import format_value
from pipeline.warehouse import queries

FORMATS = ("jsonl", "csv", "parquet")
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(rows: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would run as a formula, prefixed with ' (the OWASP rule):
    `=cmd|' /C calc'!A0` from a document's text is shown, never run. Numbers keep their sign."""
    text = [c for c, t in rows.schema.items() if t == pl.Utf8]
    starts = "^[" + "".join(FORMULA_STARTS).replace("-", r"\-") + "]"
    return rows.with_columns(
        pl.when(pl.col(c).str.contains(starts)).then("'" + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in text)




def chart_points(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every chart point, with `value_label` written as the dashboard and report write it."""
    rows = queries.run(con, "points", **queries.ALL_POINTS)
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
    if not isinstance(out, Path):
        if fmt == "parquet":
            raise ValueError("parquet needs an output file")
        _write(rows, fmt, out)
        return rows.height
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            rows.write_parquet(tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                _write(rows, fmt, f)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return rows.height


def _write(rows: pl.DataFrame, fmt: str, out: IO[str]) -> None:
    if fmt == "csv":
        try:
            csv_safe(rows).write_csv(out)
        except OSError as e:   # polars says a closed pipe in Rust's words, without an errno
            if e.errno is None and "os error 32" in str(e):
                raise BrokenPipeError(errno.EPIPE, "Broken pipe") from e
            raise
    else:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows.iter_rows(named=True))
