"""Peer extractors timed on the same texts as ours; runs standalone in either venv.

    python bench/peers.py floor|jionlp TEXTS.json

TEXTS.json is {"texts": [...], "copies": N, "repeats": R}: the texts are processed N
times over, in order, like our extractor's run; the fastest of R such passes counts.
Prints one JSON object with the peer's own timing.
Only the standard library here (plus jionlp for that peer): the bench venv has none
of the project's dependencies.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import TypeVar

T = TypeVar("T")

FLOOR = re.compile(r"\d+(?:\.\d+)?")


def floor_extractor() -> tuple[Callable[[str], int], str]:
    return (lambda text: sum(1 for _ in FLOOR.finditer(text))), f"python {sys.version.split()[0]} re"


def jionlp_extractor() -> tuple[Callable[[str], int], str]:
    import jionlp

    return (lambda text: len(jionlp.ner.extract_money(text))), f"jionlp {metadata.version('jionlp')}"


PEERS = {"floor": floor_extractor, "jionlp": jionlp_extractor}


def fastest_pass(count: Callable[[T], int], items: Sequence[T], copies: int,
                 repeats: int) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, total count) of the fastest of `repeats` passes, each
    running `count` over the items `copies` times over: how ours and every peer are timed
    (a shared virtual machine only ever adds time)."""
    passes = []
    for _ in range(repeats):
        found = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(copies):
            for item in items:
                found += count(item)
        passes.append((time.process_time() - started_cpu, time.perf_counter() - started, found))
    return min(passes)


def run(peer: str, texts: list[str], copies: int, repeats: int = 1) -> dict[str, object]:
    """The fastest of `repeats` passes over the texts (CPU time), as our extractor is timed."""
    extract, version = PEERS[peer]()
    extract(texts[0])  # warm-up: lazy pattern compilation is not throughput
    cpu_seconds, seconds, found = fastest_pass(extract, texts, copies, repeats)
    size = sum(len(t.encode("utf-8")) for t in texts) * copies
    return {"peer": peer, "version": version, "seconds": seconds, "cpu_seconds": cpu_seconds, "bytes": size,
            "docs": len(texts) * copies, "found": found, "repeats": repeats}


def main(argv: list[str]) -> int:
    peer, path = argv
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    print(json.dumps(run(peer, data["texts"], data["copies"], data.get("repeats", 1))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
