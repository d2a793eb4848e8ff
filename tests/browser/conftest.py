"""Browser fixtures: the dashboard served from a thread, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dash_app.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(db: Path, curate: Path | None = None) -> Iterator[str]:
    """The dashboard over `db` (curating into the corrections file `curate`, if given), served
    from a thread on a free port; yields its URL."""
    server = make_server("127.0.0.1", free_port(), create_app(db, curate=curate).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def serve_dashboard():
    """`serving` for tests that need the dashboard over a database of their own."""
    return serving


@pytest.fixture(scope="session")
def dashboard_url(sample_db: Path) -> Iterator[str]:
    """The dashboard over the sample database, for the whole session."""
    with serving(sample_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/install-browser")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    """A fresh page, offline: requests leaving 127.0.0.1 are blocked and listed in `page.external`;
    console and page errors are listed in `page.errors`."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = context.new_page()
    pg.errors, pg.external = [], []

    def offline(route):
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            pg.external.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


@pytest.fixture()
def screenshot(page):
    """Save the page as build/screenshots/NAME.png (a test artefact to look at)."""
    def save(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return save
