"""Extraction cases kept as data (tests/specs/*.jsonl, a file per decision: numbers,
non_figures, structure, subject, metric, time, place, and attribution for cases that
decide several): a phrasing and the figures expected from it. Each case lists every
figure the text holds (an empty list: none); only the fields given are compared. A case
with `known_gap` (saying why) is a phrasing the engine does not read right yet: it must
fail (strict xfail), so that fixing it shows up and the mark is removed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline import knowledge
from pipeline.engine import process
from pipeline.ingest import content_id
from pipeline.records import Document, Figure

SPECS = Path(__file__).parent / "specs"


def load_cases() -> list[Any]:
    cases = []
    for path in sorted(SPECS.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if case.get("known_gap") else []
                cases.append(pytest.param(case, id=f"{path.stem}:{n}:{case['case']}", marks=marks))
    return cases


def figures_of(case: dict[str, Any]) -> list[Figure]:
    text = case.get("title", "") + "\n" + case["text"] if case.get("title") else case["text"]
    doc = Document(doc="spec", doc_id=content_id(text), path="spec.txt", format="text", encoding="utf-8",
                   bytes=len(text.encode()), chars=len(text), text=text, title=case.get("title"),
                   published=case.get("published"), region=case.get("region"))
    return process(doc, knowledge.default())[1]


@pytest.mark.parametrize("case", load_cases())
def test_spec(case: dict[str, Any]) -> None:
    found = figures_of(case)
    assert [f.text for f in found] == [e["text"] for e in case["expect"]]
    for figure, expected in zip(found, case["expect"], strict=True):
        for field, value in expected.items():
            got = getattr(figure, field)
            if isinstance(value, float) or field == "value":
                assert got == pytest.approx(value), (field, figure)
            else:
                assert got == value, (field, figure)
