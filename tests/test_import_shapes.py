"""Reports as they really come (issue 15), every shape made from the project's own random reports."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from import_support import read_exactly, render_text, values
from shape_support import bar_ended, blank_per_empty, blank_separated, glued, label_variants, render_layout, run_in, single_spaces
from xlgova.demo.samples import random_report
from xlgova.importers import import_document, import_text
from xlgova.importers.lines import _blank_per_empty
from xlgova.model import parse_value
from xlgova.rules import validate

formats = st.sampled_from(["2021", "2019"])
seeds = st.integers(0, 10**6)


assert_read = read_exactly


def with_blanks(report, picks: list[int], tables=("apps", "art20_1", "art20_5", "art20_6", "art20_8", "art20_9", "review")):
    """Some printed zeros left blank (totals included): the importer must keep them blank."""
    zeros = sorted(cid for cid, v in report.values.items() if v.is_number and v.number == 0 and cid.split(".")[0] in tables)
    for k in picks:
        if zeros:
            report.values[zeros[k % len(zeros)]] = parse_value(None)
    return report


@settings(max_examples=40, deadline=None)
@given(seeds, formats, st.booleans(), st.lists(st.integers(0, 10**4), max_size=6), st.integers(12, 40))
def test_pdftotext_layout_columns_footers_and_wrapped_labels(seed, fmt, middle, blanks, footer_every):
    """Runs of spaces between columns, `- 4 -` footers inside tables, the group label two characters per
    line, labels wrapped above/around their numbers, printed blanks: read back exactly, blanks kept blank."""
    want = with_blanks(random_report(seed, fmt), blanks)
    got = import_text(render_layout(want, footer_every=footer_every, wrap_middle=middle))
    # One exception, documented in docs/import.md: 第二十条第（九）项 (2019) is one row of two cells with no identity;
    # when one of them is printed blank the row may stay doubtful (never read wrong).
    doubtful = {c for f in got.findings if f.rule == "doc.row_doubtful" for c in f.cells}
    one_row = {c for c in want.values if c.startswith("art20_9.")}
    assert doubtful <= one_row and (not doubtful or any(want.values[c].is_blank for c in one_row)), doubtful
    for cid in doubtful:
        want.values.pop(cid)
    got.findings = [f for f in got.findings if f.rule != "doc.row_doubtful"]
    assert_read(got, want)
    assert not validate(got).rules("error")  # a consistent report: no false error (blanks are warnings)


@settings(max_examples=20, deadline=None)
@given(seeds, st.integers(0, 14))
def test_blank_in_the_single_review_row_is_placed_under_its_header(seed, k):
    """The review table has one data row: its column headers (printed over two lines) show the columns."""
    want = random_report(seed, "2021")
    want.values[want.format.table("review").cells[k].id] = parse_value(None)
    assert_read(import_text(render_layout(want)), want)


@settings(max_examples=30, deadline=None)
@given(seeds, formats)
def test_glued_cells_split_only_when_the_identities_allow_one_split(seed, fmt):
    """A scraped page's `一、本年新收政府信息公开申请数量801000081`: every value read is right; a row whose
    split the identities cannot decide is left unread as doubtful, with its candidate readings."""
    want = random_report(seed, fmt)
    got = import_text(glued(want))
    wrong = {c: got.values[c].to_json() for c in got.values if got.values[c].to_json() != want.values[c].to_json()}
    assert not wrong
    unread = {c for c in want.format.cells if c not in got.values}
    said = {c for f in got.findings if f.rule in ("doc.row_doubtful", "doc.table_missing", "doc.table_incomplete") for c in f.cells}
    assert unread == said
    if fmt == "2021":  # (2019's signed 本年增/减 glued as "18-3" cannot be cut: those rows stay unread)
        assert {f.rule for f in got.findings} <= {"doc.row_repaired", "doc.row_doubtful"}


def test_glued_apps_row_is_split_by_row_and_column_sums():
    want = random_report(5, "2021")
    got = import_text(glued(want))
    for row in ("new", "carried_in", "handled_total", "carried_out"):
        assert all(got.number(f"apps.{row}.{c}") == want.number(f"apps.{row}.{c}") for c in ("natural", "total"))
    [f] = [f for f in got.findings if "apps.new.natural" in f.cells]
    assert f.rule == "doc.row_repaired" and "连在一起" in f.message


def test_doubtful_glued_row_lists_its_candidates():
    want = random_report(5, "2021")
    got = import_text(glued(want))
    f = next(f for f in got.findings if f.rule == "doc.row_doubtful" and "art20_1.rules.issued" in f.cells)
    assert "可能的读法" in f.message and "art20_1.rules.issued" not in got.values


@settings(max_examples=25, deadline=None)
@given(seeds, formats, st.sampled_from(["run_in", "blank_separated", "single_spaces", "variants"]))
def test_scraped_page_shapes(seed, fmt, shape):
    """标题: and headings run into one line; one cell per line with blank lines; single spaces between
    numbers; 3、其他, a one-character typo and (二) in labels."""
    want = random_report(seed, fmt)
    if shape == "single_spaces":
        want = random_report(seed, fmt)  # random reports print every cell: nothing lost at a space
    text = {"run_in": run_in, "blank_separated": blank_separated, "single_spaces": single_spaces}.get(shape, lambda r: label_variants(render_text(r, "tabs")))(want)
    assert_read(import_text(text), want)


@settings(max_examples=20, deadline=None)
@given(seeds, formats, st.lists(st.integers(0, 500), min_size=5, max_size=30), st.sampled_from(["blank_per_empty", "bar_ended"]))
def test_one_cell_per_line_pages_keep_their_blanks(seed, fmt, picks, shape):
    """A blank line per empty cell, or a lone '|' after every cell (real scraped pages): read like the others;
    a cell printed blank stays blank (never 0)."""
    want = with_blanks(random_report(seed, fmt), picks)
    got = import_text({"blank_per_empty": blank_per_empty, "bar_ended": bar_ended}[shape](want))
    assert values(got) == values(want)
    assert {f.rule for f in got.findings} <= {"doc.format_unknown"}, [f.message for f in got.findings]


def test_a_blank_per_empty_cell_needs_evidence():
    """Only an even run of blank lines shows one blank line per empty cell (the usual layout makes odd runs
    only); without one the text is read the usual way and an unclear row stays doubtful, never read wrong."""
    want = random_report(4, "2021")
    text = blank_per_empty(want)
    assert "\n\n\n" not in text  # every cell printed: no empty cell, no evidence needed
    assert_read(import_text(text), want)
    assert not _blank_per_empty(blank_separated(with_blanks(random_report(4, "2021"), list(range(0, 60, 7)))).split("\n"))
    blank = with_blanks(random_report(4, "2021"), list(range(0, 60, 7)))
    lines = blank_per_empty(blank).split("\n")
    got = import_text("\n".join(ln for ln in lines))
    assert all(values(got)[k] == v for k, v in values(blank).items() if k in values(got))


def test_the_whole_page_on_one_line():
    want = random_report(9, "2021", agency="某区审计局")
    flat = " ".join(line.replace("\t", " ") for line in render_text(want, "tabs").split("\n") if line.strip())
    assert_read(import_text(flat), want)


def _retitled(report, title: str, drop_period: bool = True) -> str:
    lines = render_text(report, "tabs").split("\n")
    lines[0] = title
    return "\n".join(ln for ln in lines if not (drop_period and ln.startswith("本报告统计数据")))


@pytest.mark.parametrize(
    ("title", "body", "agency", "year", "where"),
    [
        ("2020年报_审计局", "", "审计局", 2020, "title"),
        ("标题: 某区审计局2020年政府信息公开工作年度报告", "", "某区审计局", 2020, "title"),
        ("某区审计局政府信息公开工作年度报告", "2020年度我局认真贯彻落实《条例》。", "某区审计局", 2020, "body"),
        ("某区审计局政府信息公开工作年度报告", "\n某区审计局\n2021年1月15日", "某区审计局", 2020, "date"),
    ],
)
def test_year_and_agency_from_wherever_they_stand(title, body, agency, year, where):
    want = random_report(3, "2019", agency="某区审计局", year=2020)
    want.sections["一"] = ""
    text = _retitled(want, title)
    text = text.replace("一、总体情况\n", "一、总体情况\n" + body + "\n") if body and "日" not in body else text + body
    got = import_text(text)
    assert (got.agency, got.year, got.meta["year_from"], got.format_id) == (agency, year, where, "2019")


def test_page_fields_and_sentences_mentioning_the_report_are_no_title():
    want = random_report(3, "2019", agency="某区审计局", year=2019)
    text = render_text(want, "tabs").split("\n")
    text[0] = "发布日期：2020-01-31\n来源：区政府办公室\n本年度报告中所列数据统计期限从2019年1月1日到12月31日止。"
    got = import_text("\n".join(text))
    assert got.meta["title"] == "" and got.year == 2019
    assert (got.agency, got.meta["agency_from"]) == ("某区审计局", "body")  # the body's opening names it, not 来源
    text = [ln.replace("某区审计局", "我局") for ln in text]
    got = import_text("\n".join(text))  # no title, sentence or signature naming it: the 来源 field is all there is
    assert (got.agency, got.meta["agency_from"]) == ("区政府办公室", "field")
    text[0] = text[0].replace("来源：区政府办公室", "来源：本站")
    got = import_text("\n".join(text))
    assert got.agency == "" and "report.agency_missing" in validate(got).rules()


def test_no_year_and_no_format_words_is_said_not_guessed():
    want = random_report(3, "2021", agency="某区审计局")
    want.sections["一"] = "我局认真贯彻落实《条例》。"
    text = _retitled(want, "某区审计局政府信息公开工作年度报告")
    for key in ("本年制发件数", "现行有效件数", "本年收费金额", "本年废止件数"):
        text = text.replace(key, "")
    got = import_text(text)
    assert got.year is None and [f.rule for f in got.findings] == ["doc.format_unknown"]
    assert "report.year_missing" in validate(got).rules()


def _single_other_row(want) -> str:
    lines = []
    for line in render_text(want, "tabs").split("\n"):
        if "1.申请人无正当理由" in line:
            cols = [c.id for c in want.format.table("apps").cols]
            sums = [sum(int(want.number(f"apps.other_{k}.{c}")) for k in (1, 2, 3)) for c in cols]
            line = "\t（六）其他处理\t\t" + "\t".join(map(str, sums))
        elif "2.申请人逾期未按" in line or "\t3.其他\t" in line:
            continue
        lines.append(line)
    return "\n".join(lines)


def test_2019_style_single_other_row_in_a_2021_table_is_the_groups_total():
    want = random_report(8, "2021")
    got = import_text(_single_other_row(want))
    [f] = got.findings
    assert f.rule == "doc.group_row" and "（六）其他处理" in f.message
    for c in ("natural", "total"):
        group = sum(want.number(f"apps.other_{k}.{c}") for k in (1, 2, 3))
        assert got.number(f"apps.other_3.{c}") == group and got.number(f"apps.other_1.{c}") == 0
    assert validate(got).valid  # the sums still hold, and are still checked:
    want.values["apps.handled_total.total"] = parse_value(str(want.number("apps.handled_total.total") + 6))
    assert "apps.handled_sum" in validate(import_text(_single_other_row(want))).rules("error")


def test_real_defects_of_a_layout_report_are_reported():
    """A 总计 of 0 printed under 10 + 1: the row is read as printed and the sum check fires."""
    want = random_report(5, "2021")
    want.values["apps.new.total"] = parse_value("0")
    got = import_text(render_layout(want))
    assert got.number("apps.new.total") == 0 and not got.findings
    assert "apps.row_total" in validate(got).rules("error")


def test_no_narrative_mismatch_against_a_review_table_not_read():
    want = random_report(2, "2021")
    want.sections["一"] = "本年度共发生政府信息公开行政复议351件。"
    text = render_text(want, "tabs").split("\n")
    k = max(i for i, ln in enumerate(text) if ln.count("\t") >= 14)
    text[k] = "".join(["35", "1"] + ["0"] * 13)  # the data row glued beyond any split
    got = import_text("\n".join(text))
    assert "review.reconsideration.total" not in got.values
    assert "narrative.mismatch" not in validate(got).rules()


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_word_export_pdf_through_pdftotext_layout(libreoffice, tmp_path, fmt):
    """The real chain: Word export -> LibreOffice PDF -> `pdftotext -layout` -> import; and the PDF itself."""
    export = pytest.importorskip("xlgova.export")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make system-deps`")
    want = random_report(5, fmt, agency="红星镇人民政府")
    pdf = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "pdf", tmp_path)
    subprocess.run(["pdftotext", "-layout", str(pdf), str(tmp_path / "r.txt")], check=True)
    assert_read(import_text((tmp_path / "r.txt").read_text(encoding="utf-8")), want)
    assert_read(import_document(pdf), want)


@pytest.mark.libreoffice
@pytest.mark.parametrize("seed,fmt", [(1, "2019"), (6, "2021"), (4, "2019"), (3, "2021")])
def test_pdftotext_layout_of_tables_with_many_blank_cells(libreoffice, tmp_path, seed, fmt):
    """Half the zeros printed blank and long labels: pdftotext spaces each row differently and no row fills
    every column. The columns all the rows' values show (and the review row's header words) place each value;
    blanks stay blank and no row is left doubtful."""
    import random

    from shape_support import with_blanks as half_blank

    export = pytest.importorskip("xlgova.export")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: run `make system-deps`")
    want = half_blank(random_report(seed, fmt), random.Random(seed))
    pdf = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "pdf", tmp_path)
    subprocess.run(["pdftotext", "-layout", str(pdf), str(tmp_path / "r.txt")], check=True)
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert sum(1 for v in values(want).values() if v is None) > 50
    assert_read(import_text(text), want)
    assert not validate(import_text(text)).rules("error")


@pytest.mark.libreoffice
def test_unruled_pdf_keeps_printed_blanks_by_position(libreoffice, tmp_path):
    """A PDF whose tables have no rules: rows from the words' positions, blank cells placed by column."""
    from import_support import without_rules

    export = pytest.importorskip("xlgova.export")
    want = with_blanks(random_report(6, "2021"), [1, 40, 77, 300])
    want.values["review.suit_after.corrected"] = parse_value(None)  # the lone review row: placed by its headers
    pdf = libreoffice.convert(without_rules(export.render_docx(want, tmp_path / "r.docx")), "pdf", tmp_path)
    got = import_document(pdf)
    assert values(got) == values(want) and not got.findings  # placed by position, not repaired


