"""Values keep blank, number, symbol and text apart; report JSON in and out."""
from __future__ import annotations

from decimal import Decimal

import pytest

from xlgova.formats import FORMATS, format_for_year, get_format
from xlgova.model import BLANK, NUMBER, SYMBOL, TEXT, parse_value, report_from_json
from xlgova.errors import XlgovaError
from xlgova.inputs import load_report_json


@pytest.mark.parametrize("raw,kind,number", [
    (None, BLANK, None), ("", BLANK, None), ("   ", BLANK, None),
    (0, NUMBER, 0), (18, NUMBER, 18), (3.0, NUMBER, 3), ("7", NUMBER, 7), ("1.25", NUMBER, Decimal("1.25")),
    (Decimal("52.15"), NUMBER, Decimal("52.15")), (0.1, NUMBER, Decimal("0.1")),
    ("/", SYMBOL, None), ("-", SYMBOL, None), ("—", SYMBOL, None), ("无", SYMBOL, None), ("／", SYMBOL, None),
    ("十二", TEXT, None), ("12件", TEXT, None), ("减4", TEXT, None), ("251000元", TEXT, None),
    ("１２", NUMBER, 12), (" 3 ", NUMBER, 3), ("1,234", NUMBER, 1234), (True, TEXT, None),
])
def test_parse_value(raw, kind, number):
    v = parse_value(raw)
    assert v.kind == kind and v.number == number


def test_normalised_flag_only_for_unusual_spellings():
    assert not parse_value("7").normalised and not parse_value(7).normalised
    assert parse_value("１２").normalised and parse_value("1,234").normalised and parse_value(" 3 ").normalised


def test_amounts_are_decimal_never_float():
    v = parse_value(0.1 + 0.2)
    assert isinstance(v.number, Decimal)


def test_formats_have_the_official_shape():
    f21, f19 = get_format("2021"), get_format("2019")
    assert len(f21.cells) == 200 and len(f19.cells) == 198
    assert [s.heading for s in f21.sections] == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    apps = f21.table("apps")
    assert apps.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert apps.col("business").groups == ("申请人情况", "法人或其他组织")
    assert apps.row("denied_3").label == "3.危及“三安全一稳定”" and apps.row("denied_3").groups[-1] == "（三）不予公开"
    assert [r.id for r in f19.table("apps").rows if r.id.startswith("other")] == ["other"]
    assert f19.cell("art20_5.licensing.change").kind == "signed" and f21.cell("art20_8.fees.amount").kind == "amount"
    assert f21.cell("apps.handled_total.natural").is_total and f21.cell("apps.carried_out.natural").is_input
    assert f19.has_table("art20_9") and not f21.has_table("art20_9")
    assert format_for_year(2020) is f19 and format_for_year(2021) is f21 and set(FORMATS) == {"2021", "2019"}


def test_cell_ids_iterate_in_display_order():
    ids = list(get_format("2021").cells)
    assert ids[0] == "art20_1.rules.issued" and ids[-1] == "review.suit_after.total"
    assert ids.index("apps.new.total") < ids.index("apps.carried_in.natural")


def test_report_json_errors_are_chinese_and_name_the_file(tmp_path):
    bad = tmp_path / "坏文件.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(XlgovaError, match="坏文件.json.*JSON 格式错误"):
        load_report_json(bad)
    with pytest.raises(XlgovaError, match="不属于 2021 格式"):
        report_from_json({"year": 2021, "format": "2021", "values": {"apps.other.natural": 1}})
    with pytest.raises(XlgovaError, match="未知的格式版本"):
        report_from_json({"year": 2021, "format": "2030"})
    assert report_from_json({"year": 2020}).format_id == "2019"


def test_reader_findings_survive_report_json():
    from xlgova.rules import Finding, validate

    r = report_from_json({"agency": "甲", "year": 2021, "format": "2021", "values": {"apps.new.natural": 1}})
    r.findings.append(Finding("doc.table_missing", "error", "缺少统计表：复议诉讼表", ("review.reconsideration.total",), quote="四、…"))
    back = report_from_json(r.to_json())
    assert back.findings == r.findings
    assert "doc.table_missing" in validate(back).rules("error")
    with pytest.raises(XlgovaError, match="findings"):
        report_from_json({"year": 2021, "findings": [{"rule": "no.such.rule"}]})


def test_module_examples_run():
    import doctest

    import xlgova.formats
    import xlgova.rules

    for mod in (xlgova.formats, xlgova.rules):
        failed, attempted = doctest.testmod(mod)
        assert attempted and not failed, mod.__name__


def test_one_reader_of_chinese_numerals():
    from xlgova.model import chinese_number

    cases = {"一": 1, "两": 2, "九": 9, "十": 10, "十五": 15, "二十": 20, "两十三": 23, "九十九": 99}
    assert {k: chinese_number(k) for k in cases} == cases
    for bad in ("", "零", "百", "十二十", "二二", "一二三", "三x", "十十"):
        assert chinese_number(bad) is None, bad
