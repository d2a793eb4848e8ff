"""Numbers written the way readers expect, and axis ticks in the same style."""

import pytest

from pipeline.present.format import axis_ticks, format_number, format_value, nice_step


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (217800, "个", "21.78万个"),
    (120000000, "元", "1.2亿元"),
    (27.5, "%", "27.5%"),
    (8660000000, "元", "86.6亿元"),
    (5204900, "人", "520.49万人"),
    (904000, "人次", "90.4万人次"),
    (96000000, "人", "9600万人"),
    (10539, "人", "1.0539万人"),   # exact counts stay exact
    (50000, "个", "5万个"),
    (1.2e12, "元", "1.2万亿元"),
    (4720, "人", "4720人"),
    (0.5, "个百分点", "0.5个百分点"),
    (0, "个", "0个"),
    (-150000, "元", "-15万元"),
])
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize(("value", "unit", "qualifier", "expected"), [
    (4900000, "名", "about", "约490万名"),
    (4900000, "名", "over", "490余万名"),
    (860, "个", "over", "860余个"),
    (217800, "个", "over", "超21.78万个"),
    (30000, "人", "under", "近3万人"),
    (27.5, "%", "exact", "27.5%"),
])
def test_the_qualifier_is_kept(value, unit, qualifier, expected):
    assert format_value(value, unit, qualifier) == expected


def test_format_number_without_a_value():
    assert format_number(None) == "–"
    assert format_number(float("nan")) == "–"


@pytest.mark.parametrize(("span", "step"), [(217800, 50000), (860, 200), (27.5, 10), (1, 0.2), (0, 1)])
def test_nice_step(span, step):
    assert nice_step(span) == pytest.approx(step)


def test_axis_ticks_cover_the_top_and_use_chinese_multipliers():
    values, labels = axis_ticks(0, 243936, "个")
    assert values[0] == 0 and values[-1] >= 243936
    assert labels[:3] == ["0个", "5万个", "10万个"]
    assert labels[-1] == "25万个"
    low, _ = axis_ticks(5100000, 5300000, "名")
    assert low[0] == 5100000 and low[-1] == 5300000   # from the data's range, not from zero
