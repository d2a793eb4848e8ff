"""Find the figures in a document's analysis text: number, unit, qualifier, and, through
the subject and timing decisions, subject, metric, year and period kind. Regions are
attached afterwards (pipeline.engine.place).

Pure functions over one Reading (pipeline.engine.text). The analysis text is simplified
and half-width but has the same length as the document text, so every offset found here
points into the document as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pipeline.engine import subject as subjects
from pipeline.engine import timing
from pipeline.engine.numbers import numerals, parse_number
from pipeline.engine.segment import containing
from pipeline.engine.structure import Heading
from pipeline.engine.text import Reading
from pipeline.knowledge import ANNUAL_AVERAGE, YEAR_TO_DATE, Knowledge, derived, word_pattern
from pipeline.records import Candidate

MAX_QUOTE_CHARS = 160


@dataclass(frozen=True)
class Grammar:
    figure: re.Pattern[str]
    figure_start: re.Pattern[str]
    fraction_word: str
    fraction_whole: re.Pattern[str]   # .search(text, lo, at): the whole ending where the fraction word starts
    fraction_part: re.Pattern[str]    # .match(text, after the fraction word): the part and a qualifier
    slash_fraction: re.Pattern[str]
    fraction_slash: str
    tenths_word: str
    slash_max_whole: int
    cheng: re.Pattern[str]
    before_word: re.Pattern[str]  # a qualifier word ending where it is searched up to
    before_chars: int
    qualifier_of: dict[str, str]
    unit_of: dict[str, str]
    unit_factor: dict[str, float]
    blocked_after: dict[str, tuple[str, ...]]
    non_figure: re.Pattern[str]
    max_quoted: int
    min_cjk_chars: int
    digits: dict[str, int]
    number_chars: frozenset[str]
    range_low: re.Pattern[str]  # searched up to a number: a range's lower bound and separator end there
    range_not_after: tuple[str, ...]
    multipliers: str
    magnitudes: frozenset[str]  # 十, 百, 千, 万, 亿: alone after a qualifier (不足千元) a rough amount
    percent_unit: str
    bare_amount: re.Pattern[str]  # a number ending in 万 or 亿 with no measure word (迈上5万亿台阶, 超千亿)
    implied_unit: str             # the unit such an amount has when its subject names a metric of it
    implied_person_unit: str      # …or when the words before it speak of people
    person_words: re.Pattern[str]
    person_noun_after: re.Pattern[str]  # .match(the noun phrase after it): 农村贫困人口, 保定人民
    money_words: re.Pattern[str]        # 预算, 拨款: a clause about public money
    units_named_before: tuple[str, ...]  # 出游人次56.15亿: the subject's last word is the unit
    verb_before_implied_unit: re.Pattern[str]  # .search(text, lo, start): 达 in 总人次达23.84亿
    implied_unit_verb_chars: int        # the longest of those verbs
    open_quote: str             # a number inside a short quotation is part of a name (“两个维护”)
    close_quote: str


PERSON_NOUN_MODIFIER_CHARS = 7  # 718.6万建档立卡贫困人口: the modifiers before a person noun after a bare amount

# one space between a number and its unit (169.3 亿元, 1346606 人): text converted from PDF
SPACE_BEFORE_UNIT = "(?:[ \u00a0])?"


@derived
def grammar(k: Knowledge) -> Grammar:
    units, quals, nonfig, numbers = k.words("units"), k.words("qualifiers"), k.words("non_figures"), k.words("numbers")
    n = numerals(k)
    chars = re.escape(n.numeral_chars)
    multipliers = re.escape(n.multiplier_chars)
    # Arabic groups never touch each other (a CJK numeral sits between them), so the
    # pattern has one way to read a run of digits and cannot backtrack exponentially.
    # Digits are ASCII here (normalize makes full-width ones half-width), and `re` scans
    # for [0-9] about twice as fast as for \d, which tests every character's category.
    arabic = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
    number = rf"(?:{arabic}(?:[{chars}]+{arabic})*[{chars}]*|[{chars}]+(?:{arabic}[{chars}]+)*(?:{arabic})?)"
    before = [w for ws in quals["before"].values() for w in ws]
    inner = [w for ws in quals["inner"].values() for w in ws]
    after = [w for ws in quals["after"].values() for w in ws]
    qualifier_of = {}
    for part in ("before", "inner", "after"):
        for kind, words in quals[part].items():
            for w in words:
                qualifier_of[f"{part}:{w}"] = kind
    unit_words = list(units["canonical"])
    # every pattern starts with the number's first character, which lets the regex engine
    # skip ahead fast; what precedes the number (a qualifier word such as 近500名, or more
    # digits) is looked at afterwards
    figure = re.compile(
        rf"(?P<num>{number}){SPACE_BEFORE_UNIT}"
        rf"(?P<inner>{word_pattern(inner)})?(?P<mult>[{multipliers}]{{0,2}})"
        rf"(?P<unit>{word_pattern(unit_words)})(?P<after>{word_pattern(after)})?"
    )
    slash = re.escape(numbers["fraction_slash"])
    slash_fraction = re.compile(rf"(?<![0-9.{slash}])(?P<num>(?P<part>[1-9][0-9]?){slash}(?P<whole>[1-9][0-9]?))"
                                rf"(?![0-9.{slash}])(?P<after>{word_pattern(after)})?")
    blocked = "".join(units["cheng_blocked_after"])
    # the look-behind sits after the first character (two wide, over the digit itself) so
    # that the pattern starts with a character class, which `re` scans for in C
    cheng = re.compile(
        rf"(?P<num>[{numbers['tenths_digits']}])(?<![0-9.{chars}].){re.escape(numbers['tenths_word'])}"
        rf"(?P<ones>[{numbers['tenths_ones']}](?![0-9.{chars}]))?(?![{blocked}])(?P<after>{word_pattern(after)})?"
    )
    # one search for all the patterns (whether any matches is all that is asked)
    non_figure = re.compile("|".join(f"(?:{p.replace('{n}', chr(0))})" for p in nonfig["patterns"]))
    # what can stand between a figure's start and its unit: number, 余/多, 万/亿
    reach = rf"[0-9{chars},. {re.escape(''.join(inner))}{multipliers}]"
    return Grammar(
        figure=figure,
        # where a figure may start: the first character of a run of number characters with
        # a unit word within reach. The look-behind sits after that character (two wide)
        # so that the pattern starts with a character class, which `re` scans for in C.
        figure_start=re.compile(rf"[0-9{chars}](?<![0-9{chars}].)(?={reach}*?(?:{word_pattern(unit_words)}))"),
        fraction_word=numbers["fraction_word"],
        fraction_whole=re.compile(rf"(?P<num>{number})\Z"),
        fraction_part=re.compile(rf"(?P<num>{number})(?P<after>{word_pattern(after)})?"),
        slash_fraction=slash_fraction,
        fraction_slash=numbers["fraction_slash"],
        tenths_word=numbers["tenths_word"],
        slash_max_whole=int(numbers["slash_fraction_max_whole"]),
        cheng=cheng,
        before_word=re.compile(rf"(?:{word_pattern(before)})\Z"),
        before_chars=max(map(len, before)),
        qualifier_of=qualifier_of,
        unit_of=dict(units["canonical"]),
        unit_factor={k: float(v) for k, v in units["unit_factors"].items()},
        blocked_after={k: tuple(v) for k, v in units["blocked_after"].items()},
        non_figure=non_figure,
        max_quoted=int(nonfig["max_quoted_name_chars"]),
        min_cjk_chars=int(numbers["min_chinese_numeral_chars"]),
        digits=dict(numbers["digits"]),
        number_chars=frozenset("0123456789." + n.numeral_chars),
        # the lower bound, its unit written again or not (5%—5.5%, 40万—50万人, 5至10亿元)
        range_low=re.compile(rf"(?P<low>{number})(?P<mult>[{multipliers}]{{0,2}})(?P<unit>{word_pattern(unit_words)})?\s*"
                             rf"(?:{word_pattern(numbers['range_separators'])})\s*\Z"),
        range_not_after=tuple(numbers["range_not_after"]),
        multipliers=n.multiplier_chars,
        magnitudes=frozenset(numbers["small_units"]) | frozenset(numbers["big_units"]),
        percent_unit=units["percent_unit"],
        # ending in 万 or 亿, and followed by no digit nor numerals that go on counting (but a
        # count after it may follow: 连续迈上4万亿、5万亿两个台阶)
        bare_amount=re.compile(rf"(?P<num>{number})(?<=[{multipliers}])(?![0-9]|[{chars}][0-9{chars}])"),
        implied_unit=units["implied_amount_unit"],
        implied_person_unit=units["implied_person_unit"],
        person_words=re.compile(word_pattern(units["implied_person_words"])),
        person_noun_after=re.compile(rf"[^0-9{re.escape(''.join(nonfig['quotes']))}]{{0,{PERSON_NOUN_MODIFIER_CHARS}}}?"
                                     rf"(?:{word_pattern(units['implied_person_nouns'])})"
                                     rf"(?!{word_pattern(units['implied_person_noun_word_ends'])})"),
        money_words=re.compile(word_pattern(units["implied_money_words"])),
        units_named_before=tuple(units["implied_units_named_before"]),
        verb_before_implied_unit=re.compile(rf"(?:{word_pattern(units['implied_unit_verbs'])})\Z"),
        implied_unit_verb_chars=max(map(len, units["implied_unit_verbs"])),
        open_quote=nonfig["quotes"][0],
        close_quote=nonfig["quotes"][1],
    )


def _span(g: Grammar, text: str, m: re.Match[str], unit: str, value: float,
          inner: str | None, after: str | None) -> Candidate:
    """A candidate with its qualifier: a word before the number (近, 约, 超过), between
    number and unit (`inner`: 余, 多) or after the unit (`after`: 以上, 左右)."""
    return _candidate(g, text, (m.start(), m.end()), (m.start("num"), m.end("num")), unit, value, inner, after)


def _candidate(g: Grammar, text: str, span: tuple[int, int], number: tuple[int, int], unit: str, value: float,
               inner: str | None, after: str | None) -> Candidate:
    start, end = span
    # the leftmost word ending at the number is the longest one there
    before = g.before_word.search(text, max(0, start - g.before_chars), start)
    qualifier, bound = "exact", False
    if before:
        start = before.start()
        qualifier = g.qualifier_of[f"before:{before.group()}"]
    elif inner:
        qualifier = g.qualifier_of[f"inner:{inner}"]
    elif after:
        qualifier = g.qualifier_of[f"after:{after}"]
    if after:
        bound = g.qualifier_of[f"after:{after}"] != "about"  # 以上/以下: a bound
    return Candidate(start=start, end=end, num_start=number[0], num_end=number[1],
                     value=value, unit=unit, qualifier=qualifier, bound=bound)


def _is_name_or_slogan(g: Grammar, text: str, num_start: int, num_end: int) -> bool:
    """Ordinals, set phrases and short quoted names that contain a number."""
    lo, hi = max(0, num_start - 12), min(len(text), num_end + 12)
    window = text[lo:num_start].rstrip() + "\x00" + text[num_end:hi].lstrip()  # 第 1 批: spaces of a PDF's text
    if g.non_figure.search(window):
        return True
    left = text.rfind(g.open_quote, max(0, num_start - g.max_quoted), num_start)
    if left >= 0 and g.close_quote not in text[left:num_start]:
        right = text.find(g.close_quote, num_end, num_end + g.max_quoted)
        if right >= 0 and right - left - 1 <= g.max_quoted:
            return True
    return False


def _figure_matches(g: Grammar, text: str) -> Iterator[re.Match[str]]:
    """What g.figure.finditer(text) yields, found faster: a figure starts with a number,
    so only the starts of runs of number characters are tried. When a run's first
    position does not start a figure, no later position of that run does (a number char
    put before a number still reads as a number). Most runs (years, 一 in 进一步) have no
    unit within reach, which g.figure_start sees at once, while the figure pattern would
    try every split of the digits before failing. (No unit word ends in a number
    character, so a figure never ends inside a run.)"""
    pos = 0
    while start := g.figure_start.search(text, pos):
        m = g.figure.match(text, start.start())
        if m:
            yield m
            pos = m.end()
        else:
            pos = start.end()


def _number_candidates(k: Knowledge, g: Grammar, text: str) -> list[Candidate]:
    """Spans that read as a number with a measure word, before any context check."""
    out = []
    for m in _figure_matches(g, text):
        start = m.start()
        if start and text[start - 1] in g.number_chars:
            continue  # the tail of a longer number that is no figure (2022年…)
        num, inner, mult, unit_word, after = m.group("num", "inner", "mult", "unit", "after")
        if (len(num) < g.min_cjk_chars and not num.isdigit() and not inner
                and not (num in g.magnitudes and g.before_word.search(text, max(0, start - g.before_chars), start))):
            continue  # 一个, 两家: a lone numeral is a word's part; 十余万人, 百余家, 不足千元, 近万人 are counts
        if text.startswith(g.blocked_after.get(unit_word, ()), m.end("unit")):
            continue
        counts_on = len(num) >= 2 and num[-2] in g.multipliers and not num[-1].isascii() and num[-1] in g.digits
        if counts_on and any(ch.isascii() and ch.isdigit() for ch in num):
            continue  # 5万亿两个台阶: an amount in digits, then a count of such amounts, no 5万亿零二
        value = parse_number(k, num)
        if value is None:
            continue
        unit_factor = g.unit_factor.get(unit_word, 1.0)
        value *= ((parse_number(k, mult) or 1.0) if mult else 1.0) * unit_factor
        c = _span(g, text, m, g.unit_of[unit_word], value, inner, after)
        out.append(_with_range(k, g, text, c, num + mult, unit_factor))
    taken = {c.num_start for c in out}
    for m in g.bare_amount.finditer(text):
        num = m.group("num")
        qualified = g.before_word.search(text, max(0, m.start() - g.before_chars), m.start()) is not None
        lone = len(num) < g.min_cjk_chars and not qualified  # 万元生产总值: a word's part
        if m.start() in taken or lone or (value := parse_number(k, num)) is None:
            continue  # 5万亿 read as no figure of a unit (迈上5万亿台阶): an amount whose unit its subject says
        out.append(replace(_span(g, text, m, g.implied_unit, value, None, None), unit_implied=True))
    out = _shared_tails(k, g, text, out)
    out.extend(_fractions(k, g, text))
    # (each pattern tried only when its mark is in the text: `in` finds it in C, while the
    # pattern would be tried at every digit)
    for m in g.slash_fraction.finditer(text) if g.fraction_slash in text else ():
        part, whole = int(m.group("part")), int(m.group("whole"))
        if part < whole <= g.slash_max_whole and m.start() and _is_ideograph(text[m.start() - 1]):
            out.append(_span(g, text, m, g.percent_unit, part * 100 / whole, None, m.group("after")))
    for m in g.cheng.finditer(text) if g.tenths_word in text else ():
        value = _digit(g, m.group("num")) * 10 + (_digit(g, m.group("ones")) if m.group("ones") else 0)
        out.append(_span(g, text, m, g.percent_unit, float(value), None, m.group("after")))
    return out


def _shared_tails(k: Knowledge, g: Grammar, text: str, found: list[Candidate]) -> list[Candidate]:
    """连续迈上100万、110万、120万和130万亿元: amounts listed before one that writes more
    multipliers and a unit take them too (110万 is 110万亿元), as a range's lower bound does."""
    joiners = subjects.cues(k).conjunction_chars  # 、和及与
    out = sorted(found, key=lambda c: c.start)
    last = None  # the amount with a unit that ends the list the current one belongs to
    for i in range(len(out) - 1, -1, -1):
        c = out[i]
        if not c.unit_implied:
            last = c
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        between = text[c.end: nxt.start].strip() if nxt else ""
        if last is None or len(between) != 1 or between not in joiners:
            last = None
            continue
        mine = _trailing_multipliers(g, text[c.num_start: c.num_end])
        theirs = _trailing_multipliers(g, text[last.num_start: last.num_end])
        if mine and len(theirs) > len(mine) and theirs.startswith(mine):
            factor = parse_number(k, "1" + theirs[len(mine):])
            if factor:
                out[i] = replace(c, value=c.value * factor, unit=last.unit, unit_implied=False)
    return out


