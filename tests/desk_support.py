"""Shared helpers for tests/test_desk_*.py: agencies' workbooks, a roster, a desk on a fresh workspace."""
from __future__ import annotations

import csv
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "测试县"
BASE = "http://127.0.0.1:8765"  # the desk answers only under its loopback name
LEVELS = ("县级政府", "县级部门", "县级部门", "乡镇", "街道")
NAMES = ("人民政府", "财政局", "教育局", "青山镇人民政府", "城关街道办事处")


def agencies(n: int = 5) -> list[tuple[str, str]]:
    """(name, level) for n agencies: the five above, then more 县级部门."""
    base = [(COUNTY + name, level) for name, level in zip(NAMES, LEVELS)]
    return (base + [(f"{COUNTY}第{i}局", "县级部门") for i in range(len(base), n)])[:n]


def roster_csv(folder: Path, n: int = 5, *, contacts: bool = False) -> Path:
    """The roster of ``agencies(n)``; ``contacts``: with 联系人 and 手机 columns (every agency but the first)."""
    path = folder / "名单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("单位名称", "单位代码", "单位层级") + (("联系人", "手机") if contacts else ()))
        for i, (name, level) in enumerate(agencies(n)):
            extra = (("", "") if i == 0 else (f"联系人{i}", f"1380000{i:04d}")) if contacts else ()
            w.writerow((name, f"C{i:03d}", level) + extra)
    return path


def workbook(folder: Path, name: str, seed: int = 1, *, broken: bool = False, year: int = 2024) -> Path:
    """A filled 2021-format workbook for ``name``; ``broken`` breaks apps.balance (an error)."""
    from xlgova.model import parse_value
    from xlgova.demo.samples import random_report
    from xlgova.workbook import write_workbook

    folder.mkdir(parents=True, exist_ok=True)
    report = random_report(seed, "2021", agency=name, year=year)
    if broken:
        report.values["apps.new.natural"] = parse_value((report.number("apps.new.natural") or 0) + 3)
    return write_workbook(report, folder / f"{name}{'（有误）' if broken else ''}.xlsx")


def files(*paths: Path) -> list:
    return [("file", (p.name, p.read_bytes())) for p in paths]


@pytest.fixture
def desk(tmp_path):
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    app = create_app(tmp_path / "ws")
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        client.workspace = tmp_path / "ws"
        yield client
    app.state.store.close()


# -- a real desk: `xlgova serve` as a process on a free loopback port ------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(workspace: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "xlgova", "serve", str(workspace), "--port", str(port), "--no-browser"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stderr.read().decode("utf-8", "replace"))
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("desk did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


