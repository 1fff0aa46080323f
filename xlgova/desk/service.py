"""What the desk does, as library functions over a :class:`~xlgova.desk.store.Store` (no HTTP here).

Every report is read by :func:`xlgova.loaders.load_report` and judged by :func:`xlgova.rules.validate`, the
JSON is :func:`xlgova.render.result_json` (``xlgova validate --json``), names are matched by the
consolidator's :class:`~xlgova.consolidate.Roster`, and a return notice is written by
:mod:`xlgova.export.notice`. The handlers in ``app.py`` only parse requests and render these results.

``actor`` is who did it, for the audit log: ``本机用户`` while the desk is a single-user tool on loopback.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..consolidate import Roster, RosterEntry, load_roster
from ..loaders import load_report
from .. import limits
from ..errors import XlgovaError
from ..model import Report
from ..render import result_json
from ..rules import ERROR, INFO, WARNING, Result, validate
from ..workbook.layout import LEVELS
from .auth import AGENCY_ACTOR, put_contact
from .store import Store, now_text
from .uploads import Upload

LOCAL_ACTOR = "本机用户"
NOT_SUBMITTED, SUBMITTED, HAS_ERRORS, HAS_WARNINGS, RETURNED, ACCEPTED = "未提交", "已提交", "有错误", "有警告", "已退回", "已通过"
STATES = (NOT_SUBMITTED, SUBMITTED, HAS_ERRORS, HAS_WARNINGS, RETURNED, ACCEPTED)
DECISIONS = {"returned": RETURNED, "accepted": ACCEPTED}
NO_LEVEL = "未分级"


@dataclass
class Checked:
    """One file read and judged: the report and result, or the reason it could not be read."""

    name: str
    report: Report | None
    result: Result | None
    unusable: str = ""

    def to_json(self) -> dict:
        """``xlgova validate FILE --json`` for this one file."""
        if self.report is None:
            return {"reports": [], "unusable": [{"source": self.name, "error": self.unusable}]}
        return {"reports": [result_json(self.name, self.report, self.result)]}


def safe_suffix(name: str) -> str:
    """The suffix the loaders dispatch on, kept only when it is a plain short extension."""
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def check_path(path: Path, name: str) -> Checked:
    """Read and validate a stored file exactly as ``xlgova validate`` does; messages name ``name``, the file
    as the clerk knows it, never the desk's hash-named copy."""
    try:
        report = load_report(path)
    except XlgovaError as e:
        return Checked(name, None, None, str(e).replace(str(path), name))
    report.source = name
    return Checked(name, report, validate(report, None))


def stored_path(store: Store, row) -> Path:
    return store.blob_path(row["sha256"], row["suffix"])


def check_upload(store: Store, up: Upload, actor: str) -> Checked:
    """自查: keep the file by its hash (so the marked copy can be downloaded), judge it, log it."""
    path = store.keep(up.path, up.sha256, safe_suffix(up.name))
    flushed = store.flush([path])
    checked = check_path(path, up.name)
    flushed.result()
    with store.transaction() as db:
        store.log(db, actor, "自查", up.name, {"sha256": up.sha256, "size": up.size, "valid": bool(checked.result and checked.result.valid)})
    return checked


# -- roster ----------------------------------------------------------------------------------------
def roster_of(store: Store) -> Roster | None:
    rows = store.db().execute("SELECT name, code, level FROM agencies WHERE in_roster = 1 ORDER BY position, id").fetchall()
    return Roster([RosterEntry(r["name"], r["code"], r["level"]) for r in rows]) if rows else None


