"""Figures from Chinese reports: ingest → normalize → extract → resolve → store."""

import hashlib
import importlib.machinery
import json
import os
from pathlib import Path

__version__ = "0.1.0"

NATIVE_DIR = Path(__file__).resolve().parent.parent / "build" / "native"


def _use_native() -> list[str]:
    """The modules that run compiled: those `make native` (scripts/build_native.py) built
    with mypyc into build/native/pipeline/, if every one was built from its source as it
    is now; else none, and all of pipeline is the pure Python. The compiled folder goes
    first on the package's path only after this check, so an edited source runs as Python
    until `make` rebuilds, never as stale compiled code. PIPELINE_PURE=1 turns it off."""
    if os.environ.get("PIPELINE_PURE"):
        return []
    try:
        manifest = json.loads((NATIVE_DIR / "manifest.json").read_text(encoding="utf-8"))
        here = Path(__file__).resolve().parent
        current = {name: hashlib.sha256((here / f"{name}.py").read_bytes()).hexdigest()
                   for name in manifest["sources"]}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if current != manifest["sources"] or manifest.get("ext_suffix") != importlib.machinery.EXTENSION_SUFFIXES[0]:
        return []
    __path__.insert(0, str(NATIVE_DIR / "pipeline"))
    return sorted(current)


NATIVE: list[str] = _use_native()
