"""退回通知: the return notice a supervisor sends an agency, naming every problem in business terms.

``notice_problems`` turns an agency's findings into :class:`Problem` items (the table, row and column
labels of the format, the identity in words, the numbers on both sides and the difference, what to do);
``notice_lines`` gives the same items as plain Chinese lines (the desk's page shows them) and
``build_notice`` / ``write_notice`` set them as a Word document in 公文 layout.

Which findings a notice names: errors always (an explanation cannot confirm an error away); warnings and
hints unless the clerk confirmed them with an 已确认说明 (``explanations``: fingerprint -> text).

>>> from xlgova.rules import Finding
>>> f = Finding("value.blank", "warning", "申请情况表「（一）予以公开」「自然人」为“/”", ("apps.granted.natural",))
>>> print(notice_lines("泓川县财政局", None, [f])[0])
1. 【警告】应填数字而为空白或符号（应填 0）：申请情况表「（一）予以公开」「自然人」为“/”。涉及：申请情况表「（一）予以公开」「自然人」。处理意见：请填写数字，没有发生的填 0，不要留空或填写“/”“无”等符号。
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ..formats import FORMATS
from ..model import Report, format_number
from ..rules import ERROR, INFO, WARNING, Finding
from ..model.catalog import RULE_INFO
from ..safeio import atomic_output, file_stem
from .docx_styles import HEADING, STYLE_BODY, STYLE_TITLE, add_font_fallbacks, setup_page, setup_styles

MAX_CELLS_NAMED = 4  # cells spelled out per problem; a 20-term sum names its first ones and the count
_ORDINALS = "一二三四五六七八九十"

# What the agency should do, by rule id or by the rule id's family (the part before the dot).
ACTIONS = {
    "apps": "请逐项核对该表的相关数字并改正，使合计与各项之和、各项勾稽关系相符（合计由模板公式计算的，请勿手工改写）。",
    "review": "请核对各项结果数并改正，使总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
    "value.invalid": "请按格式要求填写：件数为非负整数，金额以万元为单位、可带小数，不要填写文字。",
    "value.blank": "请填写数字，没有发生的填 0，不要留空或填写“/”“无”等符号。",
    "value.too_large": "请核对并改正该数字。",
    "value.normalised": "请改为规范的阿拉伯数字。",
    "format.year": "请使用与统计年度相符的报告格式（2020 年度及以前用 2019 版，2021 年度及以后用 2021 版）。",
    "report": "请在工作簿“封面”工作表中补填。",
    "report.cells_missing": "请使用最新模板重新填报完整的统计表。",
    "xyear": "请与上年报告核对：本年数字有误的请改正；上年数字有误或统计口径确有变化的，请在“校验结果”工作表的“已确认说明”中写明原因。",
    "art20_1.published": "请核对并改正：本年新公开数量不应大于对外公开总数量。",
    "hint": "请核实该数字；确属实际情况的，请在“校验结果”工作表的“已确认说明”中写明原因。",
    "hint.narrative_copied": "请根据本单位本年度实际情况重新撰写相关内容，避免内容雷同。",
    "workbook": "请使用最新模板重新填报。",
    "workbook.total_overwritten": "请恢复合计单元格的公式（或使用最新模板重新填报），不要手工改写合计。",
    "doc": "请补全报告缺少的部分或统计表。",
    "narrative.mismatch": "请改正正文或统计表，使正文所述数字与统计表一致。",
    "consolidate.copied_narrative": "请根据本单位本年度实际情况重新撰写相关内容，避免内容雷同。",
    "consolidate.identical_tables": "请核对统计表是否误用了其他单位的数据，按本单位实际情况填报。",
    "consolidate.duplicate_agency": "请确认以哪一份报告为准，并撤回其余报告。",
    "consolidate.year_mismatch": "请按本次汇总的统计年度填报。",
    "consolidate.unknown_agency": "请按汇总名单中的规范全称填写单位名称。",
}
DEFAULT_ACTION = "请核对并改正。"
GROUPS = ((ERROR, "须改正的错误"), (WARNING, "须核实的警告"), (INFO, "请核实的情况（提示）"))
_LABEL = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True)
class Problem:
    """One problem as the notice names it."""

    severity: str
    rule: str
    title: str  # the rule in words (the identity, for 勾稽关系)
    message: str  # the finding: labels, numbers on both sides, the difference
    where: str  # 涉及：table/row/column labels and sheet cells
    action: str  # 处理意见
    explanation: str = ""  # what the agency wrote (kept beside an error it cannot excuse)

    def text(self) -> str:
        parts = [f"【{_LABEL[self.severity]}】{self.title}：{_sentence(self.message)}"]
        if self.where:
            parts.append(f"涉及：{self.where}。")
        if self.explanation:
            parts.append(f"单位说明：{_sentence(self.explanation)}")
        parts.append(f"处理意见：{self.action}")
        return "".join(parts)


def action_for(rule: str) -> str:
    return ACTIONS.get(rule) or ACTIONS.get(rule.split(".", 1)[0]) or DEFAULT_ACTION


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _format_for(report: Report | None, cell_id: str):
    if report is not None and cell_id in report.format.cells:
        return report.format
    return next((f for f in FORMATS.values() if cell_id in f.cells), None)


def _cell_words(report: Report | None, f: Finding, cell_id: str, prev: bool) -> str:
    fmt = _format_for(report if not prev or report is None else report.previous or report, cell_id)
    label = fmt.cell(cell_id).label if fmt else cell_id
    if prev:
        return f"上年报告{label}"
    where = f.location_of(cell_id) or (report.location(cell_id) if report is not None else None)
    return f"{label}（{where}）" if where else label


def _where(report: Report | None, f: Finding) -> str:
    """The cells, the table named once: 申请情况表「一、…」「总计」、「一、…」「自然人」."""
    ids = [(c, False) for c in f.cells] + [(c, True) for c in f.previous_cells]
    named, table = [], None
    for c, prev in ids[:MAX_CELLS_NAMED]:
        words = _cell_words(report, f, c, prev)
        fmt = None if prev else _format_for(report, c)
        short = fmt.cell(c).table.short if fmt else None
        named.append(words[len(short):] if short and short == table and words.startswith(short) else words)
        table = short if short else table
    more = len(ids) - len(named)
    return "、".join(named) + (f"等 {len(ids)} 个单元格" if more > 0 else "")


def _figures(f: Finding) -> str:
    """应为 … 实为 … 相差 … when the message does not already give the numbers."""
    kinds = (int, Decimal)
    if not (isinstance(f.expected, kinds) and isinstance(f.actual, kinds)) or isinstance(f.expected, bool):
        return ""
    if "相差" in f.message or format_number(f.actual) in f.message and format_number(f.expected) in f.message:
        return ""
    return f"（应为 {format_number(f.expected)}，实为 {format_number(f.actual)}，相差 {format_number(abs(f.actual - f.expected))}）"


def notice_problems(report: Report | None, findings: Iterable[Finding], *,
                    explanations: Mapping[str, str] | None = None) -> list[Problem]:
    """The problems a notice names, errors first, in the order found within each severity."""
    explanations = explanations or {}
    out = []
    for f in findings:
        said = (explanations.get(f.fingerprint) or "").strip()
        if said and f.severity != ERROR:
            continue  # confirmed by the agency: nothing to return it for
        info = RULE_INFO.get(f.rule)
        out.append(Problem(f.severity, f.rule, info.title if info else f.rule, f.message + _figures(f),
                           _where(report, f), action_for(f.rule), said))
    order = {s: i for i, (s, _) in enumerate(GROUPS)}
    return sorted(out, key=lambda p: order.get(p.severity, len(order)))


def notice_lines(agency: str, report: Report | None, findings: Iterable[Finding], *,
                 explanations: Mapping[str, str] | None = None) -> list[str]:
    """The notice's problems as numbered plain Chinese lines (``agency`` kept for a stable call shape)."""
    return [f"{i}. {p.text()}" for i, p in enumerate(notice_problems(report, findings, explanations=explanations), 1)]


