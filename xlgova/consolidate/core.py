"""consolidate(inputs, output, ...) -> Consolidation: every agency's workbook into one summary."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..model import Report
from ..errors import XlgovaError
from ..rules import ERROR
from ..safeio import prepare_output
from . import cross_checks
from .discover import discover
from .executors import run_dask, run_local
from .names import Roster, RosterEntry, area_of, load_roster
from .coverage import counts as coverage_counts
from .record import REVIEW_RULES, STATUS_ORDER, UNREADABLE, AgencyRecord, Context
from .review_rules import FIGURES, figures, review_peers
from .selection import apply as apply_selection, make_selection


@dataclass
class Consolidation:
    """What a run found and made: the records of every file, the missing agencies, the summary report."""

    area: str
    year: int | None
    format_id: str
    records: list[AgencyRecord]
    missing: list[RosterEntry]
    summary: Report
    sums: dict
    outcomes: list = field(default_factory=list)
    buckets: list = field(default_factory=list)
    this_year: list = field(default_factory=list)
    last_year: list | None = None
    notes: list[str] = field(default_factory=list)
    roster: Roster | None = None
    previous_source: str = ""
    output: Path | None = None
    scope: str = "全部单位"  # 选择汇总 names its choice here
    previous_sums: dict = field(default_factory=dict)  # last year's totals of the key figures' cells
    levels: list = field(default_factory=list)  # subtotals.Subtotal by level
    nodes: list = field(default_factory=list)  # subtotals.Subtotal by node of the roster tree

    @property
    def counted(self) -> list[AgencyRecord]:
        return [r for r in self.records if r.included]

    @property
    def agencies(self) -> int:
        return sum(r.agencies for r in self.counted)

    def status_counts(self) -> dict[str, int]:
        c = Counter(r.status for r in self.records if not r.superseded)
        c["未提交"] = len(self.missing)
        return {s: c.get(s, 0) for s in STATUS_ORDER}

    @property
    def has_errors(self) -> bool:
        return any(r.unreadable or r.counts[ERROR] for r in self.records if not r.superseded)

    @property
    def exit_code(self) -> int:
        return 1 if self.has_errors else 0

    def to_json(self) -> dict:
        return {
            "area": self.area, "year": self.year, "format": self.format_id, "output": str(self.output) if self.output else None,
            "files": len(self.records), "agencies": self.agencies, "status": self.status_counts(),
            "totals": {k: (v if isinstance(v, int) else str(v)) for k, v in self.sums.items()},
            "reports": [r.to_json() for r in self.records],
            "missing": [{"name": e.name, "code": e.code, "level": e.level, "status": "未提交"} for e in self.missing],
            "notes": self.notes, "scope": self.scope,
            "review": self.review_counts(), "coverage": coverage_counts(self.counted),
            "subtotals": {k: [_subtotal_json(s, self.format_id) for s in rows] for k, rows in (("levels", self.levels), ("nodes", self.nodes))},
        }

    def review_counts(self) -> dict[str, int]:
        """Agencies flagged by each review rule, and warnings confirmed by the agencies."""
        out = {rule: sum(any(h[0] == rule for h in r.hints) for r in self.counted) for rule in REVIEW_RULES}
        out["confirmed_warnings"] = sum(r.confirmed for r in self.records if not r.superseded)
        return out


def _subtotal_json(s, format_id: str) -> dict:
    values = figures(format_id, s.sums.get)
    return {"label": s.label, "depth": s.depth, "agencies": s.agencies,
            "figures": {f.key: (v if v is None or isinstance(v, int) else str(v)) for f, v in zip(FIGURES, values)}}


def load_previous(source: str | Path, roster: Roster | None, workers: int | None) -> dict[str, Report]:
    """Last year's reports by agency key: from a summary's 明细 sheet, or a folder of workbooks."""
    from .detail import read_detail
    from .record import load_input

    p = Path(source)
    if p.is_dir():
        reports = []
        for path in discover([p]):
            try:
                reports.append(load_input(path))
            except Exception:  # an unreadable file of last year leaves that agency without history
                continue
    elif p.is_file():
        reports = read_detail(p)
    else:
        raise XlgovaError("上年数据（--previous）不存在", path=p)
    ctx = Context(roster=roster)
    out: dict[str, Report] = {}
    for r in reports:
        _, key, _ = ctx.key_for(r.agency)
        out[key] = r
    return out


def consolidate(
    inputs: Iterable[str | Path],
    output: str | Path | None = None,
    *,
    roster: str | Path | Roster | None = None,
    previous: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    area: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    only: Iterable[str] | None = None,
    only_roster: str | Path | None = None,
) -> Consolidation:
    """Read, check and add up every input; write the summary workbook to ``output`` when given.

    ``only`` (levels) and ``only_roster`` (a list of agencies) make a 选择汇总 of the chosen agencies."""
    if output is not None:
        prepare_output(output)
    selection = make_selection(only, only_roster)
    inputs = list(inputs)
    paths = discover(inputs, exclude=[output] if output else ())
    roster_obj = load_roster(roster) if isinstance(roster, (str, Path)) else roster
    prev = load_previous(previous, roster_obj, workers) if previous else {}
    ctx = Context(roster=roster_obj, previous=prev)
    if on_total:
        on_total(len(paths))
    meanwhile = _import_summary_modules if output is not None else None
    run = run_dask(paths, ctx, scheduler, progress, meanwhile) if scheduler else run_local(paths, ctx, workers, progress, meanwhile)
    records, roster_obj, scope = apply_selection(selection, list(run), roster_obj)
    if not records:
        raise XlgovaError(f"没有符合选择条件的单位（{scope}）", hint="请检查 --only 的单位层级或 --only-roster 的名单。")
    result = assemble(records, roster_obj, prev, area=area, selected=selection.active)
    result.previous_source = str(previous or "")
    result.scope = scope
    if output is not None:
        from .summary_book import write_summary

        result.output = write_summary(result, output, inputs=paths)
    return result


def _import_summary_modules() -> None:
    """pandas and openpyxl take most of a second to import; the workers need neither, so this process
    imports them while the workers read instead of before (they would be forked with them) or after."""
    from . import aggregate, summary_book as writer  # noqa: F401


def assemble(records: list[AgencyRecord], roster: Roster | None, previous: dict[str, Report], *, area: str | None = None,
             selected: bool = False) -> Consolidation:
    """The checks across agencies and the totals, from the records the workers returned."""
    from . import aggregate, subtotals

    readable = [r for r in records if not r.unreadable]
    format_id = cross_checks.common_format(records)
    if not readable:
        raise XlgovaError("所有输入文件都无法读取：" + "；".join(f"{Path(r.path).name}（{r.unreadable}）" for r in records[:5]))
    year = cross_checks.common_year(records)
    missing = cross_checks.check_roster(records, roster)
    cross_checks.check_duplicates(records)
    from ..formats import get_format

    cross_checks.check_identical_tables(records, get_format(format_id))
    cross_checks.check_copied_narrative(records)
    review_peers(records)
    df = aggregate.frame(records, format_id)
    sums = aggregate.totals(df, format_id)
    names = [e.name for e in roster.entries] if roster else [r.name for r in readable]
    area = area or area_of(names) or "汇总"
    counted = [r for r in records if r.included]
    n_agencies = sum(r.agencies for r in counted)
    summary = aggregate.summary_report(sums, area=area, year=year, format_id=format_id, agencies=n_agencies)
    result = Consolidation(area, year, format_id, records, missing, summary, sums, roster=roster)
    result.outcomes = aggregate.outcomes(sums)
    result.buckets = aggregate.buckets(df)
    result.this_year = aggregate.key_figures(sums)
    result.levels = subtotals.by_level(records, format_id, roster, df)
    result.nodes = subtotals.by_node(records, format_id, roster, df)
    if previous:
        reports = list(previous.values()) if not selected else [previous[r.key] for r in counted if r.key in previous]
        result.previous_sums = aggregate.previous_sums(reports, tuple(c for f in FIGURES for c in f.cells))
        result.last_year = aggregate.key_figures(result.previous_sums)
        summary.previous = aggregate.previous_report(list(previous.values()), format_id, area, year)
    result.notes = _notes(records, roster, previous)
    return result


def _notes(records: list[AgencyRecord], roster: Roster | None, previous: dict) -> list[str]:
    notes = []
    kinds = {r.summary for r in records if r.included}
    if kinds == {True, False}:
        notes.append("输入中既有汇总报告又有单位报告，请确认下级汇总中的单位没有再次单独计入。")
    if previous:
        without = [r for r in records if r.included and not r.summary and not r.previous_from]
        if without:
            notes.append(f"{len(without)} 个单位在上年数据中没有找到对应记录，未做跨年度核对：" + "、".join(r.name for r in without[:10]) + ("等" if len(without) > 10 else ""))
    unreadable = sum(1 for r in records if r.status == UNREADABLE)
    if unreadable:
        notes.append(f"{unreadable} 个文件无法读取，未计入汇总，详见“校验情况”。")
    return notes
