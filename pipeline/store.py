"""DuckDB storage: versioned schema, reference tables, and writing one build's records.

I/O lives here and in pipeline.build; every other stage is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline import lexicon, resolve

DDL_DIR = Path(__file__).resolve().parent / "ddl"

FIGURE_COLUMNS = {
    "figure_id": pl.Utf8, "doc_id": pl.Utf8, "doc": pl.Utf8, "start": pl.Int32, "end": pl.Int32,
    "text": pl.Utf8, "quote": pl.Utf8, "quote_start": pl.Int32, "value": pl.Float64, "unit": pl.Utf8,
    "qualifier": pl.Utf8, "metric": pl.Utf8, "subject": pl.Utf8, "region_code": pl.Utf8,
    "region_name": pl.Utf8, "region_level": pl.Utf8, "year": pl.Int32, "date": pl.Utf8,
    "period_kind": pl.Utf8, "extractor": pl.Utf8, "run_id": pl.Int64,
}
DOCUMENT_COLUMNS = {
    "doc_id": pl.Utf8, "doc": pl.Utf8, "path": pl.Utf8, "format": pl.Utf8, "encoding": pl.Utf8,
    "bytes": pl.Int64, "chars": pl.Int64, "title": pl.Utf8, "source": pl.Utf8, "published": pl.Utf8,
    "published_how": pl.Utf8, "present_year": pl.Int32, "present_year_how": pl.Utf8,
    "main_region_code": pl.Utf8, "main_region_name": pl.Utf8, "script": pl.Utf8, "text": pl.Utf8,
    "run_id": pl.Int64,
}


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the DDL files not yet applied, in version order; return the schema version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]
    for path in sorted(DDL_DIR.glob("V*__*.sql")):
        version = int(path.name[1:].split("__")[0])
        if version > current:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
            current = version
    return current


def frame(rows: Iterable[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)load regions from the gazetteer and metrics from the catalog."""
    g = resolve.gazetteer()
    regions = frame(
        [{"code": r["code"], "name": r["name"], "short_name": r.get("short"), "level": r["level"],
          "parent_code": r["parent"], "province_code": resolve.ancestor(r["code"], "province"),
          "prefecture_code": resolve.ancestor(r["code"], "prefecture")}
         for r in [resolve.NATIONAL | {"short": "全国"}, *g.regions.values()]],
        {"code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8, "parent_code": pl.Utf8,
         "province_code": pl.Utf8, "prefecture_code": pl.Utf8},
    )
    metrics = frame(lexicon.metrics(), {"id": pl.Utf8, "zh": pl.Utf8, "en": pl.Utf8, "unit": pl.Utf8,
                                        "category": pl.Utf8, "kind": pl.Utf8})
    con.register("new_regions", regions.to_arrow())
    con.register("new_metrics", metrics.to_arrow())
    con.execute("DELETE FROM regions; INSERT INTO regions SELECT * FROM new_regions")
    con.execute("DELETE FROM metrics; INSERT INTO metrics SELECT * FROM new_metrics")
    con.unregister("new_regions")
    con.unregister("new_metrics")


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], schema: dict[str, Any]) -> int:
    """Append records to a table through Arrow (no row-by-row inserts)."""
    if not rows:
        return 0
    data = frame(rows, schema).to_arrow()
    con.register("incoming", data)
    try:
        columns = ", ".join(f'"{c}"' for c in schema)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")
    return len(rows)


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> int:
    """Remove documents and their figures; return the number of figures removed."""
    if not doc_ids:
        return 0
    params = {"ids": doc_ids}
    removed = con.execute("SELECT count(*) FROM figures WHERE list_contains($ids, doc_id)", params).fetchall()[0][0]
    con.execute("DELETE FROM figures WHERE list_contains($ids, doc_id)", {"ids": doc_ids})
    con.execute("DELETE FROM documents WHERE list_contains($ids, doc_id)", {"ids": doc_ids})
    return removed


def record_reject(con: duckdb.DuckDBPyConnection, path: str, reason: str, run_id: int) -> None:
    con.execute("INSERT INTO rejects VALUES (?, ?, ?, ?)", [path, reason, dt.datetime.now(), run_id])
