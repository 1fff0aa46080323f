"""xlgova validate: check reports (JSON, workbooks, published documents)."""
from __future__ import annotations

import json
import sys

from ..loaders import load_report, suffix_words
from ..errors import XlgovaError
from ..render import render_result, result_json
from ..rules import validate

NAME = "validate"
HELP = f"校验年度报告（报告 JSON、.xlsx/.xlsm 工作簿，或已发布的报告文档 {suffix_words()}）"
EPILOG = """示例：
  xlgova validate 海城街道2021.xlsx
  xlgova validate 2022.json --previous 2021.json --json
  xlgova validate 年报.mhtml 旧年报.doc

退出码：0 没有错误；1 发现错误；2 输入无法使用。"""


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="要校验的报告文件")
    p.add_argument("--previous", metavar="PATH", help="上年度报告（JSON、工作簿或已发布的报告文档），用于跨年度核对")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--no-info", action="store_true", help="不显示“提示”级别的信息")


def run(args) -> int:
    previous = load_report(args.previous) if args.previous else None
    out, unusable, any_error = [], [], False
    for path in args.paths:
        try:
            report = load_report(path)
        except XlgovaError as e:
            unusable.append({"source": path, "error": str(e)})
            if not args.json:
                print(f"错误：{e}", file=sys.stderr)
            continue
        result = validate(report, previous)
        any_error |= not result.valid
        if args.json:
            out.append(result_json(path, report, result))
        else:
            print(render_result(report, result, source=path, show_info=not args.no_info))
    if args.json:
        data = {"reports": out}
        if unusable:
            data["unusable"] = unusable
        print(json.dumps(data, ensure_ascii=False, indent=2))
    if unusable:
        return 2
    return 1 if any_error else 0
