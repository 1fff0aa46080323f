"""The importer's parts: normalisation, sections, values, damaged rows, readers, command line."""
from __future__ import annotations

import json

import pytest

from import_support import render_html, render_text
from xlgova.cli import main
from xlgova.importers import import_document, import_text
from xlgova.importers.normalize import OCR_VARIANTS, fold, is_value_text
from xlgova.errors import XlgovaError
from xlgova.model import parse_value
from xlgova.rules import validate
from xlgova.demo.samples import random_report


# -- normalisation ------------------------------------------------------------------------------------
@pytest.mark.parametrize("seen, official", [
    ("尚 未 审 结", "尚未审结"), ("本年度止件数", "本年废止件数"), ("(一) 予以公开", "（一）予以公开"),
    ('危及"三安全一稳定"', "危及“三安全一稳定”"), ("**一是**", "一是"), ("３.其他", "3.其他"),
])
def test_fold_removes_meaningless_differences(seen, official):
    assert fold(seen) == fold(official)


def test_every_ocr_variant_maps_to_a_label_of_a_format():
    from xlgova.formats import FORMATS

    labels = {fold(c.label) for f in FORMATS.values() for t in f.tables for c in t.cols}
    assert all(fold(right) in labels for right in OCR_VARIANTS.values())


@pytest.mark.parametrize("text, value", [("0", True), ("", True), ("/", True), ("-", True), ("无", True), ("减4", True),
                                         ("251000元", True), ("１２", True), ("52.15", True),
                                         ("1.属于国家秘密", False), ("规章", False), ("结果 维持", False)])
def test_value_cells_are_told_from_labels(text, value):
    assert is_value_text(text) is value


# -- sections ---------------------------------------------------------------------------------------
def _doc(body: str, year: int = 2021) -> str:
    return f"某县人民政府办公室{year}年政府信息公开工作年度报告\n{body}"


def test_table_row_four_is_not_the_section_four_heading():
    want = random_report(5, "2021")
    text = render_text(want, "cells").replace("四、政府信息公开行政复议、行政诉讼情况", "")
    report = import_text(text)
    assert [f.rule for f in report.findings] == ["doc.section_missing"]
    assert report.number("apps.carried_out.total") == want.number("apps.carried_out.total")
    assert report.to_json()["values"] == want.to_json()["values"]


@pytest.mark.parametrize("heading", ["3、 收到和处理政府信息公开申请情况", "（3）收到和处理政府信息公开申请情况", "三.收到和处理政府信息公开申请情况"])
def test_heading_numbering_variants(heading):
    want = random_report(2, "2021")
    report = import_text(render_text(want, "tabs").replace("三、收到和处理政府信息公开申请情况", heading))
    assert not report.findings and report.to_json()["values"] == want.to_json()["values"]


def test_sub_heading_of_section_one_loses_to_the_real_heading():
    want = random_report(4, "2021")
    want.sections["一"] += "\n（二）主动公开政府信息情况\n全年主动公开信息100条。"
    report = import_text(render_text(want, "tabs"))
    assert report.sections["一"].endswith("全年主动公开信息100条。") and not report.findings


def test_heading_variant_and_traditional_heading():
    want = random_report(6, "2021")
    text = render_text(want, "tabs").replace("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
    text = text.replace("五、存在的主要问题及改进情况", "五、政府資訊公開工作存在的主要問題及改進情況".replace("資訊", "信息"))
    report = import_text(text)
    assert not report.findings and report.sections["五"] == want.sections["五"]


# -- agency, year, format ------------------------------------------------------------------------------
@pytest.mark.parametrize("title, agency, year", [
    ("环南街道政府信息公开工作2021年度报告", "环南街道", 2021),
    ("海原县海城镇人民政府\n\n2022 年政府信息公开工作年度报告", "海原县海城镇人民政府", 2022),
    ("《某市生态环境局2023年政府信息公开工作年度报告》", "某市生态环境局", 2023),
])
def test_agency_and_year_from_title(title, agency, year):
    report = import_text(f"{title}\n\n一、总体情况\n本报告统计数据从{year}年1月1日至{year}年12月31日。")
    assert (report.agency, report.year) == (agency, year)


def test_format_by_detection_keys_even_against_the_year():
    want = random_report(8, "2019", year=2021)  # a 2021 report published with the old columns
    report = import_text(render_text(want, "tabs"))
    assert report.format_id == "2019" and "format.year" in validate(report).rules("error")


# -- values and damaged rows ------------------------------------------------------------------------
def test_unusual_values_are_kept_as_found_and_judged_by_the_rules():
    want = random_report(9, "2019")
    text = render_text(want, "tabs")
    lines = text.split("\n")
    i = next(k for k, ln in enumerate(lines) if ln.startswith("行政许可\t"))
    lines[i] = "行政许可\t12\t减4\t无"
    j = next(k for k, ln in enumerate(lines) if ln.startswith("政府集中采购\t"))
    lines[j] = "政府集中采购\t3\t251000元"
    report = import_text("\n".join(lines))
    assert report.values["art20_5.licensing.change"].raw == "减4"
    assert report.values["art20_5.licensing.decisions"].kind == "symbol"
    assert report.values["art20_9.procurement.amount"].raw == "251000元"
    rules = validate(report).rules()
    assert {"value.blank", "value.invalid"} <= rules


def _drop_cell(text: str, label: str, index: int) -> str:
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if label in ln)
    cells = lines[k].split("\t")
    del cells[index]
    lines[k] = "\t".join(cells)
    return "\n".join(lines)


