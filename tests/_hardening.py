"""Shared helpers for tests/test_hardening_*.py: the generated bad-input corpus, CLI runs, file hashes."""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PY = str(Path(sys.executable))
TRACEBACK = "Traceback (most recent call last)"
# Exception class names that must never reach a user's eyes (they mean a reader crashed, not refused).
CRASH_WORDS = ("Traceback", "TypeError", "KeyError", "IndexError", "AttributeError", "ValueError:", "ZeroDivisionError",
               "UnboundLocalError", "NameError", "AssertionError", "RecursionError", "MemoryError", "OverflowError")


sys.path.insert(0, str(ROOT / "scripts"))  # the bad-input generator and its case modules
import make_bad_inputs as GEN  # noqa: E402
CASES = {c.name: c for c in GEN.CASES}


def writer_available() -> bool:
    try:
        from xlgova.workbook import write_workbook  # noqa: F401
    except Exception:
        return False
    return True


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The bad-input corpus (without the tens-of-MB file), generated once per test process."""
    if not writer_available():
        pytest.fail("xlgova.workbook.write_workbook is not available: the corpus is built from a real workbook")
    out = tmp_path_factory.mktemp("bad inputs 坏文件")
    GEN.generate(out)
    return out


def case_path(corpus: Path, name: str) -> Path:
    return corpus / CASES[name].filename


def sha(path: Path) -> str:
    """The content's hash; for a FIFO, a device link or a symlink loop (never read: it could block) its lstat."""
    p = Path(path)
    if p.is_symlink() or not p.is_file():
        st = p.lstat()
        return f"special:{st.st_mode}:{st.st_ino}:{os.readlink(p) if p.is_symlink() else ''}"
    return hashlib.sha256(p.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` -> (hash, mode): inputs must come out of every command unchanged."""
    return {str(p.relative_to(folder)): (sha(p), p.lstat().st_mode) for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def cli(*args: str | Path) -> Run:
    """Run ``xlgova`` in this process (fast). An exception other than SystemExit escaping main() is a crash."""
    from xlgova.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as e:  # argparse
            code = int(e.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def cli_subprocess(*args: str | Path, timeout: float = 120, env: dict | None = None, cwd: Path | None = None) -> Run:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    p = subprocess.run([PY, "-m", "xlgova", *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                       timeout=timeout, env=full_env, cwd=cwd or ROOT)
    return Run(p.returncode, p.stdout, p.stderr)


def assert_no_crash(run: Run) -> None:
    for word in CRASH_WORDS:
        assert word not in run.text, f"crash-like output ({word}):\n{run.text[-3000:]}"


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def measured_cli(*args: str | Path, timeout: float = 300) -> tuple[Run, float, float]:
    """``xlgova ARGS`` in a fresh process (scripts/measure_bad_inputs.py): its answer, wall seconds
    (interpreter start included) and peak resident MB of that process alone."""
    from measure_bad_inputs import measure  # scripts/ is on sys.path once the generator is loaded

    m = measure(*args, timeout=timeout)
    return Run(m["code"], m["out"], m["err"]), m["seconds"], m["mb"]
