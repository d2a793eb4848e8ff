"""The documentation stays honest: every command and option has help, every query says
what it returns and is used, every metric has its names, and the README's first lines
are the two set-up commands."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.knowledge import lexicon
from pipeline.warehouse import queries

ROOT = Path(__file__).resolve().parent.parent


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_and_option_has_help(name: str) -> None:
    command = subcommands()[name]
    assert command.description, f"{name} has no description"
    for action in command._actions:
        if action.dest != "help":
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
    assert any("--db" in a.option_strings for a in command._actions), f"{name} lacks --db"


@pytest.mark.parametrize("name", queries.names())
def test_every_query_says_what_it_returns(name: str) -> None:
    assert queries.description(name).startswith(f"{name}:"), f"queries/{name}.sql lacks a '-- {name}: …' header"
    assert len(queries.description(name)) > len(name) + 20


def test_every_query_is_run_by_the_code() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("pipeline/**/*.py"),
                                                            *ROOT.glob("dash_app/**/*.py")])
    unused = [n for n in queries.names() if not re.search(rf"[\"']{n}[\"']", code)]
    assert not unused, f"query files no code runs: {unused}"


def test_every_metric_has_chinese_and_english_names() -> None:
    for m in lexicon.metrics():
        assert re.search(r"[\u4e00-\u9fff]", m["zh"]), m["id"]
        assert re.search(r"[A-Za-z]", m["en"]), m["id"]
        assert m["cues"], m["id"]


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:6]
    commands = [line.split("#")[0].strip() for line in head if line.startswith("    make ")]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
