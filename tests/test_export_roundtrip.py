"""Done-when of the Word export: export -> import the .docx with the importer -> the same report."""
from __future__ import annotations

from decimal import Decimal

import pytest

from xlgova.export import render_docx
from xlgova.export.report_docx import narrative_paragraphs
from xlgova.formats import FORMAT_IDS
from xlgova.model import parse_value
from xlgova.demo.samples import random_report


def _comparable(value):
    if value is None or value.is_blank:
        return ("blank",)
    if value.is_number:
        return ("number", Decimal(value.number))
    return (value.kind, (value.raw or "").strip())


def _round_trip(tmp_path, report):
    from xlgova.importers import import_document

    path = render_docx(report, tmp_path / f"{report.agency}{report.year}.docx")
    return import_document(path)


def _assert_same(report, back):
    assert (back.agency, back.year, back.format_id) == (report.agency, report.year, report.format_id)
    fmt = report.format
    diff = {cid: (_comparable(report.values.get(cid)), _comparable(back.values.get(cid)))
            for cid in fmt.cells if _comparable(report.values.get(cid)) != _comparable(back.values.get(cid))}
    assert not diff, f"{len(diff)} cells differ, e.g. {list(diff.items())[:5]}"
    for key, text in report.sections.items():
        assert "\n".join(narrative_paragraphs(back.sections.get(key, ""))) == "\n".join(narrative_paragraphs(text)), key
    assert not [f for f in back.findings if f.rule.startswith("doc.")], back.findings


@pytest.mark.parametrize("format_id", FORMAT_IDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_export_then_import_gives_the_same_report(tmp_path, format_id, seed):
    agency = ["示例县人民政府办公室", "海城街道办事处", "示例县市场监督管理局"][seed - 1]
    report = random_report(seed, format_id, agency=agency, year=2020 if format_id == "2019" else 2020 + seed)
    report.meta = {"phone": "0571-12345678", "preparer": "张三"} if seed == 2 else {}
    _assert_same(report, _round_trip(tmp_path, report))


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_round_trip_keeps_zeros_decimals_and_placeholders(tmp_path, format_id):
    report = random_report(5, format_id, agency="示例县财政局")
    for cid in report.format.cells:
        report.values[cid] = parse_value(0)
    decimal_cell = "art20_8.fees.amount" if format_id == "2021" else "art20_9.procurement.amount"
    report.values[decimal_cell] = parse_value(Decimal("1234.50"))
    report.values["art20_6.coercion." + ("decisions" if format_id == "2021" else "prev_items")] = parse_value("/")
    if format_id == "2019":
        report.values["art20_5.licensing.change"] = parse_value(-3)
    _assert_same(report, _round_trip(tmp_path, report))


@pytest.mark.parametrize("format_id", FORMAT_IDS)
def test_workbook_to_word_and_back(tmp_path, format_id):
    """The real path: a filled workbook -> xlgova export -> the importer reads the same report."""
    from xlgova.export import export_file
    from xlgova.importers import import_document
    from xlgova.workbook import read_workbook, write_workbook

    report = random_report(31, format_id, agency="示例县卫生健康委员会")
    report.meta = {"phone": "0571-1234567", "preparer": "王五"}
    book = write_workbook(report, tmp_path / "填报.xlsx")
    out = export_file(book, tmp_path / "年报.docx")
    _assert_same(read_workbook(book), import_document(out))
