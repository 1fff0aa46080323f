"""The macro-enabled template: the .xlsx template plus the VBA that runs the checks in Python (xlwings).

Built on Linux with pyOpenVBA: the xlwings standalone VBA module and its Mac ``Dictionary`` class, both
taken from the pinned xlwings package (licence notices kept, version must equal the Python package's),
the project's macros from ``xlgova/templates/vba/*.bas``, an ``xlwings.conf`` sheet, and 校验 / 导出Word form buttons
on the table sheets and on 校验结果.
"""
from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from ..safeio import atomic_output
from . import layout as L
from ..ooxml.compact import compact_part, rezip
from ..templates import VBA_DIR

MACROS_DIR = VBA_DIR
CONF_SHEET = "xlwings.conf"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
R_NS = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'

# xlwings reads keys from A1 down (no header row); an empty value means "use xlwings' default".
CONF = (
    ("Interpreter_Win", "", "Windows：python.exe / pythonw.exe 的完整路径；留空则使用 PATH 中的 pythonw"),
    ("Interpreter_Mac", "", "macOS：python 的完整路径，如 /Library/Frameworks/Python.framework/Versions/3.12/bin/python3"),
    ("PYTHONPATH", "", "一般留空（xlgova 已用 pip 安装）"),
    ("UDF Modules", "xlgova.excel.udfs", "工作表函数 GOVA_CHECK_APPS 等所在的模块（勿改）"),
    ("Debug UDFs", False, ""),
    ("Use UDF Server", False, ""),
    ("Show Console", False, "排查问题时可改为 TRUE，显示 Python 控制台"),
    ("ADD_WORKBOOK_TO_PYTHONPATH", False, "不把工作簿所在文件夹加入 Python 路径（避免同名 .py 文件干扰）"),
)
BUTTONS = (("校验", "ValidateReport"), ("导出Word", "ExportWord"))
BUTTON_SHEETS = (L.SECTION_TWO, L.APPS, L.REVIEW, L.RESULTS)


def xlwings_modules() -> dict[str, str]:
    """The xlwings standalone VBA: the ``xlwings`` module (xlwings.bas) and the Mac ``Dictionary`` class."""
    import xlwings
    from pyopenvba import ExcelFile

    here = Path(xlwings.__file__).parent
    main = (here / "xlwings.bas").read_text(encoding="ascii")
    with ExcelFile(here / "quickstart_standalone.xlsm") as quickstart:
        dictionary = quickstart.vba_modules()["Dictionary"]
    return {"xlwings": main, "Dictionary": dictionary}


def vba_version(source: str) -> str | None:
    """The xlwings version a VBA module declares ('Version: 0.37.8')."""
    m = re.search(r"^'Version:\s*(\S+)", source, re.M)
    return m.group(1) if m else None


def project_macros() -> dict[str, str]:
    """xlgova/templates/vba/*.bas: module name -> source (ASCII: the VBA editor reads the system code page)."""
    out = {}
    for path in sorted(MACROS_DIR.glob("*.bas")):
        text = path.read_text(encoding="ascii")
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


def _macro_enabled(name: str, data: bytes) -> bytes:
    return data.replace(XLSX_MAIN, XLSM_MAIN) if name == "[Content_Types].xml" else data


def _declare_r(name: str, data: bytes) -> bytes:
    """Sheets that gained a <drawing r:id=…> need the r prefix declared on their root."""
    if name.startswith("xl/worksheets/sheet") and b"r:id=" in data:
        root = re.search(rb"<worksheet\b[^>]*>", data)
        if root and b"xmlns:r=" not in root.group(0):
            data = data[: root.start()] + b"<worksheet " + R_NS + data[root.start() + len(b"<worksheet"):]
    return data


def _points(ws, upto_col: int) -> float:
    """Left edge of column ``upto_col`` (1-based) in points, from the sheet's column widths."""
    from openpyxl.utils import get_column_letter

    total_px = 0
    for c in range(1, upto_col):
        dim = ws.column_dimensions.get(get_column_letter(c))
        width = dim.width if dim is not None and dim.width else 8.43
        total_px += 0 if dim is not None and dim.hidden else int(width * 7 + 5)
    return total_px * 0.75


def _button_column(ws) -> int:
    """First column right of everything the sheet shows (tables, check labels, the results summary)."""
    from openpyxl.utils import column_index_from_string

    shown = [column_index_from_string(k) for k, d in ws.column_dimensions.items() if d.width and not d.hidden]
    used = [c.column for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 40)) for c in row
            if c.value is not None and c.column < L.MIRROR_OFFSET]
    return max(shown + used + [1]) + 2 if ws.title != L.RESULTS else 10


def button_positions(wb) -> dict[str, tuple[float, float]]:
    """sheet -> (left, top) in points of its first button."""
    return {name: (_points(wb[name], _button_column(wb[name])), 4.0) for name in BUTTON_SHEETS if name in wb.sheetnames}


def build_xlsm(format_id: str, path: str | Path) -> Path:
    """Write ``xlgova/templates/xlgova-<format>.xlsm`` (or ``path``): the template with macros and buttons."""
    from pyopenvba import ExcelFile
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.vba import VBAModuleKind

    from .template import build_template

    wb = build_template(format_id)
    add_conf_sheet(wb)
    positions = button_positions(wb)
    buf = io.BytesIO()
    wb.save(buf)
    with tempfile.TemporaryDirectory(prefix="xlgova-xlsm-") as tmp:
        work = Path(tmp) / "template.xlsm"
        work.write_bytes(rezip(buf.getvalue(), _macro_enabled))
        with ExcelFile(work) as book:
            project = book.add_vba_project()
            for name, source in xlwings_modules().items():
                kind = VBAModuleKind.other if name == "Dictionary" else VBAModuleKind.standard
                project.add_module(name, source, kind=kind)
            for name, source in project_macros().items():
                project.add_module(name, source)
            book.save(work)
        app = ExcelApplication.open(work)
        for sheet, (left, top) in positions.items():
            for i, (text, macro) in enumerate(BUTTONS):
                app.sheet(sheet).add_button(name=f"xlgova_{macro}", left=left + i * 86, top=top, width=80, height=24,
                                            text=text, macro=macro)
        app.save(work)
        data = rezip(work.read_bytes(), lambda name, part: compact_part(name, _declare_r(name, part)), fixed_time=True)
    with atomic_output(path) as out:
        Path(out).write_bytes(data)
    return Path(path)


def xlsm_path(format_id: str, outdir: Path) -> Path:
    return Path(outdir) / f"xlgova-{format_id}.xlsm"


def build_all_xlsm(outdir: Path) -> list[Path]:
    from .template import FORMAT_IDS

    return [build_xlsm(f, xlsm_path(f, outdir)) for f in FORMAT_IDS]