def import_roster(store: Store, path: Path, name: str, actor: str) -> int:
    """Replace the roster with a CSV/XLSX file (as ``xlgova consolidate --roster`` reads it). Agencies that
    already submitted stay (marked 名单外 when the new roster lacks them); nothing they sent is dropped. The
    roster's contact columns (联系人, 联系电话) fill each agency's contact; an empty cell keeps the one stored."""
    try:
        roster = load_roster(path)
    except XlgovaError as e:
        raise XlgovaError(str(e).replace(str(path), name)) from None
    with store.transaction() as db:
        db.execute("UPDATE agencies SET in_roster = 0")
        for i, e in enumerate(roster.entries):
            db.execute("INSERT INTO agencies(name, code, level, position, in_roster) VALUES (?, ?, ?, ?, 1) "
                       "ON CONFLICT(name) DO UPDATE SET code = excluded.code, level = excluded.level, "
                       "position = excluded.position, in_roster = 1", (e.name, e.code, e.level, i))
            if e.person or e.phone:  # the roster's 联系人/联系电话 columns
                put_contact(db, e.name, e.person, e.phone, keep_blank=True)
        _rematch(store, db, roster)
        db.execute("DELETE FROM agencies WHERE in_roster = 0 AND id NOT IN (SELECT agency_id FROM submissions WHERE agency_id IS NOT NULL)")
        store.log(db, actor, "导入名单", name, {"agencies": len(roster)})
    return len(roster)


def add_agency(store: Store, name: str, code: str, level: str, actor: str) -> None:
    name = " ".join(name.split())
    if not name:
        raise XlgovaError("请填写单位名称")
    with store.transaction() as db:
        if db.execute("SELECT 1 FROM agencies WHERE name = ? AND in_roster = 1", (name,)).fetchone():
            raise XlgovaError(f"名单中已有“{name}”")
        pos = db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM agencies").fetchone()[0]
        db.execute("INSERT INTO agencies(name, code, level, position, in_roster) VALUES (?, ?, ?, ?, 1) "
                   "ON CONFLICT(name) DO UPDATE SET in_roster = 1, code = excluded.code, level = excluded.level",
                   (name, code.strip(), level.strip(), pos))
        _rematch(store, db, None)
        store.log(db, actor, "添加单位", name, {"code": code, "level": level})


def remove_agency(store: Store, agency_id: int, actor: str) -> None:
    with store.transaction() as db:
        row = db.execute("SELECT name FROM agencies WHERE id = ?", (agency_id,)).fetchone()
        if row is None:
            raise XlgovaError("名单中没有该单位")
        used = db.execute("SELECT COUNT(*) FROM submissions WHERE agency_id = ?", (agency_id,)).fetchone()[0]
        if used:  # its submissions are kept: the agency only leaves the roster
            db.execute("UPDATE agencies SET in_roster = 0 WHERE id = ?", (agency_id,))
        else:
            db.execute("DELETE FROM agencies WHERE id = ?", (agency_id,))
        store.log(db, actor, "移出名单", row["name"])


def _rematch(store: Store, db, roster: Roster | None) -> None:
    """Submissions that matched no agency, or went to an agency the roster lacks (listed before a roster was
    imported, under the name on the cover), get another chance when the roster changes; each becomes the next
    version of the agency it now matches, in the order received. A file a signed-in agency sent stays its
    own whatever its cover says: it never moves to another agency (who could then read it)."""
    rows = db.execute("SELECT id, typed_name FROM submissions WHERE agency_id IS NULL OR (agency_id IN "
                      "(SELECT id FROM agencies WHERE in_roster = 0) AND substr(actor, 1, ?) <> ?) ORDER BY id",
                      (len(AGENCY_ACTOR), AGENCY_ACTOR)).fetchall()
    if not rows:
        return
    roster = roster or Roster([RosterEntry(r["name"]) for r in db.execute("SELECT name FROM agencies WHERE in_roster = 1")])
    for r in rows:
        m = roster.match(r["typed_name"])
        if m.entry is not None:
            aid = db.execute("SELECT id FROM agencies WHERE name = ?", (m.entry.name,)).fetchone()["id"]
            version = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE agency_id = ?", (aid,)).fetchone()[0]
            db.execute("UPDATE submissions SET agency_id = ?, version = ?, match_note = ? WHERE id = ?", (aid, version, m.note, r["id"]))


