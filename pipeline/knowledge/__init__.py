"""All the language knowledge the engine reads, as one immutable object passed to it.

`load(data_dir)` reads and checks data/lexicon/*.yaml and data/metrics.yaml and builds the
gazetteer; the engine (pipeline.engine) takes the result as a parameter, so it can run with
another lexicon (a test's, a new version's) and keeps no state of its own.

The engine compiles its own matchers from these words (a rule's patterns sit beside the
code that reads them): `derived` memoizes such a compiled view on the Knowledge object,
once per object, so a view is built once per process however many documents are read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pipeline import DATA_DIR
from pipeline.knowledge import lexicon
from pipeline.knowledge.dates import Dates, compile_dates, expand
from pipeline.knowledge.gazetteer import NATIONAL_CODE, Gazetteer, build_gazetteer
from pipeline.knowledge.lexicon import word_pattern

__all__ = ["ANNUAL_AVERAGE", "YEAR_TO_DATE", "Dates", "Gazetteer", "Knowledge", "Metric", "default", "derived",
           "load", "word_pattern"]

T = TypeVar("T")

# the span variants the engine gives (the names of their entries in metrics.yaml `variants`)
ANNUAL_AVERAGE = "annual_average"   # 年均增长: an average per year over several years
YEAR_TO_DATE = "year_to_date"       # 1—5月, 前三季度: the year so far


@dataclass(frozen=True)
class Metric:
    """One indicator of the catalog (data/metrics.yaml)."""
    id: str
    zh: str
    en: str
    unit: str
    category: str
    cues: tuple[str, ...]
    period: str = "stock"       # flow: a sum over a year; stock: a level at a moment; a span variant's
    #                             span (several years) or part_year (the year so far)
    kind: str = "level"         # items: many separate amounts per region and year (each project's investment)
    any_kind: bool = False      # counts events of every kind: a part modifier does not narrow it
    excludes: tuple[str, ...] = ()
    growth_of: str | None = None  # the level metric whose growth rate this is (gdp_growth: gdp)
    other_units: tuple[str, ...] = ()  # units reports also count it in (充电基础设施1806.3万个 beside 万台)
    opening_cues: tuple[str, ...] = ()  # cues only where they open a clause (其中，出口12.13万亿元)
    variant_of: str | None = None  # a span variant's flow metric (gdp_growth_annual_average: gdp_growth)
    variant: str | None = None     # which variant of metrics.yaml `variants` (annual_average, year_to_date)

    def counts_in(self, unit: str) -> bool:
        """Is a figure in `unit` a value of this metric?"""
        return unit == self.unit or unit in self.other_units


@dataclass(frozen=True)
class Knowledge:
    data_dir: Path
    lexicon: Mapping[str, lexicon.Words]       # file name (units, periods, …) → its words
    catalog: tuple[Metric, ...]
    gazetteer: Gazetteer
    dates: Dates                               # the date grammar of dates.yaml, compiled
    _derived: dict[Callable[..., Any], Any] = field(default_factory=dict, compare=False, repr=False)

    def words(self, name: str) -> Mapping[str, Any]:
        """One lexicon file's content, e.g. k.words("units")["rate_units"]."""
        return self.lexicon[name]

    def expand(self, pattern: str) -> str:
        """A pattern of the lexicon with its {{fragments}} (dates.yaml) written out."""
        return expand(pattern, self.lexicon["dates"]["fragments"])

    def variant(self, metric: str | None, name: str) -> str | None:
        """The id of a flow metric's span variant (gdp_growth, annual_average →
        gdp_growth_annual_average), None when the metric has none."""
        return self.derive(_variants).get((metric or "", name))

    @property
    def rate_units(self) -> frozenset[str]:
        """Units of a rate or share (%, ‰, 个百分点): a level at its time, never a sum."""
        return self.derive(_rate_units)

    def derive(self, build: Callable[[Knowledge], T]) -> T:
        """`build(self)`, computed once for this object (see the module's docstring)."""
        if build not in self._derived:
            self._derived[build] = build(self)
        return self._derived[build]  # type: ignore[no-any-return]

    def reference_rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The rows of the warehouse's reference tables: every region (the whole country
        first) with its province and prefecture, and every metric of the catalog."""
        g = self.gazetteer
        national = self.words("regions")["national_name"]
        regions = [{"code": NATIONAL_CODE, "name": national, "short_name": national, "level": "national",
                    "parent_code": None, "province_code": None, "prefecture_code": None}]
        regions += [{"code": r["code"], "name": r["name"], "short_name": r["short"], "level": r["level"],
                     "parent_code": r["parent"], "province_code": g.ancestor(r["code"], "province"),
                     "prefecture_code": g.ancestor(r["code"], "prefecture")} for r in g.regions.values()]
        metrics = [{"id": m.id, "zh": m.zh, "en": m.en, "unit": m.unit, "category": m.category, "kind": m.kind}
                   for m in self.catalog]
        return regions, metrics

    def __getstate__(self) -> dict[str, Any]:
        # compiled views hold objects that need not pickle; a copy derives them again
        return {k: v for k, v in self.__dict__.items() if k != "_derived"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _derived={})


def derived(build: Callable[[Knowledge], T]) -> Callable[[Knowledge], T]:
    """Decorate a function of the knowledge (compiling its words into a matcher) so that it
    runs once per Knowledge object: `@derived def cues(k): …`, then `cues(k)` anywhere."""
    def view(k: Knowledge) -> T:
        return k.derive(build)
    view.__doc__, view.__name__, view.__qualname__ = build.__doc__, build.__name__, build.__qualname__
    return view


def _variants(k: Knowledge) -> dict[tuple[str, str], str]:
    return {(m.variant_of, m.variant): m.id for m in k.catalog if m.variant_of and m.variant}


def _with_variants(catalog: tuple[Metric, ...], variants: Mapping[str, Mapping[str, Any]]) -> tuple[Metric, ...]:
    """The catalog and, after it, the span variants of each flow metric counted as one value a
    region and year (not the items of projects): metrics of their own, found by the engine
    from the base metric and the span (no cues), charted apart from the year's values."""
    derived_metrics = [
        Metric(id=m.id + v["suffix"], zh=m.zh + v["zh"], en=m.en + v["en"], unit=m.unit, category=m.category,
               cues=(), period=v.get("period", "stock"), kind=v.get("kind", "level"), other_units=m.other_units,
               variant_of=m.id, variant=name)
        for m in catalog if m.period == "flow" and m.kind == "level"
        for name, v in variants.items()
    ]
    taken = {m.id for m in catalog} & {m.id for m in derived_metrics}
    if taken:
        raise lexicon.LexiconError(f"metrics.yaml: ids {sorted(taken)} are also span variants of other metrics")
    return catalog + tuple(derived_metrics)


def _rate_units(k: Knowledge) -> frozenset[str]:
    return frozenset(k.words("units")["rate_units"])


def load(data_dir: Path = DATA_DIR) -> Knowledge:
    """The knowledge in a data folder (data/ of the repository by default), checked:
    a missing file or key raises lexicon.LexiconError."""
    files = {name: lexicon.load(name, data_dir) for name in lexicon.LEXICON_FILES}
    catalog = tuple(Metric(**{**m, "cues": tuple(m["cues"]), "excludes": tuple(m.get("excludes", ())),
                              "other_units": tuple(m.get("other_units", ())),
                              "opening_cues": tuple(m.get("opening_cues", ()))})
                    for m in lexicon.metrics(data_dir))
    catalog = _with_variants(catalog, lexicon.metric_variants(data_dir))
    return Knowledge(data_dir=data_dir, lexicon=files, catalog=catalog,
                     gazetteer=build_gazetteer(files["regions"]), dates=compile_dates(files["dates"]))


@cache
def default() -> Knowledge:
    """The repository's own knowledge, loaded once per process (workers, the CLI, tests)."""
    return load()
