"""Extraction throughput on decoded plain text: ours on one core and on all cores, by
stage, its scaling with corpus size, and the peers on the very same texts.

MB here is 10^6 bytes of the text encoded as UTF-8 (what a peer reads from a file).
One-core speeds are CPU time of this process (time.process_time), which other work on
a shared machine does not inflate; wall time is kept beside it. The pool is wall time.
"""

from __future__ import annotations

import cProfile
import io
import json
import math
import os
import pstats
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.peers import fastest_pass
from pipeline import knowledge
from pipeline.engine import place, process, text
from pipeline.engine.figures import find_figures
from pipeline.ingest import ingest_file
from pipeline.records import Document, DocumentRecord, Figure

ROOT = Path(__file__).resolve().parent.parent
PEERS_SCRIPT = Path(__file__).resolve().parent / "peers.py"


def load_documents(corpus: Path) -> list[Document]:
    """The corpus's plain-text files as ingested documents (decoding is not timed here)."""
    return [doc for p in sorted(corpus.iterdir()) if p.suffix == ".txt"
            for doc in ingest_file(p.name, p.read_bytes())]


def text_bytes(docs: list[Document]) -> int:
    return sum(len(d.text.encode("utf-8")) for d in docs)


def process_document(doc: Document) -> tuple[DocumentRecord, list[Figure]]:
    """The engine with the repository's knowledge (a module-level function, for the pool)."""
    return process(doc, knowledge.default())


def copies_for(docs: list[Document], target_bytes: int) -> int:
    """How many times the documents are repeated to reach about `target_bytes`."""
    return max(1, math.ceil(target_bytes / text_bytes(docs)))


def rate(seconds: float, size: int, docs: int) -> dict[str, float]:
    return {"seconds": seconds, "mb": size / 1e6, "mb_per_s": size / 1e6 / seconds, "docs_per_s": docs / seconds}


def cpu_rate(cpu_seconds: float, wall_seconds: float, size: int, docs: int) -> dict[str, float]:
    return {**rate(cpu_seconds, size, docs), "wall_seconds": wall_seconds, "wall_mb_per_s": size / 1e6 / wall_seconds}


def time_one_core(docs: list[Document], copies: int, repeats: int = 1) -> dict[str, Any]:
    """process_document over the documents, `copies` times over, in this process; the
    fastest of `repeats` passes, timed as the peers are."""
    for doc in docs:  # warm-up: gazetteer and grammars are built once per process
        process_document(doc)
    cpu, wall, figures = fastest_pass(lambda doc: len(process_document(doc)[1]), docs, copies, repeats)
    return {**cpu_rate(cpu, wall, text_bytes(docs) * copies, len(docs) * copies), "figures": figures,
            "repeats": repeats}


def time_stages(docs: list[Document], copies: int) -> dict[str, float]:
    """Seconds spent in each pure stage over the same work as time_one_core."""
    k = knowledge.default()
    spent = {"text": 0.0, "figures": 0.0, "place": 0.0}
    for _ in range(copies):
        for doc in docs:
            t0 = time.process_time()
            reading = text.read(k, doc)
            t1 = time.process_time()
            found = find_figures(k, reading)
            t2 = time.process_time()
            place.place_figures(k, reading, found)
            t3 = time.process_time()
            spent["text"] += t1 - t0
            spent["figures"] += t2 - t1
            spent["place"] += t3 - t2
    return spent


def time_all_cores(docs: list[Document], copies: int, workers: int) -> dict[str, Any]:
    """The same work through a process pool; results come back to the parent as in a build."""
    work = docs * copies
    chunksize = max(1, len(work) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(process_document, docs * workers))  # warm-up in every worker
        started = time.perf_counter()
        figures = sum(len(figs) for _, figs in pool.map(process_document, work, chunksize=chunksize))
        seconds = time.perf_counter() - started
    return {**rate(seconds, text_bytes(docs) * copies, len(work)), "figures": figures, "workers": workers}


def scaling(docs: list[Document], base_copies: int, factors: tuple[int, ...]) -> list[dict[str, Any]]:
    """Seconds for 1×, 2×, 4×, 8× a base corpus; linear cost keeps seconds per MB flat."""
    rows = []
    for k in factors:
        r = time_one_core(docs, base_copies * k)
        rows.append({"factor": k, "mb": r["mb"], "seconds": r["seconds"], "s_per_mb": r["seconds"] / r["mb"]})
    return rows


