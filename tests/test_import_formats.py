"""The other forms a published report arrives in (issue 15): pages saved as one file (.mhtml/.mht), pages in
GBK/GB18030 or under a wrong charset, Word/WPS-exported HTML, CMS layout tables, old Word .doc and WPS .wps —
each made from the project's own sample reports, and each kind of hostile file refused with a Chinese message."""
from __future__ import annotations

import json
import os
import random
import stat
import time
from pathlib import Path

import pytest

from format_support import cms_page, mhtml, word_html
from import_support import read_exactly, render_html
from shape_support import with_blanks
from xlgova import limits
from xlgova.cli import main
from xlgova.demo.samples import random_report
from xlgova.errors import XlgovaError
from xlgova.importers import import_document

KEY_CELLS = ("apps.new.total", "apps.carried_in.total", "apps.handled_total.total", "apps.carried_out.total")


def assert_read(got, want):
    read_exactly(got, want)
    review = [c for c in want.values if c.startswith("review.") and c.endswith(".total")]
    assert review and all(got.number(c) == want.number(c) for c in KEY_CELLS + tuple(review))


def sample(seed: int, fmt: str, blanks: bool = True):
    want = random_report(seed, fmt, agency="海城街道办事处")
    return with_blanks(want, random.Random(seed)) if blanks else want


# -- Word / WPS "另存为网页" and CMS pages ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("charset", ["gb2312", "utf-8"])
def test_word_exported_html(tmp_path, fmt, charset):
    """MsoNormal paragraphs, <o:p>, mso- styles, <span lang=EN-US> numbers, &nbsp; blank cells, row-spanning group
    labels, and the long table split into two <table>s at a page break."""
    want = sample(3, fmt)
    page = word_html(want, charset=charset)
    assert page.count(b"<table") > len(want.format.tables) and b"&nbsp;" in page
    path = tmp_path / "年报.htm"
    path.write_bytes(page)
    assert_read(import_document(path), want)


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_word_html_with_its_source_wrapped(tmp_path, fmt):
    """Word wraps the HTML source every ~80 characters, inside sentences, headings and labels: a break beside a
    Chinese character is no break on the page (before: the title, headings and every sentence were cut apart)."""
    want = sample(4, fmt)
    page = word_html(want, wrap=7)
    assert "海城街道\r\n".encode("gb18030") in page or "\r\n海城".encode("gb18030") in page or b"\r\n" in page
    path = tmp_path / "年报.htm"
    path.write_bytes(page)
    assert_read(import_document(path), want)


@pytest.mark.parametrize("wrapper", ["<pre>{}</pre>", "<div style='WHITE-SPACE: pre-wrap'>{}</div>"])
def test_preformatted_text_keeps_its_lines(tmp_path, wrapper):
    import html

    from import_support import render_text

    want = sample(9, "2021")
    path = tmp_path / "年报.html"
    path.write_text("<html><body><p>首页 &gt; 年度报告</p>" + wrapper.format(html.escape(render_text(want, "tabs"))) + "</body></html>", encoding="utf-8")
    assert_read(import_document(path), want)


@pytest.mark.parametrize("where", ["spans in cells", "div around the article"])
def test_pre_wrap_around_tables_keeps_the_tables(tmp_path, where):
    """Text pasted from online editors comes in white-space: pre-wrap spans, and some CMS style the whole article
    so: the tables inside are still tables."""
    import re

    want = sample(10, "2021")
    page = render_html(want)
    if where == "spans in cells":
        page = re.sub(r"(<td [^>]*>)([^<]*)(</td>)", r"\1<span style='white-space: pre-wrap;'>\2</span>\3", page)
    else:
        page = page.replace("<div class='article'>", "<div class='article' style='white-space:pre-wrap'>")
    path = tmp_path / "年报.html"
    path.write_text(page, encoding="utf-8")
    assert_read(import_document(path), want)


