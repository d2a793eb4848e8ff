"""Dashboard latency in headless Chromium (issue 13): how long a cold page load takes to draw
its first chart, and how long each main control takes to redraw the view it changes.

The dashboard is served by `python -m pipeline serve` (waitress) in a subprocess, the way
users get it; Playwright drives Debian's Chromium against it.

How it is timed: a script injected before the page's own (PAGE_JS) wraps `fetch`, so the page
knows which Dash callback requests are in flight, and checks its conditions at every DOM change
(a MutationObserver) and at every answer. Times are the page's own clock (performance.now()).

First chart: from navigation start to the first moment the trend graph holds a trace with
points (`gd.data`) and Plotly has drawn its paths.

A change: each step (one change of a control) is made once untimed, and what its view shows
once everything has settled is kept: the traces Plotly holds and the paths it drew, the text
of the evidence list, or the grid's rows. A timed step then fires the real input (a click on
a dropdown option, a tab or a radio button; a key on the years slider); the clock starts at
that event's timestamp and stops at the first moment when the view's own callback has been
sent since the event and answered, no callback request is in flight, nothing carries Dash's
`data-dash-is-loading="true"`, and the view shows what it showed untimed. So a step counts
its whole chain of callbacks (the URL sync, then the view's) and Plotly's drawing; a chart
drawn on the way never stops the clock, nor does a tab that opens on the chart it last drew
before its callback has answered. Nothing is measured by waiting a fixed time.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import polars as pl

from bench.query_bench import percentile
from dash_app.components import controls, data, state
from pipeline.warehouse import queries

ROOT = Path(__file__).resolve().parent.parent
SERVER = "python -m pipeline serve (waitress, default threads) in a subprocess"
# Debian's Chromium with the browser tests' flags (tests/browser/conftest.py); host names other
# than 127.0.0.1 resolve to nothing, so the page stays offline without intercepting requests
# (Playwright's routing would add a round trip to every request measured).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 120_000
QUIET_MS = 500        # settling between steps (untimed): no request in flight for this long
SERVER_START_S = 60

PAGE_JS = """(() => {
const B = window.__bench = {fetches: [], inflight: 0, lastEnd: 0, firstChart: null, probe: null, expected: {},
                            longTasks: []};
const plot = id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd.data) return null;
    const drawn = gd.querySelectorAll('.scatterlayer path, .barlayer path, .choroplethlayer path').length;
    return JSON.stringify([gd.data.map(t => [t.type, t.name, t.x, t.y, t.z, t.locations]), gd.layout.title, drawn]);
};
// each view: the callback that draws it (by its first output) and what it shows, null until it is drawn
B.views = {
    trend: {callback: 'trend-graph.figure', shown: () => plot('trend-graph')},
    compare: {callback: 'compare-bar.figure', shown: () => {
        const bar = plot('compare-bar'), map = plot('compare-map');
        return bar && map && bar + map;
    }},
    evidence: {callback: 'evidence-list.children', shown: () => {
        const list = document.getElementById('evidence-list');
        return list ? list.innerText : null;
    }},
    table: {callback: 'table.rowData', shown: () => {
        const note = document.getElementById('table-note');
        const rows = document.querySelectorAll('#table .ag-center-cols-container .ag-row');
        return note ? [rows.length, rows.length ? rows[0].innerText : '', note.innerText].join('|') : null;
    }},
};
const loading = () => document.querySelector('[data-dash-is-loading="true"]') !== null;
const trendDrawn = () => {
    const gd = document.querySelector('#trend-graph .js-plotly-plot');
    return !!(gd && gd.data && gd.data.some(t => t.x && t.x.length) && gd.querySelector('.scatterlayer path'));
};
B.check = () => {
    const now = performance.now();
    if (B.firstChart === null && trendDrawn()) B.firstChart = now;
    const p = B.probe;
    if (!p || p.t0 === null || p.done !== null || B.inflight || loading()) return;
    // a tab opens on the chart it last drew: only its own callback's answer ends the change
    if (!B.fetches.some(f => f.start >= p.t0 && f.output === B.views[p.view].callback)) return;
    if (B.views[p.view].shown() === B.expected[p.key]) p.done = now;
};
B.settled = (view, quietMs) => B.inflight === 0 && B.fetches.some(f => f.output)
    && performance.now() - B.lastEnd > quietMs && !loading() && B.views[view].shown() !== null;
