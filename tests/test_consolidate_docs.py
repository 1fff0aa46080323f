"""Every command shown in docs/consolidate.md runs (after the demo it starts with)."""
from __future__ import annotations

import os
import shlex
from pathlib import Path

from xlgova.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "consolidate.md"


def commands() -> list[list[str]]:
    return [shlex.split(line[len("$ xlgova "):]) for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("$ xlgova ")]


def test_documented_commands_run(tmp_path, monkeypatch, capsys):
    cmds = commands()
    assert cmds[0][0] == "demo" and len(cmds) >= 4
    monkeypatch.chdir(tmp_path)
    for argv in cmds:
        if argv[0] == "demo":
            argv = argv + ["--no-word"]  # Word export is tested by its own suite
        code = main(argv)
        assert code in (0, 1), (argv, capsys.readouterr())
    assert (tmp_path / "汇总2024.xlsx").is_file() and (tmp_path / "全市汇总.xlsx").is_file()
    assert len(os.listdir(tmp_path / "2025模板")) == 39  # every agency of the roster
