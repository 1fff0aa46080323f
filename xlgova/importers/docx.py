"""Word .docx -> lines: paragraphs and table rows in document order (python-docx).

A merged cell appears once (its ``w:tc``), the continuation of a vertical merge as an empty cell; the
grid is never expanded, so a hostile ``gridSpan`` costs nothing. Provenance names the table, row and column as a clerk counts them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import Source
from ..errors import XlgovaError

REOBTAIN = "请在 Word 或 WPS 中打开后另存一份 .docx，或向报送单位重新索取原文件。"
from .bounds import Budget
from .lines import Cell, Line
from .normalize import clean_line, document_script, to_simplified


def docx_lines(path: str | Path, budget: Budget | None = None, *, source: str | None = None) -> list[Line]:
    """``budget``: the document's time budget (one is started here when not given); ``source``: the name the
    provenance gives (the .doc a converted copy came from), ``path`` by default."""
    p = Path(path)
    budget = budget or Budget(p)
    from ..ooxml.guard import check_document

    parts: dict[str, bytes] = {}
    check_document(p, collect=parts)  # empty, foreign, encrypted, zip bombs, DOCTYPE entities: refused with a clear message
    from .bounds import check_docx_body

    for name, xml in parts.items():  # tables, their nesting and elements counted before python-docx parses
        if name.startswith("word/"):
            check_docx_body(xml, p)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(p))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise XlgovaError(f"不是有效的 Word 文档（.docx）：{e}", path=p, hint=REOBTAIN) from None
    except Exception as e:  # python-docx raises assorted errors on damaged packages
        raise XlgovaError(f"Word 文档已损坏，无法打开（{type(e).__name__}）", path=p, hint=REOBTAIN) from None
    try:
        budget.check()
        from docx.oxml.ns import qn

        whole = "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
        with document_script(whole):  # traditional or not: decided once for the document, table cells included
            return _lines(document, source or str(p), Paragraph, Table, budget)
    except XlgovaError:
        raise
    except Exception as e:  # malformed document.xml: python-docx fails in many ways
        raise XlgovaError(f"Word 文档内容已损坏，无法读取（{type(e).__name__}）", path=p, hint=REOBTAIN) from None


def _lines(document, file: str, Paragraph, Table, budget: Budget) -> list[Line]:
    lines: list[Line] = []
    n_table = 0
    for block in document.iter_inner_content():
        budget.tick()
        if isinstance(block, Paragraph):
            for part in (block.text or "").split("\n"):
                text = clean_line(to_simplified(part))
                src = Source(file=file, line=len(lines) + 1, text=text or None)
                lines.append(Line([Cell(text, src)], src, text))
        elif isinstance(block, Table):
            n_table += 1
            lines.extend(_table_lines(block, n_table, file, budget))
            lines.append(Line([Cell("", Source(file=file))], Source(file=file), ""))  # the table ends here
    return lines


def _table_lines(table, n_table: int, file: str, budget: Budget) -> list[Line]:
    """One line per row, one cell per ``w:tc``: a merged cell once, the rest of a vertical merge empty."""
    from docx.table import _Cell

    out = []
    for r, tr in enumerate(table._tbl.tr_lst, 1):
        cells = []
        for tc in tr.tc_lst:
            budget.tick()
            cell = _Cell(tc, table)
            text = clean_line(to_simplified("".join(p.text for p in cell.paragraphs)))
            cells.append(Cell(text, Source(file=file, address=f"表{n_table}第{r}行第{len(cells) + 1}列", text=text or None)))
        row_text = "\t".join(c.text for c in cells)
        src = Source(file=file, address=f"表{n_table}第{r}行", text=row_text)
        out.append(Line(cells, src, row_text, table_row=True))
    return out
