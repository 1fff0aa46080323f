"""Deadline, overdue agencies highlighted, the 催报 list with each agency's contact, the printable 报送通知."""
from __future__ import annotations

import datetime as dt
import io

from desk_secure import secured  # noqa: F401
from desk_support import agencies
from xlgova.desk.deadline import overdue


def test_overdue_is_past_the_day_and_still_owing():
    day = dt.date(2025, 1, 31)
    assert overdue("2025-01-31", "未提交", day + dt.timedelta(days=1)) and overdue("2025-01-31", "已退回", day + dt.timedelta(days=1))
    assert not overdue("2025-01-31", "未提交", day) and not overdue("2025-01-31", "已提交", day + dt.timedelta(days=9))
    assert not overdue("", "未提交") and not overdue("明年一月", "未提交")


def test_overdue_agencies_are_highlighted_and_the_reminder_list_has_contacts(secured):
    from openpyxl import load_workbook

    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    c.post("/settings", data={"deadline": "2020-01-31", "contact": "县政务公开办 0000-1234567"}, headers=sup)
    assert c.post(f"/codes/{s.agency_id['C']}/contact", data={"person": "李某", "phone": "0000-7654321"}, headers=sup, follow_redirects=False).status_code == 303
    assert c.post("/my/contact", data={"person": "张某", "phone": "0000-1111111"}, headers=s.bearer("B"), follow_redirects=False).status_code == 303
    assert c.get("/api/my", headers=s.bearer("B")).json()["person"] == "张某"
    progress = c.get("/progress", headers=sup).text
    c_name, a_name = agencies()[3][0], agencies()[1][0]
    row = progress[progress.index(f">{c_name}<") - 300: progress.index(f">{c_name}<")]
    assert 'class="overdue"' in row
    row = progress[progress.index(f">{a_name}<") - 300: progress.index(f">{a_name}<")]
    assert 'class="overdue"' not in row.split("<tr")[-1]  # A has submitted
    reminders = c.get("/reminders", headers=sup).text
    assert "李某" in reminders and "0000-7654321" in reminders and 'class="overdue"' in reminders
    c.post(f"/api/submissions/{s.submission['B']}/return", json={"comment": "请改"}, headers=sup)
    assert "张某" in c.get("/reminders", headers=sup).text  # B, returned, named its own contact
    ws = load_workbook(io.BytesIO(c.get("/reminders.xlsx", headers=sup).content)).active
    rows = [[cell.value for cell in r] for r in ws.iter_rows(min_row=3)]
    mine = next(r for r in rows if r[1] == c_name)
    assert mine[7:10] == ["李某", "0000-7654321", "逾期"]
    assert [cell.value for cell in ws[2]][7:] == ["联系人", "联系电话", "是否逾期"]


def test_the_printable_notice_names_the_address_code_link_deadline_and_contact(secured):
    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    c.post("/settings", data={"deadline": "2025-01-31", "contact": "县政务公开办 王某 0000-1234567"}, headers=sup)
    assert c.post("/codes/address", data={"address": "https://desk.county.gov.cn"}, headers=sup, follow_redirects=False).status_code == 303
    assert c.post("/codes/address", data={"address": "javascript:alert(1)"}, headers=sup).status_code == 400
    text = c.get("/codes/notices", headers=sup).text
    assert text.count('<section class="slip">') == len(agencies())
    for want in ("报送通知", "https://desk.county.gov.cn/", s.code["A"], f"https://desk.county.gov.cn/login?code={s.code['A']}",
                 "2025-01-31", "王某 0000-1234567"):
        assert want in text, want
    c.post(f"/codes/{s.agency_id['C']}/revoke", headers=sup)
    assert c.get("/codes/notices", headers=sup).text.count('<section class="slip">') == len(agencies()) - 1
    assert "（已停用）" in c.get("/codes", headers=sup).text


ROSTER_HEADERS = (("联系人", "联系电话"), ("联系人", "电话"), ("联系人姓名", "手机"))


def _contact_roster(folder, headers, *, xlsx: bool = False):
    """The test roster with contact columns under the given headers: A and C have contacts, B has none."""
    import csv

    rows = [("单位名称", "单位层级", *headers)]
    for i, (name, level) in enumerate(agencies()):
        person, phone = {1: ("周某", "13800138000"), 3: ("=HYPERLINK(\"http://x\")", "+86 0000-2222222")}.get(i, ("", ""))
        rows.append((name, level, person, int(phone) if xlsx and phone.isdigit() else phone))
    path = folder / ("联系人名单.xlsx" if xlsx else "联系人名单.csv")
    if xlsx:
        from openpyxl import Workbook

        wb = Workbook()
        for r in rows:
            wb.active.append(list(r))
        wb.save(path)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(rows)
    return path


def test_the_roster_loader_reads_the_contact_columns_under_each_header_variant(tmp_path):
    from xlgova.consolidate import load_roster

    for i, headers in enumerate(ROSTER_HEADERS):
        for xlsx in (False, True):
            folder = tmp_path / f"{i}{xlsx}"
            folder.mkdir()
            entries = {e.name: e for e in load_roster(_contact_roster(folder, headers, xlsx=xlsx)).entries}
            a = entries[agencies()[1][0]]
            assert (a.person, a.phone, a.level) == ("周某", "13800138000", agencies()[1][1]), (headers, xlsx)
            assert entries[agencies()[2][0]].person == entries[agencies()[2][0]].phone == ""


def test_roster_contacts_reach_the_reminders_page_workbook_and_notice_and_keep_typed_ones(secured):
    from openpyxl import load_workbook

    from desk_support import files

    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    c.post(f"/codes/{s.agency_id['B']}/contact", data={"person": "张某", "phone": "0000-1111111"}, headers=sup)
    r = c.post("/api/roster", files=files(_contact_roster(s.tmp, ("联系人", "手机"))), headers=sup)
    assert r.status_code == 200, r.text
    a_name, b_name, c_name = (agencies()[i][0] for i in (1, 2, 3))
    for key in ("A", "B"):
        c.post(f"/api/submissions/{s.submission[key]}/return", json={"comment": "请改"}, headers=sup)
    page = c.get("/reminders", headers=sup).text
    assert "周某" in page and "13800138000" in page  # A, returned: from the roster
    assert "张某" in page and "0000-1111111" in page  # B, returned too: its row in the roster is empty: the typed contact stays
    assert "&#34;http://x&#34;" in page or "&quot;http://x&quot;" in page  # C's hostile name is text
    ws = load_workbook(io.BytesIO(c.get("/reminders.xlsx", headers=sup).content)).active
    rows = {r[1].value: r for r in ws.iter_rows(min_row=3)}
    assert [rows[a_name][i].value for i in (7, 8)] == ["周某", "13800138000"]
    assert rows[c_name][7].data_type == "s" and not str(rows[c_name][7].value).startswith("=")
    assert rows[c_name][8].data_type == "s" and rows[c_name][8].value.strip("'") == "+86 0000-2222222"
    notices = c.get("/codes/notices", headers=sup).text
    slip = notices[notices.index(f"<p>{a_name}：</p>"):]
    slip = slip[:slip.index("</section>")]
    assert "本单位联系人" in slip and "周某" in slip and "13800138000" in slip