def _trailing_multipliers(g: Grammar, num: str) -> str:
    return num[len(num.rstrip(g.multipliers)):]


def _fractions(k: Knowledge, g: Grammar, text: str) -> Iterator[Candidate]:
    """Shares written in words, as percentages: 百分之五十, 三分之一, 千分之13.3. Found from the
    fraction word, which is rare, rather than tried at every number."""
    at = text.find(g.fraction_word)
    while at >= 0:
        whole = g.fraction_whole.search(text, max(0, at - FRACTION_WHOLE_CHARS), at)
        part = g.fraction_part.match(text, at + len(g.fraction_word))
        if whole and part:
            w, p = parse_number(k, whole.group("num")), parse_number(k, part.group("num"))
            if w and p is not None:
                yield _candidate(g, text, (whole.start(), part.end()), (whole.start(), part.end("num")),
                                 g.percent_unit, p * 100 / w, None, part.group("after"))
        at = text.find(g.fraction_word, at + 1)


FRACTION_WHOLE_CHARS = 8  # how far before 分之 its whole may start (百, 千, 三, 1000)


def _digit(g: Grammar, ch: str) -> int:
    return int(ch) if ch.isdigit() and ch.isascii() else g.digits[ch]


def _is_ideograph(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo"


RANGE_REACH = 16  # characters before a number where its range's lower bound may start


def _with_range(k: Knowledge, g: Grammar, text: str, c: Candidate, upper: str, unit_factor: float) -> Candidate:
    """The candidate widened to a range written before it (5至10亿元: 5亿元, qualifier over,
    or about after 约), or as it is. `upper`: the number as written, multipliers included."""
    if c.start != c.num_start:
        return c  # a qualifier word before the number: no range
    m = g.range_low.search(text, max(0, c.num_start - RANGE_REACH), c.num_start)
    if m is None or (m.start() and text[m.start() - 1] in g.number_chars):
        return c
    if text.endswith(g.range_not_after, 0, m.start()):
        return c  # 从6.5万到100多万元: a change
    if m.group("unit") and (g.unit_of[m.group("unit")] != c.unit or m.group("unit") in g.unit_factor):
        return c  # 5万元至3亿元 is no range of one unit
    written = m.group("low") + m.group("mult")
    if written[-1] not in g.multipliers:  # 5至10亿元: the upper number's 亿 holds for both
        written += upper[len(upper.rstrip(g.multipliers)):]
    low = parse_number(k, written)
    if low is None:
        return c
    low *= unit_factor
    if low > c.value:
        return c  # not a range from low to high
    before = g.before_word.search(text, max(0, m.start() - g.before_chars), m.start())
    about = before is not None and g.qualifier_of[f"before:{before.group()}"] == "about"
    return replace(c, start=before.start() if before else m.start(), value=low,
                   qualifier="about" if about else "over")


def _is_embedded(text: str, c: Candidate) -> bool:
    """Part of a code, formula or name: A3, 1+N, COVID-19, 5G (the dash of a range, 40万-50万人,
    is no code's: a range is looked at before its lower bound; a digit after a unit written in
    characters starts the next figure: 投资593亿元28个重点项目)."""
    is_range = any(ch.isdigit() for ch in text[c.start:c.num_start])
    at = c.start if is_range else c.num_start
    before = text[at - 1] if at else " "
    after = text[c.end] if c.end < len(text) else " "
    continues = after.isascii() and (after.isalpha() or (after.isdigit() and text[c.end - 1].isascii()))
    return (before.isascii() and (before.isalpha() or before in "+-/#×*_")) or continues


def quote_span(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The sentence around a figure, trimmed of white space and cut to a readable length."""
    lo, hi = sentence
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    if hi - lo > MAX_QUOTE_CHARS:
        lo = max(lo, start - MAX_QUOTE_CHARS // 2)
        hi = min(hi, end + MAX_QUOTE_CHARS // 2)
    return lo, hi


@dataclass(frozen=True)
class Found:
    """A figure as the engine finds it, before its place is decided."""
    candidate: Candidate
    text: str                   # as written in the document
    quote: str
    quote_start: int
    subject: str
    metric: str | None
    falls: bool                 # see Subject.falls
    year: int | None
    period_kind: str
    date: str | None


def find_figures(k: Knowledge, r: Reading) -> list[Found]:
    """Every figure in one document, in document order."""
    g = grammar(k)
    text, analysis = r.document.text, r.analysis
    repeats = _repeated_paragraphs(analysis, r.paragraphs)
    candidates = [
        c for c in _number_candidates(k, g, analysis)
        if not _is_embedded(analysis, c) and not _is_name_or_slogan(g, analysis, c.num_start, c.num_end)
        and not (repeats and _inside(repeats, c.start))
    ]
    candidates.sort(key=lambda c: (c.start, -c.end))  # a range before the figure of its lower bound
    sentences = r.sentences
    s = 0  # the sentence of the current candidate: candidates come in document order
    when = timing.document_time(k, analysis, r.present_year, r.published, r.paragraphs, r.sentences, r.headings)
    catalog = metric_kinds(k)

    def paragraph_start(offset: int) -> int:
        return when.paragraphs[containing(when.paragraphs, offset)]
    figures: list[Found] = []
    group: Found | None = None  # what a clause opening with 其中 is a part of
    last_end = -1
    for c in candidates:
        if c.start < last_end:
            continue  # overlapping readings: keep the first, longest-prefixed one
        previous_end, last_end = last_end, c.end
        while sentences[s][1] <= c.start:
            s += 1
        sentence = sentences[s]
        q_lo, q_hi = quote_span(analysis, sentence, c.start, c.end)
        clause = subjects.clause_bounds(k, analysis, sentence, c.start, c.end)
        subject = subjects.find_subject(k, analysis, sentence, clause, c, previous_end)
        clause_start = clause[0]
        last = figures[-1] if figures else None
        if (not subject.metric and not subject.subject and last and last.candidate.unit == c.unit
                and last.candidate.start >= paragraph_start(c.start)
                and subjects.subject_is_elided(k, analysis, clause_start, c)):
            subject = subjects.Subject(last.subject, last.metric)
        if not subject.metric:
            # 粮食播种面积…、产量1285万吨: a head noun whose modifier the item before wrote
            subject = subjects.completed_head(k, analysis, clause, c, previous_end,
                                              _items_before(figures, sentence, clause_start)) or subject
        named = c.unit_implied and _unit_named_before(g, analysis, c.start)
        if named and not subject.metric:
            c = replace(c, unit=named)  # 国内出游人次56.15亿: counted in the unit its subject ends in
            subject = subjects.find_subject(k, analysis, sentence, clause, c, previous_end)
        elif c.unit_implied and not subject.metric:
            read = _bare_amount(k, g, analysis, sentence, clause, c, subject, previous_end)
            if read is None:
                last_end = previous_end
                continue  # a bare 5万亿 whose subject names no amount of money nor people: no figure
            c, subject = read
        if (subject.metric and group and group.metric is None and group.candidate.unit == c.unit
                and sentence[0] <= group.candidate.start < clause_start
                and subjects.is_part_of_previous(k, analysis, clause_start)):
            # 医疗队共137人，其中党员76人: a part of a group that is no region's total
            subject = replace(subject, metric=None)
        if subject.metric and c.value == 1 and subjects.cues(k).any_number.search(analysis, c.end, clause[1]):
            subject = replace(subject, metric=None)  # 1名党员联系5名以上群众: the base of a ratio, no total
        time = timing.find_time(k, analysis, sentence, clause_start, when, c)
        part = (timing.partial_year(k, analysis, when, sentence, c.start, subject.metric in catalog.items)
                if subject.metric in catalog.flows else None)
        if part is not None:
            # 截至5月底…已发展党员186名: part of a year is no year's value, but the year so far is
            # the metric's year-to-date value, dated by its last month (1—5月 → 2025-05)
            so_far = k.variant(subject.metric, YEAR_TO_DATE) if part.from_january else None
            subject = replace(subject, metric=so_far)
            if so_far and part.last_month and time.year and not time.date:
                time = replace(time, date=f"{time.year}-{part.last_month:02d}")
        if (subject.metric in catalog.growths and subject.metric not in catalog.annual_averages
                and timing.compares_with_earlier_years(k, analysis, sentence, c.start, time.year)):
            subject = replace(subject, metric=None)  # 较“十三五”末…增长33.6%: a change over several years
        if subject.metric in catalog.annual_averages and time.period_kind != "target":
            time = replace(time, year=timing.span_end(k, analysis, sentence, c.start, time.year))
        if subject.metric and time.year is None:
            subject = replace(subject, metric=None)  # a text that does not say when: no year's value
        if subject.metric and (time.period_kind in ("stock", "flow")
                               or (subject.metric in catalog.span_variants and time.period_kind != "target")):
            # a level or a year's sum by what it measures, not by the verb beside it (全省有
            # 党员…，党组织…: both stocks; 全年接待游客…达到…: a flow); a span variant by its span
            time = replace(time, period_kind=catalog.period_kinds[subject.metric])
        if (subject.metric in catalog.flows and time.period_kind == "flow"
                and timing.in_review_of_years(k, analysis, when, sentence, c.start, c.end)):
            time = replace(time, period_kind="cumulative")  # 五年来…城镇新增就业265.15万人: the span's sum
        if (subject.metric and timing.held_each_year(k, analysis, c.start)
                and (time.period_kind == "cumulative" or timing.in_plan_span(k, analysis, sentence, c.start)
                     or (c.bound and timing.in_reviewed_span(when, c.start)))):
            # 五年来…年度投资保持1万亿元以上; “十四五”期间…粮食年产量稳定在1.3万亿斤以上: each year's level, no
            # sum (in a review of years, a floor held: 粮食产量稳定在800亿斤以上; but …在550亿斤左右 is the year's)
            subject = replace(subject, metric=None)
        if subject.metric in catalog.flows and c.unit in k.rate_units and time.period_kind == "cumulative":
            subject = replace(subject, metric=None)  # 五年来…农村居民人均可支配收入增长34.3%: growth over the span
        if not subjects.is_change(k, analysis, clause_start):
            group = None  # set below: the last figure that counts a group, not a change of one
        figures.append(Found(candidate=c, text=text[c.start: c.end], quote=text[q_lo:q_hi], quote_start=q_lo,
                             subject=subject.subject, metric=subject.metric, falls=subject.falls, year=time.year,
                             period_kind=time.period_kind, date=time.date))
        if group is None:
            group = figures[-1]
    return _headline_years(k, analysis, r.headings, _past_milestones(k, analysis, figures))


def _unit_named_before(g: Grammar, text: str, start: int) -> str | None:
    """The unit a bare amount's subject ends in, a verb between or not (国内出游人次56.15亿,
    国内旅游总人次达23.84亿)."""
    verb = g.verb_before_implied_unit.search(text, max(0, start - g.implied_unit_verb_chars), start)
    end = verb.start() if verb else start
    return next((u for u in g.units_named_before if text.endswith(u, 0, end)), None)


def _items_before(figures: list[Found], sentence: tuple[int, int], clause_start: int) -> list[tuple[int, int]]:
    """The words of each item before a figure in its sentence, the latest first: from the end of
    the figure before each one's (or the sentence's start) to its start; the sentence before the
    figure's clause when no figure stands there."""
    before = []  # the figures of the sentence before this one, the latest first
    for f in reversed(figures):
        if f.candidate.start < sentence[0]:
            break
        before.append(f.candidate)
    if not before:
        return [(sentence[0], clause_start)]
    item_starts = [c.end for c in before[1:]] + [sentence[0]]
    return [(item_start, c.start) for c, item_start in zip(before, item_starts, strict=True)]


