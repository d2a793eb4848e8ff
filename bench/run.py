"""`make bench`: run every section, write build/bench/*.json, print one table with a
PASS/MISS per target, and profile whatever missed.

    python -m bench.run [--sections extraction,build,ray,queries,report,dashboard] [--out build/bench] …

Sizes are options so the smoke test (tests/test_bench_smoke.py) runs the same code on a
tiny input.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import browser_latency, e2e, extraction, html_ingest, query_bench
from bench.synth_db import synthetic_db

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("extraction", "html", "build", "ray", "queries", "report", "dashboard")
MIB = 1024

# name → (what is measured, how it is judged); values come from the section results
TARGETS = {
    "extraction": "figure extraction ≥ 10 MB/s per core",
    "linear": "extraction cost linear in corpus and document size (s/MB at 8× ≤ 1.5 × at 1×)",
    "html": "HTML ingest ≥ 800 pages per CPU-second (one core)",
    "full_build": "full build ≤ 8 s",
    "no_change": "no-change rebuild < 2 s",
    "queries": "every dashboard query p95 < 100 ms",
    "memory": "build peak memory < 1 GiB",
    "first_chart": "dashboard first chart < 1.5 s, sample database (p95)",
    "interactions": "every dashboard interaction < 300 ms at 1 M figures (p95)",
}


def options(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.run", description="Benchmarks against the project's targets.")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="results folder (default: build/bench)")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus", help="plain-text corpus to replicate")
    ap.add_argument("--extraction-mb", type=float, default=10.0, help="replicate the corpus to this many MB")
    ap.add_argument("--repeats", type=int, default=3,
                    help="one-core extraction and peers: the fastest of this many passes counts")
    ap.add_argument("--scaling-base-mb", type=float, default=1.25, help="the 1× of the scaling series, in MB")
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "bench" / "cctv_pages.tar.xz",
                    help="build corpus: a folder, or a .tar.xz unpacked into OUT/cctv on first use")
    ap.add_argument("--html-pages", type=Path, default=None,
                    help="HTML pages for the html section (default: the build corpus)")
    ap.add_argument("--figures", type=int, default=1_000_000, help="figures in the synthetic query database")
    ap.add_argument("--query-runs", type=int, default=50, help="timed runs per query")
    ap.add_argument("--query-budget-s", type=float, default=20.0, help="stop timing one query after this long")
    ap.add_argument("--page-loads", type=int, default=7, help="dashboard: cold page loads timed per database")
    ap.add_argument("--interaction-rounds", type=int, default=10,
                    help="dashboard: rounds of each interaction (metric A→B→A is one round of two changes)")
    ap.add_argument("--bench-venv", type=Path, default=ROOT / "build" / "bench-venv",
                    help="virtualenv holding the peers (JioNLP); skipped if absent")
    ap.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    return ap.parse_args(argv)


def code_version() -> str:
    """The commit measured, and whether the work tree differed from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git work tree)"
    return head + (f" + {len(dirty.splitlines())} uncommitted file(s)" if dirty else "")


def build_corpus(pages: Path, out: Path) -> Path:
    return e2e.unpack(pages, out / "cctv") if pages.is_file() else pages


