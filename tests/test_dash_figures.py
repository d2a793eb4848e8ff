"""Figures and component trees built from plain frames, without a browser."""

import json

import polars as pl
from dash import html

from dash_app.components import controls, evidence_card, geo
from dash_app.pages import compare
from pipeline.present import charts


def points(*rows: dict) -> pl.DataFrame:
    """Rows shaped like queries/points.sql's (the rule itself is tested on DuckDB in test_points)."""
    base = {"metric": "party_orgs", "metric_kind": "level", "series": "130000", "series_name": "河北省",
            "year": 2023, "point_kind": "year", "value": 217800.0, "unit": "个", "qualifier": "exact",
            "period_kind": "stock", "figures": 1, "distinct_values": 1, "conflict": False, "corrected": False,
            "original_value": None,
            "quote": "全省有基层党组织21.78万个。", "text": "21.78万个", "title": "河北答卷", "source": "河北日报",
            "published": "2023-05-27", "figure_id": "f"}
    return pl.DataFrame([{**base, **r} for r in rows])


def test_trend_draws_one_line_per_series_with_approximate_and_target_markers():
    found = points({"figure_id": "a"}, {"figure_id": "b", "year": 2022, "value": 200000.0, "qualifier": "over"},
                   {"figure_id": "c", "year": 2025, "value": 250000.0, "period_kind": "target", "point_kind": "target"},
                   {"figure_id": "e", "year": 2023, "value": 900000.0, "period_kind": "cumulative",
                    "point_kind": "cumulative"},
                   {"figure_id": "d", "series": "520000", "series_name": "贵州省", "value": 100000.0})
    fig = charts.trend_figure(found, "个", "基层党组织数量")
    traces = {t.name: t for t in fig.data if not t.meta.get("connector")}
    assert set(traces) == {"河北省", "河北省 · 目标 target", "河北省 · 累计 cumulative", "贵州省"}
    cumulative = traces["河北省 · 累计 cumulative"]
    assert cumulative.mode.startswith("markers") and list(cumulative.marker.symbol) == ["square"]
    hebei = traces["河北省"]
    assert list(hebei.x) == [2022, 2023] and list(hebei.y) == [200000.0, 217800.0]
    assert list(hebei.marker.symbol) == ["circle-open", "circle"]
    assert list(hebei.text) == ["20余万个", "21.78万个"]
    assert traces["河北省 · 目标 target"].line.dash == "dash"
    assert list(traces["河北省 · 目标 target"].marker.symbol) == ["diamond"]
    assert traces["河北省"].line.dash == "solid"
    assert list(hebei.customdata[1]) == ["130000", 2023, "year"]
    assert "全省有基层党组织21.78万个。" in hebei.hovertext[1]   # the hover shows the sentence
    narrow = charts.trend_figure(points({"value": 5.1e6}, {"year": 2022, "value": 5.3e6}), "名", "t")
    assert narrow.layout.yaxis.range[0] >= 5e6   # the axis follows the data, not forced down to zero
    logged = charts.trend_figure(points({"value": 10.0}, {"series": "000000", "value": 1e8}), "名", "t", log=True)
    assert logged.layout.yaxis.type == "log"
    connector = next(t for t in fig.data if t.meta.get("connector"))
    assert (list(connector.x), list(connector.y)) == ([2023, 2025], [217800.0, 250000.0])
    assert connector.line.dash == "dash" and connector.hoverinfo == "skip"


def test_conflicting_points_get_a_ring_and_say_so_on_hover():
    found = points({"figure_id": "a", "conflict": True, "figures": 2, "distinct_values": 2})
    fig = charts.trend_figure(found, "个", "t")
    ring = [t for t in fig.data if t.meta == {"conflicts": True}]
    assert len(ring) == 1 and list(ring[0].y) == [217800.0]
    assert "disagree" in ring[0].hovertext[0]


def test_hover_escapes_document_text():
    found = points({"source": "<img src=x onerror=alert(1)>", "quote": "<b>5</b>"})
    hover = charts.trend_figure(found, "个", "t").data[0].hovertext[0]
    assert "<img" not in hover and "&lt;img src=x" in hover and "&lt;b&gt;5&lt;/b&gt;" in hover


def test_no_points_gives_a_message_not_an_empty_axis():
    fig = charts.trend_figure(points().clear(), "个", "t")
    assert not fig.data
    assert fig.layout.xaxis.visible is False and "No figures" in fig.layout.annotations[0].text


