"""Named SQL files in queries/: the only SQL the dashboard, reports and exports run.

Each file starts with `-- name: description` comment lines; parameters are DuckDB
named parameters ($metric, $regions…).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import duckdb
import polars as pl

from pipeline import QUERIES_DIR

# the parameters of queries/points.sql for every point of every catalog metric
ALL_POINTS: dict[str, Any] = {"metric": "", "series": [], "level": "", "province": "", "year_from": 0, "year_to": 9999}


@cache
def sql(name: str) -> str:
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text(encoding="utf-8")


def description(name: str) -> str:
    """The header comment of a query file (what it returns)."""
    lines = []
    for line in sql(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def parameters(name: str) -> set[str]:
    body = "\n".join(ln for ln in sql(name).splitlines() if not ln.lstrip().startswith("--"))
    return set(re.findall(r"\$([a-z_]+)", body))


def run(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pl.DataFrame:
    """Run a named query and return its rows as a polars frame (through Arrow)."""
    wanted = parameters(name)
    missing = wanted - set(params)
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    cur = con.cursor()
    try:
        table = cur.sql(sql(name), params={k: v for k, v in params.items() if k in wanted}).to_arrow_table()
        return pl.from_arrow(table)  # type: ignore[return-value]
    finally:
        cur.close()


def names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))
