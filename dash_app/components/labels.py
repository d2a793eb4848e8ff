"""How the dashboard names categories, region levels and metrics (numbers themselves are
written by pipeline.present.format, shared with the report)."""

from __future__ import annotations

from typing import Any

CATEGORY_NAMES = {"party": "党建 Party", "cadres": "干部 Cadres", "governance": "治理 Governance",
                  "economy": "经济 Economy", "services": "服务 Services"}
LEVEL_NAMES = {"national": "全国", "province": "省", "prefecture": "地市", "county": "县区", "township": "乡镇",
               "village": "村社区", "organization": "组织", "area": "片区"}


def metric_title(info: dict[str, Any]) -> str:
    """A chart's title: '党员人数 · Party members (名)'."""
    return f"{info['zh']} · {info['en']} ({info['unit']})"
