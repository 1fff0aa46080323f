"""xlgova desk: the desk's administration — the supervisor's password, agencies' access codes, backup, restore."""
from __future__ import annotations

import getpass
import json
import sys

from ..errors import XlgovaError

NAME = "desk"
HELP = "报送台管理：设置汇总单位密码、单位访问码、备份与恢复"
EPILOG = """示例：
  xlgova desk password 报送台2024            （从标准输入读取新密码）
  xlgova desk codes 报送台2024               （列出各单位访问码，缺少的自动生成）
  xlgova desk codes 报送台2024 --rotate 测试县财政局
  xlgova desk codes 报送台2024 --revoke 测试县财政局 --json
  xlgova desk backup 报送台2024 -o 报送台备份.zip   （报送台运行时也可备份）
  xlgova desk restore 报送台备份.zip 报送台恢复"""


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="操作", required=True)
    pw = sub.add_parser("password", help="设置或修改汇总单位密码（从标准输入读取）")
    pw.add_argument("workspace", metavar="WORKSPACE")
    codes = sub.add_parser("codes", help="列出各单位访问码；--rotate 更换、--revoke 停用某单位的访问码")
    codes.add_argument("workspace", metavar="WORKSPACE")
    codes.add_argument("--json", action="store_true", help="以 JSON 输出")
    codes.add_argument("--rotate", metavar="AGENCY", help="为该单位生成新访问码（旧码立即失效）")
    codes.add_argument("--revoke", metavar="AGENCY", help="停用该单位的访问码")
    codes.add_argument("--address", metavar="URL", help="报送台地址（用于个人链接，默认取工作区设置）")
    bk = sub.add_parser("backup", help="备份工作区（数据库在线备份加全部报送文件，报送台运行时也可执行）")
    bk.add_argument("workspace", metavar="WORKSPACE")
    bk.add_argument("-o", "--output", required=True, metavar="FILE", help="备份文件（.zip）")
    rs = sub.add_parser("restore", help="从备份恢复到新的（或空的）文件夹")
    rs.add_argument("archive", metavar="FILE")
    rs.add_argument("workspace", metavar="WORKSPACE")


def run(args) -> int:
    return {"password": _password, "codes": _codes, "backup": _backup, "restore": _restore}[args.action](args)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("新密码：")
        if getpass.getpass("再输入一次：") != first:
            raise XlgovaError("两次输入的密码不一致，未修改")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _password(args) -> int:
    from ..desk import auth

    store = auth.workspace(args.workspace, create=True)
    changed = auth.has_password(store)
    auth.set_password(store, _read_password(), "命令行")
    print(("已修改" if changed else "已设置") + "汇总单位密码。此后报送台的所有页面都需要登录（本机访问也一样）。")
    return 0


def _codes(args) -> int:
    from ..desk import auth

    store = auth.workspace(args.workspace)
    if args.rotate:
        auth.rotate(store, args.rotate, "命令行")
    if args.revoke:
        auth.revoke(store, args.revoke, "命令行")
    rows = auth.codes(store)
    if not rows:
        raise XlgovaError("工作区尚无汇总名单，无法生成访问码", path=args.workspace, hint="请先在报送台“报送进度”页导入汇总名单。")
    address = (args.address or store.setting("address")).rstrip("/")
    for r in rows:
        r["link"] = f"{address}/login?code={r['code']}" if address and r["code"] else ""
    if args.json:
        keys = ("agency", "level", "code", "revoked", "link", "person", "phone")
        print(json.dumps([{k: r[k] for k in keys} for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(f"{r['agency']}\t{r['code'] or '（已停用）'}" + (f"\t{r['link']}" if r["link"] else ""))
    return 0


def _backup(args) -> int:
    from ..desk.backup import backup

    m = backup(args.workspace, args.output)
    print(f"已备份到 {args.output}：{m['submissions']} 份报送、{len(m['files'])} 个文件、{m['audit']} 条操作记录。")
    return 0


def _restore(args) -> int:
    from ..desk.backup import restore

    m = restore(args.archive, args.workspace)
    print(f"已恢复到 {args.workspace}（备份时间 {m['created']}）：{m['submissions']} 份报送、{len(m['files'])} 个文件。"
          f"请用 xlgova serve {args.workspace} 启动。")
    return 0
