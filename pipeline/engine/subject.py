"""What a figure counts (its subject) and which catalog metric that is.

Reports put the subject after the measure word (10539名驻村第一书记) or before the
number (全省有基层党组织21.78万个). A subject written after the measure word wins;
otherwise the nearest cue before the number in the same clause. The figure gets no
metric when the cue is narrowed to a part (36名农村党员), shared by two subjects
(第一书记和驻村干部3.2万名), a rate (每千人口托位数4.45个) or of another unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import ahocorasick_rs

from pipeline.engine.numbers import numerals
from pipeline.engine.segment import CJK_RANGE, is_cjk
from pipeline.knowledge import ANNUAL_AVERAGE, Knowledge, Metric, derived, word_pattern
from pipeline.records import Candidate

MAX_PHRASE_CHARS = 14
NUMBER_RUN = re.compile(r"[0-9.]+\S?")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
GAP = "…"
GAP_CHARS = 12
LIST_ITEM_CHARS = 10  # a further item of a list of bounds (、20万以上)
PART_WINDOW = 6  # a modifier this close before a cue narrows it (农村区域性居家养老服务中心)
COUNTED_NOUN_CHARS = 8  # the longest noun of counted units before a cue, their count included
RATE_BEFORE_RESPECTIVELY = 3  # a rate marker right before 分别 (年均分别增长) holds for every rate after it
PARTICIPANT_REACH = 8  # words of a noun phrase and an adverb between a count and its verb (名党员积极参与)
UNIT_TAIL_CHARS = 3  # what may follow a number to its clause's end for it to end a clause of subject and figure
PART_OPENER_CHARS = 4  # 其中， before a clause: the longest opener and its break
ASIDE_CHARS = 12  # the longest bracketed abbreviation read across (（CPI）)
NAMING_ASIDE_CHARS = 20  # the longest bracketed name of a figure (（常住人口城镇化率）)
HEAD_CHARS = 5  # the longest head noun an item names alone (产量, 总花费, 投入强度, 增加值增长)
MODIFIER_CHARS = 2  # the shortest modifier it leaves to the words before (粮食, 养老): one character is in any word
WORD_GAP = re.compile(rf"(?<=[{CJK_RANGE}])\s+(?=[{CJK_RANGE}])")  # white space between two characters


@dataclass(frozen=True)
class Cues:
    matcher: ahocorasick_rs.AhoCorasick
    patterns: list[str]
    longest_first: list[str]
    metrics_of: dict[str, list[Metric]]
    # (pattern, cue, metrics, the cue's words: all must be in a text the pattern matches)
    gap_cues: tuple[tuple[re.Pattern[str], str, tuple[Metric, ...], tuple[str, ...]], ...]
    gap_anchor: re.Pattern[str]  # the longest word of each gap cue: no gap cue matches where none is
    clause_break: re.Pattern[str]
    clause_break_chars: str
    last_clause_break: re.Pattern[str]  # .match(text, lo, hi): the last break in text[lo:hi]
    predicate: re.Pattern[str]
    marker_lookalike: re.Pattern[str]  # 中共 holds 共, 人均 holds 均: no predicate, no threshold marker
    conjunction: re.Pattern[str]
    part_before: re.Pattern[str]
    counted_units: re.Pattern[str]  # .search(words before a cue): a count of units and their noun ending them
    phrase_break: re.Pattern[str]  # .match(text): up to the last character no noun phrase runs across
    beneficiary: tuple[str, ...]
    counting_bodies: re.Pattern[str]     # 纪检监察机关: a part modifier inside their names narrows nothing
    part_of_previous: tuple[str, ...]
    opening_only: frozenset[str]         # cues only where they open a clause (metrics.yaml opening_cues)
    share_openers: tuple[str, ...]       # 占: a clause opening with one states a share of the clause before's subject
    change_openers: tuple[str, ...]      # 比, 较: a clause opening with one compares, it names no subject
    subject_tail: re.Pattern[str]  # a verb or qualifier ending a subject
    time_clause_ends: frozenset[str]  # 时: after a figure, it ends a time clause
    goal_nouns: tuple[str, ...]         # 目标, 新阶段: after a bound and 的, the bound is aimed at or
    stage_nouns: tuple[str, ...]        # reached, no threshold; a stage is no noun the figure counts
    modified_heads: tuple[str, ...]  # nouns that, right after a cue, are what is counted (投资项目)
    level_heads: frozenset[str]      # 总量, 规模: after a cue, its level itself (经营主体总量)
    cues_by_head: dict[str, tuple[str, ...]]  # 产量 → 粮食产量, …: the cues a head noun ends, a modifier before it
    change_after_cue: re.Pattern[str]
    change_in_subject: re.Pattern[str]  # 从/由 and a number: a change written into the words before a figure
    object_verb: re.Pattern[str]  # a verb and its object between a cue and the number
    subject_edge_chars: str
    conjunction_chars: str  # the one-character conjunctions (和, 及, 与, 、)
    list_comma: str
    list_separators: str
    attributive: str  # 总投资27亿多元的X: what follows it owns the amount
    list_then_attributive: re.Pattern[str]  # 、20万以上的: more items of a list, then 的
    elided: re.Pattern[str]
    changers: tuple[str, ...]
    reaching: re.Pattern[str]            # a change's verb and where it reaches (提升到, 增至)
    rate: tuple[str, ...]
    rate_words: re.Pattern[str]
    per_unit: re.Pattern[str]            # .search(words before a cue): 亿元生产总值…, one per unit of it
    year_before: re.Pattern[str]         # .search(text, 0, cue start): a year right before a cue (2026年)
    year_written: re.Pattern[str]        # 2021年: a year, no number of a list of figures
    annual_average: re.Pattern[str]  # 年均: of the rate markers, those of an average over years
    aside: re.Pattern[str]           # （CPI）: a bracketed abbreviation after a noun
    naming_aside: re.Pattern[str]    # （常住人口城镇化率）: a name in brackets
    growth_verb: re.Pattern[str]
    growth_tail: re.Pattern[str]  # .fullmatch(text, end of a cue): an opener and a growth verb end the text
    respectively: str
    respective_compounds: dict[str, str]
    falling: frozenset[str]              # growth verbs that say the level fell
    growth_metrics: dict[str, list[Metric]]  # level metric id → the metrics of its growth
    level_of: dict[str, str]             # growth metric id → its level's
    unit_of: dict[str, str]              # metric id → its unit
    stocks: frozenset[str]               # the ids of levels at a moment (period stock)
    close_quote: str                     # ” after a figure: the quotation it ends holds its subject
    rate_verbs: frozenset[str]           # the verbs growth cues end with (增长, 上涨) and the falling ones
    fall_tail: re.Pattern[str]           # (同比)下降 ending the words before a rate
    opened_growth_tail: re.Pattern[str]  # 同比上涨 ending the words before a rate: an opener, then a verb
    rising: tuple[str, ...]              # the growth verbs that are no falling ones
    increment: tuple[str, ...]
    threshold: tuple[str, ...]
    excludes: dict[str, re.Pattern[str]]  # metric id → words that keep a clause off it
    change_between: re.Pattern[str]      # 由, 增加: a level written as a change
    exclusion: re.Pattern[str]            # .search(text, since the figure before, figure): the rest of a whole
    participants: re.Pattern[str]         # .match(text, figure end, clause end): those taking part
    enumeration_ends: tuple[str, ...]     # 等, right before a count: the count of examples named before it
    enumerated_units: frozenset[str]      # …of persons (a list of roads with 等 sums the programme)
    rate_units: frozenset[str]
    threshold_units: frozenset[str]      # 元: a bound in one right before a noun is a threshold (10亿元以上项目)
    any_number: re.Pattern[str]


@dataclass(frozen=True)
class Subject:
    """What a figure counts, in the document's words, and the catalog metric it is (or None)."""
    subject: str
    metric: str | None
    falls: bool = False  # a growth metric's subject written with a falling verb: its value is negative


def _growth_metrics(k: Knowledge) -> dict[str, list[Metric]]:
    """Level metric id → the catalog's growth metrics of that level (gdp → gdp_growth)."""
    growth: dict[str, list[Metric]] = {}
    for m in k.catalog:
        if m.growth_of:
            growth.setdefault(m.growth_of, []).append(m)
    return growth


