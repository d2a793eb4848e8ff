"""The date grammar of data/lexicon/dates.yaml, compiled: one for ingest and the engine."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def expand(pattern: str, fragments: Mapping[str, str]) -> str:
    """`pattern` with each {{name}} replaced by the fragment of that name."""
    return PLACEHOLDER.sub(lambda m: fragments[m.group(1)], pattern)


@dataclass(frozen=True)
class Dates:
    metadata_date: re.Pattern[str]
    metadata_compact_date: re.Pattern[str]
    line_dates: tuple[re.Pattern[str], ...]
    issue: re.Pattern[str]
    year_mention: re.Pattern[str]
    lead_year: re.Pattern[str]
    report_year: re.Pattern[str]        # groups: the year in Arabic digits, or in Chinese ones
    year_or_span: re.Pattern[str]
    date_line: re.Pattern[str]
    as_of: re.Pattern[str]
    year_mark: str

    def line_date(self, line: str, whole: bool = False) -> str | None:
        """The full date (2023-05-27, 2023年5月27日) a header or footer line gives, as
        YYYY-MM-DD: the first pattern of `line_dates` that finds a valid month and day
        (with `whole`, only one the line holds alone)."""
        for pattern in self.line_dates:
            m = pattern.fullmatch(line.strip()) if whole else pattern.search(line)
            if m:
                y, mo, day = (int(g) for g in m.groups()[:3])
                if 1 <= mo <= 12 and 1 <= day <= 31:
                    return f"{y:04d}-{mo:02d}-{day:02d}"
        return None


def compile_dates(data: Mapping[str, Any]) -> Dates:
    fragments = data["fragments"]
    patterns = {name: [re.compile(expand(p, fragments)) for p in (ps if isinstance(ps, list) else [ps])]
                for name, ps in data["patterns"].items()}
    return Dates(**{name: ps[0] for name, ps in patterns.items() if name != "line_dates"},
                 line_dates=tuple(patterns["line_dates"]), year_mark=fragments["year_mark"])
