"""Human-readable Chinese rendering of validation results for the terminal."""
from __future__ import annotations

import sys
import unicodedata

from .model import Report
from .rules import Result
from .safeio import shown


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, w: int) -> str:
    return text + " " * max(0, w - width(text))


def report_title(report: Report) -> str:
    year = f"{report.year} 年度" if report.year else "年度未填"
    return f"{shown(report.agency) or '（未填单位名称）'} · {year} · {report.format_id} 版格式"


def result_json(source: str, report: Report, result: Result) -> dict:
    """One report's entry in ``xlgova validate --json`` (and the desk's ``POST /api/check``)."""
    return {"source": source, "agency": report.agency, "year": report.year, "format": report.format_id, **result.to_json()}


def render_result(report: Report, result: Result, *, source: str = "", show_info: bool = True) -> str:
    lines = [f"■ {report_title(report)}" + (f"  〔{source}〕" if source else "")]
    listed = [f for f in result.findings if show_info or f.severity != "info"]
    if listed:
        head = ("序号", "级别", "规则", "位置", "说明")
        rows = []
        for i, f in enumerate(listed, 1):
            where = "、".join(loc for _, loc in f.locations) or "、".join(f.cells[:3]) + ("…" if len(f.cells) > 3 else "")
            rows.append((str(i), f.severity_label, f.rule, where or "—", f.message))
        widths = [max(width(r[k]) for r in rows + [head]) for k in range(4)]
        widths = [min(w, 40) for w in widths]
        lines.append("  " + "  ".join(pad(h, widths[k]) if k < 4 else h for k, h in enumerate(head)))
        for r in rows:
            lines.append("  " + "  ".join(pad(c, widths[k]) if k < 4 else c for k, c in enumerate(r)))
    c = result.counts
    verdict = "通过" if result.valid and not c["warning"] else ("未通过" if not result.valid else "通过（有警告）")
    lines.append(f"  结论：{verdict} —— {c['error']} 个错误，{c['warning']} 个警告，{c['info']} 条提示")
    return shown("\n".join(lines), lines=True)


class Progress:
    """A progress bar for long commands: tqdm on a terminal's stderr; nothing when quiet or redirected."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def total(self, n: int) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=n, unit="份", desc="读取和校验", file=getattr(sys.stderr, "raw_stream", sys.stderr),  # its \r redraws the bar
                             dynamic_ncols=True)

    def step(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
