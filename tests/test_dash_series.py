"""The conflict rule and the sums of `items` metrics, on plain frames."""

import polars as pl

from dash_app import series


def figures(*rows: dict) -> pl.DataFrame:
    base = {"series": "130000", "series_name": "河北省", "year": 2023, "value": 1.0, "unit": "个",
            "qualifier": "exact", "period_kind": "stock", "text": "1个", "source": "S", "published": "2023-05-01",
            "doc": "d1", "start": 0, "figure_id": "f"}
    return pl.DataFrame([{**base, **r} for r in rows])


def test_exact_beats_approximate_even_when_older():
    found = figures({"figure_id": "a", "value": 900.0, "qualifier": "over", "published": "2024-01-01"},
                    {"figure_id": "b", "value": 860.0, "qualifier": "exact", "published": "2020-01-01"})
    point = series.points(found, "level").row(0, named=True)
    assert (point["figure_id"], point["value"], point["conflict"], point["figures"]) == ("b", 860.0, True, 2)


def test_most_recent_publication_breaks_ties_then_document_order():
    found = figures({"figure_id": "old", "value": 1.0, "published": "2022-12-01"},
                    {"figure_id": "new", "value": 2.0, "published": "2023-06-01"},
                    {"figure_id": "no-date", "value": 3.0, "published": None})
    assert series.points(found, "level")["figure_id"].to_list() == ["new"]
    same_doc = figures({"figure_id": "later", "start": 90, "value": 5.0}, {"figure_id": "first", "start": 10})
    assert series.points(same_doc, "level")["figure_id"].to_list() == ["first"]


def test_equal_values_from_two_documents_are_not_a_conflict():
    found = figures({"figure_id": "a", "doc": "d1"}, {"figure_id": "b", "doc": "d2"})
    point = series.points(found, "level").row(0, named=True)
    assert point["figures"] == 2 and not point["conflict"]


def test_targets_are_their_own_points():
    found = figures({"figure_id": "actual", "value": 5.0}, {"figure_id": "plan", "value": 8.0, "period_kind": "target"})
    result = series.points(found, "level")
    assert result.select("is_target", "value").rows() == [(False, 5.0), (True, 8.0)]
    assert not result["conflict"].any()


def test_items_are_summed_never_conflicts():
    found = figures({"figure_id": "a", "value": 1.5e7, "qualifier": "over"},
                    {"figure_id": "b", "value": 2.3e7, "qualifier": "over"},
                    {"figure_id": "c", "value": 3.26e7, "qualifier": "exact"})
    point = series.points(found, "items").row(0, named=True)
    assert point["value"] == 1.5e7 + 2.3e7 + 3.26e7
    assert point["qualifier"] == "about" and not point["conflict"] and point["figures"] == 3


def test_figures_without_a_year_or_value_are_left_out():
    assert series.points(figures({"year": None}, {"value": None}), "level").is_empty()
    assert series.points(pl.DataFrame(), "level").is_empty()


def test_compared_takes_each_series_latest_or_one_year_largest_first():
    found = figures({"series": "A", "year": 2021, "value": 10.0}, {"series": "A", "year": 2023, "value": 30.0},
                    {"series": "B", "year": 2021, "value": 20.0},
                    {"series": "B", "year": 2024, "value": 99.0, "period_kind": "target"})
    latest = series.compared(found, "level", None)
    assert latest.select("series", "year", "value").rows() == [("A", 2023, 30.0), ("B", 2021, 20.0)]
    in_2021 = series.compared(found, "level", 2021)
    assert in_2021.select("series", "value").rows() == [("B", 20.0), ("A", 10.0)]
