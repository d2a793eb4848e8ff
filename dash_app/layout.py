"""The page: controls, five tabs (Trends, Compare, Evidence, Table, Subjects), and the stores behind them."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dash_app.components.figure_grid import TABLE_COLUMNS
from dash_app.components.shell import loading
from dash_app.pages import compare, evidence, subjects, trends


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
            dcc.Tab(label="Table 表格", value="table", children=[
                html.Div(className="controls", children=[
                    dcc.RadioItems(id="table-scope", value="metric", inline=True, options=[
                        {"label": "this metric 当前指标", "value": "metric"},
                        {"label": "all figures 全部数据", "value": "all"},
                    ]),
                    html.Button("◀ previous 上一页", id="table-prev", n_clicks=0),
                    html.Button("next 下一页 ▶", id="table-next", n_clicks=0),
                    html.Button("Download CSV of the rows shown 下载CSV", id="csv", n_clicks=0),
                    html.Span(id="table-note", className="hint"),
                    html.Span("click a row for its evidence 点击行查看出处", className="hint"),
                ]),
                loading(dag.AgGrid(
                    id="table", columnDefs=TABLE_COLUMNS, rowData=[], getRowId="params.data.figure_id",
                    defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True},
                    dashGridOptions={"pagination": True, "paginationPageSize": 50, "enableCellTextSelection": True,
                                     "tooltipShowDelay": 300},
                    csvExportParams={"fileName": "figures.csv",  # formula-like cells neutralised (assets/)
                                     "processCellCallback": {"function": "csvSafeCell(params)"}},
                    style={"height": "640px"},
                )),
            ]),
            subjects.layout(),
        ]),
    ])
