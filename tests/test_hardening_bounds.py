"""Issue 13's hostile kinds through the CLI in a fresh process: the answer, the exit code, the input unchanged,
and time and peak memory bounded; plus the pieces (sheet extent, JSON, special files, shown text) one by one."""
from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from _hardening import CASES, CRASH_WORDS, ROOT, case_path, corpus, measured_cli, sha  # noqa: F401  (corpus is a fixture)
from xlgova import limits
from xlgova.errors import XlgovaError
from xlgova.inputs import check_input_file, load_report_json, read_input_bytes
from xlgova.ooxml.extent import bound_sheet, within_bounds
from xlgova.safeio import safe_text, shown

SCRIPTS = ROOT / "scripts"
NEW_KINDS = [c.name for c in CASES.values() if c.build is not None and c.build.__module__ == "_bad_input_cases_bounds"]
SECONDS, MB = 10.0, 400  # a fresh interpreter with its imports is ~1 s and ~80 MB of this
ENGLISH = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")
ACTING = ("\x1b", "\x07", "\r", "\x00", "\x9b", "\u202e")


def test_the_new_kinds_are_in_the_corpus():
    assert len(NEW_KINDS) >= 20 and {"far_cell", "fifo_json", "dev_zero_txt", "symlink_loop", "gbk_name", "json_deep",
                                    "html_many_tables", "docx_nested_tables", "pdf_stream_bomb", "pdf_many_glyphs"} <= set(NEW_KINDS)


@pytest.mark.parametrize("name", NEW_KINDS)
def test_hostile_kind_answered_within_bounds(corpus, name):
    case = CASES[name]
    path = case_path(corpus, name)
    before = sha(path)
    run, seconds, mb = measured_cli("validate", path)
    for word in CRASH_WORDS:
        assert word not in run.text, run.text[-2000:]
    assert run.code in case.exit, (run.code, run.text[-2000:])
    if run.code == 2:
        assert run.err.startswith("错误：") and shown(path.name) in run.err, run.err
        for word in case.says:
            assert word in run.err, (word, run.err)
    assert not any(ch in run.text for ch in ACTING), repr(run.text[:500])
    assert not ENGLISH.search(run.err), run.err  # no library warning (beautifulsoup, pdfminer) reaches the user
    assert sha(path) == before
    assert seconds < SECONDS and mb < MB, (seconds, mb)


def test_far_cell_is_reported_and_the_rest_read(corpus):
    from xlgova.workbook import read_workbook

    report = read_workbook(case_path(corpus, "far_cell"))
    found = [f for f in report.findings if f.rule == "workbook.out_of_range"]
    assert len(found) == 1 and "依申请公开!XFD1048576" in found[0].message
    base = read_workbook(case_path(corpus, "chinese_path"))
    assert report.values == base.values


def test_sheet_extent_cuts_rows_cells_and_positionless_cells():
    xml = (b'<worksheet><dimension ref="A1:XFD9"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>2</v></c></row>'
           b'<row r="2"><c r="A2"/><c><v>3</v></c><c><v>4</v></c></row><row r="9"><c r="A9"><v>5</v></c></row>'
           b'<row r="10"><c r="A10" s="1"/></row></sheetData></worksheet>')
    assert not within_bounds(xml, rows=5, cols=2)
    cut, out = bound_sheet(xml, rows=5, cols=2)
    assert out is not None and out.count == 3 and out.named == ("C1", "C2", "A9")
    assert b'r="C1"' not in cut and b"<v>4</v>" not in cut and b'r="A9"' not in cut and b"<v>3</v>" in cut
    assert b'<dimension ref="A1:B5"/>' in cut
    same, none = bound_sheet(cut, rows=5, cols=2)
    assert none is None and same == cut
    assert bound_sheet(b'<sheetData><row r="99"><c r="A99" s="2"/></row></sheetData>', rows=5, cols=2)[1] is None  # only styling


def test_sheet_extent_check_is_cheap_for_the_template(corpus):
    with zipfile.ZipFile(case_path(corpus, "chinese_path")) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert all(within_bounds(x) for x in sheets)


