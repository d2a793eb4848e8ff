"""New corrections from an analyst's request, checked against the database they are applied to:
a figure it holds, a metric of the catalog, a region of the gazetteer, a year in range, a reason.
Each function returns the lines to append; a CorrectionError says in one line what is wrong,
and nothing is written."""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import replace
from typing import Any

import duckdb

from pipeline.curation import ledger
from pipeline.records import CORRECTED_FIELDS, PERIOD_KINDS, QUALIFIERS, YEARS, Correction, figure_id
from pipeline.warehouse import queries

SENTENCE_END = re.compile(r"[。！？!?；;\n]")
MAX_TEXT = 2000   # a reason or a unit longer than this is no analyst's


class CorrectionError(ValueError):
    """A request that would record a wrong correction."""


def new_id() -> str:
    return "c-" + secrets.token_hex(5)


def _figure(con: duckdb.DuckDBPyConnection, fid: str) -> dict[str, Any]:
    found = queries.run(con, "correction_figure", figure_id=fid)
    if found.is_empty():
        raise CorrectionError(f"unknown figure id {fid!r} (the dashboard's evidence and `export` show figure ids)")
    figure = found.row(0, named=True)
    if figure["rejected_by"]:
        raise CorrectionError(f"figure {fid} is rejected by correction {figure['rejected_by']}; undo that first")
    return figure


def _base(action: str, reason: str, author: str, anchor: dict[str, Any] | None = None) -> Correction:
    reason, author = reason.strip(), author.strip()
    if not reason:
        raise CorrectionError("a reason is required: it tells the next analyst why")
    if not author:
        raise CorrectionError("an author is required: say who is correcting")
    if len(reason) > MAX_TEXT or len(author) > MAX_TEXT:
        raise CorrectionError(f"the reason and the author's name are at most {MAX_TEXT} characters")
    keys = ("figure_id", "doc_id", "doc", "start", "end", "text", "quote", "quote_start")
    return Correction(correction_id=new_id(), created_at=ledger.now(), author=author, action=action, reason=reason,
                      **({k: anchor[k] for k in keys} if anchor else {}))


def checked_fields(con: duckdb.DuckDBPyConnection, changes: dict[str, Any]) -> dict[str, Any]:
    """The fields a correction sets (None values dropped), each checked."""
    given = {k: v for k, v in changes.items() if v is not None}
    unknown = set(given) - set(CORRECTED_FIELDS)
    if unknown:
        raise CorrectionError(f"no field {sorted(unknown)[0]!r} to correct")
    value = given.get("value")
    if value is not None:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise CorrectionError(f"value {value!r} is not a finite number")
        given["value"] = float(value)
    year = given.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not YEARS[0] <= year <= YEARS[1]):
        raise CorrectionError(f"year {year!r} is outside {YEARS[0]}–{YEARS[1]}")
    if given.get("qualifier") not in (None, *QUALIFIERS):
        raise CorrectionError(f"qualifier {given['qualifier']!r} is none of {', '.join(QUALIFIERS)}")
    if given.get("period_kind") not in (None, *PERIOD_KINDS):
        raise CorrectionError(f"period kind {given['period_kind']!r} is none of {', '.join(PERIOD_KINDS)}")
    unit = given.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit.strip() or len(unit) > 20):
        raise CorrectionError(f"unit {unit!r} is not a unit (人, 个, 元, %, …)")
    metric = given.get("metric")
    if metric is not None and (not isinstance(metric, str)
                               or queries.run(con, "metric_info", metric=metric).is_empty()):
        raise CorrectionError(f"unknown metric id {metric!r} (the ids of data/metrics.yaml)")
    code = given.get("region_code")
    if code is not None and (not isinstance(code, str) or queries.run(con, "correction_region", code=code).is_empty()):
        raise CorrectionError(f"unknown region code {code!r} (a GB/T 2260 code of the gazetteer, e.g. 130000)")
    return given


def _unit_fits_metric(con: duckdb.DuckDBPyConnection, metric: str | None, unit: str | None) -> None:
    if metric is None:
        return
    expected = queries.run(con, "metric_info", metric=metric)["unit"][0]
    if unit != expected:
        raise CorrectionError(f"metric {metric} is counted in {expected}, the figure in {unit}: "
                              f"give the unit too (--unit {expected}) if that is right")


def reject(con: duckdb.DuckDBPyConnection, fid: str, reason: str, author: str) -> list[Correction]:
    return [_base("reject", reason, author, _figure(con, fid))]


def confirm(con: duckdb.DuckDBPyConnection, fid: str, reason: str, author: str) -> list[Correction]:
    """The figure is read right: it leaves the review queue and changes nowhere else."""
    return [_base("confirm", reason, author, _figure(con, fid))]


