"""Read report files into documents: plain records with the text and what the file says
about itself. One reader per format; `ingest_file` is the entry point.

Pure over (name, bytes, meta): the caller reads the file and its metadata
(`read_metadata` is the I/O edge for sidecars and manifests). A file that cannot become
a document raises `Rejected("category: detail")`; no other exception escapes
`ingest_file`, whatever the bytes.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

import yaml
from charset_normalizer import from_bytes

from pipeline.knowledge import lexicon
from pipeline.records import Document

MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024   # a .docx is a zip: cap what it may expand to (python-docx reads it all)
MAX_ZIP_ENTRIES = 5000
MAX_ROWS = 100_000                        # articles in one CSV/JSONL export
MAX_HTML_ELEMENTS = 100_000               # trafilatura takes ~0.1 ms an element; a news page has ~2,000
MAX_REASON_CHARS = 300

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"
META_KEYS = ("title", "source", "published", "region")
COLUMN_KEYS = ("text_column", "title_column", "published_column", "source_column", "region_column")

# control characters that never occur in a text file (tab, newlines and form feed do)
NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
DATE = re.compile(r"^\s*((?:19|20)\d{2})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2}))?)?")
COMPACT_DATE = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:\D|$)")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# page parts that are never the article, pruned before extraction (else trafilatura's
# fallback returns a navigation bar as the text of a page that has no article)
NON_ARTICLE_XPATHS = ["//nav", "//aside", "//menu", "//footer", "//header[not(ancestor::article)]"]
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)

Warn = Callable[[str], None]


class Rejected(Exception):
    """A file that is not a usable document; the message says why, starting with a category word."""


def content_id(text: str) -> str:
    """Stable document id: the hash of its text (the same content under two names is one document)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def _lexicon() -> dict[str, Any]:
    return lexicon.load("ingest")


# ---- metadata ---------------------------------------------------------------------------

