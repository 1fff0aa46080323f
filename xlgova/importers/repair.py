"""Damaged rows: a cell lost or added in extraction, or a whole group shifted by one.

A damaged row has several possible readings (which cell was lost, which one is extra). Each reading is
tried against the table's own identities (``xlgova.rules.identities_for``): a lost cell is solved from an
identity where it is the only unknown, and a reading counts only if every identity it touches holds
exactly. When all surviving readings give the same values, that is the row (``doc.row_repaired``, info);
otherwise the row stays blank and is reported as doubtful (``doc.row_doubtful``, warning).
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from math import comb
from typing import Sequence

from ..model import BLANK_VALUE, NUMBER, TEXT, Value, format_number, signed_word_number
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


def relevant_identities(format_id: str, cell_ids: Sequence[str]) -> list[Identity]:
    return list(_relevant(format_id, tuple(cell_ids)))


@lru_cache(maxsize=1024)
def _relevant(format_id: str, cell_ids: tuple[str, ...]) -> tuple[Identity, ...]:
    ids = set(cell_ids)
    return tuple(i for i in identities_for(format_id) if not i.cross_year and any(t.cell in ids for t in i.terms))


def _solve(idents: list[Identity], values: dict[str, object]) -> bool | None:
    """Fill UNKNOWN cells from equalities with one unknown: True when all are filled, False when one would be
    negative, None when some cannot be solved (the reading is neither confirmed nor ruled out)."""
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
    return None if any(v is UNKNOWN for v in values.values()) else True


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
    agreed = consistent(format_id, cell_ids, options, known, outside=outside)
    if len(agreed) == 1:
        return agreed[0][0], 1
    return None, len(agreed)


def consistent(format_id: str, cell_ids: list[str], options, known: dict[str, Value], *, outside: bool = False, exact: bool = False):
    """The distinct readings under which every identity the row takes part in holds: [(values, readings)].

    ``exact``: a reading counts only if an equality confirms it (digits cut apart: 6|1|6 out of "616" where a blank
    was erased between 6 and 16 satisfies 1 ≤ 6 but no sum). A reading whose lost cells no sum settles, yet which
    breaks none, is one more reading with values None: the row is not settled by the others."""
    idents = relevant_identities(format_id, cell_ids)
    mine = set(cell_ids)
    beyond = [any(t.cell not in mine for t in i.terms) for i in idents]
    agreed: dict[tuple, tuple[list[Value], list]] = {}
    involved = {t.cell for i in idents for t in i.terms} | mine
    base = {c: known[c] for c in involved if c in known}  # only what the identities look at: copied per reading
    parsed: dict[str, Value] = {}
    undetermined: list | None = None
    inner = _inner_sums(idents, cell_ids)
    for reading in options:
        if inner and _fails_inner(inner, reading):
            continue
        values: dict[str, object] = dict(base)
        for cid, cell in zip(cell_ids, reading):
            if cell is None:
                values[cid] = UNKNOWN
            else:
                v = parsed.get(cell.text)
                values[cid] = v if v is not None else parsed.setdefault(cell.text, _value(cell))
        solved = _solve(idents, values)
        if solved is None and not any(_holds(i, values) is False for i in idents):
            undetermined = undetermined or reading  # lost cells no sum settles: this reading cannot be ruled out
        if not solved:
            continue
        verdicts = [_holds(i, values) for i in idents]
        if any(v is False for v in verdicts) or not any(v is True for v in verdicts):
            continue
        if outside and not any(v is True and b for v, b in zip(verdicts, beyond)):
            continue
        if exact and not any(v is True and i.op == EQ for v, i in zip(verdicts, idents)):
            continue
        vals = [values[cid] for cid in cell_ids]
        agreed.setdefault(tuple(v.to_json() for v in vals), (vals, []))[1].append(reading)  # type: ignore[union-attr]
    if undetermined and agreed:  # one more reading, its values unknown (None): the row is not settled
        agreed[("undetermined",)] = (None, [undetermined])  # type: ignore[assignment]
    return list(agreed.values())


def _inner_sums(idents: list[Identity], cell_ids: list[str]) -> list[list[tuple[int, int]]]:
    """The row's own equalities (parts = total) as (position, ±1) terms: a quick test before the full one."""
    pos = {cid: k for k, cid in enumerate(cell_ids)}
    return [
        [(pos[t.cell], side * t.coef) for side, terms in ((1, i.lhs), (-1, i.rhs)) for t in terms]
        for i in idents
        if i.op == EQ and all(t.cell in pos for t in i.terms)
    ]


