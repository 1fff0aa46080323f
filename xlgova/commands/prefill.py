"""xlgova prefill: next year's template for every agency of a summary, holding last year's figures."""
from __future__ import annotations

from ..consolidate.prefill import prefill

NAME = "prefill"
HELP = "根据汇总表为每个单位生成下一年度的模板（封面已填，上年数据已预填并锁定）"
EPILOG = """示例：
  xlgova prefill 泓川县2024汇总.xlsx -o 2025模板/

汇总表须为 xlgova consolidate 生成的工作簿（读取其“明细”工作表）。"""


def add_arguments(p) -> None:
    p.add_argument("summary", metavar="SUMMARY.xlsx", help="xlgova consolidate 生成的汇总表")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="存放各单位模板的文件夹（不存在时自动创建）")


def run(args) -> int:
    paths = prefill(args.summary, args.output)
    print(f"已为 {len(paths)} 个单位生成下一年度模板，保存在 {args.output}：")
    for p in paths[:10]:
        print(f"  {p.name}")
    if len(paths) > 10:
        print(f"  ……共 {len(paths)} 个文件")
    return 0
