"""The 图表 sheet: what a supervisor would rather look at than read — native Excel charts and their data."""
from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.legend import Legend
from openpyxl.chart.label import DataLabelList

from ..workbook import cell_styles as S
from ..ooxml.a1 import column_letter
CHART_SHEET = "图表"


def _table(ws, row: int, title: str, headers: tuple[str, ...], rows: list[tuple]) -> tuple[int, int]:
    ws.cell(row, 1, title).font = S.HEADING
    for j, h in enumerate(headers, 1):
        S.cell_style(ws.cell(row + 1, j, h), font=S.HEADER, fill=S.LIST_HEADER_FILL)
    for i, values in enumerate(rows, row + 2):
        for j, v in enumerate(values, 1):
            S.cell_style(ws.cell(i, j, v), align=S.LEFT if j == 1 else S.CENTER)
    return row + 1, row + 1 + len(rows)


def _style(chart, title: str, y_title: str | None = None) -> None:
    chart.title = title
    chart.height, chart.width = 7.5, 15
    if y_title and hasattr(chart, "y_axis"):
        chart.y_axis.title = y_title
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
    chart.legend = chart.legend if getattr(chart, "grouping", None) == "clustered" and len(chart.series) > 1 else None


def _labels(chart) -> None:
    # Every flag explicit: LibreOffice shows series and category names when they are merely absent.
    chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False, showLeaderLines=False)


def add_chart_sheet(wb, result) -> None:
    ws = wb.create_sheet(CHART_SHEET)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 18, 12, 12
    S.cell_style(ws.cell(1, 1, f"{result.area}{result.year or ''}年度政府信息公开工作图表"), font=S.TITLE, border=None, align=S.LEFT)
    ws.merge_cells("A1:L1")
    row = 3
    top, bottom = _table(ws, row, "一、依申请公开办理结果（件）", ("办理结果", "件数"), result.outcomes)
    bar = BarChart()
    bar.type = "bar"
    bar.add_data(Reference(ws, min_col=2, min_row=top, max_row=bottom), titles_from_data=True)
    bar.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
    _style(bar, "依申请公开办理结果", "件")
    bar.x_axis.scaling.orientation = "maxMin"  # first outcome on top, as in the official table
    _labels(bar)
    ws.add_chart(bar, f"E{row}")
    row = max(bottom + 3, row + 16)
    top, bottom = _table(ws, row, "二、各单位收到申请数量分布（个单位）", ("本年新收申请", "单位数"), result.buckets)
    col = BarChart()
    col.add_data(Reference(ws, min_col=2, min_row=top, max_row=bottom), titles_from_data=True)
    col.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
    _style(col, "各单位收到申请数量分布", "单位数")
    _labels(col)
    ws.add_chart(col, f"E{row}")
    row = max(bottom + 3, row + 16)
    _year_chart(ws, row, result)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1  # the three charts on one sheet of paper
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:N{row + 16}"


def _year_chart(ws, row: int, result) -> None:
    year = result.year or 0
    if result.last_year is None:
        ws.cell(row, 1, "三、本年与上年主要数据对比").font = S.HEADING
        ws.cell(row + 1, 1, "未提供上年数据（--previous），无法对比。").font = S.BODY
        return
    last = dict(result.last_year)
    rows = [(label, last.get(label, 0), n) for label, n in result.this_year]
    top, bottom = _table(ws, row, "三、本年与上年主要数据对比（件）", ("项目", f"{year - 1}年", f"{year}年"), rows)
    chart = BarChart()
    chart.grouping = "clustered"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=top, max_row=bottom), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=bottom))
    _style(chart, "本年与上年主要数据对比", "件")
    chart.legend = Legend()
    chart.legend.position = "b"
    _labels(chart)
    ws.add_chart(chart, f"E{row}")
    ws.column_dimensions[column_letter(3)].width = 12

