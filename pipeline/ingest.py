"""Read report files into documents: plain records with the text and what the file says
about itself. One function per format; `ingest_file` is the entry point.

Pure over (name, bytes): the caller reads the file. A file that cannot become a
document yields a reject with a reason instead; nothing here raises on bad input.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Any

from charset_normalizer import from_bytes

TEXT_SUFFIXES = {".txt", ".md"}
MAX_BYTES = 50 * 1024 * 1024


class Rejected(Exception):
    """A file that is not a usable document; the message says why."""


def content_id(text: str) -> str:
    """Stable document id: the hash of its text (the same content under two names is one document)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a text file; BOM dropped, nothing else changed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None:
        raise Rejected("undecodable: no text encoding fits its bytes")
    return str(best), best.encoding


def _document(name: str, text: str, fmt: str, encoding: str | None, size: int, **meta: Any) -> dict[str, Any]:
    if not text.strip():
        raise Rejected("empty: no text")
    return {
        "doc": PurePath(name).stem,
        "doc_id": content_id(text),
        "path": name,
        "format": fmt,
        "encoding": encoding,
        "bytes": size,
        "chars": len(text),
        "text": text,
        **meta,
    }


def ingest_file(name: str, data: bytes, max_bytes: int = MAX_BYTES) -> list[dict[str, Any]]:
    """Documents in one file. Raises Rejected with a reason for a file that has none."""
    if len(data) == 0:
        raise Rejected("empty: the file has no bytes")
    if len(data) > max_bytes:
        raise Rejected(f"too large: {len(data)} bytes over the limit of {max_bytes}")
    suffix = PurePath(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise Rejected("binary: NUL bytes in a text file")
        text, encoding = decode_text(data)
        return [_document(name, text, "text", encoding, len(data))]
    raise Rejected(f"unsupported format: {suffix or 'no extension'}")
