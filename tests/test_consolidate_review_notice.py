"""退回通知: every finding of the agency named in business terms, in the Word file and as plain lines."""
from __future__ import annotations

import docx
import pytest

from xlgova.export.notice import (
    DEFAULT_ACTION, action_for, build_notice, notice_filename, notice_lines, notice_problems, write_notice,
)
from xlgova.errors import XlgovaError
from xlgova.rules import ERROR, INFO, WARNING, validate
from xlgova.model.catalog import RULE_INFO
from xlgova.demo.samples import random_report


def _broken():
    r = random_report(3, "2021", agency="泓川县交通运输局", year=2024)
    r.set("apps.new.natural", 999)  # breaks the row total and the column balance
    r.set("apps.granted.business", "/")  # value.blank (warning)
    r.set("review.reconsideration.upheld", "abc")  # value.invalid (error)
    return r, validate(r).findings


def _body(doc):
    return "\n".join(p.text for p in doc.paragraphs)


def test_lines_name_every_finding_with_labels_numbers_and_action():
    report, findings = _broken()
    lines = notice_lines(report.agency, report, findings)
    assert len(lines) == len(findings) >= 4
    for f in findings:
        line = next(x for x in lines if f.message in x)
        assert "处理意见：" in line and RULE_INFO[f.rule].title in line
    balance = next(x for x in lines if "（999）" in x and "相差 987" in x)
    assert "申请情况表「一、本年新收政府信息公开申请数量」「自然人」" in balance
    assert lines[0].startswith("1. 【错误】") and lines[-1].startswith(f"{len(lines)}. 【警告】")


def test_document_has_title_agency_groups_deadline_contact(tmp_path):
    report, findings = _broken()
    out = write_notice(tmp_path / notice_filename(report.agency), report.agency, report, findings,
                       deadline="2025年2月20日", contact="张三 0571-12345678", comment="正文第三部分请一并修改。",
                       sender="泓川县人民政府办公室")
    doc = docx.Document(str(out))
    text = _body(doc)
    assert doc.paragraphs[0].text == "关于退回泓川县交通运输局2024年政府信息公开工作年度报告的通知"
    assert doc.paragraphs[0].style.name == "xlgova 标题"
    assert "泓川县交通运输局：" in text and "于2025年2月20日前重新报送" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、须改正的错误", "二、须核实的警告", "三、其他意见"]
    assert "联系人及联系方式：张三 0571-12345678" in text and "泓川县人民政府办公室" in text
    for line in notice_lines(report.agency, report, findings):
        assert line in text


def test_confirmed_warnings_drop_out_errors_stay_with_the_explanation():
    report, findings = _broken()
    said = {f.fingerprint: "已核实" for f in findings}
    problems = notice_problems(report, findings, explanations=said)
    assert {p.severity for p in problems} == {ERROR}
    assert len(problems) == sum(f.severity == ERROR for f in findings)
    assert all(p.explanation == "已核实" and "单位说明：已核实。" in p.text() for p in problems)


def test_hints_are_a_group_of_their_own():
    report = random_report(5, "2021", agency="某街道办事处", year=2024)
    report.set("art20_1.rules.issued", 3)
    report.meta["level"] = "乡镇（街道）"
    findings = [f for f in validate(report).findings if f.severity == INFO]
    assert "hint.township_rules" in {f.rule for f in findings}
    doc = build_notice(report.agency, report, findings)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == ["一、请核实的情况（提示）"]


def test_every_catalogued_rule_has_an_action():
    assert [r for r in RULE_INFO if action_for(r) == DEFAULT_ACTION] == []


def test_filename_and_output_safety(tmp_path):
    assert notice_filename('a/b:c*"d') == "退回通知_a_b_c_d.docx"
    report, findings = _broken()
    with pytest.raises(XlgovaError):
        write_notice(tmp_path / "no" / "x.docx", report.agency, report, findings)
    report.source = str(tmp_path / "in.docx")
    (tmp_path / "in.docx").write_bytes(b"original")
    with pytest.raises(XlgovaError):
        write_notice(tmp_path / "in.docx", report.agency, report, findings)
    assert (tmp_path / "in.docx").read_bytes() == b"original"


def test_without_a_report_cells_are_named_from_the_formats():
    _, findings = _broken()
    lines = notice_lines("某局", None, [f for f in findings if f.severity == WARNING])
    assert "申请情况表「（一）予以公开」「商业企业」" in lines[0]


def test_module_example_runs():
    import doctest

    import xlgova.export.notice

    failed, attempted = doctest.testmod(xlgova.export.notice)
    assert attempted and not failed
