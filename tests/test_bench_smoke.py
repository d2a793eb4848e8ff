"""`make bench` code run once on a tiny input so it cannot rot. No timing is asserted:
only that every section runs and writes results of the documented shape. The dashboard
section drives Chromium, so it has a test of its own, marked `browser`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import e2e, html_ingest, procmem, query_bench, run
from pipeline.warehouse import queries

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "data" / "corpus"
DASHBOARD_TARGETS = {"first_chart", "interactions"}
NOT_BROWSER = [s for s in run.SECTIONS if s != "dashboard"]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two of the sample reports (about 16 KB)."""
    corpus = tmp_path_factory.mktemp("tiny") / "corpus"
    corpus.mkdir()
    for path in sorted(SAMPLE_CORPUS.iterdir())[:2]:
        shutil.copy(path, corpus / path.name)
    return corpus


@pytest.fixture(scope="module")
def html_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two small web pages of our annotated set."""
    folder = tmp_path_factory.mktemp("html")
    for path in sorted((ROOT / "tests" / "eval" / "corpus").glob("*.html")):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def bench_out(tmp_path_factory: pytest.TempPathFactory, tiny_corpus: Path, html_pages: Path) -> Path:
    out = tmp_path_factory.mktemp("bench")
    run.main(["--out", str(out), "--sections", ",".join(NOT_BROWSER), "--corpus", str(tiny_corpus),
              "--extraction-mb", "0.03", "--scaling-base-mb", "0.02", "--pages", str(tiny_corpus),
              "--html-pages", str(html_pages), "--figures", "2000", "--query-runs", "2", "--no-profile"])
    return out


def load(out: Path, name: str) -> dict:
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


def test_every_section_writes_its_json(bench_out: Path) -> None:
    summary = load(bench_out, "summary")
    assert summary["sections"] == ["machine", "extraction", "html", "build", "ray", "queries", "report"]
    machine = load(bench_out, "machine")
    assert set(machine["load"]) == {"extraction", "html", "build", "ray", "queries", "report"}
    assert set(summary["targets"]) == set(run.TARGETS) - DASHBOARD_TARGETS
    for verdict in summary["targets"].values():
        assert isinstance(verdict["pass"], bool)
        assert ("PASS  " if verdict["pass"] else "MISS  ") + verdict["target"] in summary["table"]


def test_extraction_measures_ours_and_the_floor_on_the_same_text(bench_out: Path) -> None:
    x = load(bench_out, "extraction")
    assert x["one_core"]["figures"] > 0 and x["one_core"]["mb"] >= 0.03
    assert x["all_cores"]["figures"] == x["one_core"]["figures"]
    assert set(x["stages"]) == {"text", "figures", "place"}
    floor = next(p for p in x["peers"] if p["peer"] == "floor")
    assert floor["available"] and floor["found"] > 0
    assert floor["bytes"] == round(x["one_core"]["mb"] * 1e6)
    assert [s["factor"] for s in x["scaling"]] == [1, 2, 4, 8]
    assert x["scaling"][3]["mb"] == pytest.approx(8 * x["scaling"][0]["mb"])
    assert [s["factor"] for s in x["length_scaling"]] == [1, 2, 4, 8]
    assert x["length_scaling"][1]["mb"] > x["length_scaling"][0]["mb"]


def test_html_section_times_ours_and_trafilatura_on_the_same_pages(bench_out: Path, html_pages: Path) -> None:
    h = load(bench_out, "html")
    assert h["available"] and h["corpus"] == str(html_pages)
    assert h["ours"]["pages"] == h["trafilatura"]["pages"] == 1  # every third of the two pages
    assert h["ours"]["pages_per_s"] > 0 and h["trafilatura"]["pages_per_s"] > 0
    assert h["speedup"] == pytest.approx(h["ours"]["pages_per_s"] / h["trafilatura"]["pages_per_s"])
    assert "beside trafilatura's" in load(bench_out, "summary")["table"]


def test_html_section_says_when_there_are_no_pages(tiny_corpus: Path) -> None:
    assert html_ingest.run(tiny_corpus) == {"available": False, "reason": f"no HTML pages in {tiny_corpus}"}


def test_old_reader_yardstick_reads_the_article(html_pages: Path) -> None:
    """The trafilatura reader the rate is compared with does the old work: the article and its date."""
    page = html_pages / "103_county_news.html"
    text, date = html_ingest.trafilatura_read(page.name, page.read_bytes())
    assert "全县717个村党组织书记" in text and "首页" not in text
    assert date == "2021-11-08"


def test_builds_report_a_full_an_unchanged_and_a_changed_rebuild(bench_out: Path, tiny_corpus: Path) -> None:
    b = load(bench_out, "build")
    assert b["full"]["files"] == len(list(tiny_corpus.iterdir()))
    assert b["full"]["summary"]["figures_added"] > 0
    assert b["changed"]["files_changed"] == 1
    for key in ("full", "no_change", "changed"):
        assert b[key]["peak_tree_mib"] >= b[key]["peak_process_mib"] > 0


def test_ray_row_times_both_engines_on_the_same_files(bench_out: Path, tiny_corpus: Path) -> None:
    r = load(bench_out, "ray")
    assert r["local"]["files"] == r["ray"]["files"] == 2 and r["same_counts"]
    assert 0 < r["ray"]["engine_startup_s"] < r["ray"]["wall_s"]
    assert "ray engine, 2 files" in load(bench_out, "summary")["table"]


def test_every_named_query_is_timed_or_says_why_not(bench_out: Path) -> None:
    q = load(bench_out, "queries")
    assert q["figures"] == 2000
    assert [r["query"] for r in q["queries"]] == queries.names()
    for r in q["queries"]:
        assert "error" not in r, r
        assert ("p95_ms" in r and r["runs"] == 2) or "skipped" in r
    assert [r["query"] for r in q["queries"] if "skipped" in r] == ["ray_staged_results"]


def test_report_rows_say_whether_the_report_exists(bench_out: Path) -> None:
    reports = load(bench_out, "report")
    assert set(reports) == {"sample corpus", "build corpus"}
    assert all(isinstance(r["available"], bool) for r in reports.values())


@pytest.mark.browser
def test_dashboard_section_times_page_loads_and_every_interaction(tmp_path: Path, tiny_corpus: Path) -> None:
    """One cold load and one round of each interaction on the tiny corpus's database and a
    2,000-figure synthetic one; each change waits for the callback of the view it changes.
    Run as `make bench` runs it, in a process of its own (the browser tests' Playwright holds
    an event loop in this one, and a second sync Playwright cannot start inside it)."""
    subprocess.run([sys.executable, "-m", "bench.run", "--out", str(tmp_path), "--sections", "dashboard",
                    "--corpus", str(tiny_corpus), "--figures", "2000", "--page-loads", "1",
                    "--interaction-rounds", "1"], cwd=ROOT, check=True, capture_output=True, timeout=900)
    summary = load(tmp_path, "summary")
    d = load(tmp_path, "dashboard")
    assert set(d["databases"]) == {"sample", "synthetic"}
    views = {"change metric": "trend-graph.figure", "remove/add a region": "trend-graph.figure",
             "change year range": "trend-graph.figure", "tab Trends→Compare": "compare-bar.figure",
             "tab Compare→Evidence": "evidence-list.children", "tab Evidence→Table": "table.rowData",
             "tab Table→Trends": "trend-graph.figure", "Compare: change level": "compare-bar.figure"}
    for r in d["databases"].values():
        first = r["first_render"]
        assert first["runs"] == 1 and first["median_ms"] > 0
        assert "/_dash-layout" in [q["request"] for q in first["median_load"]["requests"]]
        steps = {s["interaction"]: s for s in r["interactions"]}
        assert len(steps) + len(r["skipped"]) == len(views)
        for label, step in steps.items():
            assert step["runs"] == (1 if label.startswith("tab ") else 2)
            assert views[label] in [c["callback"] for c in step["callbacks"]]
    assert d["databases"]["synthetic"]["skipped"] == []
    assert set(summary["targets"]) == DASHBOARD_TARGETS
    assert (tmp_path / "profile_dashboard.txt").exists() == (not all(v["pass"] for v in summary["targets"].values()))


def test_change_files_edits_one_file_in_a_hundred(corpus: Path) -> None:
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    changed = e2e.change_files(corpus, 0.01)
    after = {p.name: p.read_bytes() for p in corpus.iterdir()}
    assert changed == [n for n in before if before[n] != after[n]]
    assert len(changed) == 1


def test_memory_and_cpu_count_every_process_of_the_tree(tmp_path: Path) -> None:
    """A child holds 150 MiB and burns 1 s of CPU, and so does its own child, which it never
    waits for (as a pool's workers may not be): both count."""
    work = ("import time; block = bytearray(150 * 2**20); block[::4096] = b'x' * len(block[::4096]); "
            "t = time.process_time()\nwhile time.process_time() - t < 1: pass")
    parent = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {work!r}]); {work}\ntime.sleep(0.5)"
    r = procmem.measure([sys.executable, "-c", parent], cwd=tmp_path)
    assert r["returncode"] == 0
    assert r["peak_process_mib"] >= 150
    assert r["peak_tree_mib"] >= 300
    assert r["cpu_s"] >= 1.6


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert query_bench.percentile(samples, 0.95) == 95.0
    assert query_bench.percentile(samples, 0.5) == 50.0
    assert query_bench.percentile([3.0], 0.95) == 3.0


def test_peers_script_runs_standalone(tmp_path: Path) -> None:
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps({"texts": ["增长12.5%，投资3亿元"], "copies": 3, "repeats": 2}, ensure_ascii=False),
                     encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "peers.py"), "floor", str(texts)],
                         capture_output=True, text=True, check=True).stdout
    report = json.loads(out)
    assert report["found"] == 6 and report["docs"] == 3 and report["repeats"] == 2
