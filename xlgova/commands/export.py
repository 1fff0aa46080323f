"""xlgova export: the finished annual report as Word (.docx), optionally PDF, in the official layout."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..export.publish import ExportRefused, export_report
from ..loaders import load_report
from ..render import render_result

NAME = "export"
HELP = "将工作簿（或报告 JSON、已发布的报告）导出为正式格式的年度报告 Word 文档，可同时生成 PDF"
EPILOG = """示例：
  xlgova export 海城街道2021.xlsx -o 海城街道2021年报.docx
  xlgova export 海城街道2021.xlsx -o 海城街道2021年报.docx --pdf
  xlgova export 海城街道2021.xlsx -o 草稿.docx --force

存在校验错误的报告不予导出（列出全部错误）；加 --force 仍导出，文档顶部和每页页眉标注“草稿：存在校验错误”。
--pdf 需要安装 LibreOffice，PDF 与 Word 文件同名、同目录。
退出码：0 已导出且没有错误；1 存在校验错误（未导出，或加 --force 导出了草稿）；2 输入无法使用。"""


def add_arguments(p) -> None:
    p.add_argument("input", metavar="WORKBOOK", help="工作簿（.xlsx/.xlsm）、报告 JSON 或已发布的报告文档")
    p.add_argument("-o", "--output", metavar="REPORT.docx", help="输出的 Word 文件（默认：与输入同名的 .docx）")
    p.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF（与 Word 文件同名）")
    p.add_argument("--force", action="store_true", help="存在校验错误时仍导出，文档标注为草稿")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")


def default_output(input_path: str) -> Path:
    p = Path(input_path)
    return p.with_name(p.stem + ("_导出" if p.suffix.lower() == ".docx" else "") + ".docx")


def run(args) -> int:
    out = Path(args.output) if args.output else default_output(args.input)
    report = load_report(args.input)
    if report.source is None:
        report.source = args.input
    try:
        outcome = export_report(report, out, force=args.force, pdf=args.pdf)
    except ExportRefused as refused:
        if args.json:
            print(json.dumps({"source": args.input, "exported": False, **refused.result.to_json()}, ensure_ascii=False, indent=2))
        else:
            print(f"错误：{refused}", file=sys.stderr)
        return 1
    if args.json:
        data = {"source": args.input, "exported": True, "docx": str(outcome.docx), "pdf": str(outcome.pdf) if outcome.pdf else None,
                "draft": outcome.draft, **outcome.result.to_json()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if outcome.result.findings and any(f.severity != "info" for f in outcome.result.findings):
            print(render_result(report, outcome.result, source=args.input, show_info=False))
        print(f"已导出：{outcome.docx}" + ("（草稿：存在校验错误）" if outcome.draft else ""))
        if outcome.pdf:
            print(f"已导出：{outcome.pdf}")
    return 1 if outcome.draft else 0