def test_row_one_cell_short_is_repaired_when_identities_decide():
    want = next(r for s in range(50) if (r := random_report(s, "2021")).number("apps.granted.total") >= 3)
    text = _drop_cell(render_text(want, "tabs"), "（一）予以公开", -1)  # the total lost
    report = import_text(text)
    assert report.to_json()["values"] == want.to_json()["values"]
    [f] = report.findings
    assert f.rule == "doc.row_repaired" and f.cells[0] == "apps.granted.natural" and "（一）予以公开" in f.message


def test_row_that_no_reading_explains_is_left_unread_and_doubtful():
    want = random_report(1, "2021")
    text = render_text(want, "tabs").split("\n")
    k = max(i for i, ln in enumerate(text) if ln.count("\t") >= 14)  # the review data row
    text[k] = "\t".join(["1"] * 14)
    report = import_text("\n".join(text))
    [f] = report.findings
    assert f.rule == "doc.row_doubtful" and f.severity == "warning" and len(f.cells) == 15
    assert not any(c in report.values for c in f.cells)  # unread: no sum or narrative check runs on a guess
    assert not validate(report).rules("error")


def test_cut_off_document_reports_missing_tables_and_sections():
    want = random_report(12, "2021")
    text = render_text(want, "tabs")
    report = import_text(text[: text.index("（三）不予公开")])
    rules = [f.rule for f in report.findings]
    assert rules.count("doc.section_missing") == 3 and "doc.table_incomplete" in rules and "doc.table_missing" in rules
    assert not validate(report).rules("error") & {"apps.balance", "apps.handled_sum", "review.total"}


# -- narrative checks -------------------------------------------------------------------------------
def _narrative(text: str, fmt: str = "2021", seed: int = 3):
    report = random_report(seed, fmt)
    report.sections["一"] = text
    return report, validate(report).by_rule("narrative.mismatch")


def test_narrative_application_count_mismatch():
    report, found = _narrative("本年度共收到政府信息公开申请 999 件。")
    [f] = found
    assert f.cells == ("apps.new.total",) and f.expected == 999 and "999" in f.quote


@pytest.mark.parametrize("text", ["本年度未收到政府信息公开申请。", "依申请公开数量目前暂无。"])
def test_narrative_none_received_against_nonzero_table(text):
    report, found = _narrative(text)
    assert report.number("apps.new.total") > 0 and [f.cells for f in found] == [("apps.new.total",)]


def test_narrative_no_review_against_nonzero_review():
    report = next(r for s in range(200) if (r := random_report(s, "2021")).number("review.reconsideration.total"))
    report.sections["六"] = "本年度无行政复议、行政诉讼案件。"
    found = validate(report).by_rule("narrative.mismatch")
    assert "review.reconsideration.total" in {c for f in found for c in f.cells}


@pytest.mark.parametrize("text", [
    "2021年未收到申请超出一定数量或者频次范围的政府信息公开申请，未收取信息处理费。",
    "2020年共收到政府信息公开申请 999 件。",
    "共承办人大议案2条、政协提案2条，全部办结。",
    "本机关未收取信息处理费。",
])
def test_narrative_statements_that_are_not_contradictions(text):
    assert _narrative(text)[1] == []


def test_narrative_normative_documents_and_fee_contradiction():
    report, found = _narrative("制发行政规范性文件 99 件。本机关未收取信息处理费。共收取信息处理费 120 元。")
    rules = sorted(c for f in found for c in f.cells)
    assert "art20_1.normative.issued" in rules and len(found) == 2


