"""The form that corrects, rejects or confirms one figure from the evidence panel (`serve
--curate`): its layout, filled with the figure as analysts see it now, and the request it makes
of its fields, checked like every callback input. The correction itself is written by
pipeline.curation, the same path as the `correct` command."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dash_app.components import inputs
from dash_app.components.evidence_card import CURATE_ACTIONS
from pipeline.curation.entries import MAX_TEXT
from pipeline.present.format import PERIOD_NAMES, QUALIFIER_NAMES, format_value

# the form's fields and the correction fields they set
FIELDS = {"cf-value": "value", "cf-unit": "unit", "cf-qualifier": "qualifier", "cf-metric": "metric",
          "cf-region": "region_code", "cf-year": "year", "cf-period": "period_kind"}


def empty() -> list[Any]:
    """The form's fields with nothing chosen: they exist whenever the save callback can fire."""
    return form(None, None, [])


def form(target: dict[str, Any] | None, figure: dict[str, Any] | None, metrics: list[dict[str, Any]]) -> list[Any]:
    """The form for `target` ({figure, action}) on `figure`; hidden when there is none. A reject
    or a confirm asks only why; a correction shows the fields to change, filled as they are."""
    shown = target is not None and figure is not None
    action = target["action"] if target else "set"
    f = figure or {}
    now = format_value(f.get("value"), f.get("unit"), f.get("qualifier"))
    title = f"{CURATE_ACTIONS[action]}: “{f.get('text')}” = {now}" if shown else ""

    def field(label: str, control: Any) -> html.Label:
        return html.Label([html.Span(label), control], className="cf-field")

    return [html.Div(className="correction-form", hidden=not shown, children=[
        html.H4(title),
        html.Div(className="cf-fields", hidden=action != "set", children=[
            field("value 数值 (canonical units: 521万 = 5210000)",
                  dcc.Input(id="cf-value", type="number", value=f.get("value"), debounce=True)),
            field("unit 单位", dcc.Input(id="cf-unit", type="text", value=f.get("unit"), maxLength=20)),
            field("qualifier 限定", dcc.Dropdown(id="cf-qualifier", value=f.get("qualifier"), clearable=False,
                                                 options=_options(QUALIFIER_NAMES))),
            field("metric 指标", dcc.Dropdown(id="cf-metric", value=f.get("metric"), options=metrics,
                                              placeholder="no metric 无指标")),
            field("region code 地区代码", dcc.Input(id="cf-region", type="text", value=f.get("region_code"),
                                                    maxLength=12)),
            field("year 年份", dcc.Input(id="cf-year", type="number", value=f.get("year"), min=1900, max=2100, step=1)),
            field("period 时期", dcc.Dropdown(id="cf-period", value=f.get("period_kind"), clearable=False,
                                              options=_options(PERIOD_NAMES))),
        ]),
        field("reason 原因 (required 必填)", dcc.Textarea(id="cf-reason", value="", maxLength=MAX_TEXT)),
        field("your name 姓名", dcc.Input(id="cf-author", type="text", maxLength=80, persistence=True,
                                          persistence_type="local")),
        html.Button(f"save 保存 — {CURATE_ACTIONS[action]}", id="cf-save", n_clicks=0, className="cf-save"),
    ])]


def _options(names: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": key} for key, label in names.items()]


def target(value: Any) -> dict[str, str] | None:
    """{figure, action} as the curate buttons' ids give it, or None."""
    if not isinstance(value, dict):
        return None
    figure, action = inputs.text(value.get("figure")), value.get("action")
    return {"figure": figure, "action": action} if figure and action in CURATE_ACTIONS else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    return float(value) if isinstance(value, int | float) else None


def changes(values: dict[str, Any]) -> dict[str, Any]:
    """The correction fields the form's values give (a malformed one given as None: unchanged)."""
    year = _number(values.get("cf-year"))
    texts = ("cf-unit", "cf-qualifier", "cf-metric", "cf-region", "cf-period")
    out: dict[str, Any] = {FIELDS[k]: inputs.text(v) for k, v in values.items() if k in texts}
    out["value"] = _number(values.get("cf-value"))
    out["year"] = int(year) if year is not None and year.is_integer() else None
    return out


def long_text(value: Any) -> str:
    """A reason or a name: text up to MAX_TEXT characters, else empty (which the check refuses)."""
    return value if isinstance(value, str) and len(value) <= MAX_TEXT and "\x00" not in value else ""
