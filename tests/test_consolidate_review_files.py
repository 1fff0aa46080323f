"""The review on real files: explanations from clerks' workbooks, the new sheets, selection, notices, demo."""
from __future__ import annotations

import json
import random

import docx
import openpyxl
from python_calamine import CalamineWorkbook

from xlgova.cli import main
from xlgova.consolidate import consolidate
from xlgova.demo.county import agencies, report_for
from xlgova.consolidate.notices import write_notices
from xlgova.loaders import load_report
from xlgova.model import parse_value
from xlgova.rules import validate
from xlgova.workbook import layout as L
from xlgova.workbook import write_workbook


def sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def write_years(folder, n=10, seed=3):
    """Two years of n agencies (last year as a folder, this year's reports steady against it)."""
    rng = random.Random(seed)
    last = {a.name: report_for(a, 2023, rng) for a in agencies()[:n]}
    this = {a.name: report_for(a, 2024, rng, previous=last[a.name]) for a in agencies()[:n]}
    for year, reports in ((2023, last), (2024, this)):
        (folder / str(year)).mkdir(parents=True, exist_ok=True)
        for r in reports.values():
            write_workbook(r, folder / str(year) / f"{r.agency}.xlsx")
    return last, this


def explain(path, finding, text):
    """What the 校验 button and a clerk leave on 校验结果: the finding's row, its fingerprint, 已确认说明."""
    wb = openpyxl.load_workbook(path)
    ws = wb[L.RESULTS]
    row = L.RESULTS_HEADER_ROW + 1 + sum(1 for r in ws.iter_rows(min_row=L.RESULTS_HEADER_ROW + 1) if r[0].value)
    for col, value in enumerate((1, finding.severity_label, finding.rule, "", finding.message, text), 1):
        ws.cell(row, col, value)
    ws.cell(row, L.RESULTS_FINGERPRINT_COL + 1, finding.fingerprint)
    wb.save(path)


def test_an_explanation_written_in_a_clerks_workbook_reaches_the_status_sheet(tmp_path):
    _, this = write_years(tmp_path, n=3)
    name = agencies()[1].name
    path = tmp_path / "2024" / f"{name}.xlsx"
    report = this[name]
    report.values["review.suit_after.upheld"] = parse_value("/")
    write_workbook(report, path)
    warning = next(f for f in validate(load_report(path)).findings if f.rule == "value.blank")
    explain(path, warning, "本单位本年无复议后起诉案件")
    assert load_report(path).meta["confirmed"] == {warning.fingerprint: "本单位本年无复议后起诉案件"}
    out = tmp_path / "汇总.xlsx"
    result = consolidate([tmp_path / "2024"], out)
    rec = next(r for r in result.records if r.name == name)
    assert rec.status == "通过" and rec.confirmed == 1
    rows = sheet(out, "校验情况")
    header = rows[2]
    row = next(r for r in rows[3:] if r[1] == name)
    assert row[header.index("已确认")] == 1 and row[header.index("警告")] == 0
    assert "本单位本年无复议后起诉案件" in row[header.index("已确认说明")] and warning.message in row[header.index("已确认说明")]
    assert result.to_json()["review"]["confirmed_warnings"] == 1


