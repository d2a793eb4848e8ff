"""Command line: python -m pipeline {build,export,serve,status} [--db PATH] …

Thin: each command parses its arguments and calls the library. Errors become a
one-line message and exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_DB = Path("build/figures.duckdb")
DEFAULT_CORPUS = Path("data/corpus")


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="Figures from Chinese reports into DuckDB.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="extract figures from a folder of reports into the database",
                       description="Extract figures from every report under --corpus and publish the database.")
    _db_option(p)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder of reports (default: {DEFAULT_CORPUS})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("export", help="write all figures as JSONL, CSV or Parquet",
                       description="Write all figures; JSONL follows the figure record format of SCHEMA.md.")
    _db_option(p)
    p.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl",
                   help="output format (default: jsonl)")
    p.add_argument("--out", type=Path, help="output file (default: standard output; required for parquet)")

    p = sub.add_parser("serve", help="serve the dashboard", description="Serve the analyst dashboard over HTTP.")
    _db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8050, help="port (default: 8050)")

    p = sub.add_parser("status", help="show what is in the database", description="Counts and the last build runs.")
    _db_option(p)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (FileNotFoundError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build

    if not args.corpus.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {args.corpus}")
    summary = build(args.corpus, args.db, progress=not args.quiet)
    print(f"built {args.db}: {summary['docs_new']} documents, {summary['figures_added']} figures, "
          f"{summary['docs_rejected']} rejected")
    return 0


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
    n = export(con, args.format, args.out or sys.stdout)
    if args.out:
        print(f"wrote {n} figures to {args.out}", file=sys.stderr)
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
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    runs = queries.run(con, "recent_runs", limit=5)
    print(runs)
    return 0


COMMANDS = {"build": cmd_build, "export": cmd_export, "serve": cmd_serve, "status": cmd_status}
