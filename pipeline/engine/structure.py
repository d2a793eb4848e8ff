"""The parts of a document: where its headings are and how they nest.

A heading starts a part (a section of a work report, an item of a news bulletin or of a
whole-day transcript). What a heading states — a year, a plan, a place — holds for the
figures below it until the next heading of the same or an outer depth, which starts a part
of its own; a heading stating nothing inherits from the heading it sits under. So a
transcript's ``## 国家统计局发布2019年…统计公报`` dates that item's figures, not those of the
items after it. Pure functions of the analysis text; the words live in
data/lexicon/structure.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.knowledge import Knowledge, derived

# depths: markdown headings 1-6, numbered ones from NUMBERED_DEPTH on, any other short line
# (a bulletin item's title) innermost
NUMBERED_DEPTH = 10
ITEM_DEPTH = 20


@dataclass(frozen=True)
class Heading:
    start: int
    end: int  # the heading's text is analysis[start:end]
    depth: int
    parent: int  # index of the heading this one sits under, -1 for none
    numbered: bool = False  # a numbered section (一、 （一） 1.): a report's part, no bulletin item


@dataclass(frozen=True)
class Layout:
    max_chars: int
    sentence_ends: str
    numbered: tuple[re.Pattern[str], ...]
    stops: re.Pattern[str]
    markdown: str
    bulletin_min_items: int


@derived
def layout(k: Knowledge) -> Layout:
    rules = k.words("structure")
    return Layout(
        max_chars=int(rules["heading_max_chars"]),
        sentence_ends=rules["sentence_ends"],
        numbered=tuple(re.compile(rf"\s*(?:{k.expand(p)})") for p in rules["numbered_headings"]),
        stops=re.compile(f"[{re.escape(rules['heading_stops'])}]"),
        markdown=rules["markdown_mark"],
        bulletin_min_items=int(rules["bulletin_min_items"]),
    )


def _heading(lay: Layout, text: str, start: int, end: int) -> tuple[int, int] | None:
    """(depth, end of the heading) when the paragraph text[start:end] opens with a heading."""
    line = text[start:end].rstrip()
    stripped = line.lstrip()
    if not stripped:
        return None
    if stripped.startswith(lay.markdown):
        marks = len(stripped) - len(stripped.lstrip(lay.markdown))
        if marks <= 6 and stripped[marks:marks + 1].isspace():
            return marks, start + len(line)
    for depth, pattern in enumerate(lay.numbered, start=NUMBERED_DEPTH):
        if pattern.match(line):
            stop = lay.stops.search(line)
            return depth, start + (stop.start() if stop else len(line))
    if len(stripped) <= lay.max_chars and stripped[-1] not in lay.sentence_ends:
        return ITEM_DEPTH, start + len(line)
    return None


def headings(k: Knowledge, text: str, paragraphs: list[int]) -> list[Heading]:
    """Every heading in document order, each with the heading it sits under: the nearest
    one before it of an outer (smaller) depth."""
    lay = layout(k)
    out: list[Heading] = []
    open_: list[int] = []  # indexes of the headings still open, outermost first
    nested: dict[int, int] = {}  # a numbered kind listed under a title: its depth there
    last_was_title = False  # the paragraph before is a title (short line)
    seen_numbered: set[int] = set()  # the numbered kinds met so far
    seen_title = False  # a title met after the body began (a part's title, not the document's)
    seen_body = False
    for start, end in zip(paragraphs, [*paragraphs[1:], len(text)], strict=True):
        found = _heading(lay, text, start, end)
        if found is None:
            if text[start:end].strip():
                last_was_title, seen_body = False, True
            continue
        depth, h_end = found
        numbered = NUMBERED_DEPTH <= depth < ITEM_DEPTH
        if depth < NUMBERED_DEPTH:
            nested.clear()  # a markdown heading starts a new part
        elif numbered and (depth in nested or (last_was_title and seen_body) or (
                seen_title and depth > NUMBERED_DEPTH and not any(d < depth for d in seen_numbered))):
            # 2026年省十件民生实事 / 一、提高低保… / 二、…: a numbered list right under a title is
            # that title's items, not sections of the report beside it; and where the report's
            # parts are titles (2026年重点工作) its （一） sections sit under them
            seen_numbered.add(depth)
            depth = nested.setdefault(depth, ITEM_DEPTH + 1 + depth - NUMBERED_DEPTH)
        elif numbered:
            seen_numbered.add(depth)
        while open_ and out[open_[-1]].depth >= depth:
            open_.pop()
        out.append(Heading(start, h_end, depth, open_[-1] if open_ else -1, numbered))
        open_.append(len(out) - 1)
        last_was_title = depth == ITEM_DEPTH
        seen_title = seen_title or (last_was_title and seen_body)
    return out


def ancestry(heads: list[Heading], k: int) -> list[int]:
    """Heading k and those it sits under, innermost first."""
    out = []
    while k >= 0:
        out.append(k)
        k = heads[k].parent
    return out



def is_bulletin(k: Knowledge, text: str, heads: list[Heading], paragraphs: list[int]) -> bool:
    """Is the document a bulletin of items (国内联播快讯, a whole-day transcript): at least
    `bulletin_min_items` titles (short lines or markdown headings, not numbered sections)
    each directly followed by a body paragraph? Its first lines are then the first item's
    title, not the document's own header."""
    heading_starts = {h.start for h in heads}
    ends = [*paragraphs[1:], len(text)]
    items = 0
    for h in heads:
        if h.numbered:
            continue  # a numbered section of a report is no item
        i = bisect.bisect_right(paragraphs, h.start)
        while i < len(paragraphs) and not text[paragraphs[i]: ends[i]].strip():
            i += 1  # blank lines between a title and its body
        if i < len(paragraphs) and paragraphs[i] not in heading_starts:
            items += 1
    return items >= layout(k).bulletin_min_items
