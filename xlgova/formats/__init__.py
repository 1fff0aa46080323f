"""The official report formats as data: the one source of truth for every other part of xlgova.

>>> f = get_format("2021")
>>> f.cell("apps.new.natural").label
'申请情况表「一、本年新收政府信息公开申请数量」「自然人」'
>>> format_for_year(2020).id
'2019'
"""
from __future__ import annotations

from . import v2019, v2021
from .schema import AMOUNT, AMOUNT_FREE, COUNT, GRID, KIND_LABELS, SIGNED, SPREAD, Cell, Column, Format, Row, Section, Table

FORMATS: dict[str, Format] = {"2021": v2021.FORMAT, "2019": v2019.FORMAT}
FORMAT_IDS = tuple(FORMATS)


def get_format(format_id: str | int) -> Format:
    try:
        return FORMATS[str(format_id)]
    except KeyError:
        raise KeyError(f"未知的报告格式版本：{format_id}（可用：{'、'.join(FORMATS)}）") from None


def format_for_year(year: int) -> Format:
    """The format an agency must use for a statistics year (≤ 2020 ⇒ 2019, ≥ 2021 ⇒ 2021)."""
    return FORMATS["2019"] if year <= 2020 else FORMATS["2021"]


__all__ = [
    "AMOUNT", "AMOUNT_FREE", "COUNT", "SIGNED", "GRID", "SPREAD", "KIND_LABELS",
    "Cell", "Column", "Format", "Row", "Section", "Table",
    "FORMATS", "FORMAT_IDS", "get_format", "format_for_year",
]