def test_year_and_agency_from_a_file_named_like_a_title():
    """Nothing in the text: the file name 2022年报_审计局.txt is the last evidence, and it is said where it came from."""
    want = random_report(3, "2021", agency="审计局", year=2022)
    lines = [ln for ln in render_text(want, "tabs").split("\n")[1:] if not ln.startswith("本报告统计")]
    text = "\n".join(lines).replace("2022年", "今年")
    got = import_text(text, source="报送/2022年报_审计局.txt")
    assert (got.agency, got.year, got.meta["year_from"]) == ("审计局", 2022, "file") and not got.findings
    assert import_text(text, source="报送/report.txt").year is None


@pytest.mark.parametrize("layout", ["tabs", "pipes"])
def test_a_row_printed_all_blank_stays_blank(layout):
    """Every cell of 7.属于行政执法案卷 left blank (as a real 2019 report printed it): blank, not shifted."""
    want = random_report(4, "2021")
    for c in want.format.table("apps").cols:
        want.values[f"apps.denied_7.{c.id}"] = parse_value(None)
    got = import_text(render_text(want, layout))
    assert values(got) == values(want) and not got.findings


def test_rows_typed_with_tabs_in_word_paragraphs_keep_their_blank_cells(tmp_path):
    """No Word table at all: each row a paragraph with tabs between the cells, a blank cell as two tabs."""
    import docx

    want = with_blanks(random_report(2, "2021"), [3, 50, 120])
    doc = docx.Document()
    for line in render_text(want, "tabs").split("\n"):
        doc.add_paragraph(line)
    doc.save(str(tmp_path / "typed.docx"))
    got = import_document(tmp_path / "typed.docx")
    assert values(got) == values(want) and not got.findings


