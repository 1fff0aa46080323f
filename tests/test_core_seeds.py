"""The hand-checked values of the five real published reports, validated as reports.

(The importer's tests read the seed texts themselves; here the expected values are the input.)
"""
from __future__ import annotations

import json

import pytest

from xlgova.model import report_from_json
from xlgova.rules import validate

CORE_RULES = {"apps.balance", "apps.handled_sum", "apps.row_total", "review.total", "value.invalid", "value.blank",
              "format.year", "xyear.carried_in", "xyear.in_force", "xyear.prev_items", "art20_1.published"}


def seeds(seeds_dir):
    return json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))["seeds"]


@pytest.fixture(scope="module")
def expected(seeds_dir):
    return seeds(seeds_dir)


@pytest.mark.parametrize("name", ["000_c99476de4ee32b73.txt", "001_1289612543b54ddb.txt", "002_19cc13ecf0eb244d.txt",
                                  "003_5bf9956e543a31f7.txt", "004_1eeed509761ddf3c.txt"])
def test_seed_values_validate_as_expected(expected, name):
    seed = expected[name]
    report = report_from_json({k: seed[k] for k in ("agency", "year", "format", "values")})
    result = validate(report)
    forbidden = set(seed["errors_forbidden"])
    if "*" in forbidden:
        assert not result.errors, [f.message for f in result.errors]
    else:
        assert not (result.rules("error") & forbidden)
    for rule in set(seed.get("warnings_expected", [])) & CORE_RULES:
        assert rule in result.rules("warning"), rule
    for rule in set(seed["errors_expected"]) & CORE_RULES:
        assert rule in result.rules("error"), rule


def test_seed_004_blank_review_cells_are_warnings_with_zero_expected(expected):
    seed = expected["004_1eeed509761ddf3c.txt"]
    result = validate(report_from_json({k: seed[k] for k in ("agency", "year", "format", "values")}))
    blanks = {f.cells[0]: f for f in result.by_rule("value.blank")}
    assert set(blanks) == {f"review.{g}.{c}" for g in ("reconsideration", "suit_direct", "suit_after") for c in ("corrected", "other", "pending")}
    assert all(f.expected == 0 for f in blanks.values())
