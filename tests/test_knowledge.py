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
