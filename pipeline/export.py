"""Write the figures table as JSONL (the SCHEMA.md record format), CSV or Parquet."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

import duckdb

from pipeline import queries

FORMATS = ("jsonl", "csv", "parquet")


def export(con: duckdb.DuckDBPyConnection, fmt: str, out: Path | IO[str]) -> int:
    """Write every figure to `out` (a path, or a text stream for jsonl/csv); return the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rows = queries.run(con, "export_figures")
    if fmt == "parquet":
        if not isinstance(out, Path):
            raise ValueError("parquet needs an output file")
        rows.write_parquet(out)
    elif fmt == "csv":
        rows.write_csv(out)
    else:
        lines = (json.dumps(r, ensure_ascii=False) for r in rows.iter_rows(named=True))
        if isinstance(out, Path):
            out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        else:
            out.writelines(line + "\n" for line in lines)
    return rows.height
