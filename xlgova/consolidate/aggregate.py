"""Totals with pandas: the sums of the counted agencies, the summary report, the figures the charts show."""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from ..formats import COUNT, get_format
from ..model import Report, parse_value
from ..workbook.layout import KIND_SUMMARY
from .record import AgencyRecord

OUTCOMES = (
    ("予以公开", ("granted",)),
    ("部分公开", ("partial",)),
    ("不予公开", ("denied_",)),
    ("无法提供", ("unavailable_",)),
    ("不予处理", ("rejected_",)),
    ("其他处理", ("other", "other_")),
)
BUCKETS = ((0, 0, "0 件"), (1, 5, "1–5 件"), (6, 20, "6–20 件"), (21, 50, "21–50 件"), (51, 100, "51–100 件"), (101, None, "100 件以上"))
KEY_FIGURES = (
    ("新收申请", ("apps.new.total",)),
    ("办理完毕", ("apps.handled_total.total",)),
    ("予以公开", ("apps.granted.total",)),
    ("行政复议", ("review.reconsideration.total",)),
    ("行政诉讼", ("review.suit_direct.total", "review.suit_after.total")),
)


def frame(records: list[AgencyRecord], format_id: str) -> pd.DataFrame:
    """One row per counted agency, one column per cell: what the totals add up."""
    fmt = get_format(format_id)
    rows = [r.sums for r in records if r.included]
    columns = list(zip(*rows)) if rows else [()] * len(fmt.cells)
    data = {}
    for (cid, cell), values in zip(fmt.cells.items(), columns):
        if cell.kind == COUNT or cell.kind == "signed":
            data[cid] = _counts(values)
        else:
            data[cid] = pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=list(fmt.cells))


def _counts(values: tuple) -> np.ndarray:
    """A count column as int64: text (None) counts 0. Whole numbers, nearly always, without pandas' coercion."""
    if all(type(v) is int or v is None for v in values):
        return np.fromiter((0 if v is None else v for v in values), dtype=np.int64, count=len(values))
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").fillna(0).astype(np.int64).to_numpy()


def totals(df: pd.DataFrame, format_id: str) -> dict[str, int | Decimal]:
    """Sums per cell. Counts add as int64; amounts as Decimal, never binary floats."""
    fmt = get_format(format_id)
    out: dict[str, int | Decimal] = {}
    ints = [c for c in df.columns if df[c].dtype == np.int64]
    sums = df[ints].sum() if ints else {}
    for cid, cell in fmt.cells.items():
        if cid in sums:
            out[cid] = int(sums[cid])
        else:
            out[cid] = sum((v for v in df[cid] if isinstance(v, (int, Decimal))), Decimal(0))
    return out


def summary_report(sums: dict, *, area: str, year: int | None, format_id: str, agencies: int) -> Report:
    values = {cid: parse_value(v) for cid, v in sums.items()}
    report = Report(agency=area, year=year, format_id=format_id, values=values)
    report.meta = {"kind": KIND_SUMMARY, "agencies": agencies}
    n, out = sums.get("apps.new.total", 0), sums.get("apps.carried_out.total", 0)
    apply = f"共收到政府信息公开申请{n}件，结转下年度继续办理{out}件" if n else "各单位均未收到政府信息公开申请"
    report.sections = {
        "一": f"本表汇总{area}{agencies}个单位{year or ''}年度政府信息公开工作年度报告的统计数据，{apply}。各单位的数据见“明细”工作表，校验情况见“校验情况”工作表。",
        "五": "各单位存在的问题及改进情况见其年度报告。",
        "六": "无其他需要报告的事项。",
    }
    return report


def _pick(sums: dict, prefixes: tuple[str, ...], col: str = "total") -> int:
    total = 0
    for cid, v in sums.items():
        parts = cid.split(".")
        if parts[0] == "apps" and parts[2] == col and any(parts[1] == p or (p.endswith("_") and parts[1].startswith(p)) for p in prefixes):
            total += int(v or 0)
    return total


def outcomes(sums: dict) -> list[tuple[str, int]]:
    """Applications by outcome (（一）–（六）), for the pie/bar chart."""
    return [(label, _pick(sums, prefixes)) for label, prefixes in OUTCOMES]


def buckets(df: pd.DataFrame) -> list[tuple[str, int]]:
    """How many agencies received how many applications."""
    new = df["apps.new.total"] if "apps.new.total" in df else pd.Series(dtype=np.int64)
    out = []
    for low, high, label in BUCKETS:
        mask = new >= low if high is None else (new >= low) & (new <= high)
        out.append((label, int(mask.sum())))
    return out


def key_figures(sums: dict) -> list[tuple[str, int]]:
    return [(label, int(sum(int(sums.get(c) or 0) for c in cells))) for label, cells in KEY_FIGURES]


def previous_report(reports: list[Report], format_id: str, area: str, year: int | None) -> Report | None:
    """Last year's totals of the cells the cross-year rules read: the summary's own 上年数据 sheet."""
    from ..rules import Numbers
    from ..workbook.layout import previous_cells

    if not reports:
        return None
    numbers = [Numbers(r) for r in reports]
    values = {}
    for cid in previous_cells(format_id):
        parts = [n.get(cid) for n, r in zip(numbers, reports) if cid in r.format.cells]
        if parts and all(p is not None for p in parts):
            values[cid] = parse_value(sum(parts))
    prev_format = reports[0].format_id
    return Report(agency=area, year=year - 1 if year else None, format_id=prev_format if all(r.format_id == prev_format for r in reports) else format_id, values=values)


def previous_sums(reports: list[Report], extra: tuple[str, ...] = ()) -> dict:
    """Last year's totals over the archive's agencies (only the cells the key figures and ``extra`` need)."""
    out: dict[str, int] = {}
    for c in dict.fromkeys([c for _, cells in KEY_FIGURES for c in cells] + list(extra)):
        having = [r for r in reports if c in r.format.cells]
        if having or c not in extra:  # a cell last year's format lacks is unknown, not 0 (同比 leaves it blank)
            out[c] = sum(r.number(c) or 0 for r in having)
    return out
