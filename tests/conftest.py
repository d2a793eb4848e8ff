"""Shared fixtures: the sample corpus built once per session with the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline import store
from pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "data" / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from data/corpus by the same code `make run` uses."""
    db = tmp_path_factory.mktemp("sample") / "figures.duckdb"
    build(SAMPLE_CORPUS, db, progress=False, warn=lambda _msg: None)
    return db


@pytest.fixture()
def sample_con(sample_db: Path):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def fresh_db():
    """An empty in-memory database with the current schema."""
    con = duckdb.connect(":memory:")
    store.migrate(con)
    yield con
    con.close()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus (the files themselves may be read-only)."""
    dst = tmp_path / "corpus"
    dst.mkdir()
    for p in sorted(SAMPLE_CORPUS.iterdir()):
        shutil.copyfile(p, dst / p.name)
    return dst


def figure(**fields) -> dict:
    """A figure row for a hand-made database: 5个 party organisations of 沧县 in 2022 unless told."""
    base = {"doc_id": "doc1", "doc": "doc1", "start": 0, "end": 2, "text": "5个", "quote": "有5个。", "quote_start": 0,
            "value": 5.0, "unit": "个", "qualifier": "exact", "metric": "party_orgs", "subject": "党组织",
            "region_code": "130921", "region_name": "沧县", "region_level": "county", "year": 2022,
            "period_kind": "stock", "extractor": "test", "run_id": 1}
    row = {**base, **fields}
    row.setdefault("figure_id", f"{row['doc_id']}:{row['start']}")
    return row


def make_db(path: Path, figures: list[dict], docs: list[dict] | None = None) -> Path:
    """A database with the real schema and reference tables holding these figures and documents."""
    con = store.connect(path)
    store.load_reference_tables(con)
    docs = docs or [{"doc_id": "doc1", "doc": "doc1", "path": "doc1.txt", "title": "标题", "source": "报",
                     "published": "2023-01-01", "text": "有5个。"}]
    store.insert(con, "documents", docs, store.DOCUMENT_COLUMNS)
    store.insert(con, "figures", figures, store.FIGURE_COLUMNS)
    con.close()
    return path
