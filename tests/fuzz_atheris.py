"""Coverage-guided fuzzing of ingest_file with atheris (libFuzzer).

    python tests/fuzz_atheris.py -runs=100000 [SEED_DIR]
    FUZZ_TARGET=exports python tests/fuzz_atheris.py -runs=100000

The first byte of an input picks the file type (the suffixes of test_fuzz.SUFFIXES), the
rest is the file. Any exception other than Rejected is a finding: libFuzzer stops and
writes the input to crash-*. tests/test_fuzz.py runs a short, bounded session.

FUZZ_TARGET=exports fuzzes the CSV/JSONL readers alone: the first byte picks the format and
which column is named as the text column; besides raising only Rejected, every warning must be
one line and every document must have text.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["pipeline"]):
    from pipeline.ingest import Rejected, ingest_file

SUFFIXES = [".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".csv", ".jsonl", ".xls", ""]


EXPORT_COLUMNS = [None, "text", "content", "正文", "title", "a"]


def one_export(data: bytes) -> None:
    if not data:
        return
    suffix = (".csv", ".jsonl")[data[0] & 1]
    column = EXPORT_COLUMNS[(data[0] >> 1) % len(EXPORT_COLUMNS)]
    warnings: list[str] = []
    with contextlib.suppress(Rejected):
        docs = ingest_file(f"fuzz{suffix}", data[1:], meta={"text_column": column} if column else None,
                           warn=warnings.append)
        assert all(doc.text.strip() for doc in docs)
    assert all("\n" not in w for w in warnings), warnings


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with contextlib.suppress(Rejected):
        ingest_file(f"fuzz{suffix}", data[1:])


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_export if os.environ.get("FUZZ_TARGET") == "exports" else one_input)
    atheris.Fuzz()
