"""What a figure counts (its subject) and which catalog metric that is.

Reports put the subject after the measure word (10539名驻村第一书记) or before the
number (全省有基层党组织21.78万个). A subject written after the measure word wins;
otherwise the nearest cue before the number in the same clause. The figure gets no
metric when the cue is narrowed to a part (36名农村党员), shared by two subjects
(第一书记和驻村干部3.2万名), a rate (每千人口托位数4.45个) or of another unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import ahocorasick_rs

from pipeline import lexicon

MAX_PHRASE_CHARS = 14
GAP = "…"
GAP_CHARS = 12


@dataclass(frozen=True)
class Cues:
    matcher: ahocorasick_rs.AhoCorasick
    patterns: list[str]
    metrics_of: dict[str, list[dict[str, Any]]]
    gap_cues: tuple[tuple[re.Pattern[str], str, tuple[dict[str, Any], ...]], ...]
    clause_break: re.Pattern[str]
    predicate: re.Pattern[str]
    conjunction: re.Pattern[str]
    part_before: re.Pattern[str]
    rate: tuple[str, ...]


@cache
def cues() -> Cues:
    rules = lexicon.load("subjects")
    metrics_of: dict[str, list[dict[str, Any]]] = {}
    gaps: dict[str, list[dict[str, Any]]] = {}
    for m in lexicon.metrics():
        for cue in m["cues"]:
            (gaps if GAP in cue else metrics_of).setdefault(cue, []).append(m)
    for word in rules["blockers"]:
        metrics_of.setdefault(word, [])
    patterns = sorted(metrics_of)
    gap_cues = tuple(
        (re.compile(f".{{0,{GAP_CHARS}}}?".join(re.escape(p) for p in cue.split(GAP))), cue, tuple(ms))
        for cue, ms in gaps.items()
    )
    predicate_words = sorted(rules["predicate_starts"], key=len, reverse=True)
    conj = sorted(rules["conjunctions"], key=len, reverse=True)
    parts = sorted(rules["part_modifiers"], key=len, reverse=True)
    return Cues(
        matcher=ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest),
        patterns=patterns,
        metrics_of=metrics_of,
        gap_cues=gap_cues,
        clause_break=re.compile(f"[{re.escape(rules['clause_breaks'])}]"),
        predicate=re.compile("|".join(map(re.escape, predicate_words))),
        conjunction=re.compile("|".join(map(re.escape, conj))),
        part_before=re.compile(f"(?:{'|'.join(map(re.escape, parts))})$"),
        rate=tuple(rules["rate_markers"]),
    )


def clause_bounds(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The clause of a sentence that holds text[start:end] (commas, semicolons, colons end it)."""
    c = cues()
    lo, hi = sentence
    for m in c.clause_break.finditer(text, lo, start):
        lo = m.end()
    m = c.clause_break.search(text, end, hi)
    return lo, (m.start() if m else hi)


def noun_phrase_after(text: str, start: int, stop: int) -> str:
    """The noun phrase that follows a measure word, up to the first verb or adverb."""
    phrase = text[start: min(stop, start + MAX_PHRASE_CHARS)]
    phrase = phrase.removeprefix("的")
    m = cues().predicate.search(phrase)
    return phrase[: m.start()] if m else phrase


def _unit_match(metrics: list[dict[str, Any]] | tuple[dict[str, Any], ...], unit: str) -> str | None:
    for m in metrics:
        if m["unit"] == unit:
            return m["id"]
    return None


def _cue_hits(segment: str) -> list[tuple[str, int, int]]:
    c = cues()
    return [(c.patterns[i], s, e) for i, s, e in c.matcher.find_matches_as_indexes(segment)]


def _metric_in(segment: str, hit: tuple[str, int, int], unit: str, rate: bool) -> str | None:
    """The metric named by a cue hit, unless a modifier narrows it to a part or a rate
    marker outside the cue makes it an average."""
    cue, start, _ = hit
    if rate and not _is_rate_cue(cue):
        return None
    if cues().part_before.search(segment[:start]):
        return None
    return _unit_match(cues().metrics_of[cue], unit)


def find_subject(text: str, sentence: tuple[int, int], fig: dict[str, Any]) -> dict[str, Any]:
    """`subject` (words of the document) and `metric` (catalog id or None) of a figure."""
    c = cues()
    lo, hi = clause_bounds(text, sentence, fig["start"], fig["end"])
    left = text[lo: fig["start"]]
    phrase = noun_phrase_after(text, fig["end"], hi)
    unit = fig["unit"]
    rate = any(r in left[-8:] or r in phrase for r in c.rate)

    window = left + "\x00" + phrase
    for pattern, _, metrics in c.gap_cues:
        m = pattern.search(window)
        if m and not rate:
            metric = _unit_match(metrics, unit)
            if metric:
                return {"subject": m.group().replace("\x00", ""), "metric": metric}

    if phrase.strip():
        hits = _cue_hits(phrase)
        shared = c.conjunction.search(phrase) is not None
        metric = None
        if hits and not shared:
            metric = _metric_in(phrase, hits[0], unit, rate)
        return {"subject": phrase, "metric": metric}

    # nearest cue before the number that names a metric of this unit (blockers name none)
    hits = [h for h in _cue_hits(left) if _unit_match(c.metrics_of[h[0]], unit)]
    if not hits:
        return {"subject": "", "metric": None}
    last = hits[-1]
    subject = left[last[1]:]
    if len(hits) > 1 and c.conjunction.fullmatch(left[hits[-2][2]: last[1]] or "-"):
        return {"subject": subject, "metric": None}
    return {"subject": subject, "metric": _metric_in(left, last, unit, rate)}


def _is_rate_cue(cue: str) -> bool:
    return any(r in cue for r in cues().rate)
