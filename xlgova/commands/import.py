"""xlgova import: published reports (.txt/.md, .docx, .html, .pdf) -> report JSON or a filled .xlsx workbook."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..importers import import_document
from ..model import Report
from ..errors import XlgovaError
from ..render import render_result
from ..rules import Result, validate
from ..safeio import atomic_output

NAME = "import"
HELP = "导入已发布的年度报告（.txt、.docx、.html、.pdf），生成报告 JSON 或填好的 .xlsx 工作簿，并校验"
EPILOG = """示例：
  xlgova import 海城街道2021年报.pdf -o 海城街道2021.xlsx
  xlgova import 年报.docx -o 年报.json
  xlgova import 年报/*.html -o 导入结果/ --to xlsx

多个文档时 -o 给出文件夹（不存在时自动创建），每个文档生成一个同名文件。
退出码：0 没有错误；1 发现错误；2 有文档无法读取。"""

SUFFIXES = {"json": ".json", "xlsx": ".xlsx"}


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="DOC", help="已发布的报告文档")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="输出文件（.json 或 .xlsx）；多个文档时为文件夹")
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


def run(args) -> int:
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
