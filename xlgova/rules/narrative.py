"""Narrative cross-checks (narrative.mismatch): clear statements in the text compared with the tables.

Runs for every report with narrative sections (imported documents and workbooks alike). Only plain,
unambiguous statements are read — "共收到政府信息公开申请19件", "本年度未收到政府信息公开申请",
"收到…申请…目前正在办理", "无行政复议、行政诉讼", "制发行政规范性文件3件", "未收取行政事业性收费" — and
only within one sentence. A sentence naming another year than the report's is skipped, so last year's
figures quoted for comparison never raise a finding. 信息处理费 (fees charged to applicants) is a different
thing from 行政事业性收费 (``art20_8``): a statement about one is never compared with the other; contradictory
statements about 信息处理费 within the report are.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterator

from ..model import Report, chinese_number, format_number
from ..model.finding import Finding

RULE = "narrative.mismatch"
_NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(?:件|个|份|宗|起|次|条)"


@dataclass(frozen=True)
class Statement:
    """A sentence pattern, the cells it speaks about, and how its claim is judged against the numbers."""

    pattern: re.Pattern
    cells: tuple[str, ...]  # summed
    claim: str  # "equals" the number captured, "zero", "positive"
    exclude: re.Pattern | None = None
    accept_also: tuple[str, ...] = ()  # cells whose sum with ``cells`` also satisfies the statement
    requires: re.Pattern | None = None  # the sentence must also say this (e.g. that it is about 申请)


def _p(expr: str) -> re.Pattern:
    return re.compile(expr)


APPLY = r"(?:政府信息公开|依申请公开(?:政府信息)?|信息公开)?申请"
NOT_VOLUME = _p(r"超出|超过|频次|信息处理费|上年|去年|以前")

STATEMENTS: tuple[Statement, ...] = (
    Statement(_p(r"(?:收到|受理|接收|新收)(?:了)?(?:各类|本年度?|群众|公民)?" + APPLY + r"(?:共|合计|总计)?" + _NUM + _UNIT), ("apps.new.total",), "equals", NOT_VOLUME, ("apps.carried_in.total",)),
    Statement(_p(r"(?:未|没有|暂未|尚未|无)(?:收到|受理|接到|接收)(?:任何)?(?:公民|法人|其他组织|群众|的|、)*" + APPLY), ("apps.new.total",), "zero", NOT_VOLUME),
    Statement(_p(r"依申请公开(?:政府信息)?(?:的)?(?:申请)?(?:数量|件数)?(?:目前)?(?:暂无|为零|为0件?|为0)"), ("apps.new.total",), "zero"),
    Statement(_p(r"(?:已|共|均已)?(?:办结|办理完毕|答复)(?:了)?(?:申请)?(?:共)?" + _NUM + _UNIT), ("apps.handled_total.total",), "equals", NOT_VOLUME, requires=_p(r"政府信息公开申请|依申请公开")),
    Statement(_p(r"结转(?:至|到)?(?:下一?年度?|\d{4}年度?)(?:继续办理)?(?:的)?(?:申请)?(?:共)?" + _NUM + _UNIT), ("apps.carried_out.total",), "equals"),
    Statement(_p(r"上一?年度?结转(?:的)?(?:政府信息公开|依申请公开)?(?:申请)?(?:共)?" + _NUM + _UNIT), ("apps.carried_in.total",), "equals"),
    Statement(_p(r"(?:制发|印发|出台|制定)(?:了)?(?:行政)?规范性文件(?:共)?" + _NUM + _UNIT), ("art20_1.normative.issued", "art20_1.normative.made"), "equals"),
    Statement(_p(r"(?:废止|清理废止)(?:了)?(?:行政)?规范性文件(?:共)?" + _NUM + _UNIT), ("art20_1.normative.repealed",), "equals"),
    Statement(_p(r"现行有效(?:的)?(?:行政)?规范性文件(?:共)?" + _NUM + _UNIT), ("art20_1.normative.in_force",), "equals"),
    Statement(_p(r"(?:未|没有|无)(?:收取|发生)(?:任何)?行政事业性收费"), ("art20_8.fees.amount",), "zero"),
    Statement(_p(r"行政事业性收费(?:金额)?(?:为|共|合计)?(\d+(?:\.\d+)?)万元"), ("art20_8.fees.amount",), "equals"),
)

_REVIEW_NEG = _p(r"(?:无|未发生|没有发生|未出现|没有出现|没有|未有|未涉及|未产生|未被)[^，,。；;]{0,16}?(行政复议|行政诉讼)")
_REVIEW_COUNT = _p(r"(行政复议|行政诉讼)" + r"(?:案件)?(?:共)?" + _NUM + _UNIT)
_IN_PROGRESS = _p(r"正在办理|尚在办理|仍在办理|办理中|尚未办结|未办结|正在处理")
_RECEIVED = _p(r"(?:收到|受理|接收|接到)[^，。；]{0,12}申请")
_NEG_RECEIVED = _p(r"(?:未|没有|暂未|尚未|无)(?:收到|受理|接到|接收)")
_ALL_DONE = _p(r"(?:均已|全部|都已)[^，,。；;]{0,6}(?:办结|答复|办理完毕|办理完成)")
_FEE_NONE = _p(r"(?:未|没有|不)(?:收取|收)(?:任何)?(?:政府信息公开)?信息处理费")
_FEE_SOME = _p(r"(?:收取|收)(?:政府信息公开)?信息处理费(?:共|合计)?(\d+(?:\.\d+)?)(元|万元)")
_YEAR = _p(r"(20\d{2})年")
_SENTENCE_END = _p(r"(?<=[。；;!?！？])")
_CLAUSE_SEP = _p(r"[，,]")


def _number(token: str):
    from decimal import Decimal

    if token[0].isdigit():
        return Decimal(token) if "." in token else int(token)
    return chinese_number(token)


def sentences(report: Report) -> Iterator[str]:
    """Sentences of the narrative, normalised (half-width digits, no spaces), other years' skipped."""
    for key in sorted(report.sections):
        text = unicodedata.normalize("NFKC", report.sections[key] or "")
        text = "".join(text.replace("*", "").split())
        for s in _SENTENCE_END.split(text):
            if not s:
                continue
            years = {int(y) for y in _YEAR.findall(s)}
            if report.year is not None and years - {report.year}:
                continue
            yield s


