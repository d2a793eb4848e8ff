"""When a figure holds: its year and period kind (stock, flow, cumulative, target).

Pure functions over the analysis text; the document's present year comes from
pipeline.normalize.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick_rs

from pipeline import lexicon
from pipeline.numbers import parse_number
from pipeline.segment import containing
from pipeline.structure import ITEM_DEPTH, NUMBERED_DEPTH, Heading

NUMBERED_DEPTHS = range(NUMBERED_DEPTH, ITEM_DEPTH)  # the sections of a report (一、 （一）)
YEARS_AGO_REACH = 8  # 十年前的 right before the figure, not a span earlier in the sentence
PLAN_YEARS = 5  # a five-year plan's base year is five years before its last

YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:[—\-–~至到]((?:19|20)\d{2})\s*年)?")
CLAUSE_OPENERS = "，,；;：:"
DATE_LINE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*(?:第|\d{1,2}\s*月)|[-/.]\d{1,2})")  # dates, issue numbers
LIST_MARKER = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*")  # 一、 (二) 3.
# used with .match(text, pos), anchored there: 2021年以来, 2021年至今, 自1978年开始“三北”工程建设以来
SINCE = re.compile(r"\s*(?:以来|来|至今|(?:起|开始)[^，,。；;]{0,15}?以来)")
# The pieces of a pattern _looser tells apart, read from left to right
PATTERN_PIECE = re.compile(
    r"(?P<lookahead>\(\?!\[(?:\\.|[^\]\\])+\]\))"  # (?![日号]), a negative look-ahead at one class
    r"|\(\?<!\[(?:\\.|[^\]\\])+\]\)"  # (?<![\d年]), a negative look-behind at one class
    r"|(?P<other>\(\?(?!:|P<)|\$|\\[bBZ])"  # any other assertion, or flags: see _looser
    r"|\\.|\[(?:\\.|[^\]\\])*\]"  # an escaped character, a character class
)


@dataclass(frozen=True)
class TimeWords:
    target_by: re.Pattern[str]
    cumulative: re.Pattern[str]
    relative: re.Pattern[str]
    relative_years: dict[str, int]
    years_ago: re.Pattern[str]
    plan_periods: dict[str, int]
    past_periods: re.Pattern[str]
    as_of: re.Pattern[str]
    last_reference_date: re.Pattern[str]  # .match(text, lo, hi): the last 截至YYYY年 in text[lo:hi]
    change: re.Pattern[str]
    comparison: re.Pattern[str]
    not_cumulative: re.Pattern[str]
    partial_year: re.Pattern[str]  # group `day`: a day or week
    full_year: re.Pattern[str]
    partial_year_marks: re.Pattern[str]  # one of these is in every partial_year match
    partial_year_looser: re.Pattern[str] | None  # see _looser
    campaign: re.Pattern[str]
    span_years: re.Pattern[str]
    campaign_end: dict[str, int]
    target_list: re.Pattern[str]
    plan_heading: re.Pattern[str]
    plan_period: re.Pattern[str]
    # the literal words find_time looks for, and the kinds of word each one is
    word_matcher: ahocorasick_rs.AhoCorasick
    word_kinds: list[frozenset[str]]


def _words(words: list[str] | dict[str, Any]) -> re.Pattern[str]:
    return re.compile(lexicon.word_pattern(words))


def _looser(pattern: str) -> re.Pattern[str] | None:
    """`pattern` with its negative look-aheads at a character class (5月(?![日号])) made
    empty groups. Those look at where a searched window ends, so a match in a window may
    be none in a longer one; the looser pattern matches wherever `pattern` matches in any
    window, and then in every longer window too. None when `pattern` has other assertions
    (one inside another could turn a dropped look-ahead against a match) or flags."""
    if any(m.group("other") for m in PATTERN_PIECE.finditer(pattern)):
        return None
    return re.compile(PATTERN_PIECE.sub(lambda m: "(?:)" if m.group("lookahead") else m.group(), pattern))


def _word_matcher(kinds: dict[str, list[str]]) -> tuple[ahocorasick_rs.AhoCorasick, list[frozenset[str]]]:
    """One automaton for the words of every kind, and the kinds of each word (a word may
    be of several)."""
    kinds_of: dict[str, set[str]] = {}
    for kind, words in kinds.items():
        for word in words:
            kinds_of.setdefault(word, set()).add(kind)
    words = sorted(kinds_of)
    return ahocorasick_rs.AhoCorasick(words), [frozenset(kinds_of[word]) for word in words]


@cache
def time_words() -> TimeWords:
    p = lexicon.load("periods")
    plans = lexicon.word_pattern(p["plan_periods"])
    word_matcher, word_kinds = _word_matcher({
        "target": p["target"], "target_in_clause": p["target_in_clause"], "target_by": [p["target_by"]],
        "cumulative": p["cumulative"], "not_cumulative": p["not_cumulative"], "stock": p["stock"],
        "flow": p["flow"], "relative": list(p["relative_years"]), "past_periods": p["past_periods"],
        "now": p["now_words"],
    })
    return TimeWords(
        target_by=re.compile(rf"{re.escape(p['target_by'])}[“\"]?(?:((?:19|20)\d{{2}})\s*年|({plans}))"),
        change=re.compile(p["change_from"]),
        comparison=re.compile(f"(?:{lexicon.word_pattern(p['comparison_markers'])})$"),
        target_list=_words(p["target_list_intro"]),
        not_cumulative=_words(p["not_cumulative"]),
        partial_year=re.compile(rf"{p['partial_year']}|(?P<day>{lexicon.word_pattern(p['partial_days'])})"),
        full_year=re.compile(rf"{YEAR.pattern}|{lexicon.word_pattern(p['full_year'])}"),
        partial_year_marks=re.compile(f"[{re.escape(p['partial_year_marks'])}]"),
        partial_year_looser=_looser(rf"{p['partial_year']}|{lexicon.word_pattern(p['partial_days'])}"),
        span_years=re.compile(p["span_years"]),
        campaign=re.compile("|".join([*(re.escape(k) for k in p["campaign_end_years"]),
                                      *(rf"{re.escape(k)}[”\"]?(?:期间|时期)" for k in p["plan_periods"])])),
        campaign_end={**p["campaign_end_years"], **p["plan_periods"]},
        plan_heading=_words(p["plan_headings"]),
        plan_period=_words(p["plan_periods"]),
        cumulative=_words(p["cumulative"]),
        relative=_words(p["relative_years"]),
        relative_years=dict(p["relative_years"]),
        years_ago=re.compile(p["years_ago"]),
        plan_periods=dict(p["plan_periods"]),
        past_periods=_words(p["past_periods"]),
        as_of=re.compile(r"(?:截至|截止|到)\s*((?:19|20)\d{2})\s*年(?:(\d{1,2})\s*月)?(?:(\d{1,2})\s*日)?"),
        last_reference_date=re.compile(rf"(?s:.*)(?:{lexicon.word_pattern(p['reference_date_words'])})\s*((?:19|20)\d{{2}})\s*年"),
        word_matcher=word_matcher,
        word_kinds=word_kinds,
    )


def _last_year(segment: str) -> tuple[int, bool] | None:
    """The last year written in a segment, and whether it opens a span (2021年以来)."""
    last = None
    for m in YEAR.finditer(segment):
        year = int(m.group(2) or m.group(1))
        last = (year, bool(SINCE.match(segment, m.end())))
    return last


@dataclass(frozen=True)
class DocumentTime:
    """What the whole document says about time, computed once per document."""
    present_year: int | None
    published_year: int | None
    paragraphs: list[int]
    sections: list[tuple[int, int | None, bool]]  # (start, year, is a plan) per year heading
    section_starts: list[int]
    # answers shared by the figures of one sentence or paragraph, filled on first use
    changes: dict[tuple[int, int], list[re.Match[str]]] = field(default_factory=dict)
    opening_years: dict[tuple[int, int], int | None] = field(default_factory=dict)
    partial_from: dict[int, int | None] = field(default_factory=dict)  # see partial_year
    sentence_words: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)  # see _time_words_before


def document_time(text: str, present_year: int | None, published_year: int | None,
                  paragraphs: list[int], heads: list[Heading]) -> DocumentTime:
    """The year and plan status each heading (pipeline.structure) gives the part below it:
    a year it names (一、2023年工作回顾, 过去一年工作回顾), a plan period (二、“十五五”时期主要
    目标任务: targets for 2030), plan words (三、2026年工作安排); what a heading leaves unsaid
    it inherits from the heading it sits under. `paragraphs`: where the text's paragraphs
    start (segment.paragraph_starts, cut once by normalize)."""
    w = time_words()
    sections: list[tuple[int, int | None, bool]] = []
    reviewed: int | None = None  # the latest year an earlier numbered section reviewed
    for h in heads:
        year, plan = _heading_time(text[h.start: h.end], present_year, w)
        if year is not None and not plan and h.depth in NUMBERED_DEPTHS:
            if reviewed is not None and present_year is not None and year > reviewed and year >= present_year:
                plan = True  # 三、2026年重点工作, after 一、2025年工作回顾: the plan for that year
            else:
                reviewed = max(year, reviewed or year)
        if h.parent >= 0:
            _, parent_year, parent_plan = sections[h.parent]
            year = parent_year if year is None else year
            plan = plan or parent_plan
        sections.append((h.start, year, plan))
    return DocumentTime(present_year=present_year, published_year=published_year or present_year,
                        paragraphs=paragraphs, sections=sections,
                        section_starts=[start for start, _, _ in sections])


def _heading_time(line: str, present_year: int | None, w: TimeWords) -> tuple[int | None, bool]:
    """(year, is a plan) that a heading states of its own."""
    line = LIST_MARKER.sub("", line.strip().lstrip("#").strip())
    plan = bool(w.plan_heading.search(line))
    if DATE_LINE.search(line):
        return None, plan  # a date or issue line dates the page, not a part
    year = _opening_year(line, present_year)
    if year is None and present_year is not None and w.past_periods.search(line):
        year = present_year - 1  # 一、过去一年工作回顾
    m = YEAR.search(line)
    if m and year is None:
        year = int(m.group(2) or m.group(1))
    period = w.plan_period.search(line) if year is None else None
    if period:
        end = w.plan_periods[period.group()]
        if plan or present_year is None or end < present_year:
            year = end  # a review of the plan period ends in its last year; its targets are for that year
    return year, plan


def _opening_year(head: str, present_year: int | None) -> int | None:
    """The year a paragraph opens with: 2022年,… / 过去一年,… / 今年以来,…"""
    head = head.lstrip()
    m = YEAR.match(head)
    if m and not SINCE.match(head, m.end()):
        return int(m.group(2) or m.group(1))
    w = time_words()
    if present_year is not None:
        if w.past_periods.match(head):
            return present_year - 1
        r = w.relative.match(head)
        if r:
            return present_year + w.relative_years[r.group()]
    return None


def _paragraph_year(text: str, when: DocumentTime, paragraph_start: int, start: int,
                    carry_reference: bool = True) -> int | None:
    """A year that opens the paragraph holds for its later sentences, and so does the
    reference date an earlier sentence of it sets (截至2018年12月31日，…党员总数为…。党的
    基层组织达…: both end-2018), unless the figure ends a change (压减至2亿吨以内: now);
    else the year of the section heading above."""
    head = (paragraph_start, min(start, paragraph_start + 12))
    if head not in when.opening_years:
        when.opening_years[head] = _opening_year(text[head[0]: head[1]], when.present_year)
    year = when.opening_years[head]
    if year is not None:
        return year
    if carry_reference:
        reference = time_words().last_reference_date.match(text, paragraph_start, start)
        if reference is not None:
            return int(reference.group(1))
    return _section(when, start)[0]


def _section(when: DocumentTime, start: int) -> tuple[int | None, bool]:
    k = containing(when.section_starts, start)
    if k < 0:
        return None, False
    _, year, plan = when.sections[k]
    return year, plan


def _in_target_list(text: str, paragraph_start: int, start: int) -> bool:
    """主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业80万人…: every item of a
    list introduced by a target phrase and a colon, up to the full stop."""
    w = time_words()
    colon = max(text.rfind("：", paragraph_start, start), text.rfind(":", paragraph_start, start))
    return (colon >= 0 and text.find("。", colon, start) < 0
            and bool(w.target_list.search(text, max(paragraph_start, colon - 12), colon)))


def _sentence_changes(text: str, sentence: tuple[int, int], when: DocumentTime) -> list[re.Match[str]]:
    """The changes (从…增长到…) written in a sentence, matched in the sentence's own text."""
    if sentence not in when.changes:
        when.changes[sentence] = list(time_words().change.finditer(text[sentence[0]: sentence[1]]))
    return when.changes[sentence]


