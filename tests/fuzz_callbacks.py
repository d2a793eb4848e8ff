"""Coverage-guided fuzzing of the dashboard's callbacks with atheris (libFuzzer).

    python tests/fuzz_callbacks.py -runs=20000 [SEED_DIR]

Each input picks a callback and one of its inputs, and gives that input a JSON value made
from the rest of the bytes (the other inputs valid, see callback_bodies.VALID); the request
goes to the app's own WSGI handler over the sample database (built into build/fuzz/ on first
use). A response other than 200/204 is a finding: libFuzzer stops and writes the input to
crash-*. tests/test_dash_inputs.py runs a short, bounded session; `make fuzz` a longer one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

with atheris.instrument_imports(include=["dash_app"]):
    from callback_bodies import body, callbacks, slots

    from dash_app.app import create_app

DB = ROOT / "build" / "fuzz" / "figures.duckdb"


def database() -> Path:
    if not DB.exists():
        from pipeline.build import build

        build(ROOT / "data" / "corpus", DB, progress=False, warn=lambda _msg: None, workers=1)
    return DB


APP = create_app(database())
CLIENT = APP.server.test_client()
CALLBACKS = callbacks(APP)


def value(fdp: atheris.FuzzedDataProvider, depth: int = 0) -> Any:
    """A JSON value: scalars, short lists and dicts, strings that may be JSON themselves."""
    kind = fdp.ConsumeIntInRange(0, 7 if depth < 3 else 4)
    if kind == 0:
        return None
    if kind == 1:
        return fdp.ConsumeBool()
    if kind == 2:
        return fdp.ConsumeIntInRange(-(2**40), 2**40)
    if kind == 3:
        return fdp.ConsumeRegularFloat()
    if kind == 4:
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
        try:
            return json.loads(text)
        except ValueError:
            return text
    if kind == 5:
        return [value(fdp, depth + 1) for _ in range(fdp.ConsumeIntInRange(0, 4))]
    if kind == 6:
        keys = ["series", "year", "kind", "points", "customdata", "data", "figure_id"]
        return {keys[fdp.ConsumeIntInRange(0, len(keys) - 1)]: value(fdp, depth + 1)
                for _ in range(fdp.ConsumeIntInRange(0, 3))}
    return {"points": [{"customdata": [value(fdp, depth + 1) for _ in range(3)]}]}


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    output, spec = CALLBACKS[fdp.ConsumeIntInRange(0, len(CALLBACKS) - 1)]
    slot = fdp.ConsumeIntInRange(0, len(slots(spec)) - 1)
    payload = body(output, spec, slot, value(fdp))
    response = CLIENT.post("/_dash-update-component", json=payload)
    if response.status_code not in (200, 204):
        raise RuntimeError(f"{output} {slots(spec)[slot]['id']} ← {payload}: HTTP {response.status_code}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
