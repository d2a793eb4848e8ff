"""Analysts' corrections (pipeline.curation) end to end on real databases: recorded through the
command line, applied by every build whatever the extractor, orphaned (never applied elsewhere)
when their document changes under them, shown corrected by the export, the report and `status`;
bad input refused in one line with nothing lost; two analysts at once losing nothing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from curated import (
    CORRECTED_TEXT,
    CORRECTED_VALUE,
    OTHER,
    REJECTED_TEXT,
    build,
    corpus,
    correct_two,
    figure_id,
    move_the_sentence,
)
from hand_made import figure, make_db
from points_corpus import DOCS, FIGURES
from test_build import pin_fingerprint

import pipeline.build as build_module
from pipeline import cli, curation
from pipeline.curation import entries, ledger, review
from pipeline.export import export
from pipeline.records import Correction
from pipeline.records import figure_id as record_figure_id
from pipeline.report import write_report
from pipeline.warehouse import publish, queries, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


def exported(db: Path) -> dict[str, dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = io.StringIO()
        export(con, "jsonl", out)
    finally:
        con.close()
    return {r["figure_id"]: r for r in map(json.loads, out.getvalue().splitlines())}


def summary(db: Path) -> dict:
    """The corrections' counts, once the published table of corrected figures is checked to be
    what the view of them says."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        for a, b in (("corrected_figures", "corrected_figures_view"), ("corrected_figures_view", "corrected_figures")):
            assert con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchall() \
                == [(0,)]
        return queries.run(con, "corrections_summary").row(0, named=True)
    finally:
        con.close()


def report_of(db: Path, out: Path) -> BeautifulSoup:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return BeautifulSoup(write_report(con, out).read_text(encoding="utf-8"), "html.parser")
    finally:
        con.close()