def _change_years(changes: list[re.Match[str]], before: str) -> int | None:
    """In 从2020年的6.5万元增长到2022年的100多万元,村民人均收入从1.2万元增至2万多元
    the second change reuses the first one's years: 1.2万元 is 2020, 2万多元 2022."""
    dated = [m for m in changes if m.group("y1") and m.group("y2")]
    if not dated:
        return None
    here = next((m for m in changes if m.start("n1") <= len(before) <= m.end("n2")), None)
    if here is None or here.group("y1") or here.group("y2"):
        return None
    return int(dated[0].group("y1") if len(before) <= here.end("n1") else dated[0].group("y2"))


def _first_of_yearless_change(changes: list[re.Match[str]], offset: int) -> bool:
    """Is the figure at `offset` the first value of a change that names no years?"""
    return any(m.start("n1") <= offset < m.end("n1") and not m.group("y1") and not m.group("y2") for m in changes)


def _in_change(changes: list[re.Match[str]], offset: int) -> bool:
    """Is the figure at `offset` one end of a change (从1900亿元增长到2400亿元)? Each end is
    a value at its own time, never a sum over the span the sentence opens with."""
    return any(m.start("n1") <= offset <= m.end("n2") for m in changes)


def partial_year(text: str, when: DocumentTime, start: int, items: bool = False) -> bool:
    """Does the paragraph, up to `start`, speak of part of a year (截至5月底, 上半年), with
    no whole year named after that part (…，2019年全年…)? For `items` (a project's amount)
    a day named (今天开工) is only when it was news. Most paragraphs never speak of part of
    a year: most hold none of the characters every match holds. A match in the window up
    to `start` is also one of the looser pattern (_looser) in the whole paragraph, so none
    begins before the looser pattern's first match there, found once per paragraph."""
    w = time_words()
    paragraph = containing(when.paragraphs, start)
    p_start = when.paragraphs[paragraph]
    if p_start not in when.partial_from:
        p_end = when.paragraphs[paragraph + 1] if paragraph + 1 < len(when.paragraphs) else len(text)
        if not w.partial_year_marks.search(text, p_start, p_end):
            when.partial_from[p_start] = None
        elif w.partial_year_looser is None:
            when.partial_from[p_start] = p_start  # no looser pattern: search each window whole
        else:
            first = w.partial_year_looser.search(text, p_start, p_end)
            when.partial_from[p_start] = first.start() if first else None
    first_start = when.partial_from[p_start]
    if first_start is None:
        return False
    last = None
    for m in w.partial_year.finditer(text, first_start, start):
        if not (items and m.group("day")):
            last = m
    return last is not None and w.full_year.search(text, last.end(), start) is None


