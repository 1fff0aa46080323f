"""LibreOffice calculates the template the way the Python rules judge it, and prints it like the official tables."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from template_support import FORMATS, cached_values, cases, compare, consistent, fill, recalculate_many
from xlgova.formats import get_format
from xlgova.workbook.template import save_template

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]
N = int(os.environ.get("XLGOVA_TEMPLATE_LO_CASES", "8"))


@pytest.mark.parametrize("format_id", FORMATS)
def test_libreoffice_agrees_with_rules(format_id, tmp_path, libreoffice):
    template = save_template(format_id, tmp_path / "template.xlsx")
    todo = cases(format_id, N, seed=7 + int(format_id))
    typed = cases(format_id, 40, seed=99)
    todo += [c for c in typed if "total_typed" in c.changes or "total_blank" in c.changes][:4]
    paths = []
    for i, case in enumerate(todo):
        fill(template, case, tmp_path / f"case{i:03d}.xlsx")
        paths.append(tmp_path / f"case{i:03d}.xlsx")
    out = recalculate_many(paths, tmp_path / "calc")
    bad = []
    for case, path in zip(todo, out):
        bad += compare(case, cached_values(path, format_id))
    assert not bad, "\n".join(bad[:20])


def test_writer_output_calculates_to_pass(tmp_path, libreoffice):
    """A consistent report written by write_workbook into the committed template shows 通过 in LibreOffice."""
    import random

    from xlgova.workbook import write_workbook

    case = consistent(random.Random(5), "2021", with_previous=True)
    from template_support import report_of

    report, previous = report_of(case)
    report.previous = previous
    path = write_workbook(report, tmp_path / "filled.xlsx")
    values = cached_values(recalculate_many([path], tmp_path / "calc")[0], "2021")
    assert values["status"] == "通过", values


@pytest.mark.parametrize("format_id", FORMATS)
def test_template_prints_like_the_official_tables(format_id, tmp_path, libreoffice):
    """One A4 page per sheet, every label of the tables present in the PDF text (nothing cut off)."""
    pdf = libreoffice.convert(save_template(format_id, tmp_path / f"xlgova-{format_id}.xlsx"), "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           7" in info
    assert "595.3" in info and "841.89" in info  # A4 (portrait and landscape pages report the same box)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    fmt = get_format(format_id)
    for table in fmt.tables:
        for label in [r.label for r in table.rows] + [c.label for c in table.cols]:
            label = "".join(label.split())  # a wrapped label may interleave with its neighbours' lines
            assert label[:7] in flat and label[-7:] in flat, f"{label} missing from the printed {table.id}"
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in flat
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
        pngs = sorted(tmp_path.glob("page-*.png"))
        assert len(pngs) == 7 and all(p.stat().st_size > 2000 for p in pngs)
