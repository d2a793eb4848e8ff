"""PDF (its text layer) and Word (.docx paragraphs and table cells)."""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from pipeline.ingest.common import MAX_PDF_PAGES, MAX_UNZIPPED_BYTES, MAX_ZIP_ENTRIES, Rejected, iso_date, make_document
from pipeline.records import Document


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
    return [make_document(name, text, "pdf", None, len(data))]


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
    return [make_document(name, text, "docx", None, len(data),
                      title=(props.title or "").strip() or None,
                      published=iso_date(props.created) if props.created else None)]


