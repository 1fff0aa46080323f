"""Damaged rows: a cell lost or added in extraction, or a whole group shifted by one.

A damaged row has several possible readings (which cell was lost, which one is extra). Each reading is
tried against the table's own identities (``xlgova.rules.identities_for``): a lost cell is solved from an
identity where it is the only unknown, and a reading counts only if every identity it touches holds
exactly. When all surviving readings give the same values, that is the row (``doc.row_repaired``, info);
otherwise the row stays blank and is reported as doubtful (``doc.row_doubtful``, warning).
"""
from __future__ import annotations

from decimal import Decimal
from itertools import combinations
from typing import Sequence

from ..model import BLANK_VALUE, NUMBER, TEXT, Value, signed_word_number
from ..rules import EQ, identities_for
from ..rules.identities import Identity
from .lines import Cell

MAX_READINGS = 600  # combinations tried per row; beyond that the row is doubtful

Number = int | Decimal
UNKNOWN = object()


def strict_number(v: Value | object | None) -> Number | None:
    """The number a reading stands for: blank and placeholders are 0, text (except 减4) cannot be used."""
    if v is None or v is UNKNOWN:
        return None
    assert isinstance(v, Value)
    if v.kind == NUMBER:
        return v.number
    if v.kind == TEXT:
        return signed_word_number(v)
    return 0


def _relevant(format_id: str, cell_ids: Sequence[str]) -> list[Identity]:
    ids = set(cell_ids)
    return [i for i in identities_for(format_id) if not i.cross_year and any(t.cell in ids for t in i.terms)]


def _solve(idents: list[Identity], values: dict[str, object]) -> bool:
    """Fill UNKNOWN cells from equalities with one unknown; False when one cannot be solved or is negative."""
    progress = True
    while progress:
        progress = False
        for ident in idents:
            if ident.op != EQ:
                continue
            unknown = [(t, side) for side, terms in ((1, ident.lhs), (-1, ident.rhs)) for t in terms if values.get(t.cell) is UNKNOWN]
            if len(unknown) != 1:
                continue
            total: Number = 0
            usable = True
            for side, terms in ((1, ident.lhs), (-1, ident.rhs)):
                for t in terms:
                    if values.get(t.cell) is UNKNOWN:
                        continue
                    n = strict_number(values.get(t.cell))  # type: ignore[arg-type]
                    if n is None:
                        usable = False
                    else:
                        total += side * t.coef * n
            if not usable:
                continue
            term, side = unknown[0]
            solved = -total * side * term.coef  # coefficients are ±1
            if solved < 0:
                return False
            values[term.cell] = Value(NUMBER, solved)
            progress = True
    return not any(v is UNKNOWN for v in values.values())


def _holds(ident: Identity, values: dict[str, object]) -> bool | None:
    nums = []
    for t in ident.terms:
        n = strict_number(values.get(t.cell))  # type: ignore[arg-type]
        if n is None:
            return None
        nums.append(n)
    return ident.compare(nums)[2]


def readings(cells: list[Cell], m: int) -> list[list[Cell | None]]:
    """Every way of reading ``cells`` as ``m`` cells: drop extra cells or insert lost ones (None)."""
    n = len(cells)
    out: list[list[Cell | None]] = []
    if n > m:
        for drop in combinations(range(n), n - m):
            out.append([c for i, c in enumerate(cells) if i not in drop])
            if len(out) > MAX_READINGS:
                return []
    elif n < m:
        for ins in combinations(range(m), m - n):
            it = iter(cells)
            out.append([None if i in ins else next(it) for i in range(m)])
            if len(out) > MAX_READINGS:
                return []
    else:
        out.append(list(cells))
    return out


def end_trims(cells: list[Cell], m: int, *, trailing_first: bool = False) -> list[list[Cell]]:
    """Readings that drop only blank cells at the ends (layout artefacts), the likelier first.

    Leading blanks are usually merged label columns; trailing ones an empty last column that every row of
    the table shows (``trailing_first``).
    """
    excess = len(cells) - m
    lead = next((i for i, c in enumerate(cells) if c.text), len(cells))
    trail = next((i for i, c in enumerate(reversed(cells)) if c.text), len(cells))
    out = []
    for r in range(0, min(excess, trail) + 1):
        left = excess - r
        if left <= lead:
            out.append(cells[left : len(cells) - r])
    return out[::-1] if trailing_first else out


def blank_trims(cells: list[Cell], most: int = 2, leading_only: bool = False) -> list[list[Cell]]:
    """The row without one or two of the blank cells at its ends."""
    lead = next((i for i, c in enumerate(cells) if c.text), len(cells))
    trail = 0 if leading_only else next((i for i, c in enumerate(reversed(cells)) if c.text), len(cells))
    out = []
    for left in range(0, min(lead, most) + 1):
        for right in range(0, min(trail, most - left) + 1):
            if left + right:
                out.append(cells[left : len(cells) - right])
    return out


def choose(format_id: str, cell_ids: list[str], options: list[list[Cell | None]], known: dict[str, Value], *, outside: bool = False):
    """(values, number of distinct consistent readings): values when the consistent readings agree, else None.

    ``outside``: a reading counts only if an identity reaching beyond the row (a column sum) confirms it.
    """
    idents = _relevant(format_id, cell_ids)
    mine = set(cell_ids)
    beyond = [any(t.cell not in mine for t in i.terms) for i in idents]
    agreed: dict[tuple, list[Value]] = {}
    for reading in options:
        values: dict[str, object] = dict(known)
        for cid, cell in zip(cell_ids, reading):
            values[cid] = UNKNOWN if cell is None else _value(cell)
        if not _solve(idents, values):
            continue
        verdicts = [_holds(i, values) for i in idents]
        if any(v is False for v in verdicts) or not any(v is True for v in verdicts):
            continue
        if outside and not any(v is True and b for v, b in zip(verdicts, beyond)):
            continue
        vals = [values[cid] for cid in cell_ids]
        agreed.setdefault(tuple(v.to_json() for v in vals), vals)  # type: ignore[union-attr]
    if len(agreed) == 1:
        return next(iter(agreed.values())), len(agreed)
    return None, len(agreed)


def _value(cell: Cell) -> Value:
    from ..model import parse_value

    return parse_value(cell.text) if cell.text else BLANK_VALUE
