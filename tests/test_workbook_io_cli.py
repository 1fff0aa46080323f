"""xlgova fill / read, and xlgova validate on workbooks (上年数据 sheet or --previous)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from xlgova.cli import main
from xlgova.model import parse_value, report_from_json
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L
from xlgova.workbook.reader import read_workbook
from xlgova.workbook.writer import write_workbook


@pytest.fixture
def report_json(tmp_path):
    report = random_report(31, "2021", agency="海城街道办事处", year=2021)
    report.sections = {"一": "总体情况"}
    path = tmp_path / "2021.json"
    path.write_text(report.dumps(), encoding="utf-8")
    return report, path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_fill_then_read_json_gives_the_report_back(tmp_path, capsys, report_json):
    report, path = report_json
    out = tmp_path / "海城街道2021.xlsx"
    code, text, _ = run(capsys, "fill", path, "-o", out)
    assert code == 0 and out.exists() and "已写入" in text
    code, text, _ = run(capsys, "read", out, "--json")
    assert code == 0
    back = report_from_json(json.loads(text))
    assert back.to_json() == report.to_json() | {"meta": back.meta}
    code, text, _ = run(capsys, "read", out)
    assert code == 0 and "海城街道办事处" in text and "200/200" in text and "第一部分" in text
    assert run(capsys, "validate", out)[0] == 0


def test_read_json_includes_reader_findings_and_provenance(tmp_path, capsys, report_json):
    report, _ = report_json
    path = write_workbook(report, tmp_path / "r.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    sheet, address = L.cell_map("2021")["apps.new.total"]
    wb[sheet][address] = 1
    wb.save(tmp_path / "typed.xlsx")
    code, text, _ = run(capsys, "read", tmp_path / "typed.xlsx", "--json", "--provenance")
    data = json.loads(text)
    assert code == 0 and data["findings"][0]["rule"] == "workbook.total_overwritten"
    assert data["findings"][0]["locations"] == {"apps.new.total": f"{sheet}!{address}"}
    assert data["provenance"]["apps.new.total"] == {"file": str(tmp_path / "typed.xlsx"), "sheet": sheet, "address": address}
    code, text, _ = run(capsys, "read", tmp_path / "typed.xlsx")
    assert f"{sheet}!{address}" in text


def _with_previous(tmp_path):
    """This year's workbook whose 上年数据 sheet disagrees with its 上年结转 (a cross-year warning)."""
    last = random_report(40, "2021", agency="甲", year=2021)
    this = random_report(41, "2021", agency="甲", year=2022, previous=last)
    sheet_prev = random_report(40, "2021", agency="甲", year=2021)
    sheet_prev.values["apps.carried_out.natural"] = parse_value(last.number("apps.carried_out.natural") + 3)
    this.previous = sheet_prev
    path = write_workbook(this, tmp_path / "2022.xlsx")
    (tmp_path / "2021.json").write_text(last.dumps(), encoding="utf-8")
    write_workbook(last, tmp_path / "2021.xlsx")
    return path


def _xyear(text: str) -> list[dict]:
    return [f for f in json.loads(text)["reports"][0]["findings"] if f["rule"] == "xyear.carried_in"]


def test_validate_uses_the_previous_sheet_without_previous_option(tmp_path, capsys):
    path = _with_previous(tmp_path)
    code, text, _ = run(capsys, "validate", path, "--json")
    [f] = _xyear(text)
    assert f["cells"] == ["apps.carried_in.natural"] and f["previous_cells"] == ["apps.carried_out.natural"]


@pytest.mark.parametrize("previous", ["2021.json", "2021.xlsx"])
def test_validate_previous_option_takes_json_or_workbook(tmp_path, capsys, previous):
    path = _with_previous(tmp_path)
    code, text, _ = run(capsys, "validate", path, "--previous", tmp_path / previous, "--json")
    assert code == 0 and _xyear(text) == []  # last year's real report agrees; the stale sheet is not used


def test_fill_previous_option_writes_the_previous_sheet(tmp_path, capsys, report_json):
    _report, path = report_json
    last = random_report(30, "2021", agency="海城街道办事处", year=2020)
    (tmp_path / "2020.json").write_text(last.dumps(), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert run(capsys, "fill", path, "--previous", tmp_path / "2020.json", "-o", out)[0] == 0
    back = read_workbook(out)
    assert {c: back.previous.number(c) for c in L.previous_cells("2021")} == {c: last.number(c) for c in L.previous_cells("2021")}


def test_validate_workbook_with_errors_exits_1(tmp_path, capsys, report_json):
    report, _ = report_json
    report.values["apps.carried_out.natural"] = parse_value(report.number("apps.carried_out.natural") + 1)
    path = write_workbook(report, tmp_path / "bad.xlsx")
    code, text, _ = run(capsys, "validate", path)
    assert code == 1 and "apps.balance" in text and "依申请公开!" in text


@pytest.mark.parametrize("argv, message", [
    (["read", "{tmp}/nope.xlsx"], "文件不存在"),
    (["read", "{tmp}/2021.json"], "只读取"),
    (["fill", "{tmp}/2021.json", "-o", "{tmp}/out.xlsx", "--template", "{tmp}/broken.xlsx"], "损坏|不是有效的"),
    (["read", "{tmp}/broken.xlsx"], "损坏|不是有效的"),
    (["fill", "{tmp}/2021.json", "-o", "{tmp}/out.csv"], ".xlsx 或 .xlsm"),
    (["fill", "{tmp}/2021.json", "-o", "{tmp}/no/such/dir/out.xlsx"], "输出文件夹不存在"),
    (["validate", "{tmp}/broken.xlsx"], "损坏|不是有效的"),
])
def test_unusable_input_exits_2_without_traceback(tmp_path, report_json, argv, message):
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    argv = [a.format(tmp=tmp_path) for a in argv]
    proc = subprocess.run([sys.executable, "-m", "xlgova", *argv], capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2, proc.stderr
    assert re.search(message, proc.stderr) and "Traceback" not in proc.stderr


def test_fill_says_which_totals_the_formulas_will_change(tmp_path, capsys, report_json):
    report, _ = report_json
    report.values["apps.new.total"] = parse_value(999)
    (tmp_path / "bad.json").write_text(report.dumps(), encoding="utf-8")
    code, text, _ = run(capsys, "fill", tmp_path / "bad.json", "-o", tmp_path / "bad.xlsx")
    assert code == 0 and "1 个合计" in text and "报告中为 999" in text
    assert read_workbook(tmp_path / "bad.xlsx").number("apps.new.total") != 999
    code, text, _ = run(capsys, "fill", tmp_path / "2021.json", "-o", tmp_path / "good.xlsx")
    assert "合计与报告中的数值不同" not in text
