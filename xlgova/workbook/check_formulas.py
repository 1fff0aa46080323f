"""Native check formulas, generated from the same rule objects the Python rules run.

Every :class:`~xlgova.rules.Identity` becomes one visible check cell showing ``√``, ``× 相差 N`` (or
``× 超出 N`` for ``<=``) or ``—`` when Python would not compare either (a blank total, text in a term, a
blank 上年数据 cell). Every number cell gets a hidden value check (空白 / 负数 / 小数 / 文字) in the mirror
columns (``layout.MIRROR_OFFSET``). The 校验结果 summary counts both, per rule, exactly as
:func:`xlgova.rules.validate` counts findings.

Only functions Excel 2010+, WPS, LibreOffice and the ``formulas`` package all evaluate the same way:
IF, AND, OR, ISNUMBER, ISBLANK, TRIM, INT, ABS, ROUND, SUM, COUNT, COUNTIF, LEFT, LEN.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..formats import AMOUNT, AMOUNT_FREE, SIGNED, get_format
from ..model import SYMBOLS
from ..ooxml.a1 import join, sheet_absolute, split  # noqa: F401 - split/join are imported from here by the template
from ..rules import EQ, Identity, defining_identity, identities_for
from . import layout as L

PASS = "√"
FAIL = "×"
SKIP = "—"

# Value-check codes in the mirror cells; 空白 is a warning (value.blank), the others errors (value.invalid).
BLANKISH = "空白"
INVALID_CODES = ("负数", "小数", "文字")
assert not any("|" in s or '"' in s for s in SYMBOLS)
SYMBOL_LIST = '"|' + "|".join([""] + sorted(SYMBOLS)) + '|"'  # "||-|/|…|": blank (after TRIM) is a placeholder too


def ref(sheet: str, address: str, here: str | None = None) -> str:
    """A reference as written on sheet ``here``: relative on that sheet ("D6"), so check cells of one shape
    in consecutive rows repeat one formula (the template stores such blocks as shared formulas), and
    absolute with the sheet named elsewhere ("'上年数据'!$D$6")."""
    if sheet == here:
        return address
    return sheet_absolute(sheet, address)


def range_ref(sheet: str, first: str, last: str, here: str | None = None) -> str:
    """"D6:I6" / "'依申请公开'!$BL$6:$BR$30": both corners written the same way, the sheet named once."""
    a = ref(sheet, first, here)
    return a if first == last else f"{a}:{ref(sheet, last, here).rpartition('!')[2]}"


def mirror(address: str) -> str:
    row, col = split(address)
    return join(row, col + L.MIRROR_OFFSET)


# -- where the check cells sit ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckCell:
    ident: Identity
    sheet: str
    address: str
    span: int = 1  # merged over this many columns (review groups)


def section_two_check_col(format_id: str) -> int:
    return max(p.last_col for p in L.placements(format_id) if p.sheet == L.SECTION_TWO) + 2


def apps_check_rows(format_id: str) -> dict[str, int]:
    """apps identities checked per column sit in rows under the table, one row per rule."""
    last = L.placement(format_id, "apps").last_row
    return {"apps.handled_sum": last + 3, "apps.balance": last + 4, "xyear.carried_in": last + 5}


@lru_cache(maxsize=None)
def check_cells(format_id: str) -> tuple[CheckCell, ...]:
    fmt = get_format(format_id)
    cmap = L.cell_map(format_id)
    apps = L.placement(format_id, "apps")
    review = L.placement(format_id, "review")
    two_col = section_two_check_col(format_id)
    rows = apps_check_rows(format_id)
    out = []
    for ident in identities_for(format_id):
        rule, _, inst = ident.key.partition(":")
        if rule == "apps.row_total":
            out.append(CheckCell(ident, L.APPS, join(split(cmap[ident.target][1])[0], apps.last_col + 2)))
        elif rule.startswith("apps.") or rule == "xyear.carried_in":
            col = split(cmap[f"apps.carried_out.{inst}"][1])[1]
            out.append(CheckCell(ident, L.APPS, join(rows[rule], col)))
        elif rule == "review.total":
            ri = [r.id for r in fmt.table("review").rows].index(inst)
            n = len(fmt.table("review").cols)
            out.append(CheckCell(ident, L.REVIEW, join(review.first_row + 2, review.first_col + ri * n), span=n))
        else:  # art20 identities: one per table row, beside the row
            row = split(cmap[ident.lhs[0].cell][1])[0]
            out.append(CheckCell(ident, L.SECTION_TWO, join(row, two_col)))
    places = [(c.sheet, c.address) for c in out]
    assert len(set(places)) == len(places), "two check cells in one place"
    return tuple(out)


def check_map(format_id: str) -> dict[str, tuple[str, str]]:
    """identity key -> (sheet, address) of its check cell."""
    return {c.ident.key: (c.sheet, c.address) for c in check_cells(format_id)}


# -- formulas --------------------------------------------------------------------------------------------
def value_check_formula(address: str, kind: str) -> str:
    """The mirror formula for one number cell: "" when fine, else 空白 / 负数 / 小数 / 文字.

    Mirrors ``rules.engine.check_values``: placeholders ("/", "无", …) and blanks are 空白 (a warning);
    text is 文字, a negative count 负数, a fraction in a count 小数 (errors).
    """
    x = address
    problems = []
    if kind != SIGNED:
        problems.append((f"{x}<0", "负数"))
    if kind not in (AMOUNT, AMOUNT_FREE):
        problems.append((f"{x}<>INT({x})", "小数"))
    number = '""'
    for cond, code in reversed(problems):
        number = f'IF({cond},"{code}",{number})'
    # One FIND over "|/|-|…|" instead of a comparison per placeholder: formulas stay short and fast.
    return f'=IF(ISNUMBER({x}),{number},IF(ISNUMBER(FIND("|"&TRIM({x})&"|",{SYMBOL_LIST})),"{BLANKISH}","文字"))'


def _runs(cells: list[tuple[str, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Group (sheet, row, col) into vertical or horizontal runs of adjacent cells, keeping order."""
    out: list[list] = []
    for sheet, r, c in cells:
        if out:
            s, r1, c1, r2, c2 = out[-1]
            if s == sheet and c1 == c2 == c and r == r2 + 1:
                out[-1][3] = r
                continue
            if s == sheet and r1 == r2 == r and c == c2 + 1:
                out[-1][4] = c
                continue
        out.append([sheet, r, c, r, c])
    return [tuple(x) for x in out]


