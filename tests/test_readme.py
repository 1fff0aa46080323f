"""Every `$ xlgova …` command shown in README.md runs, in order, after the demo it refers to."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from xlgova.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_commands() -> list[list[str]]:
    return [shlex.split(line[len("$ xlgova "):]) for line in README.splitlines() if line.startswith("$ xlgova ")]


def test_quick_start_is_exactly_make_demo_and_make_test():
    block = re.search(r"## Quick start\s+```console\n(.*?)```", README, re.S).group(1)
    assert block.split("\n")[:-1] == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_commands_run(tmp_path, monkeypatch, capsys):
    cmds = readme_commands()
    assert {c[0] for c in cmds} >= {"validate", "export", "demo", "consolidate", "prefill", "import", "fill", "template", "read"}
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "-o", "demo_output", "--no-word"]) == 0
    for argv in cmds:
        if argv[0] == "demo":
            continue
        code = main(argv)
        out = capsys.readouterr()
        assert code in (0, 1), (argv, out.out[-2000:], out.err[-2000:])
    for produced in ("泓川县水利局2024年报.docx", "汇总2024.xlsx", "2025模板", "泓川县水利局2024.json", "泓川县水利局2024.xlsx", "2020年度模板.xlsx"):
        assert (tmp_path / produced).exists(), produced
