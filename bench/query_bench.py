"""Every named query in queries/, timed on a synthetic database with the parameters the
dashboard sends (dash_app.query_params.default_query_params); queries the dashboard does not
describe get typical values (bench/sql/typical_values.sql) and are timed too, but only
the dashboard's own queries are held to the latency target."""

from __future__ import annotations

import importlib
import math
import statistics
import time
from pathlib import Path
from typing import Any

import duckdb

from bench.synth_db import sql
from pipeline.warehouse import queries

# where the dashboard publishes `default_query_params(con) -> {query name: parameters}`
DASHBOARD_MODULES = ("dash_app.query_params",)
STAGED_FILES = "files"  # the parameter of the queries a build runs over its workers' staged files


def dashboard_params(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """The dashboard's own parameters per query, or {} while it does not publish them."""
    for module in DASHBOARD_MODULES:
        try:
            publish = getattr(importlib.import_module(module), "default_query_params", None)
        except ImportError:
            continue
        if publish is not None:
            return publish(con)
    return {}


def typical_params(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """Values for a query's parameters from the data; KeyError names one we cannot guess."""
    row = con.sql(sql("typical_values")).fetchall()[0]
    metric, codes, year, year_from, year_to, figure_id, doc_id, run_id = row
    values = {"metric": metric, "codes": codes, "series": codes, "regions": codes, "region_code": codes[0],
              "code": codes[0], "document": doc_id, "year": year, "year_from": year_from, "year_to": year_to,
              "figure_id": figure_id, "run_id": run_id, "level": "province", "province": "", "limit": 100}
    return {p: values[p] for p in sorted(queries.parameters(name))}


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least q of them at or below it."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def time_query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any], runs: int,
               budget_s: float) -> dict[str, Any]:
    """Median and p95 of `runs` timed runs after one warm-up; stops early past `budget_s`."""
    rows = queries.run(con, name, **params).height
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs and time.perf_counter() - started < budget_s:
        t0 = time.perf_counter()
        queries.run(con, name, **params)
        samples.append(time.perf_counter() - t0)
    return {"rows": rows, "runs": len(samples), "median_ms": statistics.median(samples) * 1000,
            "p95_ms": percentile(samples, 0.95) * 1000, "max_ms": max(samples) * 1000}


def explain(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any], out: Path) -> Path:
    """DuckDB's EXPLAIN ANALYZE of a query: where its time goes, operator by operator."""
    wanted = queries.parameters(name)
    plan = con.sql("EXPLAIN ANALYZE " + queries.sql(name), params={k: v for k, v in params.items() if k in wanted})
    out.write_text("\n".join(str(r[1]) for r in plan.fetchall()), encoding="utf-8")
    return out


def run(db: Path, runs: int, budget_s: float) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        figures = con.sql("SELECT count(*) FROM figures").fetchall()[0][0]
        dashboard = dashboard_params(con)
        results = []
        for name in queries.names():
            entry: dict[str, Any] = {"query": name, "dashboard": name in dashboard}
            if STAGED_FILES in queries.parameters(name):
                entry["skipped"] = "reads a Ray build's staged files, not the database"
                results.append(entry)
                continue
            try:
                params = dashboard[name] if name in dashboard else typical_params(con, name)
                entry |= {"params": params, **time_query(con, name, params, runs, budget_s)}
            except (KeyError, duckdb.Error) as e:
                entry["error"] = f"{type(e).__name__}: {e}"
            results.append(entry)
        return {"db": str(db), "figures": figures, "params_from": "dash_app" if dashboard else "typical values",
                "queries": results}
    finally:
        con.close()
