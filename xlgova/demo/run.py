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
from ..consolidate.notices import write_notices
from ..consolidate.prefill import prefill
from .county import COUNTY, agencies, parent_of, plant_problems, report_for

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
    for sub in (str(LAST), str(THIS), f"{THIS + 1}模板", "Word", "退回通知"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / MARKER, "xlgova demo output\n")


def _roster(out: Path) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(("单位名称", "单位代码", "单位层级", "上级单位"))
    for a in agencies():
        w.writerow((a.name, a.code, a.level, parent_of(a)))
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
    _revise(edu)
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
    planted += plant_explanations(folder, out / str(LAST) / "报送")
    return planted, out / str(LAST) / "报送", folder


def _revise(report) -> None:
    """The 修改稿 moves one application from 予以公开 to 部分公开 (every sum still holds), so it always differs
    from the 原稿 — swapping the two rows left the file unchanged when both held the same number."""
    granted, partial = report.number("apps.granted.natural") or 0, report.number("apps.partial.natural") or 0
    if granted == 0:  # nothing to move: one more application received and granted (totals are formulas)
        report.set("apps.new.natural", (report.number("apps.new.natural") or 0) + 1)
        report.set("apps.granted.natural", 1)
        return
    report.set("apps.granted.natural", granted - 1)
    report.set("apps.partial.natural", partial + 1)


# (agency, rule, cell of the finding, what the clerk typed into 已确认说明 on 校验结果)
EXPLANATIONS = (
    (f"{COUNTY}城关镇人民政府", "value.blank", "art20_6.coercion.decisions", "本镇无行政强制权，该项不适用"),
    (f"{COUNTY}自然资源局", "apps.balance", "apps.new.natural", "数字经核对无误"),
)


def plant_explanations(folder: Path, last_folder: Path) -> list[str]:
    """Clerks' 已确认说明, written where the 校验 button keeps them (the finding's row and fingerprint)."""
    import openpyxl

    from ..loaders import load_report
    from ..rules import validate
    from ..workbook import layout as L

    planted = []
    for name, rule, cell, text in EXPLANATIONS:
        path = folder / f"{name}.xlsx"
        report = load_report(path)
        finding = next(f for f in validate(report, load_report(last_folder / f"{name}.xlsx")).findings
                       if f.rule == rule and cell in f.cells)
        wb = openpyxl.load_workbook(path)
        ws, row = wb[L.RESULTS], L.RESULTS_HEADER_ROW + 1
        for col, value in enumerate((1, finding.severity_label, rule, "", finding.message, text), 1):
            ws.cell(row, col, value)
        ws.cell(row, L.RESULTS_FINGERPRINT_COL + 1, finding.fingerprint)
        with atomic_output(path) as tmp:
            wb.save(tmp)
        kind = "错误仍须改正" if finding.severity == "error" else "该警告单独计为已确认"
        planted.append(f"{name}：在“校验结果”中为一条{finding.severity_label}填写了已确认说明“{text}”（{kind}）")
    return planted


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
    notices = write_notices([this_folder], out / "退回通知", previous=archive, deadline=f"{THIS + 1}年2月20日",
                            contact=f"{COUNTY}政务公开办公室 0571-60000000", sender=f"{COUNTY}人民政府办公室")
    exported = _export_word(out, summary_path, this_folder) if word else (0, 0)
    return {"out": out, "roster": roster, "planted": planted, "archive": archive, "summary": summary_path, "result": result,
            "templates": templates, "word": exported, "notices": [n for n in notices if n.notice],
            "seconds": time.perf_counter() - started}
