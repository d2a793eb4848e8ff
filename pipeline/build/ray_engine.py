"""Extraction on Ray Data (`python -m pipeline build --engine ray`): the files a build has
planned to extract, spread over a Ray cluster, with the same results as the process pool.

The driver (pipeline.build) scans, plans, loads and publishes exactly as with the local
engine; only `RayEngine.__call__` differs from pipeline.pool: the jobs become a Ray
dataset, and

    jobs → map_batches(FileWorker) → one row per file → write_parquet(staging, bucket=…)
         → DuckDB read_parquet on the driver → FileResult → the build's loader

A FileWorker is an actor that keeps one warm extraction process (a one-worker
pipeline.pool, the local build's own crash isolation and time limit: a file that hangs
or kills its process becomes a reject row, the actor and the job go on) for all the
batches it is given, so each worker loads the lexicons and the gazetteer once. Ray
restarts an actor that dies (a killed node or worker) and runs its batch again.

Ray is an optional extra (`pip install -e .[ray]`); this module imports it only when an
engine starts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import socket
import tempfile
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from pipeline.build import filework
from pipeline.warehouse import queries
from pipeline.build import WATCHDOG_GRACE
from pipeline.build.filework import FileJob, FileResult
from pipeline.build.pool import run_jobs
from pipeline.records import DocumentRecord, Figure, row

# A local Ray on a small machine (2 cores, 24 GB shared with other work): the object store
# only carries batches of file rows on their way to Parquet, so 1 GiB is plenty.
LOCAL_OBJECT_STORE_BYTES = 1 << 30
BATCH_FILES = 32          # files per map_batches call: one pool round trip each, small enough to spread
BUCKET_DIGITS = 1         # staging Parquet partitions by the first hex digit of sha256(path): 16 folders
READ_ROWS = 1000          # staged rows fetched from DuckDB at a time
PROGRESS_SECONDS = 0.5    # between progress bar updates
CONNECT_SECONDS = 5.0     # to reach a cluster's head before Ray is asked to join it


class EngineError(RuntimeError):
    """Ray is missing, the cluster cannot be reached, or the distributed job failed."""


class CorpusReader(Protocol):
    """Where a worker gets a corpus file's bytes: `source(relpath).read_bytes()`. The knob for
    a corpus in object storage is a reader whose sources read from there."""

    def source(self, relpath: str) -> Path: ...


@dataclass(frozen=True)
class LocalReader:
    """A folder every Ray node sees at the same path (this machine, or a shared filesystem)."""
    root: Path

    def source(self, relpath: str) -> Path:
        return self.root / relpath


def bucket(relpath: str) -> str:
    """The staging partition of a file: stable across runs and machines."""
    return hashlib.sha256(relpath.encode()).hexdigest()[:BUCKET_DIGITS]


# ---- on a worker -------------------------------------------------------------------------

def _row(result: FileResult) -> dict[str, Any]:
    return {
        "relpath": result.relpath, "bucket": bucket(result.relpath), "bytes_hash": result.bytes_hash,
        "unchanged": result.unchanged, "reject": result.reject, "warnings": result.warnings,
        "seconds_ingest": result.seconds.get("ingest", 0.0), "seconds_extract": result.seconds.get("extract", 0.0),
        # documents and figures as JSON: exact for their strings, ints and floats, and one column type
        # whatever keys a record has
        "documents": json.dumps([(row(record), [row(f) for f in figures]) for record, figures in result.documents],
                                ensure_ascii=False),
    }


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([("relpath", pa.string()), ("bucket", pa.string()), ("bytes_hash", pa.string()),
                      ("unchanged", pa.bool_()), ("reject", pa.string()), ("warnings", pa.list_(pa.string())),
                      ("seconds_ingest", pa.float64()), ("seconds_extract", pa.float64()),
                      ("documents", pa.string())])


class Tally:
    """A Ray actor the FileWorkers tell how many files they finished and rejected, for the
    driver's progress bar while the dataset runs (its own results only come back at the end)."""

    def __init__(self) -> None:
        self.done = self.rejected = 0

    def add(self, done: int, rejected: int) -> None:
        self.done += done
        self.rejected += rejected

    def counts(self) -> tuple[int, int]:
        return self.done, self.rejected


