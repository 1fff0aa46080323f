"""A consistent report read in any shape gives no error (issue 15: a false error is the worst outcome).

Random reports where every identity holds are rendered in each shape real reports come in (tests/shape_support.py),
with and without printed blanks; reading them may leave a row doubtful (a warning) but never raises an error, and
whatever it reads counts what was printed.
"""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from import_support import render_html, render_text
from shape_support import (
    blank_columns, blank_separated, glued, label_variants, narrow_labels, pipe_cells, pipe_rows_open, render_layout,
    run_in, single_spaces, with_blanks, wrapped_labels,
)
from xlgova.demo.samples import random_report
from xlgova.importers import import_lines, import_text
from xlgova.importers.html import html_lines
from xlgova.model import BLANK, ERROR
from xlgova.rules import severity_of, validate

SHAPES = {
    "tabs": lambda r: import_text(render_text(r, "tabs")),
    "pipes": lambda r: import_text(render_text(r, "pipes")),
    "cells": lambda r: import_text(render_text(r, "cells")),
    "html": lambda r: import_lines(html_lines(render_html(r))),
    "glued": lambda r: import_text(glued(r)),
    "run-in": lambda r: import_text(run_in(r)),
    "blank-separated": lambda r: import_text(blank_separated(r)),
    "label-variants": lambda r: import_text(label_variants(render_text(r, "tabs"))),
    "wrapped-labels": lambda r: import_text(wrapped_labels(render_text(r, "tabs"))),
    "pipe-rows": lambda r: import_text(pipe_rows_open(r)),
    "pipe-cells": lambda r: import_text(pipe_cells(r)),
    "layout": lambda r: import_text(render_layout(r)),
    # 法律服务机构 and 其他 blank throughout (the report changed in place, so it is what was printed)
    "layout-blank-columns": lambda r: import_text(render_layout(blank_columns(r), pdf_header=True)),
    # a blank between single spaces vanishes: only the totals the rows' own sums settle are read
    "single-spaces": lambda r: import_text(single_spaces(r)),
    "single-spaces-blank-columns": lambda r: import_text(single_spaces(blank_columns(r, ("business", "research", "nonprofit", "legal", "other")))),
}
# narrow label columns: labels wrapped two characters a line, values on the row's first or middle line
# (not combined with local rows in tests/test_import_local_rows.py: a local row nested under a group label
# wrapped this way is not told apart from the official rows yet)
NARROW = {
    "narrow-labels": lambda r: import_text(narrow_labels(r)),
    "narrow-labels-centred": lambda r: import_text(narrow_labels(r, centred=True)),
}
NO_BLANKS = {"single-spaces": lambda r: import_text(single_spaces(r))}


def _counts(v):
    """What a cell counts for: a printed blank is 0 (a row rebuilt from its identities may give 0 for a blank)."""
    return 0 if v.kind == BLANK else v.to_json()


def _errors(findings) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in findings if severity_of(f.rule) == ERROR]


def _check(read, seed: int, fmt: str, scale: int, blanks: bool):
    rng = random.Random(seed)
    want = random_report(rng, fmt, agency="某县某某镇人民政府", year=2020 if fmt == "2019" else 2023, scale=scale)
    if blanks:
        with_blanks(want, rng)
    got = read(want)
    assert (got.agency, got.year, got.format_id) == (want.agency, want.year, want.format_id)
    assert _errors(got.findings) == []
    wrong = {c: v.to_json() for c, v in got.values.items() if _counts(v) != _counts(want.values[c])}
    assert wrong == {}, "read differently from what was printed"
    assert _errors(validate(got).findings) == []


cases = dict(seed=st.integers(0, 10**6), fmt=st.sampled_from(["2021", "2019"]), scale=st.sampled_from([1, 5, 30, 400]))


@pytest.mark.parametrize("shape", sorted({**SHAPES, **NARROW}))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blanks=st.booleans(), **cases)
def test_a_consistent_report_reads_without_error(shape, seed, fmt, scale, blanks):
    _check({**SHAPES, **NARROW}[shape], seed, fmt, scale, blanks)


@pytest.mark.parametrize("shape", sorted(NO_BLANKS))
@settings(max_examples=12, deadline=None)
@given(**cases)
def test_a_consistent_report_without_blanks_reads_without_error(shape, seed, fmt, scale):
    _check(NO_BLANKS[shape], seed, fmt, scale, False)


@pytest.mark.parametrize("shape, seed, fmt, scale, blanks", [
    ("glued", 0, "2019", 1, False),  # 32-30: a negative change glued on (the table was reported missing)
    ("glued", 0, "2019", 1, True),  # 616 cut 6|1|6 on 1 ≤ 6 alone, where 6|blank|16 was printed
    ("glued", 0, "2019", 400, True),  # 15|0|7|1|225|15|263 taken, 150|71|22|5|blank|15|263 printed
    ("glued", 665, "2021", 400, True),
    ("blank-separated", 100, "2021", 30, True),  # table 四 with trailing blanks read shifted by one
])
def test_cases_the_property_found(shape, seed, fmt, scale, blanks):
    _check(SHAPES[shape], seed, fmt, scale, blanks)
