"""xlgova consolidate: every agency's workbook into one summary workbook."""
from __future__ import annotations

import json
from pathlib import Path

from ..consolidate import STATUS_ORDER, consolidate
from ..consolidate.record import REVIEW_RULES
from ..errors import XlgovaError
from ..render import Progress
from ..rules import title_of

NAME = "consolidate"
HELP = "汇总各单位的年度报告工作簿：合计、校验情况、未提交单位、跨年度核对、明细和图表"
EPILOG = """示例：
  xlgova consolidate 报送/ -o 泓川县2024汇总.xlsx
  xlgova consolidate 报送/ -o 汇总.xlsx --roster 名单.csv --previous 泓川县2023汇总.xlsx
  xlgova consolidate 甲县汇总.xlsx 乙县汇总.xlsx -o 全市汇总.xlsx --json
  xlgova consolidate 全省/ -o 全省汇总.xlsx --scheduler tcp://10.0.0.5:8786
  xlgova consolidate 报送/ -o 乡镇汇总.xlsx --roster 名单.csv --only 乡镇 街道
  xlgova consolidate 报送/ -o 教育系统汇总.xlsx --only-roster 教育系统名单.csv

输入可以是工作簿或文件夹（包括子文件夹）；县级汇总表也可以再汇总到市级。
名单（--roster）为 CSV 或 XLSX：单位名称（必填）、单位代码、单位层级、上级单位（用于节点汇总）。
--only / --only-roster 只汇总选定的单位（选择汇总），汇总说明中写明范围。
退出码：0 没有错误；1 有单位存在错误或文件无法读取；2 输入无法使用。"""


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="各单位的工作簿（.xlsx/.xlsm，也可 .xls/.ods）或其所在文件夹")
    p.add_argument("-o", "--output", required=True, metavar="汇总.xlsx", help="输出的汇总工作簿")
    p.add_argument("--roster", metavar="ROSTER", help="汇总名单（CSV 或 XLSX），用于列出未提交的单位并核对单位名称")
    p.add_argument("--previous", metavar="PREV", help="上年的汇总表（读取其“明细”工作表）或上年各单位工作簿所在的文件夹")
    p.add_argument("--area", metavar="名称", help="汇总地区的名称（默认从单位名称中识别，如“泓川县”）")
    p.add_argument("--workers", type=int, metavar="N", help="并行读取的进程数（默认为 CPU 核数）")
    p.add_argument("--scheduler", metavar="ADDRESS", help="在已有的 Dask 分布式集群上读取和校验（如 tcp://host:8786）")
    p.add_argument("--only", nargs="+", metavar="LEVEL", help="只汇总这些单位层级的单位（选择汇总），如 --only 乡镇 街道")
    p.add_argument("--only-roster", metavar="FILE", help="只汇总这份名单（CSV 或 XLSX）中的单位（选择汇总）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出各单位的状态和合计，不显示进度")


def run(args) -> int:
    if args.workers is not None and args.workers < 1:
        raise XlgovaError("--workers 应为正整数")
    progress = Progress(not args.json)
    try:
        result = consolidate(args.inputs, args.output, roster=args.roster, previous=args.previous, workers=args.workers,
                             scheduler=args.scheduler, area=args.area, progress=progress.step, on_total=progress.total,
                             only=args.only, only_roster=args.only_roster)
    finally:
        progress.close()
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return result.exit_code


def render(result) -> str:
    c = result.status_counts()
    lines = [
        f"■ {result.area} {result.year or ''}年度汇总（{result.format_id} 版格式）：共读取 {len(result.records)} 个文件，汇总 {result.agencies} 个单位",
        "  " + "　".join(f"{s} {c[s]}" for s in STATUS_ORDER),
    ]
    problems = [r for r in result.records if r.status in ("无法读取", "错误")]
    for r in problems[:15]:
        why = r.unreadable or "；".join(r.messages(1))
        lines.append(f"  · [{r.status}] {r.name or Path(r.path).name}：{why}")
    if len(problems) > 15:
        lines.append(f"  · ……另有 {len(problems) - 15} 个单位，见汇总表“校验情况”工作表")
    if result.missing:
        names = "、".join(e.name for e in result.missing[:10]) + ("等" if len(result.missing) > 10 else "")
        lines.append(f"  未提交：{names}")
    if result.scope != "全部单位":
        lines.append(f"  范围：{result.scope}")
    review = result.review_counts()
    flagged = "　".join(f"{title_of(rule)} {review[rule]}" for rule in REVIEW_RULES if review[rule])
    if flagged:
        lines.append(f"  审核提示（单位数）：{flagged}")
    for note in result.notes:
        lines.append(f"  注意：{note}")
    if result.output:
        lines.append(f"  汇总表：{result.output}")
    return "\n".join(lines)
