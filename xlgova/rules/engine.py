"""validate(report, previous=None) -> Result: every rule of the report's format, in one pass."""
from __future__ import annotations

import difflib
import re
from collections import Counter
from decimal import Decimal
from typing import Iterator

from .. import limits
from ..formats import AMOUNT, AMOUNT_FREE, COUNT, KIND_LABELS, SIGNED, format_for_year
from ..model import NUMBER, SYMBOL, TEXT, Report, Value, format_number, signed_word_number
from .narrative import check_narrative
from .identities import EQ, Identity, defining_identity, derive_totals, identities_for
from ..model.finding import Finding
from .result import Result

Number = int | Decimal


def _finding(report: Report | None, rule: str, message: str, cells=(), **kw) -> Finding:
    return Finding.of(rule, message, cells, report=report, **kw)


class Numbers:
    """The numbers the identities work with: a blank part is 0; a blank total is derived from its parts.

    ``None`` means "cannot be used": the cell is absent from the source, or holds text (already reported
    as ``value.invalid``).
    """

    def __init__(self, report: Report):
        self.report = report
        self.defining = defining_identity(report.format_id)
        # Plain numbers need no work: most lookups end here.
        values = report.values
        self._cache: dict[str, Number | None] = {c: v.number for c, v in values.items() if v.kind == NUMBER}
        blank = {c for c in self.defining if c in values and values[c].kind not in (NUMBER, TEXT)}
        if blank:  # blank totals, derived from their parts
            self._cache.update(derive_totals(report.format_id, self.get, blank))

    def raw(self, cell_id: str) -> Value | None:
        return self.report.values.get(cell_id)

    def get(self, cell_id: str) -> Number | None:
        cache = self._cache
        if cell_id in cache:
            return cache[cell_id]
        cache[cell_id] = n = self._plain(cell_id)
        return n

    def _plain(self, cell_id: str) -> Number | None:
        """A cell's own number: a blank or symbol is 0, text is unusable (but 增加 3 in a signed cell)."""
        v = self.raw(cell_id)
        if v is None:
            return None
        if v.kind == TEXT:
            return signed_word_number(v) if self.report.format.cell(cell_id).kind == SIGNED else None
        return v.number if v.kind == NUMBER else 0

    def derived(self, cell_id: str) -> Number | None:
        """What a total cell should hold according to its parts (for value.blank messages)."""
        if cell_id not in self.defining:
            return None
        return derive_totals(self.report.format_id, self.get, (cell_id,))[cell_id]


def _side_text(terms, values, name: str) -> tuple[str, Number]:
    total = sum(t.coef * v for t, v in zip(terms, values))
    if name:
        return f"{name}（{format_number(total)}）", total
    text = ""
    for i, (t, v) in enumerate(zip(terms, values)):
        sign = ("" if i == 0 else " + ") if t.coef > 0 else (" − " if i else "−")
        text += f"{sign}{t.label}（{format_number(v)}）"
    if len(terms) > 1:
        text += f" = {format_number(total)}"
    return text, total


def check_identity(ident: Identity, cur: Numbers, prev: Numbers | None, report: Report) -> Finding | None:
    if ident.cross_year and prev is None:
        return None
    target = cur.raw(ident.target) if ident.target else None
    if target is not None and target.is_empty:
        return None  # a blank total is reported by value.blank with the value it should hold
    values = []
    for t in ident.terms:
        if t.prev and t.cell not in prev.report.format.cells:
            return None  # the row does not exist in last year's format
        v = prev.get(t.cell) if t.prev else cur.get(t.cell)
        if v is None:
            return None
        values.append(v)
    lhs, rhs, holds = ident.compare(values)
    if holds:
        return None
    n = len(ident.lhs)
    lhs_text, _ = _side_text(ident.lhs, values[:n], ident.lhs_name)  # messages only for failures
    rhs_text, _ = _side_text(ident.rhs, values[n:], ident.rhs_name)
    verb = "应等于" if ident.op == EQ else "不应大于"
    message = f"{ident.subject}：{lhs_text} {verb} {rhs_text}"
    if ident.op == EQ:
        message += f"，相差 {format_number(abs(lhs - rhs))}"
    return _finding(
        report,
        ident.rule,
        message,
        ident.cells(),
        expected=rhs,
        actual=lhs,
        previous_cells=ident.cells(prev=True),
    )


