"""Tables as local publishers really lay them out (issue 15), made from the project's own sample reports:
a consistent report drawn so reads without an error-level finding and without a value read wrong."""
from __future__ import annotations

import random

import pytest

from import_support import render_html, render_text
from test_import_no_false_errors import _counts, _errors
from xlgova.demo.samples import random_report
from xlgova.importers import import_lines, import_text
from xlgova.importers.html import html_lines
from xlgova.rules import validate


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _apps_header(lines: list[str]) -> int:
    return next(j for j, ln in enumerate(lines) if ln.startswith("（本列数据"))


def _review_row(lines: list[str]) -> int:
    k = next(j for j, ln in enumerate(lines) if ln.startswith("四、") and "复议" in ln)
    return max(i for i in range(k, len(lines)) if "\t" in lines[i])


def total_row(t):  # a 合计 row added under 第二十条第（六）项
    return t.replace("\n\n第二十条第（八）项", "\n合计\t1\t2\t3\n\n第二十条第（八）项")


def label_notes(t):  # notes in brackets after labels
    return t.replace("行政许可\t", "行政许可（含备案）\t").replace("上年结转政府信息公开申请数量\t", "上年结转政府信息公开申请数量（件）\t")


def blank_line_between_rows(t):
    return t.replace("\n（二）部分公开", "\n\n（二）部分公开").replace("\n行政强制", "\n\n行政强制")


def footer_between_rows(t):
    return t.replace("\n（三）不予公开", "\n- 4 -\n（三）不予公开").replace("\n行政强制", "\n第 2 页\n行政强制")


def apps_header_merged(t):  # the three header lines of table 三 as one
    lines = _lines(t)
    k = _apps_header(lines)
    merged = "\t".join(c for ln in lines[k : k + 3] for c in ln.split("\t") if c)
    return "\n".join(lines[:k] + [merged] + lines[k + 3 :])


def apps_header_missing(t):
    lines = _lines(t)
    k = _apps_header(lines)
    return "\n".join(lines[:k] + lines[k + 3 :])


def review_two_rows(t):  # table 四 as 行政复议 (5 cells) and 行政诉讼 (10 cells)
    lines = _lines(t)
    j = _review_row(lines)
    cells = lines[j].split("\t")
    return "\n".join(lines[:j] + ["行政复议\t" + "\t".join(cells[:5]), "行政诉讼\t" + "\t".join(cells[5:])] + lines[j + 1 :])


def review_header_repeated(t):
    lines = _lines(t)
    j = _review_row(lines)
    k = next(i for i in range(j, 0, -1) if lines[i].startswith("四、"))
    return "\n".join(lines[:j] + [ln for ln in lines[k + 1 : j] if "\t" in ln] + lines[j:])


def review_total_column(t):  # a 16th number after table 四's 15: the agency's grand total
    lines = _lines(t)
    j = _review_row(lines)
    lines[j] += "\t" + str(sum(int(c or 0) for c in lines[j].split("\t")[4::5]))
    return "\n".join(lines)


def blocks_reordered(t):  # 第二十条第（六）项 before 第二十条第（五）项
    a, b, c = (t.index(f"第二十条第（{n}）项") for n in "五六八")
    return t[:a] + t[b:c] + t[a:b] + t[c:]


VARIANTS = [total_row, label_notes, blank_line_between_rows, footer_between_rows, apps_header_merged, apps_header_missing,
            review_two_rows, review_header_repeated, review_total_column, blocks_reordered]


def _check(got, want):
    assert (got.year, got.format_id) == (want.year, want.format_id)
    assert _errors(got.findings) == [] and _errors(validate(got).findings) == []
    wrong = {c: v.to_json() for c, v in got.values.items() if _counts(v) != _counts(want.values[c])}
    assert wrong == {}