def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` from a date as people write it (2023/5/1,
    2023年5月1日, 20230501, 2023-05-01 10:00:00, 2023); None when it is not one."""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    m = COMPACT_DATE.match(text) or DATE.match(text)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()  # type: ignore[arg-type]
        if month is not None:
            return f"{year:04d}-{dt.date(year, month, 1).month:02d}"  # type: ignore[arg-type]
    except ValueError:
        return None
    return f"{year:04d}"


def clean_meta(raw: dict[str, Any]) -> dict[str, str]:
    """Metadata given for a file, checked: known keys only, blank values dropped,
    `published` as an ISO date. Raises ValueError saying what is wrong."""
    meta = {k: str(v).strip() for k, v in raw.items() if v is not None and str(v).strip()}
    unknown = sorted(set(meta) - set(META_KEYS) - set(COLUMN_KEYS))
    if unknown:
        raise ValueError(f"unknown keys {unknown} (known: {', '.join(META_KEYS + COLUMN_KEYS)})")
    if "published" in meta:
        date = iso_date(meta["published"])
        if date is None:
            raise ValueError(f"published {meta['published']!r} is not a date")
        meta["published"] = date
    return meta


def is_metadata_file(rel_path: str) -> bool:
    """Sidecars and manifests describe documents; they are not documents themselves."""
    name = PurePath(rel_path).name
    return name.endswith(SIDECAR_SUFFIX) or name == MANIFEST_NAME


def read_metadata(corpus: Path) -> dict[str, dict[str, Any]]:
    """Metadata per file path (relative to `corpus`, with /) from every `manifest.csv`
    (rows naming a file of its folder) and every sidecar `NAME.meta.json` (beside the
    file NAME, or beside the files whose stem is NAME). A sidecar wins over a manifest.
    Keys: title, source, published, region, and for exports the *_column names.

    Problems do not raise: an entry whose metadata cannot be read holds only
    `{"error": reason}` (ingest_file then rejects that file with the reason); a manifest
    that cannot be read at all is reported under its own path.
    """
    metas: dict[str, dict[str, Any]] = {}

    def add(key: str, new: dict[str, Any]) -> None:
        old = metas.get(key, {})
        metas[key] = old if "error" in old else (new if "error" in new else {**old, **new})

    for manifest in sorted(corpus.rglob(MANIFEST_NAME)):
        for key, meta in _manifest_entries(manifest, corpus):
            add(key, meta)
    for sidecar in sorted(corpus.rglob(f"*{SIDECAR_SUFFIX}")):
        rel = sidecar.relative_to(corpus).as_posix()
        targets = _sidecar_targets(sidecar)
        try:
            raw = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            entry: dict[str, Any] = clean_meta(raw)
        except (ValueError, OSError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            entry = {"error": _one_line(f"malformed: sidecar {rel}: {e}")}
        if not targets:
            add(rel, {"error": f"malformed: sidecar {rel} names no file beside it"})
        for target in targets:
            add(target.relative_to(corpus).as_posix(), entry)
    return metas


def _sidecar_targets(sidecar: Path) -> list[Path]:
    name = sidecar.name[: -len(SIDECAR_SUFFIX)]
    exact = sidecar.with_name(name)
    if exact.is_file():
        return [exact]
    return sorted(p for p in sidecar.parent.iterdir()
                  if p.is_file() and p.stem == name and not is_metadata_file(p.name))


def _manifest_entries(manifest: Path, corpus: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    rel = manifest.relative_to(corpus).as_posix()
    folder = PurePosixPath(manifest.parent.relative_to(corpus).as_posix())
    try:
        text, _ = decode_text(manifest.read_bytes())
        header, reader = _csv_rows(text)
        rows = list(reader)
    except (Rejected, csv.Error, OSError) as e:
        yield rel, {"error": _one_line(f"malformed: manifest {rel}: {e}")}
        return
    file_col = _find_column(header, "file", None)
    if file_col is None:
        yield rel, {"error": f"malformed: manifest {rel} has no file column (one of {_lexicon()['columns']['file']})"}
        return
    columns = {k: _find_column(header, k, None) for k in META_KEYS}
    columns |= {h.strip().lower(): h for h in header if h.strip().lower() in COLUMN_KEYS}  # e.g. text_column
    for n, row in enumerate(rows, start=1):
        name = (row.get(file_col) or "").strip()
        if not name:
            continue
        key = (folder / name).as_posix().removeprefix("./")
        try:
            yield key, clean_meta({k: row.get(col) for k, col in columns.items() if col})
        except ValueError as e:
            yield key, {"error": _one_line(f"malformed: manifest {rel} row {n}: {e}")}


# ---- text -------------------------------------------------------------------------------

def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file; BOM dropped, nothing else changed (CRLF stays)."""
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as e:
                raise Rejected(f"undecodable: starts with a {codec} byte-order mark but {e.reason}") from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-8 but for its last character cut off (an interrupted copy): keep the text, the
    # cut character shows as U+FFFD, as Python's own decoder would show it
    for cut in (1, 2, 3):
        with contextlib.suppress(UnicodeDecodeError):
            return data[:-cut].decode("utf-8") + "\ufffd", "utf-8 (last character cut off)"
    if (utf16 := _utf16_without_bom(data)) is not None:
        return utf16
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is not None:
        return str(best), best.encoding
    return _decode_replacing(data)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) when the bytes are UTF-16 without a byte-order mark: the ASCII in
    it (digits, line ends) puts a NUL in every other byte, after it (LE) or before it (BE)."""
    head = data[:65536]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if len(data) % 2 or max(odd, even) < 4 or min(odd, even) > max(odd, even) // 20:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text or _mostly_control(text) else (text, f"{codec} (no byte-order mark)")


MAX_REPLACED_SHARE = 0.125   # bytes no encoding fits that may be replaced before a file counts as not text


def _decode_replacing(data: bytes) -> tuple[str, str]:
    """Text in whichever Chinese encoding fits all but the fewest bytes, those replaced by
    U+FFFD and counted in the encoding name (ingest_file warns of it): a report with a few
    damaged bytes keeps its figures."""
    best: tuple[int, str, str] | None = None
    for codec in ("gb18030", "big5", "utf-8"):
        text = data.decode(codec, errors="replace")
        replaced = text.count("\ufffd")
        if best is None or replaced < best[0]:
            best = (replaced, codec, text)
    assert best is not None
    replaced, codec, text = best
    if replaced > MAX_REPLACED_SHARE * len(data):
        raise Rejected(f"undecodable: no text encoding fits its bytes (best {codec}, {replaced} bad sequences)")
    return text, f"{codec} ({replaced} undecodable byte sequence{'s' if replaced > 1 else ''} replaced)"


def _mostly_control(text: str) -> bool:
    sample = text[:65536]
    return len(NON_TEXT.findall(sample)) > max(8, len(sample) // 20)


def _check_text(text: str, encoding: str = "") -> None:
    if "replaced)" in encoding:   # the replaced bytes were counted already
        text = text.replace("\ufffd", "")
    if _mostly_control(text):
        raise Rejected("binary: mostly control characters, not text")


def read_text(name: str, data: bytes) -> list[Document]:
    if (b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and _utf16_without_bom(data) is None):
        raise Rejected("binary: NUL bytes in a text file")
    text, encoding = decode_text(data)
    _check_text(text, encoding)
    meta, text = front_matter(text)
    return [_document(name, text, "text", encoding, len(data), **meta)]


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The metadata of a Markdown file's YAML front matter (title:, date: between --- lines),
    by the same column names as an export's, and the text after it: the front matter is
    no part of the article. A block that is not a YAML mapping is left in the text."""
    m = FRONT_MATTER.match(text)
    if m is None:
        return {}, text
    try:
        block = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(block, dict):
        return {}, text
    keys = [str(k) for k in block]
    meta = {}
    for field in META_KEYS:
        key = _find_column(keys, field, None)
        if key is not None and isinstance(block.get(key), str | int | float | dt.date):
            meta[field] = str(block[key])
    with contextlib.suppress(ValueError):
        return clean_meta(meta), text[m.end():]
    return clean_meta({k: v for k, v in meta.items() if k != "published"}), text[m.end():]


# ---- web pages --------------------------------------------------------------------------
# trafilatura in its fast mode (no readability/jusText fallback) over a tree parsed once
# by lxml; the publication date from htmldate without its extensive search; title and
# source from the meta tags directly. Measured on the 3,000 CCTV pages: about 170 pages/s
# on one core, where trafilatura's own metadata extraction (author and category search)
# would cut that to about 55 pages/s.

@cache
def _trafilatura_config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # its timeout uses SIGALRM: not in worker threads
    # Below this many characters trafilatura swaps its extraction for the whole page's
    # text. Its default, 250, is sized for English: a one-paragraph Chinese news item is
    # shorter, and 41 in 1,000 CCTV pages came out as menus and rankings with it.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
    return config


def decode_html(data: bytes) -> tuple[str, str]:
    """(markup, encoding): UTF-8 if the bytes are valid UTF-8 (pages saved from a browser
    are, whatever their meta tag still says), else the charset the page declares if its
    bytes fit it, else detected."""
    with contextlib.suppress(UnicodeDecodeError):
        return data.decode("utf-8-sig"), "utf-8"
    declared = DECLARED_CHARSET.search(data[:4096])
    if declared and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        name = _lexicon()["charset_supersets"].get(name, name)
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _meta_tags(tree: Any) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, content)
    return tags


@cache
def _boilerplate() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _lexicon()["boilerplate_lines"]))


def article_lines(text: str) -> str:
    """Extracted page text with the site's interface lines and blank lines dropped."""
    boilerplate = _boilerplate()
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line and not boilerplate.fullmatch(line))


def read_html(name: str, data: bytes) -> list[Document]:
    import htmldate
    import lxml.html
    import trafilatura

    markup, encoding = decode_html(data)
    _check_text(markup)
    markup = XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        raise Rejected("empty: no markup")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        tree = lxml.html.document_fromstring(markup, parser=parser)
    except Exception as e:  # lxml's ParserError ("Document is empty") and the like
        raise Rejected(f"malformed: no HTML document ({e})") from e
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_HTML_ELEMENTS:
        raise Rejected(f"too large: {elements} HTML elements over the limit of {MAX_HTML_ELEMENTS}")
    tags = _meta_tags(tree)
    names = _lexicon()["html_meta"]
    title = next((tags[k] for k in names["title"] if k in tags), None) or tree.findtext(".//title")
    source = next((tags[k] for k in names["source"] if k in tags), None)
    published = htmldate.find_date(tree, extensive_search=False, original_date=True)
    text = trafilatura.extract(tree, fast=True, include_comments=False, include_tables=True,
                               prune_xpath=NON_ARTICLE_XPATHS, config=_trafilatura_config())
    text = article_lines(text or "")
    if not text:
        raise Rejected("no article text: the page has no main content")
    return [_document(name, text, "html", encoding, len(data),
                      title=(title or "").strip() or None, source=source, published=published)]


# ---- PDF and Word -----------------------------------------------------------------------

def read_pdf(name: str, data: bytes) -> list[Document]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf logs each repair it makes to a damaged file on stderr; a reject says it once
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise Rejected("encrypted: the PDF needs a password")
        except (DependencyError, FileNotDecryptedError, NotImplementedError) as e:
            raise Rejected(f"encrypted: {e}") from e
    pages = len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise Rejected(f"too large: {pages} pages over the limit of {MAX_PDF_PAGES}")
    # NUL characters dropped: some producers write 4-byte ToUnicode entries that pypdf
    # reads as a NUL before every character
    text = "\n\n".join((page.extract_text() or "").replace("\x00", "") for page in reader.pages)
    if not text.strip():
        raise Rejected(f"no text layer: {pages} page(s) without extractable text (a scan?)")
    return [_document(name, text, "pdf", None, len(data))]


ZIP_CHUNK = 1 << 16


def _honest_zip(data: bytes) -> io.BytesIO:
    """The .docx re-packed, uncompressed, from its parts inflated in chunks against one budget.

    A part's declared size cannot be trusted: zipfile stops a part at its declared size only
    after inflating a whole read, so python-docx reading a part that claims 1 KB and inflates
    to 2 GB holds the 2 GB. Inflating here ZIP_CHUNK bytes at a time stops at the budget (or
    at the declared size, where the CRC then fails), and python-docx reads stored parts."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        entries = zf.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise Rejected(f"too large: {len(entries)} parts in the .docx")
        declared = sum(e.file_size for e in entries)
        if declared > MAX_UNZIPPED_BYTES:
            raise Rejected(f"too large: expands to {declared} bytes over the limit of {MAX_UNZIPPED_BYTES}")
        out = io.BytesIO()
        budget = MAX_UNZIPPED_BYTES
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as honest:
            for entry in entries:
                parts = []
                with zf.open(entry) as member:
                    while chunk := member.read(ZIP_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise Rejected(f"too large: expands to over the limit of {MAX_UNZIPPED_BYTES} bytes")
                        parts.append(chunk)
                honest.writestr(entry.filename, b"".join(parts))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as e:
        raise Rejected(f"malformed: not a .docx (zip) file: {e}") from e
    out.seek(0)
    return out


def _docx_lines(document: Any) -> Iterator[str]:
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield block.text
            continue
        for row in block.rows:
            seen = set()
            for cell in row.cells:  # a merged cell repeats across the columns it spans
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    yield cell.text


def read_docx(name: str, data: bytes) -> list[Document]:
    import docx

    document = docx.Document(_honest_zip(data))
    text = "\n".join(_docx_lines(document))
    props = document.core_properties
    return [_document(name, text, "docx", None, len(data),
                      title=(props.title or "").strip() or None,
                      published=iso_date(props.created) if props.created else None)]


# ---- article exports (one article a row) ------------------------------------------------

def _csv_rows(text: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # articles are longer than csv's 128 KB default
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    header = [h for h in (reader.fieldnames or []) if h is not None]
    if not header:
        raise Rejected("empty: no header row")
    return header, reader


def _find_column(header: list[str], field: str, given: str | None) -> str | None:
    """The header name holding `field`: the one given, or the first known synonym."""
    by_name = {h.strip().lower(): h for h in header}
    if given is not None:
        if given.strip().lower() not in by_name:
            raise Rejected(f"malformed: no column {given!r} for {field} (columns: {', '.join(header)[:120]})")
        return by_name[given.strip().lower()]
    return next((by_name[s.lower()] for s in _lexicon()["columns"][field] if s.lower() in by_name), None)


def _export_documents(name: str, fmt: str, encoding: str, header: list[str], rows: Iterator[tuple[int, dict]],
                      meta: dict[str, str], warn: Warn) -> list[Document]:
    columns = {k: _find_column(header, k, meta.get(f"{k}_column")) for k in ("text", *META_KEYS)}
    text_col = columns.pop("text")
    if text_col is None:
        raise Rejected(f"no text column: none of {', '.join(map(str, header))[:120]} is a known text column;"
                       " name it with text_column in a sidecar")
    stem, docs, skipped = PurePath(name).stem, [], 0
    for n, row in rows:
        if n > MAX_ROWS:
            raise Rejected(f"too large: more than {MAX_ROWS} rows")
        text = row.get(text_col)
        text = text if isinstance(text, str) else ("" if text is None else str(text))
        if not text.strip():
            skipped += 1
            warn(f"{name}#{n}: empty: no text in column {text_col!r}, row skipped")
            continue
        given = {k: row.get(col) for k, col in columns.items() if col and row.get(col) not in (None, "")}
        if "published" in given:
            given["published"] = iso_date(given["published"])
        doc = _document(name, text, fmt, encoding, len(text.encode("utf-8")),
                        **{k: str(v).strip() for k, v in given.items() if v is not None})
        docs.append(replace(doc, doc=f"{stem}#{n}"))
    if not docs:
        raise Rejected(f"empty: no row has text in column {text_col!r} ({skipped} rows)")
    return docs


def read_csv(name: str, data: bytes, meta: dict[str, str], warn: Warn) -> list[Document]:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise Rejected("binary: NUL characters in a CSV file")
    header, rows = _csv_rows(text)
    return _export_documents(name, "csv", encoding, header, _counted_fields(name, header, rows, warn), meta, warn)


def _counted_fields(name: str, header: list[str], rows: Iterator[dict[str, str]],
                    warn: Warn) -> Iterator[tuple[int, dict]]:
    """The rows, numbered; one whose field count is not the header's (a quote opened and never
    closed merges fields and lines into one) is kept, with a warning saying so."""
    for n, row in enumerate(rows, start=1):
        extra = len(row.get(None) or ())   # type: ignore[call-overload]  # DictReader's restkey
        missing = sum(v is None for k, v in row.items() if k is not None)
        if extra or missing:
            fields = len(header) + extra - missing
            warn(f"{name}#{n}: malformed: {fields} fields where the header has {len(header)} (broken quoting?);"
                 " read as it stands")
        yield n, row


def _holds_lone_surrogate(record: dict[str, Any]) -> bool:
    """Does a key or string value of a JSON object hold half a surrogate pair? JSON can
    escape one (\\ud800), but it is no character: it can be neither stored nor shown."""
    try:
        for key, value in record.items():
            key.encode("utf-8")
            if isinstance(value, str):
                value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_jsonl(name: str, data: bytes, meta: dict[str, str], warn: Warn) -> list[Document]:
    text, encoding = decode_text(data)
    records: list[tuple[int, dict]] = []
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may stand inside a string
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as e:
            warn(f"{name}#{n}: malformed: not JSON ({e}), line skipped")
            continue
        if not isinstance(record, dict):
            warn(f"{name}#{n}: malformed: not a JSON object, line skipped")
            continue
        if _holds_lone_surrogate(record):
            warn(f"{name}#{n}: malformed: an escaped lone surrogate (\\ud800…) is no character, line skipped")
            continue
        records.append((n, record))
        if len(records) > MAX_ROWS:
            raise Rejected(f"too large: more than {MAX_ROWS} rows")
    if not records:
        raise Rejected("malformed: no line is a JSON object")
    header = list(dict.fromkeys(k for _, r in records for k in r))
    return _export_documents(name, "jsonl", encoding, header, iter(records), meta, warn)


# ---- entry point ------------------------------------------------------------------------

def _document(name: str, text: str, fmt: str, encoding: str | None, size: int, **meta: Any) -> Document:
    if not text.strip():
        raise Rejected("empty: no text")
    return Document(doc=PurePath(name).stem, doc_id=content_id(text), path=name, format=fmt, encoding=encoding,
                    bytes=size, chars=len(text), text=text,
                    **{k: v for k, v in meta.items() if k in META_KEYS and v is not None})


def _one_line(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= MAX_REASON_CHARS else reason[: MAX_REASON_CHARS - 1] + "…"


READERS: dict[str, Callable[[str, bytes], list[Document]]] = {
    ".txt": read_text, ".md": read_text,
    ".html": read_html, ".htm": read_html, ".shtml": read_html,
    ".pdf": read_pdf, ".docx": read_docx,
}
EXPORT_READERS = {".csv": read_csv, ".jsonl": read_jsonl}


def ingest_file(name: str, data: bytes, *, meta: dict[str, Any] | None = None, max_bytes: int = MAX_BYTES,
                warn: Warn | None = None) -> list[Document]:
    """Documents in one file (several for a CSV/JSONL export, `doc` = `STEM#N`).

    `meta` (from `read_metadata`, or the caller) wins over what the file says about
    itself; its `*_column` keys name the columns of an export. `warn` hears about rows
    of an export that were skipped. Raises Rejected with a one-line reason for a file
    that has no document; never anything else.
    """
    meta = meta or {}
    try:
        if meta.get("error"):
            raise Rejected(str(meta["error"]))
        given = clean_meta({k: v for k, v in meta.items() if k != "error"})
        if len(data) == 0:
            raise Rejected("empty: the file has no bytes")
        if len(data) > max_bytes:
            raise Rejected(f"too large: {len(data)} bytes over the limit of {max_bytes}")
        suffix = PurePath(name).suffix.lower()
        if suffix in EXPORT_READERS:
            docs = EXPORT_READERS[suffix](name, data, given, warn or (lambda _msg: None))
        elif suffix in READERS:
            docs = READERS[suffix](name, data)
        else:
            raise Rejected(f"unsupported format: {suffix or 'no extension'}")
    except Rejected as e:
        raise Rejected(_one_line(str(e))) from None
    except ValueError as e:
        raise Rejected(_one_line(f"malformed: {e}")) from e
    except Exception as e:  # a parser library failing on a damaged file: a reject, never a crash
        raise Rejected(_one_line(f"malformed: {type(e).__name__}: {e}")) from e
    for doc in docs[:1]:
        if "replaced)" in (doc.encoding or ""):
            (warn or (lambda _msg: None))(f"{name}: read as {doc.encoding}")
    overrides = {k: v for k, v in given.items() if k in META_KEYS}
    return [doc.with_meta(**overrides) for doc in docs]
