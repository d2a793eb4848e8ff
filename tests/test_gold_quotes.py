"""Every quote the gold annotations take from a web page is in the text ingest extracts
from it: the sample set, the development set (../shared/eval) and our own annotated
reports (tests/eval). A figure whose sentence is lost at ingest can never be found."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from pipeline.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = {  # name: (corpus folder, gold rows)
    "sample": (ROOT.parent / "shared" / "corpus", SHARED / "gold" / "seeds.jsonl"),
    "dev": (SHARED / "dev" / "texts", SHARED / "gold" / "dev.jsonl"),
    "own": (ROOT / "tests" / "eval" / "corpus", ROOT / "tests" / "eval" / "gold.jsonl"),
}
HTML_SUFFIXES = (".html", ".htm", ".shtml")


def gold_quotes() -> list[tuple[str, Path, str]]:
    """(set, page, quote) for every gold row of a web page."""
    out = []
    for name, (corpus, gold) in SETS.items():
        pages = {p.stem: p for p in corpus.iterdir() if p.suffix.lower() in HTML_SUFFIXES}
        for line in gold.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row["doc"] in pages:
                out.append((name, pages[row["doc"]], row["quote"]))
    return out


QUOTES = gold_quotes()


def test_the_sets_have_web_pages_with_gold() -> None:
    """The sample set has no web page today (its reports are .txt); dev and own have them."""
    assert {name for name, _, _ in QUOTES} == {"dev", "own"}
    assert len(QUOTES) >= 200


@pytest.mark.parametrize(("page", "quote"), [(p, q) for _, p, q in QUOTES],
                         ids=[f"{n}-{p.stem}-{i}" for i, (n, p, _) in enumerate(QUOTES)])
def test_gold_quote_is_in_the_extracted_text(page: Path, quote: str) -> None:
    [doc] = ingest_file(page.name, page.read_bytes())
    # a quote copied from the markup keeps its entities (&ldquo;天山号&rdquo;); the text has them decoded
    assert html.unescape(quote) in doc.text