def length_scaling(docs: list[Document], factors: tuple[int, ...]) -> list[dict[str, Any]]:
    """Seconds for one document made of the whole corpus 1×, 2×, 4×, 8× over: work that
    grows faster than the text (a search over the document per mention) shows as rising
    seconds per MB here, while replicating documents (scaling) hides it."""
    rows = []
    for k in factors:
        doc = joined_document(docs, k)
        started = time.process_time()
        process_document(doc)
        seconds = time.process_time() - started
        mb = len(doc.text.encode("utf-8")) / 1e6
        rows.append({"factor": k, "mb": mb, "seconds": seconds, "s_per_mb": seconds / mb})
    return rows


def run_peer(python: Path, peer: str, texts_json: Path) -> dict[str, Any]:
    """One peer in its own interpreter; its last stdout line is its JSON report."""
    if not python.exists():
        return {"peer": peer, "available": False, "reason": f"{python} not found (`make bench` installs it)"}
    proc = subprocess.run([str(python), str(PEERS_SCRIPT), peer, str(texts_json)],
                          capture_output=True, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        reason = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"peer": peer, "available": False, "reason": reason}
    report = json.loads(lines[-1])
    return {**report, "available": True,
            **cpu_rate(report["cpu_seconds"], report["seconds"], report["bytes"], report["docs"])}


def joined_document(docs: list[Document], times: int) -> Document:
    """One document holding the whole corpus `times` over."""
    joined = "\n".join(d.text for d in docs)
    return ingest_file("joined.txt", "\n".join([joined] * times).encode("utf-8"))[0]


def profile(docs: list[Document], copies: int, out: Path) -> Path:
    """cProfile of process_document: the functions where the time goes, by own and cumulative time."""
    return _profiled(docs * copies, docs[0], out)


def profile_long_document(docs: list[Document], times: int, out: Path) -> Path:
    """cProfile of process_document on one long document, where superlinear work dominates."""
    return _profiled([joined_document(docs, times)], docs[0], out)


def _profiled(docs: list[Document], warm_up: Document, out: Path, top: int = 40) -> Path:
    process_document(warm_up)  # gazetteer and grammars are built outside the profile
    profiler = cProfile.Profile()
    profiler.enable()
    for doc in docs:
        process_document(doc)
    profiler.disable()
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf).strip_dirs()
    buf.write(f"process_document over {len(docs)} documents, {text_bytes(docs) / 1e6:.2f} MB\n")
    buf.write("\n== by own time ==\n")
    stats.sort_stats("tottime").print_stats(top)
    buf.write("\n== by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def run(corpus: Path, out_dir: Path, target_bytes: int, scaling_base_bytes: int,
        bench_python: Path, repeats: int = 1, workers: int | None = None) -> dict[str, Any]:
    """The whole extraction section; JioNLP runs in `bench_python` (reported as not available without it)."""
    docs = load_documents(corpus)
    copies = copies_for(docs, target_bytes)
    texts_json = out_dir / "extraction_texts.json"
    texts_json.write_text(json.dumps({"texts": [d.text for d in docs], "copies": copies, "repeats": repeats},
                                     ensure_ascii=False), encoding="utf-8")
    workers = workers or os.cpu_count() or 1
    one = time_one_core(docs, copies, repeats)
    stages = time_stages(docs, copies)
    pooled = time_all_cores(docs, copies, workers)
    peers = [run_peer(Path(sys.executable), "floor", texts_json), run_peer(bench_python, "jionlp", texts_json)]
    for p in peers:
        if p["available"]:
            p["ours_ratio"] = one["mb_per_s"] / p["mb_per_s"]
    return {
        "corpus": str(corpus), "documents": len(docs), "copies": copies,
        "one_core": one, "stages": stages, "all_cores": pooled,
        "peers": peers,
        "scaling": scaling(docs, copies_for(docs, scaling_base_bytes), (1, 2, 4, 8)),
        "length_scaling": length_scaling(docs, (1, 2, 4, 8)),
    }
