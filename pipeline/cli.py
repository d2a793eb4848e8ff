"""Command line: python -m pipeline {build,export,serve,status,report,correct,corrections,review} [--db PATH] …

Thin: each command parses its arguments and calls the library. Errors become a
one-line message and exit status 1; the EXIT_* constants list the others.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.curation import Draft

DEFAULT_DB = Path("build/figures.duckdb")
DEFAULT_CORPUS = Path("data/corpus")
DEFAULT_REPORT = Path("build/report")

EXIT_OK, EXIT_ERROR, EXIT_STRICT_WARNINGS, EXIT_LOCKED, EXIT_REFUSED = 0, 1, 2, 3, 4


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"database file (default: {DEFAULT_DB})")


def _corrections_option(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--corrections", type=Path, metavar="PATH",
                   help=f"the analysts' corrections file, JSON lines (default: {default})")


LAST_BUILDS_FILE = "the file the database's last build applied"
CORRECT_EXAMPLES = """examples:
  python -m pipeline correct 620fdd7b0bef00cc --reject --reason "a ranking, not a count"
  python -m pipeline correct d594bfcbb31afd14 --value 521e4 --metric party_members --year 2023 --reason "…"
  python -m pipeline correct --add DOCUMENT --text 3200名 --value 3200 --metric party_members \\
      --region 130921 --year 2023 --period-kind stock --reason "missed: a list item"
  python -m pipeline correct --undo c-3f9a2b7e1d --reason "the report was right"
  python -m pipeline correct --reanchor c-3f9a2b7e1d 9b1c0d2e3f4a5b6c   (an orphan, to the figure it now is)
  python -m pipeline correct --apply      (after editing or pulling corrections.jsonl)"""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m pipeline", description="Figures from Chinese reports into DuckDB.")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="extract figures from a folder of reports into the database",
                       description="Bring the database up to date with the reports under --corpus (only new "
                                   "and changed files are extracted) and publish it atomically.",
                       epilog=f"exit status: {EXIT_OK} published; {EXIT_ERROR} error (the published database "
                              f"is left as it was); {EXIT_STRICT_WARNINGS} --strict and a file was rejected; "
                              f"{EXIT_LOCKED} another build or correction of this database is running; "
                              f"{EXIT_REFUSED} refused: the corpus folder is missing or empty, the build would retract "
                              "over half of the published figures, or the corrections file is missing while the "
                              "database holds corrections (see --allow-shrink)")
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
                   help="publish even when the corpus is empty, the build retracts over half of the published "
                        "figures, or the corrections file is missing while the database holds corrections (by "
                        "default such a build is refused, in case a folder is not mounted)")
    _corrections_option(p, "corrections.jsonl in the folder that holds the corpus folder")

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
    p.add_argument("--curate", action="store_true",
                   help="let analysts correct, reject and confirm figures from the evidence panel (written to "
                        "the corrections file and published at once); without it the dashboard only reads")
    _corrections_option(p, LAST_BUILDS_FILE)

    p = sub.add_parser("status", help="show what is in the database",
                       description="Counts, the last build runs, and whether extraction runs compiled here.")
    _db_option(p)
    p.add_argument("--runs", type=int, default=5, help="how many recent builds to list (default: 5)")

    p = sub.add_parser("report", help="write the static HTML report",
                       description="Write a self-contained HTML report (summary, trends, regions, changes, "
                                   "data quality) that opens without network access.")
    _db_option(p)
    p.add_argument("--out", type=Path, default=DEFAULT_REPORT, help=f"output folder (default: {DEFAULT_REPORT})")

    p = sub.add_parser("correct", help="correct, reject, confirm or add a figure, or undo a correction",
                       description="Record an analyst's correction in the corrections file (appended under the "
                                   "database's lock, fsynced) and publish the database with it applied, without a "
                                   "rebuild; every later build applies it too. Without --value, --unit, … or "
                                   "--reject/--confirm it says what to give.",
                       epilog=CORRECT_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    _db_option(p)
    _corrections_option(p, LAST_BUILDS_FILE)
    p.add_argument("figure", nargs="?", metavar="FIGURE_ID",
                   help="the figure (its id, shown in the dashboard's evidence and in `export`)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--reject", action="store_true", help="the figure is no figure: leave it out everywhere")
    what.add_argument("--confirm", action="store_true",
                      help="the figure is read right: it leaves the review queue, nothing else changes")
    what.add_argument("--add", metavar="DOCUMENT",
                      help="add a figure the extractor missed, in DOCUMENT (its name or content hash), at --text")
    what.add_argument("--undo", metavar="CORRECTION_ID", help="take back a correction (it stays in the file)")
    what.add_argument("--reanchor", metavar="CORRECTION_ID",
                      help="move a correction (an orphaned one) to FIGURE_ID: an undo and the same correction")
    what.add_argument("--apply", action="store_true",
                      help="apply the corrections file as it is (after editing or pulling it) and publish")
    for name, helps in (("value", "the value in canonical units (521e4 for 521万)"),
                        ("unit", "the canonical unit (人, 个, 元, %%, …)"),
                        ("qualifier", "exact, over, under or about"),
                        ("metric", "the catalog metric id (data/metrics.yaml)"),
                        ("region", "the GB/T 2260 region code"),
                        ("year", "the year, 1900–2100"),
                        ("period-kind", "stock, flow, cumulative or target")):
        p.add_argument(f"--{name}", help=f"set the figure's {helps}")
    p.add_argument("--text", help="with --add: the figure as the document writes it (3200名)")
    p.add_argument("--at", type=int, metavar="OFFSET", help="with --add: where --text starts, when it occurs twice")
    p.add_argument("--subject", help="with --add: what the figure counts (default: the metric's name)")
    p.add_argument("--reason", default="", help="why (required, except for --undo and --reanchor)")
    p.add_argument("--author", help="who (default: your user name)")
    p.add_argument("--wait", type=float, default=60.0,
                   help="seconds to wait for a running build to publish first (default: 60)")

    p = sub.add_parser("corrections", help="list the analysts' corrections",
                       description="Every correction with its audit trail (who, when, why, what it changed, its "
                                   "status), orphans first: a correction whose figure cannot be found after its "
                                   "document changed is listed until someone re-anchors or undoes it.")
    _db_option(p)
    p.add_argument("--orphaned", action="store_true", help="only the orphaned corrections")
    p.add_argument("--json", action="store_true", help="a JSON array instead of the table")

    p = sub.add_parser("review", help="list the figures most likely to be wrong first",
                       description="The review queue: figures behind conflicting points, targets and cumulatives "
                                   "next to a year's value, outlying values, metrics taken from the context; "
                                   "figures already corrected or confirmed left out.")
    _db_option(p)
    p.add_argument("--metric", default="", help="only this metric's figures (default: every metric)")
    p.add_argument("--limit", type=int, default=50, help="how many figures (default: 50)")
    p.add_argument("--json", action="store_true", help="a JSON array instead of the table")
    return ap


def main(argv: list[str] | None = None) -> int:
    import duckdb

    from pipeline.build import Refused
    from pipeline.build.ray_engine import EngineError
    from pipeline.curation import NotPublished
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
    except (ValueError, KeyError, EngineError, NotPublished) as e:
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
    from pipeline.curation import ledger

    run = partial(build, args.corpus, args.db, progress=not args.quiet, workers=args.workers, timeout=args.timeout,
                  columns=columns, allow_shrink=args.allow_shrink,
                  corrections=args.corrections or ledger.beside(args.corpus))
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
    c = s.get("corrections") or {}
    corrected = (f"; corrections {c['applied']} applied, {c['orphaned']} orphaned" if c.get("corrections") else "")
    if s["nothing_changed"]:
        return f"{db}: no changes, {s['docs_unchanged']} files unchanged{rejected}{corrected} ({seconds})"
    return (f"published {db}: files {s['docs_new']} new, {s['docs_changed']} changed, {s['docs_removed']} removed, "
            f"{s['docs_unchanged']} unchanged{rejected}; figures {s['figures_added']} new, {s['figures_changed']} "
            f"changed, {s['figures_removed']} retracted; now {s['documents']} documents, {s['figures']} figures"
            f"{corrected} ({seconds})")


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
    curate = _corrections_file(args) if args.curate else None
    app = create_app(db_path=args.db, allowed_hosts=hosts, curate=curate)
    if curate:
        print(f"curating: corrections are written to {curate}", file=sys.stderr)
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
    c = queries.run(con, "corrections_summary").row(0, named=True)
    if c["corrections"]:
        print(f"\ncorrections: {c['corrections']} ({c['applied']} applied, {c['orphaned']} orphaned, {c['undone']} "
              f"undone); figures {c['figures_corrected']} corrected, {c['figures_rejected']} rejected, "
              f"{c['figures_added']} added, {c['figures_confirmed']} confirmed")
    for r in queries.run(con, "corrections_list", orphaned=True).iter_rows(named=True):
        print(printable(f"  orphaned {r['correction_id']} ({r['author']}, {r['created_at']}): {r['problem']}"))
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import write_report

    con = _open(args.db)
    index = write_report(con, args.out)
    print(f"wrote {index}")
    return EXIT_OK


def _corrections_file(args: argparse.Namespace) -> Path:
    """--corrections, else the file the database's last build applied."""
    from pipeline import curation

    if args.corrections:
        return args.corrections
    if not args.db.is_file():
        raise FileNotFoundError(f"no database at {args.db}; run `python -m pipeline build` first")
    found = curation.applied_file(args.db)
    if found is None:
        raise ValueError(f"no build of {args.db} recorded a corrections file: give --corrections PATH")
    return found


