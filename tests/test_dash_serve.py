"""Issue 2: `python -m pipeline serve` (what `make run` starts) serves the dashboard with chart data."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


@pytest.fixture()
def served(sample_db: Path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(sample_db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            get(url + "/")
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"serve exited: {proc.stderr.read().decode()}")
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("serve did not answer")
            time.sleep(0.2)  # polling for the port, not timing anything
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_serve_answers_with_the_page_and_a_trend_chart_from_the_database(served, sample_con):
    page = get(served + "/").decode()
    assert "_dash-renderer" in page or "dash_renderer" in page
    metric, code, year = sample_con.execute(
        "SELECT f.metric, f.region_code, f.year FROM figures f JOIN regions r ON r.code = f.region_code "
        "AND r.level = f.region_level WHERE f.metric IS NOT NULL AND f.period_kind NOT IN ('target', 'cumulative') "
        "AND f.year IS NOT NULL "
        "ORDER BY f.metric, f.region_code LIMIT 1").fetchone()
    values = {v for (v,) in sample_con.execute(
        "SELECT value FROM figures WHERE metric = ? AND region_code = ? AND year = ?"
        " AND period_kind NOT IN ('target', 'cumulative')",
        [metric, code, year]).fetchall()}
    body = {
        "output": "..trend-graph.figure...trend-graph.config..",
        "outputs": [{"id": "trend-graph", "property": "figure"}, {"id": "trend-graph", "property": "config"}],
        "inputs": [{"id": "tab", "property": "value", "value": "trends"},
                   {"id": "metric", "property": "value", "value": metric},
                   {"id": "regions", "property": "value", "value": [code]},
                   {"id": "years", "property": "value", "value": [year, year]},
                   {"id": "log", "property": "value", "value": []}],
        "changedPropIds": ["metric.value"],
    }
    request = urllib.request.Request(served + "/_dash-update-component", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        figure = json.loads(response.read())["response"]["trend-graph"]["figure"]
    lines = [t for t in figure["data"] if t.get("meta", {}).get("series") == code]
    assert len(lines) == 1 and lines[0]["x"] == [year] and lines[0]["y"][0] in values


def test_serve_is_waitress_with_security_headers_and_refuses_other_hosts(served):
    with urllib.request.urlopen(served + "/", timeout=10) as response:
        headers = response.headers
    assert headers["Server"] == "grassroots"   # waitress's ident, not Werkzeug's development server
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    rebound = urllib.request.Request(served + "/", headers={"Host": "attacker.example:8050"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(rebound, timeout=10)
    assert refused.value.code == 400
    local = urllib.request.Request(served + "/", headers={"Host": "localhost"})
    with urllib.request.urlopen(local, timeout=10) as response:
        assert response.status == 200
