"""Every bad input through the commands a clerk or supervisor runs: a clear Chinese answer, the right exit
code, no traceback, and the input files byte-for-byte unchanged."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from _hardening import (CASES, assert_no_crash, case_path, cli, cli_subprocess, corpus, sha,  # noqa: F401
                        snapshot)

ALL = [c.name for c in CASES.values() if c.name != "big_junk"]
UNUSABLE = [c.name for c in CASES.values() if c.exit == (2,)]


@pytest.mark.parametrize("name", ALL)
def test_validate_answers_every_bad_input(corpus, name):
    case = CASES[name]
    path = case_path(corpus, name)
    before = sha(path)
    run = cli("validate", path)
    assert_no_crash(run)
    assert run.code in case.exit, (run.code, run.text[-2000:])
    if run.code == 2:
        assert path.name in run.err, run.err  # the file is named
        assert run.err.startswith("错误："), run.err
        for word in case.says:
            assert word in run.err, (word, run.err)
    assert sha(path) == before


@pytest.mark.parametrize("name", [c.name for c in CASES.values() if c.rules or c.numbers])
def test_findings_name_the_cell(corpus, name):
    """Readable but wrong workbooks: the finding names the rule, the cell id and its sheet address."""
    from xlgova.workbook.layout import cell_map

    case = CASES[name]
    run = cli("validate", case_path(corpus, name), "--json")
    assert_no_crash(run)
    assert run.code in case.exit, run.text[-2000:]
    findings = json.loads(run.out)["reports"][0]["findings"]
    for rule, cid in case.rules:
        hits = [f for f in findings if f["rule"] == rule and (cid is None or cid in f["cells"])]
        assert hits, (rule, cid, [(f["rule"], f["cells"][:3]) for f in findings])
        if cid is not None:
            sheet, address = cell_map("2021")[cid]
            assert any(f.get("locations", {}).get(cid) == f"{sheet}!{address}" for f in hits), hits


@pytest.mark.parametrize("name", [c.name for c in CASES.values() if c.numbers])
def test_unambiguous_numbers_are_read(corpus, name):
    """Full-width digits, surrounding spaces and "1,234" are read as the number they spell."""
    from xlgova.loaders import load_report

    sys_base = _base_report()
    case = CASES[name]
    report = load_report(case_path(corpus, name))
    wanted = case.numbers
    cells = list(sys_base.format.cells) if "*" in wanted else list(wanted)
    for cid in cells:
        expected = wanted.get(cid, "same")
        expected = sys_base.number(cid) if expected == "same" else expected
        assert report.number(cid) == expected, (cid, report.values.get(cid), expected)


def _base_report():
    from _hardening import GEN

    return GEN.Base().report


def test_every_refusal_says_what_to_do(corpus):
    """Each unusable file's message carries a next step (另存/重新索取/去除密码/解压/请...)."""
    for name in UNUSABLE:
        run = cli("validate", case_path(corpus, name))
        assert any(w in run.err for w in ("另存", "重新索取", "密码", "解压", "请")), (name, run.err)


def test_many_files_at_once_continue_past_bad_ones(corpus):
    """validate over good and bad files: every file gets its answer, the bad ones do not stop the rest."""
    names = ["empty", "encrypted", "zip_bomb", "chinese_path", "thousands", "xls", "negative"]
    run = cli("validate", *[case_path(corpus, n) for n in names], "--json")
    assert_no_crash(run)
    assert run.code == 2
    data = json.loads(run.out)
    assert len(data["reports"]) == 3 and len(data["unusable"]) == 4
    assert {Path(u["source"]).name for u in data["unusable"]} == {CASES[n].filename for n in ("empty", "encrypted", "zip_bomb", "xls")}


