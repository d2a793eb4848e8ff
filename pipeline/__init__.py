"""Figures from Chinese reports: ingest → engine → build → warehouse → dashboard, report, export.

The package finds the repository's language data (data/) and named SQL (queries/) beside
itself, so the CLI runs from any working directory (`pip install -e .` of the repository).
"""

from pathlib import Path

__version__ = "0.2.0"

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