@pytest.mark.parametrize("kind,words", [("fifo", "命名管道"), ("loop", "循环"), ("link:/dev/null", "设备文件"),
                                        ("link:不存在的文件.json", "不存在")])
def test_only_regular_files_are_read(tmp_path, kind, words):
    from _bad_input_cases_bounds import make_special

    path = tmp_path / "报告.json"
    make_special(path, kind)
    with pytest.raises(XlgovaError, match=words):
        read_input_bytes(path, "报告文件")
    with pytest.raises(XlgovaError, match=words):
        check_input_file(path, "报告文件")


def test_folder_lists_special_files_instead_of_skipping_them(tmp_path):
    from _bad_input_cases_bounds import make_special
    from xlgova.consolidate.discover import discover

    (tmp_path / "好.xlsx").write_bytes(b"x")
    for name, kind in (("管道.xlsx", "fifo"), ("循环.xlsx", "loop"), ("设备.xlsx", "link:/dev/zero")):
        make_special(tmp_path / name, kind)
    assert sorted(Path(p).name for p in discover([tmp_path])) == sorted(["好.xlsx", "管道.xlsx", "循环.xlsx", "设备.xlsx"])


@pytest.mark.parametrize("text,words", [
    ("[" * 40 + "]" * 40, "嵌套过深（第1行第33列"),
    ('{"year": 2021,\n "values": {"apps.new.natural": ' + "1" * 50 + "}}", "数字过长（第2行第33列"),
    ('{"year": 2021,\n "values": {"apps.new.natural": 12,}}', "第2行第36列：键名应放在双引号中"),
    ('{"year": 2021} x', "多余的内容"),
])
def test_report_json_limits_say_where(tmp_path, text, words):
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(XlgovaError, match=re.escape(words)):
        load_report_json(path)


def test_report_json_size_limit(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * (limits.JSON_MAX_BYTES + 1))
    with pytest.raises(XlgovaError, match="文件过大"):
        load_report_json(path)


@pytest.mark.parametrize("year,ok", [(2008, True), (limits.last_year(), True), (2007, False), (limits.last_year() + 1, False),
                                      (10**30, False)])
def test_implausible_year_is_an_error(tmp_path, year, ok):
    from xlgova.rules import validate

    path = tmp_path / "r.json"
    path.write_text(json.dumps({"format": "2021" if year > 2020 else "2019", "year": year, "agency": "甲", "values": {}}), encoding="utf-8")
    found = [f for f in validate(load_report_json(path)).findings if f.rule == "report.year_implausible"]
    assert (not found) == ok
    if found:
        assert found[0].severity == "error" and "统计年度（year）" in found[0].message


def test_unusual_digits_are_not_read_as_numbers():
    from xlgova.model import parse_value

    for text in ("⑫", "²", "𝟓", "⑴", "⒈", "1²"):
        assert parse_value(text).kind == "text", text
    for text, n in (("１２", 12), (" 3 ", 3), ("1,234", 1234)):
        v = parse_value(text)
        assert v.kind == "number" and v.number == n and v.normalised


def test_shown_neutralises_every_acting_character():
    assert shown("甲\x1b[2J\x07乙\r结论：通过") == "甲␛[2J␇乙␍结论：通过"
    assert shown("第一行\n\t第二行\r\n", lines=True) == "第一行\n\t第二行\n"
    assert shown("一\n二") == "一␊二"
    assert shown(os.fsdecode("海城".encode("gbk"))) == "<0xBA><0xA3><0xB3><0xC7>"
    assert shown("\u202eabc\x85\x7f") == "<U+202E>abc<U+0085>␡"
    assert json.loads(json.dumps(shown("\udcba\x1b"), ensure_ascii=False)) == "<0xBA>␛"
    assert safe_text("=1+1\x1b") == "'=1+1␛"


