"""The macro-enabled template: the .xlsx template plus a small VBA module and the 校验 / 导出Word buttons.

Built on Linux with pyOpenVBA. The workbook's VBA is only ``xlgova/templates/vba/Xlgova.bas`` (no xlwings VBA module:
see docs/excel.md for the measured choice): it starts ``xlgova.excel.button`` in the Python environment
the offline installer makes, and explains every failure in Chinese from the very hidden
``xlgova.messages`` sheet. The VBA project is written the way [MS-OVBA] asks a writer to: a 7-byte
``_VBA_PROJECT`` stream (no performance cache) and module streams holding only compressed source.
An ``xlwings.conf`` sheet carries what the xlwings add-in needs for the worksheet functions.
"""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from .. import __version__
from ..safeio import atomic_output
from . import layout as L
from ..ooxml.compact import compact_part, rezip
from ..templates import VBA_DIR

MACROS_DIR = VBA_DIR
CONF_SHEET = "xlwings.conf"
MESSAGES_SHEET = "xlgova.messages"
VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000000")  # [MS-OVBA] 2.3.4.1 as a writer must store it
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
R_NS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
VENV_PYTHONW = r"%LOCALAPPDATA%\xlgova\venv\Scripts\pythonw.exe"  # where 安装.bat puts Python (Xlgova.bas)

# Read by the xlwings add-in only (the worksheet functions); a row here overrides the user's own
# xlwings settings, so only keys whose value xlgova needs are written, none left blank.
CONF = (
    ("Interpreter_Win", VENV_PYTHONW, "“安装.bat”建立的 Python 环境（xlwings 加载项会展开 %LOCALAPPDATA%）"),
    ("UDF Modules", "xlgova.excel.udfs", "工作表函数 GOVA_CHECK_APPS 等所在的模块（勿改）"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", False, "不把工作簿所在文件夹加入 Python 路径（避免同名 .py 文件干扰）"),
)
_FIX = "请运行 xlgova 安装包中的“安装.bat”（不需要联网），完成后重新按按钮。"
# What Xlgova.bas says when Python cannot say it (key -> text; {0} is the detail the macro fills in).
MESSAGES = (
    ("no_python", "无法启动 xlgova 的 Python：{0}\n" + _FIX
     + "如果本机还没有安装 Python 3.11 或 3.12，“安装.bat”会说明如何安装。如果已经安装过、仍出现本提示，"
     "可能是单位的安全软件阻止了 Excel 启动程序（如 Defender 的“阻止 Office 应用程序创建子进程”规则），"
     "请联系信息化部门；也可以改用 .xlsx 模板和命令 xlgova validate。"),
    ("no_xlgova", "找到了 Python 环境（{0}），但其中没有安装 xlgova 或安装不完整。\n" + _FIX),
    ("no_xlwings", "xlgova 的 Python 环境中缺少 xlwings（按钮与 Excel 通信需要它）。\n" + _FIX
     + "\n日志：{0}（可粘贴到资源管理器地址栏打开）"),
    ("xlwings_version", "xlgova 的 Python 环境中 xlwings 的版本与 xlgova 要求的不同。\n" + _FIX
     + "\n日志：{0}（可粘贴到资源管理器地址栏打开）"),
    ("no_workbook", "Python 已启动，但连接不到这个工作簿（常见原因：另一个 Excel 窗口里打开了同名工作簿，或 Excel "
     "以管理员身份运行）。请关闭同名工作簿、以普通方式打开 Excel 后再按按钮。\n日志：{0}（可粘贴到资源管理器地址栏打开）"),
    ("failed", "校验程序意外结束，您填写的数据没有被改动。请把日志文件发给技术支持人员。\n退出代码 / 日志：{0}"),
    ("sheet_password", "工作表“{0}”设置了密码保护，按钮不能撤销它。\n请在“审阅 → 撤销工作表保护”中输入密码撤销后再按按钮；"
     "校验结束后如需要，请重新设置密码保护。"),
    ("wps", "WPS 表格不能运行 xlgova 的“校验”“导出Word”按钮。\n请改用 .xlsx 模板填报（表内公式核对照常工作）；"
     "完整校验请用单位提供的 xlgova 校验台（网页），或在命令提示符中运行：xlgova validate 文件名.xlsx"),
    ("mac", "Mac 版 Excel 暂不支持 xlgova 的按钮。\n请改用 .xlsx 模板填报；完整校验请用单位提供的 xlgova 校验台"
     "（网页），或在终端中运行：xlgova validate 文件名.xlsx"),
    ("vba", "按钮运行出错：{0}\n工作表保护已恢复，您填写的数据没有被改动。"),
)
BUTTONS = (("校验", "ValidateReport"), ("导出Word", "ExportWord"))
BUTTON_SHEETS = (L.SECTION_TWO, L.APPS, L.REVIEW, L.RESULTS)
BUTTON_SIZE = (80.0, 24.0)  # points
BUTTON_GAP = 6.0
TITLE_ROW_HEIGHT = 22.0  # the 14 pt titles, set explicitly so the buttons' row starts where it is drawn
BUTTON_ROW_HEIGHT = 30.0


def project_macros() -> dict[str, str]:
    """xlgova/templates/vba/*.bas: module name -> source (ASCII: the VBA editor reads the system code page), with the
    template's xlgova version filled in (the button refuses an xlgova of another release)."""
    out = {}
    for path in sorted(MACROS_DIR.glob("*.bas")):
        text = path.read_text(encoding="ascii").replace("{version}", __version__)
        m = re.match(r'Attribute VB_Name = "([^"]+)"', text)
        out[m.group(1) if m else path.stem] = text
    return out


def add_conf_sheet(wb) -> None:
    ws = wb.create_sheet(CONF_SHEET)
    for i, (key, value, note) in enumerate(CONF, 1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, value)
        ws.cell(i, 4, note)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["D"].width = 80


def add_messages_sheet(wb) -> None:
    """The macro's Chinese texts (the VBA source stays ASCII), on a sheet the clerk never sees."""
    ws = wb.create_sheet(MESSAGES_SHEET)
    for i, (key, text) in enumerate(MESSAGES, 1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, text)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _macro_enabled(name: str, data: bytes) -> bytes:
    return data.replace(XLSX_MAIN, XLSM_MAIN) if name == "[Content_Types].xml" else data


def _declare_r(name: str, data: bytes) -> bytes:
    """Sheets that gained a <drawing r:id=…> need the r prefix declared on their root."""
    if name.startswith("xl/worksheets/sheet") and b"r:id=" in data:
        root = re.search(rb"<worksheet\b[^>]*>", data)
        if root and b"xmlns:r=" not in root.group(0):
            data = data[: root.start()] + b"<worksheet " + R_NS + data[root.start() + len(b"<worksheet"):]
    return data


def button_row(sheet: str) -> int:
    """The table sheets keep row 2 empty under their title: the buttons sit there. 校验结果's short title
    is centred over A:I, so its buttons fit at the left of row 1."""
    return 1 if sheet == L.RESULTS else 2


def place_buttons(wb) -> dict[str, tuple[float, float]]:
    """Give each button sheet its button row (fixed heights, so Excel draws the rows where the anchors
    say) and return sheet -> (left, top) in points of its first button: the top-left corner, inside a
    1366×768 window at 100 %."""
    out = {}
    for name in BUTTON_SHEETS:
        if name not in wb.sheetnames:
            continue
        ws, row = wb[name], button_row(name)
        top = 0.0
        for r in range(1, row):
            ws.row_dimensions[r].height = ws.row_dimensions[r].height or TITLE_ROW_HEIGHT
            top += ws.row_dimensions[r].height
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, BUTTON_ROW_HEIGHT)
        out[name] = (4.0, top + (ws.row_dimensions[row].height - BUTTON_SIZE[1]) / 2)
    return out


