"""The Subjects tab reaches every figure without a catalog metric: listed under its subject,
found by a word of its sentence, charted by the mart's point rule, a point opening exactly
its own figures."""

from __future__ import annotations

import duckdb
import polars as pl

from dash_app.components import data
from dash_app.pages import subjects


def no_metric_figures(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return con.sql("SELECT figure_id, subject, unit, quote FROM figures WHERE metric IS NULL").pl()


def test_every_figure_without_a_metric_is_listed_under_one_subject(sample_con) -> None:
    expected = no_metric_figures(sample_con)
    assert expected.height > 20      # the sample corpus has plenty
    rows, note = subjects.subject_rows(sample_con, "")
    assert sum(r["figures"] for r in rows) == expected.height
    assert f"{len(rows)} subjects" in note
    listed: set[str] = set()
    for row in rows:
        figures, _note = subjects.figure_rows(sample_con, row["key"], None)
        assert len(figures) == row["figures"]
        assert {f["subject"] or "" for f in figures} == {row["subject"]}
        listed |= {f["figure_id"] for f in figures}
    assert listed == set(expected["figure_id"].to_list())


def test_a_word_of_a_sentence_finds_its_subject(sample_con) -> None:
    figure = no_metric_figures(sample_con).row(0, named=True)
    word = figure["quote"][len(figure["quote"]) // 2:][:4]
    keys = {r["key"] for r in subjects.subject_rows(sample_con, word)[0]}
    assert f"subject:{figure['subject'] or ''}:{figure['unit'] or ''}" in keys
    assert subjects.subject_rows(sample_con, "这句话不在任何文件里")[0] == []
    # a % typed in the box is a character, not a LIKE wildcard
    percent = subjects.subject_rows(sample_con, "%")[0]
    assert 0 < len(percent) < len(subjects.subject_rows(sample_con, "")[0])
    for row in percent:
        figures, _note = subjects.figure_rows(sample_con, row["key"], None)
        assert any("%" in (f["subject"] or "") + f["quote"] for f in figures)


def test_a_subject_is_charted_by_the_point_rule_and_a_point_opens_its_own_figures(sample_con) -> None:
    rows, _ = subjects.subject_rows(sample_con, "")
    key = max(rows, key=lambda r: r["charted"])["key"]
    chart = subjects.subject_chart(sample_con, key, [0, 9999])
    plotted = {(t.meta["series"], x, t.meta["kind"]): y for t in chart.data
               if isinstance(t.meta, dict) and t.meta.get("kind") for x, y in zip(t.x, t.y, strict=True)}
    points = data.points(sample_con, key)
    assert plotted == {(p["series"], p["year"], p["point_kind"]): p["value"] for p in points.to_dicts()}
    for p in points.to_dicts():
        figures, note = subjects.figure_rows(sample_con, key, {"series": p["series"], "year": p["year"],
                                                               "kind": p["point_kind"]})
        assert {f["figure_id"] for f in figures} == set(p["figure_ids"]), note
    # a catalog metric's points are not mixed with the subjects', nor the other way round
    assert not data.points(sample_con, "").filter(pl.col("metric").str.starts_with("subject:")).height
    assert subjects.subject_chart(sample_con, "party_members", [0, 9999]).layout.annotations
