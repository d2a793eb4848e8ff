"""Web pages: the article text, title, publisher and date.

On resiliparse (a compiled HTML parser and main-content extractor, Apache-2.0), about ten
times trafilatura's speed on our pages, one path for every page:

1. The article is the block of the page whose <p> children hold the most prose (a
   paragraph with a Chinese sentence mark: readability's rule, which resiliparse does not
   offer); resiliparse renders that block's text. A page without such paragraphs (a
   day's list of headlines) keeps resiliparse's main content of the whole page. The
   headline (<h1>, else the meta title) leads the text when the block lacks it.
2. No trafilatura fallback: where this found no text, on 3,014 real pages never, and on
   1,789 fuzzed pages trafilatura found only the raw markup inside unclosed <iframe>s.
3. Title and source from the meta tags; the date from a meta tag, else the page's <time>,
   else the nearest full date in the page's header (the lines just before the article),
   else htmldate.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import operator
import re
from collections import Counter
from functools import cache
from typing import Any

from pipeline import knowledge
from pipeline.ingest.common import MAX_HTML_ELEMENTS, Rejected, iso_date, make_document, words
from pipeline.ingest.text import check_text, decode_text
from pipeline.records import Document

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)
# page parts that are never the article (else a page without one gives its menus as text)
NON_ARTICLE_TAGS = ["nav", "aside", "menu", "footer"]

# Nesting deeper than this is refused (libxml2, under the old lxml path, cut a page off at
# the same depth). Lexbor builds a tree in time quadratic in its depth (measured: 10,000
# levels 0.15 s, 100,000 levels 23 s) and resiliparse's extractor is worse (10,000 levels
# 1.9 s), so the depth is counted from the markup before parsing. Counting costs about
# 0.3 ms for a 30 KB page, a third of reading it, so only a page with more than
# DEPTH_SCAN_FROM '<' is counted: one with fewer nests at most that deep, which was read
# in 0.6 s at worst (5,000 open <div>s, no paragraph), and a news page has 1,000-2,500.
MAX_HTML_DEPTH = 256
DEPTH_SCAN_FROM = 5_000
# elements that never deepen the tree: void ones, and those whose end tag is optional
# (an unclosed <p> or <li> is closed by the next one, not nested in it)
FLAT_ELEMENTS = frozenset([
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "keygen", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rb", "rt",
    "rp", "colgroup", "html", "head", "body"])
SPACES = re.compile(r"\s+")
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")  # Unicode format characters
NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 0x09 or 0x0e <= b < 0x20 or b == 0x7f))  # as NON_TEXT
REPLACEMENT_UTF8 = "\ufffd".encode()
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>]*?(/))?>")
HEADER_LINES = 12        # lines before the article where its date is looked for (the engine's header)
MIN_BLOCK_CHARS = 10     # prose a block must hold (a one-sentence video page has ~30 characters)


def decode_html(data: bytes) -> tuple[str, str]:
    """(markup, encoding): UTF-8 if the bytes are valid UTF-8 (pages saved from a browser
    are, whatever their meta tag still says), else the charset the page declares if its
    bytes fit it, else detected."""
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig"), "utf-8"
    declared = DECLARED_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        name = words()["charset_supersets"].get(name, name)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


@cache
def _boilerplate() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in words()["boilerplate_lines"]))


def article_lines(text: str) -> str:
    """Extracted page text with the site's interface lines and blank lines dropped, the
    spaces of a line (NBSP, ideographic) made one space and invisible format characters
    removed, as trafilatura does (a zero-width joiner between 约 and 23.59 hid the 约)."""
    boilerplate = _boilerplate()
    lines = (" ".join(line.split()) for line in INVISIBLE.sub("", text).split("\n"))
    return "\n".join(line for line in lines if line and not boilerplate.fullmatch(line))


def markup_depth(markup: str) -> int:
    """How deep the markup's elements nest, counted from its tags without building a tree
    (a parser would take quadratic time on the pages this is for). A stray end tag
    closes nothing: the depth is the running sum of +1/-1 floored at zero, which is the
    sum minus its lowest point so far; itertools keeps the loop in C."""
    steps = [0 if name.lower() in FLAT_ELEMENTS or self_closing else (-1 if end else 1)
             for end, name, self_closing in TAG.findall(markup)]
    sums = list(itertools.accumulate(steps))
    lows = itertools.accumulate(itertools.chain([0], sums), min)
    return max(map(operator.sub, sums, lows), default=0)


def _meta_tags(tree: Any) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in tree.document.get_elements_by_tag_name("meta").values():  # .values(): iterating the list is slow
        key = (el.getattr("property") or el.getattr("name") or el.getattr("itemprop") or "").strip().lower()
        content = (el.getattr("content") or "").strip()
        if key and content:
            tags.setdefault(key, content)
    return tags


def _block(body: Any) -> Any:
    """The element whose <p> children hold the most prose, if they hold MIN_BLOCK_CHARS."""
    marks = words()["paragraph_marks"]
    prose: Counter[Any] = Counter()
    for p in body.get_elements_by_tag_name("p").values():
        text = p.text or ""
        if any(mark in text for mark in marks):
            prose[p.parent] += len(text)
    best = prose.most_common(1)
    return best[0][0] if best and best[0][1] >= MIN_BLOCK_CHARS else None


def _header_date(tree: Any, block: Any) -> str | None:
    """The full date nearest before the article: in the HEADER_LINES rendered lines of the
    page before its block, from the last up, then in the block's own lines before its
    first paragraph (a byline under the headline). Lines of prose are passed over: a
    summary above the article names the days of its events (…2026年1月1日施行；)."""
    dates = knowledge.default().dates
    marks = words()["paragraph_marks"]

    def prose(line: str) -> bool:
        return any(m in line for m in marks)

    lines = [s for ln in (block.inner_text or "").split("\n") if (s := ln.strip())]
    page = tree.body.inner_text or ""
    start = page.find(lines[0]) if lines else -1
    before = [s for ln in page[:max(start, 0)].split("\n") if (s := ln.strip())][-HEADER_LINES:]
    lead = list(itertools.takewhile(lambda ln: not prose(ln), lines))[:HEADER_LINES]
    return next((d for ln in [*reversed(before), *lead] if not prose(ln) and (d := dates.line_date(ln))), None)


def _time_date(tree: Any) -> str | None:
    """The day of the page's <time> marked as its publication (pubdate, itemprop=
    datePublished), else of its first <time>."""
    times = tree.document.get_elements_by_tag_name("time").values()
    marked = [el for el in times if el.hasattr("pubdate") or (el.getattr("itemprop") or "").lower() == "datepublished"]
    for el in marked + times:
        date = iso_date(el.getattr("datetime") or el.text or "")
        if date is not None and len(date) == 10:
            return date
    return None


def _headline(body: Any, meta_title: str | None) -> str | None:
    """The headline a reader sees: the page's first <h1>, else the title its meta tags
    give (og:title, …). Not <title>, which carries the site's name."""
    h1 = body.get_elements_by_tag_name("h1")
    heading = " ".join((h1.values()[0].text or "").split()) if len(h1) else ""
    return heading or (" ".join(meta_title.split()) if meta_title else None)