def check_values(report: Report, numbers: Numbers) -> Iterator[Finding]:
    values = report.values
    for cid, cell in report.format.cells.items():
        v = values.get(cid)
        if v is None:
            continue
        if v.kind == NUMBER and not v.normalised and type(v.number) is int and 0 <= v.number < TOO_LARGE:
            continue  # a plainly written whole number is valid in every kind of cell: most cells end here
        if v.is_empty:
            what = "空白" if v.kind != SYMBOL else f"“{v.raw.strip()}”"
            should = numbers.derived(cid) if cell.is_total else 0
            msg = f"{cell.label}为{what}，应填写数字（没有发生的填 0）"
            if cell.is_total and should is not None:
                msg += f"；按各项之和应为 {format_number(should)}"
            yield _finding(report, "value.blank", msg, (cid,), expected=should, actual=v.to_json())
            continue
        if v.kind == NUMBER and abs(v.number) >= TOO_LARGE:
            yield _finding(report, "value.too_large", f"{cell.label}为 {_magnitude(v.number)}，大得不可能（超过 15 位数字），请核对",
                           (cid,), expected=KIND_LABELS[cell.kind], actual=v.to_json())
            continue
        problem = invalid_reason(cell.kind, v)
        if problem:
            yield _finding(report, "value.invalid", f"{cell.label}{problem}", (cid,), expected=KIND_LABELS[cell.kind], actual=v.to_json())
        elif v.normalised or (v.kind == TEXT and signed_word_number(v) is not None):
            n = v.number if v.kind == NUMBER else signed_word_number(v)
            yield _finding(report, "value.normalised", f"{cell.label}写作“{v.raw}”，已按 {format_number(n)} 读取，请改为规范的数字", (cid,), expected=n, actual=v.raw)


# Excel keeps 15 significant digits: a count or an amount this large is a typing or conversion error (1e30).
TOO_LARGE = 10**15


def _magnitude(n) -> str:
    return f"{Decimal(n):.3E}".replace("E+", "×10^")


def invalid_reason(kind: str, v: Value) -> str:
    """Why a value cannot stand in a cell of this kind ("" when it can): text, a negative count, a fraction."""
    if v.kind == TEXT:
        if kind == SIGNED and signed_word_number(v) is not None:
            return ""
        return f"填写了文字“{v.raw}”，应为{KIND_LABELS[kind]}"
    if v.kind != NUMBER:
        return ""
    n = v.number
    if kind in (COUNT, AMOUNT, AMOUNT_FREE) and n < 0:
        return f"为负数 {format_number(n)}，应为{KIND_LABELS[kind]}"
    if kind in (COUNT, SIGNED) and isinstance(n, Decimal) and n != n.to_integral_value():
        return f"为小数 {format_number(n)}，应为{KIND_LABELS[kind]}"
    return ""


def _year_text(year: int) -> str:
    return str(year) if abs(year) < 10**12 else _magnitude(year)


def check_report_fields(report: Report) -> Iterator[Finding]:
    if not report.agency.strip():
        yield _finding(None, "report.agency_missing", "未填写单位名称")
    if report.year is None:
        yield _finding(None, "report.year_missing", "未填写统计年度，无法核对格式版本")
        return
    if not limits.FIRST_YEAR <= report.year <= limits.last_year():
        where = "封面的“统计年度”（B4）" if str(report.source or "").lower().endswith((".xlsx", ".xlsm")) else "统计年度（year）"
        yield _finding(None, "report.year_implausible", f"统计年度为 {_year_text(report.year)}，不在合理范围（{limits.FIRST_YEAR}–"
                       f"{limits.last_year()} 年），请核对{where}", expected=f"{limits.FIRST_YEAR}–{limits.last_year()}", actual=_year_text(report.year))
        return
    expected = format_for_year(report.year)
    if expected.id != report.format_id:
        yield _finding(
            None,
            "format.year",
            f"{report.year} 年度的报告应使用 {expected.id} 版格式（{expected.notice}），实际使用的是 {report.format_id} 版格式（{report.format.notice}）",
            expected=expected.id,
            actual=report.format_id,
        )


_TOWNSHIP = re.compile(r"(乡|镇|街道)(人民政府|办事处)?$|街道办事处$|^.{0,12}(乡|镇)$")


