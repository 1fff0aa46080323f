"""xlgova notice: one 退回通知 (Word) per agency whose report has errors or unconfirmed warnings."""
from __future__ import annotations

import json
from pathlib import Path

from ..consolidate.notices import write_notices

NAME = "notice"
HELP = "为存在错误或未确认警告的单位生成退回通知（Word，公文格式），逐条写明问题、数字和修改要求"
EPILOG = """示例：
  xlgova notice 报送/ -o 退回通知/ --deadline 2025年2月20日 --contact "县政务公开办 张三 0571-12345678"
  xlgova notice 报送/ -o 退回通知/ --previous 泓川县2023年度汇总.xlsx --sender 泓川县人民政府办公室

每个需要退回的单位生成一份“退回通知_单位名称.docx”：列出全部错误、未确认的警告和审核提示，
写明所在表格的行列名称、勾稽关系、两边的数字和差额，以及修改要求。单位已在“校验结果”中填写
“已确认说明”的警告不再退回；错误不能以说明代替修改。
退出码：0 没有需要退回的报告；1 生成了退回通知或有文件无法读取；2 输入无法使用。"""


def add_arguments(p) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="各单位的工作簿（.xlsx/.xlsm）或其所在文件夹")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="退回通知的输出文件夹（不存在时创建）")
    p.add_argument("--previous", metavar="PREV", help="上年的汇总表或上年各单位工作簿所在的文件夹（用于跨年度核对和同比）")
    p.add_argument("--deadline", default="", metavar="日期", help="重新报送的期限，如“2025年2月20日”")
    p.add_argument("--contact", default="", metavar="联系人", help="联系人及电话")
    p.add_argument("--comment", default="", metavar="意见", help="其他意见（写在通知的最后一部分）")
    p.add_argument("--sender", default="", metavar="单位", help="落款单位，如“泓川县人民政府办公室”")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每个文件的结果")


def run(args) -> int:
    outcomes = write_notices(args.inputs, args.output, previous=args.previous, deadline=args.deadline,
                             contact=args.contact, comment=args.comment, sender=args.sender)
    if args.json:
        print(json.dumps([o.to_json() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        print(render(outcomes, Path(args.output)))
    return 1 if any(o.notice or o.unreadable for o in outcomes) else 0


def render(outcomes, out: Path) -> str:
    written = [o for o in outcomes if o.notice]
    unreadable = [o for o in outcomes if o.unreadable]
    lines = [f"■ 读取 {len(outcomes)} 个文件：需要退回 {len(written)} 个单位，无需退回 {len(outcomes) - len(written) - len(unreadable)} 个，"
             f"无法读取 {len(unreadable)} 个"]
    lines += [f"  · {o.agency}：{o.problems} 个问题 → {o.notice.name}" for o in written]
    lines += [f"  · [无法读取] {Path(o.file).name}：{o.unreadable}" for o in unreadable]
    if written:
        lines.append(f"  退回通知在：{out}")
    return "\n".join(lines)
