"""The template's own formulas, calculated by the ``formulas`` package, agree with ``xlgova.rules.validate``.

Every check cell, every total, every summary line and ``xlgova_status`` — for consistent and broken random
reports, both formats, with and without 上年数据. The workbook is compiled once per format; each case is a
re-run (~2 s: the formulas package is slow, so the case count is modest; raise XLGOVA_TEMPLATE_CASES to sweep).
"""
from __future__ import annotations

import os

import pytest

from template_support import FORMATS, cases, compare, output_refs
from xlgova.formats import get_format
from xlgova.workbook import layout as L
from formula_eval import Evaluator
from xlgova.workbook.template import save_template

N = int(os.environ.get("XLGOVA_TEMPLATE_CASES", "8"))


def _evaluator(format_id: str, tmp_path_factory) -> Evaluator:
    path = save_template(format_id, tmp_path_factory.mktemp("tpl") / f"xlgova-{format_id}.xlsx")
    fmt = get_format(format_id)
    cmap = L.cell_map(format_id)
    fields = {k: a for k, _, a in L.COVER_FIELDS}
    inputs = [cmap[c] for c in fmt.cells if fmt.cell(c).is_input]
    inputs += list(L.previous_map(format_id).values())
    inputs += [(L.COVER, fields["agency"]), (L.COVER, fields["year"])]
    return Evaluator(path, inputs, list(output_refs(format_id).values()))


@pytest.mark.slow
@pytest.mark.parametrize("format_id", FORMATS)
def test_template_checks_agree_with_rules(format_id, tmp_path_factory):
    ev = _evaluator(format_id, tmp_path_factory)
    refs = output_refs(format_id)
    bad = []
    # typed-over or deleted totals need the formula cell as an input: covered by the LibreOffice test
    todo = [c for c in cases(format_id, N + N // 2, seed=20240 + len(format_id)) if not {"total_typed", "total_blank"} & set(c.changes)]
    assert any(c.changes for c in todo) and any(not c.changes for c in todo)
    for case in todo[:N]:
        vals = ev(case.cells())
        bad += compare(case, {k: vals[r] for k, r in refs.items()})
    assert not bad, "\n".join(bad[:20])


def test_evaluator_sees_a_broken_balance(tmp_path_factory):
    """A single wrong number turns the balance check, the summary and the status to 错误."""
    ev = _evaluator("2021", tmp_path_factory)
    refs = output_refs("2021")
    cmap = L.cell_map("2021")
    vals = ev({cmap["apps.new.natural"]: 5, cmap["apps.granted.natural"]: 3, (L.COVER, "B3"): "某局", (L.COVER, "B4"): 2022})
    assert vals[refs["check:apps.balance:natural"]] == "× 相差 2"
    assert vals[refs["check:apps.row_total:new"]] == "√"
    assert vals[refs["rule:apps.balance"]] == 2  # natural and total columns
    assert vals[refs["status"]] == "错误：2 项检查不符"
