"""The desk's web security once a password is set: sign-in, CSRF, lockout, session expiry, headers, hostile and
oversized uploads, path traversal, escaping of agency names and comments, formula injection in its workbooks."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from desk_secure import PASSWORD, secured, sign_in  # noqa: F401
from desk_support import agencies, files, workbook
from xlgova.desk import auth, lockout


def _count(s, sql: str, *args) -> int:
    return s.store.db().execute(sql, args).fetchone()[0]


def test_once_a_password_is_set_every_page_needs_a_sign_in_also_on_loopback(secured):
    c = secured.client
    r = c.get("/progress", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/progress"
    assert c.get("/api/status").status_code == 401
    assert c.get("/api/status").headers["www-authenticate"].startswith("Bearer")
    assert c.post("/api/check", files=files(workbook(secured.tmp, agencies()[1][0]))).status_code == 401
    assert c.get("/login").status_code == 200


def test_session_cookie_is_httponly_and_samesite_and_signing_in_again_replaces_it(secured):
    c = secured.client
    r = c.post("/login", data={"code": secured.code["A"]}, follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie  # plain HTTP here
    first = c.cookies["xlgova_session"]
    c.post("/login", data={"code": secured.code["A"]}, headers={"X-CSRF-Token": "x"}, follow_redirects=False)
    assert c.cookies["xlgova_session"] != first
    c.cookies.clear()
    c.cookies.set("xlgova_session", first)
    assert c.get("/my", follow_redirects=False).status_code == 303  # the old session is gone


def test_a_form_without_the_session_csrf_token_is_refused_and_changes_nothing(secured):
    s, c = secured, secured.client
    token = sign_in(c, code=s.code["A"])
    before = _count(s, "SELECT COUNT(*) FROM submissions")
    path = workbook(s.tmp / "v2", agencies()[1][0], 3)
    r = c.post("/my/submit", files=files(path))
    assert r.status_code == 403 and "安全令牌" in r.text
    r = c.post("/my/submit", files=files(path), data={"csrf": "forged"})
    assert r.status_code == 403
    assert _count(s, "SELECT COUNT(*) FROM submissions") == before
    assert not any((s.store.incoming).iterdir())
    r = c.post("/my/submit", files=files(path), data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and _count(s, "SELECT COUNT(*) FROM submissions") == before + 1
    token = sign_in(c, password=PASSWORD)
    assert c.post("/settings", data={"deadline": "2020-01-01"}).status_code == 403
    assert c.post("/settings", data={"deadline": "2020-01-01", "csrf": token}, follow_redirects=False).status_code == 303
    assert c.post("/settings", data={"contact": "x"}, headers={"X-CSRF-Token": token}, follow_redirects=False).status_code == 303
    assert s.store.setting("deadline") == "2020-01-01"
    r = c.post("/settings", files={"x": ("a.txt", b"x")}, data={"deadline": "2021-02-02", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and s.store.setting("deadline") == "2021-02-02"  # a form sent as multipart
    assert not any(s.store.incoming.iterdir())


def test_every_form_on_every_template_carries_the_csrf_field():
    import re
    from pathlib import Path

    import xlgova.desk

    folder = Path(xlgova.desk.__file__).parent / "templates"
    for t in folder.glob("*.html"):
        for form in re.findall(r"<form\b[^>]*>.{0,40}", t.read_text(encoding="utf-8"), re.S):
            if 'method="post"' in form:
                assert "{{ csrf_field }}" in form, (t.name, form)


def test_cross_site_requests_are_refused_before_authorisation(secured):
    c = secured.client
    r = c.post("/login", data={"password": PASSWORD}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = c.post("/login", data={"password": PASSWORD}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


def test_failed_sign_ins_lock_out_then_release(secured, monkeypatch):
    s, c = secured, secured.client
    now = [1_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    for _ in range(lockout.PASSWORD_ADDRESS.max_failures):
        assert c.post("/login", data={"password": "wrong-password"}).status_code == 401
    r = c.post("/login", data={"password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 429 and "锁定" in r.text
    assert c.post("/api/login", json={"password": PASSWORD}).status_code == 429
    assert c.post("/login", data={"code": s.code["A"]}, follow_redirects=False).status_code == 303  # codes: another account
    assert _count(s, "SELECT COUNT(*) FROM audit WHERE action = '登录失败'") == lockout.PASSWORD_ADDRESS.max_failures
    now[0] += lockout.PASSWORD_ADDRESS.lockout + 1
    assert c.post("/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303
    for _ in range(lockout.CODE_ADDRESS.max_failures - 1):
        assert c.get("/api/my", headers={"Authorization": "Bearer WRONG-CODE"}).status_code == 401
    assert c.get("/api/my", headers={"Authorization": f"Bearer {s.code['A']}"}).status_code == 200
    c.get("/api/my", headers={"Authorization": "Bearer WRONG-CODE"})
    assert c.get("/api/my", headers={"Authorization": f"Bearer {s.code['A']}"}).status_code == 429
    for _ in range(lockout.CODE_ADDRESS.max_failures):
        c.post("/login", data={"code": "WRONG"})
    assert "锁定" in c.post("/login", data={"code": s.code["A"]}).text
    now[0] += lockout.CODE_ADDRESS.lockout + 1
    assert c.post("/login", data={"code": s.code["A"]}, follow_redirects=False).status_code == 303


def test_without_a_password_an_intranet_desk_lets_nobody_in(tmp_path):
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    app = create_app(tmp_path / "ws", hosts=None)
    with TestClient(app, base_url="http://desk.county.gov.cn") as c:
        assert c.get("/api/status").status_code == 401
        assert c.get("/progress", follow_redirects=False).headers["location"].startswith("/login")
    app.state.store.close()


def test_sessions_expire_when_idle_and_after_their_lifetime(secured, monkeypatch):
    s, c = secured, secured.client
    now = [2_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    sign_in(c, code=s.code["A"])
    now[0] += auth.IDLE - 60
    assert c.get("/my").status_code == 200
    now[0] += auth.IDLE + 1
    assert c.get("/my", follow_redirects=False).headers["location"].startswith("/login")
    sign_in(c, code=s.code["A"])
    for _ in range(auth.LIFETIME // (auth.IDLE - 60) + 1):
        now[0] += auth.IDLE - 60
        last = c.get("/my", follow_redirects=False)
    assert last.status_code == 303
    token = c.post("/api/login", json={"password": PASSWORD}).json()["token"]
    now[0] += auth.IDLE + 1
    assert c.get("/api/status", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_rotating_or_revoking_a_code_ends_its_access_at_once(secured):
    s, c = secured, secured.client
    sign_in(c, code=s.code["B"])
    name = agencies()[2][0]
    new = auth.rotate(s.store, name, "测试")
    assert c.get("/my", follow_redirects=False).status_code == 303
    assert c.get("/api/my", headers={"Authorization": f"Bearer {s.code['B']}"}).status_code == 401
    assert c.get("/api/my", headers={"Authorization": f"Bearer {new.lower().replace('-', '')}"}).status_code == 200
    typed = " ".join(new.replace("-", "")[i:i + 4] for i in range(0, 32, 4)).replace("O", "0").replace("I", "1").replace("B", "8")
    assert auth.agency_of_code(s.store, typed)["name"] == name  # as read from paper: spaces, 0 for O, 1 for I
    auth.revoke(s.store, name, "测试")
    assert c.get("/api/my", headers={"Authorization": f"Bearer {new}"}).status_code == 401
    sign_in(c, code=s.code["A"])  # an agency taken off the roster signs in no more (its submissions stay)
    c.post(f"/roster/{s.agency_id['A']}/remove", headers=s.bearer("supervisor"))
    assert c.get("/my", follow_redirects=False).status_code == 303
    assert c.get("/api/my", headers={"Authorization": f"Bearer {s.code['A']}"}).status_code == 401


def test_security_headers_on_every_answer(secured):
    c = secured.client
    for r in (c.get("/login"), c.get("/api/my", headers={"Authorization": f"Bearer {secured.code['A']}"}), c.get("/nowhere")):
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp and r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in c.get("/static/desk.css").headers.get("cache-control", "")


def test_no_template_holds_inline_script():
    import re
    from pathlib import Path

    import xlgova.desk

    for t in (Path(xlgova.desk.__file__).parent / "templates").glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text) and not re.search(r"\son[a-z]+=", text) and "javascript:" not in text, t.name


@pytest.mark.parametrize("name", ["../../../../tmp/xlgova-evil.xlsx", "..\\..\\evil.xlsx", "/etc/passwd.xlsx", "C:\\Windows\\win.ini.xlsx"])
def test_uploaded_names_are_never_paths(secured, name):
    s = secured
    data = workbook(s.tmp / "t", agencies()[1][0], 4).read_bytes()
    r = s.client.post("/api/submissions", files={"file": (name, data)}, headers=s.bearer("A"))
    assert r.status_code == 200
    got = r.json()["submissions"][0]
    assert "/" not in got["file"] and "\\" not in got["file"]
    stored = [p for p in s.store.root.rglob("*") if p.is_file() and p.read_bytes() == data]
    assert len(stored) == 1 and stored[0].parent.parent == s.store.files


def test_a_path_in_a_file_link_reaches_nothing(secured):
    s = secured
    for path in ("/checked/..%2f..%2fdesk.sqlite3.xlsx", "/checked/" + "a" * 64 + ".%2e%2e", "/submissions/0/file"):
        for who in ("A", "supervisor"):
            r = s.client.get(path, headers=s.bearer(who))
            assert r.status_code in (403, 404) and b"SQLite format" not in r.content, (path, who)


def test_oversized_and_hostile_uploads_of_a_signed_in_agency(tmp_path):
    from starlette.testclient import TestClient

    from desk_support import BASE, roster_csv
    from xlgova.desk import create_app

    app = create_app(tmp_path / "ws", max_upload_bytes=20_000)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as c:
        c.post("/api/roster", files=files(roster_csv(tmp_path)))
        auth.set_password(app.state.store, PASSWORD, "测试")
        code = auth.codes(app.state.store)[1]["code"]
        token = sign_in(c, code=code)
        r = c.post("/my/submit", files={"file": ("大.xlsx", b"PK" + b"\0" * 50_000)}, data={"csrf": token})
        assert r.status_code == 413 and "文件过大" in r.text
        hostile = {"炸弹.xlsx": b"PK\x03\x04" + b"\xff" * 5000, "空.xlsx": b"", "伪装.xlsx": b"<html><script>alert(1)</script></html>",
                   "报告.exe": b"MZ" + b"\0" * 100}
        for name, data in hostile.items():
            r = c.post("/my/submit", files={"file": (name, data)}, data={"csrf": token})
            assert r.status_code in (200, 400, 413, 422), (name, r.status_code)
        assert c.get("/my").status_code == 200
        assert not any((tmp_path / "ws" / "incoming").iterdir())
        rows = app.state.store.db().execute("SELECT DISTINCT agency_id FROM submissions").fetchall()
        assert [r[0] for r in rows] in ([], [auth.codes(app.state.store)[1]["agency_id"]])
    app.state.store.close()


XSS_NAME, XSS_COMMENT = "<script>alert('名')</script>局", '<img src=x onerror="alert(1)">请核对'


def test_agency_names_and_comments_are_escaped_on_every_page(secured):
    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    assert c.post("/roster/add", data={"name": XSS_NAME, "level": "县级部门"}, headers=sup, follow_redirects=False).status_code == 303
    c.post("/settings", data={"contact": XSS_COMMENT, "deadline": "2020-01-01"}, headers=sup)
    assert c.post(f"/api/submissions/{s.submission['A']}/return", json={"comment": XSS_COMMENT}, headers=sup).status_code == 200
    pages = [c.get(p, headers=sup).text for p in ("/progress", f"/agency/{s.agency_id['A']}", "/reminders", "/codes", "/codes/notices", "/audit")]
    pages.append(c.get("/my", headers=s.bearer("A")).text)
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
    assert any("&lt;script&gt;alert(" in t for t in pages) and "&lt;img src=x onerror=" in pages[-1]


def test_no_workbook_the_desk_writes_holds_an_agency_formula(secured):
    from openpyxl import load_workbook

    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    evil = '=HYPERLINK("http://evil.example","点击")'
    c.post("/roster/add", data={"name": evil, "level": "县级部门"}, headers=sup)
    c.post("/roster/add", data={"name": "@SUM(1+1)*cmd", "level": "乡镇"}, headers=sup)
    evil_book = workbook(s.tmp / "evil", "@SUM(1+1)*cmd", 7)
    got = c.post("/api/submissions", files=files(evil_book), headers=sup).json()["submissions"][0]
    c.post("/my/contact", data={"person": evil, "phone": "+1+cmd|' /C calc'!A0"}, headers=s.bearer("A"))
    c.post("/api/check", files=files(evil_book), headers=sup)  # 自查 of the same file: its marked copy by the checked path
    assert got["agency"] == "@SUM(1+1)*cmd"
    c.post(f"/api/submissions/{s.submission['A']}/return", json={"comment": "=cmd|' /C calc'!A0"}, headers=sup)
    assert c.post("/api/consolidate", headers=sup).status_code == 200
    books = [c.get(p, headers=sup).content for p in ("/api/reminders.xlsx", "/api/summary.xlsx", f"/submissions/{s.submission['B']}/marked",
                                                     f"/submissions/{got['id']}/marked")]
    books.append(c.get(f"/checked/{hashlib.sha256(evil_book.read_bytes()).hexdigest()}.xlsx/marked", headers=sup).content)
    with zipfile.ZipFile(io.BytesIO(c.get("/summary/templates.zip", headers=sup).content)) as z:
        books += [z.read(n) for n in z.namelist() if n.endswith(".xlsx")]
    assert len(books) >= 8
    for data in books:
        wb = load_workbook(io.BytesIO(data))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert not any(w in str(cell.value) for w in ("HYPERLINK", "cmd")), (ws.title, cell.coordinate, cell.value)
    assert any(evil in str(cell.value) for cell in load_workbook(io.BytesIO(books[0])).active["B"])
    assert any(evil in str(cell.value) for cell in load_workbook(io.BytesIO(books[0])).active["H"])  # A's contact, as text


def test_the_audit_log_records_sign_ins_uploads_decisions_consolidations_and_downloads(secured):
    s, c = secured, secured.client
    sup = s.bearer("supervisor")
    c.post(f"/api/submissions/{s.submission['A']}/return", json={"comment": "请改"}, headers=sup)
    c.post(f"/api/submissions/{s.submission['B']}/accept", json={}, headers=sup)
    c.post("/api/consolidate", headers=sup)
    c.get("/api/summary.xlsx", headers=sup)
    c.get(f"/submissions/{s.submission['A']}/notice.docx", headers=s.bearer("A"))
    actions = {(r["actor"], r["action"]) for r in s.store.db().execute("SELECT actor, action FROM audit")}
    a = f"报送单位：{agencies()[1][0]}"
    for want in [("汇总单位", "登录"), (a, "接收报送"), (a, "自查"), ("汇总单位", "已退回"), ("汇总单位", "已通过"),
                 ("汇总单位", "汇总"), ("汇总单位", "下载"), (a, "下载")]:
        assert want in actions, want


def test_contacts_file_names_and_the_checked_name_are_escaped_where_an_agency_sees_them(secured):
    s, c = secured, secured.client
    sup, a = s.bearer("supervisor"), s.bearer("A")
    assert c.post("/my/contact", data={"person": XSS_NAME, "phone": XSS_COMMENT}, headers=a, follow_redirects=False).status_code == 303
    evil_file = '<img src=x onerror="alert(2)">.xlsx'
    path = workbook(s.tmp / "xss", agencies()[1][0], 4)
    assert c.post("/api/submissions", files={"file": (evil_file, path.read_bytes())}, headers=a).status_code == 200
    c.post(f"/api/submissions/{s.submission['B']}/return", json={"comment": "请改"}, headers=sup)
    checked = c.get(f"/checked/{s.checked_sha}.xlsx", params={"name": "<script>alert(3)</script>.xlsx"}, headers=a)
    assert checked.status_code == 200
    pages = [checked.text, c.get("/my", headers=a).text]
    pages += [c.get(p, headers=sup).text for p in ("/progress", f"/agency/{s.agency_id['A']}", "/codes", "/codes/notices", "/audit")]
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(3)" in pages[0] and "&lt;img src=x onerror=" in pages[1]
    assert "&lt;script&gt;alert(" in pages[4] and "&lt;img src=x" in pages[5]  # the contact on 访问码 and the notice
    c.cookies.clear()
    login = c.get("/login", params={"code": '"><script>alert(4)</script>', "next": '"><img src=x>'}).text
    assert "<script>alert(4)" not in login and "<img src=x>" not in login and "&lt;script&gt;alert(4)" in login