def _author(args: argparse.Namespace) -> str:
    if args.author is not None:
        return args.author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        raise ValueError("who is correcting? give --author NAME") from None


def _number(text: str | None, name: str, kind: type) -> Any:
    if text is None:
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(f"--{name} {text!r} is not {'a whole number' if kind is int else 'a number'}") from None


def correction_draft(args: argparse.Namespace) -> Draft:
    """What `correct` asks for, as a function of the database and the corrections file."""
    from pipeline.curation import entries

    changes = {"value": _number(args.value, "value", float), "unit": args.unit, "qualifier": args.qualifier,
               "metric": args.metric, "region_code": args.region, "year": _number(args.year, "year", int),
               "period_kind": args.period_kind}
    given = [k for k, v in changes.items() if v is not None]
    author, reason = _author(args), args.reason
    if given and (args.reject or args.confirm or args.undo or args.reanchor or args.apply):
        raise ValueError(f"--{given[0].replace('_code', '').replace('_', '-')} goes with a FIGURE_ID to correct "
                         "or with --add")
    if args.apply:
        return lambda _con, _entries: []
    if args.undo:
        return lambda _con, found: entries.undo(found, args.undo, reason, author)
    if args.reanchor:
        if not args.figure:
            raise ValueError("--reanchor CORRECTION_ID needs the FIGURE_ID to move it to")
        return lambda con, found: entries.reanchor(con, found, args.reanchor, args.figure, author)
    if args.add:
        return lambda con, _found: entries.add(con, args.add, args.text or "", args.at, changes, args.subject,
                                               reason, author)
    if not args.figure:
        raise ValueError("give the FIGURE_ID to correct (or --add, --undo, --reanchor, --apply)")
    if args.reject:
        return lambda con, _found: entries.reject(con, args.figure, reason, author)
    if args.confirm:
        return lambda con, _found: entries.confirm(con, args.figure, reason, author)
    return lambda con, _found: entries.change(con, args.figure, changes, reason, author)