def _time_words_before(text: str, sentence: tuple[int, int], start: int,
                       when: DocumentTime) -> list[tuple[int, int, int]]:
    """The time words in text[sentence start:start] as (word, start, end), offsets from the
    sentence start, overlapping ones included: a search for a list of literal words finds
    one in a part of that text exactly when one of these lies wholly inside it. `word`
    indexes TimeWords.word_kinds. Found once per sentence, for all its figures."""
    if sentence[0] not in when.sentence_words:
        when.sentence_words[sentence[0]] = time_words().word_matcher.find_matches_as_indexes(
            text[sentence[0]: sentence[1]], overlapping=True)
    reach = start - sentence[0]
    return [hit for hit in when.sentence_words[sentence[0]] if hit[2] <= reach]


def _kinds_from(words: list[tuple[int, int, int]], offset: int) -> set[str]:
    """The kinds (stock, flow…) of the words (_time_words_before) that start at `offset` or later."""
    word_kinds = time_words().word_kinds
    kinds: set[str] = set()
    for word, start, _ in words:
        if start >= offset:
            kinds |= word_kinds[word]
    return kinds


def _says_cumulative(before: str, said: set[str]) -> bool:
    """Is a cumulative word (累计, 以来) left in `before` once the vague spans (近年来) are
    taken out? With none to take out, that is whether one was said."""
    if "not_cumulative" not in said:
        return "cumulative" in said
    w = time_words()
    return bool(w.cumulative.search(w.not_cumulative.sub("", before)))


