"""The read-and-check step for one input file, run in worker processes (or on Dask workers).

A worker returns an :class:`AgencyRecord`: small, picklable, holding what the summary needs — the
values for the 明细 row and the sums, the counts and first messages of the findings, MinHash signatures
of the narrative and fingerprints of the tables. The full report is dropped, so memory in the main
process grows only by one 明细 row per file.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..formats import get_format
from ..model import BLANK, NUMBER, Report
from ..errors import XlgovaError
from ..rules import ERROR, INFO, WARNING, Numbers, severity_of, validate
from ..workbook.layout import KIND_SUMMARY
from .coverage import coverage_json, coverage_of
from .names import Roster, normalise_name
from .review_rules import own_review
from .similarity import jaccard, signature

REVIEW_RULES = ("hint.yoy_jump", "hint.outlier", "hint.same_as_last_year")  # shown on 校验情况 and --json
MAX_MESSAGES = 10  # findings kept per agency for the 校验情况 sheet and --json (counts are always complete)
COPY_OWN_THRESHOLD = 0.8
SECTION_TITLES = {"一": "一、总体情况", "五": "五、存在的主要问题及改进情况", "六": "六、其他需要报告的事项"}

# Statuses, in the order a supervisor wants to see them.
UNREADABLE, ERRORS, WARNINGS, MISSING, PASSED = "无法读取", "错误", "警告", "未提交", "通过"
STATUS_ORDER = (UNREADABLE, ERRORS, WARNINGS, MISSING, PASSED)
SUPERSEDED = "重复提交"


@dataclass
class Context:
    """What every worker needs besides its file: the roster and last year's reports by agency key."""

    roster: Roster | None = None
    previous: dict[str, Report] = field(default_factory=dict)

    def key_for(self, name: str) -> tuple[str, str, Any]:
        """(canonical name, key, roster match) of a submitted agency name."""
        if self.roster is not None:
            m = self.roster.match(name)
            if m.entry is not None:
                return m.entry.name, normalise_name(m.entry.name), m
            return name, normalise_name(name), m
        return name, normalise_name(name), None


@dataclass
class AgencyRecord:
    path: str
    mtime: float = 0.0
    unreadable: str = ""  # why the file could not be read
    agency: str = ""  # as written on the cover
    name: str = ""  # the roster's name when matched, else as written
    key: str = ""
    match: str = ""  # exact / suffix / unknown / ambiguous / "" (no roster)
    match_note: str = ""
    code: str = ""
    level: str = ""
    year: int | None = None
    format_id: str = ""
    summary: bool = False
    agencies: int = 1  # agencies covered (a county summary covers many)
    raw: tuple = ()  # the 明细 row: values as submitted, in the format's cell order
    sums: tuple = ()  # numbers for the totals (blank part 0, blank total derived, text None)
    sections: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, tuple | None] = field(default_factory=dict)
    table_prints: dict[str, str] = field(default_factory=dict)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, rule, message)
    counts: dict[str, int] = field(default_factory=lambda: {ERROR: 0, WARNING: 0, INFO: 0})
    hints: list[tuple[str, str]] = field(default_factory=list)  # (rule, message) of the review rules
    explained: list[tuple[str, str, str, str]] = field(default_factory=list)  # (severity, rule, message, 已确认说明)
    confirmed: int = 0  # warnings the clerk confirmed with an explanation (counted apart)
    figures: tuple = ()  # the review's key figures this year (review.FIGURES order)
    last_figures: tuple | None = None  # ... and last year, when last year is known
    coverage: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule group -> (state, reason)
    previous_from: str = ""  # archive / workbook / ""
    included: bool = True  # counted in the totals
    excluded_why: str = ""

    @property
    def superseded(self) -> bool:
        """An older copy of a report submitted twice: listed, but neither counted nor judged."""
        return self.excluded_why.startswith(SUPERSEDED)

    @property
    def status(self) -> str:
        if self.unreadable:
            return UNREADABLE
        if self.counts[ERROR]:
            return ERRORS
        return WARNINGS if self.open_warnings else PASSED

    @property
    def open_warnings(self) -> int:
        """Warnings nobody has explained: a confirmed warning does not hold the agency back."""
        return self.counts[WARNING] - self.confirmed

    def add(self, rule: str, message: str) -> None:
        """A finding made by the consolidator (duplicates, copying, roster, year)."""
        sev = severity_of(rule)
        self.counts[sev] += 1
        if sev != INFO:
            self.findings.insert(self._insert_at(sev), (sev, rule, message))
            del self.findings[MAX_MESSAGES:]
        else:
            self.hints.append((rule, message))

    def _insert_at(self, sev: str) -> int:
        if sev == ERROR:
            return sum(1 for f in self.findings if f[0] == ERROR)
        return len(self.findings)

    def messages(self, n: int = 3) -> list[str]:
        return [m for _, _, m in self.findings[:n]]

    def to_json(self) -> dict:
        data = {
            "file": self.path, "agency": self.agency, "name": self.name, "status": self.status,
            "errors": self.counts[ERROR], "warnings": self.counts[WARNING], "infos": self.counts[INFO],
            "confirmed_warnings": self.confirmed, "included": self.included,
            "findings": [{"severity": s, "rule": r, "message": m} for s, r, m in self.findings]
            + [{"severity": INFO, "rule": r, "message": m} for r, m in self.hints],
            "coverage": coverage_json(self.coverage),
        }
        if self.explained:
            data["explained"] = [{"severity": s, "rule": r, "message": m, "explanation": e} for s, r, m, e in self.explained]
        if self.unreadable:
            data["reason"] = self.unreadable
        if self.excluded_why:
            data["excluded"] = self.excluded_why
        if self.match_note:
            data["roster"] = self.match_note
        if self.summary:
            data["agencies"] = self.agencies
        return data


