"""Extraction quality, scored by ../shared/eval/score.py: on the sample corpus against the
shared gold annotations, and on our own annotated documents in tests/eval (party
statistics, work reports in GB18030/CRLF and UTF-8 with BOM, a statistical bulletin, HTML
news pages, Big5 and traditional text, a CSV export), annotated with ../shared/eval/locate.py."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import duckdb
import pytest

from pipeline.build import build
from pipeline.export import export

SHARED = Path(__file__).resolve().parents[2] / "shared"

OWN = Path(__file__).parent / "eval"


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    path = SHARED / "eval" / "score.py"
    if not path.is_file():
        pytest.skip(f"{path} not found: ../shared must sit beside the repository")
    spec = importlib.util.spec_from_file_location("score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(db: Path) -> list[dict]:
    import json

    out = io.StringIO()
    con = duckdb.connect(str(db), read_only=True)
    try:
        export(con, "jsonl", out)
    finally:
        con.close()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_sample_corpus_meets_the_issue_targets(scorer: ModuleType, sample_db: Path) -> None:
    gold = scorer.load(SHARED / "eval" / "gold" / "seeds.jsonl")
    result = scorer.score(gold, predictions(sample_db))
    assert result["detection"]["f1"] >= 0.95
    assert result["value_accuracy"] >= 0.99
    assert result["fact"]["f1"] >= 0.90


def test_own_documents(scorer: ModuleType, tmp_path: Path) -> None:
    db = tmp_path / "own.duckdb"
    build(OWN / "corpus", db, progress=False, warn=lambda _msg: None)
    gold = scorer.load(OWN / "gold.jsonl")
    result = scorer.score(gold, predictions(db))
    assert result["docs"] == len({g["doc"] for g in gold}) == len(list((OWN / "corpus").iterdir()))
    assert result["detection"]["f1"] >= 0.95
    assert result["value_accuracy"] >= 0.99
    assert result["fact"]["f1"] >= 0.85
