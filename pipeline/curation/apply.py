"""Applying the corrections to a database's figures as extracted now: where each one applies
(queries/correction_anchors.sql), which are orphaned and why, what the applied ones make of each
figure they touch (the figure_corrections table), and the corrected figures everything reads
(the corrected_figures table, published from the view of the same name in the DDL).

Runs on a private copy of the database, inside a build or a correction's apply-and-publish:
readers see the result only through the atomic rename that publishes the copy."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from pipeline.curation.ledger import Ledger
from pipeline.records import CORRECTED_FIELDS, Correction, field_names, figure_id, row
from pipeline.warehouse import queries, store

FIGURE_CORRECTION_COLUMNS = {
    "figure_id": pl.Utf8, "rejected": pl.Boolean, "added": pl.Boolean, "correction_ids": pl.List(pl.Utf8),
    "value": pl.Float64, "unit": pl.Utf8, "qualifier": pl.Utf8, "metric": pl.Utf8, "region_code": pl.Utf8,
    "region_name": pl.Utf8, "region_level": pl.Utf8, "year": pl.Int32, "period_kind": pl.Utf8, "subject": pl.Utf8,
    "doc_id": pl.Utf8, "doc": pl.Utf8, "start": pl.Int32, "end": pl.Int32, "text": pl.Utf8, "quote": pl.Utf8,
    "quote_start": pl.Int32,
}
OUTCOME_COLUMNS = {"correction_id": pl.Utf8, "status": pl.Utf8, "problem": pl.Utf8, "applies_to": pl.Utf8}


def recorded(con: duckdb.DuckDBPyConnection) -> Ledger:
    """The corrections the database holds, as the last build or correction read them from the file."""
    names = field_names(Correction)
    columns = ", ".join(f'"{n}"' for n in names)
    return [(line, Correction(**dict(zip(names, values, strict=True))))
            for line, *values in con.execute(f"SELECT line, {columns} FROM corrections ORDER BY line").fetchall()]


def apply(con: duckdb.DuckDBPyConnection, entries: Ledger, figures_changed: bool = True) -> dict[str, Any]:
    """Make the corrections table hold `entries` and the corrected figures follow them; return
    the counts of queries/corrections_summary.sql. Unless `figures_changed` (a build that changed
    no document, or a correction), only the figures the corrections touch are published again."""
    touched_before = [r[0] for r in con.execute("SELECT figure_id FROM figure_corrections").fetchall()]
    con.execute("DELETE FROM corrections")
    store.insert(con, "corrections", [{**row(c), "line": n} for n, c in entries], store.CORRECTION_COLUMNS)
    anchors = {a["correction_id"]: a for a in queries.run(con, "correction_anchors").iter_rows(named=True)}
    undone = {c.undoes for _, c in entries if c.action == "undo"}
    figures: dict[str, dict[str, Any]] = {}
    outcomes = []
    for _, c in entries:
        status, problem, target = "applied", None, None
        if c.action != "undo":
            anchor = anchors[c.correction_id]
            target, problem = _target(c, anchor, figures)
            status = "undone" if c.correction_id in undone else "orphaned" if problem else "applied"
            problem = problem if status == "orphaned" else None
            if status == "applied" and target is not None and c.action != "confirm":
                _fold(figures, target, c, anchor)
        outcomes.append({"correction_id": c.correction_id, "status": status, "problem": problem,
                         "applies_to": target if status == "applied" else None})
    con.execute("DELETE FROM figure_corrections")
    store.insert(con, "figure_corrections", list(figures.values()), FIGURE_CORRECTION_COLUMNS)
    if outcomes:
        con.register("outcomes", store.frame(outcomes, OUTCOME_COLUMNS).to_arrow())
        con.execute("UPDATE corrections SET status = o.status, problem = o.problem, applies_to = o.applies_to"
                    " FROM outcomes AS o WHERE corrections.correction_id = o.correction_id")
        con.unregister("outcomes")
    _publish(con, None if figures_changed else sorted({*touched_before, *figures}))
    return queries.run(con, "corrections_summary").row(0, named=True)


def _publish(con: duckdb.DuckDBPyConnection, figure_ids: list[str] | None) -> None:
    """Write the corrected figures (those of `figure_ids`; None: all) from the view to the table."""
    if figure_ids is None:
        con.execute("DELETE FROM corrected_figures")
        con.execute("INSERT INTO corrected_figures SELECT * FROM corrected_figures_view")
    elif figure_ids:
        con.execute("DELETE FROM corrected_figures WHERE list_contains($ids, figure_id)", {"ids": figure_ids})
        con.execute("INSERT INTO corrected_figures SELECT * FROM corrected_figures_view"
                    " WHERE list_contains($ids, figure_id)", {"ids": figure_ids})


def _target(c: Correction, anchor: dict[str, Any], figures: dict[str, dict[str, Any]]) -> tuple[str | None, str | None]:
    """The figure a correction applies to now, and why it cannot be applied (None: it can)."""
    hint = (f"; figure {anchor['nearby_id']} may be it now (correct --reanchor {c.correction_id} "
            f"{anchor['nearby_id']})" if anchor["nearby_id"] else "")
    if anchor["problem"]:
        return None, anchor["problem"] + hint
    assert c.start is not None and c.end is not None
    target = anchor["extracted_id"] or figure_id(anchor["doc_id_now"], c.start, c.end)
    if c.action == "add" or anchor["extracted_id"] or figures.get(target, {}).get("added"):
        return target, None
    return None, f"the extractor reads no figure at {c.start}–{c.end} (“{c.text}”) now{hint}"


def _fold(figures: dict[str, dict[str, Any]], target: str, c: Correction, anchor: dict[str, Any]) -> None:
    """Apply one correction on top of those before it: a later one wins, field by field."""
    state = figures.setdefault(target, {"figure_id": target, "rejected": False, "added": False, "correction_ids": []})
    state["correction_ids"].append(c.correction_id)
    state["rejected"] = c.action == "reject"
    if c.action == "add" and anchor["extracted_id"] is None:
        state.update(added=True, doc_id=anchor["doc_id_now"], doc=c.doc, start=c.start, end=c.end, text=c.text,
                     quote=c.quote, quote_start=c.quote_start, subject=c.subject)
    state.update({f: getattr(c, f) for f in CORRECTED_FIELDS if getattr(c, f) is not None})
    if c.region_code is not None:
        state.update(region_name=anchor["region_name"], region_level=anchor["region_level"])
