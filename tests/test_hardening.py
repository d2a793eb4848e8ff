"""Issue 14: builds, ingest and exports that bad input, full disks and hostile files cannot hurt.
Each test reproduces one row of the issue's table with real files, a real DuckDB and real builds."""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest
from test_build import ROOT, SAMPLE, pin_fingerprint, quiet, snapshot

from pipeline import cli, ingest
from pipeline.build import Refused, build, filework
from pipeline.export import csv_safe, export
from pipeline.warehouse import publish


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    dst.mkdir()
    for p in SAMPLE:
        shutil.copyfile(p, dst / p.name)
    return dst


def runs(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT status, errors FROM runs ORDER BY run_id").fetchall()
    finally:
        con.close()


# ---- row 1: an empty or unmounted corpus, the shrink guard ----------------------------------

def test_an_empty_corpus_is_refused_and_the_published_database_kept(corpus: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    before = snapshot(db)
    empty = tmp_path / "mnt"
    empty.mkdir()
    code = cli.main(["build", "--corpus", str(empty), "--db", str(db), "--quiet", "--workers", "1", "--strict"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_REFUSED and err.count("\n") == 1 and "holds no report files" in err
    assert snapshot(db) == before and not publish.staging_files(db)
    assert runs(db)[-1][0] == "failed" and "Refused" in runs(db)[-1][1]
    build(empty, db, progress=False, warn=quiet, workers=1, allow_shrink=True)
    assert snapshot(db)["figures"] == []


def test_a_build_retracting_most_figures_needs_allow_shrink(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    before = snapshot(db)
    for p in sorted(corpus.iterdir())[1:]:
        p.unlink()
    with pytest.raises(Refused, match=r"would retract \d+ of the \d+ published figures"):
        build(corpus, db, progress=False, warn=quiet, workers=1)
    assert snapshot(db) == before
    s = build(corpus, db, progress=False, warn=quiet, workers=1, allow_shrink=True)
    assert s["figures_removed"] > len(before["figures"]) / 2


# ---- rows 2 and 9: symlinks out of the corpus, odd entries -----------------------------------

def test_links_out_of_the_corpus_and_odd_entries_are_rejects_not_read(corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密：2023年全省新建村级党群服务中心9999个。", encoding="utf-8")
    (corpus / "out.txt").symlink_to(secret)
    (corpus / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "outdir").symlink_to(tmp_path, target_is_directory=True)
    (corpus / "sub").mkdir()
    (corpus / "indir").symlink_to(corpus / "sub", target_is_directory=True)
    os.mkfifo(corpus / "pipe.txt")
    inside = corpus / "alias.txt"
    inside.symlink_to(corpus / SAMPLE[0].name)   # a link inside the corpus is read
    db = tmp_path / "figures.duckdb"
    warnings: list[str] = []
    s = build(corpus, db, progress=False, warn=warnings.append, workers=1, timeout=10)
    reasons = dict(snapshot(db)["rejects"])
    assert reasons["out.txt"].startswith("outside the corpus")
    assert reasons["outdir"].startswith("outside the corpus")
    assert reasons["indir"].startswith("symlinked folder")
    assert reasons["broken.txt"].startswith("broken symlink")
    assert reasons["loop.txt"].startswith("symlink loop")
    assert reasons["pipe.txt"] == "not a regular file: a FIFO"
    assert "alias.txt" not in reasons and s["documents"] == len(SAMPLE)
    assert all(any(w.startswith(p) for w in warnings) for p in reasons)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE text LIKE '%机密%'").fetchall() == [(0,)]
    con.close()


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("机密", encoding="utf-8")
    (corpus / "a.txt").symlink_to(tmp_path / "secret.txt")
    result = filework.process_file(filework.FileJob(corpus / "a.txt", "a.txt", None, None, 10, corpus))
    assert result.reject is not None and result.reject.startswith("outside the corpus")


# ---- row 8: control characters in names ------------------------------------------------------

def test_a_name_cannot_forge_a_warning_line_or_reach_the_terminal(corpus: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (corpus / "x\nwarning: all good\x1b[2J.bin").write_bytes(b"data")
    assert cli.main(["build", "--corpus", str(corpus), "--db", str(tmp_path / "f.duckdb"), "--quiet",
                     "--workers", "1"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J" in err
    assert [line for line in err.splitlines() if line.startswith("warning:")] == [
        "warning: x\\nwarning: all good\\x1b[2J.bin: unsupported format: .bin"]


# ---- row 3: CSV formula injection --------------------------------------------------------------

def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(sample_db: Path, tmp_path: Path) -> None:
    hostile = pl.DataFrame({"sentence": ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "全省-1"],
                            "value": [-1.0, 2, 3, 4, 5, 6, 7]})
    safe = csv_safe(hostile)
    assert safe["sentence"].to_list() == ["'=cmd|' /C calc'!A0", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "全省-1"]
    assert safe["value"].to_list() == hostile["value"].to_list()
    con = duckdb.connect(str(sample_db), read_only=True)
    out = tmp_path / "f.csv"
    n = export(con, "csv", out)
    con.close()
    cells = pl.read_csv(out, infer_schema=False)
    assert cells.height == n > 0
    for column in cells.columns:
        assert not cells[column].drop_nulls().str.contains(r"^[=+@\t\r]").any(), column


# ---- rows 4 and 5: sizes from stat, zip members inflated in chunks -----------------------------

def _docx_with_a_lying_part(inflated: int) -> bytes:
    """A real .docx whose main part (which python-docx reads) inflates to `inflated` bytes but
    whose central directory entry (the size zipfile trusts) says 1,000."""
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    name = "word/document.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item.filename, src.read(item))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w") as part:
            for _ in range(inflated >> 20):
                part.write(bytes(1 << 20))
    data = bytearray(out.getvalue())
    entry = data.rfind(b"PK\x01\x02", 0, data.find(b"PK\x05\x06"))   # the last entry: the part just written
    assert data[entry + 46:entry + 46 + len(name)] == name.encode()
    assert int.from_bytes(data[entry + 24:entry + 28], "little") == inflated
    data[entry + 24:entry + 28] = (1000).to_bytes(4, "little")
    return bytes(data)


def test_a_docx_whose_part_lies_about_its_size_is_rejected_in_bounded_memory() -> None:
    inflated = 400 << 20
    data = _docx_with_a_lying_part(inflated)
    assert len(data) < 2 << 20
    tracemalloc.start()
    try:
        with pytest.raises(ingest.Rejected, match=r"malformed|too large"):
            ingest.ingest_file("bomb.docx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"{peak >> 20} MB held while reading a {len(data) >> 10} KB .docx"


def test_a_huge_file_is_refused_from_its_size_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(300 << 20)   # sparse: 300 MB of size, no disk
    tracemalloc.start()
    try:
        result = filework.process_file(filework.FileJob(big, "big.txt", None, None, 30, tmp_path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.reject == f"too large: {300 << 20} bytes over the limit of {ingest.MAX_BYTES}"
    assert peak < 1 << 20


# ---- rows 6 and 12: full disk, odd --db, broken pipe, killed builds, space ------------------------

def _limit_file_size(limit: int):
    def limit_it() -> None:
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_it


def test_a_full_disk_gives_one_line_and_leaves_no_partial_copy(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    before = snapshot(db)
    (corpus / SAMPLE[0].name).unlink()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "build", "--corpus", str(corpus), "--db", str(db),
                           "--quiet", "--workers", "1"], capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=_limit_file_size(db.stat().st_size // 2), timeout=300)
    assert proc.returncode == cli.EXIT_ERROR
    # the error, and at most a warning that the failed run could not be noted either (same full disk)
    assert proc.stderr.splitlines()[-1].startswith("error: File too large") and proc.stderr.count("\n") <= 2
    assert not publish.staging_files(db) and snapshot(db) == before


def test_odd_databases_give_one_line_errors(tmp_path: Path, corpus: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    assert cli.main(["build", "--corpus", str(corpus), "--db", str(folder), "--quiet"]) == cli.EXIT_ERROR
    assert capsys.readouterr().err == f"error: --db {folder} is a folder, not a database file\n"
    notadb = tmp_path / "notadb.csv"
    notadb.write_text("a,b\n1,2\n")
    assert cli.main(["status", "--db", str(notadb)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith(f"error: {notadb}: not a usable database") and err.count("\n") == 1
    assert cli.main(["build", "--corpus", str(corpus), "--db", str(notadb), "--quiet", "--workers", "1"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"error: {notadb}: not a usable database")
    assert notadb.read_text() == "a,b\n1,2\n" and not publish.staging_files(notadb)
    assert cli.main(["build", "--corpus", str(notadb), "--db", str(tmp_path / "f.duckdb")]) == cli.EXIT_REFUSED
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_into_a_closed_pipe_is_one_line(sample_db: Path, fmt: str) -> None:
    read, write = os.pipe()
    os.close(read)   # the reader (`| head`) is gone before the first write
    try:
        proc = subprocess.run([sys.executable, "-m", "pipeline", "export", "--db", str(sample_db), "--format", fmt],
                              stdout=write, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(write)
    assert proc.returncode == cli.EXIT_ERROR
    assert proc.stderr == "error: output closed before everything was written (broken pipe)\n"


def test_a_killed_build_is_marked_by_the_next_one(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    # what a build killed mid-way leaves: its staging copy holding its 'running' row
    tmp = publish.stage(db)
    con = duckdb.connect(str(tmp))
    con.execute("INSERT INTO runs (run_id, started_at, status) VALUES (1, TIMESTAMP '2026-01-02 03:04:05', 'running')")
    con.close()
    build(corpus, db, progress=False, warn=quiet, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    killed = con.execute("SELECT started_at::VARCHAR, errors FROM runs WHERE status = 'killed'").fetchall()
    con.close()
    assert killed == [("2026-01-02 03:04:05", "interrupted: killed before it published (noted by the next build)")]
    assert not publish.staging_files(db)


# ---- row 7: symlinked database -----------------------------------------------------------------

def test_two_names_of_one_database_share_its_lock_and_publishing_keeps_the_link(corpus: Path,
                                                                               tmp_path: Path) -> None:
    db = tmp_path / "real" / "figures.duckdb"
    db.parent.mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    build(corpus, link, progress=False, warn=quiet, workers=1)
    assert link.is_symlink() and db.is_file()
    with publish.build_lock(db), pytest.raises(publish.BuildLocked):
        build(corpus, link, progress=False, warn=quiet, workers=1)
    build(corpus, link, progress=False, warn=quiet, workers=1)
    assert link.is_symlink()


# ---- row 13: decoding ---------------------------------------------------------------------------

TEXT = "2023年，河北省沧县新建村级党群服务中心35个，培训党员4800人次。\n" * 20


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_and_named(codec: str) -> None:
    [doc] = ingest.ingest_file("a.txt", TEXT.encode(codec))
    assert doc.text == TEXT and doc.encoding == f"{codec} (no byte-order mark)"


def test_a_few_bad_bytes_are_replaced_counted_and_warned_of() -> None:
    data = bytearray(TEXT.encode("gb18030"))
    for i in range(0, len(data), 100):
        data[i] = 0xFF
    warnings: list[str] = []
    [doc] = ingest.ingest_file("b.txt", bytes(data), warn=warnings.append)
    bad = len(range(0, len(data), 100))
    replaced = int(doc.encoding.removeprefix("gb18030 (").split()[0])
    assert bad <= replaced <= 2 * bad and doc.encoding.endswith(" undecodable byte sequences replaced)")
    assert warnings == [f"b.txt: read as {doc.encoding}"]
    assert "培训党员4800人次" in doc.text
    with pytest.raises(ingest.Rejected, match=r"undecodable|binary"):
        ingest.ingest_file("c.txt", bytes(range(1, 256)) * 50)


# ---- row 9: broken CSV quoting ---------------------------------------------------------------

def test_a_csv_row_with_broken_quoting_is_warned_of() -> None:
    data = "title,text,published\n一,\"2023年全县有党组织860个。,2023-01-01\n二,全县党员1200名。,2023-02-01\n"
    warnings: list[str] = []
    ingest.ingest_file("a.csv", data.encode(), warn=warnings.append)
    assert warnings == ["a.csv#1: malformed: 2 fields where the header has 3 (broken quoting?); read as it stands"]