def test_review_sheets_json_and_notices_on_a_county(tmp_path, capsys):
    last, this = write_years(tmp_path, n=10)
    jump = agencies()[2].name
    r = this[jump]
    r.values["art20_6.penalty.decisions"] = parse_value(max(10, (last[jump].number("art20_6.penalty.decisions") or 0)) * 6)
    write_workbook(r, tmp_path / "2024" / f"{jump}.xlsx")
    roster = tmp_path / "名单.csv"
    lines = [f"{a.name},{a.level},{'' if i < 2 else agencies()[1].name}" for i, a in enumerate(agencies()[:10])]
    roster.write_text("单位名称,单位层级,上级单位\n" + "\n".join(lines), encoding="utf-8-sig")
    out = tmp_path / "汇总.xlsx"
    code = main(["consolidate", str(tmp_path / "2024"), "-o", str(out), "--roster", str(roster),
                 "--previous", str(tmp_path / "2023"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["review"]["hint.yoy_jump"] >= 1
    flagged = next(x for x in data["reports"] if x["name"] == jump)
    assert any(f["rule"] == "hint.yoy_jump" and "行政处罚决定" in f["message"] for f in flagged["findings"])
    assert all("cross_year" in x["coverage"]["ran"] and "yoy" in x["coverage"]["ran"] for x in data["reports"])
    yoy = sheet(out, "同比")
    assert yoy[4][1] == "全部单位合计" and len(yoy) == 4 + 1 + 10
    assert "行政处罚决定" in next(row for row in yoy if row[1] == jump)[-1]
    nodes = data["subtotals"]["nodes"]
    parent = next(n for n in nodes if n["label"] == agencies()[1].name)
    assert parent["agencies"] == 9 and parent["depth"] == 0  # itself and the 8 units under it
    assert sum(lv["figures"]["new"] for lv in data["subtotals"]["levels"]) == data["totals"]["apps.new.total"]
    book = openpyxl.load_workbook(out)
    assert "分类汇总" in book.sheetnames
    # 同比 is too wide for one legible page: printed two pages wide, the agency repeated on each
    assert book["同比"].page_setup.fitToWidth == 2 and book["同比"].print_title_cols == "$A:$C"
    assert book["校验情况"].page_setup.fitToWidth == 1
    notices = tmp_path / "退回通知"
    assert main(["notice", str(tmp_path / "2024"), "-o", str(notices), "--previous", str(tmp_path / "2023"),
                 "--deadline", "2025年2月20日"]) in (0, 1)
    capsys.readouterr()
    for path in notices.glob("*.docx"):  # every finding of the agency is named in its notice
        agency = path.stem.removeprefix("退回通知_")
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        report = load_report(tmp_path / "2024" / f"{agency}.xlsx")
        for f in validate(report, load_report(tmp_path / "2023" / f"{agency}.xlsx")).findings:
            assert f.message in text, (agency, f.rule)


def test_notices_only_for_agencies_with_problems(tmp_path):
    _, this = write_years(tmp_path, n=4)
    bad = agencies()[0].name
    r = this[bad]
    r.values["apps.new.natural"] = parse_value((r.number("apps.new.natural") or 0) + 3)
    write_workbook(r, tmp_path / "2024" / f"{bad}.xlsx")
    (tmp_path / "2024" / "坏.xlsx").write_bytes(b"PK broken")
    outcomes = write_notices([tmp_path / "2024"], tmp_path / "n", previous=tmp_path / "2023", contact="张三")
    written = [o for o in outcomes if o.notice]
    assert [o.agency for o in written] == [bad] and written[0].problems >= 2
    assert sum(1 for o in outcomes if o.unreadable) == 1
    text = "\n".join(p.text for p in docx.Document(str(written[0].notice)).paragraphs)
    for f in validate(load_report(tmp_path / "2024" / f"{bad}.xlsx")).findings:
        assert f.message in text


def test_selection_by_level_and_by_list_is_named_on_the_overview(tmp_path):
    write_years(tmp_path, n=12)
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,单位层级\n" + "\n".join(f"{a.name},{a.level}" for a in agencies()[:12]), encoding="utf-8-sig")
    out = tmp_path / "选.xlsx"
    result = consolidate([tmp_path / "2024"], out, roster=roster, only=["县级政府"])
    assert [r.name for r in result.records] == [agencies()[0].name] and result.agencies == 1
    assert "选择汇总" in result.scope and "县级政府" in result.scope
    overview = [str(c or "") for row in sheet(out, "汇总说明") for c in row]
    assert any("选择汇总：单位层级为“县级政府”" in c for c in overview)
    chosen = tmp_path / "选择名单.csv"
    chosen.write_text("单位名称\n" + "\n".join(a.name for a in agencies()[3:5]), encoding="utf-8-sig")
    result = consolidate([tmp_path / "2024"], None, only_roster=chosen)
    assert sorted(r.name for r in result.records) == sorted(a.name for a in agencies()[3:5])
    assert "选择名单.csv" in result.scope


def test_demo_plants_and_finds_the_review_cases(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path / "demo"), "--no-word"]) == 0
    out = capsys.readouterr().out
    found = out.split("审核发现")[1]
    assert "泓川县市场监督管理局：“行政处罚决定”本年为 320" in found
    assert "泓川县行政审批服务局：“行政许可决定”为 56800" in found
    assert "泓川县退役军人事务局：全部统计表" in found
    assert "本镇无行政强制权" in found and "退回通知" in out
    book = openpyxl.load_workbook(tmp_path / "demo" / "2024" / "泓川县2024年度汇总.xlsx", read_only=True)
    assert {"同比", "分类汇总", "覆盖情况"} <= set(book.sheetnames)


def test_notice_on_unusable_input_says_why_in_chinese(tmp_path, capsys):
    assert main(["notice", str(tmp_path / "没有这个文件夹"), "-o", str(tmp_path / "n")]) == 2
    assert "不存在" in capsys.readouterr().err
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "占用.txt").write_text("x")
    assert main(["notice", str(tmp_path / "in"), "-o", str(tmp_path / "占用.txt")]) == 2
    assert "不是文件夹" in capsys.readouterr().err
    assert main(["notice", str(tmp_path / "in"), "-o", str(tmp_path / "n"), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data[0]["notice"] is None and "reason" in data[0]
    assert (tmp_path / "in" / "坏.xlsx").read_bytes() == b"PK\x03\x04 broken"
