"""`make native`: compile pure per-document modules with mypyc into build/native/.

    python scripts/build_native.py pipeline/extract.py pipeline/numbers.py …

The extensions go to build/native/pipeline/, never beside the sources: an extension next
to a .py shadows it, so an edited source would silently run as old compiled code.
pipeline/__init__.py puts that folder on the package's path only while every source's
sha256 matches build/native/manifest.json, which is written last, after the compiled
modules were seen to import; otherwise the pure Python runs, which is always correct.
Exits non-zero when anything fails (e.g. no C compiler); `make native` then warns in one
line and keeps the details in build/native.log.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "native"
# mypyc's shared library for the group, importable as pipeline.native__mypyc from the same
# folder as the modules, so nothing has to go on sys.path
GROUP = "pipeline.native"


def digests(sources: list[Path]) -> dict[str, str]:
    """Module name → sha256 of its source, as pipeline/__init__.py checks them."""
    return {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}


def compile_modules(sources: list[Path]) -> None:
    """mypycify + setuptools' build_ext, called directly: setup() would read pyproject.toml
    as project metadata, which is not what is built here."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    os.chdir(ROOT)  # mypy reads its options ([tool.mypy]) from pyproject.toml here
    extensions = mypycify([str(p.relative_to(ROOT)) for p in sources], opt_level="3",
                          target_dir=str(OUT / "c"), group_name=GROUP)
    dist = Distribution({"name": "pipeline-native", "ext_modules": extensions})
    build_ext = dist.get_command_obj("build_ext")
    build_ext.build_lib = str(OUT)
    build_ext.build_temp = str(OUT / "c")
    dist.run_command("build_ext")


def imports_compiled(names: list[str]) -> bool:
    """Whether a fresh interpreter loads every module from build/native (and nothing fails to load)."""
    check = (f"import importlib, pipeline; assert pipeline.NATIVE == {sorted(names)!r}, pipeline.NATIVE\n"
             f"for n in pipeline.NATIVE: assert importlib.import_module('pipeline.' + n).__file__.startswith("
             f"{str(OUT)!r}), n")
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_PURE"}
    return subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env).returncode == 0


def main(argv: list[str]) -> int:
    sources = [Path(a).resolve() for a in argv]
    if not sources:
        raise SystemExit(__doc__)
    shutil.rmtree(OUT, ignore_errors=True)  # no manifest, so pure Python until this succeeds
    compiled = digests(sources)
    compile_modules(sources)
    if digests(sources) != compiled:
        print("warning: a source changed while it was compiled; run `make native` again", file=sys.stderr)
        return 1
    manifest = {"sources": compiled, "ext_suffix": importlib.machinery.EXTENSION_SUFFIXES[0],
                "python": sys.version, "mypy": importlib.metadata.version("mypy")}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    if not imports_compiled(list(compiled)):
        (OUT / "manifest.json").unlink()
        print("warning: the compiled modules do not import; pure Python runs", file=sys.stderr)
        return 1
    print(f"compiled with mypyc into {OUT.relative_to(ROOT)}: {', '.join(sorted(compiled))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
