"""Reading the language data: the YAML files of data/lexicon/ (checked for their keys) and
the indicator catalog data/metrics.yaml. Pure readers of a folder; pipeline.knowledge keeps
what they return in one Knowledge object."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from pipeline import DATA_DIR

LEXICON_DIR = DATA_DIR / "lexicon"

# the files of data/lexicon/ the extractor reads (each says in its comments what reads it)
LEXICON_FILES = ("dates", "header", "ingest", "non_figures", "numbers", "periods", "qualifiers", "regions",
                 "structure", "subjects", "text", "units")


class LexiconError(ValueError):
    """A data file is missing or lacks a required key."""


class Words(Mapping[str, Any]):
    """One lexicon file's content, read-only; a key it lacks is a LexiconError naming the
    file and the key (the engine compiles every key it reads when a build starts)."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self._path, self._data = path, data

    def __getitem__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise LexiconError(f"{self._path}: no {key!r}, which the extractor reads") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def load(name: str, data_dir: Path = DATA_DIR) -> Words:
    """One lexicon file, e.g. load("units")."""
    path = data_dir / "lexicon" / f"{name}.yaml"
    if not path.is_file():
        raise LexiconError(f"{path}: no such file, which the extractor reads")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: not a mapping of keys to words")
    return Words(path, data)


VARIANTS_KEY = "variants"  # the key of metrics.yaml that holds the span variants, not a category


def metrics(data_dir: Path = DATA_DIR) -> list[dict[str, Any]]:
    """The indicator catalog as a flat list of dicts with a `category` each."""
    path = data_dir / "metrics.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for category, items in raw.items():
        if category == VARIANTS_KEY:
            continue
        for m in items:
            for key in ("id", "zh", "en", "unit", "cues"):
                if key not in m:
                    raise LexiconError(f"{path}: metric {m.get('id')} lacks {key!r}")
            out.append({"kind": "level", "period": "stock", "any_kind": False, **m, "category": category})
    ids = [m["id"] for m in out]
    if len(ids) != len(set(ids)):
        raise LexiconError(f"{path}: duplicate metric ids")
    for m in out:
        if m.get("growth_of") and m["growth_of"] not in ids:
            raise LexiconError(f"{path}: metric {m['id']} is the growth of {m['growth_of']!r}, which is no metric")
    return out


def metric_variants(data_dir: Path = DATA_DIR) -> dict[str, dict[str, Any]]:
    """The span variants of metrics.yaml (`variants`): name → suffix, zh, en, kind."""
    path = data_dir / "metrics.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")).get(VARIANTS_KEY, {})
    for name, v in raw.items():
        for key in ("suffix", "zh", "en"):
            if key not in v:
                raise LexiconError(f"{path}: variant {name} lacks {key!r}")
    return dict(raw)


def word_pattern(words: Iterable[str]) -> str:
    """A pattern matching any of the words, the longest first where several match, as a
    trie (万元|万千瓦 → 万(?:千瓦|元)): `re` tries the branches of a plain alternation one
    after another at every position, which costs a few instructions per word there."""
    words = set(words)
    if not words:
        return "(?!)"
    heads: dict[str, set[str]] = {}
    for w in words:
        if w:
            heads.setdefault(w[0], set()).add(w[1:])
    branches = []
    for head, tails in sorted(heads.items()):  # one branch per first character: any order
        rest = [t for t in tails if t]
        if not rest:
            branches.append(re.escape(head))
        else:
            optional = "?" if "" in tails else ""
            branches.append(f"{re.escape(head)}(?:{word_pattern(rest)}){optional}")
    return "|".join(branches)