def _want(seed: int, fmt: str):
    return random_report(random.Random(seed), fmt, agency="某县某某镇人民政府", year=2020 if fmt == "2019" else 2023,
                         scale=(1, 30, 400)[seed % 3])


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_table_variant_reads_without_error(variant, fmt, seed):
    want = _want(seed, fmt)
    got = import_text(variant(render_text(want, "tabs")))
    _check(got, want)
    assert sorted(set(want.values) - set(got.values)) == []  # and nothing left unread


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_blocks_in_another_order_as_separate_web_tables(fmt):
    want = _want(4, fmt)
    page = render_html(want)
    a, b, c = (page.index(f"<p>第二十条第（{n}）项</p>") for n in "五六八")
    got = import_lines(html_lines(page[:a] + page[b:c] + page[a:b] + page[c:]))
    _check(got, want)
    assert got.to_json()["values"] == want.to_json()["values"]


def test_a_2019_table_in_a_2021_report_is_read_by_its_labels():
    """A 2021 report on the old form: read in the 2019 format (from its header words), format.year says so."""
    want = _want(5, "2019")
    want.year = 2021
    got = import_text(render_text(want, "tabs"))
    assert got.format_id == "2019" and got.year == 2021
    assert got.to_json()["values"] == want.to_json()["values"]
    assert [f.rule for f in validate(got).findings if f.severity == "error"] == ["format.year"]


def _with_legal_subtotal(text: str) -> str:
    """A 合计 column of the five 法人或其他组织 columns added before 总计 (the format has none)."""
    out = []
    for ln in _lines(text):
        c = ln.split("\t")
        if len(c) == 10 and c[-1].isdigit():
            c = c[:-1] + [str(sum(int(x or 0) for x in c[4:9]))] + c[-1:]
        elif "法律服务机构" in ln:
            c = c + ["合计"]
        out.append("\t".join(c))
    return "\n".join(out)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", [1, 2, 5])
def test_a_column_added_to_table_three_is_left_out(fmt, seed):
    """Every row one number too long, the row sums holding only without the 7th: that column is the agency's."""
    want = _want(seed, fmt)
    got = import_text(_with_legal_subtotal(render_text(want, "tabs")))
    assert got.to_json()["values"] == want.to_json()["values"]
    assert [f.message for f in got.findings] == [
        "申请情况表（收到和处理政府信息公开申请情况）各行比格式多一列（每行第 7 个数，去掉它后各行的合计才相符），是格式以外的列，未读取"
    ]


def test_an_added_column_of_zeros_is_not_guessed():
    """No applications from 法人: the added column is 0 in every row and cannot be told from the others by
    the sums. Nothing is read wrong; the rows stay doubtful."""
    want = _want(3, "2019")
    got = import_text(_with_legal_subtotal(render_text(want, "tabs")))
    _check(got, want)
    assert "doc.local_row" not in {f.rule for f in got.findings}


def _html_tables(page: str) -> list[str]:
    import re

    return re.findall(r"<table.*?</table>", page, re.S)


def _html_rows(table: str) -> list[str]:
    import re

    return re.findall(r"<tr>.*?</tr>", table, re.S)


def html_review_two_rows(page):
    import re

    data = _html_rows(_html_tables(page)[-1])[-1]
    tds = re.findall(r"<td[^>]*>(.*?)</td>", data)
    rows = [f"<tr><td>{label}</td>" + "".join(f"<td>{x}</td>" for x in part) + "</tr>"
            for label, part in (("行政复议", tds[:5]), ("行政诉讼", tds[5:]))]
    return page.replace(data, "".join(rows))


def html_review_header_repeated(page):
    rows = _html_rows(_html_tables(page)[-1])
    return page.replace(rows[-1], "".join(rows[:-1]) + rows[-1])


def html_apps_header_missing(page):
    apps = next(t for t in _html_tables(page) if "本列数据" in t)
    bare = apps
    for row in _html_rows(apps)[:3]:
        bare = bare.replace(row, "", 1)
    return page.replace(apps, bare)


@pytest.mark.parametrize("variant", [html_review_two_rows, html_review_header_repeated, html_apps_header_missing],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", [1, 2])
def test_web_table_variant_reads_everything(variant, fmt, seed):
    want = _want(seed, fmt)
    got = import_lines(html_lines(variant(render_html(want))))
    _check(got, want)
    assert got.to_json()["values"] == want.to_json()["values"]