def _bare_amount(k: Knowledge, g: Grammar, text: str, sentence: tuple[int, int], clause: tuple[int, int],
                 c: Candidate, subject: subjects.Subject,
                 previous_end: int) -> tuple[Candidate, subjects.Subject] | None:
    """A bare amount in 万 or 亿 whose subject names no amount of money: the people the words
    before or after it name (出生人口1200萬; 625万农村贫困人口全部脱贫, but 亿万人民 counts none), an
    amount of public money its sentence speaks of (撥款總共約300億: 元 left out), else no figure."""
    people = replace(c, unit=g.implied_person_unit)
    counted = subjects.find_subject(k, text, sentence, clause, people, previous_end)
    # 96万例, 1.75万澳门元 (but 回撥250億及…: a conjunction joins the next item)
    followed_by_word = (c.end < len(text) and _is_ideograph(text[c.end])
                        and text[c.end] not in subjects.cues(k).conjunction_chars)
    if followed_by_word:
        noun_after = subjects.noun_phrase_after(subjects.cues(k), text, c.end, clause[1])
        has_digits = any(ch.isdigit() or ch in g.digits for ch in text[c.num_start: c.num_end])
        named_people = has_digits and g.person_noun_after.match(noun_after)
        if named_people:
            return people, subjects.Subject(noun_after, None)
        # 政府擲812億紓困, 6億行政費: public money named right after the amount; 財赤2756億創新高: before
        # it in its clause, the amount ending its noun phrase (but 8506亿新谢克尔, 储备不足3亿桶: a
        # currency or a measure word the grammar does not know)
        money_after = g.money_words.match(text, c.end, clause[1])
        money_before = not noun_after and g.money_words.search(text, clause[0], c.start)
        return (c, subject) if money_after or money_before else None
    if counted.metric or g.person_words.search(text, clause[0], c.start):
        return people, counted
    return (c, subject) if g.money_words.search(text, *sentence) else None


