"""Write a gold file as another catalog scores it: metric ids that catalog does not know
become null, as score.py treats such ids in predictions.

Our real-report gold (tests/eval/real/gold.jsonl) is annotated with our catalog
(data/metrics.yaml, which adds ids to the shared one); scored against the shared catalog
(../shared/eval/metrics.yaml) it must name only the shared ids, as the held-out set does.

    python scripts/gold_for_catalog.py GOLD.jsonl CATALOG.yaml OUT.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def catalog_ids(catalog: Path) -> frozenset[str]:
    """The metric ids of a catalog, read by pattern as score.py reads them."""
    return frozenset(re.findall(r"\bid:\s*([A-Za-z0-9_]+)", catalog.read_text(encoding="utf-8")))


def for_catalog(rows: list[dict], ids: frozenset[str]) -> list[dict]:
    return [dict(r, metric=None) if r.get("metric") and r["metric"] not in ids else r for r in rows]


def main(gold: str, catalog: str, out: str) -> None:
    rows = [json.loads(line) for line in Path(gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    Path(out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                 for r in for_catalog(rows, catalog_ids(Path(catalog)))), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
