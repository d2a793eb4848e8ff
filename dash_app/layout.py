"""The page: controls, five tabs (Trends, Compare, Evidence, Table, Subjects), and the stores behind them."""

from __future__ import annotations

from dash import dcc, html

from dash_app.pages import compare, evidence, subjects, table, trends


def page(years: tuple[int, int]) -> html.Div:
    first, last = years
    return html.Div(className="page", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="point"),
        dcc.Store(id="clicked"),
        dcc.Store(id="row-figure"),
        dcc.Store(id="table-page", data=0),
        html.H1("Grassroots figures 基层数据"),
        html.Div(className="controls", children=[
            html.Div(className="control metric", children=[
                html.Label("Metric 指标", htmlFor="metric"),
                dcc.Dropdown(id="metric", clearable=False, placeholder="choose a metric 选择指标", maxHeight=420),
            ]),
            html.Div(className="control regions", children=[
                html.Label("Regions 地区 (province → prefecture → county → places)", htmlFor="regions"),
                dcc.Dropdown(id="regions", multi=True, placeholder="search a region 搜索地区", maxHeight=420),
            ]),
            html.Div(className="control years", children=[
                html.Label("Years 年份"),
                dcc.RangeSlider(id="years", min=first, max=last, step=1, value=[first, last],
                                marks={y: str(y) for y in range(first, last + 1)} if last - first <= 12 else None,
                                tooltip={"placement": "bottom"}),
            ]),
        ]),
        dcc.Tabs(id="tab", value="trends", children=[
            trends.layout(),
            compare.layout(),
            evidence.layout(),
            table.layout(),
            subjects.layout(),
        ]),
    ])
