"""LibreOffice headless: recalculate workbooks and convert documents (tests, --pdf, previews).

Each call uses its own user profile, so calls can run in parallel (pytest -n 2) without fighting over
LibreOffice's profile lock.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from .. import limits
from ..errors import XlgovaError

TIMEOUT = 180
_SLOTS = threading.BoundedSemaphore(limits.LIBREOFFICE_PARALLEL)


def _fresh_slots() -> None:
    """A forked worker starts with every slot free: threads holding one in the parent do not exist in it."""
    global _SLOTS
    _SLOTS = threading.BoundedSemaphore(limits.LIBREOFFICE_PARALLEL)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_fresh_slots)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def convert(path: str | Path, to: str, outdir: str | Path, *, timeout: int = TIMEOUT, env: dict | None = None) -> Path:
    """Convert ``path`` with LibreOffice (``to`` like "pdf", "xlsx", "docx"); returns the new file.

    Formulas are recalculated on load (files written by openpyxl carry no cached values). ``env`` adds
    environment variables for this conversion only (the Word export passes a fontconfig file that maps
    the 公文 fonts to installed CJK fonts).
    """
    exe = soffice()
    if exe is None:
        raise XlgovaError("未安装 LibreOffice，无法转换", path=path, hint="请安装：apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui")
    src = Path(path).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xlgova-lo-") as profile:
        _write_profile(Path(profile))
        cmd = [
            exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", to, "--outdir", str(outdir), str(src),
        ]
        env = {**os.environ, **(env or {}), "HOME": profile}
        code, output = _run(cmd, env, timeout, path)
    ext = to.split(":", 1)[0]
    out = outdir / f"{src.stem}.{ext}"
    if code != 0 or not out.exists():
        raise XlgovaError(f"LibreOffice 转换失败：{output.strip()[:300]}", path=path)
    return out


def _run(cmd: list[str], env: dict, timeout: float, path) -> tuple[int, str]:
    """Run LibreOffice in a process group of its own; on timeout the whole group (the launcher and the
    soffice.bin it starts) is killed, so no converter outlives the call. At most ``limits.LIBREOFFICE_PARALLEL``
    run at once in this process (the desk converts uploads in its worker threads; each instance takes ~200 MB)."""
    if not _SLOTS.acquire(timeout=timeout):
        raise XlgovaError(f"LibreOffice 正忙：{timeout:g} 秒内没有轮到这次转换，请稍后再试", path=path)
    try:
        return _run_alone(cmd, env, timeout, path)
    finally:
        _SLOTS.release()


def _run_alone(cmd: list[str], env: dict, timeout: float, path) -> tuple[int, str]:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise XlgovaError(f"LibreOffice 转换超时（{timeout:g} 秒），已停止", path=path) from None
    finally:
        _kill_group(proc)  # anything the launcher left behind
    return proc.returncode, err or out


def _kill_group(proc: subprocess.Popen) -> None:
    if hasattr(os, "killpg"):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()


def recalculate(path: str | Path, outdir: str | Path) -> Path:
    """A copy of the workbook with every formula recalculated and cached by LibreOffice (.xlsx)."""
    return convert(path, "xlsx:Calc MS Excel 2007 XML", outdir)  # no shell: quotes would be part of the name


def _write_profile(profile: Path) -> None:
    """Always recalculate on load, so stale or missing cached values never leak into results."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        "</oor:items>\n",
        encoding="utf-8",
    )
