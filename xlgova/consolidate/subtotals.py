"""分类汇总: subtotals of the counted agencies by level and by node of the roster tree (节点汇总).

A level's subtotal is the sum of the agencies of that level (the roster's 单位层级, else the cover's); the
levels add up to the area's total. A node's subtotal is the sum of its subtree: its own report, when it
submitted one, and every unit below it whose 上级单位 chain reaches it. A 上级单位 that is not on the roster
(a 系统 such as 教育系统) is a node of its own. Agencies not on the roster are one group of their own.
"""
from __future__ import annotations

from dataclasses import dataclass

from .aggregate import frame, totals

NO_LEVEL = "（未填写层级）"
OFF_ROSTER = "（不在名单中的单位）"


@dataclass
class Subtotal:
    label: str
    agencies: int  # agencies covered (a county summary counts its own)
    sums: dict  # cell id -> sum, every cell of the format
    depth: int = 0  # 0 for a level or a root node
    members: tuple[int, ...] = ()  # indices into the counted records


def _sums(df, format_id: str, members: list[int]) -> dict:
    return totals(df.iloc[members], format_id)


def by_level(records, format_id: str, roster=None, df=None) -> list[Subtotal]:
    """One subtotal per level, in the roster's order of levels (then as first met)."""
    counted = [r for r in records if r.included]
    df = frame(counted, format_id) if df is None else df
    order = list(dict.fromkeys([e.level for e in roster.entries if e.level] if roster else []))
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(counted):
        groups.setdefault(r.level or NO_LEVEL, []).append(i)
    labels = [lv for lv in order if lv in groups] + [lv for lv in groups if lv not in order]
    return [Subtotal(lv, sum(counted[i].agencies for i in groups[lv]), _sums(df, format_id, groups[lv]), 0, tuple(groups[lv]))
            for lv in labels]


def _tree(roster) -> tuple[dict[str, str], list[str]]:
    """node -> parent ('' for a root), and every node in roster order (parents outside the roster after)."""
    parent = {e.name: roster.parent_of(e) for e in roster.entries}
    nodes = list(parent)
    for p in list(parent.values()):
        if p and p not in parent:
            parent[p] = ""
            nodes.append(p)
    return parent, nodes


def by_node(records, format_id: str, roster, df=None) -> list[Subtotal]:
    """Every node of the roster tree, depth first, with the sum of its subtree (empty without a tree)."""
    if roster is None or not roster.has_tree:
        return []
    counted = [r for r in records if r.included]
    df = frame(counted, format_id) if df is None else df
    parent, nodes = _tree(roster)
    members: dict[str, list[int]] = {n: [] for n in nodes}
    off: list[int] = []
    for i, r in enumerate(counted):
        node = r.name if r.match in ("exact", "suffix") and r.name in parent else None
        if node is None:
            off.append(i)
        while node:
            members[node].append(i)
            node = parent[node]
    children: dict[str, list[str]] = {}
    for n in nodes:
        children.setdefault(parent[n], []).append(n)
    out: list[Subtotal] = []

    def visit(node: str, depth: int) -> None:
        idx = members[node]
        out.append(Subtotal(node, sum(counted[i].agencies for i in idx), _sums(df, format_id, idx), depth, tuple(idx)))
        for child in children.get(node, ()):
            visit(child, depth + 1)

    for root in children.get("", ()):
        visit(root, 0)
    if off:
        out.append(Subtotal(OFF_ROSTER, sum(counted[i].agencies for i in off), _sums(df, format_id, off), 0, tuple(off)))
    return out


def children_of(rows: list[Subtotal]) -> dict[int, list[int]]:
    """Position of each node row -> positions of its child rows (rows as :func:`by_node` orders them)."""
    out: dict[int, list[int]] = {}
    stack: list[int] = []
    for i, row in enumerate(rows):
        del stack[row.depth:]
        if stack:
            out.setdefault(stack[-1], []).append(i)
        stack.append(i)
    return out
