"""A finding: what a check says about a report, as data (rule, severity, cells, numbers, Chinese message)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from .values import json_number

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    return json_number(v) if isinstance(v, int) and not isinstance(v, bool) else v


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
    # What a finding is about beyond its cells, when one rule can say several things without cells (the
    # narrative section "五", a table id). Never a number or a message: it keys the fingerprint.
    subject: str = ""

    @classmethod
    def of(cls, rule: str, message: str, cells: Iterable[str] = (), *, report=None, locations=None, **kw) -> "Finding":
        """The one way to make a finding: the severity from the rule catalogue; ``locations`` (cell id,
        "Sheet!A1") given, or looked up in ``report``'s provenance for each cell."""
        from .catalog import severity_of

        cells = tuple(cells)
        if locations is None:
            locations = tuple((c, loc) for c in cells if (loc := report.location(c))) if report is not None else ()
        return cls(rule, severity_of(rule), message, cells, locations=tuple(locations), **kw)

    @property
    def fingerprint(self) -> str:
        """Stable across runs for the same rule on the same cells (or the same subject), whatever the
        numbers or the wording say, so a clerk's 已确认说明 follows the finding."""
        key = "|".join((self.rule, ",".join(self.cells), ",".join(self.previous_cells)))
        if self.subject:
            key += "|" + self.subject
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
        if self.subject:
            data["subject"] = self.subject
        return data
