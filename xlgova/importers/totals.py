"""Totals of rows split at single spaces, where no position tells the columns (text copied out of a PDF).

``一、本年新收政府信息公开申请数量 3 3`` lost its blank cells: 3 may stand under any column. The total
columns can still be read when the rows' own sums say where they are. A row is cut into segments by the
table's identities (``rules.identities_for``: each segment is parts followed by their total, the 总计 of
table 三, the three groups of table 四); the printed numbers of a segment, in order, are its parts and
then its total exactly when the last equals the sum of the others. The other cells stay unread.

* Table 三: every row's last number is its 总计 when every row with two numbers or more confirms it
  (last = sum of the others, at least ``MIN_CONFIRMATIONS`` rows with a non-zero sum, no row against it)
  and the 总计 column so read satisfies the table's column identities (一+二 = （七）总计+四, the results
  rows summing to （七）总计). A row of zeros, or of one number, keeps its 总计 unread: the number may
  stand under 总计 or under a part with 总计 printed blank (derived for the checks), the sums cannot tell.
* Table 四 (one row of three groups): a group's total is read when every way of splitting the printed
  numbers into the three groups, each ending with its sum, gives that group the same printed total.

The totals go to ``rr.cache["totals"]`` ({cell id: the printed cell, None for printed blank}); the repair
reads them only for a row it leaves doubtful (``assemble._total_only``).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import product

from ..formats import GRID
from .lines import Cell
from .repair import relevant_identities
from .tables import RowRead, TableRead

MIN_CONFIRMATIONS = 2  # rows whose last number is the sum of the others, needed to trust table 三's 总计
BLANK = None  # a total printed blank

WHY_ROWS = "各行最后一个数都等于本行其余各数之和，“总计”列符合表内勾稽关系"
WHY_GROUPS = "印出的数分成各组、每组最后一个数等于该组其余各数之和，各种分法给出的这些总计都相同"


def read_totals(format_id: str, tr: TableRead) -> None:
    """Offer the totals of ``tr``'s rows split at spaces to the repair (see the module's doc)."""
    if tr.table.layout == GRID:
        if not tr.positions:
            _grid_totals(format_id, tr)
        return
    for rr in tr.rows:
        if rr.spaced and "totals" not in rr.cache:
            _group_totals(format_id, rr)


def _printed(cells: list[Cell]) -> tuple[list[int], list[Cell]] | None:
    """The printed numbers of a row split at spaces, and a cell for each; None when one is no whole number
    ("/", "1.5", a word). Two numbers alone on a line ("67 67" under a wrapped label) may have stayed one
    cell: they are two unless they could be one number with a space between thousands ("1 234")."""
    out: list[Cell] = []
    for c in cells:
        parts = c.text.split()
        if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
            return None
        out += [c] if len(parts) == 1 else [Cell(p, c.src) for p in parts]
    if not all(c.text.isascii() and c.text.isdigit() for c in out):
        return None
    return [int(c.text) for c in out], out


@lru_cache(maxsize=256)
def segments(format_id: str, cell_ids: tuple[str, ...]) -> tuple[tuple[int, int], ...] | None:
    """The row cut into (start, end) ranges, each its parts and then their total (the last cell), by the
    identities that define a total from the cells right before it; None unless they tile the whole row."""
    pos = {cid: k for k, cid in enumerate(cell_ids)}
    found: dict[int, int] = {}
    for ident in relevant_identities(format_id, cell_ids):
        t = ident.target
        if t not in pos or not all(term.cell in pos and term.coef == 1 for term in ident.terms):
            continue
        parts = sorted(pos[term.cell] for term in ident.terms if term.cell != t)
        if parts and parts == list(range(parts[0], pos[t])):
            found[parts[0]] = pos[t] + 1
    out, start = [], 0
    while start in found:
        out.append((start, found[start]))
        start = found[start]
    return tuple(out) if out and start == len(cell_ids) else None


def _piece_totals(nums: list[int], size: int) -> set:
    """The printed totals a segment of ``size`` cells can have when these numbers are printed in it:
    the last number when it is the sum of the others; blank when all are parts (then they must be 0)."""
    out: set = set()
    if 0 < len(nums) <= size and nums[-1] == sum(nums[:-1]):
        out.add(len(nums) - 1)  # the index of the number that is the total
    if len(nums) <= size - 1 and not any(nums):
        out.add(BLANK)
    return out


def _group_totals(format_id: str, rr: RowRead) -> None:
    segs = segments(format_id, tuple(rr.cell_ids))
    printed = _printed(rr.cells)
    if segs is None or len(segs) < 2 or printed is None or not printed[0] or len(printed[0]) > len(rr.cell_ids):
        return
    nums, cells = printed
    seen: list[set] = [set() for _ in segs]
    for cuts in _cuts(len(nums), len(segs)):
        bounds = list(zip((0, *cuts), (*cuts, len(nums))))
        options = [_piece_totals(nums[a:b], e - s) for (a, b), (s, e) in zip(bounds, segs)]
        for pick in product(*options):
            for k, ((a, _), p) in enumerate(zip(bounds, pick)):
                seen[k].add(BLANK if p is BLANK else id(cells[a + p]))
    by_id = {id(c): c for c in cells}
    totals = {rr.cell_ids[e - 1]: by_id.get(next(iter(s))) for s, (_, e) in zip(seen, segs) if len(s) == 1}
    if totals:
        rr.cache["totals"], rr.cache["totals_why"] = totals, WHY_GROUPS


def _cuts(n: int, parts: int):
    """Every way of cutting ``n`` numbers in order into ``parts`` consecutive pieces (some may be empty)."""
    if parts == 1:
        yield ()
        return
    for first in range(n + 1):
        for rest in _cuts(n - first, parts - 1):
            yield (first, *(first + r for r in rest))


def _grid_totals(format_id: str, tr: TableRead) -> None:
    rows = [rr for rr in tr.rows if rr.cells or rr.label_cell is not None]
    if not rows or tr.missing_rows or any(rr.cache.get("unordered") or rr.sub_rows or not rr.spaced for rr in rows):
        return
    if segments(format_id, tuple(rows[0].cell_ids)) != ((0, len(rows[0].cell_ids)),):
        return  # the table's rows do not end in a total of all their other cells
    known: dict[str, int] = {}  # total cell -> what it counts for in the column identities
    read: dict[str, tuple[RowRead, Cell]] = {}
    confirmed = 0
    for rr in rows:
        for merged in rr.merged:  # a group printed as one row: the rows not printed count as 0
            known[f"{tr.table.id}.{merged}.{rr.cell_ids[-1].rsplit('.', 1)[1]}"] = 0
        printed = _printed(rr.cells)
        if printed is None or len(printed[0]) > rr.expected:
            return  # a row the hypothesis cannot take: nothing is read
        (nums, cells), total = printed, rr.cell_ids[-1]
        if len(nums) >= 2 and nums[-1] != sum(nums[:-1]):
            return  # a row against it (or the report's own sums are wrong): nothing is read
        # A lone number counts the same as the 总计 or as a part under a blank 总计 (derived for the checks),
        # and so does a row of zeros: either way the column identities see it, but it is not read.
        known[total] = nums[-1] if nums else 0
        confirmed += len(nums) >= 2 and nums[-1] > 0
        if len(nums) >= 2 and nums[-1] and len(nums) < rr.expected:
            read[total] = (rr, cells[-1])
    if confirmed < MIN_CONFIRMATIONS or not _column_holds(format_id, known):
        return
    for total, (rr, cell) in read.items():
        rr.cache["totals"], rr.cache["totals_why"] = {total: cell}, WHY_ROWS


def _column_holds(format_id: str, known: dict[str, int]) -> bool:
    """Every identity between the 总计 cells holds (there is one at least)."""
    idents = [i for i in relevant_identities(format_id, sorted(known)) if all(t.cell in known for t in i.terms)]
    return bool(idents) and all(i.compare([known[t.cell] for t in i.terms])[2] for i in idents)