def _finding(report: Report, cells, message: str, quote: str, expected=None, actual=None, subject: str = "") -> Finding:
    return Finding.of(RULE, message, cells, report=report, expected=expected, actual=actual, quote=quote[:120], subject=subject)


def _sum(report: Report, numbers, cells) -> tuple[tuple[str, ...], object]:
    present = tuple(c for c in cells if c in report.format.cells)
    if not present:
        return (), None
    vals = [numbers.get(c) for c in present]
    if any(v is None for v in vals):
        return present, None
    return present, sum(vals)


def _label(report: Report, cells) -> str:
    return "与".join(report.format.cell(c).label for c in cells)


def _said_anywhere(whole: str, *patterns: re.Pattern) -> bool:
    """Whether ``whole`` (the sentences joined by newlines) matches any of the patterns. What a sentence (or
    a clause of one) matches, the whole text matches too: one search rules a pattern out before the
    sentence-by-sentence look."""
    return any(p.search(whole) for p in patterns)


def check_statements(report: Report, numbers, sents: list[str]) -> Iterator[Finding]:
    seen: set[tuple] = set()
    clauses = [_CLAUSE_SEP.split(s) for s in sents]  # "zero" claims are judged clause by clause
    whole = "\n".join(sents)
    for st in STATEMENTS:
        if not _said_anywhere(whole, st.pattern):
            continue
        cells, actual = _sum(report, numbers, st.cells)
        if actual is None:
            continue
        for s, parts in zip(sents, clauses):
            for clause in parts if st.claim == "zero" else (s,):
                m = st.pattern.search(clause)
                if not m or (st.exclude and st.exclude.search(clause)) or (st.requires and not st.requires.search(s)):
                    continue
                stated = _number(m.group(1)) if st.claim == "equals" else 0
                if stated is None or _agrees(st, stated, actual, report, numbers):
                    continue
                key = (cells, stated)
                if key in seen:
                    continue
                seen.add(key)
                what = f"为 {format_number(stated)}" if st.claim == "equals" else "为 0"
                yield _finding(report, cells, f"正文称“{_short(s)}”（即{what}），但{_label(report, cells)}为 {format_number(actual)}", s, expected=stated, actual=actual)


