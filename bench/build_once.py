"""One build in its own process, as `python -m pipeline build` runs it, for timing and
peak memory from outside. Prints the build summary (with any stage timings) as JSON.

    python -m bench.build_once --corpus DIR --db PATH [--engine ray]

With --engine ray it starts a local Ray (pipeline.ray_engine) and also prints how long that took.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.build import build


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--engine", choices=("local", "ray"), default="local")
    args = ap.parse_args()
    started = time.perf_counter()
    if args.engine == "ray":
        from pipeline.build.ray_engine import LocalReader, RayEngine

        with RayEngine(LocalReader(args.corpus.resolve()), staging=args.db.parent / "ray-staging",
                       progress=False) as engine:
            summary = build(args.corpus, args.db, progress=False, warn=lambda _msg: None, engine=engine)
        extra = {"engine_startup_s": engine.startup_seconds}
    else:
        summary = build(args.corpus, args.db, progress=False, warn=lambda _msg: None)
        extra = {}
    print(json.dumps({"summary": summary, "build_s": time.perf_counter() - started, **extra}, default=str))


if __name__ == "__main__":
    main()
