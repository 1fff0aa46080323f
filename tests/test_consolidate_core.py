"""Consolidation logic on Report objects: totals, status, roster, history, duplicates, copying, refusals."""
from __future__ import annotations

import copy
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgova.consolidate import Context, Roster, RosterEntry, assemble, normalise_name, record_from_report
from xlgova.demo.county import agencies, report_for
from xlgova.consolidate.names import area_of
from xlgova.model import BLANK_VALUE, parse_value
from xlgova.errors import XlgovaError
from xlgova.rules import validate
from xlgova.demo.samples import random_report


def county(n: int, seed: int = 0, year: int = 2024, previous=None):
    """n consistent reports with distinct narrative (the demo county's phrase bank)."""
    rng = random.Random(seed)
    people = agencies()[:n]
    return [report_for(a, year, rng, previous=(previous or {}).get(a.name)) for a in people]


def records(reports, ctx=None):
    ctx = ctx or Context()
    return [record_from_report(r, f"{i}.xlsx", ctx, mtime=i) for i, r in enumerate(reports)]


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12), fmt=st.sampled_from(["2021", "2019"]))
def test_totals_equal_the_sum_of_the_inputs(seed, n, fmt):
    rng = random.Random(seed)
    year = 2023 if fmt == "2021" else 2020
    reports = [random_report(rng, fmt, agency=f"泓川县第{i}局", year=year) for i in range(n)]
    result = assemble(records(reports), None, {})
    for cid in reports[0].format.cells:
        assert result.sums[cid] == sum(r.number(cid) for r in reports), cid
    assert result.agencies == n
    assert validate(result.summary).valid  # the sum of valid reports is valid


def test_blank_parts_count_as_zero_and_blank_totals_are_derived():
    a, b = county(2)
    a.values["apps.new.natural"] = BLANK_VALUE
    b.values["apps.handled_total.total"] = BLANK_VALUE
    result = assemble(records([a, b]), None, {})
    expected = sum(b.number(f"apps.handled_total.{c}") for c in ("natural", "business", "research", "nonprofit", "legal", "other"))
    assert result.sums["apps.handled_total.total"] == a.number("apps.handled_total.total") + expected


def test_status_per_agency():
    good, warn, bad = county(3)
    warn.values["review.suit_after.upheld"] = BLANK_VALUE
    bad.values["apps.new.natural"] = parse_value((bad.number("apps.new.natural") or 0) + 5)
    result = assemble(records([good, warn, bad]), None, {})
    assert [r.status for r in result.records] == ["通过", "警告", "错误"]
    assert result.exit_code == 1
    assert any(m.startswith("申请情况表「自然人」列") for m in result.records[2].messages(5))


@pytest.mark.parametrize("typed,roster_name", [
    ("泓川县 财政局", "泓川县财政局"),
    ("泓川县财政局　", "泓川县财政局"),
    ("龙泉镇政府", "泓川县龙泉镇人民政府"),
    ("泓川县东城街道", "泓川县东城街道办事处"),
    ("泓川县卫生健康委", "泓川县卫生健康委员会"),
    ("泓川县ＸＸ局", "泓川县XX局"),
    ("财政局", "泓川县财政局"),
])
def test_roster_matches_name_variants(typed, roster_name):
    roster = Roster([RosterEntry(roster_name), RosterEntry("泓川县教育局"), RosterEntry("泓川县石门镇人民政府")])
    m = roster.match(typed)
    assert m.entry is not None and m.entry.name == roster_name


def test_roster_reports_unknown_and_ambiguous_names_and_missing_agencies():
    roster = Roster([RosterEntry("泓川县财政局"), RosterEntry("临江县财政局"), RosterEntry("泓川县教育局"), RosterEntry("泓川县统计局")])
    assert roster.match("财政局").how == "ambiguous"
    assert roster.match("泓川县税务局").how == "unknown"
    a, b = county(2)
    a.agency, b.agency = "泓川县教育局", "泓川县税务局"
    result = assemble(records([a, b], Context(roster=roster)), roster, {})
    assert {e.name for e in result.missing} == {"泓川县财政局", "临江县财政局", "泓川县统计局"}
    assert "consolidate.unknown_agency" in {f[1] for f in result.records[1].findings}
    assert result.status_counts()["未提交"] == 3


