"""Property tests over random reports, both formats."""
from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgova.formats import get_format
from xlgova.model import parse_value, report_from_json
from xlgova.rules import ERROR, identities_for, validate
from xlgova.demo.samples import random_report

FORMATS = st.sampled_from(["2021", "2019"])
SEEDS = st.integers(0, 10**6)


def error_identity_inputs(fmt_id):
    fmt = get_format(fmt_id)
    cells = {t.cell for i in identities_for(fmt_id) if i.severity == ERROR and not i.cross_year for t in i.terms}
    return sorted(c for c in cells if fmt.cell(c).is_input)


@settings(max_examples=150, deadline=None)
@given(fmt=FORMATS, seed=SEEDS)
def test_consistent_random_report_has_no_error(fmt, seed):
    report = random_report(seed, fmt, year=2021 if fmt == "2021" else 2020)
    result = validate(report)
    assert result.valid, [f.message for f in result.errors]
    assert not result.warnings


@settings(max_examples=300, deadline=None)
@given(fmt=FORMATS, seed=SEEDS, data=st.data())
def test_disturbing_one_input_cell_is_an_error_naming_it(fmt, seed, data):
    report = random_report(seed, fmt, year=2021 if fmt == "2021" else 2020)
    cell = data.draw(st.sampled_from(error_identity_inputs(fmt)), label="cell")
    delta = data.draw(st.integers(1, 50), label="delta")
    broken = copy.deepcopy(report)
    broken.values[cell] = parse_value(report.number(cell) + delta)
    errors = validate(broken).errors
    assert errors and any(cell in f.cells for f in errors), (cell, [f.message for f in errors])


@settings(max_examples=150, deadline=None)
@given(prev_fmt=FORMATS, seed=SEEDS, data=st.data())
def test_cross_year_rules_quiet_when_consistent_and_fire_when_broken(prev_fmt, seed, data):
    prev = random_report(seed, prev_fmt, year=2020 if prev_fmt == "2019" else 2021)
    cur_fmt = data.draw(st.sampled_from(["2021"] if prev_fmt == "2021" else ["2019", "2021"]), label="cur_fmt")
    cur = random_report(seed + 1, cur_fmt, year=prev.year + 1 if cur_fmt == "2021" else 2020, previous=prev)
    cur.sections = {}
    assert not {r for r in validate(cur, prev).rules() if r.startswith("xyear.")}
    col = data.draw(st.sampled_from(["natural", "business", "research", "nonprofit", "legal", "other"]), label="col")
    prev_broken = copy.deepcopy(prev)
    prev_broken.values[f"apps.carried_out.{col}"] = parse_value(prev.number(f"apps.carried_out.{col}") + 1)
    found = validate(cur, prev_broken).by_rule("xyear.carried_in")
    assert [f.cells for f in found] == [(f"apps.carried_in.{col}",)]


@settings(max_examples=100, deadline=None)
@given(fmt=FORMATS, seed=SEEDS)
def test_report_json_round_trip(fmt, seed):
    prev = random_report(seed + 7, "2019", year=2020)
    report = random_report(seed, fmt, year=2021 if fmt == "2021" else 2020, previous=prev if fmt == "2021" else None)
    report.values["art20_6.penalty.decisions"] = parse_value("/")
    report.values["apps.new.legal"] = parse_value("12件")
    data = report.to_json()
    back = report_from_json(copy.deepcopy(data))
    assert back.to_json() == data
    assert back.values == report.values
    assert validate(back).to_json() == validate(report).to_json()