def _json_raw(v) -> Any:
    """A 明细 value: the number, the text as written, or None for a blank or absent cell."""
    if v is None or v.kind == BLANK:
        return None
    return v.number if v.kind == NUMBER else v.raw


@lru_cache(maxsize=None)
def _table_cells(format_id: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(table id, its cell ids, its input cell ids) for every table of a format."""
    return tuple(
        (t.id, tuple(c.id for c in t.cells), tuple(c.id for c in t.cells if c.is_input)) for t in get_format(format_id).tables
    )


def _table_prints(format_id: str, sums: dict) -> dict[str, str]:
    """A fingerprint per table with at least 4 non-zero input cells: identical zeros are not copying."""
    out = {}
    for table_id, cells, inputs in _table_cells(format_id):
        if sum(1 for c in inputs if sums[c]) >= 4:
            nums = [sums[c] for c in cells]
            out[table_id] = hashlib.blake2b(repr(nums).encode(), digest_size=12).hexdigest()
    return out


def _previous_for(report: Report, key: str, ctx: Context) -> tuple[Report | None, str]:
    prev = ctx.previous.get(key)
    if prev is not None:
        return prev, "archive"
    if report.previous is not None:
        return report.previous, "workbook"
    return None, ""


def _own_copy(report: Report, previous: Report | None, signatures: dict) -> list[tuple[str, str]]:
    """Sections nearly copied from the agency's own last year (a text too short for a signature is not judged)."""
    if previous is None:
        return []
    out = []
    for key, text in report.sections.items():
        old = previous.sections.get(key, "")
        if signatures[key] is not None and old and (s := jaccard(text, old)) >= COPY_OWN_THRESHOLD:
            out.append(("consolidate.copied_narrative", f"“{SECTION_TITLES.get(key, key)}”的文字与本单位上年报告几乎相同（相似度约 {s:.0%}），格式要求避免内容雷同"))
    return out


def record_from_report(report: Report, path: str, ctx: Context, mtime: float = 0.0) -> AgencyRecord:
    fmt = get_format(report.format_id)
    name, key, match = ctx.key_for(report.agency)
    previous, previous_from = _previous_for(report, key, ctx)
    numbers = Numbers(report)
    result = validate(report, previous, numbers=numbers)
    sums = {cid: numbers.get(cid) for cid in fmt.cells}
    values = report.values
    meta = report.meta or {}
    rec = AgencyRecord(
        path=str(path), mtime=mtime, agency=report.agency, name=name, key=key,
        match=match.how if match else "", match_note=match.note if match else "",
        code=(match.entry.code if match and match.entry else "") or str(meta.get("code") or ""),
        level=str((match.entry.level if match and match.entry else "") or meta.get("level") or ""),
        year=report.year, format_id=report.format_id,
        summary=str(meta.get("kind") or "").strip() == KIND_SUMMARY,
        agencies=_agencies(meta),
        raw=tuple(_json_raw(values.get(cid)) for cid in fmt.cells),
        sums=tuple(sums.values()),
        sections={k: v for k, v in report.sections.items() if v},
        signatures={k: signature(v) for k, v in report.sections.items()},
        table_prints=_table_prints(report.format_id, sums),
        previous_from=previous_from,
    )
    review, rec.figures, rec.last_figures = own_review(report, numbers, previous)
    _keep_findings(rec, result.findings, review, (report.meta or {}).get("confirmed") or {})
    rec.coverage = coverage_of(report, previous, rec.last_figures)
    for rule, message in _own_copy(report, previous, rec.signatures):
        rec.add(rule, message)
    return rec


def _keep_findings(rec: AgencyRecord, findings, review, confirmed: dict) -> None:
    """Counts of everything; messages of the first errors and open warnings, the review hints, and every
    finding a clerk explained (已确认说明). An explained error stays an error."""
    kept = []
    rec.counts = {ERROR: 0, WARNING: 0, INFO: 0}
    for f in list(findings) + review:
        rec.counts[f.severity] += 1
        said = str(confirmed.get(f.fingerprint) or "").strip() if confirmed else ""
        if said:
            rec.explained.append((f.severity, f.rule, f.message, said))
        if said and f.severity != ERROR:
            rec.confirmed += f.severity == WARNING
        elif f.severity != INFO:
            kept.append(f)
        elif f.rule in REVIEW_RULES:
            rec.hints.append((f.rule, f.message))
    rec.findings = [(f.severity, f.rule, f.message) for f in kept[:MAX_MESSAGES]]


def _agencies(meta: dict) -> int:
    if str(meta.get("kind") or "").strip() != KIND_SUMMARY:
        return 1
    try:
        return max(1, int(Decimal(str(meta.get("agencies")))))
    except Exception:  # a summary whose count was lost still counts as one
        return 1


def load_input(path: str) -> Report:
    from ..loaders import load_report

    return load_report(path)


def process_path(path: str, ctx: Context) -> AgencyRecord:
    """Read and check one file. Never raises: an unusable file becomes a 无法读取 record with the reason."""
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        mtime = 0.0
    try:
        report = load_input(path)
    except XlgovaError as e:
        return AgencyRecord(path=str(path), mtime=mtime, unreadable=_reason(e, path), included=False)
    except MemoryError:  # the worker's memory cap (limits.WORKER_MEMORY_BYTES): the reader let go of it all
        return AgencyRecord(path=str(path), mtime=mtime, unreadable=MEMORY_EXCEEDED, included=False)
    except Exception as e:  # damaged zip, broken XML, anything a reader chokes on
        return AgencyRecord(path=str(path), mtime=mtime, unreadable=f"文件已损坏或不是有效的工作簿（{type(e).__name__}）", included=False)
    try:
        return record_from_report(report, path, ctx, mtime)
    except Exception as e:  # pragma: no cover - a bug must not lose the other agencies
        return AgencyRecord(path=str(path), mtime=mtime, agency=report.agency, unreadable=f"校验时出错（{type(e).__name__}: {e}）", included=False)


MEMORY_EXCEEDED = "读取该文件所需的内存超过每个处理进程的上限，已跳过，其余单位照常汇总（文件可能是恶意构造或严重损坏的）；请向报送单位重新索取"
WORKER_DIED = "读取该文件时处理进程异常终止（文件可能是恶意构造或严重损坏的），已跳过，其余单位照常汇总；请向报送单位重新索取"


def worker_died(path: str) -> AgencyRecord:
    """The record of a file whose reading killed the worker process (it was read alone, and killed it again)."""
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        mtime = 0.0
    return AgencyRecord(path=str(path), mtime=mtime, unreadable=WORKER_DIED, included=False)


def _reason(e: XlgovaError, path: str) -> str:
    text = str(e)
    prefix = f"{path}："
    return text[len(prefix):] if text.startswith(prefix) else text


def process_batch(paths: list[str], ctx: Context) -> list[AgencyRecord]:
    return [process_path(p, ctx) for p in paths]

