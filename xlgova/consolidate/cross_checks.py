"""Checks across agencies, made once every file is read: format and year, roster, duplicates, copying."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from ..errors import XlgovaError
from .names import Roster, RosterEntry
from .record import SECTION_TITLES, SUPERSEDED, AgencyRecord
from .similarity import group_identical, near_duplicates


def common_format(records: list[AgencyRecord]) -> str:
    """The one format version of the run; a mix is refused, naming the files of the smaller group."""
    by_format: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if not r.unreadable:
            by_format[r.format_id].append(r.path)
    if len(by_format) > 1:
        ranked = sorted(by_format.items(), key=lambda kv: -len(kv[1]))
        parts = "，".join(f"{len(v)} 个使用 {k} 版格式" for k, v in ranked)
        minority = [Path(p).name for _, v in ranked[1:] for p in v]
        raise XlgovaError(
            f"输入的工作簿格式版本不一致：{parts}（{'、'.join(minority[:5])}{'等' if len(minority) > 5 else ''}）",
            hint="一次汇总只能包含同一格式版本的报告：请让这些单位改用正确的模板重新填报，或分开汇总。",
        )
    return next(iter(by_format), "")


def common_year(records: list[AgencyRecord]) -> int | None:
    """The statistics year most reports give; reports of another year are errors and not counted."""
    years = Counter(r.year for r in records if not r.unreadable and r.year is not None)
    if not years:
        return None
    year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]
    for r in records:
        if not r.unreadable and r.year is not None and r.year != year:
            r.add("consolidate.year_mismatch", f"统计年度为 {r.year} 年，本次汇总的是 {year} 年度（多数报告的年度），该报告未计入汇总")
            exclude(r, f"统计年度为 {r.year} 年")
    return year


def exclude(r: AgencyRecord, why: str) -> None:
    if r.included:
        r.included, r.excluded_why = False, why


def check_roster(records: list[AgencyRecord], roster: Roster | None) -> list[RosterEntry]:
    """Flag names the roster does not know; return the roster's agencies nobody submitted for."""
    if roster is None:
        return []
    for r in records:
        if r.unreadable or r.summary:
            continue
        if r.match in ("unknown", "ambiguous"):
            r.add("consolidate.unknown_agency", f"“{r.agency or '（未填单位名称）'}”：{r.match_note}，请核对单位名称")
    for r in records:  # a damaged file is usually named after its agency: list it under that name
        if r.unreadable and not r.name:
            m = roster.match(Path(r.path).stem)
            if m.entry is not None:
                r.name, r.match = m.entry.name, m.how
    submitted = {r.name for r in records if r.match in ("exact", "suffix")}
    return [e for e in roster.entries if e.name not in submitted]


def check_duplicates(records: list[AgencyRecord]) -> None:
    """Two files for one agency: the most recently saved one is counted, every copy is flagged."""
    groups: dict[str, list[AgencyRecord]] = defaultdict(list)
    for r in records:
        if not r.unreadable and r.key and r.included:
            groups[r.key].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        kept = max(group, key=lambda r: (r.mtime, r.path))
        names = "、".join(Path(r.path).name for r in group)
        for r in group:
            verdict = "本文件计入汇总（修改时间最新）" if r is kept else f"汇总采用 {Path(kept.path).name}，本文件未计入"
            r.add("consolidate.duplicate_agency", f"{r.name}提交了 {len(group)} 份报告（{names}）：{verdict}")
            if r is not kept:
                exclude(r, f"{SUPERSEDED}，采用 {Path(kept.path).name}")


def check_identical_tables(records: list[AgencyRecord], fmt) -> None:
    items = [((i, t), (t, fp)) for i, r in enumerate(records) if r.included for t, fp in r.table_prints.items()]
    for group in group_identical(items):
        idx = [i for i, _ in group]
        if len({records[i].key for i in idx}) < 2:
            continue
        table = fmt.table(group[0][1]).short
        for i in idx:
            names = [records[j].name for j in idx if j != i]
            others = "、".join(names[:3]) + (f"等 {len(names)} 个单位" if len(names) > 3 else "")
            records[i].add("consolidate.identical_tables", f"{table}与{others}的{table}完全相同，请核实是否照抄")


def check_copied_narrative(records: list[AgencyRecord]) -> None:
    for key, title in SECTION_TITLES.items():
        items = ((i, r.signatures.get(key)) for i, r in enumerate(records) if r.included)
        told: set[int] = set()  # the earlier text of a pair is flagged once, not once per copy
        for i, j, s in near_duplicates(items):
            a, b = records[i], records[j]
            if a.key == b.key:
                continue
            a.add("consolidate.copied_narrative", f"“{title}”的文字与{b.name}的报告几乎相同（相似度约 {s:.0%}），格式要求避免内容雷同")
            if j in told:
                continue
            told.add(j)
            b.add("consolidate.copied_narrative", f"“{title}”的文字与{a.name}的报告几乎相同（相似度约 {s:.0%}），格式要求避免内容雷同")