def test_raw_control_bytes_never_reach_terminal_workbook_or_word(corpus, tmp_path):
    """The agency name holds ESC, BEL and CR: the terminal, the summary workbook and the Word export get stand-ins."""
    path = case_path(corpus, "control_chars")
    run, _s, _mb = measured_cli("validate", path)
    assert "␛[2J␇" in run.out and not any(ch in run.out + run.err for ch in ACTING)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(path.read_bytes())
    run, _s, _mb = measured_cli("consolidate", tmp_path / "in", "-o", tmp_path / "汇总.xlsx")
    assert run.code in (0, 1), run.text
    run, _s, _mb = measured_cli("export", path, "-o", tmp_path / "报告.docx")
    assert run.code == 0, run.text
    for out in (tmp_path / "汇总.xlsx", tmp_path / "报告.docx"):
        with zipfile.ZipFile(out) as z:
            text = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
        assert "␛[2J␇".encode() in text, out
        assert not any(bad in text for bad in (b"\x1b", b"\x07", b"_x001B_", b"_x0007_", b"_x000D_")), out


def test_undecodable_file_name_is_shown_escaped(corpus, tmp_path):
    path = case_path(corpus, "gbk_name")
    run, _s, _mb = measured_cli("validate", path)
    assert run.code == 0 and "<0xBA><0xA3>" in run.out, run.text
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / path.name).write_bytes(path.read_bytes())
    run, _s, _mb = measured_cli("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "--json")
    assert run.code in (0, 1) and "<0xBA><0xA3>" in run.out, run.text
    assert json.loads(run.out)["files"] == 1


def test_other_workbooks_are_bounded_too(corpus, tmp_path):
    """Last year's summary and a roster are read whole: a cell beyond their bounds refuses the file (in Chinese)
    instead of asking python-calamine for a 512 GB grid."""
    from xlgova.consolidate.detail import read_detail
    from xlgova.consolidate.names import _rows_from_file

    far = case_path(corpus, "far_cell")
    with pytest.raises(XlgovaError, match="超出可读取的范围.*XFD1048576"):
        read_detail(far)
    with pytest.raises(XlgovaError, match="超出可读取的范围"):
        _rows_from_file(far)
    fifo = tmp_path / "名单.csv"
    os.mkfifo(fifo)
    with pytest.raises(XlgovaError, match="命名管道"):
        _rows_from_file(fifo)


def test_pdf_bomb_after_other_streams_is_found(tmp_path):
    """Every stream is inflated with the cap, also one that follows ordinary streams."""
    import zlib

    from _bad_input_cases_bounds import _pdf
    from _hardening import GEN
    from xlgova.importers.bounds import check_pdf

    raw, _crc = GEN.deflated_zeros(64)
    bomb = b"\x78\xda" + raw + b"\0\0\0\0"
    plain = zlib.compress(b"BT /F1 12 Tf 10 10 Td (ok) Tj ET")
    data = _pdf([plain, plain, bomb], filters=[b"f", b"f", b"f"])
    with pytest.raises(XlgovaError, match="压缩炸弹"):
        check_pdf(data, tmp_path / "x.pdf")
    check_pdf(_pdf([plain, plain], filters=[b"f", b"f"]), tmp_path / "ok.pdf")


def test_desk_pages_show_control_characters_as_stand_ins(corpus):
    """The web page of a checked file: the agency name's ESC/BEL/CR arrive as ␛ ␇ ␍, never raw."""
    pytest.importorskip("starlette")
    from desk_support import BASE
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    path = case_path(corpus, "control_chars")
    app = create_app(path.parent.parent / "desk-ws")
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        page = client.post("/check", files=[("file", (path.name, path.read_bytes()))], follow_redirects=True)
        progress = client.post("/api/submissions", files=[("file", (path.name, path.read_bytes()))])
        listing = client.get("/progress").text
    app.state.store.close()
    assert page.status_code == 200 and progress.status_code == 200
    for html in (page.text, listing):
        assert "␛[2J␇" in html and not any(ch in html for ch in ACTING), html[:300]


def test_references_no_reader_can_place_are_cut():
    xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B12345678901"><v>2</v></c></row><row r="99999999999"><c><v>3</v></c></row></sheetData>'
    cut, out = bound_sheet(xml, rows=5, cols=5)
    assert b"<v>2</v>" not in cut and b"<v>3</v>" not in cut and b"<v>1</v>" in cut
    assert out is not None and out.count == 2
