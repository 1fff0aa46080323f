"""Findings and results: what a check says, as data."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    return v


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    previous_cells: tuple[str, ...] = ()  # cells of last year's report taking part (cross-year rules)
    locations: tuple[tuple[str, str], ...] = ()  # (cell id, "Sheet!A1") where a workbook is involved
    quote: str | None = None  # the source text a finding refers to (imported documents)

    @property
    def fingerprint(self) -> str:
        """Stable across runs for the same rule on the same cells, so a clerk's 已确认 note follows it."""
        key = "|".join((self.rule, ",".join(self.cells), ",".join(self.previous_cells)))
        if not self.cells and not self.previous_cells:
            key += "|" + self.message
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    def location_of(self, cell_id: str) -> str | None:
        return dict(self.locations).get(cell_id)

    def to_json(self) -> dict:
        data = {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "message": self.message,
            "fingerprint": self.fingerprint,
        }
        if self.previous_cells:
            data["previous_cells"] = list(self.previous_cells)
        if self.locations:
            data["locations"] = dict(self.locations)
        if self.quote:
            data["quote"] = self.quote
        return data


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
