"""xlgova demo: a small built-in sample, validated (grown into a full sample county by the consolidator)."""
from __future__ import annotations

from pathlib import Path

from ..render import render_result
from ..rules import validate
from ..samples import random_report

NAME = "demo"
HELP = "生成示例报告并校验，展示 xlgova 的主要功能"
EPILOG = "示例：\n  xlgova demo -o demo_output"


def add_arguments(p) -> None:
    p.add_argument("-o", "--output", default="demo_output", metavar="DIR", help="示例文件的输出文件夹（默认 demo_output）")


def run(args) -> int:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    last = random_report(1, "2019", agency="示例县人民政府办公室", year=2020)
    this = random_report(2, "2021", agency="示例县人民政府办公室", year=2021, previous=last)
    this.values["apps.new.natural"] = this.values["apps.new.business"]  # a planted mistake
    for name, report in (("2020.json", last), ("2021.json", this)):
        (out / name).write_text(report.dumps(), encoding="utf-8")
        print(render_result(report, validate(report), source=str(out / name)))
    return 0
