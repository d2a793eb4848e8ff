"""When a figure holds: its year and period kind (stock, flow, cumulative, target).

Pure functions over the analysis text; the document's present year comes from
pipeline.engine.text, the parts a heading opens from pipeline.engine.structure.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick_rs

from pipeline.engine.numbers import parse_number
from pipeline.engine.segment import containing
from pipeline.engine.structure import ITEM_DEPTH, Heading
from pipeline.knowledge import Knowledge, derived, word_pattern
from pipeline.records import Candidate

YEARS_AGO_REACH = 8  # 十年前的 right before the figure, not a span earlier in the sentence
PLAN_YEARS = 5  # a five-year plan's base year is five years before its last
SPEAKER_CHARS = 12  # 李克强表示，: the longest clause saying who speaks before a paragraph's time
PARAGRAPH_HEAD_CHARS = 12  # a year this close to a paragraph's start opens it
CLAUSE_REACH = 20  # how far back a comparison marker is looked for in a time word's clause
FRAME_CHARS = 6  # a part of a year this close to its sentence's start is that sentence's time frame
DURATION_REACH = 4  # characters before a count of months where 连续 makes it a duration
HELD_REACH = 3  # characters before a figure where 保持 makes it a level held
TARGET_MET_REACH = 4  # 预期目标全面实现: the words between a target word and the verb saying it was met
RATE_AFTER_CHANGE_CHARS = 8  # 从…增至4.4万亿元，增长25%: a rate this close after a change is its rate
TARGET_LIST_REACH = 12  # characters before a list's colon where its target phrase stands
STOCK_WORD_REACH = 12  # a stock word (现有, 共有) this close before a figure makes it a level
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?")  # a record's published date: 2021, 2021-01-18


@dataclass(frozen=True)
class When:
    """A figure's year, period kind and reference date (when the text states one)."""
    year: int | None
    period_kind: str
    date: str | None


@dataclass(frozen=True)
class TimeWords:
    target_by: re.Pattern[str]
    cumulative: re.Pattern[str]
    relative: re.Pattern[str]
    relative_years: dict[str, int]
    anaphoric_years: frozenset[str]     # 当年: the year written before it, else the present
    years_ago: re.Pattern[str]
    now: re.Pattern[str]                # 如今, 目前: the text's present
    at_that_time: re.Pattern[str]
    historical_moment: re.Pattern[str]  # 党成立时: a moment in history named for a year
    moment_years: dict[str, int]
    plan_periods: dict[str, int]
    plan_document: re.Pattern[str]
    review_opener: re.Pattern[str]
    past_periods: re.Pattern[str]
    paragraph_opening: re.Pattern[str]  # .match(text, paragraph start): white space and a news credit (央视网消息：)
    as_of: re.Pattern[str]
    last_reference_date: re.Pattern[str]  # .match(text, lo, hi): the last 截至YYYY年 in text[lo:hi]
    reference_opening: re.Pattern[str]  # .match(head): a head opening with a reference date, 截至2025年12月底
    change: re.Pattern[str]
    comparison: re.Pattern[str]
    comparison_markers: tuple[str, ...]
    comparison_reach: int  # the longest comparison marker (高于): how far before a year one may stand
    comparison_base: re.Pattern[str]    # .search(before): a comparison with an earlier time (较“十三五”末的, 比2020年)
    not_cumulative: re.Pattern[str]
    partial_year: re.Pattern[str]  # group `day`: a day or week
    year_to_date: re.Pattern[str]       # 今年以来: part of the year when said before December
    year_so_far: re.Pattern[str]        # .fullmatch(a part of a year): one from January (1—5月), its last month
    year_so_far_ends: dict[str, int]    # 上半年: 6
    in_turn: re.Pattern[str]            # 依次: the part's sub-periods listed one by one
    full_year: re.Pattern[str]
    respective_years: re.Pattern[str]   # 2019年和2020年, before 分别
    target_after: re.Pattern[str]       # …的目标, right after a figure
    year_number: re.Pattern[str]        # 2019
    respectively: str
    whole_year: re.Pattern[str]         # 全年: the sum of the whole year
    whole_year_reported_until: int      # the last month of a year in which 全年 is still the year before
    campaign: re.Pattern[str]
    span_years: re.Pattern[str]
    coming_years: re.Pattern[str]       # 今后五年, 未来3年: the years ahead
    plan_span_opening: re.Pattern[str]  # .match: “十四五”时期，… opening a paragraph
    target_met: re.Pattern[str]         # 预期目标全面实现: the targets were met, the figures after are outcomes
    campaign_end: dict[str, int]
    target_list: re.Pattern[str]
    plan_heading: re.Pattern[str]
    plan_period: re.Pattern[str]
    # the literal words find_time looks for, and the kinds of word each one is
    word_matcher: ahocorasick_rs.AhoCorasick
    word_kinds: list[frozenset[str]]
    year: re.Pattern[str]               # a year or span of years (dates.yaml)
    date_line: re.Pattern[str]
    year_mark: str
    since: re.Pattern[str]              # .match right after a year: it opens a span (2021年以来)
    list_marker: re.Pattern[str]        # the number opening a heading (一、 (二) 3.)
    clause_openers: str                 # a target date opening a clause after one of these
    list_colons: tuple[str, ...]
    full_stop: str
    part_openers: tuple[str, ...]       # 其中: a sentence opening with one keeps the time of the one before
    heading_marks: str                  # markdown heading marks stripped off a heading
    attributive: str                    # 的: what follows it is what the words before describe
    durations: tuple[str, ...]          # before a count of months or days: a duration, no part of a year
    held_levels: tuple[str, ...]        # before a figure: a level held, not reached
    reaching: re.Pattern[str]           # in a figure's clause: the level reached (达到, 突破, 增至)
    rate_units: frozenset[str]


def _words(words: Iterable[str]) -> re.Pattern[str]:
    return re.compile(word_pattern(words))


def _word_matcher(kinds: dict[str, list[str]]) -> tuple[ahocorasick_rs.AhoCorasick, list[frozenset[str]]]:
    """One automaton for the words of every kind, and the kinds of each word (a word may
    be of several)."""
    kinds_of: dict[str, set[str]] = {}
    for kind, words in kinds.items():
        for word in words:
            kinds_of.setdefault(word, set()).add(kind)
    words = sorted(kinds_of)
    return ahocorasick_rs.AhoCorasick(words), [frozenset(kinds_of[word]) for word in words]


