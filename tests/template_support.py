"""Helpers for the template tests: random filled cases, what the Python rules say about them, comparisons.

A case is what a clerk's workbook holds: input cells (numbers, blanks, text, placeholders), total cells that
are either the template's formulas or typed over, cover fields and the 上年数据 cells. ``expected`` says what
every check cell, total and summary line must show — from ``xlgova.rules.validate`` on the report a reader
would make of that workbook.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from xlgova.formats import COUNT, get_format
from xlgova.model import NUMBER, Report, parse_value
from xlgova.rules import EQ, Numbers, defining_identity, identities_for, validate
from xlgova.demo.samples import random_report
from xlgova.workbook import layout as L
from xlgova.workbook.check_formulas import FAIL, PASS, SKIP, check_map
from xlgova.workbook.results_formulas import COL_FAIL, summary_rows

FORMATS = ("2021", "2019")
FORMULA = object()  # the total cell keeps the template's formula


@dataclass
class Case:
    format_id: str
    name: str
    inputs: dict[str, object]  # cell id -> raw value (None = blank); totals: FORMULA or a typed value
    previous: dict[str, object]  # 上年数据 cells given (absent = left blank)
    agency: str | None = "示例县人民政府办公室"
    year: int | None = None
    changes: list[str] = field(default_factory=list)

    def cells(self) -> dict[tuple[str, str], object]:
        """(sheet, address) -> value for every cell a filler writes (FORMULA totals are left alone)."""
        cmap, pmap = L.cell_map(self.format_id), L.previous_map(self.format_id)
        fields = {k: a for k, _, a in L.COVER_FIELDS}
        out = {cmap[c]: v for c, v in self.inputs.items() if v is not FORMULA}
        out.update({pmap[c]: self.previous.get(c) for c in pmap})
        out[(L.COVER, fields["agency"])] = self.agency
        out[(L.COVER, fields["year"])] = self.year
        return out


def _excel_number(v) -> int | float:
    p = parse_value(v)
    if p.kind == NUMBER and not isinstance(v, str):
        return p.number
    return 0  # SUM ignores blanks and text


def excel_totals(case: Case) -> dict[str, object]:
    """What each total cell holds once the workbook is calculated: its SUM formula's value, or the typed value."""
    defining = defining_identity(case.format_id)
    memo: dict[str, object] = {}

    def value(cid: str):
        if cid in memo:
            return memo[cid]
        raw = case.inputs.get(cid)
        if raw is FORMULA:
            memo[cid] = sum(t.coef * _excel_number(value(t.cell)) for t in defining[cid].rhs)
        else:
            memo[cid] = raw
        return memo[cid]

    return {cid: value(cid) for cid in defining}


def report_of(case: Case) -> tuple[Report, Report | None]:
    """The report (and last year's) a reader makes of the case's workbook."""
    values = dict(case.inputs)
    values.update(excel_totals(case))
    report = Report(agency=case.agency or "", year=case.year, format_id=case.format_id,
                    values={c: parse_value(_decimal(v)) for c, v in values.items()})
    previous = None
    if case.previous:
        previous = Report(agency="", year=(case.year or 2022) - 1, format_id=case.format_id,
                          values={c: parse_value(v) for c, v in case.previous.items()})
    return report, previous


def _decimal(v):
    return Decimal(repr(v)) if isinstance(v, float) and not v.is_integer() else v


def _number_text(n) -> str:
    n = Decimal(str(n)).normalize()
    return format(n, "f")