def _fails_inner(inner: list[list[tuple[int, int]]], reading) -> bool:
    """True when the reading's plain whole numbers (a blank is 0) break one of the row's own sums."""
    nums = []
    for cell in reading:
        if cell is None or not (cell.text.isascii() and cell.text.isdigit() or not cell.text):
            return False  # lost cells, decimals, words: left to the full test
        nums.append(int(cell.text) if cell.text else 0)
    return any(sum(coef * nums[k] for k, coef in terms) != 0 for terms in inner)


MAX_GLUED = 4000  # ways of cutting run-together digits tried per row


def glued_readings(cells: list[Cell], m: int) -> list[list[Cell]]:
    """Digits run together as scraped pages store them ("801000081" for 80|1|0|0|0|0|81): every way of
    cutting the digit cells into ``m`` cells, no piece with a leading zero."""
    extra = m - len(cells)
    if extra <= 0 or not any(_cuttable(c) for c in cells):
        return []
    out: list[list[Cell]] = []
    steps = [0]

    def walk(i: int, left: int, acc: list[Cell]) -> bool:
        steps[0] += 1
        if len(out) > MAX_GLUED or steps[0] > 20 * MAX_GLUED:
            return False  # too many ways: the row is doubtful, not a long wait
        if i == len(cells):
            if not left:
                out.append(list(acc))
            return True
        c = cells[i]
        most = min(left, len(c.text) - 1) if _cuttable(c) else 0
        for cuts in range(most + 1):
            if cuts and comb(len(c.text) - 1, cuts) > MAX_GLUED:
                return False
            for parts in _pieces(c.text, cuts + 1):
                if not walk(i + 1, left - cuts, acc + [Cell(p, c.src) for p in parts]):
                    return False
        return True

    return out if walk(0, extra, []) else []


def erased_blank_readings(cells: list[Cell], m: int) -> list[list[Cell]]:
    """The same digits read as if a blank cell had been erased in the gluing (150|71|22|5|_|15|263 out of
    "1507122515263"): every cut into ``m - 1`` numbers with a blank put back at each place."""
    out: list[list[Cell]] = []
    for cut in glued_readings(cells, m - 1) if m > 2 else []:
        blank = Cell("", cut[0].src)
        out += [cut[:k] + [blank] + cut[k:] for k in range(m)]
    return out


def _cuttable(cell: Cell) -> bool:
    return len(cell.text) > 1 and cell.text.isascii() and cell.text.isdigit()


@lru_cache(maxsize=4096)
def _pieces(s: str, k: int) -> tuple[tuple[str, ...], ...]:
    """Every way of cutting ``s`` into ``k`` numbers without leading zeros."""
    if k == 1:
        return ((s,),) if s == "0" or not s.startswith("0") else ()
    out = []
    for size in range(1, len(s) - k + 2):
        head = s[:size]
        if size > 1 and head[0] == "0":
            break
        out.extend((head, *rest) for rest in _pieces(s[size:], k - 1))
    return tuple(out)


def _value(cell: Cell) -> Value:
    from ..model import parse_value

    return parse_value(cell.text) if cell.text else BLANK_VALUE


def by_label_span(table, cells: list[Cell], row_id: str, options: list[list[Cell]]) -> list[list[Cell]]:
    """One cell per paragraph (blank lines between cells, empty paragraphs for empty cells): among readings the
    identities cannot tell apart (a row of zeros), the one the table's layout explains:
    a label spanning k label columns leaves k-1 empty cells after it when the grid is flattened (（一）予以公开
    spans two, 1.属于国家秘密 one); more leading blanks were printed blank, and the extra cells at the end
    belong to the next row's label columns."""
    row = table.row(row_id)
    width = 1 + max(len(r.groups) for r in table.rows)
    artefacts = width - len(row.groups) - 1
    lead = next((i for i, c in enumerate(cells) if c.text), len(cells))
    keep = min(lead, artefacts)
    return [o for o in options if len(o) and o[0] is cells[keep]] if lead > artefacts else []


def as_printed(spaced: bool, values: list[Value], readings_: list) -> list[Value]:
    """A row split at spaces loses its blank cells: a cell the reading had to supply was printed blank.
    It stays blank (``value.blank`` says what it should hold); the solved number only confirmed the reading."""
    if not spaced:
        return values
    where = {tuple(k for k, c in enumerate(r) if c is None) for r in readings_}
    if len(where) != 1:
        return values  # the same numbers whichever cell was blank (zeros): which one was is unknown
    return [BLANK_VALUE if k in next(iter(where)) else v for k, v in enumerate(values)]


def shown_values(values: list[Value]) -> str:
    return "、".join("空白" if v.is_blank else (format_number(v.number) if v.is_number else str(v.raw)) for v in values)
