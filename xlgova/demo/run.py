"""xlgova demo: the fictional county 泓川县 end to end — two years of workbooks, consolidation with roster
and history, next year's templates and the Word reports — printed as a short Chinese walk-through."""
from __future__ import annotations

import csv
import io
import os
import random
import shutil
import time
from pathlib import Path

from ..errors import XlgovaError
from ..safeio import atomic_output, write_text_atomic
from ..consolidate.core import consolidate
from .county import COUNTY, agencies, plant_problems, report_for
from ..consolidate.prefill import prefill

MARKER = ".xlgova-demo"
# Word export takes about 1.5 s per report: the demo exports the county's summary and these agencies
# (one with an error, exported as a draft); `xlgova export` does the others.
WORD_AGENCIES = (f"{COUNTY}人民政府", f"{COUNTY}财政局", f"{COUNTY}自然资源局")
LAST, THIS = 2023, 2024
MISSING = (f"{COUNTY}统计局", f"{COUNTY}桃源乡人民政府")
BROKEN = f"{COUNTY}审计局"
# Names as clerks typed them on the cover: matched to the roster after normalisation.
TYPED = {f"{COUNTY}卫生健康委员会": "泓川县卫生健康委", f"{COUNTY}东城街道办事处": "泓川县 东城街道", f"{COUNTY}龙泉镇人民政府": "龙泉镇政府"}


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise XlgovaError("输出文件夹已存在且不是 xlgova demo 生成的，为防止覆盖已停止", path=out, hint="请换一个文件夹，或先清空它。")
    for sub in (str(LAST), str(THIS), f"{THIS + 1}模板", "Word"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / MARKER, "xlgova demo output\n")


def _roster(out: Path) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(("单位名称", "单位代码", "单位层级"))
    for a in agencies():
        w.writerow((a.name, a.code, a.level))
    path = out / "汇总名单.csv"
    with atomic_output(path) as tmp:
        tmp.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _write_year(folder: Path, reports, typed: dict[str, str] | None = None) -> None:
    from ..workbook import write_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for r in reports:
        shown = (typed or {}).get(r.agency)
        if shown:
            r.agency = shown
        write_workbook(r, folder / f"{r.agency.replace(' ', '')}.xlsx")


def build_years(out: Path, seed: int = 2024) -> tuple[list[str], Path, Path]:
    rng = random.Random(seed)
    people = agencies()
    last = {a.name: report_for(a, LAST, rng) for a in people}
    this = {a.name: report_for(a, THIS, rng, previous=last[a.name]) for a in people}
    planted = plant_problems(this, last, rng)
    _write_year(out / str(LAST) / "报送", last.values())
    for name in MISSING:
        this.pop(name)
    planted.append("、".join(MISSING) + "：未提交报告")
    broken = this.pop(BROKEN)
    edu = this[f"{COUNTY}教育局"]
    _write_year(out / str(THIS) / "报送", this.values(), TYPED)
    folder = out / str(THIS) / "报送"
    first = folder / f"{COUNTY}教育局.xlsx"
    edu.values["apps.granted.natural"], edu.values["apps.partial.natural"] = edu.values["apps.partial.natural"], edu.values["apps.granted.natural"]
    from ..workbook import write_workbook

    write_workbook(edu, folder / f"{COUNTY}教育局（修改稿）.xlsx")
    os.utime(first, (time.time() - 3600, time.time() - 3600))
    planted.append(f"{COUNTY}教育局：提交了两份报告（原稿和修改稿）")
    write_workbook(broken, folder / f"{BROKEN}.xlsx")
    data = (folder / f"{BROKEN}.xlsx").read_bytes()
    with atomic_output(folder / f"{BROKEN}.xlsx") as tmp:
        tmp.write_bytes(data[: len(data) // 2])  # a truncated e-mail attachment
    planted.append(f"{BROKEN}：文件在传输中损坏，无法打开")
    planted.append("、".join(TYPED.values()) + "：封面单位名称与名单写法不同（应能自动对应）")
    return planted, out / str(LAST) / "报送", folder


def _export_word(out: Path, summary_path: Path, folder: Path) -> tuple[int, int]:
    """The county's summary report and each agency's report as Word (drafts where errors remain)."""
    from ..export.publish import export_report
    from ..loaders import load_report

    word = out / "Word"
    word.mkdir(parents=True, exist_ok=True)
    export_report(load_report(summary_path), word / f"{summary_path.stem}.docx", force=True)
    done = drafts = 0
    for name in WORD_AGENCIES:
        path = folder / f"{name}.xlsx"
        report = load_report(path)
        outcome = export_report(report, word / f"{path.stem}.docx", force=True)
        done += 1
        drafts += outcome.draft
    return done, drafts


def run_demo(out_dir: str | Path, *, word: bool = True) -> dict:
    out = Path(out_dir)
    _prepare(out)
    started = time.perf_counter()
    roster = _roster(out)
    planted, last_folder, this_folder = build_years(out)
    archive = out / str(LAST) / f"{COUNTY}{LAST}年度汇总.xlsx"
    consolidate([last_folder], archive, roster=roster)
    summary_path = out / str(THIS) / f"{COUNTY}{THIS}年度汇总.xlsx"
    result = consolidate([this_folder], summary_path, roster=roster, previous=archive)
    templates = prefill(summary_path, out / f"{THIS + 1}模板")
    exported = _export_word(out, summary_path, this_folder) if word else (0, 0)
    return {"out": out, "roster": roster, "planted": planted, "archive": archive, "summary": summary_path, "result": result,
            "templates": templates, "word": exported, "seconds": time.perf_counter() - started}
