"""Every `xlgova ...` command shown in docs/export.md really works."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from xlgova.cli import main
from xlgova.model import Value
from xlgova.demo.samples import random_report

DOC = Path(__file__).resolve().parent.parent / "docs" / "export.md"


def _commands():
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return [shlex.split(line)[1:] for block in blocks for line in block.splitlines() if line.startswith("xlgova ")]


def test_documented_commands_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("海城街道2021.json").write_text(random_report(41, "2021", agency="海原县海城街道办事处").dumps(), encoding="utf-8")
    bad = random_report(42, "2021", agency="海原县海城街道办事处")
    bad.values["apps.new.natural"] = Value("number", 5000)
    Path("有错误的报告.json").write_text(bad.dumps(), encoding="utf-8")
    commands = _commands()
    assert any("--pdf" in c for c in commands) and any("--force" in c for c in commands)
    from xlgova.workbook import libreoffice

    for argv in commands:
        if "--pdf" in argv and not libreoffice.available():
            continue
        code = main(argv)
        expected = 1 if "--force" in argv else 0
        assert code == expected, (argv, capsys.readouterr())
        out = Path(argv[argv.index("-o") + 1])
        assert out.exists(), argv
        if "--pdf" in argv:
            assert out.with_suffix(".pdf").exists()