def check_hints(report: Report, cur: Numbers, prev: Numbers | None) -> Iterator[Finding]:
    level = str(report.meta.get("level", ""))
    is_township = level.startswith(("乡镇", "街道")) or bool(_TOWNSHIP.search(report.agency.strip()))
    if is_township:
        for col in [c for c in report.format.table("art20_1").cols]:
            cid = f"art20_1.rules.{col.id}"
            n = cur.get(cid)
            if n:
                yield _finding(report, "hint.township_rules", f"乡镇人民政府、街道办事处无权制定规章，但{report.format.cell(cid).label}为 {n}，请核实是否应填入“规范性文件”行", (cid,), actual=n)
    fee = "art20_8.fees.amount"
    n = cur.get(fee) if fee in report.format.cells else None
    if n is not None and n >= 10000 and n == int(n):
        yield _finding(report, "hint.fee_unit", f"行政事业性收费金额为 {format_number(n)} 万元（即 {format_number(n)}0000 元），疑似按“元”填写，单位应为万元", (fee,), actual=n)
    if prev is not None:
        yield from _magnitude_hints(report, cur, prev)
        yield from _copy_hints(report)


_MAGNITUDE_CELLS = ("apps.new.total", "apps.handled_total.total", "art20_1.normative.in_force", "art20_5.licensing.decisions", "art20_6.penalty.decisions", "art20_6.coercion.decisions", "art20_8.fees.amount")


def _magnitude_hints(report: Report, cur: Numbers, prev: Numbers) -> Iterator[Finding]:
    for cid in _MAGNITUDE_CELLS:
        if cid not in report.format.cells or cid not in prev.report.format.cells:
            continue
        a, b = cur.get(cid), prev.get(cid)
        if not a or not b or min(a, b) < 3:
            continue
        ratio = Decimal(a) / Decimal(b)
        if Decimal("9.5") <= ratio <= Decimal("10.5") or Decimal("0.095") <= ratio <= Decimal("0.105"):
            which = "10 倍" if ratio > 1 else "十分之一"
            yield _finding(report, "hint.magnitude", f"{report.format.cell(cid).label}为 {format_number(a)}，约为上年（{format_number(b)}）的{which}，请核实是否多输或少输了一位", (cid,), expected=b, actual=a, previous_cells=(cid,))


def similarity(a: str, b: str, *, floor: float = 0.0) -> float:
    """Similarity of two texts ignoring white space (0..1). Below ``floor`` the cheap upper bounds
    decide and the exact ratio is not computed (it is quadratic in the worst case)."""
    a, b = "".join(a.split()), "".join(b.split())  # str.split() drops exactly what regex \s matches
    if not a or not b:
        return 0.0
    # difflib's real_quick_ratio and quick_ratio, worked out before the matcher indexes ``b`` and with
    # Counter's C-speed counting: most pairs of texts stop here.
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < floor:
        return 0.0
    if 2.0 * sum((Counter(a) & Counter(b)).values()) / total < floor:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


COPY_THRESHOLD = 0.9


def _copy_hints(report: Report) -> Iterator[Finding]:
    previous = report.previous
    for key, text in report.sections.items():
        old = previous.sections.get(key, "") if previous else ""
        if len("".join(text.split())) < 50:
            continue
        ratio = similarity(text, old, floor=COPY_THRESHOLD)
        if ratio >= COPY_THRESHOLD:
            yield _finding(None, "hint.narrative_copied", f"第{key}部分的文字与上年报告几乎相同（相似度 {ratio:.0%}），格式要求避免内容雷同", subject=key)


def check_absent(report: Report) -> Iterator[Finding]:
    """Cells absent from the source: say so once, unless a reader already reported the lost tables."""
    if any(f.rule.startswith("doc.table_") or f.rule == "workbook.cell_missing" for f in report.findings):
        return
    absent = [cid for cid in report.format.cells if cid not in report.values]
    if absent:
        names = "、".join(report.format.cell(c).label for c in absent[:3]) + ("等" if len(absent) > 3 else "")
        yield _finding(None, "report.cells_missing", f"报告缺少 {len(absent)} 个单元格（{names}），涉及这些单元格的勾稽关系未核对", expected=len(report.format.cells), actual=len(report.values))


def validate(report: Report, previous: Report | None = None, *, numbers: Numbers | None = None) -> Result:
    """Check a report (and, when given, against last year's). Collects every finding; never stops early.

    ``numbers``: the report's :class:`Numbers`, when the caller needs them too (the consolidator sums them).
    """
    previous = previous if previous is not None else report.previous
    if previous is not None and report.previous is None:
        report.previous = previous
    cur = numbers if numbers is not None else Numbers(report)
    prev = Numbers(previous) if previous is not None else None
    findings: list[Finding] = list(report.findings)
    findings += check_report_fields(report)
    findings += check_absent(report)
    findings += check_values(report, cur)
    for ident in identities_for(report.format_id):
        f = check_identity(ident, cur, prev, report)
        if f is not None:
            findings.append(f)
    findings += check_hints(report, cur, prev)
    findings += check_narrative(report, cur)
    return Result(findings)

