"""The supervisor's review rules: each agency against its own last year and against its peers.

* ``hint.yoy_jump`` — a key figure grew or shrank at least ``YOY_FACTOR``-fold against the agency's own
  last year (not when both years are below ``YOY_FLOOR``);
* ``hint.same_as_last_year`` — every table identical to the agency's own last year, last year not all zeros;
* ``hint.outlier`` — a key figure far outside the agency's peer group (same level, at least
  ``OUTLIER_MIN_PEERS`` agencies): more than ``OUTLIER_Z`` robust deviations from the group's median and
  at least ``OUTLIER_RATIO`` times (or at most 1/``OUTLIER_RATIO`` of) it.

Every threshold is a constant here, the figures are :data:`FIGURES`; the 同比 sheet's highlighting, the
notices and the docs use the same ones. The first two run in the workers (they need last year's report);
the outlier rule runs once all agencies are read.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Iterable, Sequence

from ..formats import get_format
from ..model import Report, format_number
from ..rules import Finding, Numbers, severity_of

YOY_FACTOR = 5  # flagged when the larger year is at least this many times the smaller
YOY_FLOOR = 10  # ... and the larger year is at least this (both years below it: small numbers swing)
OUTLIER_MIN_PEERS = 8  # a peer group smaller than this is not judged
OUTLIER_Z = 5  # robust deviations (1.4826 × MAD, or IQR / 1.349 when the MAD is 0) from the median
OUTLIER_FLOOR = 10  # figures below this are never outliers (a handful of applications is normal anywhere)
OUTLIER_RATIO = 5  # ... nor within this factor of the median: a tight group makes twice the median "far" in z
MAD_SCALE = 1.4826  # makes the MAD comparable to a standard deviation for normal data
IQR_SCALE = 1.349


# How the 汇总说明 names each rule in its narrow first column (the catalogue holds the full titles).
RULE_SHORT = {"hint.yoy_jump": "同比大幅变化", "hint.outlier": "同级比较离群", "hint.same_as_last_year": "与上年完全相同"}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # Chinese, as the 同比 sheet heads its columns
    cells: tuple[str, ...]  # summed; a figure is absent in a format that lacks any of them


FIGURES = (
    Figure("new", "新收申请", ("apps.new.total",)),
    Figure("handled", "办理完毕", ("apps.handled_total.total",)),
    Figure("granted", "予以公开", ("apps.granted.total",)),
    Figure("carried_out", "结转下年度", ("apps.carried_out.total",)),
    Figure("reconsideration", "行政复议", ("review.reconsideration.total",)),
    Figure("suits", "行政诉讼", ("review.suit_direct.total", "review.suit_after.total")),
    Figure("rules", "现行有效规章", ("art20_1.rules.in_force",)),
    Figure("normative", "现行有效规范性文件", ("art20_1.normative.in_force",)),
    Figure("licensing", "行政许可决定", ("art20_5.licensing.decisions",)),
    Figure("penalty", "行政处罚决定", ("art20_6.penalty.decisions",)),
)

Number = int | Decimal


def figures(format_id: str, get: Callable[[str], Number | None]) -> tuple[Number | None, ...]:
    """The key figures of one report (``get``: cell id -> number); None where the format lacks a cell."""
    cells = get_format(format_id).cells
    out = []
    for fig in FIGURES:
        if not all(c in cells for c in fig.cells):
            out.append(None)
            continue
        parts = [get(c) for c in fig.cells]
        out.append(None if any(p is None for p in parts) else sum(parts))
    return tuple(out)


def is_jump(this: Number | None, last: Number | None) -> bool:
    if this is None or last is None:
        return False
    big, small = max(this, last), min(this, last)
    return big >= YOY_FLOOR and big >= YOY_FACTOR * small


def change_text(this: Number, last: Number) -> str:
    if last == 0:
        return f"由上年的 0 增至 {format_number(this)}"
    if this == 0:
        return f"由上年的 {format_number(last)} 降为 0"
    if this > last:
        return f"为上年（{format_number(last)}）的 {this / last:.1f} 倍"
    return f"仅为上年（{format_number(last)}）的 {this / last:.0%}，减少了 {1 - this / last:.0%}"


def _finding(rule: str, message: str, cells=(), previous_cells=(), **kw) -> Finding:
    return Finding(rule, severity_of(rule), message, tuple(cells), previous_cells=tuple(previous_cells), **kw)


def yoy_findings(this: Sequence[Number | None], last: Sequence[Number | None]) -> list[Finding]:
    out = []
    for fig, a, b in zip(FIGURES, this, last):
        if is_jump(a, b):
            out.append(_finding("hint.yoy_jump", f"“{fig.label}”本年为 {format_number(a)}，{change_text(a, b)}，"
                                f"变化达 {YOY_FACTOR} 倍以上，请核实并说明原因", fig.cells, fig.cells, expected=b, actual=a))
    return out


def full_previous(report: Report, previous: Report | None) -> bool:
    """Last year's report holds every input cell of this year's format (an archive row or a whole
    workbook, not the few cells a template's 上年数据 sheet carries)."""
    if previous is None or previous.format_id != report.format_id:
        return False
    values = previous.values
    return all(c.id in values for c in report.format.iter_cells(inputs=True))


def same_as_last_year(report: Report, cur: Numbers, previous: Report) -> Finding | None:
    """Every table identical to last year's, last year not all zeros (call when ``full_previous``)."""
    prev = Numbers(previous)
    cells = [c.id for c in report.format.iter_cells(inputs=True)]
    last = [prev.get(c) for c in cells]
    if not any(last) or any(cur.get(c) != v for c, v in zip(cells, last)):
        return None
    return _finding("hint.same_as_last_year", f"全部统计表（{len(cells)} 个单元格）与本单位上年报告完全相同，"
                    "请核实是否误用了上年的数据")


def own_review(report: Report, numbers: Numbers, previous: Report | None) -> tuple[list[Finding], tuple, tuple | None]:
    """(hint.yoy_jump and hint.same_as_last_year findings, this year's figures, last year's or None)."""
    this = figures(report.format_id, numbers.get)
    if previous is None:
        return [], this, None
    last = figures(previous.format_id, Numbers(previous).get)
    out = yoy_findings(this, last)
    if full_previous(report, previous) and (same := same_as_last_year(report, numbers, previous)) is not None:
        out.append(same)
    return out, this, last


@dataclass(frozen=True)
class Peer:
    """One agency as its peer group sees it."""

    key: str
    level: str
    values: tuple[Number | None, ...]


def outlier_findings(peers: Iterable[Peer]) -> dict[str, list[Finding]]:
    """key -> hint.outlier findings, judging each figure within each level of at least OUTLIER_MIN_PEERS."""
    groups: dict[str, list[Peer]] = {}
    for p in peers:
        if p.level:
            groups.setdefault(p.level, []).append(p)
    out: dict[str, list[Finding]] = {}
    for level, members in groups.items():
        if len(members) < OUTLIER_MIN_PEERS:
            continue
        for i, fig in enumerate(FIGURES):
            for p, f in _judge(level, fig, [(m, m.values[i]) for m in members if m.values[i] is not None]):
                out.setdefault(p.key, []).append(f)
    return out


def _judge(level: str, fig: Figure, pairs: list[tuple[Peer, Number]]):
    if len(pairs) < OUTLIER_MIN_PEERS:
        return
    xs = sorted(float(x) for _, x in pairs)  # the figures are counts: floats are exact enough for a threshold
    med = statistics.median(xs)
    lo, hi = med / OUTLIER_RATIO, med * OUTLIER_RATIO
    if xs[-1] < max(hi, OUTLIER_FLOOR) and (xs[0] > lo or med < OUTLIER_FLOOR):
        return  # nobody is far enough from the median to be judged: the common case, decided without the spread
    mad = statistics.median(abs(x - med) for x in xs)
    q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    scale = max(mad * MAD_SCALE, (q3 - q1) / IQR_SCALE, 1.0)
    for p, x in pairs:
        z = (x - med) / scale
        far = x >= hi if z > 0 else x <= lo
        if abs(z) > OUTLIER_Z and far and max(x, med) >= OUTLIER_FLOOR:
            side = "高于" if z > 0 else "低于"
            shown = format_number(int(med)) if med == int(med) else f"{med:.1f}"
            yield p, _finding("hint.outlier", f"“{fig.label}”为 {format_number(x)}，远{side}同级（{level}，{len(pairs)} 个单位）"
                              f"的中位数 {shown}（偏离约 {abs(z):.0f} 个稳健标准差），请核实",
                              fig.cells, expected=med, actual=x)


def group_reason(level: str, n: int) -> str:
    """Why an agency's peer comparison did not run ('' when it did)."""
    if not level:
        return "单位层级未知，无法确定同级单位"
    if n < OUTLIER_MIN_PEERS:
        return f"同级（{level}）单位只有 {n} 个，不足 {OUTLIER_MIN_PEERS} 个"
    return ""


def review_peers(records) -> None:
    """hint.outlier on the counted agencies' records (summaries of other areas are not peers), and each
    record's 同级比较 coverage."""
    judged = [r for r in records if r.included and not r.summary and r.figures]
    sizes: dict[str, int] = {}
    for r in judged:
        sizes[r.level] = sizes.get(r.level, 0) + 1
    found = outlier_findings(Peer(str(i), r.level, r.figures) for i, r in enumerate(judged))
    for i, r in enumerate(judged):
        why = group_reason(r.level, sizes[r.level])
        r.coverage["peers"] = ("未核对", why) if why else ("已核对", "")
        for f in found.get(str(i), ()):
            r.add(f.rule, f.message)