def _range(run, here: str, shift: int = 0) -> str:
    sheet, r1, c1, r2, c2 = run
    return range_ref(sheet, join(r1, c1 + shift), join(r2, c2 + shift), here)


def _locate(cell_id: str, prev: bool, format_id: str) -> tuple[str, int, int]:
    sheet, address = (L.previous_map if prev else L.cell_map)(format_id)[cell_id]
    return (sheet, *split(address))


def _term_value(cell_id: str, format_id: str, here: str) -> str:
    """A current-year term: a total left blank (or holding a placeholder) counts as the sum of its parts."""
    sheet, address = L.cell_map(format_id)[cell_id]
    own = ref(sheet, address, here)
    ident = defining_identity(format_id).get(cell_id)
    if ident is None:
        return own
    parts = _runs([_locate(t.cell, False, format_id) for t in ident.rhs])
    derived = "SUM(" + ",".join(_range(r, here) for r in parts) + ")"
    return f'IF({ref(sheet, mirror(address), here)}="{BLANKISH}",{derived},{own})'


def _side(terms, format_id: str, here: str) -> str:
    plus = [t for t in terms if t.coef > 0]
    minus = [t for t in terms if t.coef < 0]
    assert all(abs(t.coef) == 1 for t in terms)
    out = ""
    for sign, group in (("+", plus), ("-", minus)):
        cur = [t for t in group if not t.prev]
        parts = []
        plain = [_locate(t.cell, False, format_id) for t in cur if t.cell not in defining_identity(format_id)]
        parts += [_range(r, here) for r in _runs(plain)]
        parts += [_term_value(t.cell, format_id, here) for t in cur if t.cell in defining_identity(format_id)]
        parts += [_range(r, here) for r in _runs([_locate(t.cell, True, format_id) for t in group if t.prev])]
        if parts:
            out += f"{sign}SUM({','.join(parts)})"
    return out.lstrip("+") or "0"


def identity_formula(ident: Identity, format_id: str, here: str) -> str:
    """The check formula for one identity, as seen from sheet ``here``; mirrors ``rules.engine.check_identity``."""
    skip = []
    if ident.target:
        sheet, address = L.cell_map(format_id)[ident.target]
        skip.append(f'{ref(sheet, mirror(address), here)}="{BLANKISH}"')
    current = _runs([_locate(c, False, format_id) for c in ident.cells()])
    texts = "+".join(f'COUNTIF({_range(r, here, L.MIRROR_OFFSET)},"文字")' for r in current)
    skip.append(f"{texts}>0")
    prev_cells = ident.cells(prev=True)
    if prev_cells:
        runs = _runs([_locate(c, True, format_id) for c in prev_cells])
        skip.append(f"COUNT({','.join(_range(r, here) for r in runs)})<{len(prev_cells)}")
    diff = f"ROUND(({_side(ident.lhs, format_id, here)})-({_side(ident.rhs, format_id, here)}),6)"
    if ident.op == EQ:
        verdict = f'IF({diff}=0,"{PASS}","{FAIL} 相差 "&ABS({diff}))'
    else:
        verdict = f'IF({diff}<=0,"{PASS}","{FAIL} 超出 "&{diff})'
    cond = skip[0] if len(skip) == 1 else f"OR({','.join(skip)})"
    return f'=IF({cond},"{SKIP}",{verdict})'


def total_formula(cell_id: str, format_id: str) -> str:
    """The formula a total cell holds: the sum its defining identity states."""
    ident = defining_identity(format_id)[cell_id]
    here = L.cell_map(format_id)[cell_id][0]
    runs = _runs([_locate(t.cell, False, format_id) for t in ident.rhs])
    return "=SUM(" + ",".join(_range(r, here) for r in runs) + ")"


def marks_for(format_id: str) -> dict[str, list[tuple[str, str]]]:
    """cell id (this year's) -> check cells (sheet, address) whose failure should mark it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for c in check_cells(format_id):
        for cid in c.ident.cells():
            out.setdefault(cid, []).append((c.sheet, c.address))
    return out
