"""A small database whose figures exercise every part of the point rule (queries/points.sql):
a conflict, an approximate figure losing to an exact one, an `items` metric summed, a
cumulative and a target kept apart from the year's value, and a village kept out of its county.
Shared by test_points.py and the browser test of the same points."""

from __future__ import annotations

from pathlib import Path

from hand_made import figure, make_db

DOCS = [
    {"doc_id": "old", "doc": "old", "path": "old.txt", "title": "河北答卷", "source": "河北日报",
     "published": "2023-05-27", "text": "全省共有党员520.49万名。"},
    {"doc_id": "new", "doc": "new", "path": "new.txt", "title": "河北新闻", "source": "长城网",
     "published": "2024-03-01", "text": "全省党员约521万名，党员525.1万名。"},
    {"doc_id": "gz", "doc": "gz", "path": "gz.txt", "title": "贵州报道", "source": "贵州日报",
     "published": "2024-01-10", "text": "全省党员190余万名。到2025年，党员力争达到200万名。"},
    {"doc_id": "cx", "doc": "cx", "path": "cx.txt", "title": "沧县项目", "source": "沧州日报",
     "published": "2019-01-05", "text": "项目一投资2300万元，项目二投资4760万元，两年来累计投资1.2亿元。"},
]


def members(**fields) -> dict:
    return figure(**{"metric": "party_members", "unit": "人", "subject": "党员", "region_code": "130000",
                     "region_name": "河北省", "region_level": "province", **fields})


FIGURES = [
    # 河北 2022: exact 520.49万 (older) beats approximate 约521万 (newer): a conflict
    members(doc_id="old", doc="old", start=5, text="520.49万名", value=5204900.0, quote="全省共有党员520.49万名。"),
    members(doc_id="new", doc="new", start=4, text="约521万名", value=5210000.0, qualifier="about",
            quote="全省党员约521万名"),
    # 河北 2023: one exact figure
    members(doc_id="new", doc="new", start=13, text="525.1万名", value=5251000.0, year=2023,
            quote="党员525.1万名。"),
    # 贵州: an approximate stock and a target, never one line point
    members(doc_id="gz", doc="gz", start=4, text="190余万名", value=1900000.0, qualifier="over", year=2023,
            region_code="520000", region_name="贵州省", quote="全省党员190余万名。"),
    members(doc_id="gz", doc="gz", start=20, text="200万名", value=2000000.0, year=2025, period_kind="target",
            region_code="520000", region_name="贵州省", quote="到2025年，党员力争达到200万名。"),
    # 沧县 investment 2018: two items summed; the cumulative stays its own point
    figure(doc_id="cx", doc="cx", start=5, text="2300万元", value=23000000.0, unit="元", metric="investment",
           subject="投资", year=2018, period_kind="flow", quote="项目一投资2300万元"),
    figure(doc_id="cx", doc="cx", start=16, text="4760万元", value=47600000.0, unit="元", metric="investment",
           subject="投资", year=2018, period_kind="flow", quote="项目二投资4760万元"),
    figure(doc_id="cx", doc="cx", start=30, text="1.2亿元", value=120000000.0, unit="元", metric="investment",
           subject="投资", year=2018, period_kind="cumulative", quote="两年来累计投资1.2亿元。"),
    # a village's figure has a series of its own
    figure(doc_id="cx", doc="cx", start=40, value=860.0, text="860余个", qualifier="over", region_name="北庄村",
           region_level="village", year=2018, quote="北庄村860余个"),
]

# metric, series, year, point kind → (value, label, conflict): what every view must show
EXPECTED = {
    ("party_members", "130000", 2022, "year"): (5204900.0, "520.49万人", True),
    ("party_members", "130000", 2023, "year"): (5251000.0, "525.1万人", False),
    ("party_members", "520000", 2023, "year"): (1900000.0, "190余万人", False),
    ("party_members", "520000", 2025, "target"): (2000000.0, "200万人", False),
    ("investment", "130921", 2018, "year"): (70600000.0, "7060万元", False),
    ("investment", "130921", 2018, "cumulative"): (120000000.0, "1.2亿元", False),
    ("party_orgs", "130921|village|北庄村", 2018, "year"): (860.0, "860余个", False),
}


def build(path: Path) -> Path:
    return make_db(path, FIGURES, DOCS)
