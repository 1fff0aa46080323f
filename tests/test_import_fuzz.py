"""Fuzzing: random corruptions of the real seed texts never crash the importer.

Each corrupted text gives a report (with findings where something is lost) or a clear XlgovaError; the
report then validates without error either. Sized to about 30 s on two workers.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from xlgova.importers import import_text
from xlgova.errors import XlgovaError
from xlgova.rules import validate

from test_import_seeds import SEEDS


@pytest.fixture(scope="module")
def seed_texts(seeds_dir):
    return [(seeds_dir / n).read_text(encoding="utf-8") for n in SEEDS]


def corrupt(text: str, ops: list[tuple[str, int, int]]) -> str:
    lines = text.split("\n")
    for op, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % max(len(lines[a % len(lines)]), 1)
        if op == "drop":
            del lines[i]
        elif op == "merge" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == "swap" and j + 1 < len(lines[i]):
            s = lines[i]
            lines[i] = s[:j] + s[j + 1] + s[j] + s[j + 2 :]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "tab":
            lines[i] = lines[i][:j] + "\t" + lines[i][j:]
        elif op == "digit":
            lines[i] = lines[i][:j] + "7" + lines[i][j + 1 :]
        elif op == "cut":
            return "\n".join(lines[:i]) + "\n" + lines[i][:j]
    return "\n".join(lines)


OPS = st.lists(
    st.tuples(st.sampled_from(["drop", "merge", "swap", "dup", "tab", "digit", "cut"]), st.integers(0, 10**5), st.integers(0, 10**4)),
    min_size=1, max_size=8,
)


def _check(text: str) -> None:
    try:
        report = import_text(text, source="fuzz.txt")
    except XlgovaError as e:
        assert str(e)
        return
    result = validate(report)
    for f in report.findings:
        assert f.rule.startswith("doc.") and f.message
    assert result.status_text()


@pytest.mark.parametrize("part", [0, 1])
def test_corrupted_seeds_never_crash(seed_texts, part):
    @settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.integers(0, 4), OPS)
    def run(k, ops):
        _check(corrupt(seed_texts[k], ops))

    run()


def test_empty_and_garbage_inputs():
    for text in ["", "\n\n\t\t", "|||", "\x00\x01", "一、总体情况", "第二十条第（一）项\n规章\t1\t2"]:
        _check(text)
