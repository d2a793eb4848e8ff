"""The JSONL export follows the figure record format of ../shared/eval/SCHEMA.md."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.export import export
from pipeline.knowledge import lexicon

UNITS = {"人", "个", "元", "%", "人次", "亩", "平方米", "期", "次", "场次", "项", "件", "条", "家", "处", "株",
         "起", "户", "岁", "个百分点"}
LEVELS = {"national", "province", "prefecture", "county", "township", "village", "organization", "area"}
FIELDS = {"doc": str, "start": int, "end": int, "text": str, "quote": str, "value": float, "unit": str,
          "qualifier": str, "subject": str, "region_code": str, "region_name": str, "region_level": str,
          "period_kind": str}


@pytest.fixture()
def exported(sample_con) -> list[dict]:
    out = io.StringIO()
    n = export(sample_con, "jsonl", out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == n > 100
    return rows


def test_every_record_follows_the_schema(exported: list[dict]) -> None:
    metric_ids = {m["id"] for m in lexicon.metrics()}
    for r in exported:
        for field, kind in FIELDS.items():
            assert isinstance(r[field], int if kind is int else (float, int) if kind is float else kind), (field, r)
        assert r["qualifier"] in {"exact", "over", "under", "about"}
        assert r["period_kind"] in {"stock", "flow", "cumulative", "target"}
        assert r["region_level"] in LEVELS
        assert len(r["region_code"]) == 6 and r["region_code"].isdigit()
        assert r["metric"] is None or r["metric"] in metric_ids
        assert r["year"] is None or 1949 <= r["year"] <= 2100
        assert r["unit"] in UNITS or r["unit"]  # canonical, or the measure word as written
        assert r["text"] in r["quote"]


def test_offsets_point_into_the_document_text(exported: list[dict], sample_con) -> None:
    texts = dict(sample_con.execute("SELECT doc, text FROM documents").fetchall())
    for r in exported:
        assert texts[r["doc"]][r["start"]: r["end"]] == r["text"]


def test_traditional_text_keeps_its_characters(exported: list[dict]) -> None:
    traditional = [r for r in exported if r["doc"].startswith("004_")]
    assert any("億元" in r["text"] for r in traditional)
    assert all("亿" not in r["text"] for r in traditional)


def test_every_metric_of_the_shared_catalog_is_kept() -> None:
    import yaml

    shared = Path(__file__).resolve().parents[2] / "shared" / "eval" / "metrics.yaml"
    if not shared.is_file():
        pytest.skip("../shared/eval/metrics.yaml not found")
    ours = {m["id"]: m for m in lexicon.metrics()}
    for items in yaml.safe_load(shared.read_text(encoding="utf-8")).values():
        for m in items:
            assert m["id"] in ours
            assert ours[m["id"]]["unit"] == m["unit"]
            assert ours[m["id"]].get("kind", "level") == m.get("kind", "level")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_hold_the_same_rows(sample_con, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"figures.{fmt}"
    n = export(sample_con, fmt, path)
    frame = pl.read_csv(path) if fmt == "csv" else pl.read_parquet(path)
    assert frame.height == n
    assert {"doc", "start", "end", "text", "quote", "value", "unit", "figure_id"} <= set(frame.columns)
