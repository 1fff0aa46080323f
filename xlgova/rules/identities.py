"""Arithmetic identities between cells — the 勾稽关系 — as data generated from the formats.

One :class:`Identity` is ``sum(lhs) op sum(rhs)`` over cells of this year's report and, for cross-year
rules, last year's. The same object drives the Python check here and the Excel check formula in the
template (``xlgova.workbook``), so the two cannot drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, lru_cache
from operator import mul
from typing import Callable, Collection, Mapping

from ..formats import Format, get_format
from ..formats.schema import Table
from ..model.catalog import severity_of
from ..model.values import NUMBER

EQ = "="
LE = "<="


@dataclass(frozen=True)
class Term:
    cell: str
    coef: int = 1
    prev: bool = False  # the cell is read from last year's report
    label: str = ""  # how the message names it


@dataclass(frozen=True)
class Identity:
    rule: str  # rule id, e.g. apps.balance
    key: str  # unique instance key, e.g. apps.balance:natural
    subject: str  # Chinese: what the identity is about, e.g. 申请情况表「自然人」列
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    op: str = EQ
    lhs_name: str = ""  # short name for a long side (各项办理结果之和)
    rhs_name: str = ""
    target: str | None = None  # the total cell this identity defines (a blank one is derived, not compared)

    @property
    def severity(self) -> str:
        return severity_of(self.rule)

    @cached_property
    def cross_year(self) -> bool:
        return any(t.prev for t in self.terms)

    @cached_property
    def terms(self) -> tuple[Term, ...]:
        return self.lhs + self.rhs

    @cached_property
    def _cells(self) -> dict[bool, tuple[str, ...]]:
        return {prev: tuple(dict.fromkeys(t.cell for t in self.terms if t.prev == prev)) for prev in (False, True)}

    def cells(self, *, prev: bool = False) -> tuple[str, ...]:
        return self._cells[prev]

    @cached_property
    def _coefs(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(t.coef for t in self.lhs), tuple(t.coef for t in self.rhs)

    def compare(self, numbers) -> tuple[Decimal | int, Decimal | int, bool]:
        """(lhs, rhs, holds) for the terms' numbers given in ``terms`` order (decimals with tolerance)."""
        n = len(self.lhs)
        lhs_coefs, rhs_coefs = self._coefs
        lhs = sum(map(mul, lhs_coefs, numbers[:n]))
        rhs = sum(map(mul, rhs_coefs, numbers[n:]))
        # A side sums to an int exactly when all its numbers are whole: then there is nothing to tolerate.
        tol = 0 if type(lhs) is int and type(rhs) is int else tolerance(numbers)
        return lhs, rhs, (abs(lhs - rhs) <= tol if self.op == EQ else lhs <= rhs + tol)


def _apps_identities(fmt: Format) -> list[Identity]:
    apps = fmt.table("apps")
    parts = [c for c in apps.cols if not c.total]
    results = [r for r in apps.rows if r.result]
    out = []
    for row in apps.rows:
        out.append(
            Identity(
                "apps.row_total",
                f"apps.row_total:{row.id}",
                f"申请情况表「{apps.cell(row.id, 'total').row_label}」行",
                (Term(f"apps.{row.id}.total", label="总计"),),
                tuple(Term(f"apps.{row.id}.{c.id}", label=c.label) for c in parts),
                rhs_name="各类申请人之和",
                target=f"apps.{row.id}.total",
            )
        )
    for col in apps.cols:
        cid = lambda r: f"apps.{r}.{col.id}"  # noqa: E731 - tiny local helper
        subject = f"申请情况表「{col.label}」列"
        out.append(
            Identity(
                "apps.handled_sum",
                f"apps.handled_sum:{col.id}",
                subject,
                (Term(cid("handled_total"), label="（七）总计"),),
                tuple(Term(cid(r.id), label=apps.cell(r.id, col.id).row_label) for r in results),
                rhs_name="（一）至（六）各项办理结果之和",
                target=cid("handled_total"),
            )
        )
        out.append(
            Identity(
                "apps.balance",
                f"apps.balance:{col.id}",
                subject,
                (Term(cid("new"), label="一、本年新收"), Term(cid("carried_in"), label="二、上年结转")),
                (Term(cid("handled_total"), label="三、本年度办理结果（七）总计"), Term(cid("carried_out"), label="四、结转下年度继续办理")),
            )
        )
        out.append(
            Identity(
                "xyear.carried_in",
                f"xyear.carried_in:{col.id}",
                subject,
                (Term(cid("carried_in"), label="本年「二、上年结转政府信息公开申请数量」"),),
                (Term(cid("carried_out"), prev=True, label="上年报告「四、结转下年度继续办理」"),),
            )
        )
    return out


