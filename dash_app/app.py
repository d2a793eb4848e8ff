"""create_app(db_path) → the Dash app; nothing happens at import time."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dash_app import security
from dash_app.components import data, geo, shell, url_sync
from dash_app.db import Database
from dash_app.pages import compare, corrections, evidence, review, subjects, table, trends

ASSETS = Path(__file__).resolve().parent / "assets"
PAGES = (trends, compare, evidence, table, subjects, review, corrections)   # in the order of their tabs
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def create_app(db_path: Path | str, title: str = "Grassroots figures 基层数据",
               allowed_hosts: tuple[str, ...] = LOCAL_HOSTS, curate: Path | None = None) -> Dash:
    """The dashboard over the database at `db_path`, re-read whenever a build replaces the file;
    it answers only requests for `allowed_hosts`, with the headers of dash_app.security. With
    `curate` (a corrections file) the evidence panel lets analysts correct, reject and confirm
    figures, written through pipeline.curation like the `correct` command."""
    db = Database(db_path, curate)
    app = Dash(__name__, title=title, assets_folder=str(ASSETS), suppress_callback_exceptions=True)

    def serve_layout():
        with db.connect() as con:
            if con is None:
                return shell.no_database(db.path, f"No database at {db.path} 找不到数据库.")
            bounds = data.year_bounds(con)
        if bounds is None:
            return shell.no_database(db.path, f"The database at {db.path} has no figures yet 数据库中还没有数据.")
        return shell.page(bounds, [page.layout() for page in PAGES])

    app.layout = serve_layout
    url_sync.register(app, db)
    for page in PAGES:
        page.register(app, db)
    geo.serve(app.server)
    security.secure(app, allowed_hosts)
    return app
