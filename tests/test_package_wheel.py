"""The package is whole: the wheel, installed (not editable) into a fresh virtual environment, works from
another folder — templates, the macro-enabled template and the VBA sources come from inside the package.

The fresh environment gets xlgova only from the wheel. Its dependencies are the ones this interpreter already
has (make setup installed them from PyPI): a .pth file lists this interpreter's site-packages folders, so the
test needs no network and no second download. A .pth line is a plain path entry: the editable xlgova of the
development environment (an import hook registered by its own .pth file) is not carried over, and the test
checks that ``xlgova`` is imported from the new environment.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from xlgova.demo.samples import random_report

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(cmd, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    assert p.returncode == 0 and "Traceback" not in p.stderr, f"{cmd}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
    return p


def _clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    return {**env, "HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _source_copy(dest: Path) -> Path:
    """What a source distribution holds, copied out so the checkout is never written to (it may be read-only)."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in"):
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "xlgova", dest / "xlgova", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _build_wheel(src: Path, out: Path, env: dict) -> Path:
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", out, src]
    if all(importlib.util.find_spec(m) is not None for m in ("setuptools", "wheel")):  # the dev extra has both
        cmd.insert(5, "--no-build-isolation")  # offline when this environment can build; else pip fetches setuptools
    _run(cmd, src, env)
    (wheel,) = out.glob("xlgova-*.whl")
    return wheel


def _fresh_venv(where: Path, wheel: Path, env: dict) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    py = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _run([py, "-m", "pip", "install", "--no-deps", "--no-index", wheel], where, env)
    purelib = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], where, env).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "zz_xlgova_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return py


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel test")
    env = _clean_env(base)
    wheel = _build_wheel(_source_copy(base / "src"), base / "dist", env)
    py = _fresh_venv(base / "venv", wheel, env)
    return py, py.parent / ("xlgova.exe" if os.name == "nt" else "xlgova"), env, base, wheel


def test_the_wheel_holds_the_templates_and_the_vba(installed):
    import zipfile

    *_, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for fid in ("2021", "2019"):
        assert f"xlgova/templates/xlgova-{fid}.xlsx" in names and f"xlgova/templates/xlgova-{fid}.xlsm" in names
    assert "xlgova/templates/vba/Xlgova.bas" in names
    assert not any(n.startswith(("tests/", "workbook_templates/", "macros/")) for n in names)


def test_installed_commands_work_from_another_folder(installed):
    py, exe, env, base, _wheel = installed
    work = base / "其他 文件夹"
    work.mkdir()
    where = _run([py, "-c", "import xlgova; print(xlgova.__file__)"], work, env).stdout.strip()
    assert Path(where).is_relative_to(base / "venv"), where  # from the wheel, not the checkout
    report = random_report(5, "2021", agency="示例县交通运输局")
    (work / "报告.json").write_text(report.dumps(), encoding="utf-8")

    _run([exe, "template", "--format", "2019", "-o", "模板.xlsx"], work, env)
    _run([exe, "fill", "报告.json", "-o", "报告.xlsm"], work, env)  # the macro-enabled template ships in the package
    _run([exe, "fill", "报告.json", "-o", "报告.xlsx"], work, env)
    out = _run([exe, "validate", "报告.xlsm", "报告.xlsx"], work, env)  # exit 0: both read and valid
    assert out.stdout.count("通过") >= 2, out.stdout
    _run([exe, "export", "报告.xlsx", "-o", "报告.docx"], work, env)
    _run([exe, "demo", "-o", "示例", "--no-word"], work, env, timeout=900)
    for name in ("模板.xlsx", "报告.xlsm", "报告.xlsx", "报告.docx"):
        assert (work / name).stat().st_size > 1000, name
    assert any((work / "示例").rglob("*.xlsx"))
    with zipfile_open(work / "报告.xlsm") as zf:
        assert "xl/vbaProject.bin" in zf.namelist()


def zipfile_open(path: Path):
    import zipfile

    return zipfile.ZipFile(path)