def find_time(text: str, sentence: tuple[int, int], clause_start: int, when: DocumentTime,
              fig: dict[str, Any]) -> dict[str, Any]:
    """`year`, `period_kind` and `date` (when stated) of a figure. Plan words count in the
    figure's own clause, from `clause_start` within its sentence (培育计划, a noun, in an
    earlier clause makes nothing a target)."""
    w = time_words()
    present_year = when.present_year
    start = fig["start"]
    before = text[sentence[0]: start]
    paragraph = containing(when.paragraphs, start)
    words = _time_words_before(text, sentence, start, when)
    said = _kinds_from(words, 0)
    in_clause = _kinds_from(words, clause_start - sentence[0])
    date = None
    year: int | None = None
    spans_years = False

    stated = _last_year(before) if "年" in before else None  # every YEAR (and as_of) match has a 年
    if stated:
        year, spans_years = stated
    relative = None
    if "relative" in said:
        for m in w.relative.finditer(before):
            if not w.comparison.search(before[max(0, m.start() - 2): m.start()]):
                relative = m  # 比上年增长: a comparison base, not the figure's year
    written_after_year = relative and (not stated or relative.start() > before.rfind("年", 0, relative.start()))
    if relative and present_year is not None and written_after_year:
        year = present_year + w.relative_years[relative.group()]
    ago = w.years_ago.search(before, max(0, len(before) - YEARS_AGO_REACH))
    if ago and present_year is not None and (n := parse_number(ago.group("n"))):
        year = present_year - int(n)  # 人均GDP从十年前的4.2万元增长到…: ten years before now
    as_of = None
    if stated:  # an as_of date holds a year
        for m in w.as_of.finditer(before):
            as_of = m
    if as_of:
        y, mo, d = as_of.group(1), as_of.group(2), as_of.group(3)
        date = f"{y}-{int(mo):02d}-{int(d):02d}" if mo and d else (f"{y}-{int(mo):02d}" if mo else None)
    changes = _sentence_changes(text, sentence, when)
    change_year = _change_years(changes, before) if changes else None  # most sentences change nothing
    if change_year:
        year = change_year
    number_at = fig.get("num_start", start) - sentence[0]  # past a qualifier word (从不足千元)
    in_change = bool(changes) and _in_change(changes, number_at)

    target_by = None
    if "target_by" in said:
        for m in w.target_by.finditer(before):
            # 到2027年 opening a clause, or after a plan word, sets a target; 增长到2022年的 does not
            opening = before[: m.start()].rstrip()
            if not opening or opening[-1] in CLAUSE_OPENERS or "target" in said:
                target_by = m
    if target_by:
        kind = "target"
        year = int(target_by.group(1)) if target_by.group(1) else w.plan_periods[target_by.group(2)]
    elif ("target" in said or "target_in_clause" in in_clause
          or _in_target_list(text, when.paragraphs[paragraph], start)
          or (_section(when, start)[1] and not stated)):
        kind = "target"
        period = w.plan_period.search(before) if not stated else None
        if period and (present_year is None or w.plan_periods[period.group()] >= present_year):
            year = w.plan_periods[period.group()]  # “十五五”时期，城镇新增就业力争…: by the plan's last year
    elif not in_change and (spans_years or _says_cumulative(before, said)):
        kind = "cumulative"
        if spans_years:
            year = None
        campaign = w.campaign.search(before)
        if campaign and not stated:
            name = next(k for k in w.campaign_end if campaign.group().startswith(k))
            if present_year is None or w.campaign_end[name] < present_year:
                year = w.campaign_end[name]
    elif (fig["unit"] in lexicon.rate_units()
          or "stock" in _kinds_from(words, max(clause_start, start - 12) - sentence[0])):
        kind = "stock"
    elif "flow" in in_clause:
        kind = "flow"
    else:
        kind = "stock"

    if year is None and not spans_years:
        year = _paragraph_year(text, when, when.paragraphs[paragraph], start, carry_reference=not in_change)
    if year is None:
        year = present_year
        if present_year is not None and "past_periods" in said:
            year = present_year - 1
        elif "now" in said:
            year = when.published_year  # 目前全省党员总数…: the day it was written
    if year is not None and changes and _first_of_yearless_change(changes, number_at):
        span = w.span_years.search(before) or w.span_years.match(text, when.paragraphs[paragraph])
        if span and (n := parse_number(span.group("n") or span.group("m"))):
            year -= int(n)  # 过去五年，…由3.4万亿元增加到4.2万亿元: 3.4万亿元 is five years back
        elif (plan := w.plan_period.search(before)) and SINCE.match(before, plan.end() + 1):
            year = w.plan_periods[plan.group()] - PLAN_YEARS  # “十四五”以来，…从1900亿元增长到…: the plan's base year
        elif not change_year and not ago:
            year = None  # 人均收入从不足千元增长到17000多元: when it started is not said
    return {"year": year, "period_kind": kind, "date": date}
