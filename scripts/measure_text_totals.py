"""Key cells read from text without positions, zeros printed blank (docs/import.md, 从 PDF 复制的文字).

    python scripts/measure_text_totals.py [--seeds 10]

The project's own random reports (2019 and 2021 format, seeds 0..N-1), with zeros printed blank in four
ways, as single-space text (``shape_support.single_spaces``) and as pdfplumber's ``extract_text()`` of a
PDF drawn from their layout text (``pdf_support.glyph_pdf``, a page number and running header on every page).
Prints per shape: key cells right / unread / wrong, cells read otherwise than printed, reports with an error.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pdf_support import glyph_pdf  # noqa: E402
from shape_support import blank_columns, render_layout, single_spaces, with_blanks, zeros_blank  # noqa: E402
from test_import_pdf_text import plumber_text  # noqa: E402
from xlgova.demo.samples import random_report  # noqa: E402
from xlgova.importers import import_text  # noqa: E402
from xlgova.rules import validate  # noqa: E402

KEYS = ("apps.new.total", "apps.carried_in.total", "apps.handled_total.total", "apps.carried_out.total",
        "review.reconsideration.total", "review.suit_direct.total", "review.suit_after.total")
SHAPES = {
    "random-zeros": lambda r, seed: with_blanks(r, random.Random(seed)),  # half the zeros, picked at random
    "all-zeros": lambda r, seed: zeros_blank(r),
    "legal-persons": lambda r, seed: blank_columns(r, ("business", "research", "nonprofit", "legal", "other")),
    "totals-printed": lambda r, seed: zeros_blank(r, keep_totals=True),
}


def _plumber(report, folder: Path) -> str:
    lines = render_layout(report, footer_every=10**6).split("\n")
    pages = [lines[i:i + 33] for i in range(0, len(lines), 33)]
    return plumber_text(glyph_pdf(folder / "r.pdf", pages, header=report.agency, footer="{page}"))


def measure(channel: str, shape: str, seeds: int, folder: Path) -> str:
    t = dict(right=0, unread=0, wrong=0, keys=0, cells_wrong=0, errors=0)
    for fmt in ("2019", "2021"):
        for seed in range(seeds):
            want = SHAPES[shape](random_report(seed, fmt, agency="红星镇人民政府"), seed)
            got = import_text(single_spaces(want) if channel == "spaces" else _plumber(want, folder))
            w, g = want.to_json()["values"], got.to_json()["values"]
            t["keys"] += len(KEYS)
            t["right"] += sum(g.get(k, "unread") == w[k] for k in KEYS)
            t["unread"] += sum(k not in g for k in KEYS)
            t["wrong"] += sum(k in g and g[k] != w[k] for k in KEYS)
            t["cells_wrong"] += sum(1 for c in g if g[c] != w.get(c))
            t["errors"] += bool(validate(got).rules("error"))
    return (f"{channel} {shape}: key cells right {t['right']}/{t['keys']}, unread {t['unread']}, wrong {t['wrong']}; "
            f"cells read otherwise than printed {t['cells_wrong']}; reports with an error {t['errors']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="xlgova-text-totals-") as tmp:
        for channel in ("spaces", "extract_text"):
            for shape in SHAPES:
                print(measure(channel, shape, args.seeds, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