def build_xlsm(format_id: str, path: str | Path) -> Path:
    """Write ``xlgova-<format>.xlsm`` at ``path``: the template with the macro, its messages and the buttons."""
    from pyopenvba import ExcelFile
    from pyopenvba.apps.excel import ExcelApplication

    from .template import build_template

    wb = build_template(format_id)
    add_conf_sheet(wb)
    add_messages_sheet(wb)
    positions = place_buttons(wb)
    buf = io.BytesIO()
    wb.save(buf)
    with tempfile.TemporaryDirectory(prefix="xlgova-xlsm-") as tmp:
        work = Path(tmp) / "template.xlsm"
        work.write_bytes(rezip(buf.getvalue(), _macro_enabled))
        with ExcelFile(work) as book:
            project = book.add_vba_project()
            for name, source in project_macros().items():
                project.add_module(name, source)
            book.save(work)
        app = ExcelApplication.open(work)
        width, height = BUTTON_SIZE
        for sheet, (left, top) in positions.items():
            for i, (text, macro) in enumerate(BUTTONS):
                app.sheet(sheet).add_button(name=f"xlgova_{macro}", left=left + i * (width + BUTTON_GAP), top=top,
                                            width=width, height=height, text=text, macro=macro)
        app.save(work)
        data = rezip(work.read_bytes(), _finish_part)
    with atomic_output(path) as out:
        Path(out).write_bytes(data)
    return Path(path)


def _finish_part(name: str, data: bytes) -> bytes:
    if name == "xl/vbaProject.bin":
        return clean_vba_project(data)
    return compact_part(name, _declare_r(name, data))


def clean_vba_project(data: bytes) -> bytes:
    """vbaProject.bin as [MS-OVBA] asks a writer to store it: ``_VBA_PROJECT`` is the 7-byte header with
    version 0xFFFF and no performance cache, and every module stream is its compressed source alone
    (MODULEOFFSET 0, no p-code a VBA of the matching version might run instead of the source)."""
    from pyopenvba.cfb import CFB
    from pyopenvba.vba import compress, parse_vba_project, serialize_dir_stream, write_back_modules

    cfb = CFB.from_bytes(data)
    project = parse_vba_project(cfb)
    for module in project.modules:
        if module.text_offset:
            module.source = module.source  # materialise the text and mark the module for rewriting
            module.dirty = True
    write_back_modules(cfb, project)
    if project.dir_structure_dirty:
        cfb.write_stream_in_storage("VBA", "dir", compress(serialize_dir_stream(project)))
    cfb.write_stream_in_storage("VBA", "_VBA_PROJECT", VBA_PROJECT_STREAM)
    return cfb.to_bytes()


def vba_project_bin(path: str | Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/vbaProject.bin")


def xlsm_path(format_id: str, outdir: Path) -> Path:
    return Path(outdir) / f"xlgova-{format_id}.xlsm"


def build_all_xlsm(outdir: Path) -> list[Path]:
    from .template import FORMAT_IDS

    return [build_xlsm(f, xlsm_path(f, outdir)) for f in FORMAT_IDS]
