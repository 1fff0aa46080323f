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


def _by_start() -> list[Format]:
    return sorted(FORMATS.values(), key=lambda f: f.years[0])


def format_for_year(year: int) -> Format:
    """The format an agency must use for a statistics year, from each format's ``years`` (2019–2020 ⇒
    2019, 2021 on ⇒ 2021); a year before every format takes the first one, after every format the last."""
    ordered = _by_start()
    for fmt in ordered:
        if fmt.covers(year):
            return fmt
    return ordered[0] if year < ordered[0].years[0] else ordered[-1]


def key_hits(text: str, fold=None) -> dict[str, list[str]]:
    """format id -> its detection keys (header words only that format uses) found in ``text``; ``fold``
    normalises both sides (the importer folds full-width characters and spaces)."""
    fold = fold or (lambda t: t)
    return {fid: sorted(k for k in fmt.detection_keys if fold(k) in text) for fid, fmt in FORMATS.items()}


def detect_format(text: str = "", year: int | None = None, *, fold=None) -> str | None:
    """The one format detection from content: the format whose detection keys ``text`` holds (a clear
    winner only), else the format of the statistics ``year``, else None. Declared versions and defined
    names are the caller's stronger evidence; this is what is left when they say nothing."""
    hits = key_hits(text, fold) if text else {}
    scores = {fid: len(v) for fid, v in hits.items()}
    best = max(scores.values(), default=0)
    winners = [fid for fid, n in scores.items() if n == best]
    if best and len(winners) == 1:
        return winners[0]
    return format_for_year(year).id if isinstance(year, int) and not isinstance(year, bool) else None


def latest_format() -> Format:
    """The format in use now (the default where nothing tells the formats apart)."""
    return _by_start()[-1]


def year_formula(year_ref: str) -> str:
    """An Excel formula giving the format id a statistics year in ``year_ref`` must use (the 校验结果
    sheet's format.year check), generated from ``Format.years``: IF(B4<=2020,"2019","2021")."""
    ordered = _by_start()
    formula = f'"{ordered[-1].id}"'
    for fmt in reversed(ordered[:-1]):
        formula = f'IF({year_ref}<={fmt.years[1]},"{fmt.id}",{formula})'
    return formula


__all__ = [
    "AMOUNT", "AMOUNT_FREE", "COUNT", "SIGNED", "GRID", "SPREAD", "KIND_LABELS",
    "Cell", "Column", "Format", "Row", "Section", "Table",
    "FORMATS", "FORMAT_IDS", "get_format", "format_for_year", "detect_format", "key_hits", "latest_format", "year_formula",
]
