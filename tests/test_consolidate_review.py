"""The supervisor's review: rules against last year and peers, subtotals, coverage, selection."""
from __future__ import annotations

import copy
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgova.consolidate import AgencyRecord, Context, Roster, RosterEntry, record_from_report
from xlgova.consolidate.aggregate import frame, totals
from xlgova.consolidate.coverage import NO_PREVIOUS, NOT_RUN, PARTLY, RAN, coverage_of
from xlgova.demo.county import agencies, report_for
from xlgova.consolidate.review_rules import (
    FIGURES, OUTLIER_MIN_PEERS, YOY_FACTOR, YOY_FLOOR, Peer, is_jump, outlier_findings, own_review,
)
from xlgova.consolidate.subtotals import OFF_ROSTER, by_level, by_node, children_of
from xlgova.formats import get_format
from xlgova.errors import XlgovaError
from xlgova.model import parse_value
from xlgova.rules import Numbers
from xlgova.demo.samples import random_report

FMT = get_format("2021")


def _pair(seed=1, agency="泓川县财政局"):
    rng = random.Random(seed)
    last = random_report(rng, "2021", agency=agency, year=2023)
    this = random_report(rng, "2021", agency=agency, year=2024, previous=last)
    return this, last


def _rules(report, previous):
    findings, _, _ = own_review(report, Numbers(report), previous)
    return [f.rule for f in findings]


# -- hint.yoy_jump --------------------------------------------------------------------------------------
@pytest.mark.parametrize("this,last,flagged", [
    (50, 10, True), (10, 2, True), (0, 10, True), (10, 0, True), (YOY_FLOOR * YOY_FACTOR, YOY_FLOOR, True),
    (9, 1, False), (0, 9, False),  # both below the floor: small numbers swing
    (12, 3, False), (40, 10, False),  # 4-fold: not enough
    (None, 10, False), (10, None, False),
])
def test_yoy_jump_thresholds(this, last, flagged):
    assert is_jump(this, last) is flagged


def test_yoy_jump_fires_on_a_planted_jump_and_names_the_figure():
    this, last = _pair()
    last.values["art20_6.penalty.decisions"] = parse_value(64)
    this.values["art20_6.penalty.decisions"] = parse_value(320)
    findings, figs, last_figs = own_review(this, Numbers(this), last)
    jump = [f for f in findings if f.rule == "hint.yoy_jump" and "行政处罚决定" in f.message]
    assert jump and "320" in jump[0].message and "64" in jump[0].message
    assert jump[0].severity == "info" and jump[0].cells == ("art20_6.penalty.decisions",)
    this.values["art20_6.penalty.decisions"] = parse_value(250)  # under 5-fold
    assert not any("行政处罚决定" in f.message for f in own_review(this, Numbers(this), last)[0])


def test_no_review_without_last_year():
    this, _ = _pair()
    assert own_review(this, Numbers(this), None)[0] == []


# -- hint.same_as_last_year -----------------------------------------------------------------------------
def test_same_as_last_year_fires_on_a_copy_and_not_on_its_guards():
    this, last = _pair()
    copy_of_last = copy.deepcopy(last)
    copy_of_last.year = 2024
    assert "hint.same_as_last_year" in _rules(copy_of_last, last)
    changed = copy.deepcopy(copy_of_last)
    changed.values["art20_6.coercion.decisions"] = parse_value((last.number("art20_6.coercion.decisions") or 0) + 1)
    assert "hint.same_as_last_year" not in _rules(changed, last)
    zeros = copy.deepcopy(last)
    for cid in zeros.values:
        zeros.values[cid] = parse_value(0)
    assert "hint.same_as_last_year" not in _rules(copy.deepcopy(zeros), zeros)  # last year all zeros
    partial = copy.deepcopy(last)
    del partial.values["review.reconsideration.upheld"]  # a 上年数据 sheet, not a whole report
    assert "hint.same_as_last_year" not in _rules(copy_of_last, partial)


# -- hint.outlier ---------------------------------------------------------------------------------------
def _peers(values, level="县级部门", figure=0):
    out = []
    for i, v in enumerate(values):
        figs = [0] * len(FIGURES)
        figs[figure] = v
        out.append(Peer(f"a{i}", level, tuple(figs)))
    return out


