"""The desk on an intranet in a real browser (Debian's Chromium, Playwright): an agency signs in with its
personal link, submits, reads the 退回通知 the supervisor wrote, resubmits; the supervisor sees the new version.
Each party has its own browser context (its own cookies); the pages must run under the desk's CSP."""
from __future__ import annotations

import pytest

from desk_support import BASE, agencies, files, free_port, roster_csv, start, stop, workbook
from test_desk_browser import browser, drop, shot  # noqa: F401

pytestmark = pytest.mark.slow
PASSWORD = "浏览器测试用的口令-2024"


@pytest.fixture
def intranet(tmp_path):
    """A workspace with a roster and a password, served by `xlgova serve`; yields (url, A's code)."""
    from starlette.testclient import TestClient

    from xlgova.desk import auth, create_app

    app = create_app(tmp_path / "ws")
    with TestClient(app, base_url=BASE) as c:
        c.post("/api/roster", files=files(roster_csv(tmp_path)))
    auth.set_password(app.state.store, PASSWORD, "测试")
    code = auth.codes(app.state.store)[1]["code"]
    app.state.store.close()
    port = free_port()
    proc = start(tmp_path / "ws", port)
    yield f"http://127.0.0.1:{port}", code
    stop(proc)


def _context(browser, violations):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page = ctx.new_page()
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return ctx, page


def _submit(page, path) -> None:
    page.set_input_files('form[action="/my/submit"] input[type=file]', str(path))
    with page.expect_navigation():
        page.click('form[action="/my/submit"] button')


def test_an_agency_submits_reads_the_return_notice_and_resubmits(browser, intranet, tmp_path):
    url, code = intranet
    name = agencies()[1][0]
    violations: list[str] = []
    actx, agency = _context(browser, violations)
    sctx, sup = _context(browser, violations)
    try:
        agency.goto(f"{url}/progress")
        assert "/login" in agency.url  # nothing without signing in, even on loopback
        agency.goto(f"{url}/login?code={code}")  # the personal link on the 报送通知
        shot(agency, "login")
        with agency.expect_navigation():
            agency.click('form.signin:has(input[name=code]) button')
        assert agency.url.endswith("/my") and name in agency.text_content("h1")
        assert "报送进度" not in agency.text_content("header")
        _submit(agency, workbook(tmp_path / "v1", name, 1, broken=True))
        assert "有错误" in agency.text_content("table.versions")
        shot(agency, "my")

        sup.goto(f"{url}/login")
        sup.fill("input[name=password]", PASSWORD)
        with sup.expect_navigation():
            sup.click('form.signin:has(input[name=password]) button')
        assert sup.url.endswith("/progress")
        sup.goto(f"{url}/codes")
        assert code in sup.text_content("table.codes")
        shot(sup, "codes")
        sup.goto(f"{url}/progress")
        sup.click(f"text={name}")
        sup.fill("textarea[name=comment]", "申请情况表勾稽关系不符，请核对后重新报送。")
        with sup.expect_navigation():
            sup.click("button:has-text('退回')")
        assert sup.text_content("#state") == "已退回"

        agency.goto(f"{url}/my")
        notice = agency.text_content("section.notice")
        assert "申请情况表勾稽关系不符" in notice and "退回通知" in notice
        with agency.expect_download() as dl:
            agency.click("text=下载退回通知（Word）")
        assert dl.value.suggested_filename.startswith("退回通知_")
        shot(agency, "my-returned")
        drop(agency, 'form[action="/my/submit"]', [workbook(tmp_path / "v2", name, 1)])
        assert "第 2 版" in agency.text_content("table.versions") and "已提交" in agency.text_content("table.versions")

        sup.reload()
        assert "第 2 版" in sup.content() and sup.text_content("#state") == "已提交"
        with sup.expect_navigation():
            sup.click("header form.signout button")
        assert sup.url.endswith("/login")
        sup.goto(f"{url}/progress")
        assert "/login" in sup.url
    finally:
        actx.close()
        sctx.close()
    assert not violations, violations
