"""选择汇总: the summary of a chosen set of agencies — some levels (``--only``) or a list (``--only-roster``).

Agencies outside the choice are left out of everything (totals, checks across agencies, 校验情况);
files that could not be read stay listed, since nobody can tell where they belong. The roster's 未提交
list is narrowed the same way. The scope is written on 汇总说明.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .names import Roster, load_roster


@dataclass
class Selection:
    levels: tuple[str, ...] = ()
    roster: Roster | None = None  # the --only-roster list

    @property
    def active(self) -> bool:
        return bool(self.levels) or self.roster is not None

    def wants(self, name: str, level: str) -> bool:
        if self.levels and level.strip() not in self.levels:
            return False
        return self.roster is None or self.roster.match(name).entry is not None

    def describe(self, kept: int, left_out: int) -> str:
        parts = []
        if self.levels:
            parts.append("单位层级为" + "、".join(f"“{lv}”" for lv in self.levels))
        if self.roster is not None:
            parts.append(f"列入选择名单 {Path(self.roster.source).name}（{len(self.roster)} 个单位）")
        return f"选择汇总：{'且'.join(parts)}的单位；选入 {kept} 个文件，未选入 {left_out} 个文件"


def make_selection(levels=None, roster_file=None) -> Selection:
    levels = tuple(dict.fromkeys(lv.strip() for lv in (levels or ()) if lv and lv.strip()))
    return Selection(levels, load_roster(roster_file) if roster_file else None)


def apply(selection: Selection, records: list, roster: Roster | None) -> tuple[list, Roster | None, str]:
    """(the records chosen, the roster narrowed to the choice, the scope in words)."""
    if not selection.active:
        return records, roster, "全部单位"
    kept = [r for r in records if r.unreadable or selection.wants(r.name or r.agency, r.level)]
    base = roster if roster is not None else selection.roster
    narrowed = None
    if base is not None:
        entries = [e for e in base.entries if selection.wants(e.name, e.level)]
        narrowed = Roster(entries, base.source)
    return kept, narrowed, selection.describe(len(kept), len(records) - len(kept))