def test_outlier_fires_far_from_the_median_of_its_level():
    values = [18, 20, 22, 19, 25, 21, 17, 23, 20, 500]
    found = outlier_findings(_peers(values))
    assert list(found) == ["a9"]
    f = found["a9"][0]
    assert f.rule == "hint.outlier" and "新收申请" in f.message and "500" in f.message and "县级部门" in f.message


@pytest.mark.parametrize("values,level", [
    ([18, 20, 22, 19, 25, 21, 500], "县级部门"),  # 7 peers: fewer than OUTLIER_MIN_PEERS
    ([0, 0, 1, 0, 2, 0, 1, 0, 9], "乡镇"),  # small numbers are never outliers
    ([18, 20, 22, 19, 25, 21, 17, 23, 20, 40], "县级部门"),  # twice the median is not far
    ([18, 20, 22, 19, 25, 21, 17, 23, 20, 500], ""),  # level unknown: no peer group
])
def test_outlier_guards(values, level):
    assert OUTLIER_MIN_PEERS == 8
    assert outlier_findings(_peers(values, level)) == {}


def test_outliers_are_judged_within_a_level():
    peers = _peers([20] * 8, "县级部门") + _peers([400] * 4 + [380] * 4, "乡镇")
    assert outlier_findings(peers) == {}


# -- records, coverage, explanations ---------------------------------------------------------------------
def test_review_hints_are_counted_and_listed_on_the_record():
    this, last = _pair()
    this.values["art20_6.penalty.decisions"] = parse_value(500)
    last.values["art20_6.penalty.decisions"] = parse_value(20)
    rec = record_from_report(this, "x.xlsx", Context(previous={"泓川县财政局": last}))
    assert ("hint.yoy_jump" in {r for r, _ in rec.hints}) and rec.counts["info"] >= 1
    data = rec.to_json()
    assert any(f["rule"] == "hint.yoy_jump" for f in data["findings"])
    assert "cross_year" in data["coverage"]["ran"] and "tables" in data["coverage"]["ran"]


def test_coverage_names_a_missing_table_no_last_year_and_no_narrative():
    report = random_report(3, "2021", agency="某局", year=2024)
    for cell in FMT.table("review").cells:
        del report.values[cell.id]
    del report.values["apps.new.natural"]
    report.sections = {}
    cov = coverage_of(report, None)
    state, why = cov["tables"]
    assert state == PARTLY and "缺少复议诉讼表" in why and "申请情况表（缺 1 个单元格）" in why
    assert cov["cross_year"] == (NOT_RUN, NO_PREVIOUS) and cov["yoy"] == (NOT_RUN, NO_PREVIOUS)
    assert cov["narrative"][0] == NOT_RUN and "未填写正文" in cov["narrative"][1]
    full = random_report(4, "2021", agency="某局", year=2024)
    full.sections = {"一": "总体情况", "五": "问题", "六": "无"}
    assert all(state == RAN for state, _ in coverage_of(full, copy.deepcopy(full)).values())


def test_a_confirmed_warning_is_counted_apart_and_an_error_stays():
    report = report_for(agencies()[1], 2024, random.Random(5))
    report.values["review.suit_after.upheld"] = parse_value("/")  # value.blank warning
    report.values["apps.new.natural"] = parse_value((report.number("apps.new.natural") or 0) + 2)  # errors
    from xlgova.rules import validate

    findings = validate(report).findings
    warning = next(f for f in findings if f.rule == "value.blank")
    error = next(f for f in findings if f.rule == "apps.balance")
    report.meta["confirmed"] = {warning.fingerprint: "本单位无此类案件", error.fingerprint: "数字无误"}
    rec = record_from_report(report, "x.xlsx", Context())
    assert rec.confirmed == 1 and rec.open_warnings == rec.counts["warning"] - 1
    assert rec.status == "错误" and rec.counts["error"] == sum(f.severity == "error" for f in findings)
    said = {e: s for s, _, _, e in rec.explained}
    assert said == {"本单位无此类案件": "warning", "数字无误": "error"}
    assert all(r != "value.blank" for _, r, _ in rec.findings)  # no longer among the open problems


# -- subtotals -----------------------------------------------------------------------------------------
def _record(name, level, rng, match="exact", agencies_=1):
    sums = tuple(Decimal(rng.randint(0, 999)) / 100 if c.kind == "amount" else rng.randint(0, 50) for c in FMT.cells.values())
    return AgencyRecord(path=f"{name}.xlsx", agency=name, name=name, level=level, match=match, format_id="2021",
                        sums=sums, agencies=agencies_)


