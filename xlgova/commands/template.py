"""xlgova template: write the empty standard workbook for one format version."""
from __future__ import annotations

from ..formats import FORMATS, get_format
from ..workbook.template import save_template

NAME = "template"
HELP = "生成标准填报模板（.xlsx，含勾稽关系自动核对）"
EPILOG = """示例：
  xlgova template -o 年度报告模板.xlsx
  xlgova template --format 2019 -o 2020年度报告模板.xlsx

模板各工作表已保护（无密码），浅蓝色单元格为填报项；“校验结果”工作表即时显示核对结果，不需要宏。"""


def add_arguments(p) -> None:
    p.add_argument("--format", choices=tuple(FORMATS), default="2021",
                   help="格式版本：2021（2021 年度及以后，默认）或 2019（2019、2020 年度）")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="输出文件（.xlsx）")


def run(args) -> int:
    path = save_template(args.format, args.output)
    print(f"已生成 {get_format(args.format).notice} 格式模板：{path}")
    return 0
