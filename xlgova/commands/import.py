"""xlgova import: published reports (any suffix in loaders.DOCUMENT_SUFFIXES) -> report JSON or a filled .xlsx workbook."""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from ..importers import import_document
from ..loaders import DOCUMENT_SUFFIXES, suffix_words
from ..model import Report
from ..errors import XlgovaError
from ..render import render_result
from ..rules import Result, validate
from ..consolidate.discover import discover
from ..safeio import atomic_output, prepare_output

NAME = "import"
HELP = f"导入已发布的年度报告（{suffix_words()}），生成报告 JSON 或填好的 .xlsx 工作簿，并校验"
EPILOG = """示例：
  xlgova import 海城街道2021年报.pdf -o 海城街道2021.xlsx
  xlgova import 年报.docx -o 年报.json
  xlgova import 年报/*.html 年报.mhtml 旧年报.doc -o 导入结果/ --to xlsx
  xlgova import 全市年报/ -o 审核.xlsx --previous

单个文档：-o 为 .json 时输出报告 JSON，为 .xlsx 时输出填好的工作簿。
多个文档或文件夹：-o 为 .xlsx、.csv 或 .json 时输出一张审核表（每份报告一行、每个单元格一列，另附“发现”表）；
-o 为文件夹时每个文档生成一个同名文件。一个文件无法读取不影响其他文件。
--previous：同一单位相邻两年的报告都在输入中时，自动做跨年度核对。
退出码：0 没有错误；1 发现错误；2 有文档无法读取。"""

SUFFIXES = {"json": ".json", "xlsx": ".xlsx"}
DOC_WHAT = f"年度报告文档（{suffix_words()}）"
BATCH_SUFFIXES = (".xlsx", ".csv", ".json")


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="DOC", help="已发布的报告文档，或其所在文件夹（包括子文件夹）")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件（.json 或 .xlsx）；多个文档时为审核表（.xlsx/.csv/.json）或文件夹")
    p.add_argument("--previous", action="store_true", help="多个文档时：同一单位的上年报告也在输入中时，做跨年度核对")
    p.add_argument("--to", choices=tuple(SUFFIXES), help="输出到文件夹时的格式（默认 xlsx）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出校验结果")
    p.add_argument("--no-info", action="store_true", help="不显示“提示”级别的信息")


def output_paths(paths: list[str], output: str, to: str | None) -> list[Path]:
    out = Path(output)
    suffix = out.suffix.lower()
    if suffix in SUFFIXES.values():
        if len(paths) > 1:
            raise XlgovaError("导入多个文档时，-o 应为文件夹", path=out, hint="例如：-o 导入结果/")
        if to and SUFFIXES[to] != suffix:
            raise XlgovaError(f"--to {to} 与输出文件的扩展名 {suffix} 不一致", path=out)
        return [out]
    if out.suffix and not out.is_dir():
        raise XlgovaError(f"不支持的输出类型“{out.suffix}”（支持 .json、.xlsx，或一个文件夹）", path=out)
    if out.exists() and not out.is_dir():
        raise XlgovaError("输出路径已存在且不是文件夹", path=out)
    out.mkdir(parents=True, exist_ok=True)
    ext = SUFFIXES[to or "xlsx"]
    names: dict[str, int] = {}
    result = []
    for p in paths:
        stem = Path(p).stem
        names[stem] = names.get(stem, 0) + 1
        result.append(out / (f"{stem}{ext}" if names[stem] == 1 else f"{stem}_{names[stem]}{ext}"))
    return result


def write_report(report: Report, result: Result, path: Path, source: str) -> None:
    if path.suffix.lower() == ".json":
        data = report.to_json(provenance=True)  # includes the import's findings (lost tables, repaired rows)
        with atomic_output(path, inputs=(source,)) as tmp:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        return
    from ..workbook import write_workbook

    write_workbook(report, path, inputs=(source,))


def is_batch(paths: list[str], output: str) -> bool:
    suffix = Path(output).suffix.lower()
    many = len(paths) > 1 or any(Path(p).is_dir() for p in paths)
    return suffix == ".csv" or (many and suffix in BATCH_SUFFIXES)


def run(args) -> int:
    if is_batch(args.paths, args.output):
        return run_batch(args)
    if args.previous:
        raise XlgovaError("--previous 只用于多个文档的审核表（-o 审核.xlsx/.csv/.json）", hint="单个文档的跨年度核对请用：xlgova validate 本年.pdf --previous 上年.pdf")
    if any(Path(p).is_dir() for p in args.paths):
        args.paths = discover(args.paths, suffixes=DOCUMENT_SUFFIXES, what=DOC_WHAT)
    targets = output_paths(args.paths, args.output, args.to)
    out, unusable, any_error = [], [], False
    for path, target in zip(args.paths, targets):
        try:
            report = import_document(path)
            result = validate(report)
            write_report(report, result, target, path)
        except XlgovaError as e:
            unusable.append({"source": path, "error": str(e)})
            if not args.json:
                print(f"错误：{e}", file=sys.stderr)
            continue
        any_error |= not result.valid
        if args.json:
            out.append({"source": path, "output": str(target), "agency": report.agency, "year": report.year, "format": report.format_id, **result.to_json()})
        else:
            print(render_result(report, result, source=path, show_info=not args.no_info))
            print(f"  已写入：{target}")
    if args.json:
        data: dict = {"reports": out}
        if unusable:
            data["unusable"] = unusable
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    if unusable:
        return 2
    return 1 if any_error else 0


def run_batch(args) -> int:
    from ..consolidate.batch_import import UNREADABLE, import_many, write_batch
    from ..render import Progress

    if args.to:
        raise XlgovaError("审核表的格式由 -o 的扩展名决定（.xlsx、.csv、.json），不需要 --to", path=args.output)
    paths = discover(args.paths, suffixes=DOCUMENT_SUFFIXES, what=DOC_WHAT)
    out = prepare_output(args.output)
    progress = Progress(not args.json)
    progress.total(len(paths))
    try:
        entries = import_many(paths, pair_previous=args.previous, progress=progress.step)
    finally:
        progress.close()
    written = write_batch(entries, out, inputs=tuple(paths))
    states = Counter("无法读取" if e.state == UNREADABLE else "通过" if e.state == "通过" else "有错误" if not e.result.valid else "有警告" for e in entries)
    if args.json:
        rows = [{"source": e.path, "agency": e.report.agency if e.report else "", "year": e.report.year if e.report else None,
                 "format": e.report.format_id if e.report else "", "state": e.state, "error": e.error,
                 "previous": e.previous.path if e.previous else None} for e in entries]
        print(json.dumps({"reports": rows, "outputs": [str(w) for w in written]}, ensure_ascii=False, indent=2))
    else:
        print(f"■ 共导入 {len(entries)} 份报告：" + "　".join(f"{k} {states[k]}" for k in ("通过", "有警告", "有错误", "无法读取") if states[k]))
        for e in entries:
            if e.state == UNREADABLE:
                print(f"  无法读取：{e.error}", file=sys.stderr)
        paired = sum(1 for e in entries if e.previous is not None)
        if args.previous:
            print(f"  跨年度核对：{paired} 份报告找到了同一单位的上年报告")
        print("  已写入：" + "、".join(str(w) for w in written))
    if states["无法读取"]:
        return 2
    return 1 if states["有错误"] else 0
