"""The desk in a real browser: Debian's headless Chromium driven by Playwright against ``xlgova serve``.

A clerk drops a workbook on 自查 and sees the marked table; the supervisor loads a roster, receives a folder,
returns one agency with a comment, accepts another, runs 汇总 and downloads the summary. With
``DESK_SCREENSHOTS=DIR`` each page is also saved at 1366×768 (how docs/img/desk-*.png are made).
"""
from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest

from desk_support import agencies, free_port, roster_csv, start, stop, workbook

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--lang=zh-CN"]
SHOTS = os.environ.get("DESK_SCREENSHOTS")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("\n" + "#" * 78 + "\n# Chromium is not installed: the desk's browser tests are SKIPPED.\n"
                    "# Install it with scripts/install-system-deps.sh (apt-get install chromium chromium-driver).\n" + "#" * 78)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def server(tmp_path):
    port = free_port()
    proc = start(tmp_path / "ws", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    yield context.new_page()
    context.close()


DROP = """async ([selector, files]) => {
  const dt = new DataTransfer();
  for (const [name, b64] of files) {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    dt.items.add(new File([bytes], name));
  }
  const form = document.querySelector(selector);
  form.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
  form.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
}"""


def drop(page, selector: str, paths: list[Path]) -> None:
    """Drop files on a drop zone the way a file manager does (a DataTransfer on a drop event)."""
    files = [[p.name, base64.b64encode(p.read_bytes()).decode()] for p in paths]
    with page.expect_navigation():
        page.evaluate(DROP, [selector, files])


def shot(page, name: str, *, full: bool = False) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"desk-{name}.png"), full_page=full)


def test_a_clerk_drops_a_workbook_and_sees_the_marked_table(server, page, tmp_path):
    src = workbook(tmp_path, agencies()[1][0], broken=True)
    page.goto(server + "/check")
    shot(page, "check-empty")
    drop(page, "form[data-drop]", [src])
    assert "发现" in page.text_content("#status") and "错误" in page.text_content("#status")
    marked = page.locator('td[data-mark="#FFC7CE"]')
    assert marked.count() >= 2
    assert page.locator('td[data-cell="apps.new.natural"]').get_attribute("data-mark") == "#FFC7CE"
    with page.expect_download() as dl:
        page.click("text=下载标注后的工作簿")
    assert dl.value.suggested_filename.endswith("（已标注）.xlsx")
    page.locator("table.official").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "check")


def test_the_supervisor_round_from_roster_to_summary(server, page, tmp_path):
    names = [n for n, _ in agencies(6)]
    folder = tmp_path / "邮件附件"
    sent = [workbook(folder, names[1], 1, broken=True), workbook(folder, names[2], 2), workbook(folder, names[4], 4),
            workbook(folder, names[5], 5)]
    page.goto(server + "/progress")
    page.set_input_files('form[action="/roster"] input[type=file]', str(roster_csv(tmp_path, 6, contacts=True)))
    with page.expect_navigation():
        page.click('form[action="/roster"] button')
    assert "未提交 <b>6</b>" in page.content()
    page.fill("input[name=deadline]", "2025-01-20")
    page.fill("input[name=contact]", "县政务公开办 王某 0000-1234567")
    with page.expect_navigation():
        page.click('form[action="/settings"] button')
    assert "报送截止日期：2025-01-20" in page.text_content("header")
    page.goto(server + "/progress")
    drop(page, 'form[action="/receive"]', sent)
    assert "共接收 4 个文件" in page.text_content("#status")
    shot(page, "received")
    page.goto(server + "/progress")
    assert "有错误 <b>1</b>" in page.content() and "未提交 <b>2</b>" in page.content()
    shot(page, "progress")

    page.click(f"text={names[1]}")
    page.fill("textarea[name=comment]", "申请情况表勾稽关系不符，请核对后重新报送。")
    shot(page, "agency", full=False)
    with page.expect_navigation():
        page.click("button:has-text('退回')")
    assert page.text_content("#state") == "已退回"
    with page.expect_download() as dl:
        page.click("text=退回通知")
    assert dl.value.suggested_filename.startswith("退回通知_")

    page.goto(server + "/progress")
    page.click(f"text={names[2]}")
    with page.expect_navigation():
        page.click("button:has-text('通过')")
    assert page.text_content("#state") == "已通过"

    page.goto(server + "/reminders")
    assert page.text_content("#count") == "3"  # two never submitted, one returned
    assert "联系人1" in page.content() and "13800000001" in page.content()  # from the roster's contact columns
    shot(page, "reminders")
    page.goto(server + "/codes/notices")
    slip = page.locator("section.slip").nth(1)
    assert "本单位联系人" in slip.text_content() and "联系人1" in slip.text_content()
    slip.scroll_into_view_if_needed()
    shot(page, "notices")

    page.goto(server + "/summary")
    with page.expect_navigation():
        page.click("button:has-text('开始汇总')")
    assert "汇总 4 个单位" in page.text_content("#last h2")
    with page.expect_download() as dl:
        page.click("#summary-download")
    assert dl.value.suggested_filename == "汇总.xlsx"
    path = tmp_path / "下载的汇总.xlsx"
    dl.value.save_as(path)
    from openpyxl import load_workbook

    assert "汇总说明" in load_workbook(path, read_only=True).sheetnames
    shot(page, "summary")
