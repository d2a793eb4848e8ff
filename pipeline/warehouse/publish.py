"""Publishing a database file safely beside readers: one build at a time, work on a
private copy, swap it in with one rename.

Readers (the dashboard) open the published file read-only per request, so they see
either the old file or the new one, never a file being written. A build killed at any
point leaves only a stale copy behind, which the next build removes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class BuildLocked(RuntimeError):
    """Another build holds the lock on this database."""


def real(db_path: Path) -> Path:
    """The database's real path: builds through two names (a symlink) of one database take
    one lock, and publishing replaces the file the link points to, not the link."""
    return Path(os.path.realpath(db_path))


def lock_path(db_path: Path) -> Path:
    db_path = real(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def build_lock(db_path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold an exclusive lock on `<db>.lock`, waiting at most `wait` seconds for it (a build
    does not wait; a correction waits for a build to finish); the kernel drops it if we die."""
    db_path = real(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db_path), os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    raise BuildLocked(f"another build or correction (pid {holder}) is updating {db_path};"
                                      " try again later") from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def staging_files(db_path: Path) -> list[Path]:
    """Private copies (and their write-ahead logs) left by builds of this database."""
    return sorted(db_path.parent.glob(f".{db_path.name}.*.tmp*"))


def interrupted_runs(db_path: Path) -> list[dt.datetime]:
    """When each build whose staging copy is still here started: such a build was killed
    (only a build holding the lock may call this). A copy too partial to open counts from
    its file's time."""
    started = []
    for path in staging_files(db_path):
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                rows = con.execute("SELECT started_at FROM runs WHERE status = 'running'").fetchall()
            finally:
                con.close()
        except (duckdb.Error, OSError):
            rows = []
        started += [r[0] for r in rows] or [dt.datetime.fromtimestamp(path.stat().st_mtime)]
    return started


def remove_stale(db_path: Path) -> int:
    """Delete copies left by killed builds. Only safe while holding the build lock."""
    stale = staging_files(db_path)
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def discard(tmp: Path) -> None:
    """Delete one private copy (and its write-ahead log) that will not be published."""
    for path in (tmp, tmp.with_name(tmp.name + ".wal")):
        path.unlink(missing_ok=True)


def stage(db_path: Path) -> Path:
    """A private copy of the published database to apply a build to (empty if none yet)."""
    db_path = real(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    if db_path.exists():
        try:
            shutil.copyfile(db_path, tmp)
        except BaseException:   # a full disk: no partial copy is left filling it
            tmp.unlink(missing_ok=True)
            raise
    return tmp


def publish(tmp: Path, db_path: Path) -> None:
    """Make the closed copy durable, then swap it in atomically."""
    db_path = real(db_path)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, db_path)
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
