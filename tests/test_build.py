"""Incremental builds: each build over an edited corpus equals a build from scratch, and
does only the work the edits call for."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest

import pipeline.build as build_module
from pipeline import DATA_DIR, ingest
from pipeline.build import Known, build, filework, plan
from pipeline.warehouse import publish, queries, store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sorted((ROOT / "data" / "corpus").glob("*.txt"))
FINGERPRINT = build_module.fingerprint


def pin_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builds of a test compare one extractor with itself, even when someone edits the
    language data of a shared working tree while the tests run."""
    fp = FINGERPRINT()
    monkeypatch.setattr(build_module, "fingerprint", lambda: fp)


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)
NEW_SENTENCE = "\n另据统计，2023年全县新建村级党群服务中心35个，培训党员4800人次。\n"


def quiet(_msg: str) -> None:
    pass


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """The content of a database, without what differs between runs (run ids, times)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": con.execute("SELECT * EXCLUDE (run_id) FROM documents ORDER BY doc_id").fetchall(),
            "figures": con.execute("SELECT * EXCLUDE (run_id) FROM figures ORDER BY figure_id").fetchall(),
            "files": con.execute("SELECT path, bytes_hash, doc_ids FROM files ORDER BY path").fetchall(),
            "rejects": con.execute("SELECT path, reason FROM rejects ORDER BY path").fetchall(),
        }
    finally:
        con.close()


def rewrite(path: Path, text: str) -> None:
    """Replace a file's content (the sample files are read-only, their folder is not)."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


def assert_equals_full_build(corpus: Path, db: Path, tmp_path: Path, name: str) -> None:
    fresh = tmp_path / f"fresh-{name}.duckdb"
    build(corpus, fresh, progress=False, warn=quiet, workers=1)
    assert snapshot(db) == snapshot(fresh)