def test_cms_layout_tables(tmp_path):
    want = sample(8, "2021")
    path = tmp_path / "年报.html"
    path.write_text(cms_page(want), encoding="utf-8")
    assert_read(import_document(path), want)


# -- charsets --------------------------------------------------------------------------------------------
def _charset_cases(page: str) -> dict[str, bytes]:
    declared = lambda cs: page.replace("<meta charset='utf-8'>", f"<meta http-equiv='Content-Type' content='text/html; charset={cs}'>")  # noqa: E731
    no_meta = page.replace("<meta charset='utf-8'>", "")
    return {
        "gbk, no meta": no_meta.encode("gbk"),
        "gb18030 under gb2312 (a rare character)": declared("gb2312").replace("海城街道", "𠀾海城街道", 1).encode("gb18030"),
        "utf-8 with BOM": b"\xef\xbb\xbf" + no_meta.encode("utf-8"),
        "utf-16 with BOM": no_meta.encode("utf-16"),
        "gbk under a wrong utf-8": declared("utf-8").encode("gbk"),
        "utf-8 under a wrong gb2312": declared("gb2312").encode("utf-8"),
        "gbk under a wrong iso-8859-1": declared("iso-8859-1").encode("gbk"),
    }


@pytest.mark.parametrize("case", list(_charset_cases("")))
def test_page_charsets(tmp_path, case):
    want = sample(5, "2021", blanks=False)
    path = tmp_path / "年报.html"
    path.write_bytes(_charset_cases(render_html(want))[case])
    if "rare" in case:  # 𠀾 is beyond GB2312 and GBK: only GB18030 reads it
        want.agency = "𠀾海城街道办事处"
    assert_read(import_document(path), want)


# -- pages saved as one file -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["word gb2312 qp", "cms utf-8 base64", "cms gbk under a wrong utf-8", "start names the second page"])
def test_mhtml(tmp_path, kind):
    want = sample(11, "2021")
    if kind == "word gb2312 qp":
        data = mhtml(word_html(want), "gb2312")
    elif kind == "cms utf-8 base64":
        data = mhtml(cms_page(want).encode("utf-8"), "utf-8", transfer="base64")
    elif kind == "cms gbk under a wrong utf-8":
        data = mhtml(cms_page(want).encode("gbk"), "utf-8")
    else:
        data = mhtml(cms_page(want).encode("utf-8"), "utf-8", decoy=True)
    path = tmp_path / ("年报.mht" if "word" in kind else "年报.mhtml")
    path.write_bytes(data)
    assert_read(import_document(path), want)


def test_plain_html_saved_under_mht_name_reads(tmp_path):
    want = sample(12, "2021")
    path = tmp_path / "年报.mht"
    path.write_text(render_html(want), encoding="utf-8")
    assert_read(import_document(path), want)


def _mime(parts: int) -> bytes:
    head = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n'
    part = b"--B\r\nContent-Type: text/plain\r\n\r\nx\r\n"
    return head + part * parts + b"--B--\r\n"


def _nested(depth: int) -> bytes:
    out = b"MIME-Version: 1.0\r\n"
    for k in range(depth):
        out += f'Content-Type: multipart/related; boundary="B{k}"\r\n\r\n--B{k}\r\n'.encode()
    return out + b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n"


