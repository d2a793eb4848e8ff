"""Prepare one ingested document for reading: an analysis text (simplified, half-width,
the same length as the document's text, so every offset found in it points into the
document as written), its sentences, paragraphs and headings, and the header facts (title,
source, publication date, script, the year the text speaks from)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import opencc

from pipeline.engine.segment import containing, paragraph_starts, sentence_bounds
from pipeline.engine.structure import Heading, headings, is_bulletin
from pipeline.knowledge import Knowledge, derived, word_pattern
from pipeline.records import Document

HEADER_LINES = 12
HEADER_BLOCK_LINES = 30
HEADER_LINE_MAX_CHARS = 40
FOOTER_LINES = 6
DATELINE_REACH = 10  # lines after the header where a dateline may still stand
COMPARE_CHUNK = 256
IDEOGRAPHIC_SPACE = "\u3000"
INDENT = re.compile(r"^[ \t\u3000]+", re.MULTILINE)


@dataclass(frozen=True)
class Reading:
    """A document prepared for reading, with what its header says."""
    document: Document
    analysis: str                       # simplified, half-width, the document's length
    sentences: list[tuple[int, int]]
    paragraphs: list[int]               # where each line starts
    headings: list[Heading]
    title_analysis: str
    region_analysis: str | None         # the region given with the document, as analysis text
    header_analysis: str                # the short lines before the body
    dateline: str | None                # the place of a news dateline (新华网贵阳8月18日电 → 贵阳)
    script: str
    title: str
    source: str | None
    published: str | None
    published_how: str
    present_year: int | None
    present_year_how: str | None


@dataclass(frozen=True)
class TextForms:
    half_width: dict[int, int]          # full-width ASCII → half-width, one character for one
    full_width_run: re.Pattern[str]
    tag: re.Pattern[str]                # an HTML tag in the text; group `block`: one that breaks a line
    footnote_mark: re.Pattern[str]      # [2]: read as space
    sentence_marks: str
    first_sentence_end: re.Pattern[str]
    body_mark: str
    navigation: tuple[str, ...]
    source: re.Pattern[str]
    site_suffix: re.Pattern[str]
    dateline: re.Pattern[str]
    dateline_closer: re.Pattern[str]
    now_words: tuple[str, ...]
    dating_events: dict[str, int]
    converter: opencc.OpenCC


@derived
def forms(k: Knowledge) -> TextForms:
    t, h, p = k.words("text"), k.words("header"), k.words("periods")
    half = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    for keep in t["full_width_kept"]:
        half.pop(ord(keep), None)
    # str.translate looks every character up in the table; finding the rare full-width runs
    # with a character class first is several times faster. One class then a starred one
    # rather than `+`: a pattern that opens with a class lets `re` skip ahead in C
    cls = "[" + "".join(re.escape(chr(c)) for c in sorted(half)) + "]"
    alt = word_pattern
    return TextForms(
        half_width=half,
        full_width_run=re.compile(f"{cls}{cls}*"),
        tag=re.compile(rf"</?(?:(?P<block>{word_pattern(t['block_tags'])})|{word_pattern(t['inline_tags'])})"
                       r"\b[^<>\n]{0,200}>", re.IGNORECASE),
        footnote_mark=re.compile(t["footnote_mark"]),
        sentence_marks=t["sentence_marks"],
        first_sentence_end=re.compile(f"[{re.escape(t['full_stops'])}]"),
        body_mark=t["body_mark"],
        navigation=tuple(h["navigation_markers"]),
        source=re.compile(rf"(?:{alt(h['source_labels'])})\s*[{h['label_colons']}]\s*([^\s{h['name_ends']}]+)"),
        site_suffix=re.compile(rf"\s*[{re.escape(h['title_separators'])}]\s*\S*(?:{alt(h['site_name_endings'])})$"),
        dateline=re.compile(k.expand(rf"^\s*(?:\S{{0,8}}?(?:{alt(h['dateline_agency_endings'])}))?(\S{{2,6}}?)"
                                     rf"{{{{month_day}}}}(?:{alt(h['dateline_closers'])})")),
        dateline_closer=re.compile(k.expand(f"{{{{day_mark}}}}(?:{alt(h['dateline_closers'])})")),  # 日电, 日讯
        now_words=tuple(p["now_words"]),
        dating_events=dict(p["dating_events"]),
        converter=opencc.OpenCC("t2s"),
    )


def to_simplified(f: TextForms, text: str) -> str:
    """Traditional → simplified, keeping the length (offsets stay valid). OpenCC converts
    phrases; on the rare line where a phrase changes length, that line is converted
    character by character instead."""
    conv = f.converter
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):
        simple = conv.convert(line)
        if len(simple) != len(line):
            simple = "".join(ch if len(c := conv.convert(ch)) != 1 else c for ch in line)
        lines.append(simple)
    return "\n".join(lines)


def analysis_text(k: Knowledge, text: str) -> tuple[str, str]:
    """(analysis text, script): simplified and half-width, the same length as `text`."""
    f = forms(k)
    half = f.full_width_run.sub(lambda m: m.group().translate(f.half_width), text)
    if "<" in half:
        # markup read as the white space it renders as, one character for one
        half = f.tag.sub(lambda m: ("\n" if m.group("block") else " ") + " " * (len(m.group()) - 1), half)
    if "[" in half:
        half = f.footnote_mark.sub(lambda m: " " * len(m.group()), half)
    if IDEOGRAPHIC_SPACE in half:
        # kept between a title's phrases (a clause break there), but a line's indent is only space
        half = INDENT.sub(lambda m: " " * len(m.group()), half)
    simple = to_simplified(f, half)
    script = "traditional" if _differs_in_more_than(half, simple, max(3, len(text) // 200)) else "simplified"
    return simple, script


def _differs_in_more_than(a: str, b: str, limit: int) -> bool:
    """Do two strings of one length differ in more than `limit` characters? Compared
    chunk by chunk in C, counting character by character only inside chunks that
    differ, and stopping once the limit is passed."""
    if a == b:
        return False
    changed = 0
    for i in range(0, len(a), COMPARE_CHUNK):
        x, y = a[i: i + COMPARE_CHUNK], b[i: i + COMPARE_CHUNK]
        if x != y:
            changed += sum(map(str.__ne__, x, y))
            if changed > limit:
                return True
    return False


def _date_from(k: Knowledge, line: str) -> str | None:
    """The date a header or footer line gives (2023-05-27, 2023年5月27日; an issue's month)."""
    d = k.dates
    if (date := d.line_date(line)) is not None:
        return date
    m = d.issue.search(line)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None


def _is_nav(f: TextForms, line: str) -> bool:
    return len(line) < 6 or (any(mark in line for mark in f.navigation) and len(line) < 30)


def header_facts(k: Knowledge, lines: list[str]) -> tuple[str, str | None, str | None]:
    """(title, publication date, source) from the first and last lines of a text."""
    f = forms(k)
    head = [s for ln in lines[:HEADER_LINES] if (s := ln.strip())]
    foot = [s for ln in lines[-FOOTER_LINES:] if (s := ln.strip())]
    title = next((ln for ln in head if not _is_nav(f, ln) and not _date_from(k, ln)), head[0] if head else "")
    title = f.site_suffix.sub("", title)
    published = next((d for ln in head + foot if (d := _date_from(k, ln))), None)
    if published is None:
        # a page's menu lines push its date down: a line holding only a date, among the
        # lines a header block may hold (…首页\n要闻动态\n…\n2022-04-11 09:27)
        published = next((d for ln in lines[:HEADER_BLOCK_LINES] if (d := k.dates.line_date(ln, whole=True))), None)
    source = next((m.group(1) for ln in head if (m := f.source.search(ln))), None)
    return title[:200], published, source


def present_year(k: Knowledge, analysis: str, published: str | None, lines: list[str],
                 line_starts: list[int], bulletin: bool = False, title: str = "") -> tuple[int | None, str | None]:
    """The year the text speaks from, and how it was found.

    A title naming the year a report covers (2025年…统计公报) says it. Reports often appear
    after the period they cover (a January issue looking back on the year before, a case
    study of last year's campaign): when the text never names its publication year (nor
    says 今年), its present is the latest year it names. A bulletin's first item speaks for
    itself only: its lead year is no document's.
    """
    f = forms(k)
    if (covered := report_year(k, title)) is not None:
        return covered, "report title"
    pub_year = int(published[:4]) if published else None
    if pub_year is None:
        dated = [y for word, y in f.dating_events.items() if word in analysis]
        candidates = dated + [y for y in body_years(k, analysis, lines, line_starts) if y <= 2100]
        return (max(candidates), "inferred") if candidates else (None, None)
    lead = None if bulletin else lead_year(k, lines)
    if lead is not None and pub_year - 1 <= lead < pub_year:
        return lead, "lead year"  # 记者获悉，2024年，全省…: a report on the year before
    if any(w in analysis for w in f.now_words):
        return pub_year, "published"  # the text speaks of its own present (今年, 目前)
    earlier = [y for y in body_years(k, analysis, lines, line_starts) if y <= pub_year]
    if earlier and pub_year - 1 <= max(earlier) < pub_year:
        return max(earlier), "latest year named"
    return pub_year, "published"


def body_years(k: Knowledge, analysis: str, lines: list[str], line_starts: list[int]) -> list[int]:
    """The years named (2023年) outside the dated lines, which are header or footer: one
    scan of the whole text, with a pattern that cannot run across a line break."""
    dated: dict[int, bool] = {}  # by line: a long line naming several years is read once
    years = []
    for m in k.dates.year_mention.finditer(analysis):
        line = containing(line_starts, m.start())
        if line not in dated:
            dated[line] = _date_from(k, lines[line]) is not None
        if not dated[line]:
            years.append(int(m.group(1)))
    return years


def report_year(k: Knowledge, title: str) -> int | None:
    """The year a title says its report covers (2025年…统计公报, 二〇二五年…统计公报)."""
    m = k.dates.report_year.search(title)
    if m is None:
        return None
    if m.group(1):
        return int(m.group(1))
    digits = k.words("numbers")["digits"]
    return int("".join(str(digits[ch]) for ch in m.group(2)))


def lead_year(k: Knowledge, lines: list[str]) -> int | None:
    """The year that opens the first sentence of the body (…获悉，2024年，全省…), which then
    holds for the whole report."""
    f = forms(k)
    for line in lines:
        if len(line.strip()) <= HEADER_LINE_MAX_CHARS and f.body_mark not in line:
            continue  # a header line
        first = f.first_sentence_end.split(line, maxsplit=1)[0]
        m = k.dates.lead_year.search(first)
        return int(m.group(1)) if m else None
    return None


def read(k: Knowledge, doc: Document) -> Reading:
    """A document prepared for reading. Metadata given with the document (sidecar,
    manifest, HTML meta) wins over its header."""
    analysis, script = analysis_text(k, doc.text)
    lines = analysis.split("\n")
    paragraphs = paragraph_starts(analysis)
    title_found, published_found, source_found = header_facts(k, lines)
    published = doc.published or published_found
    heads = headings(k, analysis, paragraphs)
    title = doc.title or title_found
    title_analysis = analysis_text(k, title)[0]
    year, how = present_year(k, analysis, published, lines, paragraphs, is_bulletin(k, analysis, heads, paragraphs),
                             title_analysis)
    if not published and year is not None:
        published, published_how = str(year), "inferred from the text"
    else:
        published_how = "given" if doc.published else ("header" if published else "unknown")
    return Reading(
        document=doc,
        analysis=analysis,
        sentences=sentence_bounds(analysis, forms(k).sentence_marks),
        paragraphs=paragraphs,
        headings=heads,
        title_analysis=title_analysis,
        region_analysis=analysis_text(k, doc.region)[0] if doc.region else None,
        header_analysis=header_block(lines),
        dateline=dateline_place(k, lines),
        script=script,
        title=title,
        source=doc.source or source_found,
        published=published,
        published_how=published_how,
        present_year=year,
        present_year_how=how,
    )


def header_block(lines: list[str]) -> str:
    """The short lines before the body (title, subtitle, date, source, author; a page's menu
    lines before them too, hence more lines than the header facts look at)."""
    out = []
    for line in lines[:HEADER_BLOCK_LINES]:
        if len(line.strip()) > HEADER_LINE_MAX_CHARS:
            break
        out.append(line.strip())
    return "\n".join(out)


def dateline_place(k: Knowledge, lines: list[str]) -> str | None:
    """The place of a news dateline (新华网贵阳8月18日电 → 贵阳)."""
    f = forms(k)
    for line in lines[:HEADER_LINES + DATELINE_REACH]:
        if not f.dateline_closer.search(line):
            continue  # what every dateline ends with: most lines are done here
        m = f.dateline.match(line)
        if m:
            return m.group(1)
    return None
