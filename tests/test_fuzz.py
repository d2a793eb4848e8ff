"""Fuzzing ingest: random bytes, near-valid HTML, damaged PDF/DOCX files, random exports
and metadata. Whatever the input, `ingest_file` returns documents or raises Rejected
with a one-line reason; nothing else escapes."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import docx
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import COLUMN_KEYS, META_KEYS, Rejected, content_id, ingest_file

SUFFIXES = [".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".csv", ".jsonl", ".xls", ""]
REASON = re.compile(r"[a-z][a-z ]*: \S")  # "category: detail"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))  # inputs are big by design


def ingest_or_reject(name: str, data: bytes, **kw) -> None:
    try:
        docs = ingest_file(name, data, **kw)
    except Rejected as e:
        reason = str(e)
        assert REASON.match(reason) and "\n" not in reason, reason
        return
    assert docs
    for doc in docs:
        assert doc.text.strip()
        assert doc.doc_id == content_id(doc.text)
        assert doc.chars == len(doc.text)


@FUZZ
@given(st.sampled_from(SUFFIXES), st.binary(max_size=3000))
def test_random_bytes(suffix: str, data: bytes) -> None:
    ingest_or_reject(f"fuzz{suffix}", data)


# near-valid HTML: real tags (scripts, metadata, tables, nesting), some left unclosed,
# text with Chinese, markup characters and entities, in a random encoding, maybe cut short
TAGS = ["html", "head", "body", "div", "p", "span", "a", "script", "style", "nav", "article", "header", "footer",
        "table", "tr", "td", "ul", "li", "h1", "title", "br", "iframe", "svg", "template", "noscript", "form"]
ATTRIBUTES = ['', ' class="content"', ' id="content_area"', ' href="http://example.org/x"', ' style="display:none"',
              ' property="og:title" content="标题"', ' name="source" content="新华网"', ' charset="gb2312"',
              ' http-equiv="Content-Type" content="text/html; charset=big5"', ' onload="alert(1)"', ' x=\'"<>']
TEXT = st.text(alphabet="党组织基层万个亿元年月日省县村 0123456789.%<>&;#\"'=/\n\t\r\x00", max_size=60) \
    | st.text(max_size=20)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attrs, kids, close: f"<{tag}{attrs}>{''.join(kids)}" + (f"</{tag}>" if close else ""),
                     st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES), st.lists(children, max_size=4), st.booleans())


HTML = st.recursive(TEXT, element, max_leaves=25)


@FUZZ
@given(HTML, st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "latin-1"]), st.floats(0.0, 1.0))
def test_near_valid_html(markup: str, encoding: str, keep: float) -> None:
    data = ("<!DOCTYPE html>" + markup).encode(encoding, errors="ignore")
    ingest_or_reject("page.html", data[: max(1, int(len(data) * keep))])


@cache
def valid_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for n in range(2):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"Page {n}: 21.78 wan branches, 4720 trainees in 2022, income 100 wan yuan.")
    return bytes(pdf.output())


@cache
def valid_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("全省共有基层党组织21.78万个。")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "4720人次"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@FUZZ
@given(st.sampled_from([(".pdf", valid_pdf), (".docx", valid_docx)]), st.floats(0.0, 1.0),
       st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8))
def test_damaged_pdf_and_docx(kind: tuple, keep: float, flips: list[tuple[float, int]]) -> None:
    suffix, make = kind
    data = bytearray(make()[: max(1, int(len(make()) * keep))])
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    ingest_or_reject(f"damaged{suffix}", bytes(data))


@FUZZ
@given(st.sampled_from([".csv", ".jsonl"]), st.lists(st.text(max_size=40), max_size=6),
       st.lists(st.lists(st.text(max_size=30), max_size=5), max_size=6))
def test_random_exports(suffix: str, header: list[str], rows: list[list[str]]) -> None:
    if suffix == ".csv":
        body = "\n".join(",".join(cells) for cells in [["正文", *header], *rows])
    else:
        body = "\n".join(json.dumps(dict(zip(["content", *header], cells, strict=False))) for cells in rows)
    ingest_or_reject(f"export{suffix}", body.encode("utf-8"), warn=lambda _msg: None)


@FUZZ
@given(st.dictionaries(st.sampled_from([*META_KEYS, *COLUMN_KEYS, "other"]),
                       st.none() | st.text(max_size=20) | st.integers()))
def test_random_metadata(meta: dict) -> None:
    ingest_or_reject("report.txt", "全省共有基层党组织21.78万个。".encode(), meta=meta)


def test_atheris_run_finds_no_escaping_exception(tmp_path: Path) -> None:
    """A short coverage-guided run (atheris/libFuzzer) of ingest_file from a few valid seeds."""
    samples = {
        ".txt": "全省共有基层党组织21.78万个。\r\n".encode("gb18030"), ".pdf": valid_pdf(), ".docx": valid_docx(),
        ".html": "<html><body><nav>首页</nav><article><p>全县培训4720人次。</p></article></body></html>".encode(),
        ".csv": "标题,正文\n甲,全县培训4720人次。\n".encode(),
    }
    short_run(tmp_path, {suffix.strip("."): bytes([SUFFIXES.index(suffix)]) + sample
                         for suffix, sample in samples.items()})


def test_atheris_run_of_the_export_readers_finds_nothing(tmp_path: Path) -> None:
    """The same for the CSV/JSONL readers alone (FUZZ_TARGET=exports): the first byte picks
    the format (its low bit) and the text column named; every document read must have text."""
    short_run(tmp_path, {"csv": bytes([0]) + "标题,正文\n甲,全县培训4720人次。\n".encode(),
                         "jsonl": bytes([1]) + '{"title": "甲", "text": "全县培训4720人次。"}\n'.encode()},
              target="exports")


def short_run(tmp_path: Path, seeds: dict[str, bytes], target: str = "") -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, seed in seeds.items():
        (folder / name).write_bytes(seed)
    script = Path(__file__).with_name("fuzz_atheris.py")
    run = subprocess.run([sys.executable, str(script), "-runs=400", "-seed=1", "-max_len=20000",
                          f"-artifact_prefix={tmp_path}/", str(folder)],
                         capture_output=True, text=True, timeout=300, cwd=script.parent.parent,
                         env={**os.environ, "FUZZ_TARGET": target})
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 400 runs" in run.stderr
