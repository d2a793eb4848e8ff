"""Shared fixtures: the sample corpus built once per session with the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.build import build
from pipeline.warehouse import store

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

