"""Importing published reports: text ≤ 50 ms per report, PDF ≤ 300 ms per page.

Baselines measured side by side in the same run:
- text: reading the lines and splitting every line into cells (what any importer must at least do);
- PDF: pdfplumber's raw ``extract_text()`` of every page (no tables, no report).
The PDF is made here from a random report: Word export (``xlgova.export``) or python-docx, then LibreOffice.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xlgova.importers import import_document, import_text  # noqa: E402
from xlgova.demo.samples import random_report  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
TEXT_BUDGET_MS, PDF_BUDGET_MS = 50, 300


def best(fn, repeat: int = 5, number: int = 5) -> float:
    """Median of ``repeat`` runs of ``number`` calls, in seconds per call."""
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - t) / number)
    return statistics.median(runs)


def naive_text(text: str) -> int:
    return sum(len(line.split("\t")) for line in text.split("\n"))


def _report_line(name: str, texts: list[str]) -> None:
    ours = best(lambda: [import_text(t) for t in texts]) / len(texts)
    base = best(lambda: [naive_text(t) for t in texts]) / len(texts)
    ok = "OK" if ours * 1000 <= TEXT_BUDGET_MS else "OVER BUDGET"
    print(f"{name} ({len(texts)} documents): {ours * 1000:7.2f} ms each   baseline split lines/cells {base * 1000:6.3f} ms   "
          f"ratio ×{ours / base:,.0f}   budget {TEXT_BUDGET_MS} ms: {ok}")


def bench_text() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from import_support import render_text
    from shape_support import glued, narrow_labels, render_layout, single_spaces, zeros_blank

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] if SEEDS.exists() else []
    if not texts:
        texts = [render_text(random_report(s, "2021"), layout) for s in range(5) for layout in ("tabs", "pipes", "cells")]
    _report_line("text report", texts)
    reports = [random_report(s, f) for s in range(4) for f in ("2021", "2019")]
    _report_line("text copied from a PDF (runs of spaces)", [render_layout(r) for r in reports])
    _report_line("text copied from a PDF, narrow label columns", [narrow_labels(r, centred=c) for r in reports for c in (False, True)])
    _report_line("scraped page, cells glued together", [glued(r) for r in reports])
    blanked = [zeros_blank(random_report(s, f)) for s in range(4) for f in ("2021", "2019")]
    _report_line("copied without layout, zeros printed blank (single spaces)", [single_spaces(r) for r in blanked])


def make_pdf(folder: Path) -> Path | None:
    from xlgova.workbook import libreoffice

    if not libreoffice.available():
        print("PDF: LibreOffice is not installed: PDF benchmark SKIPPED")
        return None
    report = random_report(3, "2021")
    try:
        from xlgova.export import render_docx
    except ImportError:
        sys.path.insert(0, str(ROOT / "tests"))
        from import_support import render_docx
    docx = render_docx(report, folder / "report.docx")
    return Path(libreoffice.convert(docx, "pdf", folder))


def bench_pdf() -> None:
    import pdfplumber

    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp))
        if pdf is None:
            return
        with pdfplumber.open(str(pdf)) as doc:
            pages = len(doc.pages)

        def raw():
            with pdfplumber.open(str(pdf)) as doc:
                return [p.extract_text() for p in doc.pages]

        ours = best(lambda: import_document(pdf), repeat=3, number=2) / pages
        base = best(raw, repeat=3, number=2) / pages
        ok = "OK" if ours * 1000 <= PDF_BUDGET_MS else "OVER BUDGET"
        print(f"PDF ({pages} pages): {ours * 1000:7.1f} ms per page   baseline pdfplumber extract_text {base * 1000:6.1f} ms per page   "
              f"ratio ×{ours / base:.2f}   budget {PDF_BUDGET_MS} ms: {ok}")


def bench_office() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from import_support import render_docx, render_html

    report = random_report(5, "2021")
    with tempfile.TemporaryDirectory() as tmp:
        docx = render_docx(report, Path(tmp) / "r.docx")
        html = Path(tmp) / "r.html"
        html.write_text(render_html(report), encoding="utf-8")
        for name, path in (("docx", docx), ("html", html)):
            print(f"{name}: {best(lambda: import_document(path)) * 1000:7.1f} ms per report")


if __name__ == "__main__":
    bench_text()
    bench_office()
    bench_pdf()
