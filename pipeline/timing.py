"""When a figure holds: its year and period kind (stock, flow, cumulative, target).

Pure functions over the analysis text; the document's present year comes from
pipeline.normalize.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pipeline import lexicon
from pipeline.segment import containing

YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:[—\-–~至到]((?:19|20)\d{2})\s*年)?")
SINCE = re.compile(r"\s*(?:以来|来|至今)")  # used with .match(text, pos): anchored there


@dataclass(frozen=True)
class TimeWords:
    target: re.Pattern[str]
    target_in_clause: re.Pattern[str]
    target_by: re.Pattern[str]
    cumulative: re.Pattern[str]
    stock: re.Pattern[str]
    flow: re.Pattern[str]
    relative: re.Pattern[str]
    relative_years: dict[str, int]
    plan_periods: dict[str, int]
    retrospective: re.Pattern[str]
    as_of: re.Pattern[str]
    change: re.Pattern[str]


def _words(words: list[str] | dict[str, Any]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@cache
def time_words() -> TimeWords:
    p = lexicon.load("periods")
    plans = "|".join(map(re.escape, p["plan_periods"]))
    return TimeWords(
        target=_words(p["target"]),
        target_in_clause=_words(p["target_in_clause"]),
        target_by=re.compile(rf"{re.escape(p['target_by'])}[“\"]?(?:((?:19|20)\d{{2}})\s*年|({plans}))"),
        change=re.compile(p["change_from"]),
        cumulative=_words(p["cumulative"]),
        stock=_words(p["stock"]),
        flow=_words(p["flow"]),
        relative=_words(p["relative_years"]),
        relative_years=dict(p["relative_years"]),
        plan_periods=dict(p["plan_periods"]),
        retrospective=_words(p["retrospective"]),
        as_of=re.compile(r"(?:截至|截止|到)\s*((?:19|20)\d{2})\s*年(?:(\d{1,2})\s*月)?(?:(\d{1,2})\s*日)?"),
    )


def _last_year(segment: str) -> tuple[int, bool] | None:
    """The last year written in a segment, and whether it opens a span (2021年以来)."""
    last = None
    for m in YEAR.finditer(segment):
        year = int(m.group(2) or m.group(1))
        last = (year, bool(SINCE.match(segment, m.end())))
    return last


def _paragraph_year(text: str, paragraphs: list[int], start: int) -> int | None:
    """A year that opens the paragraph (2022年,全省…) holds for its later sentences."""
    p_start = paragraphs[containing(paragraphs, start)]
    head = text[p_start: min(start, p_start + 12)].lstrip()
    m = YEAR.match(head)
    if m and not SINCE.match(head, m.end()):
        return int(m.group(2) or m.group(1))
    return None


def _change_years(sentence_text: str, before: str) -> int | None:
    """In 从2020年的6.5万元增长到2022年的100多万元,村民人均收入从1.2万元增至2万多元
    the second change reuses the first one's years: 1.2万元 is 2020, 2万多元 2022."""
    w = time_words()
    changes = list(w.change.finditer(sentence_text))
    dated = [m for m in changes if m.group("y1") and m.group("y2")]
    if not dated:
        return None
    here = next((m for m in changes if m.start("n1") <= len(before) <= m.end("n2")), None)
    if here is None or here.group("y1") or here.group("y2"):
        return None
    return int(dated[0].group("y1") if len(before) <= here.end("n1") else dated[0].group("y2"))


def find_time(text: str, sentence: tuple[int, int], clause_start: int, paragraphs: list[int],
              fig: dict[str, Any], present_year: int | None) -> dict[str, Any]:
    """`year`, `period_kind` and `date` (when stated) of a figure. Plan words count in the
    figure's own clause (培育计划, a noun, in an earlier clause makes nothing a target)."""
    w = time_words()
    before = text[sentence[0]: fig["start"]]
    clause = text[clause_start: fig["start"]]
    date = None
    year: int | None = None
    spans_years = False

    stated = _last_year(before)
    if stated:
        year, spans_years = stated
    relative = None
    for m in w.relative.finditer(before):
        relative = m
    written_after_year = relative and (not stated or relative.start() > before.rfind("年", 0, relative.start()))
    if relative and present_year is not None and written_after_year:
        year = present_year + w.relative_years[relative.group()]
    as_of = None
    for m in w.as_of.finditer(before):
        as_of = m
    if as_of:
        y, mo, d = as_of.group(1), as_of.group(2), as_of.group(3)
        date = f"{y}-{int(mo):02d}-{int(d):02d}" if mo and d else (f"{y}-{int(mo):02d}" if mo else None)
    change_year = _change_years(text[sentence[0]: sentence[1]], before)
    if change_year:
        year = change_year

    target_by = None
    for m in w.target_by.finditer(clause):
        # 到2025年 opening a clause, or after a plan word, sets a target; 增长到2022年的 does not
        if not clause[: m.start()].strip() or w.target.search(before):
            target_by = m
    if target_by:
        kind = "target"
        year = int(target_by.group(1)) if target_by.group(1) else w.plan_periods[target_by.group(2)]
    elif w.target.search(before) or w.target_in_clause.search(clause):
        kind = "target"
    elif spans_years or w.cumulative.search(before):
        kind = "cumulative"
        if spans_years:
            year = None
    elif fig["unit"] in ("%", "个百分点") or w.stock.search(text, max(clause_start, fig["start"] - 12), fig["start"]):
        kind = "stock"
    elif w.flow.search(clause):
        kind = "flow"
    else:
        kind = "stock"

    if year is None and not spans_years:
        year = _paragraph_year(text, paragraphs, fig["start"])
    if year is None:
        year = present_year
        if present_year is not None and w.retrospective.search(before) and "过去" in before:
            year = present_year - 1
    return {"year": year, "period_kind": kind, "date": date}
