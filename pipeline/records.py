"""The records that pass between the stages, written once: what ingest reads from a file
(Document), and what the engine makes of it (DocumentRecord, Figure). The DDL
(pipeline/warehouse/ddl) and the exports are checked against these fields by
tests/test_records.py. Plain frozen dataclasses of str/int/float/None: picklable for the
process pool, and one `asdict` from an Arrow row for Ray and DuckDB."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from typing import Any

QUALIFIERS = ("exact", "over", "under", "about")
PERIOD_KINDS = ("stock", "flow", "cumulative", "target")


@dataclass(frozen=True)
class Document:
    """One document as read from a file (a CSV or JSONL export gives one per row)."""
    doc_id: str                 # sha256 of the text: the same text under two names is one document
    doc: str                    # file name without extension, STEM#N for the Nth row of an export
    path: str                   # the file's path in the corpus
    format: str                 # text, html, pdf, docx, csv, jsonl
    encoding: str | None
    bytes: int
    chars: int
    text: str
    title: str | None = None    # given with the document (metadata, HTML meta, sidecar, manifest)
    source: str | None = None
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    region: str | None = None     # the region the document is about, as given (a sidecar, a column)

    def with_meta(self, **given: Any) -> Document:
        """The document with metadata given beside it winning over what it said itself."""
        return replace(self, **{k: v for k, v in given.items() if v is not None})


@dataclass(frozen=True)
class DocumentRecord:
    """A document as stored: what ingest read, and what the engine found out about it."""
    doc_id: str
    doc: str
    path: str
    format: str
    encoding: str | None
    bytes: int
    chars: int
    title: str | None
    source: str | None
    published: str | None
    published_how: str          # given, header, inferred from the text, unknown
    present_year: int | None    # the year the text speaks from
    present_year_how: str | None
    main_region_code: str
    main_region_name: str
    script: str                 # simplified or traditional
    text: str


@dataclass(frozen=True)
class Figure:
    """One quantity stated in a document (../shared/eval/SCHEMA.md)."""
    figure_id: str              # stable: sha256 of the document's content hash and the span
    doc_id: str
    doc: str
    start: int                  # offsets of `text` in the document's text
    end: int
    text: str                   # as written, qualifier word included: 近500名, 21.78万个
    quote: str                  # the sentence around it, as written
    quote_start: int
    value: float                # in canonical units: multipliers applied, a percentage as its number
    unit: str                   # canonical unit (人 for 名/人/位, 元 for any 元/万元/亿元, %, …)
    qualifier: str              # exact, over, under, about
    metric: str | None          # catalog id, or None
    subject: str                # what is counted, in the document's words
    region_code: str            # GB/T 2260 code, 000000 for the whole country
    region_name: str
    region_level: str           # national, province, prefecture, county, township, village, organization, area
    year: int | None
    date: str | None            # the reference date when the text states one
    period_kind: str            # stock, flow, cumulative, target
    extractor: str              # the version of pipeline that read it


def figure_id(doc_id: str, start: int, end: int) -> str:
    """A figure's stable id: its document's content hash and its span (what a new extractor
    version does not change). Analysts' corrections are keyed on it."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


# what an analyst's correction may do: reject a figure, set some of its fields, add a figure the
# extractor missed, confirm one as read right (it leaves the review queue), or undo a correction
ACTIONS = ("reject", "set", "add", "confirm", "undo")
CORRECTED_FIELDS = ("value", "unit", "qualifier", "metric", "region_code", "year", "period_kind")
YEARS = (1900, 2100)   # a corrected year outside these is a typing error


@dataclass(frozen=True)
class Correction:
    """One analyst's correction: a line of corrections.jsonl (pipeline.curation) and a row of
    the corrections table. It names its figure by what survives re-extraction: the document's
    content hash, the span and the text there (figure_id derives from the first two), and keeps
    the sentence so that a changed document can be checked before it is applied again."""
    correction_id: str
    created_at: str             # ISO 8601, UTC
    author: str
    action: str                 # one of ACTIONS
    reason: str                 # required: why, for the next analyst
    figure_id: str | None = None
    undoes: str | None = None   # undo: the correction it takes back
    value: float | None = None  # set/add: the fields it gives (None: left as extracted)
    unit: str | None = None
    qualifier: str | None = None
    metric: str | None = None
    region_code: str | None = None
    year: int | None = None
    period_kind: str | None = None
    subject: str | None = None  # add: what the figure counts
    doc_id: str | None = None   # the anchor (every action but undo)
    doc: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None
    quote: str | None = None
    quote_start: int | None = None


def field_names(record: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record))


def row(record: Any) -> dict[str, Any]:
    """A record as a plain dict (one row of a table), shallow: every field is a scalar."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(frozen=True)
class Candidate:
    """A number with a measure word, found before any decision about what it counts."""
    start: int                  # the figure's span, qualifier word included
    end: int
    num_start: int              # the number itself
    num_end: int
    value: float
    unit: str
    qualifier: str
    bound: bool = False         # 以上/以下 after it: a bound, not a measurement
    unit_implied: bool = False  # no unit written (迈上5万亿台阶): its unit is its metric's, or it is no figure


@dataclass(frozen=True)
class Mention:
    """A place named in a text: a region of the gazetteer (`codes`), a named area (`area`),
    a scope word such as 全省 or 该村 (`scope`: the level it speaks of), or a settlement or
    organisation written with its suffix (`kind` settlement or organization)."""
    start: int
    end: int
    name: str
    level: str
    kind: str                   # region, area, scope, settlement, organization
    codes: tuple[str, ...] = ()  # region: every region of that name
    area: str | None = None     # area: its code (or foreign)
    suffix: str | None = None   # settlement: the suffix that names its level (村, 乡)