@pytest.mark.parametrize("row", ["1234567890" * 4, " ".join(["1234567"] * 5), "9" * 200])
def test_digit_runs_with_too_many_cuts_are_doubtful_not_a_long_wait(row):
    """Forty digits for fifteen cells have billions of cuts: the search stops early and says so."""
    text = render_text(random_report(1, "2021"), "tabs").split("\n")
    text[max(i for i, ln in enumerate(text) if ln.count("\t") >= 14)] = row
    got = import_text("\n".join(text))
    assert [f.rule for f in got.findings] == ["doc.row_doubtful"] and not any(c.startswith("review.") for c in got.values)


def paragraphs(report) -> str:
    """Every cell a paragraph, a blank line between paragraphs, an empty paragraph for each empty cell (merged
    label cells included): a page whose table cells were pasted as paragraphs."""
    from import_support import render_text

    rows = render_text(report, "tabs").split("\n")
    return "\n\n".join("\n\n".join(r.split("\t")) if "\t" in r else r for r in rows)


@settings(max_examples=30, deadline=None)
@given(seeds, formats, st.lists(st.integers(0, 10**4), min_size=1, max_size=8))
def test_cell_paragraphs_keep_printed_blanks_in_their_columns(seed, fmt, blanks):
    """A row of zeros with some printed blank: the sums cannot place them, the layout can — the empty paragraphs
    after an item label (1.属于国家秘密) are printed blanks, the extra ones at the end the next row's label cells."""
    want = with_blanks(random_report(seed, fmt), blanks)
    got = import_text(paragraphs(want))
    g, w = values(got), values(want)
    assert {c: (g[c], w.get(c)) for c in g if g[c] != w.get(c)} == {}
