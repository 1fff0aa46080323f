"""`xlgova import DIR_OR_FILES... -o 审核.xlsx|.csv|.json`: one row per report, a findings sheet, pairing."""
from __future__ import annotations

import csv
import json

import pytest

from import_support import render_html, render_text
from shape_support import render_layout
from xlgova.cli import main
from xlgova.demo.samples import random_report
from xlgova.model import parse_value


@pytest.fixture
def folder(tmp_path):
    """A city's reports as they come: two years of one agency, another agency with a defect, broken files."""
    docs = tmp_path / "年报"
    (docs / "街道").mkdir(parents=True)
    y21 = random_report(1, "2021", agency="红星镇人民政府", year=2021)
    y22 = random_report(2, "2021", agency="红星镇人民政府", year=2022, previous=y21)
    y22.values["apps.carried_in.total"] = parse_value(str(y21.number("apps.carried_out.total") + 3))
    y22.values["apps.carried_in.natural"] = parse_value(str(y21.number("apps.carried_out.natural") + 3))
    y22.values["apps.new.natural"] = parse_value(str(y22.number("apps.new.natural") - 3))
    y22.values["apps.new.total"] = parse_value(str(y22.number("apps.new.total") - 3))
    other = random_report(3, "2021", agency="海城街道办事处", year=2022)
    other.values["apps.new.total"] = parse_value("0")
    (docs / "红星2021.txt").write_text(render_text(y21, "tabs"), encoding="utf-8")
    (docs / "红星2022.txt").write_text(render_layout(y22), encoding="utf-8")
    (docs / "街道" / "海城2022.html").write_text(render_html(other), encoding="utf-8")
    (docs / "街道" / "扫描件.pdf").write_bytes(b"%PDF-1.4 nothing here")
    (docs / "说明.docx").write_bytes(b"not a zip")
    (docs / "封面.png").write_bytes(b"\x89PNG")  # not a document type: not picked up from the folder
    return docs


def _json(tmp_path, folder, *extra):
    out = tmp_path / "审核.json"
    code = main(["import", str(folder), "-o", str(out), *extra])
    return code, json.loads(out.read_text(encoding="utf-8"))


def test_folder_to_json_one_row_per_report_broken_files_do_not_stop_the_run(tmp_path, folder, capsys):
    code, data = _json(tmp_path, folder)
    assert code == 2  # some documents could not be read; the others are all there
    rows = {r["文件"].split("/")[-1]: r for r in data["reports"]}
    assert set(rows) == {"红星2021.txt", "红星2022.txt", "海城2022.html", "扫描件.pdf", "说明.docx"}
    assert rows["扫描件.pdf"]["状态"] == rows["说明.docx"]["状态"] == "无法读取" and rows["扫描件.pdf"]["主要问题"]
    assert (rows["红星2021.txt"]["单位名称"], rows["红星2021.txt"]["年度"], rows["红星2021.txt"]["状态"]) == ("红星镇人民政府", 2021, "通过")
    hc = rows["海城2022.html"]
    assert hc["apps.new.total"] == 0 and hc["错误数"] >= 1 and "申请" in hc["主要问题"]
    assert any(f["规则"] == "apps.row_total" and f["文件"].endswith("海城2022.html") for f in data["findings"])
    assert "无法读取" in capsys.readouterr().err


def test_previous_pairs_the_same_agency_across_years(tmp_path, folder):
    _, plain = _json(tmp_path, folder)
    _, paired = _json(tmp_path, folder, "--previous")
    rows = {r["文件"].split("/")[-1]: r for r in paired["reports"]}
    assert rows["红星2022.txt"]["上年报告"].endswith("红星2021.txt") and not rows["海城2022.html"]["上年报告"]
    rules = lambda data: {f["规则"] for f in data["findings"] if f["文件"].endswith("红星2022.txt")}  # noqa: E731
    assert "xyear.carried_in" in rules(paired) and "xyear.carried_in" not in rules(plain)


def test_xlsx_has_a_reports_sheet_with_a_column_per_cell_and_a_findings_sheet(tmp_path, folder):
    import openpyxl

    out = tmp_path / "审核.xlsx"
    assert main(["import", str(folder), "-o", str(out), "--previous"]) == 2
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["报告", "发现", "单元格"]
    named = {r[0]: r[2] for r in wb["单元格"].iter_rows(min_row=2, values_only=True)}
    assert named["apps.new.total"] == "申请情况表「一、本年新收政府信息公开申请数量」「总计」"
    rows = list(wb["报告"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("文件", "单位名称", "年度", "格式版本", "状态") and "apps.new.total" in header and "art20_9.procurement.amount" in header
    assert len(rows) == 6 and len(list(wb["发现"].iter_rows())) > 2


def test_csv_writes_reports_and_findings_files(tmp_path, folder):
    out = tmp_path / "审核.csv"
    main(["import", str(folder / "红星2021.txt"), str(folder / "红星2022.txt"), "-o", str(out)])
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["年度"] for r in rows] == ["2021", "2022"]
    assert (tmp_path / "审核_发现.csv").exists()


def test_single_document_to_xlsx_is_still_a_filled_workbook(tmp_path, folder):
    import openpyxl

    out = tmp_path / "红星2021.xlsx"
    assert main(["import", str(folder / "红星2021.txt"), "-o", str(out)]) == 0
    assert "报告" not in openpyxl.load_workbook(out, read_only=True).sheetnames


def test_previous_without_a_review_table_is_refused(tmp_path, folder, capsys):
    assert main(["import", str(folder / "红星2021.txt"), "-o", str(tmp_path / "x.json"), "--previous"]) == 2
    assert "--previous" in capsys.readouterr().err