@pytest.mark.parametrize("name, data, message", [
    ("many.mhtml", _mime(10_000), r"网页存档中有约 100\d\d 个部分（上限 2000）"),
    ("deep.mhtml", _nested(50), "多部分内容"),
    ("nopage.mhtml", _mime(3), "没有网页"),
    ("garbage.mht", bytes(range(256)) * 40, "文件内容无法识别"),
    ("pdf.mht", b"%PDF-1.4 something", "这是PDF 文件"),
    ("empty.mhtml", b"", r"文件是空的（0 字节）"),
])
def test_hostile_mhtml(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(XlgovaError, match=message) as e:
        import_document(path)
    assert str(path) in str(e.value) and time.monotonic() - started < 10


def test_mhtml_bounds_come_from_limits():
    assert limits.MHTML_MAX_PARTS < 10_000 and limits.MHTML_MAX_MULTIPARTS <= limits.DOCUMENT_MAX_TABLE_DEPTH


# -- old Word and WPS --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, data, message", [
    ("garbage.doc", bytes(range(256)) * 40, "文件内容无法识别，不是 ?Word 97-2003 文档"),
    ("text.wps", "这是一段文字".encode("utf-8"), "这是纯文本文件，不是 ?Word 97-2003 文档"),
    ("zip.doc", b"PK\x03\x04" + bytes(100), "Word|损坏"),
    ("pdf.doc", b"%PDF-1.4 x", "这是PDF 文件"),
])
def test_old_word_that_is_not_a_document(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(XlgovaError, match=message) as e:
        import_document(path)
    assert str(path) in str(e.value) and ("另存为 .docx" in str(e.value) or "Word" in str(e.value))


def test_old_word_names_on_other_files_read_as_what_they_are(tmp_path):
    """Sites serve web pages and .docx files under a .doc name: each is read by its own reader."""
    from import_support import render_docx

    want = sample(13, "2021")
    (tmp_path / "page.doc").write_bytes(word_html(want))
    assert_read(import_document(tmp_path / "page.doc"), want)
    render_docx(want, tmp_path / "real.docx")
    os.replace(tmp_path / "real.docx", tmp_path / "real.doc")
    assert_read(import_document(tmp_path / "real.doc"), want)


def test_old_word_without_libreoffice(tmp_path, monkeypatch):
    from xlgova.ooxml.filekinds import OLE2_MAGIC
    from xlgova.workbook import libreoffice

    monkeypatch.setattr(libreoffice, "soffice", lambda: None)
    path = tmp_path / "年报.doc"
    path.write_bytes(OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + b"\x00\x00")
    with pytest.raises(XlgovaError, match="未安装 LibreOffice") as e:
        import_document(path)
    assert "请在 Word 或 WPS 中打开，另存为 .docx 后再导入" in str(e.value)


def test_hanging_converter_is_killed_with_its_group(tmp_path, monkeypatch):
    """A .doc that makes LibreOffice hang: the conversion (and every process it started) is stopped."""
    from xlgova.ooxml.filekinds import OLE2_MAGIC
    from xlgova.workbook import libreoffice

    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pids}\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(libreoffice, "soffice", lambda: str(fake))
    monkeypatch.setattr(limits, "DOCUMENT_CONVERT_SECONDS", 2)
    path = tmp_path / "年报.doc"
    data = OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + b"\x00\x00"
    path.write_bytes(data)
    started = time.monotonic()
    with pytest.raises(XlgovaError, match="超时") as e:
        import_document(path)
    assert time.monotonic() - started < 30 and str(path) in str(e.value) and "另存为 .docx" in str(e.value)
    assert path.read_bytes() == data
    child = int(pids.read_text())
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.libreoffice
@pytest.mark.parametrize("to, suffix", [("doc:MS Word 97", ".doc"), ("doc:MS Word 97", ".wps"), ("rtf", ".doc")])
def test_old_word_from_the_word_export(libreoffice, tmp_path, to, suffix):
    """The project's Word export, saved by LibreOffice as Word 97-2003, read back (.wps: WPS 文字 writes the
    same binary format; RTF: what some sites serve as .doc); the input is left byte for byte as it was."""
    export = pytest.importorskip("xlgova.export")
    want = random_report(6, "2021", agency="红星镇人民政府")
    doc = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), to, tmp_path / "doc")
    path = doc.rename(doc.with_name("红星镇2021年报" + suffix))
    before = path.read_bytes()
    os.chmod(path, 0o444)
    got = import_document(path)
    assert_read(got, want)
    assert path.read_bytes() == before and got.provenance["apps.new.total"].file == str(path)  # never the temporary copy


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_libreoffice_html_export_of_the_word_export(libreoffice, tmp_path, fmt):
    """Another real writer of report pages: LibreOffice's HTML export of the project's Word export (<p> in
    cells, <font>, <col>, <colgroup>), saved under the .shtml name many government sites use."""
    export = pytest.importorskip("xlgova.export")
    want = random_report(6, fmt, agency="红星镇人民政府")
    page = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "html:HTML (StarWriter)", tmp_path / "html")
    assert_read(import_document(page.rename(page.with_suffix(".shtml"))), want)


