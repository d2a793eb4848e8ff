"""HTML ingest on one core: our reader (pipeline.ingest.html, resiliparse) beside the reader
it replaced (trafilatura over an lxml tree, dates by htmldate), on the same pages in the
same run. Rates are pages per second of this process's CPU time (time.process_time),
which other work on a shared machine does not inflate; the fastest of `repeats` passes
counts.

The old reader is kept here only as the yardstick: decode, lxml parse, trafilatura's
fast main-text extraction with the settings it ran with, htmldate without its extensive
search (its meta-tag reading, a few microseconds, is left out).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.ingest import Rejected
from pipeline.ingest.html import decode_html, read_html

HTML_SUFFIXES = (".html", ".htm", ".shtml")
# what the old reader pruned before trafilatura looked for the article
OLD_PRUNE_XPATHS = ["//nav", "//aside", "//menu", "//footer", "//header[not(ancestor::article)]"]


def html_pages(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in HTML_SUFFIXES)


@cache
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")  # the old reader's setting for short Chinese items
    return config


def trafilatura_read(name: str, data: bytes) -> tuple[str, str | None]:
    """(text, date) as the reader before issue 17 got them."""
    import htmldate
    import lxml.html
    import trafilatura

    markup, _encoding = decode_html(data)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    tree = lxml.html.document_fromstring(markup, parser=parser)
    date = htmldate.find_date(tree, extensive_search=False, original_date=True)
    text = trafilatura.extract(tree, fast=True, include_comments=False, include_tables=True,
                               prune_xpath=OLD_PRUNE_XPATHS, config=_trafilatura_config())
    return text or "", date


def ours(name: str, data: bytes) -> Any:
    try:
        return read_html(name, data)
    except Rejected:
        return None


def fastest(reader: Callable[[str, bytes], Any], pages: list[tuple[str, bytes]], repeats: int) -> dict[str, Any]:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for name, data in pages:
            reader(name, data)
        best = min(best, time.process_time() - started)
    return {"pages": len(pages), "cpu_s": best, "pages_per_s": len(pages) / best if best else 0.0,
            "repeats": repeats}


def run(corpus: Path, sample_every: int = 3, repeats: int = 3) -> dict[str, Any]:
    """Both readers on every `sample_every`-th HTML page of `corpus`; trafilatura, ten times
    slower, once."""
    paths = html_pages(corpus)[::sample_every]
    if not paths:
        return {"available": False, "reason": f"no HTML pages in {corpus}"}
    pages = [(p.name, p.read_bytes()) for p in paths]
    ours(*pages[0])  # imports and the lexicon, outside the timing
    trafilatura_read(*pages[0])
    new = fastest(ours, pages, repeats)
    old = fastest(trafilatura_read, pages, 1)
    return {"available": True, "corpus": str(corpus), "mb": sum(len(d) for _, d in pages) / 1e6,
            "ours": new, "trafilatura": old, "speedup": new["pages_per_s"] / old["pages_per_s"]}


def profile(corpus: Path, out: Path, limit: int = 300) -> Path:
    """cProfile of our reader over `limit` HTML pages of `corpus`, written to `out`."""
    pages = [(p.name, p.read_bytes()) for p in html_pages(corpus)[:limit]]
    profiler = cProfile.Profile()
    profiler.enable()
    for name, data in pages:
        ours(name, data)
    profiler.disable()
    buf = io.StringIO()
    buf.write(f"pipeline.ingest.html.read_html over {len(pages)} pages of {corpus}\n\n")
    pstats.Stats(profiler, stream=buf).strip_dirs().sort_stats("tottime").print_stats(30)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out
