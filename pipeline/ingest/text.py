"""Plain text and Markdown: the encoding detected, the text kept as decoded (offsets hold)."""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import re

import yaml
from charset_normalizer import from_bytes

from pipeline.ingest.common import META_KEYS, NON_TEXT, Rejected, clean_meta, find_column, make_document
from pipeline.records import Document


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


def check_text(text: str, encoding: str = "") -> None:
    if "replaced)" in encoding:   # the replaced bytes were counted already
        text = text.replace("\ufffd", "")
    if _mostly_control(text):
        raise Rejected("binary: mostly control characters, not text")


def read_text(name: str, data: bytes) -> list[Document]:
    if (b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and _utf16_without_bom(data) is None):
        raise Rejected("binary: NUL bytes in a text file")
    text, encoding = decode_text(data)
    check_text(text, encoding)
    meta, text = front_matter(text)
    return [make_document(name, text, "text", encoding, len(data), **meta)]


FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)  # blank lines may come first


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
        key = find_column(keys, field, None)
        if key is not None and isinstance(block.get(key), str | int | float | dt.date):
            meta[field] = str(block[key])
    with contextlib.suppress(ValueError):
        return clean_meta(meta), text[m.end():]
    return clean_meta({k: v for k, v in meta.items() if k != "published"}), text[m.end():]