def _review_identities(table: Table) -> list[Identity]:
    out = []
    parts = [c for c in table.cols if not c.total]
    for row in table.rows:
        group = "›".join(row.groups + (row.label,))
        out.append(
            Identity(
                "review.total",
                f"review.total:{row.id}",
                f"复议诉讼表「{group}」",
                (Term(f"review.{row.id}.total", label="总计"),),
                tuple(Term(f"review.{row.id}.{c.id}", label=c.label) for c in parts),
                rhs_name="结果维持、结果纠正、其他结果、尚未审结之和",
                target=f"review.{row.id}.total",
            )
        )
    return out


def _art20_identities(fmt: Format) -> list[Identity]:
    out = []
    art = fmt.table("art20_1")
    for row in art.rows:
        subject = f"第二十条第（一）项「{row.label}」"
        c = lambda col: f"art20_1.{row.id}.{col}"  # noqa: E731
        if fmt.id == "2021":
            out.append(
                Identity(
                    "xyear.in_force",
                    f"xyear.in_force:{row.id}",
                    subject,
                    (Term(c("in_force"), label="本年现行有效件数"),),
                    (
                        Term(c("in_force"), prev=True, label="上年现行有效件数"),
                        Term(c("issued"), label="本年制发件数"),
                        Term(c("repealed"), coef=-1, label="本年废止件数"),
                    ),
                )
            )
        else:
            out.append(
                Identity(
                    "art20_1.published",
                    f"art20_1.published:{row.id}",
                    subject,
                    (Term(c("published"), label="本年新公开数量"),),
                    (Term(c("total_public"), label="对外公开总数量"),),
                    op=LE,
                )
            )
    if fmt.id == "2019":
        for table in fmt.tables:
            if not any(col.id == "prev_items" for col in table.cols):
                continue
            for row in table.rows:
                c = lambda col: f"{table.id}.{row.id}.{col}"  # noqa: E731
                out.append(
                    Identity(
                        "xyear.prev_items",
                        f"xyear.prev_items:{table.id}.{row.id}",
                        f"{table.title}「{row.label}」",
                        (Term(c("prev_items"), label="本年报告的上一年项目数量"),),
                        (
                            Term(c("prev_items"), prev=True, label="上年报告的上一年项目数量"),
                            Term(c("change"), prev=True, label="上年报告的本年增/减"),
                        ),
                    )
                )
    return out


@lru_cache(maxsize=None)
def identities_for(format_id: str) -> tuple[Identity, ...]:
    """Every identity of a format, in a stable order (the template numbers its check cells by it)."""
    fmt = get_format(format_id)
    return tuple(_art20_identities(fmt) + _apps_identities(fmt) + _review_identities(fmt.table("review")))


@lru_cache(maxsize=None)
def defining_identity(format_id: str) -> dict[str, Identity]:
    """total cell id -> the identity that defines it (used to derive a blank total).

    ``apps.handled_total.total`` is defined by both a row and a column sum; the column sum wins.
    """
    out: dict[str, Identity] = {}
    for ident in identities_for(format_id):
        if ident.target and (ident.target not in out or ident.rule == "apps.handled_sum"):
            out[ident.target] = ident
    return out


def tolerance(numbers) -> Decimal:
    """Half a unit of the last reported decimal place of any decimal term; 0 for whole numbers."""
    tol = Decimal(0)
    for n in numbers:
        if type(n) is Decimal:
            exp = n.as_tuple().exponent
            if isinstance(exp, int) and exp < 0:
                tol = max(tol, Decimal(1).scaleb(exp) / 2)
    return tol


@lru_cache(maxsize=None)
def sum_order(format_id: str) -> tuple[tuple[str, tuple[tuple[int, str], ...]], ...]:
    """(total, its parts as (coefficient, cell id)), each total after the totals it adds up."""
    defining = defining_identity(format_id)
    order: list = []
    done: set[str] = set()

    def visit(cid: str) -> None:
        if cid not in done:
            done.add(cid)
            for t in defining[cid].rhs:
                if t.cell in defining:
                    visit(t.cell)
            order.append((cid, tuple((t.coef, t.cell) for t in defining[cid].rhs)))

    for cid in defining:
        visit(cid)
    return tuple(order)


def derive_totals(format_id: str, parts: Callable[[str], object] | Mapping, totals: Collection[str], *, missing=None) -> dict:
    """The one derivation of totals from their parts: each total in ``totals`` as the sum of its parts,
    in dependency order. A part that is itself in ``totals`` counts with its derived value; any other
    part with ``parts(cell id)`` — or, given the report's values (cell id -> Value), as Excel's SUM counts
    it: a number as it is, text and blanks 0, an absent cell ``missing``. None (a part that cannot be
    used) makes the total None.

    The rules count text as unusable (a callable); the reader and the writer count as SUM does.
    """
    out: dict = {}
    if not totals:
        return out
    values = parts if isinstance(parts, Mapping) else None
    for cid, terms in sum_order(format_id):
        if cid in totals:
            total = 0
            for coef, part in terms:
                if part in totals:
                    x = out.get(part)
                elif values is not None:
                    v = values.get(part)
                    x = missing if v is None else v.number if v.kind == NUMBER else 0
                else:
                    x = parts(part)
                if x is None:
                    total = None
                    break
                total += coef * x
            out[cid] = total
    return out