# -- readers ----------------------------------------------------------------------------------------
def test_html_with_layout_tables_br_and_gbk(tmp_path):
    want = random_report(21, "2021")
    page = render_html(want).replace("<div class='article'>", "<table><tr><td>导航</td><td><div class='article'>")
    page = page.replace("</div></body>", "</div></td></tr></table></body>").replace("<meta charset='utf-8'>", "<meta charset='gbk'>")
    page = page.replace("<p>（一）主动公开", "<p>前言<br>（一）主动公开")
    path = tmp_path / "report.htm"
    path.write_bytes(page.encode("gbk"))
    got = import_document(path)
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings


def test_scanned_pdf_gets_a_clear_message(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path)
    with pytest.raises(XlgovaError, match="扫描件，没有文字层"):
        import_document(path)


@pytest.mark.parametrize("name, data, message", [
    ("bad.docx", b"PK\x03\x04 not really", "Word"),
    ("bad.pdf", b"%PDF-1.4 garbage", "PDF"),
    ("bin.txt", bytes(range(256)) * 4, "编码"),
    ("x.rtf", b"{\\rtf1}", "不支持"),
])
def test_unreadable_documents(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(XlgovaError, match=message):
        import_document(path)


# -- command line -----------------------------------------------------------------------------------
def test_import_command_json_and_folder(tmp_path, seeds_dir, capsys):
    out = tmp_path / "r.json"
    assert main(["import", str(seeds_dir / "001_1289612543b54ddb.txt"), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["agency"] == "环南街道" and data["values"]["art20_1.normative.issued"] == 2
    assert data["provenance"]["art20_1.normative.issued"]["line"] > 0
    assert validate(import_document(seeds_dir / "001_1289612543b54ddb.txt")).valid
    folder = tmp_path / "many"
    code = main(["import", str(seeds_dir / "000_c99476de4ee32b73.txt"), str(seeds_dir / "003_5bf9956e543a31f7.txt"), "-o", str(folder), "--to", "json"])
    assert code == 1  # seed 000 lost tables
    assert sorted(p.name for p in folder.iterdir()) == ["000_c99476de4ee32b73.json", "003_5bf9956e543a31f7.json"]
    assert "已写入" in capsys.readouterr().out


def test_import_command_xlsx_reads_back(tmp_path, seeds_dir):
    pytest.importorskip("xlgova.workbook.writer")
    out = tmp_path / "r.xlsx"
    assert main(["import", str(seeds_dir / "003_5bf9956e543a31f7.txt"), "-o", str(out)]) == 0
    from xlgova.loaders import load_report

    back = load_report(out)
    want = import_document(seeds_dir / "003_5bf9956e543a31f7.txt")
    assert (back.agency, back.year, back.format_id) == (want.agency, want.year, want.format_id)
    assert all(back.number(c) == want.number(c) for c in want.values)


def test_import_command_unusable_inputs(tmp_path, seeds_dir, capsys):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    assert main(["import", str(bad), "-o", str(tmp_path / "x.json")]) == 2
    assert "错误" in capsys.readouterr().err and not (tmp_path / "x.json").exists()
    assert main(["import", str(bad), "-o", str(tmp_path / "x.pdf")]) == 2  # not an output type


@pytest.mark.libreoffice
def test_documented_commands_work(libreoffice, tmp_path, monkeypatch):
    import re
    import shlex
    from pathlib import Path

    from import_support import render_docx

    docs = (Path(__file__).resolve().parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
    commands = re.findall(r"^(xlgova (?:import|validate) .+)$", docs, flags=re.M)
    assert len(commands) >= 4
    report = random_report(31, "2021", agency="海城街道办事处")
    monkeypatch.chdir(tmp_path)
    Path("海城街道2021年报.txt").write_text(render_text(report, "tabs"), encoding="utf-8")
    render_docx(report, tmp_path / "海城街道2021年报.docx")
    Path("年报1.html").write_text(render_html(report), encoding="utf-8")
    from format_support import mhtml

    Path("年报.mhtml").write_bytes(mhtml(render_html(report).encode("utf-8"), "utf-8"))
    pdf = libreoffice.convert(tmp_path / "海城街道2021年报.docx", "pdf", tmp_path)
    Path(pdf).rename("海城街道2021年报.pdf")
    Path("年报2.pdf").write_bytes(Path("海城街道2021年报.pdf").read_bytes())
    Path("2021年报.pdf").write_bytes(Path("海城街道2021年报.pdf").read_bytes())
    render_docx(random_report(32, "2021", year=2022, agency="海城街道办事处", previous=report), tmp_path / "2022年报.docx")
    for command in commands:
        assert main(shlex.split(command)[1:]) == 0, command
    assert Path("海城街道2021.xlsx").exists() and sorted(p.name for p in Path("导入结果").iterdir()) == ["年报1.xlsx", "年报2.xlsx"]


@pytest.mark.parametrize("layout", ["tabs", "cells"])
def test_regional_extra_rows_and_subtotals_are_not_read_as_format_rows(layout):
    want = random_report(14, "2021")
    text = render_text(want, layout)
    sep = "\t" if layout == "tabs" else "\n\t"
    extra = sep.join(["其他主动公开文件", "5", "0", "5"])
    subtotal = sep.join(["", "（三）不予公开小计", "9", "9", "9", "9", "9", "9", "54"])
    text = text.replace("第二十条第（五）项", extra + ("\n" if layout == "tabs" else "\n\n") + "第二十条第（五）项", 1)
    marker = "1.属于国家秘密"
    k = text.index(marker)
    line_start = text.rindex("\n\n" if layout == "cells" else "\n", 0, k)
    text = text[:line_start] + "\n" + subtotal + ("\n" if layout == "tabs" else "\n") + text[line_start:]
    assert text.index("其他主动公开文件") < text.index("第二十条第（五）项") and text.index("小计") < text.index(marker)
    got = import_text(text)
    assert got.to_json()["values"] == want.to_json()["values"]
    assert [(f.rule, f.message) for f in got.findings] == [("doc.local_row", "第二十条第（一）项表中有格式以外的行「其他主动公开文件」，未读取")]


def test_agency_from_the_quoted_title_when_the_title_has_none():
    report = import_text("2021年政府信息公开工作年度报告\n现发布《示例市统计局2021年政府信息公开工作年度报告》。\n一、总体情况\n无。")
    assert (report.agency, report.year) == ("示例市统计局", 2021)


_BODY = "\n一、总体情况\n本报告统计数据从2022年1月1日至2022年12月31日。\n"


@pytest.mark.parametrize("text, agency, where", [
    ("标题: 某区审计局2022年度政府信息公开工作年度报告" + _BODY, "某区审计局", "title"),
    ("关于某县统计局2022年政府信息公开工作年度报告的报告" + _BODY, "某县统计局", "title"),
    ("根据《条例》要求,特编制某市档案馆2022年政府信息公开工作年度报告。" + _BODY, "某市档案馆", "body"),
    ("本报告由某镇人民政府党政办公室编制。" + _BODY, "某镇人民政府", "body"),
    ("本报告由信访局结合有关统计数据编制。" + _BODY, "信访局", "body"),
    ("根据《关于政府信息公开工作年度报告有关事项的通知》要求,某镇政府编制2022年政府信息公开年度报告。" + _BODY,
     "某镇政府", "body"),
    (_BODY + "六、其他需要报告的事项\n无。\n\n某街道办事处\n2023年1月20日", "某街道办事处", "signature"),
    (_BODY + "六、其他需要报告的事项\n无。\n某街道办事处 2023年1月20日", "某街道办事处", "signature"),
    ("发布时间:2023-01-26 09:16 来源:某某镇\n" + _BODY, "某某镇", "field"),
    ("发布机构: 某区民政局\n来源: 本网" + _BODY, "某区民政局", "field"),
    ("如对本报告有疑问,请与某区某街道办事处办公室联系(电话:1234)。" + _BODY, "某区某街道办事处", "contact"),
    ("来源: 本网" + _BODY, "", ""),
    ("本报告由我办编制。" + _BODY, "", ""),
    (_BODY + "六、其他需要报告的事项\n我局将继续努力。\n2023年1月20日", "", ""),
    # what real pages taught (tests/data/real_titles.csv)
    ("| 名称 | 某管理区2022年政府信息公开工作年度报告 | ||||" + _BODY, "某管理区", "title"),
    ("某市政府门户网站-2022年某市卫生健康委员会政府信息公开工作年度报告_网站名" + _BODY, "某市卫生健康委员会", "title"),
    ("2022年某县卫生健康委员会信息公开年报" + _BODY, "某县卫生健康委员会", "title"),
    ("某省卫生健康委关于2022年政府信息公开工作的年度报告\n省政府办公厅:" + _BODY, "某省卫生健康委", "title"),
    ("根据《省政务公开办关于做好2022年度政府信息公开工作年度报告编制工作的通知》要求,现公布某省机关事务管理局"
     "2022年政府信息公开工作年度报告。" + _BODY, "某省机关事务管理局", "body"),
    ("根据有关规定,编制了某区教育局2022年政府信息公开年度报告。" + _BODY, "某区教育局", "body"),
    ("结合工作实际,由某市生态环境局制作本报告。" + _BODY, "某市生态环境局", "body"),
    ("为认真做好某市卫生健康局政府信息公开工作,我局按照有关要求。" + _BODY, "某市卫生健康局", "body"),
    (_BODY + "截至2022年12月31日,某某乡人民政府通过信息平台公开信息3条。", "某某乡人民政府", "body"),
    (_BODY + "2022年,某某经济技术开发区管委会坚持以公开为常态。", "某某经济技术开发区管委会", "body"),
    (_BODY + "2022年,某某管理区在市委、市政府的正确领导下,认真贯彻。", "某某管理区", "body"),
    ("如对本报告有疑问,可与某镇人民政府党政办公室联系(电话:1234)。" + _BODY, "某镇人民政府", "contact"),
    ("现将我乡2022年度政府信息公开工作情况报告如下:" + _BODY, "", ""),
    ("根据《某市关于做好2022年政府信息公开工作年度报告编制发布工作的通知》要求编制本年度报告。" + _BODY, "", ""),
    ("结合街道政府信息公开工作实际编制。" + _BODY, "", ""),
    (_BODY + "2022年,区委在全区部署政务公开工作。", "", ""),
    ("本年报根据2022年某市司法局信息公开工作实际编制而成。" + _BODY, "某市司法局", "body"),
    ("现特向社会公布2022年某某镇人民政府信息公开工作年度报告。" + _BODY, "某某镇人民政府", "body"),
    ("根据区政府信息公开工作要求编制。" + _BODY, "", ""),
    ("特公布2022年某市人力资源和社会保障局信息公开工作年度报告。" + _BODY, "某市人力资源和社会保障局", "body"),
    (_BODY + "2022年以来,某市人力资源和社会保障局认真贯彻《条例》。", "某市人力资源和社会保障局", "body"),
    (_BODY + "2022年,区住建委以习近平新时代中国特色社会主义思想为指引。", "区住建委", "body"),
    ("如对本报告有疑问,可与某市市场监督管理局办公室联系。" + _BODY + "2022年,市市场监管局按照要求。", "某市市场监督管理局", "contact"),
    ("请与某区长通街道办事处办公室联系。" + _BODY + "2022年以来,长通街道通过官方网站公开信息。", "某区长通街道办事处", "contact"),
    ("请与某某街道党政办联系。" + _BODY + "2022年,某某街道认真贯彻。", "某某街道", "body"),
    ("请与某区政务公开办公室联系。" + _BODY + "2022年,区统计局认真贯彻。", "区统计局", "body"),
    ("根据规定,现公开2022年某某市政府信息公开工作年度报告。" + _BODY, "某某市", "body"),
    ("某区政府办公室2022年政府信息公开工作年度报告.docx\n某区人民政府办公室2022年政府信息公开工作年度报告" + _BODY,
     "某区人民政府办公室", "title"),
    ("请联系:某区民政局局党政办公室。" + _BODY + "2022年,某区民政局在区委区政府的正确领导下。", "某区民政局", "body"),
    ("来源 水利局\n内容概述 根据《条例》规定,特向社会公布某县水利局2022年政府信息公开年度报告。\n"
     "某县水利局2022年度政府信息公开工作年度报告" + _BODY, "某县水利局", "title"),
    ("| 标 题: | 某省交通运输厅2022年政府信息公开工作年度报告 | ||" + _BODY, "某省交通运输厅", "title"),
    ("Page 2 - 某省交通运输厅2022年度政府信息公开工作年度报告\n目录" + _BODY, "某省交通运输厅", "title"),
    ("  • 无障碍版\n某镇政府2022年信息公开工作年度报告" + _BODY, "某镇政府", "title"),
    ("• 部门信息公开年度报告\n  • 发布机构\n    某市人民政府办公室\n\n某市林业和草原局2022年度政府信息公开工作年度报告" + _BODY,
     "某市林业和草原局", "title"),
    ("如对本报告有任何疑问,请与某乡信息公开领导小组办公室联系。" + _BODY, "某乡", "contact"),
    ("如对本报告有任何疑问,请联系某镇党政综合办公室,联系电话:1234。" + _BODY, "某镇", "contact"),
    ("本报告的电子版可在某省高速公路收费中心网站查阅。" + _BODY + "2022年,省高速公路收费中心在某省交通运输厅的正确领导下,认真贯彻。",
     "某省高速公路收费中心", "body"),
    (_BODY + "2022年,县交通运输局通过“全县交通运输局系统”专栏公开信息。", "县交通运输局", "body"),
    ("根据规定,现公开区人民政府办公室2022年政府信息公开工作年度报告。" + _BODY, "区人民政府办公室", "body"),
    (_BODY + "2022年,经开区坚持做好依申请公开工作。", "", ""),
    ("结合开发区管委会信息公开工作有关统计数据撰写。" + _BODY + "2022年,开发区管委会政务信息工作紧紧围绕中心工作。", "", ""),
    ("本年度报告由某市统计局围绕2022年度政府信息公开工作情况编制而成。" + _BODY, "某市统计局", "body"),
    ("本报告由某经济技术开发区管理委员会(以下简称经开区管委会)编制。" + _BODY, "某经济技术开发区管理委员会", "body"),
    ("现将2022年度某街道办事处政府信息公开工作情况报告如下:" + _BODY, "某街道办事处", "body"),
    ("如对本报告有任何疑问,请与某省某经济开发区综合办公室联系。" + _BODY + "2022年,某经济开发区深入贯彻省、市部署。",
     "某省某经济开发区", "contact"),
    ("本报告电子版可以从某某市统计局门户网站下载。如对本报告有疑问,请与市统计局办公室联系。" + _BODY, "某某市统计局", "contact"),
    (_BODY + "2022年,我厅进一步完善工作机制。办事指南已在某省网上办事大厅和某省农业农村厅门户网站上对外公开,"
     "通过某省农业农村厅门户网站栏目向社会公开。", "某省农业农村厅", "site"),
    (_BODY + "2022年,我厅在某省农业农村厅门户网站上对外公开。", "", ""),
    (_BODY + "2022年,我局在某市人民政府门户网站公开信息,在某市人民政府门户网站发布通知。", "", ""),
    ("如对本报告有疑问,请联系医疗保障局。" + _BODY + "(一)主动公开。按照要求,某某市医疗保障局于市政府门户网站公开了办理结果。",
     "某某市医疗保障局", "contact"),
    ("如对本报告有任何疑问,请与某乡人民政府办公室联系。联系地址:某县某乡西龙路1号。" + _BODY, "某乡人民政府", "contact"),
    ("某某区国资局\n根据有关要求,现公布区政府国资局2022年政府信息公开工作年度报告。" + _BODY, "某某区国资局", "heading"),
    ("某某区人民政府\n根据有关要求,现公布区政府国资局2022年政府信息公开工作年度报告。" + _BODY, "区政府国资局", "body"),
    ("本报告由某某高新区党政办公室按照《条例》(国务院令第711号)的要求编制。" + _BODY, "某某高新区", "body"),
    (_BODY + "2022年,白云街以习近平新时代中国特色社会主义思想为指导。", "白云街", "body"),
    ("根据《某市政务公开办关于编制发布2022年政府信息公开工作年度报告的函》要求。" + _BODY, "", ""),
    ("某局2022年政府信息公开工作年度报告发布\n某某管理局2022年政府信息公开工作年度报告" + _BODY, "某某管理局", "title"),
    ("中国政府网 | 某部 | 某省政府门户网站 无障碍浏览|\n2022年政府信息公开工作年度报告\n  • 发布机构: 某省生态环境厅" + _BODY
     + "2022年,省生态环境厅以习近平新时代中国特色社会主义思想为指导。", "某省生态环境厅", "field"),
    ("某某镇人民政府编制《2022年政府信息公开工作的报告》。如对本年报有疑问,请与某市某某镇党政办联系。" + _BODY, "某某镇人民政府", "body"),
    (_BODY + "2022年,某区人民政府办公室自觉履行政府信息公开工作主管部门职责。", "某区人民政府办公室", "body"),
    ("由某区人民防空办公室编制完成本报告。如对本报告有疑问,可与某市某区人民防空办公室综合科联系。" + _BODY,
     "某市某区人民防空办公室", "contact"),
    ("2022年,某某乡人民政府认真贯彻落实《条例》,现将某某乡2022年度政府信息公开工作报告如下:" + _BODY, "某某乡人民政府", "body"),
    ("根据要求,特编制并向社会公布某县市场监督管理局2022年政府信息公开工作年度报告。" + _BODY, "某县市场监督管理局", "body"),
    (_BODY + "2022年,在区委的正确领导下,某某博彩官网区人民政府某街道办事处认真贯彻落实《条例》。", "", ""),
    ("根据要求,现公布某市自然资源局政府信息公开工作2022年度报告。" + _BODY, "某市自然资源局", "body"),
    (_BODY + "2022年,区自然资源局局认真落实《条例》相关规定。", "区自然资源局", "body"),
    (_BODY + "2022年,市民政局政府信息公开工作坚持以人民为中心。完善《某某市民政局政府信息公开指南》。", "某某市民政局", "body"),
    ("根据要求,我局编制完成了2022年政府信息公开工作年度报告。如有疑问,请直接与某市统计局联系。" + _BODY, "某市统计局", "contact"),
    ("根据要求,现公布《和平县教育局2022年政府信息公开工作年度报告》。" + _BODY, "和平县教育局", "body"),
])
def test_agency_from_wherever_it_stands(text, agency, where):
    """Title (field label and 关于…的 stripped), a sentence naming the report or its compiler, the signature over
    the date, the page's publisher field; none: no agency, and the check says so (report.agency_missing)."""
    report = import_text(text)
    assert (report.agency, report.meta["agency_from"], report.year) == (agency, where, 2022)
    if not agency:
        assert "report.agency_missing" in {f.rule for f in validate(report).findings}


def test_agency_from_the_file_name_last(tmp_path):
    path = tmp_path / "2022年报_某区审计局.txt"
    path.write_text("2022年度政府信息公开工作年度报告" + _BODY, encoding="utf-8")
    report = import_document(path)
    assert (report.agency, report.meta["agency_from"]) == ("某区审计局", "file")


def test_the_body_year_end_dates_the_figures():
    report = import_text("一、总体情况\n截止2023年12月31日我局通过官方网站发布政务类信息34条。\n")
    assert (report.year, report.meta["year_from"]) == (2023, "period")


def test_a_year_opening_the_body_with_its_agency_kind():
    report = import_text("一、总体情况\n2021年度街道受理信息公开申请0件。\n")
    assert (report.year, report.meta["year_from"], report.agency) == (2021, "body", "")


@pytest.mark.parametrize("sentence", ["现结合我镇实际,汇报我镇2023年政府信息公开工作。", "现将本单位2023年度政府信息公开工作情况报告如下:"])
def test_the_year_of_the_agencys_own_work(sentence):
    report = import_text("一、总体情况\n" + sentence + "\n")
    assert (report.year, report.meta["year_from"], report.agency) == (2023, "body", "")


def test_the_year_of_the_report_a_sentence_gives():
    report = import_text("现将2023年度某街道办事处政府信息公开工作情况报告如下:\n一、总体情况\n无。\n")
    assert (report.year, report.meta["year_from"], report.agency) == (2023, "body", "某街道办事处")


def test_format_words_in_a_sentence_are_no_table_header():
    """"按时公开…政府集中采购…等信息。" names a 2019 header word in prose: the year decides, and with no year
    the format is not guessed from it."""
    sentence = "\n一、总体情况\n按时公开财政预决算、政府集中采购、人员考录等信息。\n"
    report = import_text("某局2021年政府信息公开工作年度报告" + sentence)
    assert report.format_id == "2021" and not {"doc.format_mismatch", "doc.format_unknown"} & {f.rule for f in report.findings}
    assert "doc.format_unknown" in {f.rule for f in import_text("某局政府信息公开工作年度报告" + sentence).findings}


def test_heading_after_mojibake_spaces():
    report = import_text("某局2021年政府信息公开工作年度报告\n????一、总体情况\n????本年度未收到申请。\n")
    assert "一" not in {f.subject for f in report.findings if f.rule == "doc.section_missing"}


def test_an_excerpt_that_says_it_is_a_report_is_read_without_headings():
    """A page cut before its headings still tells agency, year and format; a text that is no report is refused."""
    report = import_text("本报告根据《中华人民共和国政府信息公开条例》编制,所列数据为2020年1月1日至2020年12月31日。\n"
                         "(一)主动公开:中心网站发布各类信息635条。\n")
    assert (report.year, report.format_id) == (2020, "2019")
    assert "doc.section_missing" in {f.rule for f in report.findings}
    report = import_text("2020年,我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n(一)主动公开\n全年公开信息9条。\n"
                         "(二)规范办理政府信息依申请公开工作\n全年未收到申请。\n")
    assert (report.year, report.format_id) == (2020, "2019")
    with pytest.raises(XlgovaError, match="不是政府信息公开工作年度报告"):
        import_text("本报告内容如下。\n(一)今天开会。\n")
    with pytest.raises(XlgovaError, match="不是政府信息公开工作年度报告"):
        import_text("工作总结\n(一)主动公开\n(二)依申请公开\n")


def test_mixed_format_headers_are_flagged():
    want = random_report(15, "2021")
    text = render_text(want, "tabs").replace("本年制发件数", "本年新制作数量")
    rules = [f.rule for f in import_text(text).findings]
    assert rules == ["doc.format_mismatch"]


@pytest.mark.parametrize("text, message", [("", "没有文字"), ("会议纪要\n今天开会。", "不是政府信息公开工作年度报告")])
def test_documents_that_are_no_report(text, message):
    with pytest.raises(XlgovaError, match=message):
        import_text(text, source="x.txt")


@pytest.mark.parametrize("text, flagged", [
    ("本年度共收到政府信息公开申请{new}件，已办结{handled}件。", False),
    ("本年度收到政府信息公开申请{new}件，已办结{wrong}件。", True),
    ("答复人大代表建议{wrong}件。", False),
])
def test_narrative_handled_count(text, flagged):
    report = random_report(3, "2021")
    new, handled = report.number("apps.new.total"), report.number("apps.handled_total.total")
    report.sections["一"] = text.format(new=new, handled=handled, wrong=handled + 7)
    found = validate(report).by_rule("narrative.mismatch")
    assert bool(found) is flagged and all(f.cells == ("apps.handled_total.total",) for f in found)


def test_last_years_published_report_as_previous(tmp_path, capsys):
    last = random_report(40, "2021", year=2021)
    this = random_report(41, "2021", year=2022, previous=last)
    (tmp_path / "2021.html").write_text(render_html(last), encoding="utf-8")
    (tmp_path / "2022.txt").write_text(render_text(this, "tabs"), encoding="utf-8")
    assert main(["validate", str(tmp_path / "2022.txt"), "--previous", str(tmp_path / "2021.html"), "--json"]) == 0
    assert "xyear" not in capsys.readouterr().out
    this.values["apps.carried_in.natural"] = parse_value(99)
    (tmp_path / "2022.txt").write_text(render_text(this, "tabs"), encoding="utf-8")
    main(["validate", str(tmp_path / "2022.txt"), "--previous", str(tmp_path / "2021.html"), "--json"])
    assert "xyear.carried_in" in capsys.readouterr().out


@pytest.mark.parametrize("layout", ["tabs", "cells", "pipes"])
def test_note_below_the_review_table_is_not_data(layout):
    want = random_report(16, "2021")
    text = render_text(want, layout).replace("五、存在的主要问题及改进情况", "注：本表数据截至12月31日。\n\n五、存在的主要问题及改进情况")
    got = import_text(text)
    assert got.to_json()["values"] == want.to_json()["values"] and not got.findings


def test_a_long_label_with_a_word_left_out_or_added_is_known():
    """Real pages print 上年结转政府信息公开数量 (申请 left out); short labels must match exactly or by one typo."""
    from xlgova.importers.normalize import fold, label_keys, matches_label_gap

    keys = label_keys("二、上年结转政府信息公开申请数量")
    assert matches_label_gap(fold("二、上年结转政府信息公开数量"), keys)
    assert matches_label_gap(fold("上年结转的政府信息公开申请数量"), keys)
    assert not matches_label_gap(fold("一、本年新收政府信息公开申请数量"), keys)
    assert not matches_label_gap(fold("上年结转"), keys)
    assert not matches_label_gap(fold("不予公开"), label_keys("（三）不予公开"))  # short: never by a gap


def test_a_names_own_character_is_not_taken_for_traditional_text():
    """长安区砲里街道 (a real street office): 砲 is in zhconv's table (→炮), but one such character in simplified
    text is the name's own; a page in traditional characters is still converted, table cells included."""
    import zhconv

    from import_support import render_html, render_text
    from xlgova.demo.samples import random_report
    from xlgova.importers import import_lines
    from xlgova.importers.html import html_lines

    want = random_report(3, "2021", agency="长安区砲里街道办事处", year=2022)
    text = render_text(want, "tabs")
    assert import_text(text).agency == "长安区砲里街道办事处"
    assert import_lines(html_lines(render_html(want))).agency == "长安区砲里街道办事处"
    for got in (import_text(zhconv.convert(text, "zh-tw")), import_lines(html_lines(zhconv.convert(render_html(want), "zh-tw")))):
        assert got.agency.endswith("里街道办事处") and got.to_json()["values"] == want.to_json()["values"]
