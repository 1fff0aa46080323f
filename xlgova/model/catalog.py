"""Every rule id xlgova knows, with its severity and Chinese title: one table, used by every part.

Later parts (reader, importer, consolidator) report under these ids too, so severities live here once.
"""
from __future__ import annotations

from dataclasses import dataclass

from .finding import ERROR, INFO, WARNING


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: str
    title: str  # Chinese, what the clerk sees as the rule's name
    formula: bool = False  # can be a native Excel check formula in the template


_INFOS = (
    RuleInfo("apps.balance", ERROR, "申请情况表勾稽关系：第一项加第二项之和，等于第三项加第四项之和", formula=True),
    RuleInfo("apps.handled_sum", ERROR, "（七）总计等于各项办理结果之和", formula=True),
    RuleInfo("apps.row_total", ERROR, "总计列等于各类申请人之和", formula=True),
    RuleInfo("review.total", ERROR, "行政复议、行政诉讼总计等于各项结果之和", formula=True),
    RuleInfo("value.invalid", ERROR, "数值无效（文字、负数或小数）", formula=True),
    RuleInfo("value.blank", WARNING, "应填数字而为空白或符号（应填 0）", formula=True),
    RuleInfo("value.normalised", INFO, "数字写法不规范，已按数字读取"),
    RuleInfo("value.too_large", ERROR, "数值大得不可能（超过 15 位数字，Excel 无法精确保存）"),
    RuleInfo("format.year", ERROR, "格式版本与统计年度不符"),
    RuleInfo("report.year_missing", WARNING, "未填写统计年度"),
    RuleInfo("report.year_implausible", ERROR, "统计年度不在合理范围（2008 年至下一年）"),
    RuleInfo("report.agency_missing", WARNING, "未填写单位名称"),
    RuleInfo("report.cells_missing", WARNING, "报告缺少部分单元格，相关勾稽关系未核对"),
    RuleInfo("xyear.carried_in", WARNING, "上年结转申请数等于上年报告的结转下年度继续办理数", formula=True),
    RuleInfo("xyear.in_force", WARNING, "现行有效件数等于上年现行有效件数加本年制发减本年废止", formula=True),
    RuleInfo("xyear.prev_items", WARNING, "上一年项目数量等于上年报告的上一年项目数量加本年增/减", formula=True),
    RuleInfo("art20_1.published", WARNING, "本年新公开数量不大于对外公开总数量", formula=True),
    RuleInfo("hint.township_rules", INFO, "乡镇、街道无权制定规章"),
    RuleInfo("hint.fee_unit", INFO, "收费金额疑似按“元”填入“万元”栏"),
    RuleInfo("hint.magnitude", INFO, "数值约为上年的10倍或十分之一"),
    RuleInfo("hint.narrative_copied", INFO, "文字与上年报告几乎相同（内容雷同）"),
    # The supervisor's review, made by the consolidator (thresholds in xlgova.consolidate.review_rules).
    RuleInfo("hint.yoy_jump", INFO, "主要数据与本单位上年相比变化达 5 倍以上"),
    RuleInfo("hint.outlier", INFO, "主要数据远离同级单位的一般水平"),
    RuleInfo("hint.same_as_last_year", INFO, "全部统计表与本单位上年报告完全相同"),
    # Reported by the workbook reader.
    RuleInfo("workbook.total_overwritten", WARNING, "合计单元格的公式被改写"),
    RuleInfo("workbook.cell_missing", ERROR, "工作簿缺少应有的单元格或名称"),
    RuleInfo("workbook.names_missing", INFO, "工作簿缺少定义名称，已按模板位置读取"),
    RuleInfo("workbook.not_xlsx", INFO, "工作簿保存为 .xls 或 .ods，建议另存为 .xlsx"),
    RuleInfo("workbook.template_newer", WARNING, "工作簿来自更新版本的模板，请升级 xlgova"),
    RuleInfo("workbook.out_of_range", WARNING, "模板范围之外的单元格填有内容，未读取"),
    RuleInfo("workbook.name_duplicated", WARNING, "定义名称重复（仅大小写不同），已按模板的写法读取"),
    # Reported by the importer of published documents.
    RuleInfo("doc.section_missing", ERROR, "缺少报告的某一部分"),
    RuleInfo("doc.table_missing", ERROR, "缺少统计表"),
    RuleInfo("doc.table_incomplete", ERROR, "统计表不完整（缺行或缺单元格）"),
    RuleInfo("doc.row_repaired", INFO, "残缺的表格行已按表内勾稽关系还原"),
    RuleInfo("doc.row_doubtful", WARNING, "表格行残缺，无法确定数值"),
    RuleInfo("doc.format_mismatch", WARNING, "表格列名与格式版本不符"),
    RuleInfo("doc.format_unknown", WARNING, "没有统计年度，表头也没有区分格式版本的用语，无法判断格式版本"),
    RuleInfo("doc.group_row", WARNING, "一组行只印了一行（旧格式的写法），已作为该组的合计读取"),
    RuleInfo("doc.local_row", INFO, "统计表中有格式以外的行或列（地方加的），未读取"),
    RuleInfo("narrative.mismatch", WARNING, "正文所述数字与统计表不符"),
    # Reported by the consolidator.
    RuleInfo("consolidate.duplicate_agency", WARNING, "同一单位提交了多份报告"),
    RuleInfo("consolidate.identical_tables", WARNING, "与其他单位的统计表完全相同"),
    RuleInfo("consolidate.copied_narrative", WARNING, "文字与其他单位或本单位上年报告几乎相同（内容雷同）"),
    RuleInfo("consolidate.year_mismatch", ERROR, "统计年度与本次汇总的年度不一致（未计入汇总）"),
    RuleInfo("consolidate.unknown_agency", WARNING, "单位名称不在汇总名单中或与多个单位相符"),
)

RULE_INFO: dict[str, RuleInfo] = {r.id: r for r in _INFOS}


def severity_of(rule_id: str) -> str:
    return RULE_INFO[rule_id].severity


def title_of(rule_id: str) -> str:
    return RULE_INFO[rule_id].title