def cmd_correct(args: argparse.Namespace) -> int:
    from pipeline import curation
    from pipeline.present.corrections import ACTION_NAMES
    from pipeline.terminal import printable

    path = _corrections_file(args)
    new, s = curation.record(args.db, path, correction_draft(args), wait=args.wait)
    for c in new:
        what = f"undid {c.undoes}" if c.undoes else f"{ACTION_NAMES[c.action]} figure {c.figure_id} “{c.text}”"
        print(printable(f"recorded {c.correction_id} in {path}: {what}"))
    print(f"published {args.db}: corrections {s['applied']} applied, {s['orphaned']} orphaned, {s['undone']} undone; "
          f"figures {s['figures_corrected']} corrected, {s['figures_rejected']} rejected, {s['figures_added']} added")
    return EXIT_OK


def _print_rows(rows: list[dict[str, Any]], as_json: bool, lines: Callable[[dict[str, Any]], list[str]]) -> None:
    from pipeline.terminal import printable

    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1, default=str))
        return
    for r in rows:
        print("\n".join(printable(line) for line in lines(r)))


def cmd_corrections(args: argparse.Namespace) -> int:
    from pipeline.present.corrections import STATUS_NAMES, change_text
    from pipeline.warehouse import queries

    rows = queries.run(_open(args.db), "corrections_list", orphaned=args.orphaned).to_dicts()

    def lines(r: dict[str, Any]) -> list[str]:
        out = [f"{r['correction_id']}  {STATUS_NAMES[r['status']]:<14} {r['created_at']}  {r['author']}  "
               f"{change_text(r)}",
               f"    figure {r['figure_id']} “{r['text']}” in {r['title'] or r['doc']}: {r['quote']}",
               f"    reason: {r['reason']}  (line {r['line']})"]
        if r["problem"]:
            out.append(f"    orphaned: {r['problem']}")
        if r["undone_by"]:
            out.append(f"    undone by {r['undone_by']} ({r['undone_by_author']}, {r['undone_at']}): "
                       f"{r['undo_reason']}")
        return out

    _print_rows(rows, args.json, lines)
    if not rows and not args.json:
        print("no orphaned corrections" if args.orphaned else "no corrections")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline.curation import review
    from pipeline.present.format import format_value

    rows = review.queue(_open(args.db), args.metric, args.limit).to_dicts()
    _print_rows(rows, args.json, lambda r: [
        f"{r['score']}  {r['figure_id']}  {r['metric_zh']} · {r['region_name']} · {r['year']}: "
        f"{format_value(r['value'], r['unit'], r['qualifier'])} ({r['period_kind']})  — {'; '.join(r['reasons'])}",
        f"    “{r['text']}” in {r['title'] or r['doc']}: {r['quote']}"])
    return EXIT_OK


COMMANDS = {"build": cmd_build, "export": cmd_export, "serve": cmd_serve, "status": cmd_status, "report": cmd_report,
            "correct": cmd_correct, "corrections": cmd_corrections, "review": cmd_review}
