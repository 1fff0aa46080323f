"""Results: every finding of one validation, counted by severity, as JSON and as rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ..model.finding import ERROR, INFO, SEVERITIES, SEVERITY_LABELS, WARNING, Finding, _jsonable  # noqa: F401


_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass
class Result:
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.findings = sorted(self.findings, key=lambda f: _ORDER[f.severity])

    @property
    def valid(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in SEVERITIES}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def rules(self, severity: str | None = None) -> set[str]:
        return {f.rule for f in self.findings if severity is None or f.severity == severity}

    def status_text(self) -> str:
        """通过 / 发现 N 个错误、M 个警告 — the wording of the status line everywhere."""
        c = self.counts
        if not c[ERROR] and not c[WARNING]:
            return "通过"
        return f"发现 {c[ERROR]} 个错误、{c[WARNING]} 个警告"

    def to_json(self) -> dict:
        return {"valid": self.valid, "counts": self.counts, "findings": [f.to_json() for f in self.findings]}

    def rows(self) -> list[tuple[int, str, str, str, str]]:
        """Rows for a results sheet: 序号, 级别, 规则, 位置, 说明."""
        out = []
        for i, f in enumerate(self.findings, 1):
            where = "、".join(loc for _, loc in f.locations) or "、".join(f.cells)
            out.append((i, f.severity_label, f.rule, where, f.message))
        return out

    def extend(self, findings: Iterable[Finding]) -> "Result":
        return Result(self.findings + list(findings))
