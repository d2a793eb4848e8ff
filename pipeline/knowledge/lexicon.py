"""Reading the language data: the YAML files of data/lexicon/ (checked for their keys) and
the indicator catalog data/metrics.yaml. Pure readers of a folder; pipeline.knowledge keeps
what they return in one Knowledge object."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from pipeline import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicon"

REQUIRED_KEYS = {
    "text": ["full_width_kept", "sentence_marks", "full_stops", "body_mark"],
    "dates": ["fragments", "patterns", "year_mark"],
    "numbers": ["digits", "small_units", "big_units", "min_chinese_numeral_chars", "range_separators",
                "range_not_after"],
    "units": ["canonical", "unit_factors", "blocked_after", "cheng_blocked_after", "rate_units", "percent_unit"],
    "qualifiers": ["before", "inner", "after"],
    "periods": ["target", "target_in_clause", "target_by", "cumulative", "stock", "flow", "relative_years",
                "plan_periods", "past_periods", "dating_events", "change_from", "comparison_markers",
                "target_list_intro", "plan_headings", "now_words", "not_cumulative",
                "partial_year", "partial_days", "since", "clause_openers", "list_colons", "full_stop",
                "full_year", "reference_date_words", "years_ago",
                "campaign_end_years", "span_years"],
    "structure": ["heading_max_chars", "sentence_ends", "numbered_headings", "heading_stops", "markdown_mark",
                  "bulletin_min_items", "list_marker"],
    "non_figures": ["patterns", "max_quoted_name_chars", "quotes"],
    "subjects": ["clause_breaks", "predicate_starts", "conjunctions", "part_modifiers", "rate_markers", "blockers",
                 "growth_openers", "growth_verbs", "respectively", "increment_markers", "threshold_markers",
                 "elided_subject_words", "subject_changers", "beneficiary_markers", "part_of_previous",
                 "change_openers", "subject_tail_words", "subject_edge_chars",
                 "change_after_cue", "change_reaching", "object_verbs",
                 "change_from_words", "attributive_marker"],
    "header": ["navigation_markers", "source_labels", "site_name_endings", "dateline_agency_endings",
               "dateline_closers"],
    "ingest": ["columns", "html_meta", "boilerplate_lines", "charset_supersets", "paragraph_marks"],
    "regions": ["scope_words", "name_suffixes", "short_form_levels", "ambiguous_short_forms",
                "settlement_suffixes", "organization_suffixes", "not_settlements", "name_stop_chars",
                "settlement_categories", "organization_not_names",
                "generic_after_settlement", "suffix_starts_word", "scope_not_before", "scope_not_after",
                "areas", "foreign", "not_place_words", "generic_district_names",
                "company_endings", "national_name", "list_before_name", "list_after_name", "semicolons"],
}


class LexiconError(ValueError):
    """A data file is missing or lacks a required key."""


def load(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """One lexicon file as plain data, e.g. load("units")."""
    path = data_dir / "lexicon" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [k for k in REQUIRED_KEYS.get(name, []) if k not in (data or {})]
    if missing:
        raise LexiconError(f"{path}: missing keys {missing}")
    return data


def metrics(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The indicator catalog as a flat list of dicts with a `category` each."""
    path = data_dir / "metrics.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for category, items in raw.items():
        for m in items:
            for key in ("id", "zh", "en", "unit", "cues"):
                if key not in m:
                    raise LexiconError(f"{path}: metric {m.get('id')} lacks {key!r}")
            out.append({"kind": "level", "period": "stock", "any_kind": False, **m, "category": category})
    ids = [m["id"] for m in out]
    if len(ids) != len(set(ids)):
        raise LexiconError(f"{path}: duplicate metric ids")
    return out


def word_pattern(words: Iterable[str]) -> str:
    """A pattern matching any of the words, the longest first where several match, as a
    trie (万元|万千瓦 → 万(?:千瓦|元)): `re` tries the branches of a plain alternation one
    after another at every position, which costs a few instructions per word there."""
    words = set(words)
    if not words:
        return "(?!)"
    heads: dict[str, set[str]] = {}
    for w in words:
        if w:
            heads.setdefault(w[0], set()).add(w[1:])
    branches = []
    for head, tails in sorted(heads.items()):  # one branch per first character: any order
        rest = [t for t in tails if t]
        if not rest:
            branches.append(re.escape(head))
        else:
            optional = "?" if "" in tails else ""
            branches.append(f"{re.escape(head)}(?:{word_pattern(rest)}){optional}")
    return "|".join(branches)
