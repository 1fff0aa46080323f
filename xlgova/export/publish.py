"""From a report file to the published document: load, validate, refuse or mark as draft, write, convert."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..loaders import load_report
from ..model import Report
from ..errors import XlgovaError
from ..rules import Result, validate
from ..safeio import atomic_output, prepare_output
from ..workbook import libreoffice
from .report_docx import DRAFT_MARK, render_docx
from .docx_styles import fontconfig_xml

MAX_LISTED = 50  # errors listed in the refusal message; the rest are counted, never silently dropped


class ExportRefused(XlgovaError):
    """The report has validation errors and ``force`` was not given. ``result`` holds every finding."""

    def __init__(self, result: Result, path: str | Path | None = None):
        self.result = result
        errors = result.errors
        lines = [f"报告存在 {len(errors)} 个校验错误，未导出 Word 文件："]
        for i, f in enumerate(errors[:MAX_LISTED], 1):
            where = "、".join(loc for _, loc in f.locations)
            lines.append(f"  {i}. [{f.rule}] {f.message}" + (f"（{where}）" if where else ""))
        if len(errors) > MAX_LISTED:
            lines.append(f"  ……另有 {len(errors) - MAX_LISTED} 个错误，请用 xlgova validate 查看全部")
        super().__init__(
            "\n".join(lines),
            path=path,
            hint=f"请改正后重新导出；如确需导出，请加 --force，文档顶部将标注“{DRAFT_MARK}”。",
        )


@dataclass
class ExportOutcome:
    docx: Path
    pdf: Path | None
    result: Result
    draft: bool


def export_report(report: Report, out_path: str | Path, *, force: bool = False, pdf: bool = False) -> ExportOutcome:
    """Validate, then write the .docx (a draft when forced past errors) and, when asked, the PDF beside it."""
    prepare_output(out_path)
    if pdf and not libreoffice.available():
        raise XlgovaError(
            "未安装 LibreOffice，无法转换为 PDF（未生成任何文件）",
            path=out_path,
            hint="请安装 LibreOffice 后重试，或去掉 --pdf 只导出 Word 文件，再用 Word/WPS“另存为 PDF”。",
        )
    result = validate(report)
    draft = not result.valid
    if draft and not force:
        raise ExportRefused(result, report.source)
    docx_path = render_docx(report, out_path, draft=draft)
    pdf_path = to_pdf(docx_path) if pdf else None
    return ExportOutcome(docx_path, pdf_path, result, draft)


def to_pdf(docx_path: str | Path) -> Path:
    """The PDF beside the .docx (same name), converted by LibreOffice and moved into place atomically."""
    docx_path = Path(docx_path)
    target = docx_path.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="xlgova-pdf-") as tmp:
        fonts = Path(tmp) / "fonts.conf"
        fonts.write_text(fontconfig_xml(), encoding="utf-8")
        converted = libreoffice.convert(docx_path, "pdf", Path(tmp) / "out", env={"FONTCONFIG_FILE": str(fonts)})
        with atomic_output(target, inputs=(docx_path,)) as out:
            shutil.copyfile(converted, out)
    return target


def export_file(input_path: str | Path, out_path: str | Path, *, force: bool = False, pdf: bool = False) -> Path:
    """Load any report the loaders read (workbook, JSON, document), export it; returns the .docx path.

    Raises :class:`ExportRefused` (an :class:`XlgovaError`) listing the errors unless ``force``; with
    ``force`` the document is marked 草稿：存在校验错误. With ``pdf`` the PDF is written beside the .docx.
    """
    report = load_report(input_path)
    if report.source is None:
        report.source = str(input_path)
    return export_report(report, out_path, force=force, pdf=pdf).docx
