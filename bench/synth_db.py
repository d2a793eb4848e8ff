"""A synthetic figures database of any size on the real schema and reference tables,
generated inside DuckDB (bench/sql/synth_*.sql) and cached in build/bench/ under a key
of the schema, the generator and the size.

    python -m bench.synth_db --figures 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
from pathlib import Path

from pipeline import curation, knowledge
from pipeline.warehouse import store

SQL_DIR = Path(__file__).resolve().parent / "sql"
FIGURES_PER_DOCUMENT = 20


def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def cache_key(figures: int) -> str:
    """Changes when the schema DDL, the generator SQL or the size changes."""
    h = hashlib.sha256(str(figures).encode())
    for path in sorted(store.DDL_DIR.glob("V*.sql")) + sorted(SQL_DIR.glob("synth_*.sql")):
        h.update(path.name.encode() + path.read_bytes())
    version = max(int(p.name[1:].split("__")[0]) for p in store.DDL_DIR.glob("V*__*.sql"))
    return f"v{version}_{figures}_{h.hexdigest()[:10]}"


def generate(path: Path, figures: int) -> None:
    """Write a fresh synthetic database of `figures` figures to `path`."""
    con = store.connect(path)
    try:
        store.load_reference_tables(con, *knowledge.default().reference_rows())
        documents = math.ceil(figures / FIGURES_PER_DOCUMENT)
        con.execute(sql("synth_documents"), {"documents": documents})
        con.execute(sql("synth_figures"), {"per_doc": FIGURES_PER_DOCUMENT})
        con.execute(sql("synth_run"))
        con.execute(sql("synth_scratch"))
        curation.apply(con, [])   # publishes the corrected figures the dashboard reads
        con.execute("CHECKPOINT")
    finally:
        con.close()


def synthetic_db(cache_dir: Path, figures: int) -> Path:
    """The cached database for this size and schema, generated on first use."""
    path = cache_dir / f"synth_{cache_key(figures)}.duckdb"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        for stale in cache_dir.glob(f"synth_v*_{figures}_*.duckdb"):
            stale.unlink()
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        generate(tmp, figures)
        os.replace(tmp, path)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description="Generate (or find cached) a synthetic figures database.")
    ap.add_argument("--figures", type=int, default=1_000_000)
    ap.add_argument("--dir", type=Path, default=Path("build/bench"))
    args = ap.parse_args()
    print(synthetic_db(args.dir, args.figures))


if __name__ == "__main__":
    main()
