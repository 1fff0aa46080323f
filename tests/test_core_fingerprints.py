"""Fingerprints: a clerk's 已确认说明 follows a finding by its fingerprint, so the fingerprint names what
the finding is about (rule, cells, subject) and never what it says (numbers, similarity, wording)."""
from __future__ import annotations

import dataclasses
import random

import pytest

from xlgova.demo.samples import random_report
from xlgova.model import parse_value
from xlgova.model.finding import Finding
from xlgova.rules import validate

TEXT = ("本年度，本机关坚持以公开为常态、不公开为例外，围绕政务公开重点工作，持续完善主动公开目录，"
        "及时发布政策文件和解读材料，回应社会关切，政府信息公开工作取得新进展。全年通过门户网站主动公开政府信息若干条。")


def _edited(text: str, n: int) -> str:
    """``text`` with its last ``n`` characters replaced: a small, measurable change in similarity."""
    return text[: len(text) - n] + "变" * n


def _copied_finding(report, n: int):
    report.sections["一"] = _edited(TEXT, n)
    return [f for f in validate(report).findings if f.rule == "hint.narrative_copied"]


def test_a_copied_narrative_keeps_its_fingerprint_when_the_similarity_moves():
    prev = random_report(1, "2021", year=2021)
    prev.sections = {"一": TEXT}
    report = random_report(2, "2021", year=2022, previous=prev)
    report.previous = prev
    (near,) = _copied_finding(report, 2)
    (nearer,) = _copied_finding(report, 5)
    assert near.message != nearer.message  # the similarity in the message moved ...
    assert near.fingerprint == nearer.fingerprint  # ... the clerk's explanation still follows it
    report.sections["五"] = TEXT
    prev.sections["五"] = TEXT
    both = [f for f in validate(report).findings if f.rule == "hint.narrative_copied"]
    assert len({f.fingerprint for f in both}) == 2  # two sections, two findings a clerk can explain apart


def _broken(seed: int, fid: str):
    rng = random.Random(seed)
    prev = random_report(seed, fid, year=2021 if fid == "2021" else 2019)
    report = random_report(seed + 1, fid, year=prev.year + 1, previous=prev)
    report.previous = prev
    cells = [c for c in report.format.cells if report.format.cell(c).is_input]
    for cid in rng.sample(cells, 6):
        report.values[cid] = parse_value(rng.choice([-1, 2.5, "若干", None, 10**16, rng.randint(0, 999)]))
    report.agency = rng.choice(["", report.agency])
    report.sections = {k: TEXT for k in ("一", "五", "六")}
    prev.sections = dict(report.sections)
    return report


@pytest.mark.parametrize("fid", ["2021", "2019"])
def test_every_finding_keeps_its_fingerprint_whatever_it_says_and_no_two_share_one(fid):
    seen_without_cells = set()
    for seed in range(12):
        findings = validate(_broken(seed, fid)).findings
        assert len({f.fingerprint for f in findings}) == len(findings), [(f.rule, f.cells, f.subject) for f in findings]
        for f in findings:
            said = dataclasses.replace(f, message=f.message + "（改）", expected=123, actual=456, quote="x", locations=())
            assert said.fingerprint == f.fingerprint
            if not f.cells:
                seen_without_cells.add(f.rule)
    assert {"hint.narrative_copied", "report.agency_missing"} <= seen_without_cells


def test_the_subject_survives_report_json():
    from xlgova.model import report_from_json

    report = _broken(3, "2021")
    report.findings = [Finding.of("doc.section_missing", "未找到第五部分", subject="五")]
    back = report_from_json(report.to_json() | {"findings": [f.to_json() for f in report.findings]})
    assert [f.fingerprint for f in back.findings] == [f.fingerprint for f in report.findings]