def test_compare_bar_sorted_largest_first_with_conflicts_marked():
    found = compare.compared(points(
        {"series": "520000", "series_name": "贵州省", "value": 5.0, "conflict": True},
        {"series": "520000", "series_name": "贵州省", "value": 7.0, "year": 2024, "point_kind": "target"},
        {"year": 2022, "value": 9.0, "qualifier": "over"},
        {"year": 2023, "value": 90.0, "point_kind": "cumulative"},
    ), None)
    fig = charts.compare_bar(found, "个", "t", show_year=True)
    bar = fig.data[0]
    assert list(bar.y) == ["河北省", "⚠ 贵州省"] and list(bar.x) == [9.0, 5.0]
    assert list(bar.text) == ["9余个 (2022)", "5个 (2023)"]
    assert "years differ 2022–2023" in fig.layout.title.text
    assert list(bar.marker.pattern.shape) == ["/", ""]


def test_map_colours_the_regions_with_values_over_grey_outlines():
    found = points({}, {"series": "520000", "series_name": "贵州省", "value": 1.0})
    fig = charts.compare_map(found, geo.outlines("province"), "个", "t")
    outline, values = fig.data
    assert len(outline.locations) == 34 and values.featureidkey == "properties.code"
    assert sorted(values.locations) == ["130000", "520000"]
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert charts.compare_map(found, geo.outlines("county"), "个", "t").layout.annotations


def test_prefecture_outlines_of_one_province():
    codes = {f["properties"]["code"] for f in geo.outlines("prefecture", "130000")["features"]}
    assert "130200" in codes and all(c.startswith("13") for c in codes)


def test_quote_highlights_the_number_as_text_children():
    figure = {"quote": "全省有<b>基层党组织</b>21.78万个。", "text": "21.78万个", "start": 115, "quote_start": 100}
    start, end = evidence_card.number_span(figure)
    parts = evidence_card.highlighted(figure["quote"], start, end)
    assert parts[0] == "全省有<b>基层党组织</b>"  # a string child: Dash renders it as text
    assert isinstance(parts[1], html.Mark) and parts[1].children == "21.78万个"
    assert evidence_card.number_span({**figure, "quote_start": None}) == (start, end)


def test_document_view_marks_the_sentence():
    view = evidence_card.document_view({"doc": "d", "title": "T", "source": None, "published": "2023",
                                        "text": "前文。当前,全省有21.78万个。后文", "mark_start": 3, "mark_end": 17})
    before, mark, after = view[2].children
    assert (before, mark.children, after) == ("前文。", "当前,全省有21.78万个。", "后文")
    assert mark.id == "doc-mark"


def test_no_component_tree_uses_raw_html():
    tree = evidence_card.evidence_list(pl.DataFrame([{
        "figure_id": "f", "doc": "d", "start": 3, "end": 5, "text": "5个", "quote": "<script>x</script>5个",
        "quote_start": 0, "value": 5.0, "unit": "个", "qualifier": "exact", "period_kind": "stock",
        "title": "<i>t</i>", "source": None, "published": None, "region_name": "沧县", "region_level": "county",
        "year": 2022, "metric": "party_orgs", "corrected": True, "original_value": 4.0, "original_unit": "个",
        "original_qualifier": "exact", "original_year": 2022, "original_metric": "party_orgs",
        "original_region_name": "沧县", "original_period_kind": "stock", "correction_id": "c-1",
        "correction_author": "<b>li</b>", "correction_reason": "<img src=x onerror=alert(1)>",
    }]), "f", "heading", conflict=True, curating=True)
    dumped = json.dumps([c.to_plotly_json() for c in tree], default=lambda o: o.to_plotly_json(), ensure_ascii=False)
    assert "dangerously" not in dumped and "<script>x</script>" in dumped  # kept as text, escaped on render
    assert "<img src=x onerror=alert(1)>" in dumped and "原值 4个" in dumped


def test_metric_options_grouped_by_category_with_both_names():
    options = controls.metric_options(pl.DataFrame([
        {"id": "party_orgs", "zh": "基层党组织数量", "en": "Grassroots party organisations", "category": "party",
         "figures": 3},
        {"id": "gdp", "zh": "地区生产总值", "en": "Gross regional product", "category": "economy", "figures": 0},
    ]))
    assert [o.get("disabled", False) for o in options] == [True, False, True, False]
    assert options[1]["label"] == "基层党组织数量 · Grassroots party organisations (3)"
