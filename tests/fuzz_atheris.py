"""Coverage-guided fuzzing of ingest_file with atheris (libFuzzer).

    python tests/fuzz_atheris.py -runs=100000 [SEED_DIR]

The first byte of an input picks the file type (the suffixes of test_fuzz.SUFFIXES), the
rest is the file. Any exception other than Rejected is a finding: libFuzzer stops and
writes the input to crash-*. tests/test_fuzz.py runs a short, bounded session.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["pipeline"]):
    from pipeline.ingest import Rejected, ingest_file

SUFFIXES = [".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".csv", ".jsonl", ".xls", ""]


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with contextlib.suppress(Rejected):
        ingest_file(f"fuzz{suffix}", data[1:])


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
