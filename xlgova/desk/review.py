"""单位: one agency's versions, what changed between them, and the supervisor's 退回 / 通过.

A decision is appended to the submission it is about (never edits the agency's figures); a 退回 writes the
退回通知 with :func:`xlgova.export.notice.write_notice` and keeps the .docx by its hash beside the submission.
"""
from __future__ import annotations

import datetime as _dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..export.grid import value_text
from ..errors import XlgovaError
from ..model import Report
from .service import DECISIONS, Checked, check_path, state_of, stored_path
from .store import Store, now_text


@dataclass
class Version:
    row: dict
    state: str
    decisions: list[dict] = field(default_factory=list)


@dataclass
class AgencyView:
    agency: dict
    versions: list[Version]
    current: Checked | None  # the latest version, read and judged again from the stored file
    changes: list[dict]  # values that changed from the version before the latest
    path: Path | None = None  # the stored file of the version shown


def agency_view(store: Store, agency_id: int, version: int | None = None) -> AgencyView:
    db = store.db()
    agency = db.execute("SELECT * FROM agencies WHERE id = ?", (agency_id,)).fetchone()
    if agency is None:
        raise XlgovaError("没有该单位")
    versions = []
    for s in db.execute("SELECT * FROM submissions WHERE agency_id = ? ORDER BY version DESC", (agency_id,)).fetchall():
        ds = [dict(d) for d in db.execute("SELECT * FROM decisions WHERE submission_id = ? ORDER BY id", (s["id"],))]
        versions.append(Version(dict(s), state_of(s, ds[-1] if ds else None), ds))
    current = changes = path = None
    if versions:
        pick = next((v for v in versions if v.row["version"] == version), versions[0])
        path = stored_path(store, pick.row)
        current = check_path(path, pick.row["filename"])
        older = next((v for v in versions if v.row["version"] < pick.row["version"]), None)
        if older is not None and current.report is not None:
            before = check_path(stored_path(store, older.row), older.row["filename"]).report
            changes = changed_values(before, current.report) if before is not None else None
    return AgencyView(dict(agency), versions, current, changes or [], path)


def changed_values(before: Report, after: Report) -> list[dict]:
    """Every cell whose shown value differs between two versions, labelled as the clerk sees it."""
    fmt = after.format
    out = []
    for cid, cell in fmt.cells.items():
        old, new = value_text(before.values.get(cid)), value_text(after.values.get(cid))
        if old != new:
            out.append({"cell": cid, "label": cell.label, "old": old, "new": new})
    for key, title in ((s.key, s.title) for s in fmt.narrative_sections):
        if (before.sections.get(key) or "").strip() != (after.sections.get(key) or "").strip():
            out.append({"cell": f"section.{key}", "label": f"正文「{title}」", "old": "（已修改）", "new": "（已修改）"})
    if before.agency != after.agency or before.year != after.year:
        out.append({"cell": "cover", "label": "封面", "old": f"{before.agency} {before.year}", "new": f"{after.agency} {after.year}"})
    return out


def decide(store: Store, submission_id: int, decision: str, comment: str, actor: str) -> dict:
    """退回 (``returned``, with its 退回通知) or 通过 (``accepted``) the latest version of an agency."""
    if decision not in DECISIONS:
        raise XlgovaError("未知的审核操作")
    db = store.db()
    sub = db.execute("SELECT s.*, a.name AS agency FROM submissions s LEFT JOIN agencies a ON a.id = s.agency_id WHERE s.id = ?", (submission_id,)).fetchone()
    if sub is None:
        raise XlgovaError("没有该报送记录")
    if sub["agency_id"] is None:
        raise XlgovaError("该文件尚未对应到名单中的单位，无法审核")
    latest = db.execute("SELECT MAX(version) FROM submissions WHERE agency_id = ?", (sub["agency_id"],)).fetchone()[0]
    if sub["version"] != latest:
        raise XlgovaError(f"该单位已报送第 {latest} 版，请对最新版本审核")
    comment = comment.strip()
    notice_sha = None
    if decision == "returned":
        notice_sha = _notice(store, dict(sub), comment)
    with store.transaction() as db:
        cur = db.execute("INSERT INTO decisions(submission_id, decision, comment, notice_sha256, at, actor) VALUES (?,?,?,?,?,?)",
                         (submission_id, decision, comment, notice_sha, now_text(), actor))
        store.log(db, actor, DECISIONS[decision], sub["agency"], {"submission": submission_id, "version": sub["version"], "comment": comment, "notice_sha256": notice_sha})
    return {"id": submission_id, "agency": sub["agency"], "version": sub["version"], "state": DECISIONS[decision],
            "decision_id": cur.lastrowid, "notice": f"/api/submissions/{submission_id}/notice.docx" if notice_sha else None}


def notice_lines_for(store: Store, sub: dict) -> list[str]:
    """The problems the 退回通知 names, as lines for the page (the same function as the Word notice)."""
    from ..export.notice import notice_lines

    path = stored_path(store, sub)
    checked = check_path(path, sub["filename"])
    if checked.report is None:
        return [f"1. 【错误】文件无法读取：{checked.unusable}"]
    return notice_lines(sub["agency"], checked.report, checked.result.findings, explanations=checked.report.meta.get("confirmed", {}))


def _notice(store: Store, sub: dict, comment: str) -> str:
    from ..export.notice import write_notice

    path = stored_path(store, sub)
    checked = check_path(path, sub["filename"])
    findings = checked.result.findings if checked.result is not None else []
    if checked.report is None:  # nothing to name but the reason the file cannot be read
        comment = f"报送的文件（{sub['filename']}）无法读取：{checked.unusable}\n{comment}".strip()
    with tempfile.TemporaryDirectory(dir=store.incoming) as tmp:
        path = write_notice(Path(tmp) / "notice.docx", sub["agency"], checked.report, findings, comment=comment,
                            deadline=store.setting("deadline"), contact=store.setting("contact"),
                            sender=store.setting("sender"), date=_dt.date.today(),
                            explanations=checked.report.meta.get("confirmed", {}) if checked.report is not None else None)
        sha, _ = store.keep_bytes(path.read_bytes(), ".docx")
    return sha


def notice_file(store: Store, submission_id: int) -> tuple[Path, str]:
    row = store.db().execute(
        "SELECT d.notice_sha256, a.name FROM decisions d JOIN submissions s ON s.id = d.submission_id JOIN agencies a ON a.id = s.agency_id "
        "WHERE d.submission_id = ? AND d.notice_sha256 IS NOT NULL ORDER BY d.id DESC LIMIT 1", (submission_id,)).fetchone()
    if row is None:
        raise XlgovaError("该报送没有退回通知")
    from ..export.notice import notice_filename

    return store.blob_path(row["notice_sha256"], ".docx"), notice_filename(row["name"])
