"""The engine's shortcuts only save work: each is checked against the plain computation it stands in for."""
from __future__ import annotations

import copy
import difflib
import random
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgova.model import parse_value
from xlgova.rules import Numbers, identities_for, narrative, similarity, validate
from xlgova.rules.identities import EQ, tolerance
from xlgova.demo.samples import random_report

PHRASES = (
    "本年度共收到政府信息公开申请{n}件，已办结{m}件。", "本年度未收到政府信息公开申请。", "收到申请{n}件，目前正在办理。",
    "收到的申请均已办结。", "本年度无行政复议、行政诉讼。", "发生行政复议{cn}件，行政诉讼{m}件。",
    "制发行政规范性文件{m}件，废止规范性文件{m}件，现行有效规范性文件{n}件。", "未收取行政事业性收费。",
    "行政事业性收费共{n}.5万元。", "未收取信息处理费；", "收取信息处理费共{n}元。", "2019年共收到政府信息公开申请{n}件。",
    "结转下年度继续办理{m}件；上年结转申请{m}件。", "依申请公开数量为0。", "其中行政诉讼{m}件，", "加强 政务 公开。\n",
)


def reference_similarity(a: str, b: str, floor: float = 0.0) -> float:
    """What rules.similarity computed before its bounds were taken out of difflib."""
    a, b = re.sub(r"\s+", "", a), re.sub(r"\s+", "", b)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def edited(rng: random.Random, text: str, alphabet: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 30)):
        i = rng.randint(0, len(chars))
        if rng.random() < 0.5 or not chars:
            chars.insert(i, rng.choice(alphabet))
        else:
            chars[min(i, len(chars) - 1)] = rng.choice(alphabet)
    return "".join(chars)


@pytest.mark.parametrize("seed", range(4))
def test_similarity_equals_difflib_with_its_own_bounds(seed):
    rng = random.Random(seed)
    alphabet = "政府信息公开申请本年度收到办理结转规范性文件，。、 \n\u3000\xa0\t0123456789"
    for _ in range(150):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        b = edited(rng, a, alphabet) if rng.random() < 0.7 else "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        for floor in (0.0, 0.5, 0.9, 0.99):
            assert similarity(a, b, floor=floor) == reference_similarity(a, b, floor), (a, b, floor)


numbers = st.one_of(st.integers(-50, 50), st.decimals(-50, 50, places=2, allow_nan=False, allow_infinity=False))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), which=st.integers(0, 10_000))
def test_identity_compare_equals_the_term_by_term_sum(data, which):
    idents = identities_for("2021") + identities_for("2019")
    ident = idents[which % len(idents)]
    values = data.draw(st.lists(numbers, min_size=len(ident.terms), max_size=len(ident.terms)))
    lhs = sum(t.coef * v for t, v in zip(ident.lhs, values))
    rhs = sum(t.coef * v for t, v in zip(ident.rhs, values[len(ident.lhs):]))
    tol = tolerance(values) if Decimal in map(type, values) else 0
    holds = abs(lhs - rhs) <= tol if ident.op == EQ else lhs <= rhs + tol
    got = ident.compare(values)
    assert got == (lhs, rhs, holds)
    assert [type(x) for x in got[:2]] == [type(lhs), type(rhs)]


def disturbed(seed: int):
    rng = random.Random(seed)
    fmt = rng.choice(["2021", "2019"])
    report = random_report(rng, fmt, agency="示例县城关镇人民政府")
    cells = list(report.format.cells)
    for _ in range(rng.randint(0, 4)):
        report.values[rng.choice(cells)] = parse_value(rng.choice([None, "/", "十二", -3, "2.5", "１２", "减4", 10**16, Decimal("1.25")]))
    key = rng.choice(sorted(report.sections))
    sentences = "".join(
        rng.choice(PHRASES).format(n=rng.randint(0, 30), m=rng.randint(0, 5), cn=rng.choice(["两", "三", "十二"])) for _ in range(rng.randint(0, 6))
    )
    report.sections[key] += sentences
    return report


@pytest.mark.parametrize("seed", range(60))
def test_whole_text_search_skips_no_narrative_finding(seed, monkeypatch):
    report = disturbed(seed)
    fast = [f.to_json() for f in narrative.check_narrative(report, Numbers(report))]
    monkeypatch.setattr(narrative, "_said_anywhere", lambda sents, *patterns: True)
    slow = [f.to_json() for f in narrative.check_narrative(report, Numbers(report))]
    assert fast == slow


@pytest.mark.parametrize("seed", range(20))
def test_validate_with_the_callers_numbers_is_the_same(seed):
    report = disturbed(seed)
    previous = random_report(seed, "2021", year=2021) if seed % 2 else None
    mine = copy.deepcopy(report)
    numbers = Numbers(mine)
    assert validate(mine, previous, numbers=numbers).to_json() == validate(copy.deepcopy(report), previous).to_json()
    assert numbers.get("apps.new.total") == Numbers(report).get("apps.new.total")
