"""One build in its own process, as `python -m pipeline build` runs it, for timing and
peak memory from outside. Prints the build summary (with any stage timings) as JSON.

    python -m bench.build_once --corpus DIR --db PATH
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
    args = ap.parse_args()
    started = time.perf_counter()
    summary = build(args.corpus, args.db, progress=False, warn=lambda _msg: None)
    print(json.dumps({"summary": summary, "build_s": time.perf_counter() - started}, default=str))


if __name__ == "__main__":
    main()