def assign(store: Store, submission_id: int, agency_id: int, actor: str) -> dict:
    """A file that matched no roster entry, given to an agency by hand: it becomes that agency's next version."""
    with store.transaction() as db:
        sub = db.execute("SELECT agency_id, filename FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        agency = db.execute("SELECT name FROM agencies WHERE id = ?", (agency_id,)).fetchone()
        if sub is None or agency is None:
            raise XlgovaError("没有该报送记录或单位")
        if sub["agency_id"] is not None:
            raise XlgovaError("该文件已对应到单位，不能再改")
        version = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE agency_id = ?", (agency_id,)).fetchone()[0]
        db.execute("UPDATE submissions SET agency_id = ?, version = ?, match_note = ? WHERE id = ?",
                   (agency_id, version, f"由汇总单位指定为“{agency['name']}”", submission_id))
        store.log(db, actor, "指定单位", sub["filename"], {"submission": submission_id, "agency": agency["name"], "version": version})
        return _answer(db, submission_id)


# -- receiving -------------------------------------------------------------------------------------
def _match(store: Store, db, roster: Roster | None, checked: Checked) -> tuple[int | None, str, str]:
    """(agency id, name as typed, note): the cover's name, else the file name, matched to the roster. Without
    a roster every agency that submits is added to the list."""
    typed = (checked.report.agency if checked.report is not None else "") or Path(checked.name).stem
    if roster is None:
        if checked.report is None or not checked.report.agency.strip():
            return None, typed, "无法读取单位名称，且尚未导入汇总名单"
        db.execute("INSERT OR IGNORE INTO agencies(name, position, in_roster) VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM agencies), 1)", (typed.strip(),))
        return db.execute("SELECT id FROM agencies WHERE name = ?", (typed.strip(),)).fetchone()["id"], typed, ""
    m = roster.match(typed)
    if m.entry is None:
        return None, typed, m.note
    return db.execute("SELECT id FROM agencies WHERE name = ?", (m.entry.name,)).fetchone()["id"], typed, m.note


def receive(store: Store, uploads: list[Upload], actor: str, agency_id: int | None = None) -> list[dict]:
    """Keep and judge every file, then record them all in one transaction (committed before the caller
    answers, so an acknowledged submission is on disk). A file identical to its agency's latest version is
    recognised and not stored twice. ``agency_id``: an agency signed in submits as itself, whatever its cover says."""
    paths = [store.keep(up.path, up.sha256, safe_suffix(up.name)) for up in uploads]
    flushed = store.flush(paths)
    checked = [(up, check_path(path, up.name)) for up, path in zip(uploads, paths)]
    flushed.result()  # every file on disk before its row is committed
    roster = roster_of(store)
    out = []
    with store.transaction() as db:
        for up, c in checked:
            out.append(_record(store, db, roster, up, c, actor, agency_id))
    return out


def _own(db, agency_id: int, c: Checked) -> tuple[int, str, str]:
    """A signed-in agency's file is its own; a cover naming someone else is noted, never matched elsewhere."""
    name = db.execute("SELECT name FROM agencies WHERE id = ?", (agency_id,)).fetchone()["name"]
    typed = (c.report.agency if c.report is not None else "") or name
    same = Roster([RosterEntry(name)]).match(typed).entry is not None
    return agency_id, typed, "" if same else f"封面单位名称为“{typed}”，与登录单位“{name}”不一致"


def _record(store: Store, db, roster: Roster | None, up: Upload, c: Checked, actor: str, agency_id: int | None = None) -> dict:
    aid, typed, note = _match(store, db, roster, c) if agency_id is None else _own(db, agency_id, c)
    if aid is not None:
        last = db.execute("SELECT id, sha256, version FROM submissions WHERE agency_id = ? ORDER BY version DESC LIMIT 1", (aid,)).fetchone()
        if last is not None and last["sha256"] == up.sha256:
            return {**_answer(db, last["id"]), "file": up.name, "duplicate": True}
    version = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM submissions WHERE agency_id = ?", (aid,)).fetchone()[0] if aid else 0
    counts = c.result.counts if c.result else {ERROR: 0, WARNING: 0, INFO: 0}
    rep = c.report
    cur = db.execute(
        "INSERT INTO submissions(agency_id, version, typed_name, match_note, sha256, suffix, filename, size, received_at, actor,"
        " year, format, errors, warnings, infos, unusable, result_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (aid, version, typed, note, up.sha256, safe_suffix(up.name), up.name, up.size, now_text(), actor,
         _stored_year(rep), rep.format_id if rep else None, counts[ERROR], counts[WARNING], counts[INFO],
         c.unusable, json.dumps(c.to_json(), ensure_ascii=False)))
    store.log(db, actor, "接收报送", up.name, {"submission": cur.lastrowid, "sha256": up.sha256, "agency_id": aid, "version": version})
    return {**_answer(db, cur.lastrowid), "file": up.name, "duplicate": False}


