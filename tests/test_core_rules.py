"""Every rule of the core engine: a passing and a failing case, its id, severity and message."""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from xlgova.model import parse_value
from xlgova.rules import RULE_INFO, identities_for, validate
from xlgova.demo.samples import random_report


def base(fmt="2021", **kw):
    year = kw.pop("year", 2021 if fmt == "2021" else 2020)
    return random_report(7, fmt, year=year, agency=kw.pop("agency", "示例县发展和改革局"), **kw)


def with_values(report, **values):
    r = copy.deepcopy(report)
    for cid, raw in values.items():
        r.values[cid.replace("__", ".")] = parse_value(raw)
    return r


def nonzero_app_column(report):
    return next(c for c in ("natural", "business", "legal", "other") if report.number(f"apps.new.{c}"))


# Each case: rule id, format, a function making a broken report from a consistent one, expected cells.
def break_balance(r):
    col = nonzero_app_column(r)
    return with_values(r, **{f"apps__carried_out__{col}": r.number(f"apps.carried_out.{col}") + 1}), {f"apps.carried_out.{col}"}


def break_handled_sum(r):
    return with_values(r, apps__denied_4__natural=r.number("apps.denied_4.natural") + 2), {"apps.denied_4.natural", "apps.handled_total.natural"}


def break_row_total(r):
    return with_values(r, apps__granted__total=r.number("apps.granted.total") + 1), {"apps.granted.total"}


def break_review_total(r):
    return with_values(r, review__suit_direct__pending=3), {"review.suit_direct.pending", "review.suit_direct.total"}


def break_invalid_text(r):
    return with_values(r, apps__new__legal="十二"), {"apps.new.legal"}


def break_invalid_negative(r):
    return with_values(r, art20_6__penalty__decisions=-3), {"art20_6.penalty.decisions"}


def break_invalid_fraction(r):
    return with_values(r, art20_5__licensing__decisions="2.5"), {"art20_5.licensing.decisions"}


def break_blank(r):
    return with_values(r, review__reconsideration__other=None), {"review.reconsideration.other"}


def break_blank_symbol(r):
    return with_values(r, art20_6__coercion__decisions="/"), {"art20_6.coercion.decisions"}


def break_format_year(r):
    r = copy.deepcopy(r)
    r.year = 2020
    return r, set()


CASES = [
    ("apps.balance", "2021", break_balance),
    ("apps.balance", "2019", break_balance),
    ("apps.handled_sum", "2021", break_handled_sum),
    ("apps.row_total", "2019", break_row_total),
    ("review.total", "2021", break_review_total),
    ("value.invalid", "2021", break_invalid_text),
    ("value.invalid", "2021", break_invalid_negative),
    ("value.invalid", "2019", break_invalid_fraction),
    ("value.blank", "2021", break_blank),
    ("value.blank", "2019", break_blank_symbol),
    ("format.year", "2021", break_format_year),
]


@pytest.mark.parametrize("rule,fmt,breaker", CASES, ids=[f"{c[0]}-{c[1]}-{c[2].__name__}" for c in CASES])
def test_rule_fails_and_passes(rule, fmt, breaker):
    good = base(fmt)
    assert rule not in validate(good).rules()
    bad, cells = breaker(good)
    found = validate(bad).by_rule(rule)
    assert found, f"{rule} did not fire"
    f = found[0]
    assert f.severity == RULE_INFO[rule].severity
    assert f.message and all(ord(ch) < 128 for ch in f.rule)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message), "messages are Chinese"
    assert cells <= {c for x in found for c in x.cells}


def test_balance_message_names_row_and_column_labels():
    bad, _ = break_balance(base("2021"))
    msg = validate(bad).by_rule("apps.balance")[0].message
    assert "申请情况表" in msg and "一、本年新收" in msg and "四、结转下年度继续办理" in msg and "相差 1" in msg


