"""A1 addresses: the one place that turns "D6" into (row 6, column 4) and back.

Plain Python (no openpyxl: importing it costs ~0.3 s and the reader must start fast), cached where the
reader calls it per cell.
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str | bytes) -> int:
    """A -> 1, AA -> 27 (case and ``$`` ignored; bytes as found in sheet XML too)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii", "replace")
    col = 0
    for ch in letters.replace("$", "").upper():
        col = col * 26 + (ord(ch) - 64)
    return col


@lru_cache(maxsize=4096)
def split(address: str) -> tuple[int, int]:
    """"D6" -> (6, 4): 1-based row and column (``$`` allowed: "$D$6")."""
    address = address.replace("$", "")
    i = 0
    while i < len(address) and address[i].isalpha():
        i += 1
    return int(address[i:]), column_index(address[:i])


def join(row: int, col: int) -> str:
    """(6, 4) -> "D6"."""
    return f"{column_letter(col)}{row}"


def zero_based(address: str) -> tuple[int, int]:
    """"D6" -> (5, 3): the row and column index into a grid read from A1."""
    row, col = split(address)
    return row - 1, col - 1


def absolute(address: str) -> str:
    """"D6" -> "$D$6"."""
    row, col = split(address)
    return f"${column_letter(col)}${row}"


def sheet_absolute(sheet: str, address: str) -> str:
    """'依申请公开'!$D$6 — the form defined names and formulas use."""
    return f"'{sheet}'!{absolute(address)}"