@derived
def time_words(k: Knowledge) -> TimeWords:
    p = k.words("periods")
    plans = word_pattern(p["plan_periods"])
    open_quote, close_quote = k.words("non_figures")["quotes"]
    word_matcher, word_kinds = _word_matcher({
        "target": p["target"], "target_in_clause": p["target_in_clause"], "target_by": [p["target_by"]],
        "cumulative": p["cumulative"], "not_cumulative": p["not_cumulative"], "stock": p["stock"],
        "flow": p["flow"], "relative": list(p["relative_years"]), "past_periods": p["past_periods"],
        "now": p["now_words"],
    })
    return TimeWords(
        target_by=re.compile(k.expand(rf"{re.escape(p['target_by'])}[{open_quote}\"]?(?:({{{{year}}}})\s*{{{{year_mark}}}}"
                                      rf"|({plans}))")),
        change=re.compile(k.expand(p["change_from"])),
        respective_years=re.compile(k.expand(p["respective_years"])),
        target_after=re.compile(p["target_after"]),
        year_number=re.compile(k.expand("{{year}}")),
        respectively=k.words("subjects")["respectively"],
        comparison=re.compile(f"(?:{word_pattern(p['comparison_markers'])})$"),
        comparison_markers=tuple(p["comparison_markers"]),
        comparison_reach=max(map(len, p["comparison_markers"])),
        comparison_base=re.compile(k.expand(
            rf"(?:{word_pattern(p['comparison_markers'])})[{open_quote}\"]?(?:(?P<year>{{{{year}}}})\s*{{{{year_mark}}}}"
            rf"|(?P<plan>{plans})[{close_quote}\"]?(?:{word_pattern(p['plan_end_words'])}))")),
        target_list=_words(p["target_list_intro"]),
        not_cumulative=_words(p["not_cumulative"]),
        partial_year=re.compile(rf"{k.expand(p['partial_year'])}|(?P<day>{word_pattern(p['partial_days'])})"
                                rf"(?!{word_pattern(p['partial_day_not_before'])})"),
        full_year=re.compile(rf"{k.dates.year_or_span.pattern}|{word_pattern(p['full_year'])}"),
        year_to_date=re.compile(p["year_to_date"]),
        year_so_far=re.compile(k.expand(p["year_to_date_months"])),
        year_so_far_ends=dict(p["year_to_date_ends"]),
        in_turn=_words(p["parts_in_turn"]),
        # (去年全年, 2023年全年 name their year themselves)
        whole_year=re.compile(rf"(?<!{re.escape(k.dates.year_mark)})(?:{word_pattern(p['full_year'])})"),
        whole_year_reported_until=p["whole_year_reported_until_month"],
        span_years=re.compile(k.expand(p["span_years"])),
        coming_years=re.compile(k.expand(p["coming_years"])),
        target_met=re.compile(rf"(?:{word_pattern(p['target'])})"
                              rf"[^{re.escape(p['clause_openers'] + p['full_stop'])}]{{0,{TARGET_MET_REACH}}}?"
                              rf"(?:{word_pattern(p['target_met'])})"),
        plan_span_opening=re.compile(rf"[{open_quote}\"]?(?P<plan>{plans})[{close_quote}\"]?(?:{word_pattern(p['plan_span_words'])})"),
        campaign=re.compile("|".join([*(re.escape(k) for k in p["campaign_end_years"]),
                                      *(rf"{re.escape(k)}[{close_quote}\"]?(?:{word_pattern(p['plan_span_words'])})"
                                        for k in p["plan_periods"])])),
        campaign_end={**p["campaign_end_years"], **p["plan_periods"]},
        plan_heading=_words(p["plan_headings"]),
        plan_period=_words(p["plan_periods"]),
        cumulative=_words(p["cumulative"]),
        relative=_words(p["relative_years"]),
        relative_years=dict(p["relative_years"]),
        anaphoric_years=frozenset(p["anaphoric_years"]),
        years_ago=re.compile(k.expand(p["years_ago"])),
        now=_words(p["now_words"]),
        at_that_time=_words(p["at_that_time"]),
        historical_moment=_words(p["historical_moments"]),
        moment_years=dict(p["historical_moments"]),
        plan_periods=dict(p["plan_periods"]),
        plan_document=_words(p["plan_documents"]),
        review_opener=_words([*p["past_periods"], *p["review_openers"]]),
        past_periods=_words(p["past_periods"]),
        paragraph_opening=re.compile(rf"\s*(?:{k.words('header')['paragraph_credit']})?\s*"),
        as_of=k.dates.as_of,
        last_reference_date=re.compile(k.expand(rf"(?s:.*)(?:{word_pattern(p['reference_date_words'])})"
                                                rf"\s*({{{{year}}}})\s*{{{{year_mark}}}}")),
        reference_opening=re.compile(k.expand(rf"(?:{word_pattern(p['reference_date_words'])})"
                                              rf"\s*({{{{year}}}})\s*{{{{year_mark}}}}")),
        word_matcher=word_matcher,
        word_kinds=word_kinds,
        year=k.dates.year_or_span,
        date_line=k.dates.date_line,
        year_mark=k.dates.year_mark,
        since=re.compile(k.expand(p["since"])),
        list_marker=re.compile(k.expand(k.words("structure")["list_marker"])),
        clause_openers=p["clause_openers"],
        list_colons=tuple(p["list_colons"]),
        full_stop=p["full_stop"],
        part_openers=tuple(k.words("subjects")["part_of_previous"]),
        heading_marks=k.words("structure")["markdown_mark"],
        attributive=k.words("subjects")["attributive_marker"],
        durations=tuple(p["duration_markers"]),
        held_levels=tuple(p["held_level_words"]),
        reaching=re.compile(word_pattern(p["reaching_words"])),
        rate_units=k.rate_units,
    )


def _last_year(w: TimeWords, segment: str) -> tuple[int, bool] | None:
    """The last year written in a segment, and whether it opens a span (2021年以来); a year
    compared with (比2021年增长7.7%, 与2020年相比) is no year of the figure's own."""
    last = None
    for m in w.year.finditer(segment):
        if w.comparison.search(segment, max(0, m.start() - w.comparison_reach), m.start()):
            continue
        year = int(m.group(2) or m.group(1))
        last = (year, bool(w.since.match(segment, m.end())))
    return last


def _respective_year(w: TimeWords, before: str) -> int | None:
    """2019年和2020年的固定资产投资分别为56.08万亿元和51.89万亿元: the year a figure after 分别
    takes, the n-th of the years listed before it for the n-th number."""
    at = before.rfind(w.respectively)
    if at < 0:
        return None
    listed = next(reversed(list(w.respective_years.finditer(before, 0, at))), None)
    if listed is None:
        return None
    years = [int(y) for y in w.year_number.findall(listed.group())]
    nth = len(NUMBER.findall(before, at))
    return years[nth] if nth < len(years) else None


