"""The process the buttons start (xlgova.excel.button): exit codes the VBA explains, and a Chinese alert
with the log's path, never a traceback, when Python itself fails."""
from __future__ import annotations

import re

import pytest
import xlwings as xw

from excel_fixtures import grids_for, reports
from xlgova import __version__
from xlgova.excel import button, entry
from xlwings_payload import payload_from_grids
from xlgova.errors import XlgovaError
from xlgova.workbook.xlsm import MACROS_DIR


@pytest.fixture
def logdir(monkeypatch, tmp_path):
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    return tmp_path / "xlgova" / "logs"


def _book():
    return xw.Book(json=payload_from_grids(grids_for(reports("2021", broken=True)), name="示例县.xlsm"))


def _alerts(book) -> list[str]:
    return [str(a["args"][0]) for a in book.json()["actions"] if a["func"] == "alert"]


def test_exit_codes_are_the_ones_the_macro_explains():
    bas = (MACROS_DIR / "Xlgova.bas").read_text(encoding="ascii")
    explained = {int(c) for c in re.findall(r"Case (-?\d+)\n", bas)}
    assert {button.DONE, button.NO_XLWINGS, button.WRONG_XLWINGS, button.NO_WORKBOOK, 1, -1} == explained


def test_not_started_from_excel_exits_13_and_logs(logdir):
    assert button.main(["check"]) == button.NO_WORKBOOK
    text = (logdir / "xlgova-button.log").read_text(encoding="utf-8")
    assert "cannot reach the calling workbook" in text and "Traceback" in text


def test_xlwings_of_another_version_exits_12(logdir, monkeypatch):
    monkeypatch.setattr(button, "pinned_xlwings", lambda: "0.0.1")
    assert button.main(["check"]) == button.WRONG_XLWINGS
    assert "xlgova needs 0.0.1" in (logdir / "xlgova-button.log").read_text(encoding="utf-8")


def test_pinned_xlwings_is_the_installed_requirement():
    assert button.pinned_xlwings() in (None, xw.__version__)


def test_check_runs_and_python_says_the_result(logdir):
    book = _book()
    button.run(book, "check", __version__)
    (alert,) = _alerts(book)
    assert "发现" in alert and "错误" in alert


def test_a_python_error_becomes_a_chinese_message_with_the_log(logdir, monkeypatch):
    def boom(_book):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(entry, "validate_and_show", boom)
    book = _book()
    button.run(book, "check", __version__)
    (alert,) = _alerts(book)
    assert "xlgova 运行出错" in alert and str(logdir / "xlgova-button.log") in alert
    assert "Traceback" not in alert and "internal detail" not in alert
    assert "RuntimeError: internal detail" in (logdir / "xlgova-button.log").read_text(encoding="utf-8")


def test_an_xlgova_error_shows_its_own_message(logdir, monkeypatch):
    def refuse(_book):
        raise XlgovaError("输出文件夹不可写", hint="请换一个位置。")

    monkeypatch.setattr(entry, "export_book", refuse)
    book = _book()
    button.run(book, "export", __version__)
    (alert,) = _alerts(book)
    assert alert.startswith("输出文件夹不可写") and "日志" in alert


def test_a_template_of_another_release_is_refused_with_a_reason(logdir):
    book = _book()
    button.run(book, "check", "9.9.0")
    (alert,) = _alerts(book)
    assert "9.9.0" in alert and __version__ in alert
    assert not [a for a in book.json()["actions"] if a["func"] == "setRangeColor"]


def test_the_module_the_macro_starts_exits_with_a_code_not_a_traceback(tmp_path):
    """What Xlgova.bas runs, as a process: away from Excel it cannot reach a workbook (13), says nothing
    on stderr (pythonw has none), and logs the details."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "LOCALAPPDATA": str(tmp_path), "PYTHONPATH": str(root)}
    run = subprocess.run([sys.executable, "-B", "-m", "xlgova.excel.button", "check", "--wb=示例.xlsm",
                          "--from_xl=1", "--hwnd=1", f"--template={__version__}"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == button.NO_WORKBOOK and run.stderr == ""
    assert (tmp_path / "xlgova" / "logs" / "xlgova-button.log").exists()
