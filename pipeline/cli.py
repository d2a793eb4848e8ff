"""Command line: python -m pipeline {build,export,serve,status,report} [--db PATH] …

Thin: each command parses its arguments and calls the library. Errors become a
one-line message and exit status 1; the EXIT_* constants list the others.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from functools import partial
from pathlib import Path

DEFAULT_DB = Path("build/figures.duckdb")
DEFAULT_CORPUS = Path("data/corpus")
DEFAULT_REPORT = Path("build/report")

EXIT_OK, EXIT_ERROR, EXIT_STRICT_WARNINGS, EXIT_LOCKED, EXIT_REFUSED = 0, 1, 2, 3, 4


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
                              f"{EXIT_LOCKED} another build of this database is running; {EXIT_REFUSED} refused: the "
                              "corpus folder is missing or empty, or the build would retract over half of the "
                              "published figures (see --allow-shrink)")
    _db_option(p)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"folder of reports (default: {DEFAULT_CORPUS})")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--workers", type=int, default=None,
                   help="extraction processes (default: one per core; 1 = in this process)")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="where files are extracted: local = a process pool here (default); ray = Ray Data, "
                        "on a local Ray it starts or the cluster at --ray-address (needs `pip install -e .[ray]`)")
    p.add_argument("--ray-address", metavar="ADDR",
                   help="with --engine ray: an existing cluster (HOST:PORT of its head, as `ray start` prints)")
    p.add_argument("--ray-staging", type=Path, metavar="DIR",
                   help="with --engine ray: folder where workers write their Parquet results (in a subfolder "
                        "named after the database), on storage every node and this machine share "
                        "(default: beside the database)")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="seconds one file may take before it is rejected (default: 60)")
    for field in ("text", "title", "published", "source", "region"):
        p.add_argument(f"--{field}-column", metavar="NAME",
                       help=f"column of CSV/JSONL exports that holds the {field} (default: recognised by its name)")
    p.add_argument("--strict", action="store_true",
                   help=f"exit with status {EXIT_STRICT_WARNINGS} when a file is rejected "
                        "(the database is still published)")
    p.add_argument("--allow-shrink", action="store_true",
                   help="publish even when the corpus is empty or the build retracts over half of the published "
                        "figures (by default such a build is refused, in case a folder is not mounted)")

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
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="a host name the dashboard answers for besides the --host address (repeatable); "
                        "requests naming any other Host get 400 (stops DNS rebinding)")
    p.add_argument("--threads", type=int, default=8, help="requests served at once (default: 8)")

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
    import duckdb

    from pipeline.build import Refused
    from pipeline.build.ray_engine import EngineError
    from pipeline.terminal import printable
    from pipeline.warehouse.publish import BuildLocked

    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BuildLocked as e:
        return _fail(printable(str(e)), EXIT_LOCKED)
    except Refused as e:
        return _fail(printable(str(e)), EXIT_REFUSED)
    except BrokenPipeError:
        # the reader went away (`export | head`): stop quietly, and keep Python from
        # complaining again when it flushes stdout at exit
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (lives until exit)
        return _fail("output closed before everything was written (broken pipe)", EXIT_ERROR)
    except OSError as e:   # a full disk, no permission, a folder where a file should be
        message = f"{e.strerror}: {e.filename}" if e.strerror and e.filename else e.strerror or str(e)
        return _fail(printable(message), EXIT_ERROR)
    except duckdb.Error as e:  # e.g. --db names a file that is not a DuckDB database
        return _fail(printable(f"{args.db}: not a usable database: {str(e).splitlines()[0]}"), EXIT_ERROR)
    except (ValueError, KeyError, EngineError) as e:
        return _fail(printable(str(e)), EXIT_ERROR)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def cmd_build(args: argparse.Namespace) -> int:
    from pipeline.build import build

    columns = {f"{field}_column": name for field in ("text", "title", "published", "source", "region")
               if (name := getattr(args, f"{field}_column"))}
    if args.engine != "ray" and (args.ray_address or args.ray_staging):
        raise ValueError("--ray-address and --ray-staging go with --engine ray")
    run = partial(build, args.corpus, args.db, progress=not args.quiet, workers=args.workers, timeout=args.timeout,
                  columns=columns, allow_shrink=args.allow_shrink)
    if args.engine == "ray":
        from pipeline.build.ray_engine import LocalReader, RayEngine

        # the engine empties its staging folder: one of this database's own, never DIR itself
        db = args.db.resolve()
        staging = (args.ray_staging / f"{db.name}-{hashlib.sha256(str(db).encode()).hexdigest()[:12]}"
                   if args.ray_staging else db.with_name(f".{db.name}.ray-staging"))
        with RayEngine(LocalReader(args.corpus.resolve()), address=args.ray_address, workers=args.workers,
                       staging=staging.resolve(), progress=not args.quiet) as engine:
            summary = run(engine=engine)
    else:
        summary = run()
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
    from pipeline.warehouse import store

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
    import waitress

    from dash_app.app import create_app

    hosts = (args.host, *args.allow_host, *(("localhost", "::1") if args.host == "127.0.0.1" else ()))
    app = create_app(db_path=args.db, allowed_hosts=hosts)
    print(f"serving the dashboard on http://{args.host}:{args.port} (waitress)", file=sys.stderr)
    waitress.serve(app.server, host=args.host, port=args.port, threads=args.threads, ident="grassroots")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.terminal import printable
    from pipeline.warehouse import queries

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
              + (f"  errors: {printable(r['errors'])}" if r["errors"] else ""))
    timed = [r for r in runs.iter_rows(named=True) if r["timings"]]
    if timed:
        stages = json.loads(timed[0]["timings"])
        print("stages of the last build (ingest and extract are summed over workers): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in stages.items()))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    con = _open(args.db)
    index = write_report(con, args.out)
    print(f"wrote {index}")
    return EXIT_OK


COMMANDS = {"build": cmd_build, "export": cmd_export, "serve": cmd_serve, "status": cmd_status, "report": cmd_report}
