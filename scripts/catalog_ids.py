"""Write every metric id the extractor can give, one `- id: …` line each, as score.py reads a
catalog: data/metrics.yaml's ids and the span variants the catalog derives from them
(gdp_growth_year_to_date), which the YAML does not spell out.

    python scripts/catalog_ids.py OUT.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline import knowledge


def main(out: str) -> None:
    Path(out).write_text("".join(f"- id: {m.id}\n" for m in knowledge.default().catalog), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