@pytest.mark.libreoffice
def test_word_2003_xml_saved_as_doc(libreoffice, tmp_path):
    """Many government systems fill a Word 2003 XML template and serve it as .doc."""
    export = pytest.importorskip("xlgova.export")
    want = random_report(8, "2021", agency="红星镇人民政府")
    xml = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "xml:MS Word 2003 XML", tmp_path / "xml")
    assert b'progid="Word.Document"' in xml.read_bytes()[:400]
    assert_read(import_document(xml.rename(tmp_path / "模板导出.doc")), want)


def test_word_2003_xml_with_entities_is_refused_before_libreoffice(tmp_path, monkeypatch):
    from xlgova.workbook import libreoffice

    monkeypatch.setattr(libreoffice, "convert", lambda *a, **k: pytest.fail("LibreOffice must not see it"))
    path = tmp_path / "外部实体.doc"
    path.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY s SYSTEM "file:///etc/passwd">]>\n'
                     b'<?mso-application progid="Word.Document"?><w:wordDocument><w:body>&s;</w:body></w:wordDocument>')
    with pytest.raises(XlgovaError, match="DOCTYPE/ENTITY") as e:
        import_document(path)
    assert str(path) in str(e.value)


@pytest.mark.libreoffice
def test_old_word_renamed_docx_is_converted(libreoffice, tmp_path):
    export = pytest.importorskip("xlgova.export")
    want = random_report(7, "2019", agency="红星镇人民政府")
    doc = libreoffice.convert(export.render_docx(want, tmp_path / "r.docx"), "doc:MS Word 97", tmp_path / "doc")
    assert_read(import_document(doc.rename(tmp_path / "改了扩展名.docx")), want)


@pytest.mark.libreoffice
def test_old_word_that_libreoffice_cannot_convert(libreoffice, tmp_path):
    from xlgova.ooxml.filekinds import OLE2_MAGIC

    path = tmp_path / "broken.doc"
    path.write_bytes(OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + b"\x00\x00" + os.urandom(4000))
    with pytest.raises(XlgovaError, match="无法转换这份旧版 Word/WPS 文档|没有文字|未找到") as e:
        import_document(path)
    assert str(path) in str(e.value)


# -- the one list of suffixes --------------------------------------------------------------------------
def test_batch_import_takes_the_new_suffixes_and_skips_saved_page_folders(tmp_path, capsys):
    want = sample(21, "2021")
    folder = tmp_path / "全市年报"
    (folder / "年报_files").mkdir(parents=True)
    (folder / "年报.html").write_text(cms_page(want), encoding="utf-8")
    (folder / "年报_files" / "saved_resource.html").write_text("<html><body>广告</body></html>", encoding="utf-8")
    (folder / "另一份.mhtml").write_bytes(mhtml(word_html(sample(22, "2021")), "gb2312"))
    (folder / "网页版.doc").write_bytes(word_html(sample(23, "2019")))
    out = tmp_path / "审核.json"
    main(["import", str(folder), "-o", str(out), "--json"])

    reports = json.loads(out.read_text(encoding="utf-8"))["reports"]
    assert sorted(Path(r["文件"]).name for r in reports) == ["另一份.mhtml", "年报.html", "网页版.doc"]
    assert all(r["状态"] != "无法读取" and r["apps.new.total"] is not None for r in reports), reports