def test_edits_between_builds_give_the_database_of_a_full_build(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    run = lambda: build(corpus, db, progress=False, warn=quiet, workers=1)  # noqa: E731

    first = run()
    assert (first["docs_new"], first["docs_unchanged"], first["documents"]) == (5, 0, 5)
    assert first["figures_added"] == first["figures"] > 0

    # a new file
    rewrite(corpus / "005_added.txt", SAMPLE[1].read_text(encoding="utf-8") + NEW_SENTENCE)
    s = run()
    assert (s["docs_new"], s["docs_changed"], s["docs_removed"], s["docs_unchanged"]) == (1, 0, 0, 5)
    assert s["figures"] == first["figures"] + s["figures_added"] and s["figures_added"] > 0
    assert_equals_full_build(corpus, db, tmp_path, "added")

    # a changed file: only the figures of the new sentence are new
    before = s["figures"]
    rewrite(corpus / SAMPLE[0].name, SAMPLE[0].read_text(encoding="utf-8") + NEW_SENTENCE)
    s = run()
    assert (s["docs_new"], s["docs_changed"], s["docs_removed"], s["docs_unchanged"]) == (0, 1, 0, 5)
    assert s["figures_added"] >= 1 and s["figures_removed"] == 0
    assert s["figures"] == before + s["figures_added"]
    assert_equals_full_build(corpus, db, tmp_path, "changed")

    # a removed file: its figures are retracted
    con = duckdb.connect(str(db), read_only=True)
    its_figures = con.execute("SELECT count(*) FROM figures WHERE doc = ?", [SAMPLE[2].stem]).fetchall()[0][0]
    con.close()
    (corpus / SAMPLE[2].name).unlink()
    s = run()
    assert (s["docs_removed"], s["docs_unchanged"], s["figures_removed"]) == (1, 5, its_figures)
    assert_equals_full_build(corpus, db, tmp_path, "removed")

    # the same content under a name that sorts first takes the document over, and gives it back
    shutil.copyfile(corpus / SAMPLE[3].name, corpus / "000_copy.txt")
    s = run()
    assert s["documents"] == 5
    assert_equals_full_build(corpus, db, tmp_path, "copied")
    rewrite(corpus / "000_copy.txt", SAMPLE[3].read_text(encoding="utf-8") + NEW_SENTENCE)
    s = run()   # the copy now differs: the document goes back to its other file
    assert (s["docs_changed"], s["documents"]) == (2, 6)
    assert_equals_full_build(corpus, db, tmp_path, "copy-edited")
    (corpus / "000_copy.txt").unlink()
    run()
    assert_equals_full_build(corpus, db, tmp_path, "uncopied")

    # a rejected file is remembered, and forgotten when it goes
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02 binary")
    s = run()
    assert s["docs_rejected"] == 1 and s["rejects"][0][0] == "broken.txt"
    assert_equals_full_build(corpus, db, tmp_path, "rejected")
    (corpus / "broken.txt").unlink()
    s = run()
    assert s["docs_rejected"] == 0 and snapshot(db)["rejects"] == []


def test_a_build_over_an_unchanged_corpus_does_no_work(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    before = snapshot(db)
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    assert s["nothing_changed"] and s["docs_unchanged"] == 5
    assert (s["figures_added"], s["figures_changed"], s["figures_removed"]) == (0, 0, 0)
    assert s["timings"]["ingest"] == s["timings"]["extract"] == 0
    assert snapshot(db) == before

    # touched (new mtime), same bytes: read and hashed, not extracted
    os.utime(corpus / SAMPLE[0].name, ns=(1, 1))
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    assert s["nothing_changed"] and s["timings"]["extract"] == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT mtime_ns FROM files WHERE path = ?", [SAMPLE[0].name]).fetchall() == [(1,)]
    runs = con.execute("SELECT status, docs_unchanged FROM runs ORDER BY run_id").fetchall()
    con.close()
    assert runs == [("ok", 0), ("ok", 5), ("ok", 5)]


def test_a_new_extractor_fingerprint_reextracts_everything(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    monkeypatch.setattr(build_module, "fingerprint", lambda: "another-extractor")
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    assert (s["docs_changed"], s["docs_unchanged"]) == (5, 0)
    assert s["timings"]["extract"] > 0
    assert (s["figures_added"], s["figures_changed"], s["figures_removed"]) == (0, 0, 0)  # same code, same figures


def test_the_fingerprint_covers_version_and_language_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "lexicon", data / "lexicon")
    shutil.copyfile(DATA_DIR / "metrics.yaml", data / "metrics.yaml")
    original = FINGERPRINT(data)
    assert original == FINGERPRINT(data) and len(original) == 16
    with (data / "lexicon" / "units.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# one more comment\n")
    edited = FINGERPRINT(data)
    assert edited != original
    (data / "metrics.yaml").write_text((data / "metrics.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert FINGERPRINT(data) not in (original, edited)
    monkeypatch.setattr(build_module, "__version__", "99.0")
    assert FINGERPRINT(data) != original


def test_plan_skips_by_stat_and_checks_hashes_otherwise() -> None:
    known = {"a.txt": Known(10, 1, "ha", "", "fp"), "b.txt": Known(10, 1, "hb", "", "fp"),
             "c.txt": Known(10, 1, "hc", "m", "fp"), "gone.txt": Known(1, 1, "hg", "", "fp")}
    scan = {"a.txt": (10, 1, ""), "b.txt": (10, 2, ""), "c.txt": (10, 1, "m2"), "new.txt": (5, 1, "")}
    unchanged, extract, removed = plan(scan, known, "fp", trust_stat=True)
    assert unchanged == ["a.txt"]
    assert extract == {"b.txt": "hb", "c.txt": None, "new.txt": None}
    assert removed == ["gone.txt"]
    unchanged, extract, _ = plan(scan, known, "fp2", trust_stat=True)
    assert unchanged == [] and all(h is None for h in extract.values())
    unchanged, extract, _ = plan(scan, known, "fp", trust_stat=False)
    assert unchanged == [] and extract["a.txt"] == "ha"


def test_one_worker_and_two_workers_give_the_same_database(corpus: Path, tmp_path: Path) -> None:
    rewrite(corpus / "005_added.txt", SAMPLE[1].read_text(encoding="utf-8") + NEW_SENTENCE)
    (corpus / "bad.docx").write_bytes(b"not a zip")
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    s1 = build(corpus, one, progress=False, warn=quiet, workers=1)
    s2 = build(corpus, two, progress=False, warn=quiet, workers=2)
    assert s2["workers"] == 2
    assert snapshot(one) == snapshot(two)
    assert {k: s1[k] for k in ("documents", "figures", "docs_rejected")} == \
        {k: s2[k] for k in ("documents", "figures", "docs_rejected")}


def endless(doc: object) -> tuple:
    """Stands in for a pathological document that never finishes."""
    time.sleep(600)
    raise AssertionError("the time limit should have stopped this")


def test_a_file_over_the_time_limit_becomes_a_timeout_reject(corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    process = filework.process
    monkeypatch.setattr(filework, "process",
                        lambda doc, k: endless(doc) if doc.path == "stuck.txt" else process(doc, k))
    rewrite(corpus / "stuck.txt", SAMPLE[2].read_text(encoding="utf-8"))
    messages: list[str] = []
    s = build(corpus, tmp_path / "figures.duckdb", progress=False, warn=messages.append, workers=1, timeout=0.5)
    assert [path for path, _ in s["rejects"]] == ["stuck.txt"]
    assert s["rejects"][0][1] == "timeout: no result after 0.5 s"
    assert s["documents"] == 5 and s["errors"] == ["stuck.txt: timeout: no result after 0.5 s"]
    assert "stuck.txt: timeout: no result after 0.5 s" in messages


def test_a_second_build_exits_at_once_while_the_lock_is_held(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    with publish.build_lock(db), pytest.raises(publish.BuildLocked, match="another build"):
        build(corpus, db, progress=False, warn=quiet, workers=1)
    assert not db.exists()
    build(corpus, db, progress=False, warn=quiet, workers=1)   # the lock is free again
    assert db.exists()


def test_stale_copies_of_killed_builds_are_removed(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    stale = [tmp_path / ".figures.duckdb.99999.tmp", tmp_path / ".figures.duckdb.99999.tmp.wal"]
    for p in stale:
        p.write_bytes(b"left by a killed build")
    build(corpus, db, progress=False, warn=quiet, workers=1)
    assert publish.staging_files(db) == []


def test_a_failed_build_publishes_nothing_but_its_failure(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    before = snapshot(db)
    rewrite(corpus / "005_added.txt", SAMPLE[1].read_text(encoding="utf-8") + NEW_SENTENCE)

    def full_disk(*_args: object) -> int:
        raise OSError("No space left on device")

    monkeypatch.setattr(build_module.store, "insert", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build(corpus, db, progress=False, warn=quiet, workers=1)
    assert snapshot(db) == before
    assert publish.staging_files(db) == []
    con = duckdb.connect(str(db), read_only=True)
    last = con.execute("SELECT status, errors FROM runs ORDER BY run_id DESC LIMIT 1").fetchall()
    con.close()
    assert last == [("failed", "OSError: No space left on device")]


def test_new_metadata_reextracts_its_file_and_a_bad_manifest_is_a_reject(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    stem = SAMPLE[1].stem
    (corpus / f"{stem}.meta.json").write_text('{"title": "补充标题", "published": "2020-01-02"}', encoding="utf-8")
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    assert (s["docs_changed"], s["docs_unchanged"], s["docs_new"]) == (1, 4, 0)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT title, published FROM documents WHERE doc = ?", [stem]).fetchall() == \
        [("补充标题", "2020-01-02")]
    con.close()
    assert_equals_full_build(corpus, db, tmp_path, "sidecar")

    (corpus / "manifest.csv").write_text("title,published\n某标题,2021-01-01\n", encoding="utf-8")
    s = build(corpus, db, progress=False, warn=quiet, workers=1)
    assert [p for p, _ in s["rejects"]] == ["manifest.csv"] and s["rejects"][0][1].startswith("malformed:")
    assert s["docs_new"] == 0   # a manifest is not a report
    (corpus / "manifest.csv").unlink()
    assert build(corpus, db, progress=False, warn=quiet, workers=1)["rejects"] == []


def test_figure_changes_pair_by_span_then_by_fact(fresh_db: duckdb.DuckDBPyConnection) -> None:
    fresh_db.execute("CREATE TABLE retired_figures AS SELECT * FROM figures LIMIT 0")
    base = {"doc_id": "d1", "doc": "a", "text": "1个", "quote": "q", "unit": "个", "qualifier": "exact",
            "subject": "村", "region_code": "130000", "year": 2022, "period_kind": "stock", "end": 0}
    before = [
        {**base, "figure_id": "same-span", "start": 1, "value": 10.0, "metric": None},
        {**base, "figure_id": "old-id", "start": 2, "value": 5.0, "metric": "m"},
        {**base, "figure_id": "untouched", "start": 3, "value": 8.0, "metric": "u"},
        {**base, "figure_id": "gone", "start": 4, "value": 7.0, "subject": "户"},
    ]
    after = [
        {**base, "figure_id": "same-span", "start": 1, "value": 10.0, "metric": "m1", "run_id": 2},
        {**base, "doc_id": "d2", "figure_id": "new-id", "start": 3, "value": 6.0, "metric": "m", "run_id": 2},
        {**base, "doc_id": "d2", "figure_id": "moved", "start": 4, "value": 8.0, "metric": "u", "run_id": 2},
        {**base, "doc_id": "d2", "figure_id": "added", "start": 5, "value": 9.0, "subject": "人", "run_id": 2},
    ]
    store.insert(fresh_db, "retired_figures", before, store.FIGURE_COLUMNS)
    store.insert(fresh_db, "figures", after, store.FIGURE_COLUMNS)
    changes = queries.run(fresh_db, "build_figure_changes", run_id=2)
    got = {(r["change"], r["figure_id"], r["value_before"], r["value_after"]) for r in changes.iter_rows(named=True)}
    assert got == {("changed", "same-span", 10.0, 10.0), ("changed", "new-id", 5.0, 6.0),
                   ("retracted", "gone", 7.0, None), ("new", "added", None, 9.0)}


def test_figure_changes_are_kept_for_the_last_builds_that_had_some(corpus: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "CHANGES_KEPT", 2)
    db = tmp_path / "figures.duckdb"
    runs = [build(corpus, db, progress=False, warn=quiet, workers=1)["run_id"]]
    for n in range(2):
        rewrite(corpus / f"added_{n}.txt", SAMPLE[n].read_text(encoding="utf-8") + NEW_SENTENCE)
        runs.append(build(corpus, db, progress=False, warn=quiet, workers=1)["run_id"])
    build(corpus, db, progress=False, warn=quiet, workers=1)   # no changes: keeps what is there
    con = duckdb.connect(str(db), read_only=True)
    kept = [r for (r,) in con.execute("SELECT DISTINCT run_id FROM figure_changes ORDER BY run_id").fetchall()]
    con.close()
    assert kept == runs[1:]


def test_time_runs_out_inside_ingest_as_a_timeout_not_a_parse_error(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # ingest turns any Exception of a reader into "malformed: …"; running out of time is not one
    monkeypatch.setitem(ingest.READERS, ".txt", lambda name, data: endless({}))
    page = tmp_path / "slow.txt"
    page.write_text("全县新建村级党群服务中心35个。", encoding="utf-8")
    result = filework.process_file(filework.FileJob(page, "slow.txt", None, None, timeout=0.2))
    assert result.reject == "timeout: no result after 0.2 s"
    assert result.documents == []