def _stored_year(rep) -> int | None:
    """The year for the submissions table: an implausible one (10^30 fits no SQLite INTEGER) is kept only in
    the result, where report.year_implausible names it."""
    year = rep.year if rep else None
    return year if isinstance(year, int) and limits.FIRST_YEAR <= year <= limits.last_year() else None


def _answer(db, sid: int) -> dict:
    row = db.execute("SELECT s.*, a.name AS agency FROM submissions s LEFT JOIN agencies a ON a.id = s.agency_id WHERE s.id = ?", (sid,)).fetchone()
    return {"id": row["id"], "agency": row["agency"], "agency_id": row["agency_id"], "typed_name": row["typed_name"], "match": row["match_note"],
            "version": row["version"], "state": state_of(row, _decision(db, sid)), "errors": row["errors"],
            "warnings": row["warnings"], "unusable": row["unusable"] or None}


def _decision(db, sid: int):
    return db.execute("SELECT * FROM decisions WHERE submission_id = ? ORDER BY id DESC LIMIT 1", (sid,)).fetchone()


def state_of(sub, decision) -> str:
    if sub is None:
        return NOT_SUBMITTED
    if decision is not None:
        return DECISIONS[decision["decision"]]
    if sub["unusable"] or sub["errors"]:
        return HAS_ERRORS
    return HAS_WARNINGS if sub["warnings"] else SUBMITTED


# -- progress --------------------------------------------------------------------------------------
STATUS_SQL = """
SELECT a.id AS agency_id, a.name, a.code, a.level, a.in_roster, s.id AS sid, s.version, s.errors, s.warnings,
       s.unusable, s.received_at, s.filename, d.decision, d.comment, d.at AS decided_at
FROM agencies a
LEFT JOIN submissions s ON s.id = (SELECT id FROM submissions WHERE agency_id = a.id ORDER BY version DESC LIMIT 1)
LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE submission_id = s.id ORDER BY id DESC LIMIT 1)
ORDER BY a.in_roster DESC, a.position, a.id
"""


def status(store: Store) -> list[dict]:
    """Every agency with its state, from its latest version (``GET /api/status``)."""
    out = []
    for r in store.db().execute(STATUS_SQL):
        sub = r if r["sid"] is not None else None
        out.append({"agency": r["name"], "agency_id": r["agency_id"], "code": r["code"], "level": r["level"] or NO_LEVEL,
                    "in_roster": bool(r["in_roster"]), "state": state_of(sub, r if r["decision"] else None),
                    "errors": r["errors"] or 0, "warnings": r["warnings"] or 0, "version": r["version"] or 0,
                    "submission": r["sid"], "received_at": r["received_at"] or "", "comment": r["comment"] or "",
                    "unusable": r["unusable"] or ""})
    return out


def unmatched(store: Store) -> list[dict]:
    rows = store.db().execute("SELECT id, typed_name, match_note, filename, received_at FROM submissions WHERE agency_id IS NULL ORDER BY id").fetchall()
    return [dict(r) for r in rows]


def level_order(level: str) -> tuple[int, str]:
    return (LEVELS.index(level) if level in LEVELS else len(LEVELS) + (level == NO_LEVEL), level)


def counts(rows: list[dict]) -> dict[str, int]:
    return {s: sum(1 for r in rows if r["state"] == s) for s in STATES}


def reminders(rows: list[dict]) -> list[dict]:
    """催报: agencies of the roster that have not submitted, or were returned and have not resubmitted."""
    return [r for r in rows if r["in_roster"] and r["state"] in (NOT_SUBMITTED, RETURNED)]
