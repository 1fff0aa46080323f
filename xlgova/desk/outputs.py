"""What the desk makes from what it holds: marked copies, Word reports, 催报 list, 汇总 and its downloads.

Everything here is derived: it can be deleted and made again from ``files/`` and the database. Each output is
written atomically (:mod:`xlgova.safeio`) under ``outputs/``; names on disk come from hashes and roster
names, never from uploaded file names.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from ..consolidate import consolidate
from ..consolidate.discover import FOLDER_SUFFIXES
from ..errors import XlgovaError
from ..safeio import atomic_output, file_stem, safe_text
from .service import Checked, check_path, roster_of
from .store import Store

SUMMARY = "汇总.xlsx"
LAST_RUN = "last_consolidation"


def _cache(store: Store, key: str, suffix: str) -> Path:
    folder = store.outputs / "cache"
    folder.mkdir(exist_ok=True)
    return folder / f"{key}{suffix}"


def marked_copy(store: Store, sha256: str, suffix: str, name: str) -> Path:
    """The stored workbook with the 校验 button's marks, written on a copy (the stored file is never changed)."""
    from ..excel.filebook import mark_copy

    if suffix not in (".xlsx", ".xlsm"):
        raise XlgovaError("只有 Excel 工作簿（.xlsx/.xlsm）可以生成标注副本", path=name)
    target = _cache(store, f"{sha256}-marked", suffix)
    if not target.exists():
        checked = check_path(store.blob_path(sha256, suffix), name)
        _usable(checked)
        mark_copy(store.blob_path(sha256, suffix), target, checked.report, checked.result, name=name)
    return target


def word_report(store: Store, sha256: str, suffix: str, name: str) -> tuple[Path, bool]:
    """The report as Word (a draft, marked as such, when it has errors); (path, draft)."""
    from ..export import render_docx

    checked = check_path(store.blob_path(sha256, suffix), name)
    _usable(checked)
    draft = not checked.result.valid
    target = _cache(store, f"{sha256}-{'draft' if draft else 'final'}", ".docx")
    if not target.exists():
        render_docx(checked.report, target, draft=draft)
    return target, draft


def _usable(checked: Checked) -> None:
    if checked.report is None:
        raise XlgovaError(checked.unusable)


def reminders_xlsx(store: Store, rows: list[dict]) -> Path:
    """催报名单 as a workbook (agency text written through safe_text: never a formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "催报名单"
    deadline = store.setting("deadline")
    ws.append(["催报名单" + (f"（截止日期：{deadline}）" if deadline else "")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["序号", "单位名称", "单位代码", "单位层级", "状态", "最近报送", "退回意见", "联系人", "联系电话", "是否逾期"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, 1):
        ws.append([i] + [safe_text(v) for v in (r["agency"], r["code"], r["level"], r["state"], r["received_at"], r["comment"],
                                                 r.get("person", ""), r.get("phone", ""), "逾期" if r.get("overdue") else "")])
    for col, width in zip("ABCDEFGHIJ", (6, 34, 14, 12, 10, 20, 40, 10, 16, 8)):
        ws.column_dimensions[col].width = width
    ws.print_title_rows = "2:2"
    target = store.outputs / "催报名单.xlsx"
    with atomic_output(target) as tmp:
        wb.save(tmp)
    return target


def _inputs(store: Store, accepted_only: bool, folder: Path) -> list[Path]:
    """The latest (or latest accepted) workbook of every agency, linked under its roster name."""
    sql = ("SELECT a.name, s.sha256, s.suffix, s.version FROM submissions s JOIN agencies a ON a.id = s.agency_id "
           "WHERE s.version = (SELECT MAX(version) FROM submissions t WHERE t.agency_id = s.agency_id"
           + (" AND (SELECT decision FROM decisions d WHERE d.submission_id = t.id ORDER BY d.id DESC LIMIT 1) = 'accepted'" if accepted_only else "")
           + ")")
    out = []
    for r in store.db().execute(sql):
        if r["suffix"] not in FOLDER_SUFFIXES:
            continue
        link = folder / f"{file_stem(r['name'])}_第{r['version']}版{r['suffix']}"
        try:
            os.link(store.blob_path(r["sha256"], r["suffix"]), link)
        except OSError:
            shutil.copyfile(store.blob_path(r["sha256"], r["suffix"]), link)
        out.append(link)
    return out


def run_consolidation(store: Store, accepted_only: bool, actor: str) -> dict:
    """``xlgova consolidate`` over the desk's submissions, with its roster; the summary into outputs/."""
    folder = store.outputs / "汇总输入"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    paths = _inputs(store, accepted_only, folder)
    if not paths:
        raise XlgovaError("没有可汇总的工作簿" + ("（尚无已通过的报送）" if accepted_only else "（尚无报送）"))
    for stale in ("templates.zip", "word.zip"):
        (store.outputs / stale).unlink(missing_ok=True)
    result = consolidate(paths, store.outputs / SUMMARY, roster=roster_of(store), workers=1)
    data = result.to_json()
    data.update(accepted_only=accepted_only, inputs=len(paths))
    with store.transaction() as db:
        store.set_setting(db, LAST_RUN, json.dumps(data, ensure_ascii=False))
        store.log(db, actor, "汇总", SUMMARY, {"inputs": len(paths), "accepted_only": accepted_only, "status": data["status"]})
    return data


def last_consolidation(store: Store) -> dict | None:
    text = store.setting(LAST_RUN)
    return json.loads(text) if text else None


def summary_path(store: Store) -> Path:
    path = store.outputs / SUMMARY
    if not path.exists():
        raise XlgovaError("尚未汇总：请先在“汇总”页点击“开始汇总”")
    return path


def templates_zip(store: Store) -> Path:
    """Next year's prefilled templates, one per agency, zipped."""
    from ..consolidate.prefill import prefill

    target = store.outputs / "templates.zip"
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=store.incoming) as tmp:
            _zip(target, prefill(summary_path(store), Path(tmp)))
    return target


def word_zip(store: Store) -> Path:
    """Every summarised agency's report as Word (drafts where errors remain), and the county's."""
    from ..export import render_docx
    from ..loaders import load_report
    from ..rules import validate

    summary = summary_path(store)
    target = store.outputs / "word.zip"
    if not target.exists():
        with tempfile.TemporaryDirectory(dir=store.incoming) as tmp:
            made = []
            for path in sorted([summary] + list((store.outputs / "汇总输入").iterdir())):
                report = load_report(path)
                made.append(render_docx(report, Path(tmp) / f"{path.stem}.docx", draft=not validate(report).valid))
            _zip(target, made)
    return target


def _zip(target: Path, files: list[Path]) -> None:
    with atomic_output(target) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.write(f, Path(f).name)