@derived
def cues(k: Knowledge) -> Cues:
    rules = k.words("subjects")
    quotes = "".join(k.words("non_figures")["quotes"])
    # (spaces between the words, as text converted from PDF has them: 增加值 比上年增长 4.9%)
    openers = rf"{word_pattern(rules['growth_openers'])}|{k.expand(rules['growth_opener_years'])}"
    growth = (rf"\s*(?:(?:{openers})\s*)*({word_pattern(rules['growth_verbs'])})"
              rf"(?!{word_pattern(rules['growth_noun_endings'])})(?:{word_pattern(rules['growth_verb_particles'])})?\s*")
    metrics_of: dict[str, list[Metric]] = {}
    gaps: dict[str, list[Metric]] = {}
    for m in k.catalog:
        for cue in m.cues:
            (gaps if GAP in cue else metrics_of).setdefault(cue, []).append(m)
    opening_only = {cue for m in k.catalog for cue in m.opening_cues if cue not in metrics_of}
    for m in k.catalog:
        for cue in m.opening_cues:
            metrics_of.setdefault(cue, []).append(m)
    for word in rules["blockers"]:
        metrics_of.setdefault(word, [])
    patterns = sorted(metrics_of)
    gap_cues = tuple(
        (re.compile(f".{{0,{GAP_CHARS}}}?".join(re.escape(p) for p in cue.split(GAP))), cue, tuple(ms),
         tuple(p for p in cue.split(GAP) if p))
        for cue, ms in gaps.items()
    )
    return Cues(
        matcher=ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard),
        patterns=patterns,
        longest_first=sorted(patterns, key=len, reverse=True),
        metrics_of=metrics_of,
        gap_cues=gap_cues,
        gap_anchor=re.compile(word_pattern(max(words, key=len) for _, _, _, words in gap_cues)),
        clause_break=re.compile(f"[{re.escape(rules['clause_breaks'])}]"),
        clause_break_chars=rules["clause_breaks"],
        last_clause_break=re.compile(f"(?s:.*)[{re.escape(rules['clause_breaks'])}]"),
        predicate=re.compile(word_pattern(rules["predicate_starts"])),
        marker_lookalike=re.compile(word_pattern(rules["marker_lookalikes"])),
        conjunction=re.compile(word_pattern(rules["conjunctions"])),
        part_before=re.compile(word_pattern(rules["part_modifiers"])),
        counted_units=re.compile(rules["counted_units"]),
        phrase_break=re.compile(rf"(?s:.*)[{re.escape(rules['clause_breaks'] + rules['list_comma'])}0-9%]"),
        beneficiary=tuple(rules["beneficiary_markers"]),
        counting_bodies=re.compile(word_pattern(rules["counting_bodies"])),
        part_of_previous=tuple(rules["part_of_previous"]),
        share_openers=tuple(rules["share_openers"]),
        change_openers=tuple(rules["change_openers"]),
        subject_tail=re.compile(f"(?:{word_pattern(rules['subject_tail_words'])})\\Z"),
        modified_heads=tuple(rules["modified_heads"]),
        level_heads=frozenset(rules["level_heads"]),
        cues_by_head=_cues_by_head([p for p in patterns if p not in opening_only]),
        opening_only=frozenset(opening_only),
        time_clause_ends=frozenset(rules["time_clause_ends"]),
        goal_nouns=tuple(rules["goal_nouns"] + rules["stage_nouns"]),
        stage_nouns=tuple(rules["stage_nouns"]),
        subject_edge_chars=rules["subject_edge_chars"],
        conjunction_chars="".join(w for w in rules["conjunctions"] if len(w) == 1),
        list_comma=rules["list_comma"],
        list_separators=rules["list_separators"],
        attributive=rules["attributive_marker"],
        list_then_attributive=re.compile(
            rf"(?:{re.escape(rules['list_comma'])}[^{re.escape(rules['clause_breaks'] + rules['list_separators'])}]"
            rf"{{1,{LIST_ITEM_CHARS}}}?)+{re.escape(rules['attributive_marker'])}"),
        change_after_cue=re.compile(rf"(?:{word_pattern(rules['change_after_cue'])})"
                                    rf"(?!{word_pattern(rules['change_reaching'])})"),
        change_in_subject=re.compile(rf"(?:{word_pattern(rules['change_from_words'])})"
                                     rf"[^{re.escape(rules['change_stops'])}]*?"
                                     rf"[0-9{re.escape(numerals(k).numeral_chars)}]"),
        object_verb=re.compile(rf"(?:{word_pattern(rules['object_verbs'])})[{CJK_RANGE}]"),
        # when and how much, in words: a comparison base at the end of a plan period
        # (较“十三五”末的) too, the plan's name in quotes or not
        elided=re.compile(f"(?:{word_pattern([*rules['elided_subject_words'], *k.words('periods')['plan_periods']])}"
                          rf"|\d{{4}}|[\s{re.escape(rules['list_separators'] + quotes)}])*"),
        rate=tuple(rules["rate_markers"]),
        rate_words=re.compile(word_pattern(rules["rate_markers"])),
        year_before=re.compile(k.expand(rules["year_before_cue"]) + r"\Z"),
        year_written=re.compile(k.expand(rules["year_before_cue"])),
        per_unit=re.compile(rf"(?<![0-9.])(?:{word_pattern(rules['per_unit_markers'])})\Z"),
        annual_average=re.compile(word_pattern(rules["annual_average_markers"])),
        aside=re.compile(rules["abbreviation_aside"]),
        naming_aside=re.compile(rules["naming_aside"]),
        growth_verb=re.compile(rf"^{growth}"),
        growth_tail=re.compile(growth),
        fall_tail=re.compile(rf"(?:{openers})*"
                             rf"(?:{word_pattern(rules['falling_verbs'])})\s*\Z"),
        opened_growth_tail=re.compile(rf"(?:\s*(?:{openers})\s*)+({word_pattern(rules['growth_verbs'])})"
                                      rf"(?:{word_pattern(rules['growth_verb_particles'])})?\s*\Z"),
        respectively=rules["respectively"],
        respective_compounds=dict(rules["respective_compounds"]),
        falling=frozenset(rules["falling_verbs"]),
        growth_metrics=_growth_metrics(k),
        level_of={m.id: m.growth_of for m in k.catalog if m.growth_of},
        unit_of={m.id: m.unit for m in k.catalog},
        stocks=frozenset(m.id for m in k.catalog if m.period == "stock"),
        close_quote=quotes[1],
        # (提高 and 增加 name the change of a share, 比重从12.3%提高到18%, as often as a growth)
        rate_verbs=frozenset(v for v in rules["growth_verbs"]
                             if v in rules["falling_verbs"] or v in rules["rate_growth_verbs"]
                             or any(cue.endswith(v) for m in k.catalog if m.growth_of for cue in m.cues)),
        rising=tuple(v for v in rules["growth_verbs"] if v not in rules["falling_verbs"]),
        increment=tuple(rules["increment_markers"]),
        changers=tuple(rules["subject_changers"]),
        reaching=re.compile(rf"[{CJK_RANGE}]{{1,2}}(?:{word_pattern(rules['change_reaching'])})"),
        threshold=tuple(rules["threshold_markers"]),
        excludes={m.id: re.compile(word_pattern(m.excludes)) for m in k.catalog if m.excludes},
        change_between=re.compile(word_pattern([*rules["change_from_words"], *rules["change_after_cue"]])),
        exclusion=re.compile(rf"(?<![{re.escape(rules['scope_aside_openers'])}])"
                             rf"(?!{word_pattern(rules['defining_exclusions'])})(?:{word_pattern(rules['exclusion_words'])})"),
        participants=re.compile(rf"(?:(?!\d).){{0,{PARTICIPANT_REACH}}}?(?:{word_pattern(rules['participant_adverbs'])})?"
                                rf"(?:{word_pattern(rules['participant_verbs'])})"),
        enumeration_ends=tuple(rules["enumeration_ends"]),
        enumerated_units=frozenset(rules["enumerated_units"]),
        rate_units=k.rate_units,
        threshold_units=frozenset(rules["threshold_units"]),
        any_number=re.compile(f"[0-9{re.escape(numerals(k).numeral_chars)}]"),
    )


