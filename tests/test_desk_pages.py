"""The desk's pages and downloads, as a clerk and the supervisor use them (TestClient, no browser)."""
from __future__ import annotations

import io
import re
import zipfile

import docx
from openpyxl import load_workbook

from desk_support import agencies, desk, files, roster_csv, workbook  # noqa: F401


def test_self_check_page_shows_status_findings_tables_and_downloads(desk, tmp_path):
    assert "拖到这里" in desk.get("/check").text
    src = workbook(tmp_path, agencies()[1][0], broken=True)
    before = src.read_bytes()
    page = desk.post("/check", files=files(src), follow_redirects=True)
    assert page.status_code == 200
    assert "发现 1 个错误" in page.text or re.search(r"发现 \d+ 个错误", page.text)
    assert "收到和处理政府信息公开申请情况" in page.text and "结果维持" in page.text  # the official tables
    assert 'data-mark="#FFC7CE"' in page.text
    marked = desk.get(page.url.path + "/marked", params={"name": src.name})
    assert marked.status_code == 200 and "已标注" in marked.headers["content-disposition"].encode().decode("latin-1") or "%E5%B7%B2%E6%A0%87%E6%B3%A8" in marked.headers["content-disposition"]
    results = load_workbook(io.BytesIO(marked.content))["校验结果"]
    assert any("apps.balance" in str(c.value) for row in results.iter_rows() for c in row)
    word = desk.get(page.url.path + "/word", params={"name": src.name})
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "草稿" in text  # errors: a draft, as the 导出Word button does
    assert src.read_bytes() == before


def test_self_check_of_unusable_files_and_of_documents(desk, tmp_path):
    bad = tmp_path / "旧格式.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    page = desk.post("/check", files=files(bad), follow_redirects=True)
    assert page.status_code == 422 and "旧格式.xls" in page.text and "另存为" in page.text
    text = tmp_path / "报告.txt"
    text.write_text("一、总体情况\n本年度未收到申请。", encoding="utf-8")
    page = desk.post("/check", files=files(text), follow_redirects=True)
    assert page.status_code in (200, 422) and "报告.txt" in page.text
    assert "下载标注后的工作簿" not in page.text  # only a workbook can be marked
    assert desk.get("/checked/" + "0" * 64 + ".xlsx").status_code == 404


def _supervisor(desk, tmp_path):
    names = [n for n, _ in agencies()]
    r = desk.post("/roster", files=files(roster_csv(tmp_path)), follow_redirects=True)
    assert r.status_code == 200 and names[3] in r.text and "乡镇" in r.text
    got = desk.post("/receive", files=files(workbook(tmp_path, names[1], 1, broken=True), workbook(tmp_path, names[2], 2)))
    assert got.status_code == 200 and "共接收 2 个文件" in got.text
    return names


def test_progress_page_tree_counts_filters_and_settings(desk, tmp_path):
    names = _supervisor(desk, tmp_path)
    page = desk.get("/progress").text
    assert re.search(r"未提交 <b>3</b>", page) and re.search(r"有错误 <b>1</b>", page)
    for level in ("县级政府", "县级部门", "乡镇", "街道"):
        assert f"{level}（" in page
    only = desk.get("/progress", params={"state": "有错误"}).text
    assert names[1] in only and names[2] not in only
    assert names[3] in desk.get("/progress", params={"level": "乡镇"}).text
    desk.post("/settings", data={"deadline": "2025-01-31", "contact": "王某 0000-1234567", "sender": "测试县政务公开办"})
    assert "报送截止日期：2025-01-31" in desk.get("/progress").text
    desk.post("/roster/add", data={"name": "<script>alert(1)</script>局", "code": "", "level": "县级部门"})
    page = desk.get("/progress").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;局" in page
    aid = re.search(r'/agency/(\d+)">&lt;script', page).group(1)
    desk.post(f"/roster/{aid}/remove")
    assert "&lt;script&gt;" not in desk.get("/progress").text


