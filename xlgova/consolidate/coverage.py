"""覆盖情况: per agency, which groups of checks ran and which could not be assessed, and why.

A report that passes because half its checks never ran is not a clean report: the supervisor sees here
that the 复议诉讼表 was missing, that no last year was given (so no cross-year or 同比 check ran), or
that the narrative was left empty.
"""
from __future__ import annotations

from ..model import Report
from ..rules import Numbers
from .review_rules import FIGURES, figures, full_previous

RAN, PARTLY, NOT_RUN = "已核对", "部分核对", "未核对"
# (key, label): the rule groups, in the order the 覆盖情况 sheet shows them.
GROUPS = (
    ("tables", "表内勾稽关系"),
    ("cross_year", "跨年度核对"),
    ("narrative", "正文与统计表核对"),
    ("yoy", "同比审核"),
    ("peers", "同级比较"),
)
GROUP_LABELS = dict(GROUPS)
NO_PREVIOUS = "未提供上年数据（工作簿“上年数据”为空，汇总时也未提供上年汇总表）"


def _tables(report: Report) -> tuple[str, str]:
    values = report.values
    if report.format.cells.keys() <= values.keys():  # nearly every workbook: all there
        return RAN, ""
    missing, cut = [], []
    for t in report.format.tables:
        absent = sum(1 for c in t.cells if c.id not in values)
        if absent == len(t.cells):
            missing.append(t.short)
        elif absent:
            cut.append(f"{t.short}（缺 {absent} 个单元格）")
    if not missing and not cut:
        return RAN, ""
    why = "；".join(x for x in ("缺少" + "、".join(missing) if missing else "", "不完整：" + "、".join(cut) if cut else "") if x)
    state = NOT_RUN if len(missing) == len(report.format.tables) else PARTLY
    return state, why + "，涉及的勾稽关系未核对"


def _narrative(report: Report) -> tuple[str, str]:
    narrative = report.format.narrative_sections
    absent = [s.heading for s in narrative if not (report.sections.get(s.key) or "").strip()]
    if not absent:
        return RAN, ""
    if len(absent) == len(narrative):
        return NOT_RUN, "未填写正文，正文所述数字无法与统计表核对"
    return PARTLY, "正文缺少" + "、".join(absent)


def _yoy(report: Report, previous: Report | None, last_figures) -> tuple[str, str]:
    if previous is None:
        return NOT_RUN, NO_PREVIOUS
    if not any(v is not None for v in (last_figures or ())):
        return NOT_RUN, "上年数据只有跨年度核对所需的单元格，没有上年的主要数据（请提供上年汇总表）"
    if not full_previous(report, previous):
        return PARTLY, "上年数据不完整或格式版本不同，未比较全部统计表是否与上年相同"
    absent = [f.label for f, v in zip(FIGURES, last_figures) if v is None]
    return (PARTLY, "上年缺少：" + "、".join(absent)) if absent else (RAN, "")


def coverage_of(report: Report, previous: Report | None, last_figures=None) -> dict[str, tuple[str, str]]:
    """group key -> (state, reason) for the groups a worker can judge; 同级比较 is added after all are read.

    ``last_figures``: last year's key figures when the caller has them already."""
    if previous is not None and last_figures is None:
        last_figures = figures(previous.format_id, Numbers(previous).get)
    return {
        "tables": _tables(report),
        "cross_year": (RAN, "") if previous is not None else (NOT_RUN, NO_PREVIOUS),
        "narrative": _narrative(report),
        "yoy": _yoy(report, previous, last_figures),
    }


def coverage_json(coverage: dict[str, tuple[str, str]]) -> dict:
    """{"ran": [groups], "partly": {group: reason}, "not_run": {group: reason}} — empty parts left out."""
    out: dict = {"ran": [k for k, (state, _) in coverage.items() if state == RAN]}
    for name, wanted in (("partly", PARTLY), ("not_run", NOT_RUN)):
        part = {k: why for k, (state, why) in coverage.items() if state == wanted}
        if part:
            out[name] = part
    return out


def counts(records) -> dict[str, dict[str, int]]:
    """group label -> {state: number of agencies}: the 汇总说明's lines."""
    out = {label: {RAN: 0, PARTLY: 0, NOT_RUN: 0} for _, label in GROUPS}
    for r in records:
        for key, (state, _) in r.coverage.items():
            out[GROUP_LABELS[key]][state] += 1
    return out