def _cues_by_head(patterns: list[str]) -> dict[str, tuple[str, ...]]:
    """Each ending of a cue short enough to be a head noun named alone (completed_head), with a
    modifier of MODIFIER_CHARS or more before it, and the cues it ends."""
    by_head: dict[str, list[str]] = {}
    for cue in patterns:
        for n in range(1, min(HEAD_CHARS, len(cue) - MODIFIER_CHARS) + 1):
            by_head.setdefault(cue[-n:], []).append(cue)
    return {head: tuple(found) for head, found in by_head.items()}


def clause_bounds(k: Knowledge, text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of a sentence that holds text[start:end]: from the last clause break
    (comma, semicolon, colon) before it to the first one after it. Two searches within the
    sentence cost less than listing every break of the document, most of which no figure
    is near."""
    c = cues(k)
    lo, hi = sentence
    last = c.last_clause_break.match(text, lo, start)
    nxt = c.clause_break.search(text, end, hi)
    return (last.end() if last else lo), (nxt.start() if nxt else hi)


def noun_phrase_after(c: Cues, text: str, start: int, stop: int) -> str:
    """The noun phrase that follows a measure word: up to the first verb or adverb, or
    the next number of a list (9.6万名网格员、2.2万名警力)."""
    phrase = text[start: min(stop, start + MAX_PHRASE_CHARS)].removeprefix(c.attributive)
    if phrase[:1].isspace() or phrase.startswith(c.close_quote):
        # 41314元 实际增长5.1%: a headline's space ends the figure's phrase; so does the end of a
        # quotation (“…将今年经济增长预期目标定为5%左右”时): its subject is inside
        return ""
    if phrase.startswith(c.stage_nouns) and text.startswith(c.attributive, start):
        return ""  # 进入5万亿元以上的新阶段: the stage reached is no noun the figure counts
    if c.conjunction.match(phrase):
        return ""  # 27.5%、C档…: the next item of a list, not this figure's subject
    if c.any_number.match(phrase):
        return ""  # 连跨5万亿元、6万亿元两个台阶: a count of the figures before, not their subject
    for i, ch in enumerate(phrase):
        if ch.isdigit():
            phrase = phrase[:i]
            break
    masked = c.marker_lookalike.sub(lambda w: "\x00" * len(w.group()), phrase)  # 中共 holds 共, no predicate
    m = c.predicate.search(masked)
    phrase = phrase[: m.start()] if m else phrase
    phrase = phrase.rstrip(c.conjunction_chars)
    return "" if phrase in c.time_clause_ends else phrase


def _unit_match(metrics: list[Metric] | tuple[Metric, ...], unit: str) -> str | None:
    for m in metrics:
        if m.counts_in(unit):
            return m.id
    return None


def _cue_hits(c: Cues, segment: str) -> list[tuple[str, int, int]]:
    """Every cue in a segment, overlapping ones included (地区生产总值增长 holds both
    地区生产总值 and 生产总值增长), ordered by end then length, so the last hit is the
    head of the phrase."""
    found = c.matcher.find_matches_as_indexes(segment, overlapping=True)
    if c.opening_only:
        found = [h for h in found if c.patterns[h[0]] not in c.opening_only or _opens_clause(c, segment, h[1])]
    if len(found) < 2:
        return [(c.patterns[i], s, e) for i, s, e in found]
    # a cue inside a longer word is not that word's head (网格 in 网格员, 党组织 in 党组织书记):
    # by start, longest first, a hit lies inside an earlier one when it ends no further
    hits, reach = [], -1
    for i, s, e in sorted(found, key=lambda h: (h[1], -h[2])):
        if e > reach:
            hits.append((c.patterns[i], s, e))
            reach = e
    return sorted(hits, key=lambda h: (h[2], h[2] - h[1]))


def _opens_clause(c: Cues, segment: str, start: int) -> bool:
    """Does the word at `start` open its clause (其中，出口…; ；进口…)? Not a list item
    (猕猴桃综合产值增长8.5%、出口增长53.6%: the kiwifruit's exports)."""
    before = segment[:start].rstrip()
    for opener in c.part_of_previous:
        before = before.removesuffix(opener).rstrip()
    return not before or before[-1] in c.clause_break_chars


def _metric_in(c: Cues, segment: str, hit: tuple[str, int, int], unit: str, rate: bool) -> str | None:
    """The metric named by a cue hit, unless a modifier narrows it to a part or a rate
    marker outside the cue makes it an average."""
    cue, start, _ = hit
    if rate and not _is_rate_cue(c, cue):
        return None
    if segment.endswith(c.share_openers, 0, start):
        return None  # 产业民间投资占民间投资比重: the base of a share
    metrics = [m for m in c.metrics_of[cue] if m.counts_in(unit)]
    year = c.year_before.search(segment, 0, start)  # 南方电网2026年固定资产投资: the words before the year
    words_end = year.start() if year else start
    before = segment[max(0, words_end - PART_WINDOW): words_end]
    if _narrows(c, before, metrics):
        # (企业固定资产投资: what a kind of unit invests, no sector's investment)
        return None if any(w in c.modified_heads for w in _narrowing(c, before)) else _any_kind_within(c, cue, unit)
    if any(w in before and w not in cue for w in c.increment):
        return None
    return _unit_match(c.metrics_of[cue], unit)


def _any_kind_within(c: Cues, cue: str, unit: str) -> str | None:
    """交通固定资产投资约3.6万亿元: a cue narrowed to a part is still an amount of a metric that
    counts events of every kind whose cue ends it (投资: the sector's investment, as a project's)."""
    return next((m.id for j in range(1, len(cue)) for m in c.metrics_of.get(cue[j:], ())
                 if m.any_kind and m.counts_in(unit)), None)


def _narrows(c: Cues, before: str, metrics: list[Metric]) -> bool:
    """Does a part modifier in the words before a cue narrow its metrics to a part? Not one
    a metric's own wordings hold (城镇 of 城镇新增就业: 城镇累计新增就业 is all of it), nor for a
    metric that counts events of every kind."""
    own_words = "".join(w for m in metrics for w in m.cues)
    narrowing = [word for word in _narrowing(c, before) if word not in own_words]
    return bool(narrowing) and not all(m.any_kind for m in metrics)


def _last_fitting(c: Cues, hits: list[tuple[str, int, int]], unit: str) -> tuple[str, int, int] | None:
    """The last cue naming a metric of this unit (blockers name none): Chinese noun
    phrases end in their head, so the last cue is what is counted."""
    metrics_of = c.metrics_of
    return next((h for h in reversed(hits) if _unit_match(metrics_of[h[0]], unit)), None)


def find_subject(k: Knowledge, text: str, sentence: tuple[int, int], clause: tuple[int, int], fig: Candidate,
                 previous_end: int = -1) -> Subject:
    """`subject` (words of the document) and `metric` (catalog id or None) of a figure in
    `clause` (see clause_bounds) of `sentence`.

    `previous_end` is where the figure before this one ends: in a list (A 51.8万人、
    B 249.2万人) the words since then name this figure's subject. A metric whose catalog
    entry `excludes` a word written in the clause is not given (培训乡村医生: no cadre training).
    """
    found = _checked_subject(k, text, sentence, clause, fig, previous_end)
    if found.metric is not None:
        return found
    c = cues(k)
    # (brackets break clauses: an aside ends right where the figure's clause starts)
    asides = [m.span() for m in c.aside.finditer(text, max(sentence[0], clause[0] - ASIDE_CHARS), clause[0])
              if m.end() == clause[0]]
    # 规模以上工业 [5] 增加值比上年增长4.9%: spaces between words (a footnote mark, text from a PDF)
    asides += [m.span() for m in WORD_GAP.finditer(text, clause[0], fig.start)]
    if asides:
        # 全国居民消费价格（CPI）同比上涨0.2%: a bracketed abbreviation is no word of the subject
        plain = _subject_without(k, text, sorted(asides), sentence, clause, fig, previous_end)
        if plain.metric:
            return replace(found, metric=plain.metric)
    averages = [m.span() for m in c.annual_average.finditer(text, clause[0], fig.start)]
    if averages:
        # 地区生产总值年均增长5.9%; 规上工业增加值、工业投资年均分别增长5.9%、6.7%; 年均新增城镇就业30万
        # 人: an average per year over several years is no value of the metric but of its annual
        # average variant (metrics.yaml `variants`): the metric the figure would have with the
        # last average marker before it left out
        plain = _subject_without(k, text, sorted([*asides, averages[-1]]), sentence, clause, fig, previous_end)
        average = k.variant(plain.metric, ANNUAL_AVERAGE)
        if average:
            return replace(found, metric=average)
    named = _named_in_brackets(c, text, sentence, clause, fig)
    if named:
        return replace(found, metric=named)
    if fig.unit in c.rate_units and text.startswith(c.share_openers, clause[0]):
        share = _share_of_previous_subject(k, text, sentence, clause, fig)
        if share.metric:
            return share
    return found


def _previous_clause_start(c: Cues, text: str, sentence_start: int, clause_start: int) -> int:
    """Where the clause before the one starting at `clause_start` starts (the sentence's start
    when there is none)."""
    last_break = c.last_clause_break.match(text, sentence_start, max(sentence_start, clause_start - 1))
    return last_break.end() if last_break else sentence_start


def _named_in_brackets(c: Cues, text: str, sentence: tuple[int, int], clause: tuple[int, int],
                       fig: Candidate) -> str | None:
    """占总人口比重（常住人口城镇化率）为73.57%: a cue in brackets ending right before a clause that
    says only how much names the figure."""
    says_how_much = (c.elided.fullmatch(text, clause[0], fig.start) is not None
                     or c.subject_tail.fullmatch(text, clause[0], fig.start) is not None)
    if not says_how_much:
        return None
    aside = next((m for m in c.naming_aside.finditer(text, max(sentence[0], clause[0] - NAMING_ASIDE_CHARS), clause[0])
                  if m.end() == clause[0]), None)
    if aside is None:
        return None
    name = aside.group("name")
    hit = next((h for h in _cue_hits(c, name) if h[1] == 0 and h[2] == len(name)), None)
    return _metric_in(c, name, hit, fig.unit, False) if hit else None


def _share_of_previous_subject(k: Knowledge, text: str, sentence: tuple[int, int], clause: tuple[int, int],
                               fig: Candidate) -> Subject:
    """服务业增加值比上年增长5.4%，占国内生产总值比重为58.4%: a clause opening with 占 states
    the share of what the clause before it names; read with that clause's change and figure
    left out (服务业增加值占国内生产总值比重为58.4%)."""
    c = cues(k)
    previous = (_previous_clause_start(c, text, sentence[0], clause[0]), clause[0])
    # the change is a growth verb and its number (not the 增加 of 增加值)
    change = next((m for m in c.growth_tail.finditer(text, *previous) if c.any_number.match(text, m.end())), None)
    if change is None or change.start() == previous[0]:
        return Subject("", None)  # 同比增长6.4%，占…: the clause before names nothing either
    return _subject_without(k, text, [(change.start(), clause[0])], sentence, clause, fig, -1)


def _subject_without(k: Knowledge, text: str, cuts: list[tuple[int, int]], sentence: tuple[int, int],
                     clause: tuple[int, int], fig: Candidate, previous_end: int) -> Subject:
    """The subject the figure would have with the spans `cuts` (in order, not overlapping, in its
    sentence before it) taken out of the text: its clause is then read again, in a copy of its
    sentence only (a copy of the whole text for each such figure would cost the square of a long
    document)."""
    def shift(offset: int) -> int:
        return offset - sentence[0] - sum(end - start for start, end in cuts if end <= offset)

    kept = zip([sentence[0]] + [end for _, end in cuts], [start for start, _ in cuts] + [sentence[1]], strict=True)
    shorter = "".join(text[start:end] for start, end in kept)
    moved = replace(fig, start=shift(fig.start), end=shift(fig.end), num_start=shift(fig.num_start),
                    num_end=shift(fig.num_end))
    in_sentence = (0, len(shorter))
    before = shift(previous_end) if previous_end >= sentence[0] else -1
    return _checked_subject(k, shorter, in_sentence, clause_bounds(k, shorter, in_sentence, moved.start, moved.end),
                            moved, before)


def _checked_subject(k: Knowledge, text: str, sentence: tuple[int, int], clause: tuple[int, int], fig: Candidate,
                     previous_end: int) -> Subject:
    c = cues(k)
    found = _subject(c, text, sentence, clause, fig, previous_end)
    found = replace(found, subject=trim_subject(c, found.subject))
    metric = found.metric
    if metric and (excluded := c.excludes.get(metric)) and excluded.search(text, clause[0], clause[1]):
        return replace(found, metric=None)
    level = c.level_of.get(metric or "")
    if level and (excluded := c.excludes.get(level)) and excluded.search(
            text, _level_words_start(c, text, sentence, clause, (level, metric or level)), fig.start):
        return replace(found, metric=None)  # 人均可支配收入中位数29975元，增长8.8%: the median's growth
    if metric and c.exclusion.search(text, max(sentence[0], previous_end), fig.start):
        return replace(found, metric=None)  # 扣除房地产开发投资后，固定资产投资增长2.7%: the rest
    if metric and c.participants.match(text, fig.end, clause[1]):
        return replace(found, metric=None)  # 3万多名党员积极参与…: those taking part
    if metric in c.stocks and _increment_opens_clause(c, text, clause[0], previous_end, fig):
        return replace(found, metric=None)  # 新增养老床位2.5万张、托育机构托额8.1万个: added, no level
    if metric and fig.unit in c.enumerated_units and text.endswith(c.enumeration_ends, clause[0], fig.start):
        return replace(found, metric=None)  # 范振喜等7位党员: the members named, no region's total
    return found


def _level_words_start(c: Cues, text: str, sentence: tuple[int, int], clause: tuple[int, int],
                       named: tuple[str, str]) -> int:
    """Where the words naming the level of a growth can start: its clause's start when the clause
    names it (开拓东盟…市场，全年进出口总额增长3%左右); else after the last number before the clause
    ahead of the growth's, the sentence's start if none (对东盟进出口…增长19%，全省进出口总值…，
    达到5379亿元、增长18.5%: the partners were another item; 内地与香港贸易往来…，进出口总值达…，
    同比增长11.3%: they name whose trade it is)."""
    if any(m.id in named for cue, _, _ in _cue_hits(c, text[clause[0]: clause[1]]) for m in c.metrics_of[cue]):
        return clause[0]
    previous_start = _previous_clause_start(c, text, sentence[0], clause[0])
    return max((m.end() for m in NUMBER_RUN.finditer(text, sentence[0], previous_start)), default=sentence[0])


def trim_subject(c: Cues, subject: str) -> str:
    """What is counted, without the verbs, qualifiers and punctuation around it (党的基层组织达
    → 党的基层组织; 投资规模超过了 → 投资规模), so that figures without a metric can be found
    and charted by subject. A cue is never cut: growth cues end in their verb (生产总值增长)."""
    change = c.change_in_subject.search(subject)
    if change and change.start():
        subject = subject[: change.start()]  # 人均可支配收入从不足千元(增长到): the subject, not the change
    while True:
        subject = subject.strip(c.subject_edge_chars)
        m = c.subject_tail.search(subject)
        if m is None or m.start() == 0 or subject in c.metrics_of:
            return subject
        subject = subject[: m.start()]


def _subject(c: Cues, text: str, sentence: tuple[int, int], clause: tuple[int, int], fig: Candidate,
             previous_end: int) -> Subject:
    lo, hi = clause
    left = text[lo: fig.start]
    phrase = noun_phrase_after(c, text, fig.end, hi)
    unit = fig.unit
    clause_left = left
    markers_left = c.marker_lookalike.sub("", left)  # 人均 holds 均, no threshold marker
    if (fig.bound and any(w in markers_left for w in c.threshold)) or markers_left.rstrip().endswith(c.threshold):
        # 全部达到5万元以上: a threshold; 7个省份人工造林均超过100万亩: each one's, no region's total
        return Subject(phrase or left, None)
    # (but 增长5%以上的目标: a goal aimed at, not a threshold passed; and 10亿元以上项目投资增长35%: 的
    # left out before a noun an amount does not count)
    noun_at = fig.end + len(c.attributive) if text.startswith(c.attributive, fig.end) else fig.end
    noun_after = noun_at > fig.end or (fig.unit in c.threshold_units and bool(phrase.strip()))
    bound_before_noun = noun_after and not text.startswith(c.goal_nouns, noun_at)
    if fig.bound and (bound_before_noun or c.list_then_attributive.match(text, fig.end, hi)):
        # 计划总投资500万元及以上的投资项目; 年收入达到10万元以上、20万以上的村达到71.8%: a bound
        # before 的, or bounds listed before it, are thresholds too
        return Subject(left, None)

    # cues with a gap (向…个村选派, 发展…党员) may hold the number itself
    gap_cues = c.gap_cues if c.gap_anchor.search(text, lo, hi) else ()
    window = text[lo: fig.num_start] + "\x00" + text[fig.num_end: hi] if gap_cues else ""
    number_at = window.find("\x00")
    for pattern, cue, metrics, words in gap_cues:
        if not all(map(window.__contains__, words)):
            continue  # a word of the cue is missing: no match (cheaper than trying the pattern)
        for m in pattern.finditer(window):
            # the number sits in the gap (向10594个村选派), or right after a cue whose
            # gap holds words only (流转村内土地3300多亩)
            inner_gap = not cue.startswith(GAP) and not cue.endswith(GAP)
            words_only = not any(ch.isdigit() for ch in m.group())
            holds_number = m.start() <= number_at < m.end() or (inner_gap and words_only and m.end() == number_at)
            if holds_number and not _is_rate(c, clause_left, phrase) and (metric := _unit_match(metrics, unit)):
                # 在生产、工作一线发展党员128.8万名: a modifier narrows a gapped cue too
                modifiers = window[max(0, m.start() - PART_WINDOW): m.start()]
                narrowed = _narrows(c, modifiers, [x for x in metrics if x.counts_in(unit)])
                return Subject(m.group().replace("\x00", ""), None if narrowed else metric)

    # 总投资27亿多元的西藏湘河水利枢纽: what follows 的 owns the amount the cue before it names
    # (but 收入10万元以上的村 is a threshold, which the villages passed)
    attributive = (text.startswith(c.attributive, fig.end) and not fig.bound
                   and _last_fitting(c, _cue_hits(c, left), unit) is not None)
    if attributive and fig.qualifier != "exact" and c.any_number.search(text, fig.end, hi):
        # 经济总量超千亿元的县域达12个: a bound the members of a group passed, which is counted
        return Subject(left, None)
    if phrase.strip() and not attributive:
        # (超过1万亿元的投资需求: a cue before a head it modifies names no subject)
        hits = [h for h in _cue_hits(c, phrase) if not phrase.startswith(c.modified_heads, h[2])]
        blocker = next((i for i, h in enumerate(hits) if not c.metrics_of[h[0]]), None)
        if blocker is not None:
            return Subject(phrase, None)  # 19名乡镇党委书记…: counts persons, not organs
        hit = _last_fitting(c, hits, unit)
        # 3.2万名第一书记和驻村干部, 4万多名党员和群众: shared by the subjects joined to the cue
        # (not by the verbs after it: 21万多名驻村第一书记扎根一线、履职尽责)
        shared = hit is not None and (c.conjunction.search(phrase, 0, hit[2]) is not None
                                      or c.conjunction.match(phrase, hit[2]) is not None)
        metric = _metric_in(c, phrase, hit, unit, _is_rate(c, clause_left, phrase)) if hit and not shared else None
        if metric in c.stocks and clause_left.rstrip().endswith(c.increment):
            return Subject(phrase, None)  # 新增7701张养老床位: the beds added, no level
        return Subject(phrase, metric)

    unsaid = _respectively_unsaid(c, text, clause, fig)
    if unsaid:
        return _respective_growth(c, unsaid, unit) or Subject(unsaid, None)
    if lo <= previous_end <= fig.start:
        since_previous = text[previous_end: fig.start]
        if _cue_hits(c, since_previous):
            left = since_previous
        elif _names_another_item(c, since_previous, fig):
            # 累计完成营造林1.22亿亩、种草2.86亿亩: the next item of a list names its own subject
            return Subject(since_previous, None)
    # a cue that modifies the noun after it is not what is counted (投资企业实现营业收入40.3亿元)
    hits = [h for h in _cue_hits(c, left) if not left.startswith(c.modified_heads, h[2])]
    last = _last_fitting(c, hits, unit)
    if last is None:
        # (a fall of a growth cue's words before a level cue inside them: 民间投资比上年下降, not 投资下降)
        inherited = (_respective_growth(c, left, unit) or _respective_written_out(c, left, unit)
                     or _fall_of_growth_cue(c, left, unit)
                     or _growth_cue_across_openers(c, left, unit)
                     or _growth_in_clause(c, left, hits, unit)
                     or _respective_growth_of_previous(c, text, sentence[0], clause, left, unit)
                     or _growth_of_previous_subject(c, text, sentence[0], lo, left, unit))
        if inherited is None and lo <= previous_end <= fig.start:
            # 地区生产总值4.2万亿元、增长3.8%: the growth follows its level in one clause
            # 地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%: the list item that ends in
            # the growth verb
            since = text[previous_end: fig.start].lstrip(c.list_separators + " ")
            last_item = since.rsplit(c.list_comma, 1)[-1]
            # (口岸出入境人员达5.2亿人次、增长13.2%: a clause naming a subject of its own, no cue, keeps
            # the growth off the cues of the clauses before it)
            opening = NUMBER_RUN.split(text[lo:previous_end], 1)[0]
            own_subject = not _cue_hits(c, opening) and c.elided.fullmatch(opening) is None
            inherited = _growth_of_previous_subject(c, text, lo if own_subject else sentence[0], previous_end,
                                                    last_item, unit)
        if inherited:
            return inherited
        if (hits and lo <= previous_end <= fig.start
                and c.elided.fullmatch(text[previous_end: fig.start].lstrip(c.list_separators + " ")) is not None):
            # 一般公共预算收入增长8.2%、超过6000亿元: a level after its growth, the item saying only how much
            level = _level_of_previous_growth(c, text[lo: previous_end], _cue_hits(c, text[lo: previous_end]), unit)
            if level:
                return level
        if not hits and c.elided.fullmatch(text[lo: fig.start]) is not None:
            from_before = _subject_of_previous_clause(c, text, sentence[0], lo, previous_end, unit, clause_left, phrase)
            if from_before:
                return from_before
        between = text[previous_end: fig.start] if lo <= previous_end < fig.start else ""
        if between[:1].isspace() and between.strip() and c.elided.fullmatch(between.strip()) is not None:
            # 进出口增长7.7% 总值突破40万亿元 (a headline's space, no comma): the figure before ends
            # the clause that names the subject
            from_before = _subject_of_previous_clause(c, text, sentence[0], previous_end, previous_end, unit,
                                                      clause_left, phrase)
            if from_before:
                return from_before
        return Subject(left[hits[-1][1]:] if hits else "", None)
    subject = left[last[1]:]
    if c.respectively in left[last[2]:]:
        return _respective_subject(c, left, unit)
    if any(compound in left[max(0, last[1] - PART_WINDOW): last[2]] for compound in c.respective_compounds) and len(
            NUMBER.findall(text, lo, hi)) >= 2:
        # 城乡居民人均可支配收入完成2.57万元和1.68万元: the compound's parts take the numbers in turn,
        # 分别 left unsaid
        return _respective_subject(c, left[: last[2]] + c.respectively + left[last[2]:], unit)
    gap = left[last[2]:]
    own_gap = NUMBER_RUN.split(gap)[-1]  # after any figure between: 地区生产总值增长5.5%、达到…
    if any(w in gap for w in c.changers):
        return Subject(subject, None)  # 对经济增长贡献超四成: a share, not the value
    to_number = NUMBER_RUN.split(gap, 1)[0]
    if last[0] in c.opening_only and not any(p.fullmatch(to_number) for p in (c.elided, c.reaching, c.subject_tail)):
        # 出口每标箱可节约物流成本400元: what the bare word is no subject of (but 出口达6290.2亿元,
        # 工业增加值提升到1.6万亿元, 突破1万亿元、达1.19万亿元)
        return Subject(subject, None)
    if c.list_comma in own_gap and any(e in own_gap for e in c.enumeration_ends):
        return Subject(subject, None)  # 造林、种草、压沙等建设任务1025万亩: the listed items' total
    if unit not in c.rate_units and c.change_after_cue.search(own_gap):
        return Subject(subject, None)  # 市场主体总量增长近1000万户: the change, not the level
    if c.object_verb.search(own_gap):
        return Subject(subject, None)  # 党组织共查摆问题2829个: the problems, not the organisations
    before = [h for h in hits if h[2] <= last[1]]
    if before and c.conjunction.fullmatch(left[before[-1][2]: last[1]] or "-"):
        return Subject(subject, None)  # 第一书记和驻村干部3.2万名: shared
    cue_start = fig.start - len(left) + last[1]
    if lo <= previous_end <= cue_start and not text[previous_end: cue_start].strip():
        return Subject(subject, None)  # 新增1个经济总量近千亿的县市: what each counted one has
    if c.counted_units.search(text, max(lo, cue_start - COUNTED_NOUN_CHARS), cue_start):
        # 新疆84家滑雪场接待游客313万人次: what the counted units did, a part (but 6个能源基地总投资…: theirs)
        return Subject(subject, _any_kind_within(c, last[0], unit))
    # a rate marker counts in the subject (人均地区生产总值) or in this figure's own item, not in
    # an earlier item's predicate (地区生产总值年均增长5%左右、迈上3万亿元台阶; 连续迈上4个台阶、达…)
    cue_end = fig.start - len(left) + last[2]
    item_start = max(cue_end, previous_end if lo <= previous_end <= fig.start else lo,
                     text.rfind(c.list_comma, cue_end, fig.start) + 1)
    rate = _is_rate(c, left[: last[2]] + text[item_start: fig.start], phrase)
    return Subject(subject, _metric_in(c, left, last, unit, rate))


def _subject_of_previous_clause(c: Cues, text: str, sentence_start: int, clause_start: int, previous_end: int,
                                unit: str, clause_left: str, phrase: str) -> Subject | None:
    """全省进出口总值创历史新高，达到5379亿元: a clause that says only when and how much
    (subject_is_elided) shares the subject of the clause before it, when no figure of its
    unit stands between that subject and this one."""
    earlier = text[sentence_start:clause_start]
    hits = _cue_hits(c, earlier)
    hit = _last_fitting(c, hits, unit)
    if hit is None:
        return _level_of_previous_growth(c, earlier, hits, unit)
    if (previous_end > sentence_start + hit[1] and unit in earlier[hit[2]:]
            and not c.change_between.search(earlier, hit[2])):
        # a figure of this unit between names its own level (but 由2012年5.7万亿元，增长至…; 增加近
        # 1000亿元，稳步达到…: the level before, or a change of it); 地区生产总值增长11%，达到282亿元:
        # one of another unit is no subject
        return None
    return Subject(hit[0], _metric_in(c, earlier, hit, unit, _is_rate(c, clause_left, phrase)))


def _level_of_previous_growth(c: Cues, earlier: str, hits: list[tuple[str, int, int]], unit: str) -> Subject | None:
    """外贸进出口增长8.4%，总额突破8000亿元: after a growth cue written as one word, a level of
    its unit is the level that cue is the growth of."""
    if not hits:
        return None
    cue, start, _ = hits[-1]
    levels = {c.level_of[m.id] for m in c.metrics_of[cue] if m.id in c.level_of}
    fitting = sorted(level for level in levels if c.unit_of[level] == unit)
    if len(fitting) != 1 or _narrows(c, earlier[max(0, start - PART_WINDOW): start], list(c.metrics_of[cue])):
        return None
    verb = next((v for v in (*c.rising, *c.falling) if cue.endswith(v)), "")
    return Subject(cue[: len(cue) - len(verb)], fitting[0])


def _is_rate(c: Cues, clause_left: str, phrase: str) -> bool:
    """Is the figure an average or a rate (每千人口托位数, 人均可支配收入)? Asked only
    when a metric is about to be given: most figures never need the answer."""
    return c.rate_words.search(clause_left) is not None or c.rate_words.search(phrase) is not None


def _respective_parts(c: Cues, left: str) -> tuple[list[str], int, str]:
    """The subjects written before the last 分别 in `left` (城乡 written out: 城镇和农村), the
    index of the figure ending `left` among the numbers after it, and the subjects as written."""
    at = left.rindex(c.respectively)
    subjects = left[:at]
    opener = next((w for w in c.part_of_previous if subjects.startswith(w)), "")
    subjects = subjects[len(opener):]  # 其中一二三产增加值分别…: the part is what is listed
    change = c.change_in_subject.search(subjects)
    if change:
        subjects = subjects[: change.start()]  # 城乡居民人均可支配收入从2021年的…和…分别提高到…: what changed
    for compound, written_out in c.respective_compounds.items():
        subjects = subjects.replace(compound, written_out)  # 城乡居民… → 城镇和农村居民…
    listed = NUMBER.findall(c.year_written.sub("", left[at:]))  # 从2021年的46503元和…: no year is one of them
    return [p for p in c.conjunction.split(subjects) if p], len(listed), subjects


def _written_out(c: Cues, parts: list[str], nth: int, fits: Callable[[str], bool]) -> str:
    """The n-th of several subjects sharing their tail, written out in full (城镇 + 居民人均可
    支配收入; 交通、水利投资 → 交通投资): the first end of the last subject that makes a cue
    that `fits` of this one, else the tail the subjects share, else the longest end that is a
    cue itself. A subject holding a cue that fits is written out already (社会消费品零售总额、
    固定资产投资分别达到…)."""
    head = parts[-1]
    if nth == len(parts) - 1 or any(fits(cue) for cue, _, _ in _cue_hits(c, parts[nth])):
        return parts[nth]
    written = [parts[nth] + head[j:] for j in range(1, len(head))]
    # a cue across the join, the words before it modifiers (全省地表水 + 水质优良比例)
    exact = next((w for w in written if fits(w) or any(
        fits(cue) and start < len(parts[nth]) and end == len(w) for cue, start, end in _cue_hits(c, w))), "")
    if exact:
        return exact
    # 交通、水利、能源领域投资额: the last subject's own word is as long as the shortest listed
    # before it, the rest (领域投资额) is the tail they share
    tail = head[min(map(len, parts[:-1])):]
    if any(fits(cue) for cue, _, _ in _cue_hits(c, tail)):
        return parts[nth] + tail
    return parts[nth] + next((head[j:] for j in range(1, len(head)) if head[j:] in c.metrics_of), "")


def _respective_subject(c: Cues, left: str, unit: str) -> Subject:
    """城镇和农村居民人均可支配收入分别达到42772元和14817元: the n-th number belongs to
    the n-th subject, written out in full, whose metric is read as any subject's. No metric
    when the written-out subject holds no cue of this unit."""
    parts, nth, subjects = _respective_parts(c, left)
    if len(parts) < 2 or nth >= len(parts):
        return Subject(subjects, None)
    subject = _written_out(c, parts, nth, lambda w: _unit_match(c.metrics_of.get(w, []), unit) is not None)
    hit = _last_fitting(c, _cue_hits(c, subject), unit)
    if hit and any(w in subject[hit[2]:] for w in c.changers):
        return Subject(subject, None)  # …对经济增长的贡献率分别是52%、16.8%: shares of the growth
    rate = c.rate_words.search(left) is not None  # 每千人托位、养老床位数分别达到4.7个、27.3张
    metric = _metric_in(c, subject, hit, unit, rate) if hit else None
    return Subject(subject, metric)


def _respectively_unsaid(c: Cues, text: str, clause: tuple[int, int], fig: Candidate) -> str:
    """国内游客人次、总花费增长5.6％、7.5％; 生产安全事故起数、死亡人数下降17.6%、11.6%: as many
    rates listed after a growth verb, and nothing else to the clause's end, as subjects listed
    before it are the subjects' rates in turn, 分别 left unsaid. The words before the figure
    with 分别 written in, or "" where the clause is no such list."""
    lo, hi = clause
    left = text[lo: fig.start]
    if fig.unit not in c.rate_units or c.respectively in left:
        return ""
    for verb in c.growth_tail.finditer(left):
        rates = text[lo + verb.end(): hi].rstrip(c.clause_break_chars + " ")
        if NUMBER_RUN.sub("", rates).strip(c.conjunction_chars + " "):
            continue  # words among the rates: not a list of them alone
        said = left[: verb.start()] + c.respectively + left[verb.start():]
        parts, nth, _ = _respective_parts(c, said)
        listed = len(NUMBER.findall(rates))
        return said if 2 <= len(parts) == listed and nth < listed else ""
    return ""


def _respective_written_out(c: Cues, left: str, unit: str) -> Subject | None:
    """地表水、近岸海域水质优良比例分别达96.9%、99%: subjects listed before 分别 where only
    one written out in full (地表水水质优良比例) is a cue."""
    if c.respectively not in left:
        return None
    respective = _respective_subject(c, left, unit)
    return respective if respective.metric else None


def _respective_growth(c: Cues, left: str, unit: str) -> Subject | None:
    """城乡居民人均可支配收入分别增长5.1%和6.5%; 规上工业增加值、规上服务业营收分别增长6.5%和7%:
    the n-th rate is the growth of the n-th subject's level."""
    if c.respectively not in left or unit not in c.rate_units:
        return None
    at = left.rindex(c.respectively)
    verb = c.growth_tail.match(left, at + len(c.respectively))
    parts, nth, _ = _respective_parts(c, left)
    if verb is None or len(parts) < 2 or nth >= len(parts):
        return None
    if c.rate_words.search(left, max(0, at - RATE_BEFORE_RESPECTIVELY), at):
        return Subject(left, None)  # 工业增加值、工业投资年均分别增长5.9%、6.7%: yearly averages over a span
    # (城镇、农村居民收入分别增长: 城镇居民收入 is written out as the growth cue 城镇居民收入增长 names it)
    subject = _written_out(c, parts, nth, lambda w: bool(c.metrics_of.get(w) or c.metrics_of.get(w + verb.group(1))))
    growth = _unit_match(c.metrics_of.get(subject + verb.group(1), []), unit)
    # the words before the first subject's cue are shared by the list (开发区规上工业增加值、工业投资)
    # unless both subjects end in the same cue, which those words then tell apart (基础设施投资、工业投资)
    first_hits = _cue_hits(c, parts[0])
    shared_modifiers = parts[0][: first_hits[0][1]] if first_hits and first_hits[0][0] not in subject else ""
    if growth and not _narrowing(c, shared_modifiers[-PART_WINDOW:]):
        return Subject(subject + verb.group(1), growth, verb.group(1) in c.falling)  # 工业投资增长: a growth cue
    levels = [h for h in _cue_hits(c, subject) if c.metrics_of[h[0]]]
    if not levels:
        return None
    cue, start, end = levels[-1]
    if c.rate_words.search(subject, end):
        return Subject(subject, None)  # 游客人均花费…增长5.4%: the average after the cue is what grew
    return _growth_of(c, cue, verb.group(1), subject[max(0, start - PART_WINDOW): start], unit)


def _narrowing(c: Cues, before: str) -> list[str]:
    """The modifiers right before a cue that narrow it to a part (农村党员, 交通固定资产投资).
    Only words of the cue's own noun phrase count: not past a clause break, a list comma or
    a number (…2.5%以上），全体居民…), nor the one a benefit goes to (为企业减税降费); a count of
    units ending the words (84家滑雪场) narrows it to theirs."""
    counted = c.counted_units.search(before)  # 84家滑雪场接待游客…，同比增长: those units' part
    phrase_start = c.phrase_break.match(before)
    if phrase_start:
        before = before[phrase_start.end():]
    before = c.counting_bodies.sub(lambda body: " " * len(body.group()), before)  # 纪检监察机关立案: all cases
    return ([counted.group()] if counted else []) + [
        m.group() for m in c.part_before.finditer(before)
        if (len(m.group()) > 1 or m.end() == len(before)) and not before.endswith(c.beneficiary, 0, m.start())]


def _growth_of_previous_subject(c: Cues, text: str, sentence_start: int, clause_start: int, left: str,
                                unit: str) -> Subject | None:
    """地区生产总值达到4.3万亿元，增长5.5%: a growth rate whose clause names no subject
    is the growth of the subject named last before it in the sentence, unless the clause right
    before it is a subject of its own and its figure (其中：税收收入701.77亿元，下降1.8%)."""
    verb = c.growth_verb.search(left)
    if verb is None or unit not in c.rate_units:
        return None
    earlier = [h for h in _cue_hits(c, text[sentence_start:clause_start]) if c.metrics_of[h[0]]]
    if not earlier:
        return None
    if c.respectively in left:
        return None  # 分别增长3.7%和7.2%: growth of several subjects
    preceding = text[sentence_start:clause_start]
    base, base_start, base_end = earlier[-1]
    if preceding.startswith(c.modified_heads, base_end):
        return None  # 固定资产投资建设项目605个，比上年下降27.8%: the projects fell, not the investment
    previous = text[_previous_clause_start(c, text, sentence_start, clause_start): clause_start]
    opening, *after = NUMBER_RUN.split(previous.rstrip(c.clause_break_chars + " "), 1)
    names_its_own = (bool(after) and len(after[0]) <= UNIT_TAIL_CHARS and not _cue_hits(c, opening)
                     and c.elided.fullmatch(opening) is None and not opening.startswith(c.change_openers))
    if names_its_own and sentence_start + base_end <= clause_start - len(previous):
        # …，其中：税收收入701.77亿元，下降1.8%: the clause before is a subject and its figure, no more
        # (not 连续30年居内地城市首位，同比增长13.9%; 是全国首个突破13万亿元的省份，…)
        return None
    return _growth_of(c, base, verb.group(1), preceding[max(0, base_start - PART_WINDOW): base_start], unit)


def _growth_in_clause(c: Cues, left: str, hits: list[tuple[str, int, int]], unit: str) -> Subject | None:
    """中国2020年的固定资产投资按年增长2.9%: a level's cue, a growth opener and a growth verb
    right before a rate, where no growth cue is written as one word."""
    if unit not in c.rate_units:
        return None
    for cue, start, end in reversed(hits):
        verb = c.growth_tail.fullmatch(left, end) if c.metrics_of[cue] else None
        if verb is not None:
            return _growth_of(c, cue, verb.group(1), left[max(0, start - PART_WINDOW): start], unit)
    return None


def _respective_growth_of_previous(c: Cues, text: str, sentence_start: int, clause: tuple[int, int], left: str,
                                   unit: str) -> Subject | None:
    """城乡居民人均可支配收入分别达6.9万元、3.4万元，分别增长4.6%和6.1%: rates after 分别 in a
    clause of their own are the growths of the subjects an earlier clause listed before 分别;
    so are rates listed after a growth verb with 分别 left unsaid (…，增长4.2%、5.3%), and the
    parts of a compound subject listed with 分别 left unsaid (城乡居民人均可支配收入完成2.57万元和
    1.68万元，分别增长9%和9.8%)."""
    own = left.lstrip()
    preceding = text[sentence_start:clause[0]]
    if c.respectively in preceding:
        subjects = preceding[: preceding.rindex(c.respectively)]
    elif any(compound in preceding for compound in c.respective_compounds) and len(NUMBER.findall(preceding)) >= 2:
        subjects = NUMBER_RUN.split(preceding, 1)[0]
    else:
        return None
    if not own.startswith(c.respectively):
        if not c.growth_verb.match(own) or len(NUMBER.findall(text, clause[0], clause[1])) < 2:
            return None
        own = c.respectively + own
    last_break = c.last_clause_break.match(subjects)
    if last_break:
        subjects = subjects[last_break.end():]
    return _respective_growth(c, subjects + own, unit)


def _fall_of_growth_cue(c: Cues, left: str, unit: str) -> Subject | None:
    """进出口下降5.4%: a fall written with the words of a growth cue whose verb rises
    (进出口增长), where those words are no level's cue of their own: negative growth."""
    return _split_growth_cue(c, left, unit, c.fall_tail.search(left), c.rising, falls=True)


def _growth_cue_across_openers(c: Cues, left: str, unit: str) -> Subject | None:
    """居民消费价格同比上涨0.2%: the words of a growth cue (居民消费价格上涨) with a growth opener
    between its subject and its verb, where the subject is no level of the catalog."""
    tail = c.opened_growth_tail.search(left)
    return _split_growth_cue(c, left, unit, tail, (tail.group(1),) if tail else (), falls=False)


def _split_growth_cue(c: Cues, left: str, unit: str, tail: re.Match[str] | None, cue_verbs: tuple[str, ...],
                      falls: bool) -> Subject | None:
    """The growth cue whose words before its verb (one of `cue_verbs`) end `left` up to `tail`,
    the verb and what stands before it (同比下降, 同比上涨), narrowed by a part modifier or not."""
    if tail is None or unit not in c.rate_units:
        return None
    before = left[: tail.start()]
    for cue in c.longest_first:
        verb = next((v for v in cue_verbs if cue.endswith(v)), None)
        head = cue[: -len(verb)] if verb else ""
        if (head and before.endswith(head) and (metric := _unit_match(c.metrics_of[cue], unit))
                and (cue not in c.opening_only or _opens_clause(c, before, len(before) - len(head)))):
            modifiers = before[max(0, len(before) - len(head) - PART_WINDOW): len(before) - len(head)]
            return Subject(head + left[tail.start():].strip(), None if _narrowing(c, modifiers) else metric, falls)
    return None


def _growth_of(c: Cues, base: str, change: str, modifiers: str, unit: str) -> Subject:
    """The growth of what a level's cue names (`change`: the growth verb; `modifiers`: the
    words right before the cue)."""
    subject = base + change
    if _narrowing(c, modifiers) or c.rate_words.search(modifiers) or c.per_unit.search(modifiers):
        # 全国铁路…固定资产投资…，同比增长6%; 人均国内生产总值…，增长5.7%: a part's or an average's growth
        return Subject(subject, None)
    falls = change in c.falling  # 固定资产投资下降: negative growth
    base_metrics = {m.id for m in c.metrics_of[base]}
    # the growth of the level the base names, by the catalog (经济总量…增长: gdp_growth)
    growth = _unit_match([g for m in sorted(base_metrics) for g in c.growth_metrics.get(m, [])], unit)
    if growth and change in c.rate_verbs:
        return Subject(subject, growth, falls)
    # else the longest growth cue whose subject part ends the base and names the same metric:
    # 地区生产总值 → 生产总值增长; but 城镇居民人均可支配收入 is not 人均可支配收入. A fall is
    # the growth its cue names with a rising verb (固定资产投资下降 → 固定资产投资增长).
    for cue in c.longest_first:
        verb = next((v for v in (c.rising if falls else (change,)) if cue.endswith(v)), None)
        head = cue[: -len(verb)] if verb else ""
        if head and base.endswith(head) and base_metrics & {m.id for m in c.metrics_of.get(head, [])}:
            metric = _unit_match(c.metrics_of[cue], unit)
            if metric:
                return Subject(subject, metric, falls)
    return Subject(subject, None)


def _increment_opens_clause(c: Cues, text: str, clause_start: int, previous_end: int, fig: Candidate) -> bool:
    """新增公办幼儿园托班托额3630个; 新增养老床位2.5万张、托育机构托额8.1万个: does an increment
    marker opening the clause hold for this count, in the clause's first item or listed after it
    naming no change of its own? Not where the marker is a word of the first item's cue
    (新增城镇就业8.55万人、农村劳动力转移就业86万人)."""
    when = c.elided.match(text, clause_start)  # 2025年，…: the words of when before the marker
    opening = when.end() if when else clause_start
    if fig.unit in c.rate_units or not text.startswith(c.increment, opening):
        return False
    if opening < previous_end <= fig.start:
        item = text[previous_end: fig.start]
        if (not item.startswith(c.list_comma) or any(w in item for w in c.increment)
                or c.growth_verb.search(item) is not None):
            return False
    first_item = NUMBER_RUN.split(text[opening: fig.start], 1)[0]
    return not any(start == 0 for _, start, _ in _cue_hits(c, first_item))


def _names_another_item(c: Cues, since_previous: str, fig: Candidate) -> bool:
    """Do the words between the figure before and this one, in one clause, name something
    else (、种草), rather than repeat when and how (、增长, 、今年预计突破)?"""
    # (…和16935元分别提高到: 分别 leads the change of the subjects listed before)
    words = since_previous.strip(c.subject_edge_chars + c.conjunction_chars).removeprefix(c.respectively)
    return (len(words) >= 2 and all(map(is_cjk, words))
            and c.growth_verb.search(words) is None and c.elided.fullmatch(words) is None)


def completed_head(k: Knowledge, text: str, clause: tuple[int, int], fig: Candidate, item_start: int,
                   items: list[tuple[int, int]]) -> Subject | None:
    """粮食播种面积3320万亩、产量1285万吨以上; 地方一般公共预算收入增长2.3%、支出首次超过7000亿元; 接待游客
    3亿人次、总花费超过4500亿元; 我国粮食生产…再获丰收，产量首次突破1.4万亿斤: an item whose words
    name only a head noun leaves its modifier to the words before it (`items`: the words of the
    items before it in the sentence, the latest first; see figures._items_before). The figure is the
    cue that head ends (粮食产量, 一般公共预算支出) whose modifier the item before holds; a level head
    (新登记经营主体320万户、增长13%，总量达…) is the level of the cue that the latest item naming one
    of this unit counts."""
    c = cues(k)
    own = trim_subject(c, text[max(clause[0], item_start): fig.start].lstrip(c.list_separators + " "))
    if (not own or len(own) > HEAD_CHARS or not all(map(is_cjk, own)) or _cue_hits(c, own)
            or c.growth_verb.fullmatch(own)):
        return None  # (…、增长25.8%: a verb alone names no head)
    if own in c.level_heads:
        # the level of the cue an item before counts (…经营主体18.1万户), not of one earlier in it
        for words in (text[start: end] for start, end in items):
            hit = _last_fitting(c, _cue_hits(c, words), fig.unit)
            if hit is not None:
                break
        else:
            return None
        if c.rate_words.search(words, hit[1], hit[2]) or c.elided.fullmatch(words[hit[2]:]) is None:
            return None
        cue, start, _ = hit
        metrics = c.metrics_of[cue]
        narrowed = _narrows(c, words[max(0, start - PART_WINDOW): start], [m for m in metrics if m.counts_in(fig.unit)])
        return None if narrowed else Subject(cue + own, _unit_match(metrics, fig.unit))
    words = text[items[0][0]: items[0][1]]
    best: tuple[tuple[int, int], str, str] | None = None
    for cue in c.cues_by_head.get(own, ()):
        if metric := _unit_match(c.metrics_of[cue], fig.unit):
            modifier = cue[: -len(own)]
            at = words.rfind(modifier)
            if at >= 0 and (best is None or (at + len(modifier), len(cue)) > best[0]):
                best = ((at + len(modifier), len(cue)), cue, metric)
    if best is None:
        return None
    (end, _), cue, metric = best
    modifier_start = end - (len(cue) - len(own))
    if _narrowing(c, words[max(0, modifier_start - PART_WINDOW): modifier_start]) or (
            c.rate_words.search(own) and not _is_rate_cue(c, cue)):
        return None
    return Subject(cue, metric)


def is_part_of_previous(k: Knowledge, text: str, clause_start: int) -> bool:
    """Does the clause open with 其中, or follow a clause of 其中 alone (…共137人，其中党员76人;
    …。其中，国内游客…)?"""
    c = cues(k)
    before = text[max(0, clause_start - PART_OPENER_CHARS): clause_start].rstrip(c.clause_break_chars + " ")
    return text.startswith(c.part_of_previous, clause_start) or before.endswith(c.part_of_previous)


def is_change(k: Knowledge, text: str, clause_start: int) -> bool:
    """Does the clause open with a comparison (比上年增加3.8万个, 同比增长): a change, no group?"""
    return text.startswith(cues(k).change_openers, clause_start)


def subject_is_elided(k: Knowledge, text: str, clause_start: int, fig: Candidate) -> bool:
    """今年预计突破100万元: the clause says when and how, but not what."""
    return cues(k).elided.fullmatch(text[clause_start: fig.start]) is not None


def _is_rate_cue(c: Cues, cue: str) -> bool:
    return any(r in cue for r in c.rate)
