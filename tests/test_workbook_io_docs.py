"""Every command in docs/workbook-io.md's 试一试 block runs and ends with exit code 0 or 1."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "workbook-io.md"


def commands() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## 试一试\s+```bash\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("xlgova ")]


def test_documented_commands_work(tmp_path):
    cmds = commands()
    assert len(cmds) >= 5 and any(" fill " in c for c in cmds) and any(" read " in c for c in cmds)
    for line in cmds:
        argv, _, redirect = line.partition(" > ")
        args = shlex.split(argv)[1:]
        proc = subprocess.run([sys.executable, "-m", "xlgova", *args], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
        assert proc.returncode in (0, 1), (line, proc.stderr)
        if redirect:
            (tmp_path / redirect.strip()).write_text(proc.stdout, encoding="utf-8")
    assert (tmp_path / "海城街道2021.xlsx").exists()