def test_corrections_survive_every_rebuild_and_orphan_when_their_sentence_moves(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    assert build(reports, db) == cli.EXIT_OK
    corrected, rejected = correct_two(db)
    lines = (tmp_path / "corrections.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["action"] for line in lines] == ["set", "reject"]

    def shows_the_corrections() -> None:
        figures = exported(db)
        assert rejected not in figures
        fixed = figures[corrected]
        assert (fixed["value"], fixed["corrected"], fixed["original_value"]) == (CORRECTED_VALUE, True, 5204900.0)
        assert sum(f["corrected"] for f in figures.values()) == 1
        s = summary(db)
        assert (s["applied"], s["orphaned"], s["figures_corrected"], s["figures_rejected"]) == (2, 0, 1, 1)

    shows_the_corrections()
    soup = report_of(db, tmp_path / "report")
    cell = soup.select_one('.metric[data-metric="party_members"] tr[data-series="130000"] td[data-point="2023"]')
    assert cell.get_text(strip=True).startswith("521万人") and cell.select_one("[data-corrected]")
    assert "520.49万人" in cell["title"]
    assert soup.select_one('[data-quality="figures_rejected"]').get_text() == "1"
    assert len(soup.select("#corrections-table tbody tr")) == 2
    assert not soup.select('.metric[data-metric="party_orgs"] tr[data-series="130000"]')

    # an unrelated report edited: its file is extracted again, the corrections stay
    other = reports / f"{OTHER}.txt"
    text = other.read_text(encoding="utf-8")
    other.unlink()
    other.write_text(text + "\n另据统计，全县新建村级活动场所35个。\n", encoding="utf-8")
    capsys.readouterr()
    assert build(reports, db) == cli.EXIT_OK
    assert "1 changed" in capsys.readouterr().out
    shows_the_corrections()

    # a new extractor: everything is extracted again, the corrections stay
    monkeypatch.setattr(build_module, "fingerprint", lambda: "another extractor")
    assert build(reports, db) == cli.EXIT_OK
    assert "5 changed" in capsys.readouterr().out
    shows_the_corrections()

    # the corrected sentence's report edited so that the spans move: both orphaned, listed, applied to nothing
    move_the_sentence(reports)
    assert build(reports, db) == cli.EXIT_OK
    assert "0 applied, 2 orphaned" in capsys.readouterr().out
    figures = exported(db)
    assert not any(f["corrected"] for f in figures.values())
    assert CORRECTED_VALUE not in {f["value"] for f in figures.values()}
    assert {f["text"] for f in figures.values()} >= {CORRECTED_TEXT, REJECTED_TEXT}   # as extracted again
    assert cli.main(["corrections", "--orphaned", "--json", "--db", str(db)]) == cli.EXIT_OK
    orphans = json.loads(capsys.readouterr().out)
    assert {o["figure_id"] for o in orphans} == {corrected, rejected}
    assert all("no longer holds" in o["problem"] for o in orphans)
    assert cli.main(["status", "--db", str(db)]) == cli.EXIT_OK
    status = capsys.readouterr().out
    assert "corrections: 2 (0 applied, 2 orphaned, 0 undone)" in status
    assert sum(line.startswith("  orphaned c-") for line in status.splitlines()) == 2
    soup = report_of(db, tmp_path / "report")
    assert len(soup.select("#orphans-table tbody tr")) == 2
    assert soup.select_one('[data-quality="orphaned"]').get_text() == "2"

    # re-anchored to the figures the orphans name, they apply again
    for orphan in orphans:
        moved_to = orphan["problem"].split("figure ")[1].split(" ")[0]
        assert moved_to == figure_id(db, orphan["text"])
        assert cli.main(["correct", "--reanchor", orphan["correction_id"], moved_to, "--db", str(db)]) == cli.EXIT_OK
    s = summary(db)
    assert (s["applied"], s["orphaned"], s["undone"], s["figures_corrected"], s["figures_rejected"]) == (2, 0, 2, 1, 1)
    assert exported(db)[figure_id(db, CORRECTED_TEXT)]["value"] == CORRECTED_VALUE


def test_undo_brings_the_figure_back_and_an_added_figure_joins_the_points(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    _corrected, rejected = correct_two(db)
    capsys.readouterr()
    assert cli.main(["corrections", "--json", "--db", str(db)]) == cli.EXIT_OK
    rejection = next(c for c in json.loads(capsys.readouterr().out) if c["action"] == "reject")
    assert cli.main(["correct", "--undo", rejection["correction_id"], "--db", str(db)]) == cli.EXIT_OK
    assert rejected in exported(db) and not exported(db)[rejected]["corrected"]

    # the extractor leaves out a policy counted by its items (…的22条政策措施); an analyst adds it
    text, subject = "22条", "乡村振兴政策措施"
    assert cli.main(["correct", "--add", "002_8f7e8d385c693dd7", "--text", text, "--value", "22", "--unit", "条",
                     "--subject", subject, "--region", "000000", "--year", "2021", "--period-kind", "stock",
                     "--reason", "the policy package is a figure we track", "--db", str(db)]) == cli.EXIT_OK
    added = [f for f in exported(db).values() if f["text"] == text]
    assert len(added) == 1 and added[0]["corrected"] and added[0]["original_value"] is None
    assert "22条政策措施" in added[0]["quote"] and added[0]["region_name"] == "全国"
    con = duckdb.connect(str(db), read_only=True)
    points = queries.run(con, "points", **{**queries.ALL_POINTS, "metric": f"subject:{subject}:条"})
    con.close()
    point = points.row(0, named=True)
    assert (point["value"], point["corrected"], point["figure_id"]) == (22.0, True, added[0]["figure_id"])
    # the figure an analyst added is corrected like any other, and a build keeps it
    assert cli.main(["correct", added[0]["figure_id"], "--year", "2022", "--reason", "in force from 2022", "--db",
                     str(db)]) == cli.EXIT_OK
    build(reports, db)
    assert exported(db)[added[0]["figure_id"]]["year"] == 2022


BAD_INPUT = [
    (["ffffffffffffffff", "--reject", "--reason", "x"], "unknown figure id"),
    (["{corrected}", "--region", "990000", "--reason", "x"], "unknown region code '990000'"),
    (["{corrected}", "--metric", "party_memebers", "--reason", "x"], "unknown metric id 'party_memebers'"),
    (["{corrected}", "--year", "1850", "--reason", "x"], "year 1850 is outside 1900–2100"),
    (["{corrected}", "--value", "5"], "a reason is required"),
    (["{corrected}", "--value", "五"], "--value '五' is not a number"),
    (["{corrected}", "--metric", "party_orgs", "--reason", "x"], "give the unit too"),
    (["{rejected}", "--value", "5", "--reason", "x"], "is rejected by correction c-"),
    (["--undo", "c-0000000000"], "no correction 'c-0000000000'"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[m for _a, m in BAD_INPUT])
def test_bad_input_is_refused_in_one_line_and_nothing_is_lost(
        args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    corrected, rejected = correct_two(db)
    ledger_file = tmp_path / "corrections.jsonl"
    before, published = ledger_file.read_bytes(), exported(db)
    capsys.readouterr()
    args = [a.format(corrected=corrected, rejected=rejected) for a in args]
    assert cli.main(["correct", *args, "--db", str(db)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert ledger_file.read_bytes() == before and exported(db) == published
    assert publish.staging_files(db) == []


@pytest.mark.parametrize(("line", "message"), [
    ('{"correction_id": "c-1", "created_at": "2024-01-01T00:00:00Z"', "not JSON"),
    ('["a list"]', "not a JSON object"),
    ('{"correction_id": "c-1", "created_at": "2024-01-01T00:00:00Z", "author": "a", "action": "undo", '
     '"reason": "", "undoes": "c-0"}', "reason is empty"),
    ('{"correction_id": "c-1", "created_at": "2024-01-01T00:00:00Z", "author": "a", "action": "undo", '
     '"reason": "r", "undoes": "c-nowhere"}', "no earlier line records"),
    ('{"correction_id": "c-1", "created_at": "2024-01-01T00:00:00Z", "author": "a", "action": "set", '
     '"reason": "r", "year": 3000}', "figure_id is missing"),
    ('{"correction_id": "c-1", "created_at": "2024-01-01T00:00:00Z", "author": "a", "action": "undo", '
     '"reason": "r", "undoes": "c-0", "vaule": 5}', "unknown field 'vaule'"),
])
def test_a_malformed_line_stops_builds_and_corrections_naming_its_line(
        line: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    corrected, _rejected = correct_two(db)
    ledger_file = tmp_path / "corrections.jsonl"
    with open(ledger_file, "a", encoding="utf-8") as f:
        f.write(line + "\n")
    before, published = ledger_file.read_bytes(), exported(db)
    capsys.readouterr()
    for command in (["build", "--corpus", str(reports), "--quiet", "--workers", "1"],
                    ["correct", corrected, "--year", "2022", "--reason", "x"], ["correct", "--apply"]):
        assert cli.main([*command, "--db", str(db)]) == cli.EXIT_ERROR
        err = capsys.readouterr().err
        assert err.startswith(f"error: {ledger_file} line 3: ") and message in err and err.count("\n") == 1, err
    assert ledger_file.read_bytes() == before and exported(db) == published


def test_a_build_refuses_to_drop_the_corrections_when_their_file_is_missing(tmp_path: Path) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    correct_two(db)
    (tmp_path / "corrections.jsonl").rename(tmp_path / "elsewhere.jsonl")
    assert build(reports, db) == cli.EXIT_REFUSED
    assert summary(db)["applied"] == 2
    assert cli.main(["build", "--corpus", str(reports), "--db", str(db), "--quiet", "--workers", "1",
                     "--corrections", str(tmp_path / "elsewhere.jsonl")]) == cli.EXIT_OK
    assert summary(db)["applied"] == 2


ANALYST = """
import sys
from pipeline import cli
db, name, *figures = sys.argv[1:]
for i, figure in enumerate(figures):
    code = cli.main(["correct", figure, "--year", str(2000 + i), "--reason", f"{name} checked it", "--author", name,
                     "--db", db, "--wait", "120"])
    assert code == 0, code
"""


def test_two_analysts_correcting_at_once_lose_nothing(tmp_path: Path) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    con = duckdb.connect(str(db), read_only=True)
    ids = [r[0] for r in con.execute("SELECT figure_id FROM figures WHERE year IS NULL OR year < 2000"
                                     " OR year > 2010 ORDER BY figure_id LIMIT 10").fetchall()]
    con.close()
    analysts = [subprocess.Popen([sys.executable, "-c", ANALYST, str(db), name, *ids[i::2]], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                for i, name in enumerate(("li", "wang"))]
    for analyst in analysts:
        _out, err = analyst.communicate(timeout=300)
        assert analyst.returncode == 0, err
    written = ledger.read(tmp_path / "corrections.jsonl")
    assert sorted(c.figure_id or "" for _n, c in written) == sorted(ids)
    assert summary(db)["figures_corrected"] == len(ids) == 10
    figures = exported(db)
    assert all(figures[i]["corrected"] and 2000 <= figures[i]["year"] <= 2004 for i in ids)


def test_a_correction_waits_for_a_running_build_and_gives_up_without_writing(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    reports, db = corpus(tmp_path), tmp_path / "figures.duckdb"
    build(reports, db)
    target = figure_id(db, CORRECTED_TEXT)
    args = ["correct", target, "--value", "521e4", "--reason", "x", "--db", str(db),
            "--corrections", str(tmp_path / "corrections.jsonl")]
    with publish.build_lock(db):
        assert cli.main([*args, "--wait", "0.3"]) == cli.EXIT_LOCKED
    assert "another build or correction" in capsys.readouterr().err
    assert not (tmp_path / "corrections.jsonl").exists()
    assert cli.main(args) == cli.EXIT_OK


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from pipeline.curation import ledger
from pipeline.records import Correction
path = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (path.stat().st_size + 40, resource.RLIM_INFINITY))
try:
    ledger.append(path, [Correction("c-2", "2024-01-01T00:00:00Z", "a", "undo", "r" * 500, undoes="c-1")])
except OSError as e:
    print("refused:", e)
"""


def test_an_append_the_disk_cannot_take_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "corrections.jsonl"
    first = Correction("c-1", "2024-01-01T00:00:00Z", "a", "confirm", "r", figure_id=record_figure_id("d", 0, 2),
                       doc_id="d", doc="d", start=0, end=2, text="5个", quote="有5个。", quote_start=0)
    path.write_text(ledger.encode(first), encoding="utf-8")   # a hand edit that left no final newline
    before = path.read_bytes()
    run = subprocess.run([sys.executable, "-c", FULL_DISK, str(path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.stdout.startswith("refused:"), run.stdout + run.stderr
    assert path.read_bytes() == before
    ledger.append(path, [Correction("c-2", "2024-01-01T00:00:01Z", "a", "undo", "r", undoes="c-1")])
    assert [c.action for _n, c in ledger.read(path)] == ["confirm", "undo"]
    assert os.stat(path).st_size > len(before)


def test_a_span_the_extractor_no_longer_reads_orphans_its_correction_with_a_hint(tmp_path: Path) -> None:
    docs = [{"doc_id": "d", "doc": "d", "path": "d.txt", "title": "t", "source": "s", "published": "2023",
             "text": "全县有党组织约500个。"}]
    read = figure(doc_id="d", doc="d", start=6, end=10, text="500个", value=500.0, quote="全县有党组织约500个。",
                  figure_id=record_figure_id("d", 6, 10))
    db = make_db(tmp_path / "f.duckdb", [read], docs)
    path = tmp_path / "corrections.jsonl"
    curation.record(db, path, lambda con, _found: entries.change(con, read["figure_id"], {"value": 510.0}, "r", "a"))
    assert exported(db)[read["figure_id"]]["value"] == 510.0
    # a new extractor reads the qualifier with it: another span, another id; its build applies the corrections
    wider = figure(**{**read, "start": 5, "text": "约500个", "qualifier": "about",
                      "figure_id": record_figure_id("d", 5, 10)})
    con = store.connect(db)
    con.execute("DELETE FROM figures")
    store.insert(con, "figures", [wider], store.FIGURE_COLUMNS)
    s = curation.apply(con, curation.recorded(con))
    con.close()
    assert (s["applied"], s["orphaned"]) == (0, 1)
    assert exported(db)[wider["figure_id"]]["value"] == 500.0
    con = duckdb.connect(str(db), read_only=True)
    problem = queries.run(con, "corrections_list", orphaned=True)["problem"][0]
    con.close()
    assert "reads no figure at 6–10" in problem and wider["figure_id"] in problem


def test_the_review_queue_puts_conflicts_first_and_drops_what_an_analyst_confirmed(tmp_path: Path) -> None:
    # the point rule's database (points_corpus), its figures with the ids and spans of real ones
    real = [{**f, "end": f["start"] + len(f["text"]),
             "figure_id": record_figure_id(f["doc_id"], f["start"], f["start"] + len(f["text"]))} for f in FIGURES]
    db = make_db(tmp_path / "points.duckdb", real, DOCS)
    exact, about = (next(f["figure_id"] for f in real if f["text"] == t) for t in ("520.49万名", "约521万名"))
    target = next(f["figure_id"] for f in real if f["text"] == "200万名")
    con = duckdb.connect(str(db), read_only=True)
    queue = review.queue(con)
    con.close()
    assert set(queue.filter(queue["score"] >= 3)["figure_id"].to_list()) == {exact, about}
    assert "disagree" in queue.row(0, named=True)["reasons"][0]
    assert target not in queue["figure_id"].to_list()   # no yearly value of 2025 beside the target
    ledger_file = tmp_path / "corrections.jsonl"
    curation.record(db, ledger_file, lambda con, _found: entries.confirm(con, exact, "520.49万 is the count", "a"))
    curation.record(db, ledger_file, lambda con, _found: entries.reject(con, about, "a rounded 520.49万", "a"))
    con = duckdb.connect(str(db), read_only=True)
    left = set(review.queue(con)["figure_id"].to_list())
    points = queries.run(con, "points", **{**queries.ALL_POINTS, "metric": "party_members", "series": ["130000"]})
    con.close()
    assert not left & {exact, about}
    assert not points.filter(year=2022)["conflict"][0]   # the rejected figure no longer disagrees
