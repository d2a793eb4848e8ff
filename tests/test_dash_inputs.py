"""Every dashboard callback, fed malformed inputs through real HTTP requests to the running
app: each answers 200 (the view's empty state) or 204 (nothing to update), never 500."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from callback_bodies import body, callbacks, slots
from dash import Dash
from werkzeug.serving import make_server

from dash_app.app import create_app

# Each input of each callback gets each of these in turn (the others valid).
# Kept few: every callback input × every value is a request (make fuzz tries many more).
MALFORMED = [None, 7, "'; DROP TABLE figures; --" * 100, [1, "a", None], {"points": [{"customdata": [None, "y"]}]}]


@contextmanager
def serving(db: Path, curate: Path | None = None) -> Iterator[tuple[str, Dash]]:
    app = create_app(db, curate=curate)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def served(sample_db: Path):
    with serving(sample_db) as found:
        yield found


def post(url: str, payload: dict) -> int:
    request = urllib.request.Request(url + "/_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            json.loads(response.read() or b"{}")
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def malformed_statuses(url: str, app: Dash) -> dict[int, list[str]]:
    """Every callback input, given each malformed value: the HTTP statuses and what got each."""
    statuses: dict[int, list[str]] = {}
    for output, spec in callbacks(app):
        for slot, item in enumerate(slots(spec)):
            for bad in MALFORMED:
                payload = body(output, spec, slot, bad)
                statuses.setdefault(post(url, payload), []).append(f"{output} {item['id']} ← {bad!r:.40}")
    return statuses


def test_malformed_inputs_never_give_a_server_error(served) -> None:
    url, app = served
    assert len(callbacks(app)) >= 8
    statuses = malformed_statuses(url, app)
    assert set(statuses) <= {200, 204}, {k: v[:5] for k, v in statuses.items() if k not in (200, 204)}
    assert statuses.get(200)   # the views did answer, with their empty states


def test_a_curating_dashboard_takes_malformed_input_without_error_or_writing(sample_db: Path, tmp_path: Path) -> None:
    db, ledger_file = tmp_path / "figures.duckdb", tmp_path / "corrections.jsonl"
    shutil.copyfile(sample_db, db)
    with serving(db, curate=ledger_file) as (url, app):
        names = {output for output, _spec in callbacks(app)}
        assert any("cf-save" in json.dumps(spec["inputs"]) for _o, spec in callbacks(app)), names
        statuses = malformed_statuses(url, app)
    assert set(statuses) <= {200, 204}, {k: v[:5] for k, v in statuses.items() if k not in (200, 204)}
    assert not ledger_file.exists()


def test_a_malformed_point_shows_the_evidence_hint(served) -> None:
    url, app = served
    output, spec = next((o, s) for o, s in callbacks(app) if o == "evidence-list.children")
    slot = next(i for i, item in enumerate(slots(spec)) if item["id"] == "point")
    payload = body(output, spec, slot, {"series": ["x"], "year": 2023, "kind": "year"})
    request = urllib.request.Request(url + "/_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.loads(response.read())
    assert "Click a point" in json.dumps(answer, ensure_ascii=False)


def test_atheris_run_over_the_callbacks_finds_no_server_error(tmp_path: Path) -> None:
    """A short coverage-guided run of tests/fuzz_callbacks.py (`make fuzz` runs a longer one)."""
    script = Path(__file__).with_name("fuzz_callbacks.py")
    run = subprocess.run([sys.executable, str(script), "-runs=100", "-seed=1", "-max_len=400",
                          f"-artifact_prefix={tmp_path}/"],
                         capture_output=True, text=True, timeout=300, cwd=script.parent.parent)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 100 runs" in run.stderr