B.remember = (key, view) => { B.expected[key] = B.views[view].shown(); };
B.arm = (key, view, event) => { B.probe = {key, view, event, t0: null, done: null}; };
B.result = () => {
    const p = B.probe;
    return {ms: p.done - p.t0, requests: B.fetches.filter(f => f.output && f.start >= p.t0 && f.start <= p.done)
        .map(f => ({callback: f.output, ms: f.ms, server_ms: B.serverMs(f)}))};
};
for (const type of ['pointerdown', 'keydown']) {
    window.addEventListener(type, e => {
        if (B.probe && B.probe.t0 === null && e.type === B.probe.event) B.probe.t0 = e.timeStamp;
    }, true);
}
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
    let output = null;
    try { output = JSON.parse(init.body).output || null; } catch (e) { /* not a callback */ }
    const f = {url: new URL(typeof input === 'string' ? input : input.url, location.href).href,
               output: output && output.replace(/^\\.\\.|\\.\\.$/g, '').split('...')[0], start: performance.now(),
               ms: null};
    B.fetches.push(f);
    B.inflight++;
    try { return await realFetch(input, init); }
    finally { f.ms = performance.now() - f.start; B.inflight--; B.lastEnd = performance.now(); B.check(); }
};
// main-thread work of 50 ms or more (script parsing, rendering): where a slow load goes
new PerformanceObserver(list => B.longTasks.push(...list.getEntries().map(e => [e.startTime, e.duration])))
    .observe({type: 'longtask', buffered: true});