def _agrees(st: Statement, stated, actual, report: Report, numbers) -> bool:
    if st.claim == "zero":
        return actual == 0
    if stated == actual:
        return True
    if st.accept_also:
        _, extra = _sum(report, numbers, st.accept_also)
        return extra is not None and stated == actual + extra
    return False


def _short(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def check_applications_state(report: Report, numbers, sents: list[str]) -> Iterator[Finding]:
    """"收到…申请…目前正在办理" needs new (or carried in) ≥ 1 and carried out ≥ 1; "均已办结" needs carried out 0."""
    for s in sents:
        if not _RECEIVED.search(s) or _NEG_RECEIVED.search(s) or NOT_VOLUME.search(s):
            continue
        if _IN_PROGRESS.search(s):
            _, received = _sum(report, numbers, ("apps.new.total", "apps.carried_in.total"))
            if received == 0:
                yield _finding(report, ("apps.new.total",), f"正文称“{_short(s)}”，即收到了申请，但申请情况表本年新收和上年结转的申请都为 0", s, expected="≥1", actual=0)
            cells, out = _sum(report, numbers, ("apps.carried_out.total",))
            if out == 0:
                yield _finding(report, cells, f"正文称“{_short(s)}”，即有申请尚未办结，但{_label(report, cells)}为 0", s, expected="≥1", actual=0)
        elif _ALL_DONE.search(s):
            cells, out = _sum(report, numbers, ("apps.carried_out.total",))
            if out:
                yield _finding(report, cells, f"正文称“{_short(s)}”，即申请均已办结，但{_label(report, cells)}为 {format_number(out)}", s, expected=0, actual=out)


_REVIEW_CELLS = {
    "行政复议": ("review.reconsideration.total",),
    "行政诉讼": ("review.suit_direct.total", "review.suit_after.total"),
}


def check_review(report: Report, numbers, sents: list[str]) -> Iterator[Finding]:
    if not _said_anywhere("\n".join(sents), _REVIEW_NEG, _REVIEW_COUNT):
        return
    for s in sents:
        for clause in _CLAUSE_SEP.split(s):
            m = _REVIEW_NEG.search(clause)
            if m:
                tail = clause[m.start():]
                for word, cells in _REVIEW_CELLS.items():
                    present, n = _sum(report, numbers, cells)
                    if word in tail and n:
                        yield _finding(report, present, f"正文称“{_short(s)}”，但{_label(report, present)}为 {format_number(n)}", s, expected=0, actual=n)
                continue
            for m in _REVIEW_COUNT.finditer(clause):
                stated = _number(m.group(2))
                present, n = _sum(report, numbers, _REVIEW_CELLS[m.group(1)])
                if stated is not None and n is not None and stated != n and "其中" not in clause:
                    yield _finding(report, present, f"正文称“{_short(s)}”（即{m.group(1)} {stated} 件），但{_label(report, present)}为 {format_number(n)}", s, expected=stated, actual=n)


def check_fee_statements(report: Report, numbers, sents: list[str]) -> Iterator[Finding]:
    none = next((s for s in sents if _FEE_NONE.search(s)), None)
    some = next((s for s in sents if (m := _FEE_SOME.search(s)) and _number(m.group(1))), None)
    if none and some:
        yield _finding(report, (), f"正文关于信息处理费的说法前后矛盾：“{_short(none, 40)}”与“{_short(some, 40)}”", some, subject="fees")


CHECKS: tuple[Callable, ...] = (check_statements, check_applications_state, check_review, check_fee_statements)


def check_narrative(report: Report, numbers) -> Iterator[Finding]:
    if not report.sections:
        return
    sents = list(sentences(report))
    if not sents:
        return
    for check in CHECKS:
        yield from check(report, numbers, sents)