def test_blank_total_is_not_compared_but_reported_with_expected_value():
    r = base("2021")
    r = with_values(r, review__reconsideration__upheld=5, review__reconsideration__corrected=None,
                    review__reconsideration__other=0, review__reconsideration__pending=0, review__reconsideration__total=None)
    res = validate(r)
    assert not res.by_rule("review.total")
    blank_total = [f for f in res.by_rule("value.blank") if f.cells == ("review.reconsideration.total",)]
    assert blank_total and blank_total[0].expected == 5 and "应为 5" in blank_total[0].message


def test_blank_part_counts_as_zero():
    r = base("2021")
    col = nonzero_app_column(r)
    zero_rows = [row.id for row in r.format.table("apps").rows if row.result and r.number(f"apps.{row.id}.{col}") == 0]
    r = with_values(r, **{f"apps__{zero_rows[0]}__{col}": None})
    res = validate(r)
    assert res.valid and res.by_rule("value.blank")


def test_blank_handled_total_is_derived_for_the_balance():
    r = base("2021")
    col = nonzero_app_column(r)
    r = with_values(r, **{f"apps__handled_total__{col}": "-"})
    res = validate(r)
    assert not res.by_rule("apps.balance") and not res.by_rule("apps.handled_sum")
    assert [f for f in res.by_rule("value.blank") if f.cells == (f"apps.handled_total.{col}",)]


def test_amount_takes_decimals_and_change_may_be_negative():
    r = with_values(base("2021"), art20_8__fees__amount="12.35")
    assert "value.invalid" not in validate(r).rules()
    r19 = base("2019")
    r19 = with_values(r19, art20_5__licensing__change=-2, art20_9__procurement__amount="52.15")
    assert "value.invalid" not in validate(r19).rules()
    r19 = with_values(r19, art20_5__licensing__change="1.5")
    assert validate(r19).by_rule("value.invalid")


def test_signed_words_are_read_and_reported_as_info():
    r = with_values(base("2019"), art20_5__licensing__change="减4")
    res = validate(r)
    assert "value.invalid" not in res.rules()
    normalised = res.by_rule("value.normalised")
    assert normalised and normalised[0].expected == -4 and normalised[0].severity == "info"


def test_normalised_numbers_are_info_and_used():
    r = base("2021")
    n = r.number("apps.new.natural")
    r = with_values(r, apps__new__natural=" " + "".join(chr(ord(d) + 0xFEE0) for d in str(n)) + " ")
    res = validate(r)
    assert res.valid and res.by_rule("value.normalised")
    assert res.by_rule("value.normalised")[0].expected == n


# --- cross-year -------------------------------------------------------------------------------------

def pair(prev_fmt, cur_fmt):
    prev = random_report(11, prev_fmt, year=2020 if prev_fmt == "2019" else 2021)
    cur = random_report(12, cur_fmt, year=2021 if cur_fmt == "2021" else 2020, previous=prev)
    return prev, cur


@pytest.mark.parametrize("prev_fmt,cur_fmt", [("2021", "2021"), ("2019", "2021"), ("2019", "2019")])
def test_carried_in_matches_last_years_carried_out(prev_fmt, cur_fmt):
    prev, cur = pair(prev_fmt, cur_fmt)
    assert "xyear.carried_in" not in validate(cur, prev).rules()
    col = "natural"
    broken = with_values(cur, **{f"apps__carried_in__{col}": cur.number(f"apps.carried_in.{col}") + 1,
                                 f"apps__granted__{col}": cur.number(f"apps.granted.{col}") + 1,
                                 "apps__carried_in__total": cur.number("apps.carried_in.total") + 1,
                                 "apps__granted__total": cur.number("apps.granted.total") + 1,
                                 f"apps__handled_total__{col}": cur.number(f"apps.handled_total.{col}") + 1,
                                 "apps__handled_total__total": cur.number("apps.handled_total.total") + 1})
    res = validate(broken, prev)
    assert res.valid  # internally consistent, only the carry-over is wrong
    found = res.by_rule("xyear.carried_in")
    assert {f.cells[0] for f in found} == {f"apps.carried_in.{col}", "apps.carried_in.total"}
    assert found[0].severity == "warning" and found[0].previous_cells == (f"apps.carried_out.{col}",)


