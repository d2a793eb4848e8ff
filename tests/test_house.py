"""The house rules the code keeps (README "Layout"): imports go one way between the stages;
the engine holds no language knowledge in its code and no state between documents; the
records are the one schema of the database's documents and figures tables."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import duckdb
import pytest

from pipeline.records import Correction, DocumentRecord, Figure, field_names
from pipeline.warehouse import queries, store

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "pipeline"

# what each part of pipeline/ may import of pipeline (besides itself and the package root,
# which holds only the version and the repository's paths); the CLI wires everything
MAY_IMPORT: dict[str, set[str]] = {
    "records": set(),
    "knowledge": {"records"},
    "engine": {"records", "knowledge"},
    "ingest": {"records", "knowledge"},      # reads data/lexicon/ingest.yaml and the date grammar
    "warehouse": {"records"},
    "curation": {"records", "warehouse"},   # corrections: the build applies them, the CLI and dashboard write them
    "present": set(),
    "build": {"records", "knowledge", "ingest", "engine", "warehouse", "curation", "terminal"},
    "report": {"records", "warehouse", "present"},
    "export": {"records", "warehouse", "present"},
    "terminal": set(),
    "cli": {"records", "knowledge", "ingest", "engine", "build", "warehouse", "curation", "present", "report",
            "export", "terminal"},
}
# curation: `serve --curate` writes a correction through the same apply-and-publish path as the CLI
DASHBOARD_MAY_IMPORT = {"warehouse", "present", "curation"}
# characters of Chinese text: ideographs, CJK punctuation, full-width forms
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def part_of(path: Path) -> str:
    rel = path.relative_to(PIPELINE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def pipeline_imports(path: Path) -> set[str]:
    """The parts of pipeline a module imports (pipeline.engine.text → engine)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
        for name in names:
            parts = name.split(".")
            if parts[0] == "pipeline":
                if len(parts) > 1:
                    found.add(parts[1])
                elif isinstance(node, ast.ImportFrom):
                    found |= {a.name for a in node.names if (PIPELINE / a.name).exists()
                              or (PIPELINE / f"{a.name}.py").exists()}
    return found


MODULES = sorted(p for p in PIPELINE.rglob("*.py") if p.name != "__main__.py" and p != PIPELINE / "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_one_way(path: Path) -> None:
    part = part_of(path)
    wrong = pipeline_imports(path) - MAY_IMPORT[part] - {part}
    assert not wrong, f"{part} may not import {sorted(wrong)}"


def test_the_dashboard_reads_through_the_warehouse_only() -> None:
    for path in sorted((ROOT / "dash_app").rglob("*.py")):
        wrong = pipeline_imports(path) - DASHBOARD_MAY_IMPORT
        assert not wrong, f"{path.relative_to(ROOT)} imports pipeline.{sorted(wrong)}"


def test_no_part_imports_the_dashboard() -> None:
    for path in MODULES:
        if part_of(path) == "cli":
            continue   # `serve` starts it
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [n for n in names if n.split(".")[0] == "dash_app"], path


def test_the_parts_form_no_cycle() -> None:
    graph = {part: set(allowed) for part, allowed in MAY_IMPORT.items()}
    done: set[str] = set()

    def visit(part: str, path: tuple[str, ...]) -> None:
        assert part not in path, f"import cycle {' -> '.join((*path, part))}"
        if part not in done:
            for nxt in graph[part]:
                visit(nxt, (*path, part))
            done.add(part)
    for part in graph:
        visit(part, ())


def code_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals and names of a module's code: docstrings and comments left out (they
    may quote the phrasings a rule is about)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))
    out = []
    for i, t in enumerate(tokens):
        if t.type == tokenize.COMMENT:
            continue
        before = tokens[i - 1].type if i else tokenize.NEWLINE
        after = tokens[i + 1].type if i + 1 < len(tokens) else tokenize.NEWLINE
        docstring = (t.type == tokenize.STRING and after == tokenize.NEWLINE
                     and before in (tokenize.INDENT, tokenize.DEDENT, tokenize.NEWLINE, tokenize.NL, tokenize.ENCODING))
        if not docstring:
            out.append((t.start[0], t.string))
    return out


ENGINE_AND_KNOWLEDGE = sorted([*(PIPELINE / "engine").glob("*.py"), *(PIPELINE / "knowledge").glob("*.py")])


@pytest.mark.parametrize("path", ENGINE_AND_KNOWLEDGE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_chinese_word_or_pattern_in_the_engines_code(path: Path) -> None:
    """Every word, mark and pattern of Chinese text lives in data/lexicon/*.yaml or
    data/metrics.yaml: adding one is a YAML edit."""
    found = [f"line {n}: {s[:40]}" for n, s in code_strings(path) if CJK.search(s)]
    assert not found, found


@pytest.mark.parametrize("path", sorted((PIPELINE / "engine").glob("*.py")), ids=lambda p: p.name)
def test_the_engine_keeps_no_state_between_documents(path: Path) -> None:
    """No module caches or globals: what the engine compiles from the knowledge is memoized on
    the Knowledge object (knowledge.derived)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.Global), f"line {node.lineno}: global"
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                name = ast.unparse(deco)
                assert "cache" not in name, f"{node.name}: @{name}"


def table_columns(table: str) -> list[str]:
    con = duckdb.connect(":memory:")
    store.migrate(con)
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def test_the_tables_are_the_records() -> None:
    assert table_columns("figures") == [*field_names(Figure), "run_id"]
    assert table_columns("documents") == [*field_names(DocumentRecord), "run_id"]
    assert list(store.FIGURE_COLUMNS) == table_columns("figures")
    assert list(store.DOCUMENT_COLUMNS) == table_columns("documents")
    assert table_columns("corrections")[:len(field_names(Correction))] == list(field_names(Correction))
    assert list(store.CORRECTION_COLUMNS) == table_columns("corrections")


# the queries that work on the figures as extracted: the build's change log and the curation that
# anchors corrections to them; every other query reads the corrected figures
EXTRACTED_READERS = {"build_figure_changes", "correction_anchors", "corrections_list"}


@pytest.mark.parametrize("name", queries.names())
def test_what_users_see_is_the_corrected_figures(name: str) -> None:
    reads_extracted = re.search(r"\b(FROM|JOIN)\s+figures\b", queries.sql(name), re.IGNORECASE)
    assert bool(reads_extracted) == (name in EXTRACTED_READERS), name