// the server's share of a request: the network's own timing, which a busy main thread cannot delay
// (the page's time when the request has none)
performance.setResourceTimingBufferSize(100000);
B.serverMs = f => {
    const near = performance.getEntriesByType('resource').filter(e => e.name === f.url)
        .sort((a, b) => Math.abs(a.startTime - f.start) - Math.abs(b.startTime - f.start))[0];
    return near && near.responseStart ? near.responseStart - near.requestStart : f.ms;
};
new MutationObserver(B.check).observe(document, {subtree: true, childList: true, attributes: true,
                                                 characterData: true});
})();"""

FIRST_RENDER_JS = """() => {
    const B = window.__bench, nav = performance.getEntriesByType('navigation')[0];
    const busy = B.longTasks.filter(([start]) => start < B.firstChart);
    return {first_chart_ms: B.firstChart, html_ms: nav.responseEnd, dom_content_loaded_ms: nav.domContentLoadedEventEnd,
            load_ms: nav.loadEventEnd, long_tasks: busy.length, long_tasks_ms: busy.reduce((t, [, d]) => t + d, 0),
            requests: B.fetches.filter(f => f.start <= B.firstChart).map(f => ({
                request: f.output || new URL(f.url).pathname, start_ms: f.start, ms: f.ms, server_ms: B.serverMs(f)}))};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The production server (`python -m pipeline serve`: waitress) over `db` in a subprocess,
    so the numbers are what users get; yields its URL once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
                                cwd=ROOT, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + SERVER_START_S
            while True:
                try:
                    urllib.request.urlopen(url + "/_dash-layout", timeout=5).close()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(f"the dashboard did not start: {log.read().decode()[-500:]}") from None
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def summary(samples: list[float]) -> dict[str, Any]:
    return {"runs": len(samples), "median_ms": statistics.median(samples), "p95_ms": percentile(samples, 0.95),
            "max_ms": max(samples), "samples_ms": samples}


def page_load(browser: Any, url: str) -> dict[str, Any]:
    """One cold load (a new context: empty cache) until the trend chart is drawn with its data."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PAGE_JS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__bench.firstChart !== null", timeout=TIMEOUT_MS)
        return page.evaluate(FIRST_RENDER_JS)
    finally:
        context.close()


def first_render(browser: Any, url: str, loads: int) -> dict[str, Any]:
    """`loads` cold page loads after one that is kept apart: the first after the server starts
    (imports, the database's first reads)."""
    after_start = page_load(browser, url)
    runs = [page_load(browser, url) for _ in range(loads)]
    ordered = sorted(runs, key=lambda r: r["first_chart_ms"])
    return {**summary([r["first_chart_ms"] for r in runs]), "after_server_start_ms": after_start["first_chart_ms"],
            "median_load": ordered[(len(ordered) - 1) // 2]}


@dataclass
class Step:
    """One change of a control: `act(page, arm)` does what leads up to it (opening a dropdown,
    typing a search), calls `arm()`, then fires `event` (the input that changes the view)."""
    label: str
    view: str          # the view that must show the change: a key of B.views in PAGE_JS
    event: str         # 'pointerdown' or 'keydown'
    act: Callable[[Any, Callable[[], None]], None]


def option(page: Any, value: str) -> Any:
    return page.locator(f".dash-dropdown-option:has(input[value={json.dumps(value, ensure_ascii=False)}])")


def pick(dropdown: str, search: str, value: str) -> Callable[[Any, Callable[[], None]], None]:
    """Open a dropdown, search, click the option (a multi-select toggles it), close it."""
    def act(page: Any, arm: Callable[[], None]) -> None:
        page.locator(f"#{dropdown}").click()
        page.locator(".dash-dropdown-search").fill(search)
        option(page, value).wait_for(timeout=TIMEOUT_MS)
        arm()
        option(page, value).click()
        page.keyboard.press("Escape")
    return act


def click(selector: str, text: str | None = None) -> Callable[[Any, Callable[[], None]], None]:
    def act(page: Any, arm: Callable[[], None]) -> None:
        arm()
        page.locator(selector, has_text=text).first.click()
    return act


def key(selector: str, name: str) -> Callable[[Any, Callable[[], None]], None]:
    def act(page: Any, arm: Callable[[], None]) -> None:
        page.locator(selector).focus()
        arm()
        page.keyboard.press(name)
    return act


def tab(label: str, to: str) -> Step:
    names = {"trend": "Trends", "compare": "Compare", "evidence": "Evidence", "table": "Table"}
    return Step(f"tab {label}", to, "pointerdown", click("#tab .tab", names[to]))


def view_plan(db: Path) -> dict[str, Any]:
    """What the steps change, from the database through the dashboard's own functions: its
    opening metric and regions, a second metric, the opening view's first point (for the
    Evidence tab) and the figures count."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        metric = controls.default_metric(con)
        if metric is None:
            raise RuntimeError(f"{db} has no figure with a metric: nothing to chart")
        regions = controls.default_regions(con, metric)
        metrics = data.metric_options(con).filter(pl.col("figures") > 0).sort(["figures", "id"],
                                                                             descending=[True, False])
        others = metrics.filter(pl.col("id") != metric)
        bounds = data.year_bounds(con) or (0, 0)
        found = data.points(con, metric, series=regions, years=bounds)
        point = found.row(0, named=True) if found.height else None
        names = dict(data.region_options(con, metric).select("series", "name").iter_rows())
        return {
            "figures": int(queries.run(con, "status_counts")["figures"][0]),
            "metric": (metric, metrics.filter(pl.col("id") == metric)["zh"][0]),
            "other_metric": (others["id"][0], others["zh"][0]) if others.height else None,
            "toggled_region": (regions[-1], names[regions[-1]] or regions[-1]),
            "years": bounds,
            "point": state.format_point({"series": point["series"], "year": point["year"],
                                         "kind": point["point_kind"]}) if point else None,
        }
    finally:
        con.close()


def interactions(plan: dict[str, Any]) -> tuple[list[tuple[str, list[Step]]], list[str]]:
    """(opening URL query, steps) of each interaction, and why any is left out. Each
    interaction's steps bring the view back to where they started."""
    metric, other = plan["metric"], plan["other_metric"]
    found: list[tuple[str, list[Step]]] = []
    skipped = []
    if other:
        found.append(("", [Step("change metric", "trend", "pointerdown", pick("metric", other[1], other[0])),
                           Step("change metric", "trend", "pointerdown", pick("metric", metric[1], metric[0]))]))
    else:
        skipped.append("change metric: the database has one metric")
    series, name = plan["toggled_region"]
    found.append(("", [Step("remove/add a region", "trend", "pointerdown", pick("regions", name, series))] * 2))
    if plan["years"][0] < plan["years"][1]:
        thumb = "#years .dash-slider-thumb-1"   # PageUp/PageDown move the first year by ten
        found.append(("", [Step("change year range", "trend", "keydown", key(thumb, "PageUp")),
                           Step("change year range", "trend", "keydown", key(thumb, "PageDown"))]))
    else:
        skipped.append("change year range: the database has one year")
    found.append(("?" + urlencode({"point": plan["point"]}) if plan["point"] else "", [
        tab("Trends→Compare", "compare"), tab("Compare→Evidence", "evidence"),
        tab("Evidence→Table", "table"), tab("Table→Trends", "trend")]))
    level = "#level .dash-options-list-option"
    found.append(("?tab=compare", [
        Step("Compare: change level", "compare", "pointerdown", click(level, "prefectures")),
        Step("Compare: change level", "compare", "pointerdown", click(level, "provinces"))]))
    return found, skipped


def settle(page: Any, view: str) -> None:
    """Untimed: wait until `view` is drawn and no callback has been in flight for QUIET_MS."""
    page.wait_for_function("([view, quiet]) => window.__bench.settled(view, quiet)", arg=[view, QUIET_MS],
                           timeout=TIMEOUT_MS)


def armer(page: Any, key: int, step: Step) -> Callable[[], None]:
    """Arms the page's probe for the `key`th step: its clock starts at the step's next input event."""
    def arm() -> None:
        page.evaluate("([key, view, event]) => window.__bench.arm(key, view, event)", [key, step.view, step.event])
    return arm


def run_interaction(browser: Any, url: str, query: str, steps: list[Step], rounds: int) -> list[dict[str, Any]]:
    """One untimed round of `steps` (recording what each leaves drawn), then `rounds` timed
    rounds; per step label, its latencies and each callback's request times."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PAGE_JS)
    try:
        page = context.new_page()
        page.goto(f"{url}/{query}")
        settle(page, steps[-1].view)
        for i, step in enumerate(steps):
            step.act(page, lambda: None)
            settle(page, step.view)
            page.evaluate("([key, view]) => window.__bench.remember(key, view)", [i, step.view])
        samples: dict[str, list[dict[str, Any]]] = {}
        for _ in range(rounds):
            for i, step in enumerate(steps):
                step.act(page, armer(page, i, step))
                page.wait_for_function("() => window.__bench.probe.done !== null", timeout=TIMEOUT_MS)
                samples.setdefault(step.label, []).append(page.evaluate("() => window.__bench.result()"))
                settle(page, step.view)
    finally:
        context.close()
    return [{"interaction": label, **summary([r["ms"] for r in runs]), "callbacks": callbacks(runs)}
            for label, runs in samples.items()]


def callbacks(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each callback the change set off, named by its first output: how many requests per change,
    the median time the server took to answer (from the browser's network timing) and the median
    time until the page had the answer (longer when its main thread is busy), slowest first."""
    requests: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        for request in r["requests"]:
            requests.setdefault(request["callback"], []).append(request)
    found = [{"callback": name, "per_change": len(sent) / len(runs),
              "server_ms": statistics.median(q["server_ms"] for q in sent),
              "page_ms": statistics.median(q["ms"] for q in sent)} for name, sent in requests.items()]
    return sorted(found, key=lambda c: -c["server_ms"])


def measure(browser: Any, db: Path, loads: int, rounds: int) -> dict[str, Any]:
    plan = view_plan(db)
    found, skipped = interactions(plan)
    with serving(db) as url:
        first = first_render(browser, url, loads)
        steps = [row for query, interaction in found
                 for row in run_interaction(browser, url, query, interaction, rounds)]
    return {"db": str(db), "figures": plan["figures"], "first_render": first, "interactions": steps,
            "skipped": skipped}


def run(databases: dict[str, Path], loads: int, rounds: int) -> dict[str, Any]:
    """First render and interactions on each database; `loads` cold page loads, `rounds`
    rounds of each interaction (metric A→B→A is one round of two changes)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: run scripts/install-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return {"server": SERVER, "chromium": browser.version, "page_loads": loads, "rounds": rounds,
                    "databases": {name: measure(browser, db, loads, rounds) for name, db in databases.items()}}
        finally:
            browser.close()


def slowest(results: dict[str, Any], out: Path) -> Path:
    """For a missed target: each database's median cold load (the main thread's long tasks, and
    request by request) and each interaction's callbacks with their times."""
    lines = [f"dashboard latency: {results['server']}, Chromium {results['chromium']}"]
    for name, r in results["databases"].items():
        load = r["first_render"]["median_load"]
        lines += ["", f"== {name}: {r['db']} ({r['figures']:,} figures)",
                  f"median cold load: first chart at {load['first_chart_ms']:.0f} ms; HTML {load['html_ms']:.0f} ms, "
                  f"DOMContentLoaded {load['dom_content_loaded_ms']:.0f} ms; main thread busy in "
                  f"{load['long_tasks']} long tasks for {load['long_tasks_ms']:.0f} ms",
                  *(f"  {q['request']}: sent at {q['start_ms']:.0f} ms, server {q['server_ms'] or 0:.0f} ms, "
                    f"in the page after {q['ms']:.0f} ms" for q in load["requests"])]
        for step in r["interactions"]:
            lines.append(f"{step['interaction']}: median {step['median_ms']:.0f} ms, p95 {step['p95_ms']:.0f} ms")
            lines += [f"  {c['callback']}: server {c['server_ms']:.0f} ms, in the page after {c['page_ms']:.0f} ms "
                      f"({c['per_change']:g} per change)" for c in step["callbacks"]]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