def test_in_force_identity_2021():
    prev, cur = pair("2021", "2021")
    assert "xyear.in_force" not in validate(cur, prev).rules()
    bad = with_values(cur, art20_1__normative__in_force=cur.number("art20_1.normative.in_force") + 3)
    found = validate(bad, prev).by_rule("xyear.in_force")
    assert len(found) == 1 and "art20_1.normative.in_force" in found[0].cells and "相差 3" in found[0].message


def test_in_force_skipped_across_format_change():
    prev, cur = pair("2019", "2021")
    bad = with_values(cur, art20_1__normative__in_force=999)
    assert "xyear.in_force" not in validate(bad, prev).rules()


def test_prev_items_identity_2019():
    prev, cur = pair("2019", "2019")
    assert "xyear.prev_items" not in validate(cur, prev).rules()
    bad = with_values(cur, art20_6__penalty__prev_items=cur.number("art20_6.penalty.prev_items") + 1)
    found = validate(bad, prev).by_rule("xyear.prev_items")
    assert [f.cells for f in found] == [("art20_6.penalty.prev_items",)]
    assert set(found[0].previous_cells) == {"art20_6.penalty.prev_items", "art20_6.penalty.change"}


def test_previous_is_taken_from_the_report_when_not_given():
    prev, cur = pair("2021", "2021")
    bad = with_values(cur, apps__carried_in__natural=cur.number("apps.carried_in.natural") + 5)
    bad.previous = prev
    assert validate(bad).by_rule("xyear.carried_in")


def test_published_not_above_total_public_2019():
    r = base("2019")
    assert "art20_1.published" not in validate(r).rules()
    bad = with_values(r, art20_1__normative__published=r.number("art20_1.normative.total_public") + 1)
    found = validate(bad).by_rule("art20_1.published")
    assert found and found[0].severity == "warning" and "不应大于" in found[0].message


# --- hints ------------------------------------------------------------------------------------------

def test_township_rules_hint():
    r = base("2021", agency="示例县青山镇人民政府")
    assert "hint.township_rules" not in validate(r).rules()
    bad = with_values(r, art20_1__rules__issued=1, art20_1__rules__in_force=1)
    assert validate(bad).by_rule("hint.township_rules")


def test_fee_unit_hint():
    r = base("2021")
    assert "hint.fee_unit" not in validate(with_values(r, art20_8__fees__amount="12.5")).rules()
    assert validate(with_values(r, art20_8__fees__amount=251000)).by_rule("hint.fee_unit")


def test_magnitude_hint():
    prev, cur = pair("2021", "2021")
    prev = with_values(prev, art20_6__penalty__decisions=42)
    assert "hint.magnitude" not in validate(with_values(cur, art20_6__penalty__decisions=45), prev).rules()
    assert validate(with_values(cur, art20_6__penalty__decisions=420), prev).by_rule("hint.magnitude")


def test_narrative_copied_hint():
    prev, cur = pair("2021", "2021")
    cur.sections = dict(prev.sections)
    assert validate(cur, prev).by_rule("hint.narrative_copied")
    cur.sections["一"] = "本年度我单位认真落实政务公开各项工作要求，完善制度，拓展渠道，优化平台，" * 2
    assert not [f for f in validate(cur, prev).by_rule("hint.narrative_copied") if "第一部分" in f.message]


def test_every_formula_rule_has_identities_or_value_checks():
    """The catalogue's formula=True rules are the ones the template turns into check formulas."""
    generated = {i.rule for f in ("2021", "2019") for i in identities_for(f)}
    formula_rules = {r.id for r in RULE_INFO.values() if r.formula}
    assert generated <= formula_rules
    assert formula_rules - generated == {"value.invalid", "value.blank"}


def test_decimal_sums_use_tolerance():
    from xlgova.rules.identities import tolerance

    assert tolerance([Decimal("1.25"), 3]) == Decimal("0.005")
    assert tolerance([1, 2]) == 0