def notice_title(agency: str, report: Report | None) -> str:
    year = f"{report.year}年" if report is not None and report.year else ""
    return f"关于退回{agency}{year}政府信息公开工作年度报告的通知"


def _opening(agency: str, report: Report | None, problems: list[Problem], deadline: str) -> str:
    counts = {s: sum(1 for p in problems if p.severity == s) for s, _ in GROUPS}
    found = "、".join(f"{_LABEL[s]} {n} 个" for s, n in counts.items() if n)
    what = f"{report.year}年政府信息公开工作年度报告" if report is not None and report.year else "政府信息公开工作年度报告"
    source = f"（{Path(report.source).name}）" if report is not None and report.source else ""
    when = f"于{deadline}前" if deadline else "尽快"
    return (f"经审核，你单位报送的{what}{source}存在以下问题（{found}），现予退回。"
            f"请按处理意见逐项修改或说明，{when}重新报送。")


def build_notice(agency: str, report: Report | None, findings: Iterable[Finding], *, deadline: str = "",
                 contact: str = "", comment: str = "", sender: str = "", date: _dt.date | None = None,
                 explanations: Mapping[str, str] | None = None):
    """The python-docx Document of one agency's 退回通知 (not yet saved)."""
    problems = notice_problems(report, findings, explanations=explanations)
    doc = docx.Document()
    setup_page(doc)
    setup_styles(doc)
    doc.add_paragraph(notice_title(agency, report), style=STYLE_TITLE)
    _plain(doc, f"{agency}：")
    doc.add_paragraph(_opening(agency, report, problems, deadline), style=STYLE_BODY)
    groups = [g for g in GROUPS if any(p.severity == g[0] for p in problems)]
    n = 0
    for i, (severity, heading) in enumerate(groups):
        doc.add_paragraph(f"{_ORDINALS[i]}、{heading}", style=HEADING)
        for p in (p for p in problems if p.severity == severity):
            n += 1
            doc.add_paragraph(f"{n}. {p.text()}", style=STYLE_BODY)
    if comment.strip():
        doc.add_paragraph(f"{_ORDINALS[len(groups)]}、其他意见", style=HEADING)
        for line in (x.strip() for x in comment.splitlines() if x.strip()):
            doc.add_paragraph(line, style=STYLE_BODY)
    if contact.strip():
        line = doc.add_paragraph(f"联系人及联系方式：{contact.strip()}", style=STYLE_BODY)
        line.alignment = WD_ALIGN_PARAGRAPH.LEFT  # justified, a long telephone number spreads the characters
    _signature(doc, sender, date or _dt.date.today())
    _properties(doc, agency, report)
    add_font_fallbacks(doc)
    return doc