def change(con: duckdb.DuckDBPyConnection, fid: str, changes: dict[str, Any], reason: str,
           author: str) -> list[Correction]:
    """Set some of a figure's fields; those given as they already are are left out."""
    figure = _figure(con, fid)
    given = {k: v for k, v in checked_fields(con, changes).items() if v != figure[k]}
    if not given:
        raise CorrectionError("nothing to change: give a field that differs from the figure "
                              "(--value, --unit, --qualifier, --metric, --region, --year, --period-kind)")
    if "metric" in given or "unit" in given:
        _unit_fits_metric(con, given.get("metric", figure["metric"]), given.get("unit", figure["unit"]))
    return [replace(_base("set", reason, author, figure), **given)]


def sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around text[start:end], and where it starts."""
    ends = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
    first = ends[-1] if ends else 0
    after = SENTENCE_END.search(text, end)
    return text[first:after.end() if after else len(text)].strip("\n"), first


def add(con: duckdb.DuckDBPyConnection, document: str, text: str, at: int | None, changes: dict[str, Any],
        subject: str | None, reason: str, author: str) -> list[Correction]:
    """A figure the extractor missed: `text` where it stands in `document` (its content hash or
    name; `at`, its offset, when the text is there more than once)."""
    docs = queries.run(con, "correction_document", document=document)
    if docs.height != 1:
        raise CorrectionError(f"no document {document!r}" if docs.is_empty() else
                              f"{docs.height} documents are named {document!r}: give its content hash (doc_id)")
    doc = docs.row(0, named=True)
    if not text:
        raise CorrectionError("give the figure's text as the document writes it (--text)")
    places = [m.start() for m in re.finditer(re.escape(text), doc["text"])]
    if at is not None and at not in places:
        raise CorrectionError(f"“{text}” does not stand at {at} in {doc['doc']} (it does at {places or 'no offset'})")
    if at is None and len(places) != 1:
        raise CorrectionError(f"“{text}” is not in {doc['doc']}" if not places else
                              f"“{text}” stands at {places} in {doc['doc']}: say which with --at")
    start = at if at is not None else places[0]
    end = start + len(text)
    fid = figure_id(doc["doc_id"], start, end)
    if not queries.run(con, "correction_figure", figure_id=fid).is_empty():
        raise CorrectionError(f"the extractor already reads this figure ({fid}): correct it instead")
    given = checked_fields(con, changes)
    metric = queries.run(con, "metric_info", metric=given["metric"]) if "metric" in given else None
    given.setdefault("unit", metric["unit"][0] if metric is not None else None)
    given.setdefault("qualifier", "exact")
    missing = [name.replace("_", "-") for name in ("value", "unit", "period_kind") if given.get(name) is None]
    if missing:
        raise CorrectionError(f"an added figure needs its {missing[0].replace('-', ' ')} (--{missing[0]})")
    _unit_fits_metric(con, given.get("metric"), given["unit"])
    quote, quote_start = sentence(doc["text"], start, end)
    anchor = {"figure_id": fid, "doc_id": doc["doc_id"], "doc": doc["doc"], "start": start, "end": end, "text": text,
              "quote": quote, "quote_start": quote_start}
    what = subject or (metric["zh"][0] if metric is not None else text)
    return [replace(_base("add", reason, author, anchor), subject=what, **given)]


def _live(entries: ledger.Ledger, correction_id: str) -> Correction:
    """A correction of the file that is not an undo and not undone."""
    found = {c.correction_id: c for _, c in entries}
    target = found.get(correction_id)
    if target is None or target.action == "undo":
        raise CorrectionError(f"no correction {correction_id!r} in the corrections file (`corrections` lists them)")
    if any(c.undoes == correction_id for _, c in entries):
        raise CorrectionError(f"correction {correction_id} is already undone")
    return target


def undo(entries: ledger.Ledger, correction_id: str, reason: str, author: str) -> list[Correction]:
    _live(entries, correction_id)
    return [replace(_base("undo", reason or "undone", author), undoes=correction_id)]


def reanchor(con: duckdb.DuckDBPyConnection, entries: ledger.Ledger, correction_id: str, fid: str,
             author: str) -> list[Correction]:
    """Move a correction (an orphaned one, say) to another figure: an undo of it and the same
    correction of `fid`, in one append."""
    old = _live(entries, correction_id)
    if old.action == "add":
        raise CorrectionError("an added figure is re-anchored by undoing it and adding it again (--add)")
    figure = _figure(con, fid)
    moved = replace(_base(old.action, f"{old.reason} (re-anchored from {correction_id})", author, figure),
                    **{f: getattr(old, f) for f in CORRECTED_FIELDS})
    taken_back = replace(_base("undo", f"re-anchored to figure {fid} as {moved.correction_id}", author),
                         undoes=correction_id)
    return [taken_back, moved]
