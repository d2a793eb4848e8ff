"""The command line: help for every command, build messages and exit codes, status, report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_build import SAMPLE, pin_fingerprint

from pipeline import cli
from pipeline.warehouse import publish


@pytest.fixture(autouse=True)
def one_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    pin_fingerprint(monkeypatch)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    dst.mkdir()
    for p in SAMPLE[:2]:
        shutil.copyfile(p, dst / p.name)
    return dst


def test_every_command_has_help_and_a_db_option() -> None:
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    assert set(sub.choices) == set(cli.COMMANDS)
    for name, p in sub.choices.items():
        assert p.description, name
        assert any("--db" in a.option_strings for a in p._actions), name
    assert all(a.help for a in sub._choices_actions)


def test_build_says_what_changed_then_that_nothing_did(corpus: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "figures.duckdb")
    assert cli.main(["build", "--corpus", str(corpus), "--db", db, "--quiet", "--workers", "1"]) == cli.EXIT_OK
    assert "files 2 new, 0 changed, 0 removed, 0 unchanged" in capsys.readouterr().out
    assert cli.main(["build", "--corpus", str(corpus), "--db", db, "--quiet", "--workers", "1"]) == cli.EXIT_OK
    assert "no changes, 2 files unchanged" in capsys.readouterr().out

    assert cli.main(["status", "--db", db]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("documents: 2, figures: ")
    runs = [ln for ln in lines if ln.startswith("  ")]
    assert len(runs) == 2
    assert "files 0/0/0/2/0" in runs[0] and "files 2/0/0/0/0" in runs[1]
    assert lines[-1].startswith("stages of the last build") and "extract 0.00 s" in lines[-1]


def test_rejected_files_warn_and_fail_only_in_strict_mode(corpus: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "figures.duckdb")
    (corpus / "notes.xyz").write_text("不是报告", encoding="utf-8")
    args = ["build", "--corpus", str(corpus), "--db", db, "--quiet", "--workers", "1"]
    assert cli.main(args) == cli.EXIT_OK
    assert "warning: notes.xyz: unsupported format" in capsys.readouterr().err
    assert cli.main([*args, "--strict"]) == cli.EXIT_STRICT_WARNINGS
    out, err = capsys.readouterr()
    assert "1 rejected" in out and "notes.xyz" in err
    (corpus / "notes.xyz").unlink()
    assert cli.main([*args, "--strict"]) == cli.EXIT_OK


def test_a_build_while_another_holds_the_lock_exits_with_its_own_code(corpus: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "figures.duckdb"
    with publish.build_lock(db):
        code = cli.main(["build", "--corpus", str(corpus), "--db", str(db), "--quiet"])
    assert code == cli.EXIT_LOCKED == 3
    assert "another build" in capsys.readouterr().err


def test_errors_are_one_line_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["build", "--corpus", str(tmp_path / "nowhere"), "--db", str(tmp_path / "f.duckdb")]) == 4
    err = capsys.readouterr().err
    assert err.startswith("error: corpus folder") and err.count("\n") == 1 and "not found" in err
    assert cli.main(["report", "--db", str(tmp_path / "missing.duckdb")]) == 1


def test_report_writes_a_page_and_its_script(sample_db: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report"
    assert cli.main(["report", "--db", str(sample_db), "--out", str(out)]) == cli.EXIT_OK
    assert (out / "index.html").is_file() and (out / "plotly.min.js").stat().st_size > 1_000_000
    assert str(out / "index.html") in capsys.readouterr().out