def test_consolidate_lists_unreadable_files_and_continues(corpus, tmp_path):
    before = snapshot(corpus)
    out = tmp_path / "汇总 输出" / "县汇总.xlsx"
    out.parent.mkdir()
    run = cli("consolidate", corpus, "-o", out, "--json", "--workers", "1")
    assert_no_crash(run)
    assert run.code == 1, run.text[-3000:]
    data = json.loads(run.out)
    by_file = {Path(r["file"]).name: r for r in data["reports"]}
    for name in UNUSABLE:
        case = CASES[name]
        if Path(case.filename).suffix.lower() not in (".xlsx", ".xlsm"):
            continue  # the consolidator collects workbooks only
        rec = by_file.get(Path(case.filename).name)
        assert rec is not None, (name, sorted(by_file))
        assert rec["status"] == "无法读取" and not rec["included"], rec
        for word in case.says:
            assert word in rec["reason"], (name, rec["reason"])
        for word in ("Error", "Exception", "Traceback"):
            assert word not in rec["reason"], (name, rec["reason"])
    readable = [r for r in data["reports"] if r["status"] != "无法读取"]
    assert readable and all(r["included"] or r.get("excluded") for r in readable)
    assert out.exists()
    # the summary workbook itself lists every unreadable file, with 无法读取, on one row
    from openpyxl import load_workbook

    rows = [" ".join(str(c) for c in row if c is not None) for ws in load_workbook(out, read_only=True) for row in ws.iter_rows(values_only=True)]
    for name in UNUSABLE:
        stem = Path(CASES[name].filename).stem
        if Path(CASES[name].filename).suffix.lower() in (".xlsx", ".xlsm"):
            assert any(stem in r and "无法读取" in r for r in rows), (name, stem)
    assert snapshot(corpus) == before
    assert not list(out.parent.glob(".*.tmp"))


@pytest.mark.parametrize("name", ["empty", "encrypted", "zip_bomb", "entity_expansion", "xls_renamed", "truncated",
                                  "chinese_numeral", "docx_bomb"])
def test_real_subprocess_never_shows_a_traceback(corpus, name):
    case = CASES[name]
    run = cli_subprocess("validate", case_path(corpus, name))
    assert TRACE not in run.text
    assert run.code in case.exit, run.text
    if run.code == 2:
        assert case_path(corpus, name).name in run.err


TRACE = "Traceback (most recent call last)"


@pytest.mark.parametrize("command", ["read", "export", "import", "fill"])
def test_other_commands_refuse_bad_files_cleanly(corpus, tmp_path, command):
    """Where a command takes a workbook or a document, the same bad files get the same clear refusal."""
    from xlgova.cli import build_parser

    if command not in build_parser()._subparsers._group_actions[0].choices:
        pytest.skip(f"command {command} not present")
    names = ["empty", "encrypted", "zip_bomb", "external_entity", "xlsb_renamed", "truncated", "docx_encrypted", "docx_bomb"]
    before = snapshot(corpus)
    for name in names:
        path = case_path(corpus, name)
        args = _args(command, path, tmp_path / f"out_{name}")
        if args is None:
            continue
        run = cli(*args)
        assert_no_crash(run)
        assert run.code == 2, (command, name, run.text[-1500:])
        assert path.name in run.err, (command, name, run.err)
    assert snapshot(corpus) == before
    assert not list(tmp_path.glob("**/.*.tmp"))


def _args(command: str, path: Path, out: Path):
    if command == "read":
        return ["read", path]
    if command == "export":
        return ["export", path, "-o", out.with_suffix(".docx")]
    if command == "import":
        return ["import", path, "-o", out.with_suffix(".xlsx")] if path.suffix == ".docx" else None
    if command == "fill":
        return None if path.suffix == ".docx" else ["fill", path, "-o", out.with_suffix(".xlsx")]
    return None


BOUNDED_RUN = """
import resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run([sys.executable, "-m", "xlgova", "validate", sys.argv[1]], capture_output=True, text=True, encoding="utf-8")
print(p.returncode, round(time.perf_counter() - t, 2), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
print(p.stdout[-300:] + p.stderr[-800:])
"""


def test_very_large_workbook_is_read_within_bounds(tmp_path):
    """40 MB of junk rows pasted under a table (a ~15 MB file): read in bounded memory (the time is measured in
    benchmarks/hostile_inputs.py, never asserted in a test)."""
    import subprocess

    from _hardening import GEN, PY, ROOT

    GEN.generate(tmp_path, big=True, only={"big_junk"})
    path = case_path(tmp_path, "big_junk")
    assert path.stat().st_size > 10 * 2**20
    before = sha(path)
    p = subprocess.run([PY, "-c", BOUNDED_RUN, str(path)], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=300)
    first, _, text = p.stdout.partition("\n")
    code, _seconds, mb = first.split()
    assert TRACE not in text
    assert int(code) in (0, 1), text
    assert int(mb) < 600, (mb, text)
    assert sha(path) == before


def test_robustness_doc_lists_every_case():
    """docs/robustness.md (the README "Robustness" table) has a row for every case the corpus tries."""
    from _hardening import ROOT

    doc = (ROOT / "docs" / "robustness.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in doc.splitlines() if line.startswith("| ") and line.count("|") >= 4}
    missing = [c.what for c in CASES.values() if c.what not in rows]
    assert not missing, missing
