"""Request bodies for every callback of the dashboard, with any input value: what a browser
(or anyone) can POST to /_dash-update-component. Shared by test_dash_inputs.py and the
atheris sibling fuzz_callbacks.py."""

from __future__ import annotations

import json
from typing import Any

from dash import Dash

# A valid value per input id: one input at a time is replaced by a malformed one, so the
# callback gets past the others' checks (a hidden tab's callback does nothing at all).
VALID: dict[str, Any] = {
    "url": "?tab=trends", "tab": "trends", "metric": "party_orgs", "regions": ["130000"], "years": [2000, 2030],
    "cyear": "latest", "level": "province", "province": "", "log": [], "clicked": None,
    "point": {"series": "130000", "year": 2022, "kind": "year"}, "row-figure": None, "table-scope": "metric",
    "table-prev": 0, "table-next": 0, "table-page": 0, "csv": 1, "subject-search": "村", "subject": "subject::个",
    # the correction form of a curating dashboard (a figure no database holds: nothing may be written)
    "curation-saved": 0, "correction-target": {"figure": "0000000000000000", "action": "set"}, "cf-save": 1,
    "cf-value": 5.0, "cf-unit": "个", "cf-qualifier": "exact", "cf-metric": "party_orgs", "cf-region": "130000",
    "cf-year": 2023, "cf-period": "stock", "cf-reason": "a reason", "cf-author": "li",
}
TAB_OF = {"trend-graph": "trends", "compare-bar": "compare", "evidence-list": "evidence", "table": "table",
          "subject-list": "subjects", "subject-graph": "subjects", "subject-figures": "subjects",
          "review-grid": "review", "corrections-grid": "corrections"}


def callbacks(app: Dash) -> list[tuple[str, dict[str, Any]]]:
    """(output key, callback spec) of every server-side callback."""
    return [(key, spec) for key, spec in app.callback_map.items() if spec.get("callback") is not None]


def slots(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The inputs then the states of a callback."""
    return [*spec["inputs"], *spec.get("state", [])]


def _item(item: dict[str, Any], value: Any) -> dict[str, Any] | list[dict[str, Any]]:
    """One input in a request: a pattern-matching id (ALL) takes a list of matches."""
    if item["id"].startswith("{"):
        concrete = {k: ("f" if v == ["ALL"] else v) for k, v in json.loads(item["id"]).items()}
        return [{"id": concrete, "property": item["property"], "value": value}]
    return {"id": item["id"], "property": item["property"], "value": value}


def body(output: str, spec: dict[str, Any], bad_slot: int, bad: Any) -> dict[str, Any]:
    """The request Dash's renderer sends for `spec` with slot `bad_slot` (inputs, then states)
    set to `bad`, the others valid, as if that input (or the first, for a state) had changed."""
    outputs = [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
               for o in output.strip(".").split("...")]
    tab = TAB_OF.get(outputs[0]["id"], "trends")
    values = [bad if i == bad_slot else (tab if item["id"] == "tab" else VALID.get(item["id"]))
              for i, item in enumerate(slots(spec))]
    n_inputs = len(spec["inputs"])
    inputs = [_item(item, v) for item, v in zip(spec["inputs"], values[:n_inputs], strict=True)]
    states = [_item(item, v) for item, v in zip(spec.get("state", []), values[n_inputs:], strict=True)]
    trigger = spec["inputs"][bad_slot if bad_slot < n_inputs else 0]
    trigger_id = trigger["id"]
    if trigger_id.startswith("{"):
        trigger_id = json.dumps(inputs[0][0]["id"], separators=(",", ":"))   # type: ignore[index]
    return {"output": output, "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
            "state": states, "changedPropIds": [f"{trigger_id}.{trigger['property']}"]}