def judge(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target that its section measured: the measured value and PASS or MISS."""
    verdicts: dict[str, dict[str, Any]] = {}
    if "extraction" in results:
        v = results["extraction"]["one_core"]["mb_per_s"]
        verdicts["extraction"] = {"value": f"{v:.2f} MB/s", "pass": v >= 10}
        growth = {k: results["extraction"][k][-1]["s_per_mb"] / results["extraction"][k][0]["s_per_mb"]
                  for k in ("scaling", "length_scaling")}
        verdicts["linear"] = {"value": f"×{growth['scaling']:.2f} over corpus size, "
                                       f"×{growth['length_scaling']:.2f} over document length",
                              "pass": max(growth.values()) <= 1.5}
    if results.get("html", {}).get("available"):
        h = results["html"]
        verdicts["html"] = {"value": f"{h['ours']['pages_per_s']:.0f} pages/CPU-s "
                                     f"(trafilatura {h['trafilatura']['pages_per_s']:.0f})",
                            "pass": h["ours"]["pages_per_s"] >= 800}
    if "build" in results:
        b = results["build"]
        verdicts["full_build"] = {"value": f"{b['full']['wall_s']:.1f} s ({b['full']['files']} files)",
                                  "pass": b["full"]["wall_s"] <= 8}
        verdicts["no_change"] = {"value": f"{b['no_change']['wall_s']:.2f} s", "pass": b["no_change"]["wall_s"] < 2}
        peak = max(b[k]["peak_tree_mib"] for k in ("full", "no_change", "changed"))
        verdicts["memory"] = {"value": f"{peak:.0f} MiB", "pass": peak < MIB}
    if "queries" in results:
        timed = [q for q in results["queries"]["queries"] if q["dashboard"] and "p95_ms" in q]
        failed = [q["query"] for q in results["queries"]["queries"] if q["dashboard"] and "error" in q]
        if timed:
            worst = max(timed, key=lambda q: q["p95_ms"])
            value, passed = f"worst {worst['query']} {worst['p95_ms']:.1f} ms", worst["p95_ms"] < 100
        else:
            value, passed = "no dashboard query timed", False
        if failed:
            value += f"; failed: {', '.join(failed)}"
        verdicts["queries"] = {"value": value, "pass": passed and not failed}
    if "dashboard" in results:
        dbs = results["dashboard"]["databases"]
        first = dbs["sample"]["first_render"]
        verdicts["first_chart"] = {"value": f"p95 {first['p95_ms'] / 1000:.2f} s "
                                            f"(median {first['median_ms'] / 1000:.2f} s, {first['runs']} loads)",
                                   "pass": first["p95_ms"] < 1500}
        synthetic = dbs["synthetic"]
        worst = max(synthetic["interactions"], key=lambda step: step["p95_ms"])
        verdicts["interactions"] = {"value": f"worst {worst['interaction']} p95 {worst['p95_ms']:.0f} ms at "
                                             f"{synthetic['figures']:,} figures", "pass": worst["p95_ms"] < 300}
    return {k: {"target": TARGETS[k], **v} for k, v in verdicts.items()}


def profile_misses(args: argparse.Namespace, results: dict[str, Any], verdicts: dict[str, Any]) -> list[str]:
    """Where the time goes for each missed target, written to OUT/profile_*.txt."""
    written = []
    if not verdicts.get("extraction", {}).get("pass", True):
        docs = extraction.load_documents(args.corpus)
        copies = extraction.copies_for(docs, 500_000)
        written.append(extraction.profile(docs, copies, args.out / "profile_extraction.txt"))
    if not verdicts.get("linear", {}).get("pass", True):
        docs = extraction.load_documents(args.corpus)
        written.append(extraction.profile_long_document(docs, 8, args.out / "profile_long_document.txt"))
    if not verdicts.get("html", {}).get("pass", True):
        written.append(html_ingest.profile(Path(results["html"]["corpus"]), args.out / "profile_html.txt"))
    if any(not verdicts.get(k, {}).get("pass", True) for k in ("full_build", "memory")):
        written.append(e2e.profile_pages(Path(results["build"]["source"]), args.out / "profile_build.txt"))
    if not verdicts.get("no_change", {}).get("pass", True):
        b = results["build"]
        written.append(e2e.profile_rebuild(Path(b["db"]).parent / "corpus", Path(b["db"]),
                                           args.out / "profile_rebuild.txt"))
    if not verdicts.get("queries", {}).get("pass", True):
        import duckdb

        con = duckdb.connect(results["queries"]["db"], read_only=True)
        try:
            for q in results["queries"]["queries"]:
                if q["dashboard"] and q.get("p95_ms", 0) >= 100:
                    out = args.out / f"profile_query_{q['query']}.txt"
                    written.append(query_bench.explain(con, q["query"], q["params"], out))
        finally:
            con.close()
    if any(not verdicts.get(k, {}).get("pass", True) for k in ("first_chart", "interactions")):
        written.append(browser_latency.slowest(results["dashboard"], args.out / "profile_dashboard.txt"))
    return [str(p) for p in written]


def _extraction_rows(x: dict[str, Any]) -> list[tuple[str, str]]:
    one, pool = x["one_core"], x["all_cores"]
    total = sum(x["stages"].values())
    rows = [
        ("extraction, 1 core", f"{one['mb_per_s']:.2f} MB/s, {one['docs_per_s']:.0f} docs/s of CPU time, "
                               f"best of {one['repeats']} (wall {one['wall_mb_per_s']:.2f} MB/s; {one['mb']:.1f} MB, "
                               f"{one['figures']} figures)"),
        (f"extraction, {pool['workers']} cores", f"{pool['mb_per_s']:.2f} MB/s, {pool['docs_per_s']:.0f} docs/s"),
        ("  by stage", ", ".join(f"{k} {v / total:.0%}" for k, v in x["stages"].items())),
    ]
    for p in x["peers"]:
        if p["available"]:
            rows.append((f"peer {p['version']}", f"{p['mb_per_s']:.2f} MB/s of CPU time, found {p['found']}; "
                                                 f"ours = {p['ours_ratio']:.3g}× it"))
        else:
            rows.append((f"peer {p['peer']}", f"not available: {p['reason']}"))
    for key, label in (("scaling", "scaling 1×/2×/4×/8× corpus"), ("length_scaling", "one document 1×/2×/4×/8× long")):
        rows.append((label, " / ".join(f"{s['seconds']:.2f} s" for s in x[key])
                     + "  (s per MB: " + " / ".join(f"{s['s_per_mb']:.2f}" for s in x[key]) + ")"))
    return rows


def _html_rows(h: dict[str, Any]) -> list[tuple[str, str]]:
    if not h["available"]:
        return [("html ingest", f"not available: {h['reason']}")]
    ours, old = h["ours"], h["trafilatura"]
    return [("html ingest, 1 core", f"{ours['pages_per_s']:.0f} pages/CPU-s (best of {ours['repeats']}) beside "
                                    f"trafilatura's {old['pages_per_s']:.0f} in the same run (×{h['speedup']:.1f}); "
                                    f"{ours['pages']} pages, {h['mb']:.1f} MB")]


def _build_rows(b: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    redone = sum(b["no_change"]["summary"].get(k) or 0 for k in ("docs_new", "docs_changed"))
    if redone:
        rows.append(("  warning", f"the no-change rebuild re-extracted {redone} documents: code or data that the "
                                  "build fingerprint covers changed during the bench, or change detection is broken"))
    for key, label in (("full", "build, full"), ("no_change", "rebuild, no change"),
                       ("changed", f"rebuild, {b['changed']['files_changed']} files changed")):
        r, s = b[key], b[key]["summary"]
        busy = r["cpu_s"] / (r["wall_s"] * (os.cpu_count() or 1))
        rows.append((label, f"{r['wall_s']:.2f} s ({r['cpu_s']:.1f} CPU-s, {busy:.0%} of all cores), "
                            f"{r['pages_per_s']:.0f} pages/s, "
                            f"peak {r['peak_tree_mib']:.0f} MiB (largest process {r['peak_process_mib']:.0f}); "
                            f"documents {s.get('docs_new', '?')} new, {s.get('docs_changed', '?')} changed, "
                            f"{s.get('docs_unchanged', '?')} unchanged, {s.get('docs_rejected', '?')} rejected; "
                            f"{s.get('figures_added', '?')} figures added"))
        if r["stages"]:
            rows.append(("  stages", ", ".join(f"{k} {v:.2f} s" for k, v in r["stages"].items())))
    return rows


def _ray_rows(r: dict[str, Any]) -> list[tuple[str, str]]:
    local, ray = r["local"], r["ray"]
    startup = ray["engine_startup_s"]
    return [(f"ray engine, {ray['files']} files", f"{ray['pages_per_s']:.0f} pages/s ({ray['wall_s']:.2f} s, "
                                                  f"peak {ray['peak_tree_mib']:.0f} MiB) beside the local pool's "
                                                  f"{local['pages_per_s']:.0f} pages/s ({local['wall_s']:.2f} s) "
                                                  f"in the same run; same documents, figures and rejects: "
                                                  f"{'yes' if r['same_counts'] else 'NO'}"),
            ("  ray start-up", f"{startup:.2f} s of it starting a local Ray; without it "
                               f"{ray['files'] / max(1e-9, ray['wall_s'] - startup):.0f} pages/s")]


def _query_rows(q: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("queries", f"{q['figures']:,} figures, parameters from {q['params_from']}")]
    for r in q["queries"]:
        label = f"  {r['query']}" + ("" if r["dashboard"] else " (not dashboard)")
        if "skipped" in r:
            rows.append((label, f"skipped: {r['skipped']}"))
        elif "error" in r:
            rows.append((label, f"error: {r['error']}"))
        else:
            rows.append((label, f"median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms "
                                f"({r['runs']} runs, {r['rows']} rows)"))
    return rows


def _report_rows(reports: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f"report, {key}", f"{r['wall_s']:.2f} s, {r['files']} files, {r['bytes'] / 1e6:.1f} MB"
             if r["available"] else f"not available: {r['reason']}") for key, r in reports.items()]


def _dashboard_rows(d: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("dashboard", f"{d['server']}, Chromium {d['chromium']}; {d['page_loads']} cold loads and "
                          f"{d['rounds']} rounds of each interaction per database")]
    for name, r in d["databases"].items():
        first, load = r["first_render"], r["first_render"]["median_load"]
        rows.append((f"dashboard, {name}",
                     f"{r['figures']:,} figures; first chart median {first['median_ms'] / 1000:.2f} s, "
                     f"p95 {first['p95_ms'] / 1000:.2f} s (the first load after the server started "
                     f"{first['after_server_start_ms'] / 1000:.2f} s; in the median load the browser's main thread "
                     f"was busy {load['long_tasks_ms'] / 1000:.2f} s)"))
        for step in r["interactions"]:
            slow = step["callbacks"][0]
            rows.append((f"  {step['interaction']}", f"median {step['median_ms']:.0f} ms, p95 {step['p95_ms']:.0f} ms "
                                                     f"({step['runs']} runs); slowest callback {slow['callback']} "
                                                     f"{slow['server_ms']:.0f} ms on the server"))
        rows += [("  not measured", reason) for reason in r["skipped"]]
    return rows


def table(results: dict[str, Any], verdicts: dict[str, Any]) -> str:
    """Everything measured, one line each, then the targets."""
    section_rows = {"extraction": _extraction_rows, "html": _html_rows, "build": _build_rows, "ray": _ray_rows,
                    "queries": _query_rows, "report": _report_rows, "dashboard": _dashboard_rows}
    machine = results["machine"]
    rows = [("machine", f"{machine['cpus']} cores; code {machine['code']}; 1-min load average per section: "
                        + ", ".join(f"{k} {a:.1f}→{b:.1f}" for k, (a, b) in machine["load"].items()))]
    rows += [row for name, rows_of in section_rows.items() if name in results for row in rows_of(results[name])]
    rows += [(f"{'PASS' if v['pass'] else 'MISS'}  {v['target']}", v["value"]) for v in verdicts.values()]
    width = max(len(a) for a, _ in rows)
    return "\n".join(f"{a.ljust(width)}  {b}" for a, b in rows)


def run_sections(args: argparse.Namespace) -> dict[str, Any]:
    sections = [s for s in args.sections.split(",") if s]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections: {sorted(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    load: dict[str, tuple[float, float]] = {}
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "code": code_version(), "load": load,
                                           "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}}

    def measured(name: str, section: Any) -> None:
        before = os.getloadavg()[0]
        results[name] = section()
        load[name] = (before, os.getloadavg()[0])

    if "extraction" in sections:
        peers_python = args.bench_venv / "bin" / "python"
        measured("extraction", lambda: extraction.run(args.corpus, args.out, int(args.extraction_mb * 1e6),
                                                      int(args.scaling_base_mb * 1e6), peers_python, args.repeats))
    if "html" in sections:
        measured("html", lambda: html_ingest.run(args.html_pages or build_corpus(args.pages, args.out),
                                                 repeats=args.repeats))
    if "build" in sections or "report" in sections:
        measured("build", lambda: e2e.builds(build_corpus(args.pages, args.out), args.out / "build"))
    if "ray" in sections:
        measured("ray", lambda: e2e.engines(build_corpus(args.pages, args.out), args.out / "engines"))
    if "queries" in sections:
        db = synthetic_db(args.out, args.figures)
        measured("queries", lambda: query_bench.run(db, args.query_runs, args.query_budget_s))
    if "report" in sections:
        measured("report", lambda: {
            "sample corpus": e2e.report_build(Path(e2e.build_once(args.corpus, args.out / "sample.duckdb")["db"]),
                                              args.out / "report_sample"),
            "build corpus": e2e.report_build(Path(results["build"]["db"]), args.out / "report_build"),
        })
        if "build" not in sections:
            del results["build"]
    if "dashboard" in sections:
        dbs = {"sample": Path(e2e.build_once(args.corpus, args.out / "sample.duckdb")["db"]),
               "synthetic": synthetic_db(args.out, args.figures)}
        measured("dashboard", lambda: browser_latency.run(dbs, args.page_loads, args.interaction_rounds))
    return results


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = options(argv)
    results = run_sections(args)
    for name, data in results.items():
        (args.out / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                                               encoding="utf-8")
    verdicts = judge(results)
    for stale in args.out.glob("profile_*.txt"):  # only this run's misses keep a profile
        stale.unlink()
    profiles = [] if args.no_profile else profile_misses(args, results, verdicts)
    text = table(results, verdicts)
    summary = {"sections": list(results), "targets": verdicts, "profiles": profiles, "table": text}
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    print(text)
    for p in profiles:
        print(f"profile: {p}")
    return summary


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
