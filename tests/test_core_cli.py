"""The validate command: human output, --json, exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from xlgova.cli import main
from xlgova.model import parse_value
from xlgova.demo.samples import random_report


def write(tmp_path, name, report):
    p = tmp_path / name
    p.write_text(report.dumps(), encoding="utf-8")
    return p


def test_valid_report_exits_zero(tmp_path, capsys):
    p = write(tmp_path, "ok.json", random_report(1, "2021", year=2021))
    assert main(["validate", str(p)]) == 0
    assert "结论：通过" in capsys.readouterr().out


def test_errors_exit_one_with_json(tmp_path, capsys):
    r = random_report(1, "2021", year=2021)
    r.values["apps.carried_out.natural"] = parse_value(r.number("apps.carried_out.natural") + 4)
    p = write(tmp_path, "bad.json", r)
    assert main(["validate", str(p), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    rep = data["reports"][0]
    assert rep["valid"] is False and rep["format"] == "2021" and rep["source"] == str(p)
    f = next(f for f in rep["findings"] if f["rule"] == "apps.balance")
    assert set(f) >= {"rule", "severity", "cells", "expected", "actual", "message"}
    assert "apps.carried_out.natural" in f["cells"]


def test_previous_option(tmp_path, capsys):
    prev = random_report(2, "2019", year=2020)
    cur = random_report(3, "2021", year=2021, previous=prev)
    cur.previous = None
    prev.values["apps.carried_out.total"] = parse_value(99)
    p_prev, p_cur = write(tmp_path, "2020.json", prev), write(tmp_path, "2021.json", cur)
    assert main(["validate", str(p_cur), "--previous", str(p_prev)]) == 0
    assert "xyear.carried_in" in capsys.readouterr().out


def test_unusable_input_exits_two_without_traceback(tmp_path):
    (tmp_path / "x.json").write_text("[1, 2", encoding="utf-8")
    for args in (["validate", str(tmp_path / "x.json")], ["validate", str(tmp_path / "missing.json")],
                 ["validate", str(tmp_path / "report.xls")]):
        proc = subprocess.run([sys.executable, "-m", "xlgova", *args], capture_output=True, text=True)
        assert proc.returncode == 2, proc
        assert "Traceback" not in proc.stderr and "错误：" in proc.stderr


def test_help_has_an_example():
    proc = subprocess.run([sys.executable, "-m", "xlgova", "validate", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "示例" in proc.stdout


def test_rules_doc_lists_every_rule():
    from pathlib import Path

    from xlgova.rules import RULE_INFO

    text = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = [r for r in RULE_INFO if f"`{r}`" not in text]
    assert not missing, f"docs/rules.md does not document {missing}"


ARGPARSE_ENGLISH = ("usage:", "error:", "options", "positional arguments", "show this help", "required",
                    "unrecognized", "invalid", "expected", "choose from", "argument")


@pytest.mark.parametrize("argv", [
    ["validate"], ["validate", "--bogus", "x.json"], ["nosuch"], ["consolidate", "x", "-o", "y.xlsx", "--workers", "abc"],
    ["export"], ["desk", "codes"], ["--help"], ["validate", "--help"], ["desk", "--help"],
])
def test_the_command_line_itself_speaks_chinese(argv, capsys):
    """argparse's own words (usage, headings, --help, every error) reach a clerk in Chinese, exit 2 on a mistake."""
    try:
        code = main(argv)
    except SystemExit as done:
        code = done.code
    out = capsys.readouterr()
    text = (out.out + out.err).lower()
    assert code == (0 if "--help" in argv else 2)
    assert "用法：" in out.out + out.err
    assert not [w for w in ARGPARSE_ENGLISH if w in text], text


def test_unknown_argparse_messages_keep_only_the_argument_names():
    from xlgova.cli_parser import translate

    assert translate("argument --foo: some new english sentence") == "参数有误（--foo）"
    assert translate("the following arguments are required: PATH") == "缺少必需的参数：PATH"
