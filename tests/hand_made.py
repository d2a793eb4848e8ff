"""Hand-made databases with the real schema and reference tables (store.connect, migrate,
load_reference_tables), for tests of rules that need exact figures."""

from __future__ import annotations

from pathlib import Path

from pipeline import curation, knowledge
from pipeline.warehouse import store


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
    store.load_reference_tables(con, *knowledge.default().reference_rows())
    docs = docs or [{"doc_id": "doc1", "doc": "doc1", "path": "doc1.txt", "title": "标题", "source": "报",
                     "published": "2023-01-01", "text": "有5个。"}]
    store.insert(con, "documents", docs, store.DOCUMENT_COLUMNS)
    store.insert(con, "figures", figures, store.FIGURE_COLUMNS)
    curation.apply(con, [])   # publishes the corrected figures the dashboard reads, as a build does
    con.close()
    return path
