"""Write data/opencc_t2s.json: the keys of OpenCC's t2s dictionaries whose conversion
changes the text, read with the opencc_dict tool that the opencc wheel bundles.

pipeline.normalize calls OpenCC only on a text where one of these keys is written: on
any other text t2s returns the text unchanged (every piece OpenCC matches maps to
itself), and most reports are written in simplified characters. OpenCC's Python
binding has no way to list its dictionaries, hence this script.

Usage: python scripts/opencc_keys.py [--check]   (--check: fail if the file is stale)
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import opencc

OUT = Path(__file__).resolve().parent.parent / "data" / "opencc_t2s.json"
CLIB = Path(opencc.__file__).resolve().parent / "clib"


def _dictionary_files(node: Any) -> list[str]:
    """The .ocd2 files a t2s.json config uses, in any nesting of groups."""
    if isinstance(node, dict):
        if node.get("type") == "ocd2":
            return [node["file"]]
        return [f for v in node.values() for f in _dictionary_files(v)]
    if isinstance(node, list):
        return [f for v in node for f in _dictionary_files(v)]
    return []


def _entries(ocd2: Path) -> list[tuple[str, str]]:
    """(key, first value) of each entry of a binary dictionary: the value OpenCC writes."""
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "dict.txt"
        subprocess.run([str(CLIB / "bin" / "opencc_dict"), "-i", str(ocd2), "-o", str(text),
                        "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        lines = text.read_text(encoding="utf-8").splitlines()
    return [(key, values.split(" ")[0]) for key, values in (line.split("\t", 1) for line in lines if line)]


def changing_keys() -> dict[str, Any]:
    """The single characters and phrases that t2s rewrites. Each phrase is filed under
    one of its characters, chosen to be shared by as many phrases as possible and, among
    those, to be a traditional form (a key of a character dictionary, even one kept as it
    is), so that the check in normalize visits few places of a simplified text. Phrases
    holding a changing single character need no entry of their own."""
    share = CLIB / "share" / "opencc"
    files = sorted(set(_dictionary_files(json.loads((share / "t2s.json").read_text(encoding="utf-8")))))
    entries = [entry for f in files for entry in _entries(share / f)]
    changing = [key for key, value in entries if value != key]
    traditional = {key for key, _ in entries if len(key) == 1}
    chars = {k for k in changing if len(k) == 1}
    phrases = sorted({k for k in changing if len(k) > 1 and not chars & set(k)})
    filed: dict[str, list[str]] = {}
    left = phrases
    while left:
        shared = collections.Counter(c for k in left for c in set(k))
        char = min(shared, key=lambda c: (-shared[c], c not in traditional, c))
        filed[char] = [k for k in left if char in k]
        left = [k for k in left if char not in k]
    return {
        "opencc": metadata.version("opencc"),
        "dictionaries": {f: hashlib.sha256((share / f).read_bytes()).hexdigest() for f in files},
        "chars": "".join(sorted(chars)),
        "phrases": {c: sorted(ks) for c, ks in sorted(filed.items())},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if data/opencc_t2s.json is not up to date")
    args = ap.parse_args()
    text = json.dumps(changing_keys(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} does not match the installed OpenCC: run python scripts/opencc_keys.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
