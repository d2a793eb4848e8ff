"""What a build does with one corpus file, in a worker process: read it, hash it, and,
unless its bytes are the ones already in the database, ingest and process it.

A file never raises: a file that is not usable, too slow or trips a bug comes back as
a reject with a reason, so one bad file cannot stop a build.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import ingest
from pipeline import knowledge
from pipeline.engine import process
from pipeline.records import DocumentRecord, Figure


@dataclass(frozen=True)
class FileJob:
    path: Path                      # where to read it
    relpath: str                    # its name in the corpus (documents.path, files.path)
    meta: dict[str, Any] | None     # sidecar/manifest metadata, if any
    known_hash: str | None          # bytes hash in the database when only the bytes may have changed
    timeout: float
    root: Path | None = None        # the corpus root its real path must be inside (None: not checked)


@dataclass
class FileResult:
    relpath: str
    bytes_hash: str = ""
    unchanged: bool = False                          # same bytes as known_hash: nothing was extracted
    documents: list[tuple[DocumentRecord, list[Figure]]] = field(default_factory=list)
    reject: str | None = None
    warnings: list[str] = field(default_factory=list)           # rows of an export that were skipped
    seconds: dict[str, float] = field(default_factory=dict)


class TimeLimit(BaseException):
    """A file's time is up. Not an Exception, so that no `except Exception` on the way (in
    ingest, in a parser library) can take it for an ordinary error or swallow it."""


def meta_hash(meta: dict[str, Any] | None) -> str:
    if not meta:
        return ""
    return hashlib.sha256(json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after `seconds` (SIGALRM; only possible on a main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_contained(path: Path, root: Path | None) -> bytes:
    """The bytes of a regular file whose real path is inside `root`, refused from its
    `stat` before a byte is read when it is larger than ingest.MAX_BYTES. Opened without
    blocking (a FIFO put in its place since the scan is refused, not waited on)."""
    real = Path(os.path.realpath(path))
    if root is not None and not real.is_relative_to(os.path.realpath(root)):
        raise ingest.Rejected("outside the corpus: its real path is outside the corpus folder, not read")
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ingest.Rejected("not a regular file")
        if st.st_size > ingest.MAX_BYTES:
            raise ingest.Rejected(f"too large: {st.st_size} bytes over the limit of {ingest.MAX_BYTES}")
        return f.read(ingest.MAX_BYTES + 1)   # a file grown since its stat is cut, then refused by ingest


def process_file(job: FileJob) -> FileResult:
    result = FileResult(job.relpath)
    try:
        with time_limit(job.timeout):
            t0 = time.perf_counter()
            data = read_contained(job.path, job.root)
            result.bytes_hash = hashlib.sha256(data).hexdigest()
            if result.bytes_hash == job.known_hash:
                result.unchanged = True
                return result
            docs = ingest.ingest_file(job.relpath, data, meta=job.meta, warn=result.warnings.append)
            t1 = time.perf_counter()
            seen: set[str] = set()
            for doc in docs:
                if doc.doc_id not in seen:
                    seen.add(doc.doc_id)
                    result.documents.append(process(doc, knowledge.default()))
            result.seconds = {"ingest": t1 - t0, "extract": time.perf_counter() - t1}
    except ingest.Rejected as e:
        result.reject = str(e)
    except TimeLimit:
        result.reject = f"timeout: no result after {job.timeout:g} s"
    except OSError as e:
        result.reject = f"unreadable: {e.strerror or e}"
    except Exception as e:  # a bug on one odd file must not stop the build; the reason says which
        result.reject = f"error: {type(e).__name__}: {e}"
    if result.reject:
        result.documents = []
    return result


WARM_UP_TEXT = "2023年，河北省沧县新建村级党群服务中心35个，培训党员4800人次。"


def check_knowledge() -> None:
    """Read a sentence with the knowledge in data/, so that every word list the engine reads
    is compiled: a missing file or key raises LexiconError, naming it."""
    for doc in ingest.ingest_file("check.txt", WARM_UP_TEXT.encode()):
        process(doc, knowledge.default())


def warm_up() -> None:
    """Load the knowledge and compile the matchers a worker needs once, so that their cost
    does not count against the first file's time limit."""
    try:
        for doc in ingest.ingest_file("warm-up.txt", WARM_UP_TEXT.encode()):
            process(doc, knowledge.default())
    except Exception:  # each file then meets the problem itself and says so as its reject
        pass


def failed(job: FileJob, reason: str) -> FileResult:
    """The result of a job whose worker was killed or died."""
    return FileResult(job.relpath, reject=reason)
