"""Prepare one ingested document for extraction: an analysis text (simplified, half-width,
same length as the document text) and the header facts (title, source, publication
date, script, present year)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc

from pipeline import lexicon
from pipeline.segment import containing, paragraph_starts, sentence_bounds
from pipeline.structure import headings

# full-width ASCII (０-９, ％, ．) to half-width, one character for one
HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# …but keep the Chinese comma, colon, semicolon and parentheses: they split clauses either way
for keep in "，：；（）！？":
    HALF_WIDTH.pop(ord(keep), None)
# str.translate looks every character up in the table; finding the rare full-width runs
# with a character class first is several times faster on Chinese text. One class then a
# starred one rather than `+`: a pattern that opens with a class lets `re` skip ahead in C
_FULL_WIDTH = "[" + "".join(re.escape(chr(c)) for c in sorted(HALF_WIDTH)) + "]"
FULL_WIDTH_RUN = re.compile(f"{_FULL_WIDTH}{_FULL_WIDTH}*")

DATE_PATTERNS = [
    re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*(?:\d{1,2}:\d{2})?"),
]
ISSUE_PATTERN = re.compile(r"((?:19|20)\d{2})\s*年\s*第\s*(\d{1,2})\s*期")
LEAD_YEAR = re.compile(r"(?:^|[，,:：\s])((?:19|20)\d{2})\s*年\s*[，,]")
YEAR_MENTION = re.compile(r"((?:19|20)\d{2})[^\S\n]*年")  # 2023年, 2023 年; never across lines
HEADER_LINES = 12
HEADER_LINE_MAX_CHARS = 40
FOOTER_LINES = 6


@dataclass(frozen=True)
class HeaderWords:
    navigation: tuple[str, ...]
    source: re.Pattern[str]
    site_suffix: re.Pattern[str]
    dateline: re.Pattern[str]
    dateline_closer: re.Pattern[str]


@cache
def header_words() -> HeaderWords:
    h = lexicon.load("header")
    alt = lexicon.word_pattern
    return HeaderWords(
        navigation=tuple(h["navigation_markers"]),
        source=re.compile(rf"(?:{alt(h['source_labels'])})\s*[:：]\s*([^\s|｜]+)"),
        site_suffix=re.compile(rf"\s*[-_|｜]\s*\S*(?:{alt(h['site_name_endings'])})$"),  # 标题 - 某某网
        dateline=re.compile(rf"^\s*(?:\S{{0,8}}?(?:{alt(h['dateline_agency_endings'])}))?(\S{{2,6}}?)"
                            rf"(\d{{1,2}})月(\d{{1,2}})日(?:{alt(h['dateline_closers'])})"),
        dateline_closer=re.compile("日(?:" + alt(h["dateline_closers"]) + ")"),  # 日电, 日讯
    )


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class ChangingKeys:
    """The keys OpenCC's t2s rewrites (data/opencc_t2s.json, made from its dictionaries by
    scripts/opencc_keys.py): single characters, and phrases of otherwise unchanged
    characters filed under one of their characters."""
    chars: frozenset[str]
    phrases: dict[str, list[tuple[str, int]]]  # filed under → (phrase, where that character is in it)
    marks: re.Pattern[str]  # every character filed or changing, within the BMP


@cache
def _changing_keys() -> ChangingKeys:
    data = json.loads((lexicon.DATA_DIR / "opencc_t2s.json").read_text(encoding="utf-8"))
    phrases = {c: [(k, k.index(c)) for k in ks] for c, ks in data["phrases"].items()}
    # `re` looks a character up in a class of BMP characters at once, but tries the class's
    # characters beyond the BMP one by one: those are left to _may_change's own check
    marks = "".join(sorted(c for c in set(data["chars"]) | set(phrases) if c <= "\uffff"))
    return ChangingKeys(chars=frozenset(data["chars"]), phrases=phrases, marks=re.compile(f"[{re.escape(marks)}]"))


def _may_change(text: str) -> bool:
    """Is a key that t2s rewrites written in `text`? When none is, OpenCC would match only
    pieces that map to themselves and return the text as it is. Most reports are in
    simplified characters, and this look costs a fraction of a conversion, whose
    dictionaries are also pushed out of the CPU's caches between documents."""
    if len(text.encode("utf-16-le")) != 2 * len(text):
        return True  # a character beyond the BMP (two UTF-16 units): rare, so simply convert
    keys = _changing_keys()
    for mark in keys.marks.finditer(text):
        char, at = mark.group(), mark.start()
        if char in keys.chars or any(at >= i and text.startswith(k, at - i) for k, i in keys.phrases[char]):
            return True
    return False


def to_simplified(text: str) -> str:
    """Traditional → simplified, keeping the length (offsets stay valid).

    OpenCC converts phrases; on the rare line where a phrase changes length, that
    line is converted character by character instead.
    """
    if not _may_change(text):
        return text
    conv = _converter()
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


