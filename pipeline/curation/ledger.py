"""The corrections file (corrections.jsonl): analysts own it, review it and keep it under version
control beside the corpus; the program only ever appends to it.

One correction a line, a JSON object of Correction's fields (those without a value left out).
Reading checks every line and stops at the first bad one with an error naming its line, so a
hand edit that broke the file never applies half of it. Appending writes whole lines in one
write under the file's own lock, fsyncs, and cuts a short write back off: the file is never
half-written."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import math
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

from pipeline.records import ACTIONS, CORRECTED_FIELDS, PERIOD_KINDS, QUALIFIERS, YEARS, Correction, figure_id, row

FILE_NAME = "corrections.jsonl"
ANCHOR = ("figure_id", "doc_id", "doc", "start", "end", "text", "quote", "quote_start")
TYPES = {"str": str, "int": int, "float": float}

# (line number, correction) in file order
Ledger = list[tuple[int, Correction]]


class LedgerError(ValueError):
    """A line of the corrections file that cannot be read; nothing is applied."""


def beside(corpus: Path) -> Path:
    """The default corrections file of a corpus folder: corrections.jsonl in the folder that holds it."""
    return corpus.resolve().parent / FILE_NAME


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def encode(correction: Correction) -> str:
    """One line of the file (no newline): the fields that have a value, in the record's order."""
    return json.dumps({k: v for k, v in row(correction).items() if v is not None}, ensure_ascii=False)


def _typed(name: str, kind: str, value: Any) -> Any:
    base = TYPES[kind.split(" | ")[0]]
    if base is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, base) or isinstance(value, bool):
        raise ValueError(f"{name} must be {'a number' if base is not str else 'text'}, not {json.dumps(value)[:40]}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    return value


def check(correction: Correction) -> None:
    """Raise ValueError when a correction is not one the program could have written."""
    c = correction
    if c.action not in ACTIONS:
        raise ValueError(f"action {c.action!r} is none of {', '.join(ACTIONS)}")
    for name in ("correction_id", "author", "reason"):
        if not getattr(c, name).strip():
            raise ValueError(f"{name} is empty" + (" (every correction says why)" if name == "reason" else ""))
    try:
        dt.datetime.fromisoformat(c.created_at)
    except ValueError:
        raise ValueError(f"created_at {c.created_at!r} is not an ISO 8601 time") from None
    given = {f for f in CORRECTED_FIELDS if getattr(c, f) is not None}
    if c.action == "undo":
        if not c.undoes:
            raise ValueError("an undo names the correction it undoes (undoes)")
        extra = [f for f in (*ANCHOR, *given, "subject") if getattr(c, f) is not None]
        if extra:
            raise ValueError(f"an undo has no {extra[0]}")
        return
    missing = [f for f in ANCHOR if getattr(c, f) is None]
    if missing or c.undoes is not None:
        raise ValueError(f"the figure's {missing[0]} is missing" if missing else "only an undo has undoes")
    assert c.start is not None and c.end is not None and c.doc_id is not None
    if not 0 <= c.start < c.end:
        raise ValueError(f"span {c.start}–{c.end} is empty or negative")
    if c.figure_id != figure_id(c.doc_id, c.start, c.end):
        raise ValueError(f"figure_id {c.figure_id} is not the id of document {c.doc_id}'s span {c.start}–{c.end}")
    if c.year is not None and not YEARS[0] <= c.year <= YEARS[1]:
        raise ValueError(f"year {c.year} is outside {YEARS[0]}–{YEARS[1]}")
    if c.qualifier is not None and c.qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {c.qualifier!r} is none of {', '.join(QUALIFIERS)}")
    if c.period_kind is not None and c.period_kind not in PERIOD_KINDS:
        raise ValueError(f"period_kind {c.period_kind!r} is none of {', '.join(PERIOD_KINDS)}")
    if c.action in ("reject", "confirm") and given:
        raise ValueError(f"a {c.action} changes no field (it sets {sorted(given)[0]})")
    if c.action == "set" and not given:
        raise ValueError("a set changes at least one of " + ", ".join(CORRECTED_FIELDS))
    if c.action == "add" and (c.value is None or c.unit is None or c.period_kind is None):
        raise ValueError("an added figure has a value, a unit and a period_kind")
    if c.subject is not None and c.action != "add":
        raise ValueError("only an added figure has a subject")


def decode(text: str) -> Correction:
    """A correction from one line of the file; ValueError says what is wrong with it."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"not JSON ({e.msg}, column {e.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    known = {f.name: str(f.type) for f in fields(Correction)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r}")
    required = [n for n, kind in known.items() if "None" not in kind and n not in data]
    if required:
        raise ValueError(f"{required[0]} is missing")
    values: dict[str, Any] = {n: None if v is None and "None" in known[n] else _typed(n, known[n], v)
                              for n, v in data.items()}
    correction = Correction(**values)
    check(correction)
    return correction


def read(path: Path) -> Ledger:
    """Every correction of the file in order (none when it does not exist). LedgerError names
    the first line that is malformed, repeats an id, or undoes what no earlier line recorded."""
    if not path.exists():
        return []
    entries: Ledger = []
    seen: dict[str, Correction] = {}
    undone: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                c = decode(text)
                if c.correction_id in seen:
                    raise ValueError(f"correction_id {c.correction_id} is already used by an earlier line")
                if c.undoes is not None:
                    target = seen.get(c.undoes)
                    if target is None or target.action == "undo":
                        raise ValueError(f"it undoes {c.undoes}, which no earlier line records as a correction")
                    if c.undoes in undone:
                        raise ValueError(f"{c.undoes} is already undone")
                    undone.add(c.undoes)
            except ValueError as e:
                raise LedgerError(f"{path} line {number}: {e}") from None
            seen[c.correction_id] = c
            entries.append((number, c))
    return entries


def append(path: Path, corrections: list[Correction]) -> None:
    """Add whole lines at the end of the file, durably. The file's own lock keeps two writers
    (two databases may share one file) from interleaving; a write cut short is undone."""
    data = "".join(encode(c) + "\n" for c in corrections).encode("utf-8")
    if not data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data   # a hand edit left the last line without its newline
        try:
            if os.write(fd, data) != len(data):
                raise OSError(f"{path}: the disk took only part of the correction")
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)   # releases the lock
    if created:   # the new file's name is durable too
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