def test_normalise_name_and_area():
    assert normalise_name(" 泓川县 城关镇人民政府 ") == normalise_name("泓川县城关镇")
    assert area_of(["泓川县财政局", "泓川县教育局", "城关镇人民政府"]) == "泓川县"


def test_previous_year_checks_each_agency_against_its_own_last_year():
    last = {r.agency: r for r in county(3, seed=1, year=2023)}
    this = county(3, seed=2, year=2024, previous=last)
    broken = copy.deepcopy(last)
    name = this[1].agency
    broken[name].values["apps.carried_out.natural"] = parse_value((last[name].number("apps.carried_out.natural") or 0) + 4)
    ctx = Context(previous={normalise_name(k): v for k, v in broken.items()})
    result = assemble(records(this, ctx), None, broken)
    assert all(r.previous_from == "archive" for r in result.records)
    rules = [{f[1] for f in r.findings} for r in result.records]
    assert "xyear.carried_in" in rules[1]
    assert "xyear.carried_in" not in rules[0] | rules[2]
    assert result.last_year is not None


def test_duplicate_submission_counts_once():
    a, b = county(2)
    first = copy.deepcopy(a)  # the older copy had an error the agency then corrected
    first.values["apps.new.natural"] = parse_value((a.number("apps.new.natural") or 0) + 1)
    result = assemble(records([first, b, a]), None, {})
    assert result.exit_code == 0 and result.status_counts()["错误"] == 0
    assert result.agencies == 2
    dup = [r for r in result.records if any(f[1] == "consolidate.duplicate_agency" for f in r.findings)]
    assert len(dup) == 2 and sum(r.included for r in dup) == 1
    assert result.records[2].included and not result.records[0].included  # the newest file (mtime) is counted
    assert result.sums["apps.new.total"] == a.number("apps.new.total") + b.number("apps.new.total")


def test_identical_tables_across_agencies():
    a, b, c = county(3, seed=5)
    b.values = dict(a.values)
    result = assemble(records([a, b, c]), None, {})
    flagged = [r.name for r in result.records if any(f[1] == "consolidate.identical_tables" for f in r.findings)]
    assert flagged == [a.agency, b.agency]


def test_copied_narrative_is_found_and_distinct_narrative_is_not():
    reports = county(12, seed=7)
    assert not any(f[1] == "consolidate.copied_narrative" for r in assemble(records(reports), None, {}).records for f in r.findings)
    reports[9].sections["一"] = reports[3].sections["一"].replace(reports[3].agency, reports[9].agency)
    result = assemble(records(reports), None, {})
    flagged = {r.name for r in result.records if any(f[1] == "consolidate.copied_narrative" for f in r.findings)}
    assert flagged == {reports[3].agency, reports[9].agency}


def test_narrative_copied_from_own_last_year():
    last = county(1, seed=1, year=2023)[0]
    this = county(1, seed=2, year=2024)[0]
    this.sections["五"] = last.sections["五"]
    ctx = Context(previous={normalise_name(last.agency): last})
    rec = records([this], ctx)[0]
    assert any(f[1] == "consolidate.copied_narrative" and "本单位上年" in f[2] for f in rec.findings)


def test_mixed_formats_are_refused():
    a = random_report(1, "2021", agency="泓川县甲局", year=2023)
    b = random_report(2, "2019", agency="泓川县乙局", year=2020)
    with pytest.raises(XlgovaError, match="格式版本不一致"):
        assemble(records([a, b]), None, {})


def test_a_report_of_another_year_is_an_error_and_not_counted():
    a, b, c = county(3)
    c.year = 2023
    result = assemble(records([a, b, c]), None, {})
    assert result.year == 2024 and result.agencies == 2
    assert result.records[2].status == "错误" and not result.records[2].included


def test_summaries_roll_up():
    counties = []
    for seed, area in ((1, "甲县"), (2, "乙县")):
        reports = county(4, seed=seed)
        res = assemble(records(reports), None, {}, area=area)
        counties.append((res, reports))
    summaries = [res.summary for res, _ in counties]
    city = assemble(records(summaries), None, {}, area="丙市")
    assert city.agencies == 8
    assert city.sums["apps.new.total"] == sum(r.number("apps.new.total") for _, reps in counties for r in reps)
    assert validate(city.summary).valid
