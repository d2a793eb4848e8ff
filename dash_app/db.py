"""Read-only access to a database file that scheduled builds replace by atomic rename.

Each callback opens the file read-only and closes it when done, so a rebuilt file is read
by the next request without a restart and no connection outlives the file it was opened on.
(DuckDB shares one instance per path among open connections: a connection kept open would
make later "new" connections read the replaced file too.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

REQUIRED_TABLES = {"corrected_figures", "documents", "regions", "metrics", "corrections"}


class Database:
    """The dashboard's view of one database path; `corrections` is the corrections file that
    analysts write to when the dashboard curates (`serve --curate`), None when it only reads."""

    def __init__(self, path: Path | str, corrections: Path | None = None):
        self.path = Path(path)
        self.corrections = corrections

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A read-only connection to the file as it is now, or None when there is no usable database."""
        con = self._open()
        try:
            yield con
        finally:
            if con is not None:
                con.close()

    def _open(self) -> duckdb.DuckDBPyConnection | None:
        if not self.path.is_file():
            return None
        try:
            con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error:
            return None  # not a DuckDB file (or a half-copied one): shown as "no database"
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if not REQUIRED_TABLES.issubset(tables):
            con.close()
            return None
        return con