def expected(case: Case) -> dict:
    """Check cell texts (by identity key), totals, summary fail counts (by rule), status, error/warning counts."""
    report, previous = report_of(case)
    result = validate(report, previous)
    cur, prev = Numbers(report), Numbers(previous) if previous is not None else None
    findings = {(f.rule, f.cells, f.previous_cells): f for f in result.findings}
    checks = {}
    for ident in identities_for(case.format_id):
        f = findings.get((ident.rule, ident.cells(), ident.cells(prev=True)))
        if f is not None:
            diff = abs(f.actual - f.expected) if ident.op == EQ else f.actual - f.expected
            checks[ident.key] = f"{FAIL} {'相差' if ident.op == EQ else '超出'} {_number_text(diff)}"
        else:
            checks[ident.key] = SKIP if _skipped(ident, cur, prev) else PASS
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return {
        "checks": checks,
        "totals": excel_totals(case),
        "rules": {rule: counts.get(rule, 0) for rule in summary_rows(case.format_id)},
        "errors": result.counts["error"],
        "warnings": result.counts["warning"],
        "valid": result.valid,
        "unsummarised": {f.rule for f in result.findings if f.severity != "info"} - set(summary_rows(case.format_id)),
    }


def _skipped(ident, cur: Numbers, prev: Numbers | None) -> bool:
    """When the Python rule does not compare at all (no finding either way) — the template shows —."""
    if ident.cross_year and (prev is None or any(t.cell not in prev.report.values for t in ident.terms if t.prev)):
        return True
    if ident.target and cur.raw(ident.target).is_empty:
        return True
    return any((prev if t.prev else cur).get(t.cell) is None for t in ident.terms)


# -- case generation -------------------------------------------------------------------------------------
def consistent(rng: random.Random, format_id: str, *, with_previous: bool) -> Case:
    year = 2022 if format_id == "2021" else 2020
    last = random_report(rng, format_id, year=year - 1) if with_previous else None
    report = random_report(rng, format_id, year=year, previous=last)
    fmt = get_format(format_id)
    inputs = {c: (FORMULA if fmt.cell(c).is_total else _raw(report.values[c])) for c in fmt.cells}
    given = {}
    if last is not None:
        given = {c: _raw(last.values[c]) for c in L.previous_cells(format_id)}
    return Case(format_id, "consistent", inputs, given, year=year)


def _raw(value):
    n = value.number
    return float(n) if isinstance(n, Decimal) else n


DISTURBANCES = ("delta", "negative", "fraction", "text", "symbol", "blank", "total_typed", "total_blank",
                "previous_delta", "previous_blank", "year", "agency")


def disturb(rng: random.Random, case: Case, kinds=None) -> Case:
    fmt = get_format(case.format_id)
    inputs = [c for c in fmt.cells if fmt.cell(c).is_input]
    totals = [c for c in fmt.cells if fmt.cell(c).is_total]
    counts = [c for c in inputs if fmt.cell(c).kind == COUNT]
    blanked_total = False
    for kind in kinds or rng.sample(DISTURBANCES, rng.randint(1, 3)):
        cid = rng.choice(inputs)
        if kind == "delta":
            case.inputs[cid] = (_excel_number(case.inputs[cid]) or 0) + rng.choice([-2, -1, 1, 3])
        elif kind == "negative":
            case.inputs[cid] = -rng.randint(1, 9)
        elif kind == "fraction":
            case.inputs[rng.choice(counts)] = rng.randint(0, 9) + 0.5
        elif kind == "text":
            case.inputs[cid] = rng.choice(["十二", "见附件", "abc"])
        elif kind == "symbol":
            case.inputs[cid] = rng.choice(["/", "无", "-", "—"])
        elif kind == "blank":
            case.inputs[cid] = None
        elif kind == "total_typed":
            case.inputs[rng.choice(totals)] = rng.randint(0, 40)
        elif kind == "total_blank" and not blanked_total:
            case.inputs[rng.choice(totals)] = None
            blanked_total = True
        elif kind == "previous_delta" and case.previous:
            c = rng.choice(sorted(case.previous))
            case.previous[c] = (case.previous[c] or 0) + rng.choice([-1, 2])
        elif kind == "previous_blank" and case.previous:
            del case.previous[rng.choice(sorted(case.previous))]
        elif kind == "year":
            case.year = rng.choice([2020, 2021, None]) if case.format_id == "2021" else rng.choice([2021, 2023, None])
        elif kind == "agency":
            case.agency = None
        case.changes.append(kind)
    case.name = "+".join(case.changes)
    return case


