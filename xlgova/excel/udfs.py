"""Worksheet functions (UDFs) for Excel on Windows: one call per table, findings as a spilled array.

Listed in the template's ``xlwings.conf`` sheet (``UDF Modules = xlgova.excel.udfs``); the clerk imports
them once with the xlwings macro ``ImportPythonUDFs``. See docs/excel.md for examples.
"""
from __future__ import annotations

import xlwings as xw

from ..workbook.layout import APPS, PREVIOUS, REVIEW, SECTION_TWO, data_range, sheet_range
from . import functions as fn

# The ranges in the help texts come from the layout (2021 format), never typed by hand.
APPS_DATA = data_range("2021", "apps")
FROM_A1 = {sheet: sheet_range("2021", sheet) for sheet in (SECTION_TWO, APPS, REVIEW, PREVIOUS)}


@xw.func(category="xlgova")
@xw.arg("apps", ndim=2, doc=f"依申请公开表的数据区域（不含标题），如 {APPS_DATA}")
@xw.arg("prev_carried_out", ndim=1, doc="可选：上年报告“四、结转下年度继续办理”一行（7 个数）")
@xw.arg("format_id", doc="可选：格式版本 2021 或 2019（默认按行数判断）")
def GOVA_CHECK_APPS(apps, prev_carried_out=None, format_id=None):
    """核对依申请公开表（含与上年结转数的衔接），返回发现的问题；没有问题时返回“通过”。"""
    return fn.check_apps(apps, prev_carried_out, format_id)


@xw.func(category="xlgova")
@xw.arg("table_id", doc="表编号：art20_1、art20_5、art20_6、art20_8、art20_9、apps、review")
@xw.arg("data", ndim=2, doc="该表的数据区域（不含标题）")
@xw.arg("format_id", doc="可选：格式版本 2021 或 2019")
def GOVA_CHECK(table_id, data, format_id=None):
    """核对任意一张统计表的表内勾稽关系和数值，返回发现的问题；没有问题时返回“通过”。"""
    return fn.check_table(table_id, data, format_id)


@xw.func(category="xlgova")
@xw.arg("section_two", ndim=2, doc=f"主动公开工作表，从 A1 起，如 {FROM_A1[SECTION_TWO]}")
@xw.arg("apps", ndim=2, doc=f"依申请公开工作表，从 A1 起，如 {FROM_A1[APPS]}")
@xw.arg("review", ndim=2, doc=f"复议诉讼工作表，从 A1 起，如 {FROM_A1[REVIEW]}")
@xw.arg("previous", ndim=2, doc=f"可选：上年数据工作表，从 A1 起，如 {FROM_A1[PREVIOUS]}")
@xw.arg("format_id", doc="可选：格式版本 2021 或 2019")
def GOVA_STATUS(section_two, apps, review, previous=None, format_id=None):
    """全部统计表的校验结论：“通过”或“发现 N 个错误、M 个警告”。"""
    return fn.status(section_two, apps, review, previous, format_id)


@xw.func(category="xlgova")
@xw.arg("section_two", ndim=2)
@xw.arg("apps", ndim=2)
@xw.arg("review", ndim=2)
@xw.arg("previous", ndim=2)
@xw.arg("format_id")
def GOVA_FINDINGS(section_two, apps, review, previous=None, format_id=None):
    """与 GOVA_STATUS 参数相同，返回每一条发现的问题（级别、规则、单元格、说明）。"""
    return fn.findings(section_two, apps, review, previous, format_id)
