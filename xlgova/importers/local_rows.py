"""Rows an agency adds to a table of the format (行政检查, 行政确认… under 其他对外管理服务事项; 其他主动公开文件).

A local row is short plain text that names no row of the format, is no header word, subtotal or piece of a
wrapped label, and has values after it. It is not read; its values never go to an official row. Its label
may run into the official label over it ("其他对外管理服务事项行政检查": a merged cell printed on its first
sub-row's line), and the official row's own values may stand in a 小计 line among its sub-rows.
"""
from __future__ import annotations

import re

from ..model import HAN
from ..formats import Table
from .lines import Cell
from .normalize import canon_numbering, fold, is_value_text, strip_numbering, strip_trailing_paren


def header_words(table: Table) -> set[str]:
    words = [r.label for r in table.rows] + [g for r in table.rows for g in r.groups] + [c.label for c in table.cols]
    return {fold(w) for w in words}


SUBTOTAL_WORDS = ("小计", "合计")  # a local subtotal row, or the official row's own line among its sub-rows


def subtotal_of(key: str) -> str | None:
    """"行政许可小计" -> "行政许可"; "小计" -> ""; None when the text is no subtotal."""
    key = key.rstrip(":：")
    for w in SUBTOTAL_WORDS:
        if key.endswith(w):
            return key[: -len(w)]
    return None


MIN_JOINED = 4  # characters of a sub-row label run into its official label (行政检查); 行政许可事项 is no such thing


def joined_label(key: str, keys, nxt: int, table: Table) -> tuple[int, str] | None:
    """(row, local label) when an official label runs into a local sub-row's label in one cell (a merged
    label cell printed on its first sub-row's line): "其他对外管理服务事项行政检查"."""
    key = strip_numbering(key)
    pieces = "|".join(header_words(table))
    for j in range(nxt, len(keys)):
        for k in keys[j][1]:
            rest = key[len(k) :]
            if len(k) >= 4 and len(rest) >= MIN_JOINED and key.startswith(k) and _is_local_label(rest, pieces):
                return j, rest
    return None


def _is_local_label(key: str, pieces: str) -> bool:
    return 2 <= len(key) <= MAX_LOCAL and subtotal_of(key) is None and bool(_LOCAL_LABEL.match(key)) and not _in_labels(key, pieces)


MAX_LOCAL = 16  # characters of a local row's label (行政检查, 其他主动公开文件); longer text is a note


def local_labels(table: Table, toks: list[Cell | None], labelled: set[int]) -> dict[int, str]:
    """token index -> label of a row the format does not have (行政检查 added under 其他对外管理服务事项):
    short text naming no row, not a header word, a subtotal or a piece of a wrapped label, with values after it."""
    words = header_words(table) | {fold(table.title), fold(table.corner)}
    pieces = "|".join(words)
    out: dict[int, str] = {}
    for i, tok in enumerate(toks):
        if i in labelled or tok is None or not tok.text or is_value_text(tok.text):
            continue
        if _is_local_label(strip_numbering(tok.key), pieces) and values_follow(toks, i + 1):
            out[i] = tok.text.strip()
    return out


_LOCAL_LABEL = re.compile(r"^(?:其中[:：]?)?[" + HAN + r"]+$")  # plain words, no punctuation (wrapped pieces have some)


def _in_labels(key: str, pieces: str) -> bool:
    """A piece of the table's own words (a header, a wrapped label's tail, a group label printed in pieces),
    maybe after a margin fragment: the whole text or its last three characters or more."""
    return any(key[k:] in pieces for k in range(max(len(key) - 2, 1)))


def values_follow(toks: list[Cell | None], start: int) -> bool:
    for tok in toks[start:]:
        if tok is None:
            continue
        if not is_value_text(tok.text):
            return False
        if tok.text:
            return True
    return False


MIN_LONG_ROWS = 3  # rows one cell too long that show a column the agency added


def _without_leading_blanks(cells: list[Cell], width: int) -> list[Cell]:
    k = 0
    while len(cells) - k > width and not cells[k].text:
        k += 1  # blank cells of merged label columns
    return cells[k:]


def local_column(format_id: str, rows) -> int | None:
    """The position of a column the agency added (a 合计 of the 法人 columns) in a table whose rows are one
    cell too long: the one position whose removal makes every such row's own sums hold, its cell printed
    non-zero somewhere (a column of zeros or blanks proves nothing). None when no position, or several, do."""
    from .repair import consistent

    long = [(rr, cells) for rr in rows if len(cells := _without_leading_blanks(rr.cells, rr.expected + 1)) == rr.expected + 1]
    if len(long) < MIN_LONG_ROWS or 2 * len(long) < sum(1 for rr in rows if rr.cells):
        return None
    width = long[0][0].expected + 1
    fits = []
    for k in range(width):
        if not any(cells[k].text.strip() not in ("", "0") for _, cells in long):
            continue
        if all(_holds_without(format_id, rr, cells, k, consistent) for rr, cells in long):
            fits.append(k)
    same = all(len({tuple(c.text for c in cells[:k] + cells[k + 1 :]) for k in fits}) == 1 for _, cells in long)
    return fits[0] if fits and same else None  # several positions fit only when they read the same (equal columns)


def _holds_without(format_id: str, rr, cells: list[Cell], k: int, consistent) -> bool:
    agreed = consistent(format_id, rr.cell_ids, [cells[:k] + cells[k + 1 :]], {})
    return len(agreed) == 1 and agreed[0][0] is not None


def drop_column(rows, k: int) -> None:
    """The added column's cell taken out of every row one cell too long."""
    for rr in rows:
        cells = _without_leading_blanks(rr.cells, rr.expected + 1)
        if len(cells) == rr.expected + 1:
            rr.cells = cells[:k] + cells[k + 1 :]


def prefer_exact(toks: list[Cell | None], keys, pos_label: list[tuple[int, int]]):
    """A label matched with words before it ("涉企行政处罚") gives way to the row's own label further on
    ("行政处罚"), before the next row's: the first one was a row of the agency's (returned as demoted)."""
    out, demoted = [], []
    for n, (i, j) in enumerate(pos_label):
        stop = pos_label[n + 1][0] if n + 1 < len(pos_label) else len(toks)
        if not _exact(toks[i].key, keys[j][1]):
            own = next((k for k in range(i + 1, stop) if toks[k] is not None and toks[k].text and _exact(toks[k].key, keys[j][1])), i)
            if own != i:
                demoted.append(i)
            i = own
        out.append((i, j))
    return out, demoted


def _exact(key: str, keys: tuple[str, ...]) -> bool:
    core = strip_numbering(canon_numbering(key))
    return key in keys or core in keys or strip_trailing_paren(core) in keys


def subtotal_values(toks: list[Cell | None], start: int, stop: int, local: dict[int, str], row_values) -> list[Cell] | None:
    """A label over local sub-rows: its own values are on its 小计 line among them (read by ``row_values``),
    if there is one; None when there is none."""
    for i in range(start, stop):
        tok = toks[i]
        if tok is not None and i not in local and tok.text and subtotal_of(tok.key) == "":
            return row_values(toks, i + 1, stop, local)
    return None