@dataclass(frozen=True)
class Section:
    """What a heading says of the part below it (inherited where it says nothing itself)."""
    start: int
    year: int | None            # the year its figures are of
    plan: bool                  # a plan: its figures are targets
    span_base: int | None       # a review of a span of years (“十四五”时期, 过去五年): the year before it
    heading_end: int = 0        # where its heading's text ends (一季度国民经济开局良好: a part of a year)


@dataclass
class DocumentTime:
    """What the whole document says about time, computed once per document, and the
    answers shared by the figures of one sentence or paragraph, filled on first use (a
    plain mutable object, made afresh for each document by document_time)."""
    present_year: int | None
    published_year: int | None
    published_month: int | None
    paragraphs: list[int]
    sentence_starts: list[int]
    sections: list[Section]                        # one per heading
    section_starts: list[int]
    span_frames: list[tuple[int, int, int]]       # (start, end, base year) of each span a review opens
    changes: dict[tuple[int, int], list[re.Match[str]]] = field(default_factory=dict)
    opening_years: dict[tuple[int, int], int | None] = field(default_factory=dict)
    sentence_words: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)  # see _time_words_before
    part_frames: dict[tuple[int, bool], re.Match[str] | None] = field(default_factory=dict)  # _carried_part_of_year
    part_frame_lists: dict[tuple[int, bool], list[re.Match[str]]] = field(default_factory=dict)  # _framing_parts


def document_time(k: Knowledge, text: str, present_year: int | None, published: str | None,
                  paragraphs: list[int], sentences: list[tuple[int, int]], heads: list[Heading]) -> DocumentTime:
    """The year and plan status each heading (pipeline.engine.structure) gives the part below
    it: a year it names (一、2023年工作回顾, 过去一年工作回顾), a plan period (二、“十五五”时期主要
    目标任务: targets for 2030), plan words (三、2026年工作安排); what a heading leaves unsaid
    it inherits from the heading it sits under. `paragraphs`: where the text's paragraphs
    start (segment.paragraph_starts)."""
    w = time_words(k)
    sections: list[Section] = []
    reviewed: int | None = None  # the latest year an earlier numbered section reviewed
    heading_starts = [h.start for h in heads]
    published_date = ISO_DATE.match(published or "")
    published_year = int(published_date.group(1)) if published_date else None
    published_month = int(published_date.group(2)) if published_date and published_date.group(2) else None
    just_ended = _year_just_ended(w, published_year, published_month)
    for i, h in enumerate(heads):
        year, plan, span_base = _heading_time(k, w, text[h.start: h.end], present_year)
        if year is None:
            # 一、一年接着一年干… / 2025年是“十四五”收官之年。…: the year its part opens with
            year = _part_opening_year(w, text, paragraphs, h, heading_starts[i + 1: i + 2], present_year,
                                      just_ended)
        if year is not None and not plan and (h.numbered or h.depth == ITEM_DEPTH) and h.parent < 0:
            if reviewed is not None and present_year is not None and year > reviewed and year >= present_year:
                plan = True  # 三、2026年重点工作, after 一、2025年工作回顾: the plan for that year
            elif present_year is None or year < present_year:
                reviewed = max(year, reviewed or year)  # a part on a past year (a report's title is none)
        if h.parent >= 0:
            parent = sections[h.parent]
            year = parent.year if year is None else year
            plan = plan or parent.plan
            span_base = parent.span_base if span_base is None else span_base
        sections.append(Section(h.start, year, plan, span_base, h.end))
    when = DocumentTime(present_year=present_year, published_year=published_year or present_year,
                        published_month=published_month,
                        paragraphs=paragraphs, sentence_starts=[s for s, _ in sentences], sections=sections,
                        section_starts=[s.start for s in sections], span_frames=[])
    when.span_frames.extend(_span_frames(k, w, text, when, sentences))
    return when


def _part_opening_year(w: TimeWords, text: str, paragraphs: list[int], h: Heading, next_heading: list[int],
                       present_year: int | None, just_ended: int | None) -> int | None:
    """The year the first paragraph of a heading's part opens with, if that paragraph comes
    before the next heading; else `just_ended` (the year before publication, in the months its
    sums come out) when the lead's first sentence opens a clause with it after saying who
    speaks (…负责人介绍说，2023年我国粮食产量…: the item reports that year)."""
    first = bisect.bisect_right(paragraphs, h.start)
    for p in paragraphs[first:]:
        if next_heading and p >= next_heading[0]:
            return None
        head = _paragraph_head(w, text, p, len(text))
        if head.strip():
            year = _opening_year(w, head, present_year)
            if year is None and just_ended is not None and _lead_opens_clause_with(w, text, p, just_ended):
                return just_ended
            return year
    return None


def _lead_opens_clause_with(w: TimeWords, text: str, paragraph_start: int, year: int) -> bool:
    """Is the first year of a paragraph's first sentence `year`, opening a clause (not 2023年以来)?"""
    stops = [i for i in (text.find(mark, paragraph_start) for mark in w.full_stop) if i >= 0]
    m = w.year.search(text, paragraph_start, min(stops, default=len(text)))
    return (m is not None and int(m.group(2) or m.group(1)) == year and not w.since.match(text, m.end())
            and text[paragraph_start: m.start()].rstrip()[-1:] in w.clause_openers)


def _paragraph_head(w: TimeWords, text: str, paragraph_start: int, stop: int) -> str:
    """The first PARAGRAPH_HEAD_CHARS of a paragraph's words, never past `stop`: after its
    white space (markup reads as white space) and a news credit it opens with."""
    opening = w.paragraph_opening.match(text, paragraph_start, max(paragraph_start, stop))
    o = opening.end() if opening else paragraph_start  # (the pattern matches always: all of it is optional)
    return text[o: min(stop, o + PARAGRAPH_HEAD_CHARS)]