class FileWorker:
    """A Ray Data actor: runs filework.process_file on each file of a batch, in one
    extraction process it keeps warm between batches (pipeline.pool isolates it)."""

    def __init__(self, reader: CorpusReader, tally: Any = None) -> None:
        self.reader, self.tally = reader, tally
        self.pending: deque[FileJob] = deque()
        self.results: Iterator[FileResult] = iter(())

    def _pool(self, timeout: float) -> Iterator[FileResult]:
        def queued() -> Iterator[FileJob]:
            while self.pending:
                yield self.pending.popleft()

        return run_jobs(filework.process_file, queued(), 1, timeout + WATCHDOG_GRACE, filework.failed,
                        initializer=filework.warm_up)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        jobs = [FileJob(self.reader.source(r["relpath"]), r["relpath"], json.loads(r["meta"]) if r["meta"] else None,
                        r["known_hash"], r["timeout"]) for r in batch.to_pylist()]
        self.pending.extend(jobs)
        rows: list[dict[str, Any]] = []
        while len(rows) < len(jobs):
            try:
                rows.append(_row(next(self.results)))
            except StopIteration:   # the pool ran out of queued jobs between batches: start it again
                self.results = self._pool(max(job.timeout for job in jobs))
        if self.tally is not None:
            self.tally.add.remote(len(rows), sum(1 for r in rows if r["reject"]))
        return pa.Table.from_pylist(rows, schema=_schema())


# ---- on the driver -----------------------------------------------------------------------

