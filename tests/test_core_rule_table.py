"""The rule table as data: every generated identity instance fails when broken and passes when not."""
from __future__ import annotations

import copy

import pytest

from xlgova.model import parse_value
from xlgova.rules import LE, RULE_INFO, SEVERITIES, identities_for, validate
from xlgova.demo.samples import random_report

INSTANCES = [(fmt, ident) for fmt in ("2021", "2019") for ident in identities_for(fmt)]


def consistent_pair(fmt):
    prev = random_report(21, fmt, year=2020 if fmt == "2019" else 2021)
    cur = random_report(22, fmt, year=2020 if fmt == "2019" else 2022, previous=prev)
    cur.sections = {}
    return prev, cur


@pytest.mark.parametrize("fmt,ident", INSTANCES, ids=[f"{f}:{i.key}" for f, i in INSTANCES])
def test_identity_instance(fmt, ident):
    prev, cur = consistent_pair(fmt)
    assert not [f for f in validate(cur, prev).by_rule(ident.rule) if set(f.cells) == set(ident.cells())]
    cell = ident.lhs[0].cell
    broken = copy.deepcopy(cur)
    rhs = sum(t.coef * ((prev if t.prev else cur).number(t.cell)) for t in ident.rhs)
    broken.values[cell] = parse_value(rhs + 1 if ident.op == LE else cur.number(cell) + 1)
    found = [f for f in validate(broken, prev).by_rule(ident.rule) if cell in f.cells]
    assert found, f"{ident.key} did not fire"
    assert found[0].severity == ident.severity and ident.subject in found[0].message


@pytest.mark.parametrize("rule", list(RULE_INFO))
def test_every_rule_has_severity_and_chinese_title(rule):
    info = RULE_INFO[rule]
    assert info.severity in SEVERITIES
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.title)
    assert rule.isascii() and "." in rule


def test_instance_keys_are_unique():
    for fmt in ("2021", "2019"):
        keys = [i.key for i in identities_for(fmt)]
        assert len(keys) == len(set(keys))
