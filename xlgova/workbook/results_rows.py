"""The findings rows a run of the 校验 button left on 校验结果, read back: by the button (to keep a clerk's
已确认说明 across runs) and by the workbook reader (the explanations travel with the report)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from . import layout

COLUMNS = tuple(layout.RESULTS_COLUMNS)  # 序号 级别 规则 位置 说明 已确认说明
EXPLANATION_COL = COLUMNS.index("已确认说明")  # zero-based
FINGERPRINT_COL = layout.RESULTS_FINGERPRINT_COL  # K: after the template's summary columns (A–I) and a spare J
NOTE_COL = 11  # L
WIDTH = NOTE_COL + 1  # columns read and written: A..L


def header_row() -> int:
    """1-based row of the findings header (序号 级别 …); findings start on the next row."""
    return int(layout.RESULTS_HEADER_ROW)


@dataclass(frozen=True)
class OldRow:
    rule: str
    where: str
    message: str
    explanation: str
    fingerprint: str
    note_at: str


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _cells(row: Any) -> list[str]:
    row = row if isinstance(row, (list, tuple)) else [row]
    return [_text(row[i]) if i < len(row) else "" for i in range(WIDTH)]


def old_rows(grid: Sequence[Sequence[Any]] | None) -> list[OldRow]:
    """The rows a previous run wrote (grid anchored at A1), with what the clerk typed into 已确认说明."""
    out = []
    for row in (grid or [])[header_row():]:
        c = _cells(row)
        if any(c):
            out.append(OldRow(c[2], c[3], c[4], c[EXPLANATION_COL], c[FINGERPRINT_COL], c[NOTE_COL]))
    return out
