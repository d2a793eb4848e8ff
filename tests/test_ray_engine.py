"""`build --engine ray`: the same database as the local process pool, on one Ray session
shared by this module (started by the engine's own code, bound to 127.0.0.1), and a build
whose Ray worker is killed mid-run completes or fails cleanly."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import ray

from pipeline.build import build
from pipeline.build.ray_engine import LocalReader, RayEngine
from pipeline.export import export

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "corpus"
TARBALL = ROOT.parent / "shared" / "bench" / "cctv_pages.tar.xz"
PAGES = 300
ACTOR_TITLE = b"ray::MapWorker"   # the process title Ray gives a Ray Data map actor


@pytest.fixture(scope="module")
def ray_session() -> Iterator[str]:
    """A local Ray for the whole module; its GCS address for builds run as subprocesses."""
    RayEngine(LocalReader(SAMPLE), workers=2, staging=Path("unused"), progress=False).start()
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample reports, the first 300 CCTV pages of the benchmark archive, and a file that is rejected."""
    folder = tmp_path_factory.mktemp("ray") / "corpus"
    shutil.copytree(SAMPLE, folder)
    with tarfile.open(TARBALL) as tar:   # read only as far as the pages taken (xz is slow to decompress)
        taken = 0
        while taken < PAGES and (member := tar.next()) is not None:
            if member.isfile() and (data := tar.extractfile(member)) is not None:
                (folder / Path(member.name).name).write_bytes(data.read())
                taken += 1
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n not really a PDF")
    return folder


def contents(db: Path) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str, list[str]]]]:
    """(sorted JSONL export lines, rejects, files with their bytes hash and documents) of a database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = io.StringIO()
        export(con, "jsonl", out)
        rejects = con.execute("SELECT path, reason FROM rejects ORDER BY path").fetchall()
        files = con.execute("SELECT path, bytes_hash, doc_ids FROM files ORDER BY path").fetchall()
    finally:
        con.close()
    return sorted(out.getvalue().splitlines()), rejects, files


@pytest.fixture(scope="module")
def local_build(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "figures.duckdb"
    build(corpus, db, progress=False, warn=lambda _msg: None, workers=2)
    return db


def test_ray_build_equals_the_local_build(ray_session: str, corpus: Path, local_build: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "figures.duckdb"
    with RayEngine(LocalReader(corpus), workers=2, staging=tmp_path / "staging", progress=True) as engine:
        summary = build(corpus, db, progress=False, warn=lambda _msg: None, engine=engine)
        assert not engine.started   # the module's Ray was used, not a second one
    figures, rejects, files = contents(db)
    assert (figures, rejects, files) == contents(local_build)
    assert len(figures) > 500 and [p for p, _ in rejects] == ["broken.pdf"]
    assert summary["docs_new"] == PAGES + 6 and not (tmp_path / "staging").exists()
    assert f"extracting on Ray: 100%|██████████| {PAGES + 6}/{PAGES + 6}" in capsys.readouterr().err

    calls: list[int] = []
    again = build(corpus, db, progress=False, warn=lambda _msg: None, engine=lambda jobs: calls.append(len(jobs)))
    assert again["nothing_changed"] and not calls   # the plan is made on the driver: nothing goes to Ray


def test_the_per_file_time_limit_holds_on_ray_workers(ray_session: str, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    with RayEngine(LocalReader(SAMPLE), workers=1, staging=tmp_path / "staging", progress=False) as engine:
        summary = build(SAMPLE, db, progress=False, warn=lambda _msg: None, timeout=1e-6, engine=engine)
    reasons = {reason for _path, reason in summary["rejects"]}
    assert len(summary["rejects"]) == 5 and reasons == {"timeout: no result after 1e-06 s"}
    assert summary["documents"] == 0


def actor_pids() -> list[int]:
    """Ray Data map actors of this module's Ray session: processes with their title descended from this
    process (it started the session's raylet), never another user's Ray on the same machine."""
    def parent(pid: int) -> int:
        return int((Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[1])

    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if not (entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(ACTOR_TITLE)):
                continue
            pid = int(entry.name)
            while pid > 1 and pid != os.getpid():
                pid = parent(pid)
        except OSError:   # gone meanwhile
            continue
        if pid == os.getpid():
            pids.append(int(entry.name))
    return pids


def test_a_killed_ray_worker_leaves_a_complete_build_or_the_published_one(
        ray_session: str, corpus: Path, local_build: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(SAMPLE, db, progress=False, warn=lambda _msg: None, workers=1)
    published = hashlib.sha256(db.read_bytes()).hexdigest()
    before = set(actor_pids())
    staging = tmp_path / "shared"   # a folder of the user's: the build stages in a subfolder of it
    staging.mkdir()
    (staging / "theirs.txt").write_text("not the build's")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--engine", "ray", "--ray-address",
                             ray_session, "--ray-staging", str(staging), "--corpus", str(corpus), "--db", str(db),
                             "--quiet"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (ours := sorted(set(actor_pids()) - before)) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ours, "no Ray map actor started"
    time.sleep(1.0)   # a batch is under way
    assert proc.poll() is None, proc.communicate()
    os.kill(ours[0], signal.SIGKILL)
    _out, err = proc.communicate(timeout=300)
    assert [p.name for p in staging.iterdir()] == ["theirs.txt"]
    if proc.returncode == 0:
        assert contents(db) == contents(local_build), err
    else:
        assert proc.returncode == 1 and err.strip().splitlines()[-1].startswith("error: "), err
        assert hashlib.sha256(db.read_bytes()).hexdigest() == published


def test_an_unreachable_cluster_is_one_line_and_a_failed_run(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(SAMPLE, db, progress=False, warn=lambda _msg: None, workers=1)
    with socket.socket() as free:   # a port nothing listens at
        free.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{free.getsockname()[1]}"
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "--engine", "ray", "--ray-address", address,
                          "--corpus", str(corpus), "--db", str(db), "--quiet"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and run.stderr.strip() == f"error: no Ray cluster at {address}: Connection refused"
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(status, errors)] = con.execute("SELECT status, errors FROM runs ORDER BY run_id DESC LIMIT 1").fetchall()
        figures = con.execute("SELECT count(*) FROM figures").fetchall()[0][0]
    finally:
        con.close()
    assert status == "failed" and "no Ray cluster" in errors and figures > 100
