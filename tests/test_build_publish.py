"""Publishing beside readers: a reader never sees a partial database, a build killed with
SIGKILL loses nothing, and two builds of one database never run at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from test_build import SAMPLE, pin_fingerprint, quiet, snapshot

from pipeline import cli
from pipeline.build import build
from pipeline.warehouse import publish

ROOT = Path(__file__).resolve().parent.parent


STATE_SQL = ("SELECT d.doc_id, count(f.figure_id), sum(f.value) FROM documents AS d"
             " LEFT JOIN figures AS f USING (doc_id) GROUP BY d.doc_id ORDER BY d.doc_id")

# A dashboard in another process: open the published file read-only, query, close, again,
# until told to stop; one JSON line per answer (or per error).
READER = f"""
import json, sys, duckdb
from pathlib import Path
db, stop = sys.argv[1], Path(sys.argv[2])
while not stop.exists():
    try:
        con = duckdb.connect(db, read_only=True)
        rows = con.execute({STATE_SQL!r}).fetchall()
        con.close()
        print(json.dumps({{"rows": rows}}), flush=True)
    except Exception as e:
        print(json.dumps({{"error": repr(e)}}), flush=True)
"""


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


def state(db: Path) -> str:
    """What a dashboard request would see: documents, figures and their total per document."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return json.dumps({"rows": con.execute(STATE_SQL).fetchall()})
    finally:
        con.close()


def descendants(pid: int) -> set[int]:
    """Live processes below `pid` (the build's forkserver, its workers, the resource tracker)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    return {pid for pid in pids if running(pid)}


def grow(corpus: Path, n: int, copies: int = 1) -> None:
    """Add `n` distinct reports made from the sample ones (each `copies` times over)."""
    for i in range(n):
        text = SAMPLE[i % len(SAMPLE)].read_text(encoding="utf-8") * copies
        extra = f"\n补记{i}：全县新建村级活动场所{i + 3}个。\n"
        (corpus / f"extra_{i:03d}.txt").write_text(text + extra, encoding="utf-8")


def test_readers_see_the_old_database_or_the_new_one_never_a_mix(corpus: Path, tmp_path: Path) -> None:
    db, stop = tmp_path / "figures.duckdb", tmp_path / "stop"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    expected = [state(db)]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None
        first = reader.stdout.readline()   # the reader is up before the builds start
        grow(corpus, 4)
        build(corpus, db, progress=False, warn=quiet, workers=2)
        expected.append(state(db))
        for extra in corpus.glob("extra_*.txt"):
            extra.unlink()
        build(corpus, db, progress=False, warn=quiet, workers=2)
        expected.append(state(db))
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    seen = [first, *out.splitlines()]
    assert [line for line in seen if "error" in json.loads(line)] == []
    assert len(seen) > 3
    assert {json.dumps(json.loads(line)) for line in seen} <= set(expected)
    assert expected[0] == expected[2] != expected[1]


def test_a_build_killed_midway_leaves_the_published_database_and_the_next_build_completes(
        corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    build(corpus, db, progress=False, warn=quiet, workers=1)
    published = snapshot(db)
    grow(corpus, 100, copies=3)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", "--corpus", str(corpus), "--db", str(db), "--quiet"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wal = tmp_path / f".figures.duckdb.{proc.pid}.tmp.wal"
        helpers: set[int] = set()
        # wait until it writes its copy and its workers run (resource tracker, forkserver, a worker)
        while not (wal.exists() and len(helpers) >= 3) and proc.poll() is None:
            time.sleep(0.01)
            helpers = descendants(proc.pid)
        proc.send_signal(signal.SIGSTOP)   # frozen mid-build, however fast the extractor has become
        assert proc.poll() is None, "the build ended before it could be stopped; make the corpus bigger"

        # meanwhile a second build of the same database is turned away at once
        assert cli.main(["build", "--corpus", str(corpus), "--db", str(db), "--quiet"]) == cli.EXIT_LOCKED
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert len(helpers) >= 3
    deadline = time.monotonic() + 30
    while alive(helpers) and time.monotonic() < deadline:   # they notice and exit by themselves
        time.sleep(0.1)
    assert alive(helpers) == set()
    assert snapshot(db) == published
    assert publish.staging_files(db) != []

    s = build(corpus, db, progress=False, warn=quiet, workers=2)
    assert publish.staging_files(db) == []
    assert (s["docs_new"], s["docs_unchanged"], s["documents"]) == (100, 5, 105)
    fresh = tmp_path / "fresh.duckdb"
    build(corpus, fresh, progress=False, warn=quiet, workers=2)
    assert snapshot(db) == snapshot(fresh)


def test_the_lock_is_released_when_its_holder_dies(tmp_path: Path) -> None:
    db = tmp_path / "figures.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from pipeline.warehouse import publish\n"
         "with publish.build_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(publish.BuildLocked, match=f"pid {holder.pid}"), publish.build_lock(db):
            pass
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    with publish.build_lock(db):
        pass
