"""End-to-end builds in a subprocess (wall time, per-stage time, pages/s, peak memory):
a full build, a rebuild with nothing changed, and a rebuild with 1% of files changed;
then the static report build, when the pipeline has one."""

from __future__ import annotations

import cProfile
import io
import json
import math
import pstats
import shutil
import sys
import tarfile
from pathlib import Path
from typing import Any

from bench.procmem import measure
from pipeline import cli, knowledge
from pipeline.engine import process
from pipeline.ingest import Rejected, ingest_file

ROOT = Path(__file__).resolve().parent.parent
STAGE_KEYS = ("stages", "timings", "stage_seconds")


def unpack(tarball: Path, dest: Path) -> Path:
    """The pages folder of `tarball` (cctv_pages.tar.xz holds cctv_pages/) under `dest`, unpacked on first use."""
    folder = dest / tarball.name.split(".")[0]
    if not folder.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(dest, filter="data")
    return folder


def corpus_files(corpus: Path) -> list[Path]:
    """The files a build reads, in a stable order."""
    return sorted(p for p in corpus.rglob("*") if p.is_file() and not p.name.startswith("."))


def change_files(corpus: Path, share: float) -> list[str]:
    """Edit `share` of the files (at least one): a sentence with a figure before the first </p>
    (in the article or in page furniture; the bytes change either way, so the file is redone)."""
    files = corpus_files(corpus)
    step = len(files) / max(1, math.ceil(len(files) * share))
    picked = [files[int(i * step)] for i in range(max(1, math.ceil(len(files) * share)))]
    for n, path in enumerate(picked):
        data = path.read_bytes()
        sentence = f"据统计，当地新增投资{n + 1}.5亿元。".encode()
        path.write_bytes(data.replace(b"</p>", sentence + b"</p>", 1) if b"</p>" in data else data + b"\n" + sentence)
    return [str(p.relative_to(corpus)) for p in picked]


def stage_seconds(summary: dict[str, Any]) -> dict[str, float]:
    """Per-stage timings, under whichever key the build summary gives them."""
    return next((dict(summary[k]) for k in STAGE_KEYS if isinstance(summary.get(k), dict)), {})


def build_once(corpus: Path, db: Path, engine: str = "local") -> dict[str, Any]:
    run = measure([sys.executable, "-m", "bench.build_once", "--corpus", str(corpus), "--db", str(db),
                   "--engine", engine], cwd=ROOT)
    if run["returncode"] != 0:
        raise RuntimeError(f"build failed ({run['returncode']}): {run['stderr_tail']}")
    report = json.loads(run["stdout"].strip().splitlines()[-1])
    files = len(corpus_files(corpus))
    return {
        "db": str(db), "files": files, "wall_s": run["wall_s"], "build_s": report["build_s"],
        "pages_per_s": files / run["wall_s"], "cpu_s": run["cpu_s"],
        "peak_tree_mib": run["peak_tree_mib"], "peak_process_mib": run["peak_process_mib"],
        "stages": stage_seconds(report["summary"]), "summary": report["summary"],
        **({"engine_startup_s": report["engine_startup_s"]} if "engine_startup_s" in report else {}),
    }


def builds(source: Path, work_dir: Path, changed_share: float = 0.01) -> dict[str, Any]:
    """Full build of a copy of `source`, then a no-change rebuild, then a rebuild after edits."""
    corpus, db = work_dir / "corpus", work_dir / "figures.duckdb"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(source, corpus)
    db.unlink(missing_ok=True)
    full = build_once(corpus, db)
    unchanged = build_once(corpus, db)
    changed = change_files(corpus, changed_share)
    return {"source": str(source), "db": str(db), "full": full, "no_change": unchanged,
            "changed": {**build_once(corpus, db), "files_changed": len(changed)}}


def engines(corpus: Path, work_dir: Path) -> dict[str, Any]:
    """Full builds of `corpus` with the local process pool and then with `--engine ray` on a local Ray
    the build starts (its start-up counted in its wall time, and also given alone)."""
    runs = {}
    for engine in ("local", "ray"):
        db = work_dir / engine / "figures.duckdb"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        runs[engine] = build_once(corpus, db, engine)
    totals = {k: (r["summary"]["documents"], r["summary"]["figures"], r["summary"]["docs_rejected"])
              for k, r in runs.items()}
    return {**runs, "same_counts": totals["local"] == totals["ray"]}


def report_build(db: Path, out: Path) -> dict[str, Any]:
    """Time `python -m pipeline report` on a database into the folder `out`, or say it is not available."""
    if "report" not in cli.COMMANDS:
        return {"available": False, "reason": "`python -m pipeline report` does not exist yet"}
    run = measure([sys.executable, "-m", "pipeline", "report", "--db", str(db), "--out", str(out)], cwd=ROOT)
    if run["returncode"] != 0:
        return {"available": False, "reason": f"report failed: {run['stderr_tail'].strip()[-300:]}"}
    files = [p for p in out.rglob("*") if p.is_file()]
    return {"available": True, "wall_s": run["wall_s"], "peak_tree_mib": run["peak_tree_mib"], "out": str(out),
            "files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def _write_profile(profiler: cProfile.Profile, heading: str, out: Path, top: int = 40) -> Path:
    buf = io.StringIO()
    buf.write(heading + "\n\n== by own time ==\n")
    stats = pstats.Stats(profiler, stream=buf).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    buf.write("\n== by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def profile_pages(corpus: Path, out: Path, limit: int = 300) -> Path:
    """cProfile of the per-page work (read, ingest, process) on one core over `limit` pages.
    A pool hides its workers from a profiler, so this runs the same calls serially."""
    files = corpus_files(corpus)[:limit]
    rejected = 0
    profiler = cProfile.Profile()
    profiler.enable()
    for path in files:
        try:
            for doc in ingest_file(str(path.relative_to(corpus)), path.read_bytes()):
                process(doc, knowledge.default())
        except Rejected:
            rejected += 1
    profiler.disable()
    return _write_profile(profiler, f"ingest + process over {len(files)} files of {corpus} "
                                    f"({rejected} rejected)", out)


def profile_rebuild(corpus: Path, db: Path, out: Path) -> Path:
    """cProfile of a rebuild in this process (the build's parent side: scanning, hashing, loading)."""
    from pipeline.build import build

    profiler = cProfile.Profile()
    profiler.enable()
    build(corpus, db, progress=False, warn=lambda _msg: None)
    profiler.disable()
    return _write_profile(profiler, f"pipeline.build.build({corpus}, {db}), rebuild", out)