def _with_headline(text: str, headline: str | None) -> str:
    """The article text under its headline, unless the text has it already. A headline
    is read like the first line of a report: its figures are figures of their own (the
    gold's rule), and it tells the engine the article's place and time."""
    if not headline or SPACES.sub("", headline) in SPACES.sub("", text):
        return text
    return f"{headline}\n{text}"


def _plain_text(tree: Any, main_content: bool) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return article_lines(extract_plain_text(tree, main_content=main_content, list_bullets=False, alt_texts=False,
                                            skip_elements=NON_ARTICLE_TAGS))


def _lxml_tree(markup: str) -> Any:
    import lxml.html

    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    return lxml.html.document_fromstring(markup, parser=parser)


def read_html(name: str, data: bytes) -> list[Document]:
    from resiliparse.parse.html import HTMLTree

    markup, encoding = decode_html(data)
    # check_text reads every character (0.13 ms a page); UTF-8 bytes with no control byte
    # and no encoded U+FFFD decode to text with neither, which bytes.translate tells in C
    if encoding != "utf-8" or data.translate(None, NOT_CONTROL_BYTES) or REPLACEMENT_UTF8 in data:
        check_text(markup)
    markup = XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        raise Rejected("empty: no markup")
    if markup.count("<") > DEPTH_SCAN_FROM and (depth := markup_depth(markup)) > MAX_HTML_DEPTH:
        raise Rejected(f"too deep: HTML elements nested {depth} levels, over the limit of {MAX_HTML_DEPTH}")
    tree = HTMLTree.parse(markup)
    if tree.document is None or tree.body is None:
        raise Rejected("malformed: no HTML document")
    # counted in the tree, not from the '<': formatting elements (<b>, <i>, …) left open
    # when their paragraph ends are re-opened in every later one (HTML's parsing rules),
    # so 300 of them before 1,000 <p>s made 301,304 elements of 2,304 tags
    elements = len(tree.document.get_elements_by_tag_name("*"))
    if elements > MAX_HTML_ELEMENTS:
        raise Rejected(f"too large: {elements} HTML elements over the limit of {MAX_HTML_ELEMENTS}")

    tags = _meta_tags(tree)
    names = words()["html_meta"]
    meta_title = next((tags[k] for k in names["title"] if k in tags), None)
    title = meta_title or tree.title
    source = next((tags[k] for k in names["source"] if k in tags), None)
    published = next((d for k in names["published"] if k in tags and (d := iso_date(tags[k]))), None)
    if not published and ("<time" in markup or "<TIME" in markup):  # looking for none costs 0.03 ms
        published = _time_date(tree)

    block = _block(tree.body)
    if block is not None:
        published = published or _header_date(tree, block)
        # The block parsed on its own: 0.3 ms a page less than removing the rest of the
        # page node by node. Without resiliparse's main-content rules, which on a block
        # that is the article already dropped the one paragraph of 192 programme pages.
        text = _plain_text(HTMLTree.parse(block.html), main_content=False)
    else:
        text = _plain_text(tree, main_content=True)
    if not text:
        raise Rejected("no article text: the page has no main content (only navigation, scripts or nothing)")
    headline = _headline(tree.body, meta_title)
    title = (title or "").strip() or headline  # a page with no <title> (a converted transcript): its <h1>
    text = _with_headline(text, headline)
    if published is None:
        import htmldate

        published = htmldate.find_date(_lxml_tree(markup), extensive_search=False, original_date=True)
    return [make_document(name, text, "html", encoding, len(data),
                          title=title, source=source, published=published)]
