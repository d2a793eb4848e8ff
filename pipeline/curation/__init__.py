"""Curation: analysts correct, reject, confirm or add figures, and every build applies what they did.

The corrections live in a file the analysts own (corrections.jsonl beside the corpus folder,
pipeline.curation.ledger), append-only. A build applies them to its private copy before it
publishes (pipeline.curation.apply), whatever the extractor version; a correction whose figure
cannot be found any more is orphaned, never applied elsewhere. `record` is the one way a
correction is written, from the command line and from the dashboard alike: under the database's
build lock it checks the request against the figures, appends it to the file (fsync), applies
every correction to a private copy of the database and publishes that as a build does. Nothing
here imports the build or the engine: the dashboard reaches curation without them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from pipeline.curation import ledger
from pipeline.curation.apply import apply, recorded
from pipeline.curation.entries import CorrectionError
from pipeline.curation.ledger import LedgerError
from pipeline.records import Correction
from pipeline.warehouse import publish, store

WAIT = 60.0   # seconds a correction waits for a running build to publish

Draft = Callable[[duckdb.DuckDBPyConnection, ledger.Ledger], list[Correction]]

__all__ = [
    "WAIT",
    "CorrectionError",
    "Draft",
    "LedgerError",
    "NotPublished",
    "applied_file",
    "apply",
    "record",
    "recorded",
]


class NotPublished(RuntimeError):
    """The corrections are in the file but the database could not be published (a full disk):
    the next build, or `correct --apply`, applies them."""

    def __init__(self, new: list[Correction], ledger_path: Path, error: Exception) -> None:
        ids = ", ".join(c.correction_id for c in new) or "the corrections file"
        super().__init__(f"{ids} recorded in {ledger_path}, but the database was not published ({error}); "
                         "the next build or `python -m pipeline correct --apply` applies it")


def record(db_path: Path, ledger_path: Path, draft: Draft,
           wait: float = WAIT) -> tuple[list[Correction], dict[str, Any]]:
    """Append the corrections `draft` makes from the database and the file (none: only apply the
    file as it is), then publish the database with every correction of the file applied; return
    them and the counts of queries/corrections_summary.sql. A CorrectionError or LedgerError
    leaves the file and the database as they were; BuildLocked when a build holds the lock for
    longer than `wait` seconds."""
    db_path = publish.real(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}; run `python -m pipeline build` first")
    with publish.build_lock(db_path, wait):
        entries = ledger.read(ledger_path)
        tmp = publish.stage(db_path)
        try:
            con = store.connect(tmp)
            try:
                new = draft(con, entries)
                ledger.append(ledger_path, new)
                try:
                    summary = apply(con, ledger.read(ledger_path), figures_changed=False)
                    con.execute("CHECKPOINT")
                except (OSError, duckdb.Error) as e:
                    raise NotPublished(new, ledger_path, e) from e
            finally:
                con.close()
            try:
                publish.publish(tmp, db_path)
            except OSError as e:
                raise NotPublished(new, ledger_path, e) from e
        except BaseException:
            publish.discard(tmp)
            raise
    return new, summary


def applied_file(db_path: Path) -> Path | None:
    """The corrections file the database's last build applied (None before any build recorded one)."""
    con = duckdb.connect(str(publish.real(db_path)), read_only=True)
    try:
        rows = con.execute("SELECT corrections FROM runs WHERE status = 'ok' AND corrections IS NOT NULL"
                           " ORDER BY run_id DESC LIMIT 1").fetchall()
    except duckdb.CatalogException:   # built before corrections existed
        rows = []
    finally:
        con.close()
    return Path(rows[0][0]) if rows else None