@st.composite
def rosters(draw):
    n = draw(st.integers(1, 14))
    levels = ("县级部门", "乡镇", "街道", "")
    entries, names = [], [f"单位{i}" for i in range(n)]
    for i, name in enumerate(names):
        parent = draw(st.sampled_from(["", "", "教育系统", "卫生系统"] + names[:i]))
        entries.append(RosterEntry(name, f"C{i}", draw(st.sampled_from(levels)), parent))
    reporting = draw(st.lists(st.sampled_from(names), unique=True, max_size=n))
    strangers = draw(st.integers(0, 3))
    return Roster(entries), reporting, strangers, draw(st.integers(0, 10_000))


def _brute(records, members):
    return {cid: sum(records[i].sums[k] for i in members) for k, cid in enumerate(FMT.cells)}


@settings(max_examples=40, deadline=None)
@given(rosters())
def test_subtotals_by_level_and_node_are_the_sums_of_their_members(case):
    roster, reporting, strangers, seed = case
    rng = random.Random(seed)
    level_of = {e.name: e.level for e in roster.entries}
    records = [_record(n, level_of[n], rng, agencies_=rng.choice((1, 1, 3))) for n in reporting]
    records += [_record(f"名单外{i}", rng.choice(("乡镇", "")), rng, match="unknown") for i in range(strangers)]
    if not records:
        return
    area = totals(frame(records, "2021"), "2021")
    levels = by_level(records, "2021", roster)
    for cid in FMT.cells:  # the area total equals the sum of the levels
        assert sum(s.sums[cid] for s in levels) == area[cid], cid
    for s in levels:
        assert s.sums == _brute(records, s.members) and s.agencies == sum(records[i].agencies for i in s.members)
    nodes = by_node(records, "2021", roster)
    parents = {e.name: roster.parent_of(e) for e in roster.entries}
    for s in nodes:  # a node is the sum of its subtree, found here by walking each record's chain up
        if s.label == OFF_ROSTER:
            continue
        want = []
        for i, r in enumerate(records):
            node = r.name if r.match == "exact" else ""
            while node and node != s.label:
                node = parents.get(node, "")
            want += [i] * bool(node)
        assert s.sums == _brute(records, want), s.label
    kids = children_of(nodes)
    for i, s in enumerate(nodes):  # node = own report + the sum of its children, recursively
        if s.label == OFF_ROSTER:
            continue
        own = [j for j, r in enumerate(records) if r.name == s.label and r.match == "exact"]
        for cid in FMT.cells:
            assert s.sums[cid] == sum(records[j].sums[FMT_INDEX[cid]] for j in own) + sum(nodes[k].sums[cid] for k in kids.get(i, ())), cid
    assert bool(nodes) == roster.has_tree
    roots = [s for s in nodes if s.depth == 0]  # with the group of agencies not on the roster
    for cid in FMT.cells if nodes else ():
        assert sum(s.sums[cid] for s in roots) == area[cid]


FMT_INDEX = {cid: k for k, cid in enumerate(FMT.cells)}


def test_a_roster_whose_parents_form_a_cycle_is_refused(tmp_path):
    from xlgova.consolidate import load_roster

    path = tmp_path / "名单.csv"
    path.write_text("单位名称,单位层级,上级单位\n甲局,县级部门,乙局\n乙局,县级部门,丙局\n丙局,县级部门,甲局\n", encoding="utf-8")
    with pytest.raises(XlgovaError, match="循环"):
        load_roster(path)
    path.write_text("单位名称,单位层级,上级单位\n甲局,县级部门,\n乙局,县级部门,甲局\n", encoding="utf-8")
    roster = load_roster(path)
    assert roster.has_tree and roster.parent_of(roster.entries[1]) == "甲局"


def test_review_rules_are_in_the_catalogue_with_their_threshold():
    from xlgova.model.catalog import RULE_INFO, title_of
    from xlgova.consolidate.record import REVIEW_RULES

    assert all(RULE_INFO[r].severity == "info" for r in REVIEW_RULES)
    assert f"{YOY_FACTOR} 倍" in title_of("hint.yoy_jump")