def test_validate_and_help_name_the_new_suffixes(tmp_path, capsys):
    from xlgova.loaders import DOCUMENT_SUFFIXES

    want = sample(24, "2021")
    path = tmp_path / "年报.mhtml"
    path.write_bytes(mhtml(cms_page(want).encode("utf-8"), "utf-8"))
    assert main(["validate", str(path), "--json"]) in (0, 1)
    assert '"unusable"' not in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    shown = capsys.readouterr().out
    assert all(s in shown for s in DOCUMENT_SUFFIXES if s != ".text")


def test_desk_checks_saved_pages_and_old_word_names(tmp_path):
    """The desk's upload reads the new suffixes through the same loader, and its file pickers offer them."""
    from desk_support import BASE, files
    from starlette.testclient import TestClient
    from xlgova.desk import create_app
    from xlgova.importers import DOCUMENT_SUFFIXES

    want = sample(25, "2021")
    page, doc = tmp_path / "年报.mhtml", tmp_path / "网页版.doc"
    page.write_bytes(mhtml(cms_page(want).encode("utf-8"), "utf-8", transfer="base64"))
    doc.write_bytes(word_html(want))
    app = create_app(tmp_path / "ws")
    try:
        with TestClient(app, base_url=BASE, raise_server_exceptions=False) as desk:
            for path in (page, doc):
                got = desk.post("/api/check", files=files(path))
                assert got.status_code == 200, got.text
                (entry,) = got.json()["reports"]
                assert entry["source"] == path.name and entry["agency"] == "海城街道办事处"
            form = desk.get("/check").text
    finally:
        app.state.store.close()
    assert all(s in form for s in DOCUMENT_SUFFIXES if s != ".text")


def test_single_part_mht(tmp_path):
    """Internet Explorer saves a page without pictures as one text/html message, not a multipart."""
    import quopri

    want = sample(26, "2021")
    body = quopri.encodestring(word_html(want))
    path = tmp_path / "年报.mht"
    path.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: text/html; charset="gb2312"\r\n'
                     b"Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body)
    assert_read(import_document(path), want)


def test_damaged_saved_pages_never_crash(tmp_path):
    """Saved pages cut short, with bytes flipped or lines dropped: a report (with findings) or a Chinese
    message naming the file, never another exception."""
    rng = random.Random(15)
    good = mhtml(word_html(sample(27, "2021")), "gb2312")
    path = tmp_path / "年报.mhtml"
    outcomes = {"read": 0, "refused": 0}
    for _ in range(60):
        data = bytearray(good)
        kind = rng.choice(["cut", "flip", "drop"])
        if kind == "cut":
            data = data[: rng.randrange(len(data))]
        elif kind == "flip":
            for _ in range(rng.randrange(1, 50)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        else:
            lines = bytes(data).split(b"\n")
            del lines[rng.randrange(len(lines))]
            data = bytearray(b"\n".join(lines))
        path.write_bytes(bytes(data))
        try:
            import_document(path)
            outcomes["read"] += 1
        except XlgovaError as e:
            assert str(path) in str(e)
            outcomes["refused"] += 1
    assert outcomes["read"] > 0


def test_conversions_wait_for_a_free_libreoffice_slot(tmp_path, monkeypatch):
    """At most limits.LIBREOFFICE_PARALLEL conversions run at once; one that gets no slot in time says so."""
    import threading

    from xlgova.ooxml.filekinds import OLE2_MAGIC
    from xlgova.workbook import libreoffice

    assert libreoffice._SLOTS._value == limits.LIBREOFFICE_PARALLEL
    monkeypatch.setattr(libreoffice, "_SLOTS", threading.BoundedSemaphore(1))
    libreoffice._SLOTS.acquire()  # another thread's conversion holds the only slot
    monkeypatch.setattr(limits, "DOCUMENT_CONVERT_SECONDS", 1)
    monkeypatch.setattr(libreoffice, "soffice", lambda: "/bin/false")
    path = tmp_path / "年报.doc"
    path.write_bytes(OLE2_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + b"\x00\x00")
    with pytest.raises(XlgovaError, match="LibreOffice 正忙") as e:
        import_document(path)
    assert str(path) in str(e.value)