def analysis_text(text: str) -> tuple[str, str]:
    """(analysis text, script): simplified and half-width, the same length as `text`."""
    half = FULL_WIDTH_RUN.sub(lambda m: m.group().translate(HALF_WIDTH), text)
    simple = to_simplified(half)
    script = "traditional" if _differs_in_more_than(half, simple, max(3, len(text) // 200)) else "simplified"
    return simple, script


COMPARE_CHUNK = 256


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


def _date_from(line: str) -> str | None:
    if "19" not in line and "20" not in line:
        return None  # every date names its year (19xx, 20xx): most lines are done here
    for pattern in DATE_PATTERNS:
        m = pattern.search(line)
        if m:
            y, mo, d = (int(g) for g in m.groups()[:3])
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    m = ISSUE_PATTERN.search(line)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None


def _is_nav(line: str) -> bool:
    return len(line) < 6 or (any(mark in line for mark in header_words().navigation) and len(line) < 30)


def header_facts(lines: list[str]) -> dict[str, Any]:
    """Title, source and publication date from the first and last lines of a text."""
    head = [s for ln in lines[:HEADER_LINES] if (s := ln.strip())]
    foot = [s for ln in lines[-FOOTER_LINES:] if (s := ln.strip())]
    title = next((ln for ln in head if not _is_nav(ln) and not _date_from(ln)), head[0] if head else "")
    title = header_words().site_suffix.sub("", title)
    published = next((d for ln in head + foot if (d := _date_from(ln))), None)
    source = next((m.group(1) for ln in head if (m := header_words().source.search(ln))), None)
    return {"title": title[:200], "published": published, "source": source}


def present_year(analysis: str, published: str | None, lines: list[str],
                 line_starts: list[int]) -> tuple[int | None, str | None]:
    """The year the text speaks from, and how it was found (from the analysis text, its
    lines and where they start).

    Reports often appear after the period they cover (a January issue looking back on
    the year before, a case study of last year's campaign): when the text never names
    its publication year (nor says 今年), its present is the latest year it names.
    """
    p = lexicon.load("periods")
    pub_year = int(published[:4]) if published else None
    if pub_year is None:
        dated = [y for word, y in p["dating_events"].items() if word in analysis]
        candidates = dated + [y for y in body_years(analysis, lines, line_starts) if y <= 2100]
        return (max(candidates), "inferred") if candidates else (None, None)
    lead = lead_year(lines)
    if lead is not None and pub_year - 1 <= lead < pub_year:
        return lead, "lead year"  # 记者获悉，2024年，全省…: a report on the year before
    if any(w in analysis for w in p["now_words"]):
        return pub_year, "published"  # the text speaks of its own present (今年, 目前)
    earlier = [y for y in body_years(analysis, lines, line_starts) if y <= pub_year]
    if earlier and pub_year - 1 <= max(earlier) < pub_year:
        return max(earlier), "latest year named"
    return pub_year, "published"


def body_years(analysis: str, lines: list[str], line_starts: list[int]) -> list[int]:
    """The years named (2023年) outside the dated lines, which are header or footer: one
    scan of the whole text, with a pattern that cannot run across a line break."""
    dated: dict[int, bool] = {}  # by line: a long line naming several years is read once
    years = []
    for m in YEAR_MENTION.finditer(analysis):
        line = containing(line_starts, m.start())
        if line not in dated:
            dated[line] = _date_from(lines[line]) is not None
        if not dated[line]:
            years.append(int(m.group(1)))
    return years


def lead_year(lines: list[str]) -> int | None:
    """The year that opens the first sentence of the body (…获悉，2024年，全省…), which then
    holds for the whole report."""
    for line in lines:
        if len(line.strip()) <= HEADER_LINE_MAX_CHARS and "。" not in line:
            continue  # a header line
        first = re.split(r"[。！？]", line, maxsplit=1)[0]
        m = LEAD_YEAR.search(first)
        return int(m.group(1)) if m else None
    return None


def normalize(doc: dict[str, Any]) -> dict[str, Any]:
    """Add `analysis`, `script`, header facts and `present_year` to an ingested document.
    Metadata given with the document (sidecar, manifest, HTML meta) wins over the header."""
    text = doc["text"]
    analysis, script = analysis_text(text)
    lines = analysis.split("\n")
    paragraphs = paragraph_starts(analysis)
    facts = header_facts(lines)
    published = doc.get("published") or facts["published"]
    year, how = present_year(analysis, published, lines, paragraphs)
    if not published and year is not None:
        published, published_how = str(year), "inferred from the text"
    else:
        published_how = "given" if doc.get("published") else ("header" if published else "unknown")
    title = doc.get("title") or facts["title"]
    return {
        **doc,
        "analysis": analysis,
        # cut once, for both extract and resolve
        "sentences": sentence_bounds(analysis),
        "paragraphs": paragraphs,
        "headings": headings(analysis, paragraphs),
        "title_analysis": analysis_text(title)[0],
        "region_analysis": analysis_text(doc["region"])[0] if doc.get("region") else None,
        "header_analysis": header_block(lines),
        "script": script,
        "title": title,
        "source": doc.get("source") or facts["source"],
        "published": published,
        "published_how": published_how,
        "present_year": year,
        "present_year_how": how,
        "dateline": dateline_place(lines),
    }


def header_block(lines: list[str]) -> str:
    """The short lines before the body (title, subtitle, date, source, author)."""
    out = []
    for line in lines[:HEADER_LINES]:
        if len(line.strip()) > HEADER_LINE_MAX_CHARS:
            break
        out.append(line.strip())
    return "\n".join(out)


def dateline_place(lines: list[str]) -> str | None:
    """The place of a news dateline (新华网贵阳8月18日电 → 贵阳)."""
    words = header_words()
    for line in lines[:HEADER_LINES + 10]:
        if not words.dateline_closer.search(line):
            continue  # what every dateline ends with: most lines are done here
        m = words.dateline.match(line)
        if m:
            return m.group(1)
    return None
