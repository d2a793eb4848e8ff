"""The language data as the engine reads it: a data folder with a file or key missing, or a
catalog that contradicts itself, is one clear error naming the file, never a figure read
with half the knowledge."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from pipeline import DATA_DIR, knowledge
from pipeline.engine import process
from pipeline.ingest import content_id
from pipeline.knowledge.lexicon import LexiconError
from pipeline.records import Document, Figure


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of data/ to break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR / "lexicon", copy / "lexicon")
    shutil.copyfile(DATA_DIR / "metrics.yaml", copy / "metrics.yaml")
    return copy


def read(k: knowledge.Knowledge, text: str) -> list[Figure]:
    doc = Document(doc="t", doc_id=content_id(text), path="t.txt", format="text", encoding="utf-8",
                   bytes=len(text.encode()), chars=len(text), text=text)
    return process(doc, k)[1]


def edit_yaml(path: Path, change: Callable[[dict], object]) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")


def test_the_repositorys_knowledge_loads_and_reads() -> None:
    k = knowledge.load(DATA_DIR)
    read(k, "2023年，全县发展党员186名，固定资产投资下降3.3%。")
    assert {m.id for m in k.catalog} >= {"party_members", "gdp", "gdp_growth"}


def test_a_missing_lexicon_key_names_its_file_and_key(data: Path) -> None:
    edit_yaml(data / "lexicon" / "subjects.yaml", lambda words: words.pop("falling_verbs"))
    k = knowledge.load(data)
    with pytest.raises(LexiconError, match=r"subjects\.yaml: no 'falling_verbs'"):
        read(k, "全年固定资产投资下降3.3%。")


def test_a_missing_lexicon_file_is_named(data: Path) -> None:
    (data / "lexicon" / "units.yaml").unlink()
    with pytest.raises(LexiconError, match=r"units\.yaml: no such file"):
        knowledge.load(data)


def test_a_growth_of_no_metric_is_refused(data: Path) -> None:
    def break_growth(catalog: dict) -> None:
        next(m for m in catalog["economy"] if m["id"] == "gdp_growth")["growth_of"] = "gross_product"
    edit_yaml(data / "metrics.yaml", break_growth)
    with pytest.raises(LexiconError, match="gdp_growth is the growth of 'gross_product', which is no metric"):
        knowledge.load(data)


def test_duplicate_metric_ids_are_refused(data: Path) -> None:
    edit_yaml(data / "metrics.yaml", lambda catalog: catalog["economy"].append(dict(catalog["economy"][0])))
    with pytest.raises(LexiconError, match="duplicate metric ids"):
        knowledge.load(data)


def test_a_growth_metric_is_found_through_its_level(data: Path) -> None:
    """growth_of is what ties 经济总量…增长 to gdp_growth: without it, only a growth cue
    written as one word (生产总值增长) names the metric."""
    text = "2022年，全国经济总量达到1210207亿元，同比增长3%。"
    assert [f.metric for f in read(knowledge.load(data), text)] == ["gdp", "gdp_growth"]

    def drop_growth_of(catalog: dict) -> None:
        next(m for m in catalog["economy"] if m["id"] == "gdp_growth").pop("growth_of")
    edit_yaml(data / "metrics.yaml", drop_growth_of)
    assert [f.metric for f in read(knowledge.load(data), text)] == ["gdp", None]


def test_span_variants_are_derived_from_the_flow_metrics(data: Path) -> None:
    """metrics.yaml `variants`: each flow metric of one value a region and year has them, named
    after it; a stock (党员) and the items of projects (投资) have none; without the section
    the engine gives the year's metric or none, never a variant."""
    k = knowledge.load(data)
    ids = {m.id: m for m in k.catalog}
    average = ids["gdp_growth_annual_average"]
    assert (average.variant_of, average.unit, average.zh) == ("gdp_growth", "%", "地区生产总值增速（年均）")
    assert ids["retail_sales_year_to_date"].kind == "year_to_date"
    assert "party_members_year_to_date" not in ids and "investment_annual_average" not in ids
    text = "2025年，前三季度全省地区生产总值增长5.2%。五年来，地区生产总值年均增长5.9%。"
    assert [f.metric for f in read(k, text)] == ["gdp_growth_year_to_date", "gdp_growth_annual_average"]

    edit_yaml(data / "metrics.yaml", lambda catalog: catalog.pop("variants"))
    plain = knowledge.load(data)
    assert not any(m.variant_of for m in plain.catalog)
    assert [f.metric for f in read(plain, text)] == [None, None]


def test_a_metric_id_taken_by_a_variant_is_refused(data: Path) -> None:
    edit_yaml(data / "metrics.yaml", lambda catalog: catalog["economy"].append(
        {**next(m for m in catalog["economy"] if m["id"] == "gdp"), "id": "gdp_growth_year_to_date"}))
    with pytest.raises(LexiconError, match="span variants"):
        knowledge.load(data)