def _plain(doc, text: str, align=None):
    p = doc.add_paragraph(text, style=STYLE_BODY)
    p.paragraph_format.first_line_indent = Pt(0)  # 主送 and 落款 are not indented (the body style is)
    p.alignment = align
    return p


def _signature(doc, sender: str, date: _dt.date) -> None:
    """Sender and date right-aligned under the body, with a blank line before (公文 落款), kept on the page
    of the body's last paragraph rather than left alone on a page of their own."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    lines = [_plain(doc, "")]
    if sender.strip():
        lines.append(_plain(doc, sender.strip(), WD_ALIGN_PARAGRAPH.RIGHT))
    lines.append(_plain(doc, f"{date.year}年{date.month}月{date.day}日", WD_ALIGN_PARAGRAPH.RIGHT))
    for p in lines[:-1]:
        p.paragraph_format.keep_with_next = True


def _properties(doc, agency: str, report: Report | None) -> None:
    props = doc.core_properties
    props.title = notice_title(agency, report)
    props.author = props.last_modified_by = "xlgova"
    props.subject = "退回通知"


def notice_filename(agency: str) -> str:
    """退回通知_<agency>.docx, with characters no file system accepts replaced."""
    return f"退回通知_{file_stem(agency)}.docx"


def write_notice(path: str | Path, agency: str, report: Report | None, findings: Iterable[Finding], **kw) -> Path:
    """Build and save one notice atomically (never over the report it is about)."""
    doc = build_notice(agency, report, findings, **kw)
    inputs = (report.source,) if report is not None and report.source else ()
    with atomic_output(path, inputs=inputs) as tmp:
        doc.save(str(tmp))
    return Path(path)
