"""Command line: python -m pipeline {build,export,serve,status,report} [--db PATH] …

Thin: each command parses its arguments and calls the library. Errors become a
one-line message and exit status 1; the EXIT_* constants list the others.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pipeline

DEFAULT_DB = Path("build/figures.duckdb")
DEFAULT_CORPUS = Path("data/corpus")
DEFAULT_REPORT = Path("build/report")

EXIT_OK, EXIT_ERROR, EXIT_STRICT_WARNINGS, EXIT_LOCKED = 0, 1, 2, 3


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="Figures from Chinese reports into DuckDB.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="extract figures from a folder of reports into the database",
                       description="Bring the database up to date with the reports under --corpus (only new "
                                   "and changed files are extracted) and publish it atomically.",
                       epilog=f"exit status: {EXIT_OK} published; {EXIT_ERROR} error (the published database "
                              f"is left as it was); {EXIT_STRICT_WARNINGS} --strict and a file was rejected; "
                              f"{EXIT_LOCKED} another build of this database is running")
    _db_option(p)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder of reports (default: {DEFAULT_CORPUS})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, default=None,
                   help="extraction processes (default: one per core; 1 = in this process)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds one file may take before it is rejected (default: 60)")
    for field in ("text", "title", "published", "source", "region"):
        p.add_argument(f"--{field}-column", metavar="NAME",
                       help=f"column of CSV/JSONL exports that holds the {field} (default: recognised by its name)")
    p.add_argument("--strict", action="store_true",
                   help=f"exit with status {EXIT_STRICT_WARNINGS} when a file is rejected "
                        "(the database is still published)")

    p = sub.add_parser("export", help="write all figures as JSONL, CSV or Parquet",
                       description="Write all figures; JSONL follows the figure record format of SCHEMA.md.")
    _db_option(p)
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl",
                   help="output format (default: jsonl)")
    p.add_argument("--out", type=Path, help="output file (default: standard output; required for parquet)")
    p.add_argument("--points", action="store_true",
                   help="write the chart points instead of the figures: one value per metric, place, year and "
                        "kind (year/cumulative/target), chosen by the same rule as the dashboard and the report")

    p = sub.add_parser("serve", help="serve the dashboard", description="Serve the analyst dashboard over HTTP.")
    _db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8050, help="port (default: 8050)")

    p = sub.add_parser("status", help="show what is in the database",
                       description="Counts, the last build runs, and whether extraction runs compiled here.")
    _db_option(p)
    p.add_argument("--runs", type=int, default=5, help="how many recent builds to list (default: 5)")

    p = sub.add_parser("report", help="write the static HTML report",
                       description="Write a self-contained HTML report (summary, trends, regions, changes, "
                                   "data quality) that opens without network access.")
    _db_option(p)
    p.add_argument("--out", type=Path, default=DEFAULT_REPORT, help=f"output folder (default: {DEFAULT_REPORT})")
    return ap


def main(argv: list[str] | None = None) -> int:
    from pipeline.publish import BuildLocked

    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BuildLocked as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    except (FileNotFoundError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build

    if not args.corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {args.corpus}")
    columns = {f"{field}_column": name for field in ("text", "title", "published", "source", "region")
               if (name := getattr(args, f"{field}_column"))}
    summary = build(args.corpus, args.db, progress=not args.quiet, workers=args.workers, timeout=args.timeout,
                    columns=columns)
    print(build_message(args.db, summary))
    return EXIT_STRICT_WARNINGS if args.strict and summary["docs_rejected"] else EXIT_OK


def build_message(db: Path, s: dict) -> str:
    seconds = f"{s['timings']['total']:.2f} s"
    rejected = f", {s['docs_rejected']} rejected" if s["docs_rejected"] else ""
    if s["nothing_changed"]:
        return f"{db}: no changes, {s['docs_unchanged']} files unchanged{rejected} ({seconds})"
    return (f"published {db}: files {s['docs_new']} new, {s['docs_changed']} changed, {s['docs_removed']} removed, "
            f"{s['docs_unchanged']} unchanged{rejected}; figures {s['figures_added']} new, {s['figures_changed']} "
            f"changed, {s['figures_removed']} retracted; now {s['documents']} documents, {s['figures']} figures "
            f"({seconds})")


def _open(db: Path):
    from pipeline import store

    if not db.is_file():
        raise FileNotFoundError(f"no database at {db}; run `python -m pipeline build` first")
    return store.connect(db, read_only=True)


def cmd_export(args: argparse.Namespace) -> int:
    from pipeline.export import export

    con = _open(args.db)
    if args.out is None and args.format == "parquet":
        raise ValueError("--out is required for parquet")
    n = export(con, args.format, args.out or sys.stdout, points=args.points)
    if args.out:
        print(f"wrote {n} {'points' if args.points else 'figures'} to {args.out}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from dash_app.app import create_app

    app = create_app(db_path=args.db)
    app.run(host=args.host, port=args.port, debug=False)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline import queries

    con = _open(args.db)
    counts = queries.run(con, "status_counts").row(0, named=True)
    print(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
    runs = queries.run(con, "report_runs", limit=args.runs)
    print(f"\nlast {runs.height} builds (files new/changed/removed/unchanged/rejected; figures new/changed/retracted):")
    for r in runs.iter_rows(named=True):
        took = (r["finished_at"] - r["started_at"]).total_seconds() if r["finished_at"] else None
        print(f"  {r['started_at']:%Y-%m-%d %H:%M:%S}  {r['status']:<7} "
              f"{'' if took is None else f'{took:7.2f} s'}  "
              f"files {r['docs_new'] or 0}/{r['docs_changed'] or 0}/{r['docs_removed'] or 0}/"
              f"{r['docs_unchanged'] or 0}/{r['docs_rejected'] or 0}  "
              f"figures +{r['figures_added'] or 0} ~{r['figures_changed'] or 0} -{r['figures_removed'] or 0}"
              + (f"  errors: {r['errors']}" if r["errors"] else ""))
    timed = [r for r in runs.iter_rows(named=True) if r["timings"]]
    if timed:
        stages = json.loads(timed[0]["timings"])
        print("stages of the last build (ingest and extract are summed over workers): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    print("extraction code here: " + (f"compiled with mypyc ({', '.join(pipeline.NATIVE)})" if pipeline.NATIVE
                                      else "pure Python (`make native` compiles it)"))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    con = _open(args.db)
    index = write_report(con, args.out)
    print(f"wrote {index}")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "export": cmd_export, "serve": cmd_serve, "status": cmd_status, "report": cmd_report}
