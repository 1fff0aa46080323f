"""export_file and `xlgova export`: refuse errors, --force drafts, inputs untouched, PDF via LibreOffice."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import docx
import pytest

from xlgova.cli import main
from xlgova.export import DRAFT_MARK, ExportRefused, export_file
from xlgova.model import Value
from xlgova.errors import XlgovaError
from xlgova.demo.samples import random_report


@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(random_report(11, "2021", agency="示例县教育局").dumps(), encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path):
    report = random_report(12, "2021", agency="示例县教育局")
    report.values["apps.new.natural"] = Value("number", 999)
    report.values["review.reconsideration.total"] = Value("number", 77)
    path = tmp_path / "bad.json"
    path.write_text(report.dumps(), encoding="utf-8")
    return path


def test_export_file_writes_the_document(tmp_path, good):
    out = export_file(good, tmp_path / "out.docx")
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == "示例县教育局2021年政府信息公开工作年度报告"
    assert not list(tmp_path.glob(".*.tmp"))


def test_errors_are_refused_with_the_list_and_nothing_is_written(tmp_path, bad):
    before = bad.read_bytes()
    with pytest.raises(ExportRefused) as e:
        export_file(bad, tmp_path / "out.docx")
    message = str(e.value)
    assert "3 个校验错误" in message or "个校验错误" in message
    for rule in ("apps.row_total", "apps.balance", "review.total"):
        assert rule in message
    assert "--force" in message
    assert len(e.value.result.errors) >= 3
    assert not (tmp_path / "out.docx").exists()
    assert bad.read_bytes() == before


def test_force_exports_a_marked_draft(tmp_path, bad):
    out = export_file(bad, tmp_path / "out.docx", force=True)
    doc = docx.Document(str(out))
    assert doc.paragraphs[0].text == DRAFT_MARK
    assert DRAFT_MARK in doc.sections[0].header.paragraphs[0].text


def test_pdf_without_libreoffice_says_so_and_writes_nothing(tmp_path, good, monkeypatch):
    from xlgova.workbook import libreoffice

    monkeypatch.setattr(libreoffice, "available", lambda: False)
    with pytest.raises(XlgovaError, match="未安装 LibreOffice"):
        export_file(good, tmp_path / "out.docx", pdf=True)
    assert not list(tmp_path.glob("out.*"))


def test_cli_exit_codes_and_messages(tmp_path, good, bad, capsys):
    assert main(["export", str(good), "-o", str(tmp_path / "a.docx")]) == 0
    assert "已导出" in capsys.readouterr().out
    assert main(["export", str(bad), "-o", str(tmp_path / "b.docx")]) == 1
    err = capsys.readouterr().err
    assert "未导出" in err and "apps.balance" in err and not (tmp_path / "b.docx").exists()
    assert main(["export", str(bad), "-o", str(tmp_path / "b.docx"), "--force"]) == 1
    assert "草稿" in capsys.readouterr().out and (tmp_path / "b.docx").exists()
    assert main(["export", str(tmp_path / "missing.json"), "-o", str(tmp_path / "c.docx")]) == 2
    assert main(["export", str(good), "-o", str(tmp_path / "no" / "c.docx")]) == 2
    assert "输出文件夹不存在" in capsys.readouterr().err


def test_cli_default_output_and_json(tmp_path, good, capsys):
    assert main(["export", str(good), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["exported"] and data["valid"] and data["docx"] == str(tmp_path / "good.docx")
    assert (tmp_path / "good.docx").exists()


def test_the_input_is_never_overwritten(tmp_path, good):
    before = good.read_bytes()
    with pytest.raises(XlgovaError, match="输出文件与输入文件相同"):
        export_file(good, good)
    assert good.read_bytes() == before


def test_help_shows_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert "xlgova export" in out and "--force" in out and "--pdf" in out


def _pdf_pages(pdf):
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [(p.width, p.height, p.chars) for p in doc.pages]


@pytest.mark.libreoffice
@pytest.mark.parametrize("format_id", ["2021", "2019"])
def test_pdf_pages_are_a4_and_nothing_is_cut_off(tmp_path, libreoffice, format_id):
    report = random_report(13, format_id, agency="示例县自然资源和规划局")
    src = tmp_path / "r.json"
    src.write_text(report.dumps(), encoding="utf-8")
    out = export_file(src, tmp_path / "r.docx", pdf=True)
    pdf = out.with_suffix(".pdf")
    pages = _pdf_pages(pdf)
    text = ""
    page_texts = ["".join(c["text"] for c in chars) for _, _, chars in pages]
    if _cjk_font_installed():  # how text breaks into pages depends on the glyphs' metrics: only with a CJK font
        assert 3 <= len(pages) <= 5
        apps_pages = [i for i, t in enumerate(page_texts) if "申请人情况" in t or "四、结转下年度继续办理" in t]
        assert len(apps_pages) == 1, "the applications table is printed whole on one page"
    assert all(re.sub(r"[—\-\s\d]", "", t) for t in page_texts), "no page holds only its page number"
    for width, height, chars in pages:
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        # Nothing beyond the 公文 margins (28 mm left, 26 mm right = 79 pt, 74 pt), with slack for borders.
        xs = [c["x0"] for c in chars] + [c["x1"] for c in chars]
        assert min(xs) >= 79 - 3 and max(xs) <= width - 74 + 3
        text += "".join(c["text"] for c in chars)
    for label in ("申请人情况", "法人或其他组织", "未经复议直接起诉", "复议后起诉", "第二十条第（一）项", "（七）总计", "四、结转下年度继续办理"):
        assert label in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
        pngs = sorted(tmp_path.glob("page-*.png"))
        assert len(pngs) == len(pages)
        for png in pngs:
            w, h = _png_size(png)
            assert (w, h) == (414, 585)  # A4 at 50 dpi
            assert png.stat().st_size > 5000  # a blank page compresses to almost nothing


def _cjk_font_installed() -> bool:
    """Whether fontconfig knows a Chinese font (scripts/install-system-deps.sh installs Noto CJK). Without one,
    the page-break checks are left out, loudly; A4, margins and the text itself are checked either way."""
    found = shutil.which("fc-list") and subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                                       text=True, timeout=60).stdout.strip()
    if not found:
        import warnings

        msg = "NO CHINESE FONT IS INSTALLED: the PDF page-break checks are SKIPPED. Run `make system-deps` (root)."
        warnings.warn(msg)
        print("\n" + "#" * 80 + "\n# " + msg + "\n" + "#" * 80)
    return bool(found)


def _png_size(path):
    head = path.read_bytes()[:24]
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
