"""`build --text-column …`: exports whose columns have unusual names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def run_build(corpus: Path, db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--corpus", str(corpus), "--db", str(db),
                           "--quiet", "--workers", "1", *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_columns_named_on_the_command_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "articles.csv").write_text(
        "headline,稿件,day\n沧县党建,全县共有党员2.6万名。,2023-04-01\n", encoding="utf-8-sig")
    db = tmp_path / "figures.duckdb"

    unnamed = run_build(corpus, db)
    assert "articles.csv" in unnamed.stderr and "no text column" in unnamed.stderr

    named = run_build(corpus, db, "--text-column", "稿件", "--title-column", "headline",
                      "--published-column", "day")
    assert named.returncode == 0, named.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        doc = con.execute("SELECT doc, title, published FROM documents").fetchall()
        figures = con.execute("SELECT text, metric, region_code, year FROM figures").fetchall()
    finally:
        con.close()
    assert doc == [("articles#1", "沧县党建", "2023-04-01")]
    assert figures == [("2.6万名", "party_members", "130921", 2023)]