def test_agency_page_versions_changes_return_and_accept(desk, tmp_path):
    names = _supervisor(desk, tmp_path)
    status = {a["agency"]: a for a in desk.get("/api/status").json()["agencies"]}
    desk.post("/receive", files=files(workbook(tmp_path / "v2", names[1], 1)))
    aid = re.search(r'/agency/(\d+)">' + names[1], desk.get("/progress").text).group(1)
    page = desk.get(f"/agency/{aid}").text
    assert "第 2 版" in page and "第 1 版" in page and "与上一版相比修改的数值" in page and "申请情况表「一、本年新收" in page
    latest = desk.get("/api/status").json()["agencies"]
    sid = next(a["submission"] for a in latest if a["agency"] == names[1])
    assert sid != status[names[1]]["submission"]
    r = desk.post(f"/submissions/{sid}/return", data={"comment": "表三数字请再核"}, follow_redirects=True)
    assert r.status_code == 200 and "已退回" in r.text and "表三数字请再核" in r.text and "退回通知" in r.text
    assert desk.get(f"/submissions/{sid}/notice.docx").status_code == 200
    assert desk.get(f"/submissions/{sid}/file").content == (tmp_path / "v2" / f"{names[1]}.xlsx").read_bytes()
    assert desk.get(f"/submissions/{sid}/marked").status_code == 200
    assert desk.get(f"/submissions/{sid}/word").status_code == 200
    other = status[names[2]]["submission"]
    r = desk.post(f"/submissions/{other}/accept", data={"comment": ""}, follow_redirects=True)
    assert "已通过" in r.text
    reminders = desk.get("/reminders").text
    assert names[1] in reminders and names[0] in reminders and names[2] not in reminders
    assert load_workbook(io.BytesIO(desk.get("/reminders.xlsx").content)).active["B3"].value in (names[0], names[1], names[3], names[4])


def test_summary_page_runs_the_consolidation_and_offers_every_download(desk, tmp_path):
    names = _supervisor(desk, tmp_path)
    assert "尚未汇总" in desk.get("/summary").text
    assert desk.get("/summary.xlsx").status_code == 404
    page = desk.post("/summary", data={"accepted_only": "0"}, follow_redirects=True).text
    assert "测试县" in page and "汇总 2 个单位" in page and names[0] in page
    assert load_workbook(io.BytesIO(desk.get("/summary.xlsx").content), read_only=True).sheetnames[0]
    templates = zipfile.ZipFile(io.BytesIO(desk.get("/summary/templates.zip").content)).namelist()
    assert any(names[2] in n for n in templates)
    word = zipfile.ZipFile(io.BytesIO(desk.get("/summary/word.zip").content)).namelist()
    assert len(word) == 3 and all(n.endswith(".docx") for n in word)
    page = desk.post("/summary", data={"accepted_only": "1"}, follow_redirects=True)
    assert page.status_code == 422 and "尚无已通过的报送" in page.text


def test_audit_page_and_unknown_pages_in_chinese(desk, tmp_path):
    _supervisor(desk, tmp_path)
    page = desk.get("/audit").text
    assert "导入名单" in page and "接收报送" in page
    missing = desk.get("/nowhere")
    assert missing.status_code == 404 and "没有该页面" in missing.text
    assert desk.get("/").status_code == 200  # redirected to 报送进度


def test_last_years_figures_stand_beside_the_cross_year_checks(desk, tmp_path):
    from excel_fixtures import reports
    from xlgova.workbook import write_workbook

    report = reports("2021", broken=True)  # last year's 结转 for 商业企业 disagrees with this year's 上年结转
    src = write_workbook(report, tmp_path / "有上年数据.xlsx")
    page = desk.post("/check", files=files(src), follow_redirects=True).text
    assert "跨年度核对（与上年数据）" in page
    row = re.search(r"申请情况表「商业企业」列</th>(.*?)</tr>", page, re.S).group(1)
    last = report.previous.number("apps.carried_out.business")
    assert f"上年报告「四、结转下年度继续办理」 {last}" in row and "相差" in row and 'data-mark="#FFEB9C"' in row


def test_every_page_has_a_plain_title_and_its_forms_once(desk, tmp_path):
    """A broken block once put the 进度 page's forms inside <title>: the tab showed HTML and the forms twice."""
    _supervisor(desk, tmp_path)
    for path in ("/check", "/progress", "/reminders", "/summary", "/audit"):
        page = desk.get(path).text
        assert re.search(r"<title>[^<>]+</title>", page), path
    assert desk.get("/progress").text.count('action="/roster/add"') == 1