REPEAT_MIN_CHARS = 20  # a line this long written again word for word is a second copy, not a second statement


def _repeated_paragraphs(text: str, paragraphs: list[int]) -> list[tuple[int, int]]:
    """The lines that repeat an earlier line of the document word for word: a page carrying
    its text twice (a desktop and a mobile copy of a rundown; a report printed again below
    the site's footer). Their figures are the first copy's: read again, a project's amount
    would be summed twice. Short lines (a headline's 同比增长5%) may repeat by chance."""
    seen: set[str] = set()
    repeats = []
    for start, end in zip(paragraphs, [*paragraphs[1:], len(text)], strict=True):
        line = text[start:end].strip()
        if len(line) < REPEAT_MIN_CHARS:
            continue
        if line in seen:
            repeats.append((start, end))
        seen.add(line)
    return repeats


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Is `offset` inside one of `spans` (in order, not overlapping)?"""
    i = containing([start for start, _ in spans], offset)
    return i >= 0 and offset < spans[i][1]


def _headline_years(k: Knowledge, text: str, headings: list[Heading], figures: list[Found]) -> list[Found]:
    """A heading that states no year (党员总数突破9000万) sums up the body under it: its figure
    is of the year the body gives the same metric (截至2018年12月31日，…党员总数为9059.4万名)."""
    year_mark = k.dates.year_mark
    out = list(figures)
    starts = [h.start for h in headings]

    def heading_of(at: int) -> int:
        h = containing(starts, at)
        return h if h >= 0 and at < headings[h].end else -1

    for i, f in enumerate(out):
        h = heading_of(f.candidate.start)
        if not f.metric or h < 0 or year_mark in text[headings[h].start: headings[h].end]:
            continue
        nxt = h + 1  # the body runs to the next heading after some text (past a dateline right under it)
        while nxt < len(headings) and not text[headings[nxt - 1].end: headings[nxt].start].strip():
            nxt += 1
        body_end = starts[nxt] if nxt < len(starts) else len(text)
        same = next((g for g in out[i + 1:] if headings[h].end <= g.candidate.start < body_end
                     and g.metric == f.metric and g.candidate.unit == f.candidate.unit
                     and heading_of(g.candidate.start) < 0), None)
        if same is not None and same.year != f.year:
            out[i] = replace(f, year=same.year)
    return out


def _past_milestones(k: Knowledge, text: str, figures: list[Found]) -> list[Found]:
    """In a list of rising levels of one metric (连续跨越7万亿、8万亿、9万亿元台阶; 接连突破8万亿元、
    9万亿元) only the last is the present value: the others were passed in earlier years. Not
    amounts of several subjects (交通、水利、能源领域投资额分别达2400亿元、450亿元、1700亿元)."""
    c = subjects.cues(k)
    joiners = c.list_separators + c.conjunction_chars + " "
    out = list(figures)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if (a.metric and a.metric == b.metric and a.candidate.unit == b.candidate.unit
                and b.candidate.value > a.candidate.value
                and not text[a.candidate.end: b.candidate.start].strip(joiners)
                and not _after_respectively(c, text, a.candidate.start)):
            out[i] = replace(a, metric=None)
    return out


RESPECTIVELY_REACH = 40  # how far back in its clause a 分别 may stand before a list of amounts


def _after_respectively(c: subjects.Cues, text: str, start: int) -> bool:
    lo = max(0, start - RESPECTIVELY_REACH)
    opening = c.last_clause_break.match(text, lo, start)
    return c.respectively in text[opening.end() if opening else lo: start]


# a figure's period_kind (SCHEMA) by its metric's period (metrics.yaml): an annual average over
# several years (`span`) is of the span ending its year, the year so far (`part_year`) within it
PERIOD_KIND_OF_METRIC = {"flow": "flow", "stock": "stock", "span": "cumulative", "part_year": "flow"}


@dataclass(frozen=True)
class MetricKinds:
    flows: frozenset[str]       # metrics summed over a year
    items: frozenset[str]       # metrics of many separate amounts (each project's investment)
    period_kinds: dict[str, str]  # metric id → the period_kind of its figures that are no target
    span_variants: frozenset[str]  # the span variants of flow metrics (gdp_growth_year_to_date)
    annual_averages: frozenset[str]  # of those, the averages over several years
    growths: frozenset[str]     # growth rates (gdp_growth) and their span variants


@derived
def metric_kinds(k: Knowledge) -> MetricKinds:
    return MetricKinds(flows=frozenset(m.id for m in k.catalog if m.period == "flow"),
                       items=frozenset(m.id for m in k.catalog if m.kind == "items"),
                       period_kinds={m.id: PERIOD_KIND_OF_METRIC[m.period] for m in k.catalog},
                       span_variants=frozenset(m.id for m in k.catalog if m.variant_of),
                       annual_averages=frozenset(m.id for m in k.catalog if m.variant == ANNUAL_AVERAGE),
                       growths=_growth_ids(k))


def _growth_ids(k: Knowledge) -> frozenset[str]:
    """The growth metrics of the catalog (growth_of set) and their span variants."""
    growths = {m.id for m in k.catalog if m.growth_of}
    return frozenset(growths | {m.id for m in k.catalog if m.variant_of in growths})
