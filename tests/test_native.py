"""The compiled build (`make native`, scripts/build_native.py): it gives the same outputs as
the pure Python, and it is never used once a source no longer matches what was compiled.

Without a compiled build the tests that need one are skipped, unless PIPELINE_REQUIRE_NATIVE
is set (as CI does): there a missing build is a failure."""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPORA = (ROOT / "data" / "corpus", ROOT / "tests" / "eval" / "corpus")

REQUIRED = bool(os.environ.get("PIPELINE_REQUIRE_NATIVE"))
needs_native = pytest.mark.skipif(not pipeline.NATIVE and not REQUIRED,
                                  reason="no compiled build matches the sources (`make native`)")

DUMP = """
import json, sys
from pathlib import Path
import pipeline
from pipeline.ingest import Rejected, ingest_file
from pipeline.process import process_document
out = {"native": pipeline.NATIVE, "docs": []}
for corpus in sys.argv[1:]:
    for path in sorted(Path(corpus).iterdir()):
        try:
            docs = ingest_file(path.name, path.read_bytes())
        except Rejected:
            continue
        out["docs"] += [process_document(doc) for doc in docs]
print(json.dumps(out, ensure_ascii=False, sort_keys=True, default=str))
"""


def run_python(code: str, *args: str, pure: bool, cwd: Path = ROOT) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_PURE"}
    if pure:
        env["PIPELINE_PURE"] = "1"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout


def test_the_compiled_build_is_in_use_where_required() -> None:
    assert pipeline.NATIVE or not REQUIRED, "no compiled build matches the sources: `make native`, build/native.log"


@needs_native
def test_compiled_and_pure_python_give_identical_outputs() -> None:
    compiled = json.loads(run_python(DUMP, *map(str, CORPORA), pure=False))
    pure = json.loads(run_python(DUMP, *map(str, CORPORA), pure=True))
    assert compiled["native"] == pipeline.NATIVE and pure["native"] == []
    assert len(compiled["docs"]) >= 10 and sum(len(figures) for _, figures in compiled["docs"]) > 100
    assert compiled["docs"] == pure["docs"]


@needs_native
def test_compiled_modules_are_loaded_from_the_build_folder() -> None:
    for name in pipeline.NATIVE:
        assert Path(importlib.import_module(f"pipeline.{name}").__file__ or "").is_relative_to(pipeline.NATIVE_DIR)


@needs_native
def test_an_edited_source_runs_as_pure_python(tmp_path: Path) -> None:
    """A copy of the package beside a copy of the build: as built it runs compiled; once a
    compiled source is edited, every module runs as Python from the copy's sources."""
    shutil.copytree(ROOT / "pipeline", tmp_path / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(pipeline.NATIVE_DIR, tmp_path / "build" / "native", ignore=shutil.ignore_patterns("c"))
    (tmp_path / "data").symlink_to(ROOT / "data")
    loaded = ("import json, sys, pipeline, pipeline.process\n"
              "print(json.dumps([pipeline.NATIVE, sys.modules['pipeline.normalize'].__file__]))")
    native, where = json.loads(run_python(loaded, pure=False, cwd=tmp_path))
    assert native == pipeline.NATIVE and Path(where).is_relative_to(tmp_path / "build" / "native")
    edited = tmp_path / "pipeline" / f"{pipeline.NATIVE[-1]}.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    native, where = json.loads(run_python(loaded, pure=False, cwd=tmp_path))
    assert native == [] and Path(where) == tmp_path / "pipeline" / "normalize.py"


def test_the_loader_uses_a_build_only_while_every_hash_matches(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    sources = Path(pipeline.__file__).parent
    digests = {n: hashlib.sha256((sources / f"{n}.py").read_bytes()).hexdigest() for n in ("numbers", "segment")}
    manifest = {"sources": digests, "ext_suffix": importlib.machinery.EXTENSION_SUFFIXES[0]}
    monkeypatch.setattr(pipeline, "NATIVE_DIR", tmp_path)
    monkeypatch.setattr(pipeline, "__path__", list(pipeline.__path__))
    monkeypatch.delenv("PIPELINE_PURE", raising=False)

    def loaded(**changes: object) -> list[str]:
        (tmp_path / "manifest.json").write_text(json.dumps({**manifest, **changes}), encoding="utf-8")
        path_before = list(pipeline.__path__)
        native = pipeline._use_native()
        assert pipeline.__path__ == ([str(tmp_path / "pipeline"), *path_before] if native else path_before)
        pipeline.__path__[:] = path_before
        return native

    assert loaded() == ["numbers", "segment"]
    assert loaded(sources={**digests, "segment": "0" * 64}) == []
    assert loaded(sources={**digests, "no_such_module": "0" * 64}) == []
    assert loaded(ext_suffix=".cpython-39-x86_64-linux-gnu.so") == []
    monkeypatch.setenv("PIPELINE_PURE", "1")
    assert loaded() == []
    monkeypatch.delenv("PIPELINE_PURE")
    (tmp_path / "manifest.json").unlink()
    assert pipeline._use_native() == []
