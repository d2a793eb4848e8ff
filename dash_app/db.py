"""Read-only access to a database file that scheduled builds replace by atomic rename.

A connection is cached per file identity (inode, modification time, size); when a build
swaps in a new file, the next request opens it and the cache drops the old connection
(callbacks still using it keep it alive until they return).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb


class Database:
    """The dashboard's view of one database path."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._identity: tuple[int, int, int] | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def _current_identity(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def connection(self) -> duckdb.DuckDBPyConnection | None:
        """A read-only connection to the file as it is now, or None when there is no database."""
        identity = self._current_identity()
        with self._lock:
            if identity != self._identity:
                self._con = self._open() if identity else None
                self._identity = identity
            return self._con

    def _open(self) -> duckdb.DuckDBPyConnection | None:
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error:
            return None  # not a DuckDB file (or a half-copied one): shown as "no database"
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if not {"figures", "documents", "regions", "metrics"} <= tables:
            con.close()
            return None
        return con