def cases(format_id: str, n: int, seed: int) -> list[Case]:
    """``n`` cases: a quarter consistent, the rest disturbed; half of them with 上年数据."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        case = consistent(rng, format_id, with_previous=i % 2 == 0)
        if i % 4:
            disturb(rng, case)
        out.append(case)
    return out


# -- what a calculated workbook shows ----------------------------------------------------------------------
@lru_cache(maxsize=None)
def output_refs(format_id: str) -> dict[str, tuple[str, str]]:
    """name -> (sheet, address) of every cell the comparison reads."""
    out = {f"check:{k}": v for k, v in check_map(format_id).items()}
    cmap = L.cell_map(format_id)
    out.update({f"total:{c}": cmap[c] for c in defining_identity(format_id)})
    out.update({f"rule:{r}": (L.RESULTS, f"{chr(64 + COL_FAIL)}{row}") for r, row in summary_rows(format_id).items()})
    out["status"] = (L.RESULTS, L.RESULTS_STATUS_CELL)
    out["errors"] = (L.RESULTS, "G" + L.RESULTS_STATUS_CELL[1:])
    out["warnings"] = (L.RESULTS, "H" + L.RESULTS_STATUS_CELL[1:])
    return out


def compare(case: Case, shown: dict[str, object]) -> list[str]:
    """Disagreements between a calculated workbook (``shown``: output name -> value) and the Python rules."""
    exp = expected(case)
    bad = []
    if exp["unsummarised"]:
        bad.append(f"Python rules the workbook cannot show: {exp['unsummarised']}")
    for key, text in exp["checks"].items():
        if shown[f"check:{key}"] != text:
            bad.append(f"check {key}: workbook {shown[f'check:{key}']!r}, Python {text!r}")
    for cid, value in exp["totals"].items():
        got = shown[f"total:{cid}"]
        if not _same_number(got, value):
            bad.append(f"total {cid}: workbook {got!r}, expected {value!r}")
    for rule, n in exp["rules"].items():
        if shown[f"rule:{rule}"] != n:
            bad.append(f"summary {rule}: workbook {shown[f'rule:{rule}']!r}, Python {n}")
    if (shown["errors"], shown["warnings"]) != (exp["errors"], exp["warnings"]):
        bad.append(f"counts: workbook {shown['errors']}/{shown['warnings']}, Python {exp['errors']}/{exp['warnings']}")
    status = shown["status"]
    want = "通过" if exp["valid"] else f"错误：{exp['errors']} 项检查不符"
    if status != want:
        bad.append(f"xlgova_status: workbook {status!r}, expected {want!r}")
    return [f"[{case.format_id} {case.name}] {b}" for b in bad]


def _same_number(got, want) -> bool:
    if want is None or isinstance(want, str):
        return got == want or (want is None and got in (None, ""))
    return got is not None and not isinstance(got, str) and abs(float(got) - float(want)) < 1e-9


# -- filling and LibreOffice ------------------------------------------------------------------------------
def fill(template, case: Case, path) -> None:
    """Write a case into a copy of the template with openpyxl (typed-over totals replace their formula)."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    for (sheet, address), value in case.cells().items():
        wb[sheet][address].value = value
    wb.save(path)


def recalculate_many(paths, outdir) -> list:
    """Recalculate several workbooks in ONE LibreOffice start (each start costs seconds)."""
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    from xlgova.workbook import libreoffice as lo

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlgova-lo-") as profile:
        lo._write_profile(Path(profile))
        cmd = [lo.soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, paths)]
        subprocess.run(cmd, capture_output=True, timeout=600, env=dict(os.environ, HOME=profile), check=True)
    return [outdir / Path(p).name for p in paths]


def cached_values(path, format_id: str) -> dict[str, object]:
    """The values LibreOffice cached for every output cell (read with openpyxl, data_only)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for name, (sheet, address) in output_refs(format_id).items():
        v = wb[sheet][address].value
        out[name] = int(v) if isinstance(v, float) and v.is_integer() else v
    return out
