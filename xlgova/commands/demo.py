"""xlgova demo: the fictional county 泓川县 from submission to summary, history, templates and Word."""
from __future__ import annotations

from pathlib import Path

from ..demo.run import run_demo
from ..consolidate.record import STATUS_ORDER
from ..rules import SEVERITY_LABELS, title_of

NAME = "demo"
HELP = "生成示例县（泓川县，约40个单位、两个年度）的报告，完成校验、汇总、预填模板和 Word 导出"
EPILOG = "示例：\n  xlgova demo -o demo_output\n\n全部为虚构数据，其中埋设了几处典型问题，用来展示 xlgova 能发现什么。"


def add_arguments(p) -> None:
    p.add_argument("-o", "--output", default="demo_output", metavar="DIR", help="示例文件的输出文件夹（默认 demo_output）")
    p.add_argument("--no-word", action="store_true", help="不导出 Word 报告（更快）")


def _desk(out: Path, d: dict, r, rel) -> list[str]:
    """The demo county's 报送台 workspace, and how to open it."""
    from ..demo.run import COUNTY
    from ..desk.demo import demo_workspace

    ws = demo_workspace(out, d["roster"], d["summary"].parent / "报送", deadline=f"{r.year + 1}-01-31",
                        accepted=f"{COUNTY}人民政府")
    return ["", f"报送台（浏览器中的自查、报送进度、退回、催报和汇总）已建好工作区 {rel(ws)}/，打开命令：",
            f"  xlgova serve {rel(ws)}"]


def run(args) -> int:
    d = run_demo(args.output, word=not args.no_word)
    r = d["result"]
    out = d["out"]
    rel = lambda p: str(Path(p).relative_to(out.parent)) if out.parent != Path("") else str(p)  # noqa: E731
    c = r.status_counts()
    lines = [
        f"示例县“{r.area}”已生成（虚构数据，用时 {d['seconds']:.1f} 秒），文件在 {out}/：",
        f"  汇总名单            {rel(d['roster'])}（{len(r.roster)} 个单位）",
        f"  上年（{r.year - 1}）报送与汇总  {rel(d['archive'].parent / '报送')}/、{rel(d['archive'])}",
        f"  本年（{r.year}）报送      {rel(d['summary'].parent / '报送')}/（{len(r.records)} 个文件）",
        f"  本年汇总表          {rel(d['summary'])}",
        f"  {r.year + 1}年度预填模板     {rel(out / f'{r.year + 1}模板')}/（{len(d['templates'])} 个单位）",
    ]
    if d["word"][0]:
        lines.append(f"  Word 报告           {rel(out / 'Word')}/（县汇总 1 份，示例单位 {d['word'][0]} 份，其中 {d['word'][1]} 份因有错误标注“草稿”；其他单位可用 xlgova export 导出）")
    lines += ["", "埋设的问题："] + [f"  · {p}" for p in d["planted"]]
    lines += ["", f"汇总结果：汇总 {r.agencies} 个单位　" + "　".join(f"{s} {c[s]}" for s in STATUS_ORDER)]
    for rec in sorted(r.records, key=lambda x: STATUS_ORDER.index(x.status)):
        if rec.status in ("无法读取", "错误", "警告"):
            why = rec.unreadable or "；".join(rec.messages(2))
            lines.append(f"  [{rec.status}] {rec.name or Path(rec.path).name}：{why[:120]}")
    if r.missing:
        lines.append("  [未提交] " + "、".join(e.name for e in r.missing))
    lines += ["", "审核发现（同比、同级比较、与上年相同；见汇总表“校验情况”“同比”）："]
    for rec in sorted(r.counted, key=lambda x: x.name):
        lines += [f"  [{title_of(rule)}] {rec.name}：{message}" for rule, message in rec.hints]
        if rec.explained:
            lines.append(f"  [已确认说明] {rec.name}：" + "；".join(f"{e}（{SEVERITY_LABELS[s]}）" for s, _, _, e in rec.explained))
    if d["notices"]:
        lines += ["", f"退回通知：{rel(out / '退回通知')}/（{len(d['notices'])} 份，列出每个单位的全部问题和修改要求）"]
    lines += ["", f"请打开 {rel(d['summary'])}：先看“汇总说明”，再看“校验情况”“同比”“分类汇总”“覆盖情况”“图表”和三张统计表。"]
    lines += _desk(out, d, r, rel)
    print("\n".join(lines))
    return 0