def _reachable(address: str) -> None:
    """Fail at once on a cluster address nothing listens at (ray.init would retry for minutes)."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except ValueError:
        raise EngineError(f"--ray-address {address}: expected HOST:PORT of the cluster's head") from None
    except OSError as e:
        raise EngineError(f"no Ray cluster at {address}: {e.strerror or e}") from None


def _result(row: dict[str, Any]) -> FileResult:
    seconds = {"ingest": row["seconds_ingest"], "extract": row["seconds_extract"]} if not row["unchanged"] else {}
    return FileResult(row["relpath"], bytes_hash=row["bytes_hash"], unchanged=row["unchanged"],
                      documents=[(DocumentRecord(**record), [Figure(**f) for f in figures])
                                 for record, figures in json.loads(row["documents"])],
                      reject=row["reject"], warnings=list(row["warnings"] or []), seconds=seconds)


class RayEngine:
    """Runs a build's extraction jobs on Ray: a local Ray started on first use (and shut
    down on exit), or the cluster at `address`. Use as a context manager around build()."""

    def __init__(self, reader: CorpusReader, *, address: str | None = None, workers: int | None = None,
                 staging: Path, progress: bool = True) -> None:
        """`staging` belongs to the engine (it is emptied before each job and removed after it), and to
        one database: only the build holding its lock may use it."""
        self.reader, self.address, self.workers = reader, address, workers
        self.staging, self.progress = staging, progress
        self.started = False
        self.startup_seconds = 0.0

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.started:
            import ray

            ray.shutdown()
            self.started = False

    def start(self) -> None:
        """Join the cluster at `address`, or start a local Ray sized for this machine (bound to
        127.0.0.1, no dashboard, its files under the temp folder); nothing if Ray is already up."""
        import time

        t = time.perf_counter()
        if self.address is None:
            # Ray advertises the machine's address even when told 127.0.0.1, unless clusters are off:
            # a local Ray then listens on loopback only. Read by ray_constants on import.
            os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        try:
            import ray
            import ray.data
        except ImportError:
            raise EngineError("--engine ray needs Ray: pip install -e .[ray] (or requirements-ray.lock)") from None
        if not ray.is_initialized():
            if self.address is not None:
                _reachable(self.address)
            options: dict[str, Any] = {"include_dashboard": False, "configure_logging": True,
                                       "logging_level": logging.WARNING, "log_to_driver": False}
            try:
                if self.address is None:
                    ray.init("local", num_cpus=self.workers or os.cpu_count() or 1,
                             object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                             _temp_dir=str(Path(tempfile.gettempdir()) / f"ray-figures-{os.getuid()}"),
                             _node_ip_address="127.0.0.1", **options)
                else:
                    ray.init(self.address, **options)
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise EngineError(f"cannot start or reach Ray at {self.address or 'local'}: {e}") from e
            self.started = True
        # the build's bar (below) says how far the files are; Ray Data's bars and logs would repeat it per operator
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = ctx.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        self.startup_seconds += time.perf_counter() - t

    def actors(self) -> int:
        """How many FileWorkers: `workers`, else one per CPU of the cluster."""
        import ray

        return max(1, self.workers or int(ray.cluster_resources().get("CPU", 1)))

    def __call__(self, jobs: Sequence[FileJob]) -> Iterator[FileResult]:
        """Extract `jobs` on the cluster; yield their results once all are staged."""
        import ray
        import ray.data

        self.start()
        shutil.rmtree(self.staging, ignore_errors=True)
        items = [{"relpath": j.relpath, "meta": json.dumps(j.meta, ensure_ascii=False) if j.meta else "",
                  "known_hash": j.known_hash, "timeout": j.timeout} for j in jobs]
        actors = min(self.actors(), max(1, len(jobs) // BATCH_FILES + 1))
        tally = ray.remote(num_cpus=0)(Tally).remote() if self.progress else None
        blocks = max(1, (len(items) + BATCH_FILES - 1) // BATCH_FILES)
        ds = ray.data.from_items(items, override_num_blocks=blocks).map_batches(
            FileWorker, fn_constructor_kwargs={"reader": self.reader, "tally": tally}, batch_size=BATCH_FILES,
            batch_format="pyarrow", compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1)
        with ThreadPoolExecutor(1) as run:
            job = run.submit(ds.write_parquet, str(self.staging), partition_cols=["bucket"])
            if tally is not None:
                self._show(job, tally, len(jobs))
            try:
                job.result()
            except Exception as e:   # Ray wraps a failed job (e.g. workers lost beyond its retries) in many types
                shutil.rmtree(self.staging, ignore_errors=True)
                raise EngineError(f"the Ray job failed: {type(e).__name__}: "
                                  f"{str(e).splitlines()[0] if str(e) else ''}") from e
        yield from self._staged(len(jobs))

    @staticmethod
    def _show(job: Future[None], tally: Any, total: int) -> None:
        """Files done of `total`, their rate and the rejects so far, until the job ends."""
        import ray

        bar = tqdm(total=total, desc="extracting on Ray", unit="file")
        while True:
            finished = job.done()
            done, rejected = ray.get(tally.counts.remote())
            bar.update(min(done, total) - bar.n)
            bar.set_postfix(rejected=rejected, refresh=False)
            if finished:
                break
            wait([job], timeout=PROGRESS_SECONDS)
        bar.close()

    def _staged(self, expected: int) -> Iterator[FileResult]:
        """The staged rows, read back with DuckDB in path order."""
        import duckdb

        con = duckdb.connect()
        try:
            cur = con.execute(queries.sql("ray_staged_results"), {"files": str(self.staging / "**" / "*.parquet")})
            names = [d[0] for d in cur.description]
            seen = 0
            while chunk := cur.fetchmany(READ_ROWS):
                for values in chunk:
                    seen += 1
                    yield _result(dict(zip(names, values, strict=True)))
            if seen != expected:
                raise EngineError(f"the Ray job staged {seen} results for {expected} files")
        finally:
            con.close()
            shutil.rmtree(self.staging, ignore_errors=True)
