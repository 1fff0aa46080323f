"""xlgova fill: write a report (JSON, workbook or published document) into a fresh standard template."""
from __future__ import annotations

from ..loaders import load_report

NAME = "fill"
HELP = "把报告（JSON 等）填入标准模板，生成 .xlsx/.xlsm 工作簿"
EPILOG = """示例：
  xlgova fill 2021.json -o 海城街道2021.xlsx
  xlgova fill 2021.json --previous 2020.json -o 海城街道2021.xlsx

只写填报单元格、封面、正文和“上年数据”；合计与核对公式保持不变，打开即自动计算。
报告自带的上年数据（JSON 中的 previous）会写入“上年数据”工作表；--previous 指定时以它为准。"""


def add_arguments(p) -> None:
    p.add_argument("report", metavar="REPORT", help="报告文件（报告 JSON、.xlsx/.xlsm 工作簿或已发布的报告文档）")
    p.add_argument("-o", "--output", required=True, metavar="PATH", help="输出工作簿（.xlsx；用启用宏的模板时为 .xlsm）")
    p.add_argument("--previous", metavar="PATH", help="上年度报告（JSON 或工作簿），写入“上年数据”工作表")
    p.add_argument("--template", metavar="PATH", help="使用指定的模板文件（默认使用内置标准模板）")


def run(args) -> int:
    from ..workbook.writer import total_differences, write_workbook

    report = load_report(args.report)
    inputs = [args.report]
    if args.previous:
        report.previous = load_report(args.previous)
        inputs.append(args.previous)
    path = write_workbook(report, args.output, template=args.template, inputs=tuple(inputs))
    filled = sum(1 for v in report.values.values() if not v.is_blank)
    prev = "" if report.previous is None else "，含上年数据"
    print(f"已写入 {path}（{report.agency or '未填单位名称'}，{report.year or '年度未填'} 年度，{report.format_id} 版格式，{filled} 个单元格{prev}）")
    changed = total_differences(report)
    if changed:
        print(f"注意：模板中的合计由公式计算，以下 {len(changed)} 个合计与报告中的数值不同：")
        for cid, given, shown in changed[:10]:
            print(f"  {report.format.cell(cid).label}：报告中为 {given}，按各项之和为 {shown}")
        if len(changed) > 10:
            print(f"  ……共 {len(changed)} 个，请用 xlgova validate 核对原报告")
    return 0
