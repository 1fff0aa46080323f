"""write_notices(inputs, out_dir): one 退回通知 per agency whose report has errors or unconfirmed warnings.

Each report is judged as the consolidator judges it — the rules, last year (``previous``: last year's
summary or folder, else the workbook's own 上年数据), the review rules, the peers among the inputs — and
the agency's explanations (已确认说明 on 校验结果) are honoured: a confirmed warning is not returned for,
an error always is.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..export.notice import notice_filename, notice_problems, write_notice
from ..errors import XlgovaError
from ..rules import ERROR, WARNING, Numbers, validate
from .core import load_previous
from .discover import discover
from .record import Context, load_input
from .review_rules import Peer, outlier_findings, own_review


@dataclass
class NoticeOutcome:
    file: str
    agency: str = ""
    notice: Path | None = None  # None: nothing to return the report for
    problems: int = 0
    unreadable: str = ""

    def to_json(self) -> dict:
        return {"file": self.file, "agency": self.agency, "notice": str(self.notice) if self.notice else None,
                "problems": self.problems, **({"reason": self.unreadable} if self.unreadable else {})}


@dataclass
class _Judged:
    path: str
    report: object
    findings: list
    figures: tuple


def _judge(path: str, ctx: Context) -> _Judged | NoticeOutcome:
    try:
        report = load_input(path)
    except XlgovaError as e:
        return NoticeOutcome(path, unreadable=str(e))
    except Exception as e:  # a damaged file must not stop the others
        return NoticeOutcome(path, unreadable=f"文件已损坏或不是有效的工作簿（{type(e).__name__}）")
    _, key, _ = ctx.key_for(report.agency)
    previous = ctx.previous.get(key) or report.previous
    numbers = Numbers(report)
    findings = validate(report, previous, numbers=numbers).findings
    review, this, _ = own_review(report, numbers, previous)
    return _Judged(path, report, list(findings) + review, this)


def needs_notice(findings, confirmed: dict) -> bool:
    """An error, or a warning nobody explained."""
    return any(f.severity == ERROR or (f.severity == WARNING and not confirmed.get(f.fingerprint)) for f in findings)


def write_notices(inputs: Iterable[str | Path], out_dir: str | Path, *, previous: str | Path | None = None,
                  deadline: str = "", contact: str = "", comment: str = "", sender: str = "") -> list[NoticeOutcome]:
    """Judge every input and write the notices into ``out_dir`` (created if its parent exists)."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise XlgovaError("输出位置不是文件夹", path=out)
    paths = discover(inputs)
    ctx = Context(previous=load_previous(previous, None, None) if previous else {})
    judged = [_judge(p, ctx) for p in paths]
    readable = [j for j in judged if isinstance(j, _Judged)]
    level = lambda j: str((j.report.meta or {}).get("level") or "")  # noqa: E731
    peers = outlier_findings(Peer(str(i), level(j), j.figures) for i, j in enumerate(readable))
    for i, j in enumerate(readable):
        j.findings += peers.get(str(i), [])
    if readable:
        if not out.parent.is_dir():
            raise XlgovaError("输出文件夹的上级文件夹不存在", path=out.parent, hint="请先创建该文件夹，或换一个输出位置。")
        out.mkdir(exist_ok=True)
    used: set[str] = set()
    return [j if isinstance(j, NoticeOutcome) else _write(j, out, used, deadline=deadline, contact=contact, comment=comment,
                                                          sender=sender) for j in judged]


def _write(j: _Judged, out: Path, used: set[str], **kw) -> NoticeOutcome:
    report = j.report
    agency = report.agency or Path(j.path).stem
    confirmed = (report.meta or {}).get("confirmed") or {}
    done = NoticeOutcome(j.path, agency)
    if not needs_notice(j.findings, confirmed):
        return done
    done.problems = len(notice_problems(report, j.findings, explanations=confirmed))
    name = notice_filename(agency)
    while name in used:  # two reports of one agency: neither notice may replace the other
        name = name.removesuffix(".docx") + "_另一份.docx"
    used.add(name)
    done.notice = write_notice(out / name, agency, report, j.findings, explanations=confirmed, **kw)
    return done