def _span_frames(k: Knowledge, w: TimeWords, text: str, when: DocumentTime,
                 sentences: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The reviews of a span of years a sentence opens (五年来，…; 过去五年，…): the span holds
    for the rest of the report's part, past the paragraph (这是经济实力持续提升的五年。地区
    生产总值从11.37万亿元提高到14.58万亿元), until the next heading or a paragraph that opens
    with a year of its own (2025年，…; 过去一年，…). Its base year, the year before the span,
    is when a change in it that names no year starts: n years before the year of the part it
    is said in (the section's, else the document's present)."""
    present_year, paragraphs, heading_starts = when.present_year, when.paragraphs, when.section_starts
    if present_year is None:
        return []
    frames = []
    for start, _ in sentences:
        head = text[start: start + PARAGRAPH_HEAD_CHARS].lstrip()
        span = w.span_years.match(head)
        n = parse_number(k, span.group("n") or span.group("m")) if span else None
        plan_end = _past_plan_opening(w, head, present_year) if not span else None
        if (not n or n < 2) and plan_end is None:  # 过去一年: the year before, no span
            continue
        end = len(text)
        later_heading = bisect.bisect_right(heading_starts, start)
        if later_heading < len(heading_starts):
            end = heading_starts[later_heading]
        for p in paragraphs[bisect.bisect_right(paragraphs, start):]:
            if p >= end:
                break
            if _opening_year(w, _paragraph_head(w, text, p, len(text)), present_year) is not None:
                end = p
                break
        if plan_end is not None:
            frames.append((start, end, plan_end - PLAN_YEARS))  # “十四五”时期，…从4.16万亿元增加到…: from 2020
            continue
        open_span = next((base for frame_start, frame_end, base in frames if frame_start <= start < frame_end), None)
        if open_span is not None:
            frames.append((start, end, open_span))  # “十四五”时期，…这五年，…: the span already open, said again
            continue
        last_year = _section(when, start)[0] or present_year
        frames.append((start, end, last_year - int(n or 0)))
    return frames


def _opens_review(w: TimeWords, text: str, paragraph_start: int) -> bool:
    """Does the paragraph open a review of past years (这五年，我们…; 过去一年，…)? In a part
    headed by both the plan ended and the plan ahead, its figures are no targets."""
    return w.review_opener.match(text[paragraph_start: paragraph_start + PARAGRAPH_HEAD_CHARS].lstrip()) is not None


def _span_frame_base(when: DocumentTime, start: int) -> int | None:
    """The base year of the span a review opened before `start`, if one holds there."""
    for frame_start, frame_end, base in reversed(when.span_frames):
        if frame_start <= start < frame_end:
            return base
    return None


def in_review_of_years(k: Knowledge, text: str, when: DocumentTime, sentence: tuple[int, int], start: int,
                       end: int) -> bool:
    """Is the figure text[start:end] said in a paragraph that opens a review of several years
    (五年来，…; 过去五年，…) with no year, change or reaching verb of its own (城镇新增就业
    265.15万人: the span's sum; but 地区生产总值达到13697.5亿元, 社会消费品零售总额突破1.1万亿元:
    the last year's level)?"""
    w = time_words(k)
    paragraph = containing(when.paragraphs, start)
    if not any(frame_start <= start and containing(when.paragraphs, frame_start) == paragraph
               for frame_start, _, _ in when.span_frames):
        return False
    before = text[sentence[0]: start]
    if w.year_mark in before and _last_year(w, before):
        return False
    if any(m.start("n1") + sentence[0] <= start <= m.end("n2") + sentence[0]
           for m in _sentence_changes(w, text, sentence, when)):
        return False
    clause = text[sentence[0] + max(before.rfind(c) for c in w.clause_openers) + 1: end]
    return w.reaching.search(clause) is None


def _heading_time(k: Knowledge, w: TimeWords, line: str,
                  present_year: int | None) -> tuple[int | None, bool, int | None]:
    """(year, is a plan, base year of a reviewed span) that a heading states of its own."""
    line = w.list_marker.sub("", line.strip().lstrip(w.heading_marks).strip())
    plan = bool(w.plan_heading.search(line))
    if w.date_line.search(line):
        return None, plan, None  # a date or issue line dates the page, not a part
    span_base = None
    year = _opening_year(w, line, present_year)
    if year is None and present_year is not None and w.past_periods.search(line):
        year = present_year - 1  # 一、过去一年工作回顾
        span = w.span_years.search(line)
        if span and (n := parse_number(k, span.group("n") or span.group("m"))):
            span_base = year - int(n)  # 一、过去五年工作回顾: the five years after the base year
    m = w.year.search(line)
    if m and year is None:
        year = int(m.group(2) or m.group(1))
    period = w.plan_period.search(line) if year is None else None
    if period:
        end = w.plan_periods[period.group()]
        if plan or present_year is None or end < present_year:
            year = end  # a review of the plan period ends in its last year; its targets are for that year
        if not plan and (present_year is None or end < present_year):
            span_base = end - PLAN_YEARS  # “十四五”时期工作回顾: from the year before the plan
    return year, plan, span_base


def _past_plan_opening(w: TimeWords, head: str, present_year: int) -> int | None:
    """The last year of a plan period ended before the present that `head` opens with
    (“十四五”时期，…; 十四五期间，…)."""
    m = w.plan_span_opening.match(head)
    end = w.plan_periods[m.group("plan")] if m else None
    return end if end is not None and end < present_year else None


def _opening_year(w: TimeWords, head: str, present_year: int | None) -> int | None:
    """The year a paragraph's head (_paragraph_head) opens with: 2022年,… / 截至2022年底,… / 过去一年,…;
    a past period may open the clause after who speaks (李克强表示，过去一年，…)."""
    head = head.lstrip()
    m = w.year.match(head)
    if m and not w.since.match(head, m.end()):
        return int(m.group(2) or m.group(1))
    reference = w.reference_opening.match(head)
    if reference:
        return int(reference.group(1))  # 截至2025年12月底，…: the date the paragraph's figures are as of
    if present_year is not None:
        said_by = next((i + 1 for i, ch in enumerate(head[:SPEAKER_CHARS]) if ch in w.clause_openers), 0)
        if w.past_periods.match(head) or (said_by and w.past_periods.match(head, said_by)):
            return present_year - 1  # 过去一年，… / 李克强表示，过去一年，…
        if (plan := _past_plan_opening(w, head, present_year)) is not None:
            return plan  # “十四五”时期，…这五年，全市生产总值…: the plan ended, its last year
        r = w.relative.match(head)
        if r:
            return present_year + w.relative_years[r.group()]
    return None


def _paragraph_year(w: TimeWords, text: str, when: DocumentTime, paragraph_start: int, start: int,
                    carry_reference: bool = True) -> int | None:
    """A year that opens the paragraph holds for its later sentences, and so does the
    reference date an earlier sentence sets (截至2018年12月31日，…党员总数为…。党的
    基层组织达…: both end-2018), unless the figure ends a change (压减至2亿吨以内: now): in
    its paragraph, or in an earlier paragraph of its part (a statistics item runs over
    several paragraphs) when no paragraph since opened with a year of its own; else the
    year of the section heading above."""
    year = _opening_year_of(w, text, when, paragraph_start, start)
    if year is not None:
        return year
    if carry_reference:
        reference = w.last_reference_date.match(text, paragraph_start, start)
        if reference is not None:
            return int(reference.group(1))
        carried = _part_reference_year(w, text, when, paragraph_start)
        if carried is not None:
            return carried
    return _section(when, start)[0]


def _opening_year_of(w: TimeWords, text: str, when: DocumentTime, paragraph_start: int, start: int) -> int | None:
    head = (paragraph_start, start)
    if head not in when.opening_years:
        when.opening_years[head] = _opening_year(w, _paragraph_head(w, text, paragraph_start, start), when.present_year)
    return when.opening_years[head]


def _part_reference_year(w: TimeWords, text: str, when: DocumentTime, paragraph_start: int) -> int | None:
    """The year of the last reference date (截至…) set before this paragraph in its part,
    if no paragraph since opened with a year of its own."""
    k = containing(when.section_starts, paragraph_start)
    part_start = when.section_starts[k] if k >= 0 else 0
    reference = w.last_reference_date.match(text, part_start, paragraph_start)
    if reference is None:
        return None
    first = bisect.bisect_right(when.paragraphs, reference.start())
    for p in when.paragraphs[first: bisect.bisect_left(when.paragraphs, paragraph_start)]:
        if _opening_year_of(w, text, when, p, paragraph_start) is not None:
            return None
    return int(reference.group(1))


def _section_span_base(when: DocumentTime, start: int) -> int | None:
    k = containing(when.section_starts, start)
    return when.sections[k].span_base if k >= 0 else None


def _section(when: DocumentTime, start: int) -> tuple[int | None, bool]:
    k = containing(when.section_starts, start)
    if k < 0:
        return None, False
    return when.sections[k].year, when.sections[k].plan


def _in_target_list(w: TimeWords, text: str, paragraph_start: int, start: int, states_year: bool) -> bool:
    """主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业80万人…: every item of a
    list introduced by a target phrase and a colon, to its paragraph's end; past the list's
    first full stop (…增长5%左右，力争取得更好结果。规模以上工业增加值增长6%左右…) only in
    sentences that state no year of their own."""
    colon = max(text.rfind(mark, paragraph_start, start) for mark in w.list_colons)
    return (colon >= 0
            and bool(w.target_list.search(text, max(paragraph_start, colon - TARGET_LIST_REACH), colon))
            and (not states_year or text.find(w.full_stop, colon, start) < 0))


def _compared_at(w: TimeWords, before: str) -> int | None:
    """The year of the last earlier time a comparison in `before` names (较“十三五”末, 比2020年)."""
    last = None
    for m in w.comparison_base.finditer(before):
        last = m
    if last is None:
        return None
    return int(last.group("year")) if last.group("year") else w.plan_periods[last.group("plan")]


def held_each_year(k: Knowledge, text: str, start: int) -> bool:
    """Is the figure at `start` a level held (保持1万亿元以上, 稳定在700亿斤以上)?"""
    return text.endswith(time_words(k).held_levels, max(0, start - HELD_REACH), start)


def in_plan_span(k: Knowledge, text: str, sentence: tuple[int, int], start: int) -> bool:
    """Does the sentence speak of a plan's span before the figure at `start` (“十四五”期间，…)?"""
    return time_words(k).plan_span_opening.search(text, sentence[0], start) is not None


def in_reviewed_span(when: DocumentTime, start: int) -> bool:
    """Is the figure at `start` said in a review of several years (a section on the plan period
    ended, or after 五年来，… opening a sentence)?"""
    return _section_span_base(when, start) is not None or _span_frame_base(when, start) is not None


def compares_with_earlier_years(k: Knowledge, text: str, sentence: tuple[int, int], start: int,
                                year: int | None) -> bool:
    """Is a rate at `start` a change since a time more than a year before its own (…，较
    “十三五”末的9323.1亿元增加4374.4亿元，增长33.6%: growth over five years, no year's), over a
    plan's span the sentence speaks of, or over the span of a change written right before it?"""
    if year is None:
        return False
    w = time_words(k)
    before = text[sentence[0]: start]
    base = _compared_at(w, before)
    if (base is not None and base < year - 1) or in_plan_span(k, text, sentence, start):
        return True  # (“十四五”期间…外贸规模增长16.1%: over the plan's five years)
    # 外贸规模从3.51万亿元增至4.4万亿元，增长25%: the rate of the change written right before it,
    # over its span, unless that change starts in the year before the rate's
    changes = list(w.change.finditer(before))
    change = changes[-1] if changes else None
    return (change is not None and len(before) - change.end() <= RATE_AFTER_CHANGE_CHARS
            and not NUMBER.search(before, change.end())
            and not (change.group("y1") and int(change.group("y1")) >= year - 1))


def _sentence_changes(w: TimeWords, text: str, sentence: tuple[int, int], when: DocumentTime) -> list[re.Match[str]]:
    """The changes (从…增长到…) written in a sentence, matched in the sentence's own text."""
    if sentence not in when.changes:
        when.changes[sentence] = list(w.change.finditer(text[sentence[0]: sentence[1]]))
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


def _names_own_year(w: TimeWords, text: str, clause_start: int, start: int) -> bool:
    """Does the figure's clause name its year in words (全年, 今年, 明年)?"""
    return bool(w.whole_year.search(text, clause_start, start) or w.relative.search(text, clause_start, start))


def _second_after_dated_first(changes: list[re.Match[str]], offset: int, year: int) -> bool:
    """Is the figure at `offset` the second value of a change that dates only its first
    (由2013年的2330元增长到8629元), and `year` that first one's?"""
    return any(m.start("n2") <= offset < m.end("n2") and m.group("y1") and not m.group("y2")
               and int(m.group("y1")) == year for m in changes)


def _second_said_now(changes: list[re.Match[str]], offset: int) -> bool:
    """Is the figure at `offset` the second value of a change that says it is now's (提高到如今的近3万元)?"""
    return any(m.start("n2") <= offset < m.end("n2") and m.group("now2") for m in changes)


def _in_change(changes: list[re.Match[str]], offset: int) -> bool:
    """Is the figure at `offset` one end of a change (从1900亿元增长到2400亿元)? Each end is
    a value at its own time, never a sum over the span the sentence opens with."""
    return any(m.start("n1") <= offset <= m.end("n2") for m in changes)


@dataclass(frozen=True)
class PartOfYear:
    """The part of a year a figure speaks of (see partial_year)."""
    from_january: bool        # 1—5月, 上半年, 今年以来: the year so far, not one quarter, month or day
    last_month: int | None    # the month it ends in, where written (1—5月: 5)


def partial_year(k: Knowledge, text: str, when: DocumentTime, sentence: tuple[int, int], start: int,
                 items: bool = False) -> PartOfYear | None:
    """The part of a year (截至5月底, 上半年, 前两个月) the figure at `start` speaks of, None for a
    whole year or when a whole year is named after that part (…，2019年全年…). A part named
    earlier in the figure's sentence holds for it; one named in an earlier sentence of its
    paragraph only when it opens that sentence as its time frame (截至5月底，…。…已发展党员186名),
    not when it is said in passing (…连续30个月居全国前10位。一般公共预算收入…); one opening a
    clause before a semicolon holds past it, up to the full stop. A duration (连续30个月) is no
    part of a year. For `items` (a project's amount) a day named (今天开工) is only when it was
    news. The year so far (今年以来) is part of it in a text published before December. A sentence
    opening with 其中 counts a part of the sentence before it and keeps its time (1—5月…733.1亿件…。
    其中，快递业务量…655.9亿件)."""
    w = time_words(k)
    p_start = when.paragraphs[containing(when.paragraphs, start)]
    if text.startswith(w.part_openers, sentence[0]) and sentence[0] > p_start:
        sentence = (text.rfind(w.full_stop, p_start, sentence[0] - 1) + 1 or p_start, sentence[1])
    last = None
    for m in w.partial_year.finditer(text, p_start, start):
        if not _names_a_part(w, text, m, items):
            continue
        # (…，今年春节假期，全国国内旅游出游3.08亿人次…；实现国内旅游收入…: a time opening its clause
        # frames the sentence past a semicolon, up to the full stop)
        if (m.start() >= sentence[0] or _frames_its_sentence(text, when, m.start())
                or (text.find(w.full_stop, m.end(), start) < 0 and _opens_a_clause(w, text, m.start()))):
            last = m
    if last is None:
        # 今年以来 in the figure's sentence, in a text published before December: the year so far
        said = w.year_to_date.search(text, sentence[0], start)
        if (said and when.published_month is not None and when.published_month < 12
                and when.published_year == when.present_year):
            return PartOfYear(from_january=True, last_month=None)
    if last is None and not _names_a_time(w, text, p_start, start):
        last = _carried_part_of_year(w, text, when, p_start, items) or _heading_part_of_year(w, text, when, start)
    if last is None:
        return None
    # (…，2019年全年…: a whole year named after the part; not 比去年同期和全年都提升…, a base compared with)
    if any(not _compared(w, text, m.start()) for m in w.full_year.finditer(text, last.end(), start)):
        return None
    if w.in_turn.search(text, last.end(), start):
        return PartOfYear(from_january=False, last_month=None)  # 首三季依次为18.9%、7.9%和4.9%: each quarter's
    part = last.group()
    if part in w.year_so_far_ends:
        return PartOfYear(from_january=True, last_month=w.year_so_far_ends[part])
    so_far = w.year_so_far.fullmatch(part)
    if so_far is None:
        return PartOfYear(from_january=False, last_month=None)
    months = parse_number(k, so_far.group("months")) if so_far.group("months") else None
    month = int(months) if months else int(so_far.group("month"))
    return PartOfYear(from_january=True, last_month=month if 1 <= month <= 12 else None)


def span_end(k: Knowledge, text: str, sentence: tuple[int, int], start: int, year: int | None) -> int | None:
    """The last year of the span an average over years covers (2021年莆田地区生产总值…是2012年
    的2倍多，年均增长8.5%: 2012—2021, so 2021): the latest year the sentence names before the
    figure, base years compared with included, or the figure's own year when later."""
    w = time_words(k)
    named = [int(m.group(2) or m.group(1)) for m in w.year.finditer(text, sentence[0], start)]
    return max([*named, *([year] if year is not None else [])], default=None)


def _names_a_time(w: TimeWords, text: str, lo: int, hi: int) -> bool:
    """Does text[lo:hi] name a time of its own: a year, 全年, 去年, a span (五年来, 累计), now
    (如今, 目前), years back (十年前)? The year so far (今年以来) and a time compared with are
    none: they leave the part of the year to the heading or the item's lead."""
    so_far = [m.span() for m in w.year_to_date.finditer(text, lo, hi)]

    def own_time(m: re.Match[str]) -> bool:
        # (nor is a time compared with: 比去年四季度加快3.1个百分点)
        compared = w.comparison.search(text[max(lo, m.start() - w.comparison_reach): m.start()])
        return not compared and not any(a <= m.start() < b for a, b in so_far)
    return any(own_time(m) for pattern in (w.full_year, w.relative, w.cumulative, w.now, w.years_ago)
               for m in pattern.finditer(text, lo, hi))


def _heading_part_of_year(w: TimeWords, text: str, when: DocumentTime, start: int) -> re.Match[str] | None:
    """The part of a year the heading of the figure's part names (### 一季度中国经济稳健前行实现良好开局:
    its figures that name no time are the first quarter's), unless it names a year too."""
    k_part = containing(when.section_starts, start)
    if k_part < 0:
        return None
    section = when.sections[k_part]
    if start < section.heading_end or w.full_year.search(text, section.start, section.heading_end):
        return None
    return w.partial_year.search(text, section.start, section.heading_end)


def _names_a_part(w: TimeWords, text: str, m: re.Match[str], items: bool) -> bool:
    """Is a match of the part-of-year pattern a part of a year here? A duration (连续30个月) is
    none; for `items` (a project's amount) a day named (今天开工) is only when it was news."""
    return not (items and m.group("day")) and not text.endswith(w.durations, max(0, m.start() - DURATION_REACH),
                                                                   m.start())


def _carried_part_of_year(w: TimeWords, text: str, when: DocumentTime, paragraph_start: int,
                          items: bool) -> re.Match[str] | None:
    """A statistics item runs over several paragraphs: the part of a year that frames a sentence
    of an earlier paragraph of its part (初步核算，一季度国内生产总值…。) or is named in the first
    sentence of one, the item's lead (文化和旅游部今天发布，今年一季度，我国国内出游人次…), when no
    paragraph since opened with a year of its own, holds for a paragraph that names no time (分产业
    看，第一产业增加值11713亿元…; 国内游客出游总花费1.52万亿元…). Found once per paragraph, from the
    framing parts of its part, found once per part."""
    key = (paragraph_start, items)
    if key in when.part_frames:
        return when.part_frames[key]
    k_part = containing(when.section_starts, paragraph_start)
    part_start = when.section_starts[k_part] if k_part >= 0 else 0
    frames = _framing_parts(w, text, when, part_start, items)
    i = bisect.bisect_left([m.start() for m in frames], paragraph_start) - 1
    framing = frames[i] if i >= 0 else None
    if framing is not None:
        first = bisect.bisect_right(when.paragraphs, framing.start())
        if any(_opening_year_of(w, text, when, p, paragraph_start) is not None
               for p in when.paragraphs[first: bisect.bisect_left(when.paragraphs, paragraph_start)]):
            framing = None
    when.part_frames[key] = framing
    return framing


def _framing_parts(w: TimeWords, text: str, when: DocumentTime, part_start: int,
                   items: bool) -> list[re.Match[str]]:
    """The parts of a year in the part starting at `part_start` that frame their sentence or
    stand in the first sentence of their paragraph, in order. A day (国家统计局今天发布…, 今天的
    甘肃…) is when a text speaks, no period it sets for the paragraphs after it."""
    key = (part_start, items)
    if key not in when.part_frame_lists:
        k_part = containing(when.section_starts, part_start)
        part_end = when.section_starts[k_part + 1] if 0 <= k_part < len(when.section_starts) - 1 else len(text)
        frames = []
        for m in w.partial_year.finditer(text, part_start, part_end):
            sentence_start = _sentence_start(when, m.start())
            lead = sentence_start <= when.paragraphs[containing(when.paragraphs, m.start())]
            if (not m.group("day") and _names_a_part(w, text, m, items)
                    and (_frames_its_sentence(text, when, m.start()) or lead)):
                frames.append(m)
        when.part_frame_lists[key] = frames
    return when.part_frame_lists[key]


def _sentence_start(when: DocumentTime, offset: int) -> int:
    return when.sentence_starts[containing(when.sentence_starts, offset)]


def _clause_before(w: TimeWords, text: str, offset: int) -> str | None:
    """The words of their clause before `offset`, from the last clause break or full stop
    within CLAUSE_REACH; None when none stands that close."""
    before = text[max(0, offset - CLAUSE_REACH): offset]
    opening = max(before.rfind(ch) for ch in w.clause_openers + w.full_stop)
    return before[opening + 1:] if opening >= 0 else None


def _compared(w: TimeWords, text: str, offset: int) -> bool:
    """Do the words at `offset` follow a comparison marker in their clause (比去年同期和全年)?"""
    clause = _clause_before(w, text, offset)
    words = text[max(0, offset - CLAUSE_REACH): offset] if clause is None else clause
    return any(marker in words for marker in w.comparison_markers)


def _opens_a_clause(w: TimeWords, text: str, offset: int) -> bool:
    """Do words at `offset` open their clause (…测算，今年春节假期，…), not stand inside one
    (（2）公安部8项交管改革新措施今天实施)?"""
    clause = _clause_before(w, text, offset)
    return clause is not None and len(clause.lstrip()) <= FRAME_CHARS


def _frames_its_sentence(text: str, when: DocumentTime, offset: int) -> bool:
    """Do words at `offset` open their sentence (初步核算，上半年…), white space before them (a
    <p> tag read as a line break and spaces) not counted?"""
    return len(text[_sentence_start(when, offset): offset].lstrip()) <= FRAME_CHARS


def _time_words_before(w: TimeWords, text: str, sentence: tuple[int, int], start: int,
                       when: DocumentTime) -> list[tuple[int, int, int]]:
    """The time words in text[sentence start:start] as (word, start, end), offsets from the
    sentence start, overlapping ones included: a search for a list of literal words finds
    one in a part of that text exactly when one of these lies wholly inside it. `word`
    indexes TimeWords.word_kinds. Found once per sentence, for all its figures."""
    if sentence[0] not in when.sentence_words:
        when.sentence_words[sentence[0]] = w.word_matcher.find_matches_as_indexes(
            text[sentence[0]: sentence[1]], overlapping=True)
    reach = start - sentence[0]
    return [hit for hit in when.sentence_words[sentence[0]] if hit[2] <= reach]


def _kinds_from(w: TimeWords, words: list[tuple[int, int, int]], offset: int) -> set[str]:
    """The kinds (stock, flow…) of the words (_time_words_before) that start at `offset` or later."""
    kinds: set[str] = set()
    for word, start, _ in words:
        if start >= offset:
            kinds |= w.word_kinds[word]
    return kinds


def _own_year_after_span(w: TimeWords, text: str, clause_start: int, start: int) -> bool:
    """先后出台160多个政策措施，…，全年规上工业增加值增长4.7%: does the figure's clause name its own
    year (全年, 今年; not a base compared with, 比去年同期) where the words of a span stand only in the
    clauses before it?"""
    own = (m for pattern in (w.whole_year, w.relative) for m in pattern.finditer(text, clause_start, start))
    return (any(not _compared(w, text, m.start()) for m in own)
            and not w.cumulative.search(w.not_cumulative.sub("", text[clause_start:start])))


def _says_cumulative(w: TimeWords, before: str, said: set[str]) -> bool:
    """Is a cumulative word (累计, 以来) left in `before` once the vague spans (近年来) are
    taken out? With none to take out, that is whether one was said."""
    if "not_cumulative" not in said:
        return "cumulative" in said
    return bool(w.cumulative.search(w.not_cumulative.sub("", before)))


def _year_just_ended(w: TimeWords, published_year: int | None, published_month: int | None) -> int | None:
    """The year before publication, for a text published in the months a year's sums come out
    (statistical communiqués by March); None after them or with no month known."""
    if published_year is None or published_month is None or published_month > w.whole_year_reported_until:
        return None
    return published_year - 1


def _whole_year_just_ended(w: TimeWords, when: DocumentTime, before: str) -> int | None:
    """The year just ended (_year_just_ended), where the text gives a whole year's sum (全年…)
    with no year written, in the figure's sentence `before` it: the year of publication is not
    over yet."""
    if w.whole_year.search(before) is None:
        return None
    return _year_just_ended(w, when.published_year, when.published_month)


def find_time(k: Knowledge, text: str, sentence: tuple[int, int], clause_start: int, when: DocumentTime,
              fig: Candidate) -> When:
    """The year, period kind and date (when stated) of a figure. Plan words count in the
    figure's own clause, from `clause_start` within its sentence (培育计划, a noun, in an
    earlier clause makes nothing a target)."""
    w = time_words(k)
    present_year = when.present_year
    start = fig.start
    before = text[sentence[0]: start]
    paragraph = containing(when.paragraphs, start)
    words = _time_words_before(w, text, sentence, start, when)
    said = _kinds_from(w, words, 0)
    in_clause = _kinds_from(w, words, clause_start - sentence[0])
    date = None
    year: int | None = None
    spans_years = False

    stated = _last_year(w, before) if w.year_mark in before else None  # every year (and as_of) match has one
    if stated:
        year, spans_years = stated
        year = _respective_year(w, before) or year
    relative = None
    if "relative" in said:
        for m in w.relative.finditer(before):
            if not w.comparison.search(before[max(0, m.start() - 2): m.start()]):
                relative = m  # 比上年增长: a comparison base, not the figure's year
    written_after_year = relative and (not stated or relative.start() > before.rfind(w.year_mark, 0, relative.start()))
    if relative and present_year is not None and written_after_year and not (
            stated and relative.group() in w.anaphoric_years):
        # (2021年实施重点项目502项、当年投资996.3亿元: 当年 after a year written is that year)
        year = present_year + w.relative_years[relative.group()]
    # 人均GDP从十年前的4.2万元…: right before the figure; 十年前，禾木村…人均收入不过万元: framing the sentence
    ago = w.years_ago.search(before, max(0, len(before) - YEARS_AGO_REACH)) or w.years_ago.match(before)
    if ago and present_year is not None and (n := parse_number(k, ago.group("n"))):
        year = present_year - int(n)  # 人均GDP从十年前的4.2万元增长到…: ten years before now
    moments = list(w.historical_moment.finditer(before))
    moment = moments[-1] if moments else None  # the last one before the figure
    if (moment is not None and w.year_mark not in before[moment.end():]
            and not _kinds_from(w, words, moment.end()) & {"now", "relative"}):
        # 我们党成立时只有50多名党员: 1921 (but 从新中国成立初期…到如今…普及率90%: now)
        year = w.moment_years[moment.group()]
    if year is None and not ago and w.at_that_time.search(before):
        # 2013年11月，总书记来到这里。…她汇报，当时村里的人均年收入只有1600多元: the time named last
        named = _last_year(w, text[when.paragraphs[paragraph]: sentence[0]])
        if named and not named[1]:
            year = named[0]
    as_of = None
    if stated:  # an as_of date holds a year
        for m in w.as_of.finditer(before):
            as_of = m
    if as_of:
        y, mo, d = as_of.group(1), as_of.group(2), as_of.group(3)
        date = f"{y}-{int(mo):02d}-{int(d):02d}" if mo and d else (f"{y}-{int(mo):02d}" if mo else None)
    base = _compared_at(w, before)
    if base is not None and before.endswith(w.attributive) and base < (year or present_year or base + 1):
        year = base  # 较“十三五”末的9323.1亿元: the value at the end of the plan compared with
    changes = _sentence_changes(w, text, sentence, when)
    change_year = _change_years(changes, before) if changes else None  # most sentences change nothing
    if change_year:
        year = change_year
    number_at = fig.num_start - sentence[0]  # past a qualifier word (从不足千元)
    if changes and _second_said_now(changes, number_at):
        year = when.published_year  # 2017年2月，…人均年收入从不足3000元提高到如今的近3万元: today's
    in_change = bool(changes) and _in_change(changes, number_at)

    target_by = None
    if "target_by" in said:
        for m in w.target_by.finditer(before):
            # 到2027年 opening a clause, or after a plan word, sets a target; 增长到2022年的 does not
            opening = before[: m.start()].rstrip()
            if not opening or opening[-1] in w.clause_openers or "target" in said:
                target_by = m
    # 今后五年…年均增长5%左右: the years ahead, the present one first (a 2026 report: 2026–2030)
    coming = w.coming_years.search(before) if present_year is not None and not stated else None
    coming_years = parse_number(k, coming.group("n")) if coming else None
    if target_by:
        kind = "target"
        year = int(target_by.group(1)) if target_by.group(1) else w.plan_periods[target_by.group(2)]
    elif coming_years and present_year is not None:
        kind = "target"
        year = present_year + int(coming_years) - 1
    elif (("target" in said and not w.target_met.search(before)) or "target_in_clause" in in_clause
          or w.target_after.match(text, fig.end)
          or _in_target_list(w, text, when.paragraphs[paragraph], start, bool(stated))
          or (_section(when, start)[1] and not stated and not _opens_review(w, text, when.paragraphs[paragraph]))):
        kind = "target"
        period = w.plan_period.search(before) if not stated else None
        # 围绕“十四五”规划实施，…，全年完成投资8000亿元以上: a clause naming its own year (全年, 今年)
        # aims at that year, not at the end of the plan named before it
        own_year = _names_own_year(w, text, clause_start, start)
        if period and not own_year and (present_year is None or w.plan_periods[period.group()] >= present_year):
            year = w.plan_periods[period.group()]  # “十五五”时期，城镇新增就业力争…: by the plan's last year
        elif (not stated and not period and present_year is not None
              and w.plan_document.search(text, when.paragraphs[paragraph], start)):
            # 《纲要（草案）》明确了…主要指标：…: the targets of the plan under way, for its last year
            year = min((end for end in w.plan_periods.values() if end >= present_year), default=year)
    elif not in_change and (spans_years or (_says_cumulative(w, before, said)
                                            and not _own_year_after_span(w, text, clause_start, start))):
        kind = "cumulative"
        if spans_years:
            year = None
        campaign = w.campaign.search(before)
        if campaign and not stated:
            name = next(c for c in w.campaign_end if campaign.group().startswith(c))
            if present_year is None or w.campaign_end[name] < present_year:
                year = w.campaign_end[name]
    elif (fig.unit in w.rate_units
          or "stock" in _kinds_from(w, words, max(clause_start, start - STOCK_WORD_REACH) - sentence[0])):
        kind = "stock"
    elif "flow" in in_clause:
        kind = "flow"
    else:
        kind = "stock"

    # published in January, 国家统计局今天发布…全年国内生产总值…: last year's, not today's
    ended = _whole_year_just_ended(w, when, before) if year is None and kind != "target" else None
    if year is None and not spans_years and "now" in said and not ended and when.published_year is not None:
        year = when.published_year  # 目前全省党员总数…, 现在…: the day it was written, whatever the part's year
    if year is None and not spans_years:
        year = _paragraph_year(w, text, when, when.paragraphs[paragraph], start, carry_reference=not in_change)
    if year is None:
        year = present_year
        if present_year is not None and "past_periods" in said:
            year = present_year - 1
        elif ended:
            year = ended
        elif "now" in said:
            year = when.published_year  # 目前全省党员总数…: the day it was written
    if changes and not change_year and year is not None and _second_after_dated_first(changes, number_at, year):
        # 贫困地区人均可支配收入由2013年的2330元增长到8629元: the year is the first value's; the
        # second is of the part's own time
        year = _paragraph_year(w, text, when, when.paragraphs[paragraph], start, carry_reference=False) or present_year
    if year is not None and changes and not change_year and _first_of_yearless_change(changes, number_at):
        span = w.span_years.search(before) or w.span_years.match(text, when.paragraphs[paragraph])
        if span and (n := parse_number(k, span.group("n") or span.group("m"))):
            year -= int(n)  # 过去五年，…由3.4万亿元增加到4.2万亿元: 3.4万亿元 is five years back
        elif (plan := w.plan_period.search(before)) and w.since.match(before, plan.end() + 1):
            year = w.plan_periods[plan.group()] - PLAN_YEARS  # “十四五”以来，…从1900亿元增长到…: the plan's base year
        elif (reviewed := _section_span_base(when, start) or _span_frame_base(when, start)) is not None and not ago:
            year = reviewed  # in a review of “十四五”时期 or after 五年来，…: 从874.6亿元增加到…, the span's start
        elif not ago:
            year = None  # 人均收入从不足千元增长到17000多元: when it started is not said
    return When(year=year, period_kind=kind, date=date)
