"""Cells read, doubtful and wrong when the project's sample reports come back through a PDF (docs/import.md).

    python scripts/measure_layout_columns.py [--out DIR] [--seeds 10] [SHAPE[-unruled] ...]

For each shape (which zeros or columns are printed blank) the project's own random reports (2019 and 2021
format, seeds 0..N-1) go through the Word export -> LibreOffice PDF -> ``pdftotext -layout`` and are imported
from that text; ``SHAPE-unruled`` removes the tables' rules and imports the PDF itself. Prints one line per
shape: cells read / doubtful / read differently from what was printed, key cells right, reports with an
error. Generated files go to ``--out`` (default: a temporary folder), never into the project.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from import_support import without_rules  # noqa: E402
from shape_support import blank_columns, with_blanks, zeros_blank  # noqa: E402
from xlgova.demo.samples import random_report  # noqa: E402
from xlgova.export import render_docx  # noqa: E402
from xlgova.importers import import_document, import_text  # noqa: E402
from xlgova.model import BLANK_VALUE, parse_value  # noqa: E402
from xlgova.rules import validate  # noqa: E402
from xlgova.workbook import libreoffice  # noqa: E402

KEYS = ("apps.new.total", "apps.carried_in.total", "apps.handled_total.total", "apps.carried_out.total",
        "review.reconsideration.total", "review.suit_direct.total", "review.suit_after.total")


def _no_applications(report):
    for c in report.format.table("apps").cells:
        report.values[c.id] = parse_value(0) if c.id.endswith(".total") else BLANK_VALUE
    return report


SHAPES = {
    "all-zeros": zeros_blank,  # every 0 printed blank
    "legal-other": blank_columns,  # 法律服务机构 and 其他 blank throughout, other zeros printed
    "legal-persons": lambda r: blank_columns(r, ("business", "research", "nonprofit", "legal", "other")),
    "totals-printed": lambda r: zeros_blank(r, keep_totals=True),  # every row's 总计 printed, other zeros blank
    "no-applications": _no_applications,  # table 三 all 0, printed only under 总计
    "half-zeros": None,  # half the zeros printed blank (no column blank throughout: for comparison)
}


def report_for(shape: str, seed: int, fmt: str):
    import random

    r = random_report(seed, fmt, agency="红星镇人民政府")
    make = SHAPES[shape]
    return with_blanks(r, random.Random(seed)) if make is None else make(r)


def measure(shape: str, out: Path, seeds: int) -> str:
    base, unruled = shape.removesuffix("-unruled"), shape.endswith("-unruled")
    folder = out / shape
    folder.mkdir(parents=True, exist_ok=True)
    totals = dict(cells=0, read=0, doubtful=0, wrong=0, keys=0, key_cells=0, errors=0)
    for fmt in ("2019", "2021"):
        for seed in range(seeds):
            want = report_for(base, seed, fmt)
            docx = render_docx(want, folder / f"{fmt}_{seed}.docx")
            pdf = libreoffice.convert(without_rules(docx) if unruled else docx, "pdf", folder)
            if unruled:
                got = import_document(pdf)
            else:
                subprocess.run(["pdftotext", "-layout", str(pdf), str(pdf.with_suffix(".txt"))], check=True)
                got = import_text(pdf.with_suffix(".txt").read_text(encoding="utf-8"))
            _count(totals, want, got)
    t = totals
    return (f"{shape}: {t['cells']} cells, read {t['read']}, doubtful {t['doubtful']}, wrong {t['wrong']}; "
            f"key cells right {t['keys']}/{t['key_cells']}; reports with an error {t['errors']}")


def _count(t: dict, want, got) -> None:
    w, g = want.to_json()["values"], got.to_json()["values"]
    doubtful = {c for f in got.findings if f.rule == "doc.row_doubtful" for c in f.cells}
    t["cells"] += len(w)
    t["read"] += sum(1 for c in w if c in g)
    t["doubtful"] += len(doubtful & set(w))
    t["wrong"] += sum(1 for c in w if c in g and g[c] != w[c])
    t["key_cells"] += sum(1 for k in KEYS if k in w)
    t["keys"] += sum(1 for k in KEYS if k in w and k in g and g[k] == w[k])
    t["errors"] += bool(validate(got).rules("error"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shapes", nargs="*", default=[s for s in SHAPES] + [f"{s}-unruled" for s in SHAPES])
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlgova-layout-") as tmp:
        for shape in args.shapes:
            print(measure(shape, args.out or Path(tmp), args.seeds), flush=True)


if __name__ == "__main__":
    main()
