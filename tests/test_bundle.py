"""The offline installers (``make bundle``): what the installer scripts say and do, and — marked ``network``
because building a bundle downloads every wheel from the package index — the bundles themselves: the
Windows wheel set resolves with no index for CPython 3.11 and 3.12, and the Linux bundle installs into a
clean environment with no index and runs ``xlgova demo``.

``make bundle-test`` runs the marked tests (CI does); they reuse ``dist/`` when ``make bundle`` already
built this version there, and otherwise build into a temporary folder.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from xlgova import __version__

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import build_bundle as bb  # noqa: E402

BAT_LABELS = re.compile(r"^:(\w+)", re.M)


def _bat() -> str:
    return bb.windows_files(__version__)["安装.bat"].decode("gbk")


def test_windows_installer_is_gbk_crlf_and_needs_no_network():
    raw = bb.windows_files(__version__)["安装.bat"]
    text = raw.decode("gbk")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only: cmd.exe misreads labels in LF files
    assert "chcp 936" in text
    assert "--no-index" in text and "--find-links \"%HERE%wheels\"" in text
    assert "https://" not in text.split(":no_python")[0]  # nothing fetched; a URL only in the advice
    assert set(re.findall(r"goto (\w+)", text)) <= set(BAT_LABELS.findall(text))
    assert f"xlgova=={__version__}" in text


def test_windows_installer_checks_the_python_versions_the_wheels_are_for():
    text = _bat()
    for py in bb.PYTHONS:
        assert f"py -{py}-64" in text
    assert "((3, 11), (3, 12))" in text and "struct.calcsize('P') == 8" in text
    assert "未找到 64 位的 Python 3.11 或 3.12" in text


def test_windows_installer_makes_the_environment_the_button_starts():
    """Xlgova.bas starts %LOCALAPPDATA%\\xlgova\\venv\\Scripts\\pythonw.exe: the installer must put it there,
    with xlgova, xlwings and pywin32 checked importable."""
    from xlgova.workbook.xlsm import MACROS_DIR

    bas = (MACROS_DIR / "Xlgova.bas").read_text(encoding="ascii")
    pythonw = re.search(r'PYTHONW As String = "([^"]+)"', bas).group(1)
    text = _bat()
    assert r'set "XLGOVA_HOME=%LOCALAPPDATA%\xlgova"' in text and r'set "VENV=%XLGOVA_HOME%\venv"' in text
    assert pythonw == r"%LOCALAPPDATA%\xlgova\venv\Scripts\pythonw.exe"
    assert "import xlgova.excel.button, xlwings, win32com.client" in text
    log = re.search(r'LOG_FILE As String = "([^"]+)"', bas).group(1)
    assert log.startswith(r"%LOCALAPPDATA%\xlgova\logs") and r'set "LOGDIR=%XLGOVA_HOME%\logs"' in text


def test_windows_installer_ends_by_saying_what_to_do_next():
    text = _bat()
    done = text.split("安装完成。")[1].split(":no_python")[0]
    assert "接下来" in done and "xlgova-2021.xlsm" in done and "启用内容" in done and "%LOG%" in done
    for label in ("no_python", "venv_failed", "pip_failed", "check_failed"):
        block = text.split(f":{label}")[1].split("goto failed")[0]
        assert re.search(r"[\u4e00-\u9fff]", block), label
    assert "详细信息见安装日志：%LOG%" in text.split(":failed")[1]


def test_linux_installer_is_valid_sh_and_needs_no_network(tmp_path):
    script = tmp_path / "install.sh"
    script.write_bytes(bb.linux_files(__version__)["install.sh"])
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0
    text = script.read_text(encoding="utf-8")
    assert "--no-index" in text and '--find-links "$HERE/wheels"' in text and "((3, 11), (3, 12))" in text


def test_bundle_layout(tmp_path):
    wheels = tmp_path / "w"
    wheels.mkdir()
    (wheels / "xlgova-0-py3-none-any.whl").write_bytes(b"x")
    zipped = bb.write_bundle("windows-x64", __version__, wheels, tmp_path)
    top = f"xlgova-{__version__}-windows-x64/"
    names = set(zipfile.ZipFile(zipped).namelist())
    assert {top + n for n in ("安装.bat", "安装说明.txt", "wheels/xlgova-0-py3-none-any.whl")} <= names
    assert {top + f"templates/xlgova-{f}.{s}" for f in ("2019", "2021") for s in ("xlsx", "xlsm")} <= names
    tarred = bb.write_bundle("linux-x64", __version__, wheels, tmp_path)
    with tarfile.open(tarred) as tar:
        assert tar.getmember(f"xlgova-{__version__}-linux-x64/install.sh").mode == 0o755


# --- the bundles themselves (network: building one downloads the wheels) ---------------------------------

@pytest.fixture(scope="session")
def bundles(tmp_path_factory) -> dict[str, Path]:
    dist = ROOT / "dist"
    want = {p: dist / f"xlgova-{__version__}-{p}{'.zip' if p == 'windows-x64' else '.tar.gz'}" for p in bb.PLATFORMS}
    if all(path.exists() for path in want.values()):
        return want
    out = tmp_path_factory.mktemp("bundle")
    built = bb.build(out, sorted(bb.PLATFORMS), [])
    return {p: next(b for b in built if p in b.name) for p in bb.PLATFORMS}


def _clean_env(**extra: str) -> dict[str, str]:
    """No inherited PYTHONPATH, virtualenv or pip configuration (index, find-links) from this machine."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    return {**keep, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INPUT": "1", **extra}


@pytest.mark.network
@pytest.mark.slow
@pytest.mark.parametrize("python", bb.PYTHONS)
def test_windows_wheel_set_resolves_with_no_index(bundles, python, tmp_path):
    with zipfile.ZipFile(bundles["windows-x64"]) as z:
        z.extractall(tmp_path)
    wheels = tmp_path / f"xlgova-{__version__}-windows-x64" / "wheels"
    # pip judges markers for this machine: the Windows-only dependencies are named as the installer does
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--only-binary=:all:",
           "--platform", "win_amd64", "--python-version", python, "--implementation", "cp",
           "--target", str(tmp_path / "t"), "--find-links", str(wheels), f"xlgova=={__version__}",
           *bb.MARKER_DEPENDENCIES["windows-x64"]]
    run = subprocess.run(cmd, capture_output=True, text=True, env=_clean_env(), timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "xlwings-0.37.8" in run.stdout and "pywin32" in run.stdout


@pytest.mark.network
@pytest.mark.slow
def test_linux_bundle_installs_offline_and_runs_the_demo(bundles, tmp_path):
    with tarfile.open(bundles["linux-x64"]) as tar:
        tar.extractall(tmp_path, filter="data")
    home = tmp_path / "home"
    script = tmp_path / f"xlgova-{__version__}-linux-x64" / "install.sh"
    python = getattr(sys, "_base_executable", sys.executable)
    run = subprocess.run(["sh", str(script)], capture_output=True, text=True, timeout=900,
                         env=_clean_env(XLGOVA_HOME=str(home), PYTHON=python))
    assert run.returncode == 0, run.stdout + (home / "logs" / "install.log").read_text(encoding="utf-8")[-3000:]
    assert "安装完成" in run.stdout and "接下来" in run.stdout
    demo = subprocess.run([str(home / "venv" / "bin" / "xlgova"), "demo", "-o", str(tmp_path / "demo")],
                          capture_output=True, text=True, timeout=900, cwd=tmp_path, env=_clean_env())
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert list((tmp_path / "demo").rglob("*.xlsx")) and list((tmp_path / "demo").rglob("*.docx"))
