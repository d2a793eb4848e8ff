"""HTTP hardening of the dashboard: which Host it answers, and what a browser may load and embed.

A Host allow-list stops DNS rebinding (a web page whose name is re-pointed at 127.0.0.1 reads
a local dashboard); the Content-Security-Policy lets the page run only its own scripts and
Dash's inline ones (by hash), connect only to its own server and never be framed."""

from __future__ import annotations

from collections.abc import Iterable

from dash import Dash
from flask import Response, abort, request


def content_security_policy(app: Dash) -> str:
    """Only this server's assets; Dash's inline scripts (its renderer start) by their hashes.
    Styles may be inline: Plotly and AG Grid set element styles from script."""
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def secure(app: Dash, allowed_hosts: Iterable[str]) -> None:
    """Answer only requests whose Host (without port) is in `allowed_hosts` (400 otherwise),
    and send the security headers with every response."""
    allowed = {h.lower().strip("[]") for h in allowed_hosts}
    policy: list[str] = []   # computed at the first response, once every callback is defined

    @app.server.before_request
    def check_host() -> None:
        host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        if host.lower().strip("[]") not in allowed:
            abort(400, description="this dashboard does not answer for that host name")

    @app.server.after_request
    def add_headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
