"""xlgova read: show what xlgova reads from a workbook (the report JSON with --json)."""
from __future__ import annotations

import json
from collections import Counter

from ..model import NUMBER, SYMBOL, TEXT
from ..errors import XlgovaError
from ..render import report_title

NAME = "read"
HELP = "读取工作簿，显示读到的报告内容（--json 输出报告 JSON）"
EPILOG = """示例：
  xlgova read 海城街道2021.xlsx
  xlgova read 海城街道2021.xlsx --json > 2021.json

--json 输出的报告 JSON 可直接用于 xlgova validate / fill；读取时发现的问题列在 findings 中。
退出码：0 读取成功；2 文件无法读取。"""


def add_arguments(p) -> None:
    p.add_argument("workbook", metavar="WORKBOOK", help="工作簿（.xlsx/.xlsm，也可 .xls/.ods）")
    p.add_argument("--json", action="store_true", help="输出报告 JSON")
    p.add_argument("--provenance", action="store_true", help="JSON 中附上每个数值所在的工作表和单元格")


def run(args) -> int:
    from ..workbook.reader import read_workbook

    from ..loaders import WORKBOOK_SUFFIXES

    if not args.workbook.lower().endswith(WORKBOOK_SUFFIXES):
        raise XlgovaError("xlgova read 只读取 .xlsx / .xlsm / .xls / .ods 工作簿（报告 JSON 和文档请用 xlgova validate）", path=args.workbook)
    report = read_workbook(args.workbook)
    if args.json:
        data = report.to_json(provenance=args.provenance)
        if report.findings:
            data["findings"] = [f.to_json() for f in report.findings]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(summary(report, args.workbook))
    return 0


def summary(report, source: str) -> str:
    kinds = Counter(v.kind for v in report.values.values())
    lines = [f"■ {report_title(report)}  〔{source}〕"]
    from ..workbook.layout import COVER_FIELDS

    labels = {key: label for key, label, _a in COVER_FIELDS}
    cover = "，".join(f"{labels[k]} {v}" for k, v in report.meta.items() if k in labels)
    if cover:
        lines.append(f"  封面：{cover}")
    total = len(report.format.cells)
    lines.append(
        f"  统计表：{len(report.values)}/{total} 个单元格（数字 {kinds[NUMBER]}，空白 {kinds['blank']}，"
        f"符号 {kinds[SYMBOL]}，文字 {kinds[TEXT]}）"
    )
    sections = "，".join(f"第{k}部分 {len(t)} 字" for k, t in sorted(report.sections.items(), key=lambda kv: "一五六".find(kv[0])))
    lines.append(f"  正文：{sections or '未填写'}")
    prev = report.previous
    lines.append(f"  上年数据：{len(prev.values)} 个单元格" if prev is not None else "  上年数据：未填写")
    for f in report.findings:
        where = "、".join(loc for _, loc in f.locations[:3])
        lines.append(f"  {f.severity_label}：{f.message}" + (f"〔{where}〕" if where and where not in f.message else ""))
    lines.append("  校验请运行：xlgova validate " + source)
    return "\n".join(lines)
