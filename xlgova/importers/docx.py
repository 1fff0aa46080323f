"""Word .docx -> lines: paragraphs and table rows in document order (python-docx).

A merged cell appears once per row (python-docx repeats a horizontally merged cell at every grid column
it spans; the repeats are dropped). Provenance names the table, row and column as a clerk counts them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import Source, XlgovaError

REOBTAIN = "请在 Word 或 WPS 中打开后另存一份 .docx，或向报送单位重新索取原文件。"
from .document import Cell, Line
from .normalize import clean_line, to_simplified


def docx_lines(path: str | Path) -> list[Line]:
    p = Path(path)
    from ..safezip import check_document

    check_document(p)  # empty, foreign, encrypted, zip bombs, DOCTYPE entities: refused with a clear message
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(p))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise XlgovaError(f"不是有效的 Word 文档（.docx）：{e}", path=p, hint=REOBTAIN) from None
    except Exception as e:  # python-docx raises assorted errors on damaged packages
        raise XlgovaError(f"Word 文档已损坏，无法打开（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    lines: list[Line] = []
    n_table = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            for part in (block.text or "").split("\n"):
                text = clean_line(to_simplified(part))
                src = Source(file=str(p), line=len(lines) + 1, text=text or None)
                lines.append(Line([Cell(text, src)], src, text))
        elif isinstance(block, Table):
            n_table += 1
            lines.extend(_table_lines(block, n_table, str(p), len(lines)))
            lines.append(Line([Cell("", Source(file=str(p)))], Source(file=str(p)), ""))  # the table ends here
    return lines


def _table_lines(table, n_table: int, file: str, offset: int) -> list[Line]:
    out = []
    for r, row in enumerate(table.rows, 1):
        cells, seen = [], []
        for c, cell in enumerate(row.cells, 1):
            if seen and cell._tc is seen[-1]:
                continue  # a horizontally merged cell, already taken
            seen.append(cell._tc)
            text = clean_line(to_simplified("".join(p.text for p in cell.paragraphs)))
            cells.append(Cell(text, Source(file=file, address=f"表{n_table}第{r}行第{len(cells) + 1}列", text=text or None)))
        row_text = "\t".join(c.text for c in cells)
        src = Source(file=file, address=f"表{n_table}第{r}行", text=row_text)
        out.append(Line(cells, src, row_text, table_row=True))
    return out
