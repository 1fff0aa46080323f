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
