"""The process the template's 校验 / 导出Word buttons start: ``pythonw -m xlgova.excel.button check …`` (or ``export``).

The workbook's VBA (``xlgova/templates/vba/Xlgova.bas`` via ``macros/``) starts this module with the
arguments ``xw.Book.caller()`` reads (``--wb= --from_xl=1 --app= --hwnd=``) and the template's xlgova
version (``--template=``), waits, and reads the exit code. Whatever goes wrong, the clerk sees a Chinese
message and never a traceback: Python shows it in Excel when it can reach the workbook; otherwise the
exit code tells the VBA which of its own messages to show. Details always go to :func:`log_path`.
"""
from __future__ import annotations

import datetime as _dt
import os
import sys
import traceback
from pathlib import Path

# Exit codes the VBA knows (Xlgova.bas, ExplainExit). Python itself exits with 1 when ``-m`` cannot
# import this module: xlgova is not installed in that Python.
DONE = 0
NO_XLWINGS = 11
WRONG_XLWINGS = 12
NO_WORKBOOK = 13
LOG_LIMIT = 1_000_000  # bytes; the log starts afresh beyond this


def log_path() -> Path:
    """%LOCALAPPDATA%\\xlgova\\logs\\xlgova-button.log on Windows (the VBA messages name this path),
    ~/.cache/xlgova/xlgova-button.log elsewhere."""
    base = os.environ.get("LOCALAPPDATA")
    folder = Path(base) / "xlgova" / "logs" if base else Path.home() / ".cache" / "xlgova"
    return folder / "xlgova-button.log"


def log(text: str) -> Path:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = "w" if path.exists() and path.stat().st_size > LOG_LIMIT else "a"
        with open(path, mode, encoding="utf-8") as fh:
            fh.write(f"[{_dt.datetime.now():%Y-%m-%d %H:%M:%S}] {text.rstrip()}\n")
    except OSError:
        pass  # a log that cannot be written must not hide the message itself
    return path


def pinned_xlwings() -> str | None:
    """The xlwings version this xlgova was built against (its ``xlwings==`` requirement)."""
    from importlib import metadata

    try:
        requirements = metadata.requires("xlgova") or []
    except metadata.PackageNotFoundError:
        return None  # running from a source tree: nothing to compare with
    for req in requirements:
        name, _, version = req.partition("==")
        if name.strip().lower() == "xlwings" and version:
            return version.split(";")[0].strip()
    return None


def same_release(template: str | None, installed: str) -> bool:
    """A template works with the xlgova release that made it: same major.minor version."""
    return not template or template.split(".")[:2] == installed.split(".")[:2]


def _template_arg(argv: list[str]) -> str | None:
    return next((a.split("=", 1)[1] for a in argv if a.startswith("--template=")), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    action = argv[0] if argv else ""
    try:
        import xlwings
    except ImportError as e:
        log(f"{action}: xlwings cannot be imported ({e}); Python {sys.executable}")
        return NO_XLWINGS
    pinned = pinned_xlwings()
    if pinned and xlwings.__version__ != pinned:
        log(f"{action}: xlwings {xlwings.__version__} installed, xlgova needs {pinned}")
        return WRONG_XLWINGS
    try:
        book = xlwings.Book.caller()
    except Exception:  # noqa: BLE001 - any failure to reach Excel is told by the exit code
        log(f"{action}: cannot reach the calling workbook {argv}\n{traceback.format_exc()}")
        return NO_WORKBOOK
    run(book, action, _template_arg(argv))
    return DONE


def run(book, action: str, template: str | None) -> None:
    """Run a button's action on ``book``; every failure ends as a Chinese alert in Excel."""
    from .. import __version__
    from ..errors import XlgovaError
    from .entry import alert, export_book, validate_and_show

    if not same_release(template, __version__):
        alert(book, f"此工作簿由 xlgova {template} 的模板生成，本机安装的是 xlgova {__version__}：请使用与本机"
                    f"安装包一起提供的模板（templates 文件夹），或运行与模板同一版本的“安装.bat”。")
        return
    try:
        {"check": validate_and_show, "export": export_book}[action](book)
    except XlgovaError as e:
        where = log(f"{action}: {e}")
        alert(book, f"{e}\n\n（详细信息已写入日志：{where}）")
    except Exception:  # noqa: BLE001 - the clerk gets a message, the log gets the traceback
        where = log(f"{action}: unexpected error\n{traceback.format_exc()}")
        alert(book, "xlgova 运行出错，工作簿中您填写的数据没有被改动。\n"
                    f"详细信息已写入日志：{where}\n请把该日志文件发给技术支持人员。")


if __name__ == "__main__":
    raise SystemExit(main())
