"""The desk (报送台) against a running ``xlgova serve`` on 127.0.0.1, side by side with the CLI.

  * ``POST /api/check`` median per workbook, against ``xlgova validate FILE --json`` run as a process (what a
    clerk without the desk runs) — goal: the desk at least 5× faster;
  * 300 workbooks dropped at once (``POST /api/submissions``, one request, all files read, checked, matched,
    kept and committed) — goal: ≤ 5 s;
  * the 进度 page with 300 agencies (``GET /progress``) — goal: ≤ 200 ms (median).

Everything runs on loopback, in a temporary workspace, and stops by itself.
"""
from __future__ import annotations

import csv
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from desk_support import free_port, start, stop  # noqa: E402
from xlgova.demo.samples import random_report  # noqa: E402
from xlgova.workbook import write_workbook  # noqa: E402

AGENCIES = 300
CHECK_RUNS = 30
PROCESS_RUNS = 8
PAGE_RUNS = 20


def multipart(paths: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for p in paths:
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{p.name}\"\r\n\r\n".encode())
        parts.append(p.read_bytes() + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def request(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None, ctype: str = "") -> bytes:
    conn.request(method, path, body=body, headers={"Content-Type": ctype} if ctype else {})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 400 and r.status != 422:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
    return data


def timed(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def make_county(folder: Path) -> tuple[list[Path], Path]:
    names = [f"基准县第{i:03d}单位" for i in range(AGENCIES)]
    paths = [write_workbook(random_report(i, "2021", agency=n, year=2024), folder / f"{n}.xlsx") for i, n in enumerate(names)]
    roster = folder / "名单.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("单位名称", "单位代码", "单位层级"))
        for i, n in enumerate(names):
            w.writerow((n, f"B{i:03d}", ("县级部门", "乡镇", "街道")[i % 3]))
    return paths, roster


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="xlgova-desk-bench-") as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        paths, roster = make_county(tmp)
        print(f"{AGENCIES} workbooks written in {time.perf_counter() - t:.1f} s", flush=True)
        port = free_port()
        proc = start(tmp / "ws", port)
        try:
            return report(tmp, port, paths, roster)
        finally:
            stop(proc)


def report(tmp: Path, port: int, paths: list[Path], roster: Path) -> int:
    # a fresh keep-alive connection per phase (the server drops idle ones after 5 s)
    connect = lambda: http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # noqa: E731
    conn = connect()
    one, ctype = multipart([paths[0]])
    check = timed(lambda: request(conn, "POST", "/api/check", one, ctype), CHECK_RUNS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "xlgova", "validate", str(paths[0]), "--json"]
    process = timed(lambda: subprocess.run(cmd, env=env, capture_output=True, check=False), PROCESS_RUNS)
    conn = connect()
    body, ctype = multipart([roster])
    request(conn, "POST", "/api/roster", body, ctype)
    body, ctype = multipart(paths)
    t = time.perf_counter()
    answers = request(conn, "POST", "/api/submissions", body, ctype)
    dropped = time.perf_counter() - t
    assert answers.count(b'"version":1') == AGENCIES, answers[:500]
    page = timed(lambda: request(conn, "GET", "/progress"), PAGE_RUNS)
    rows = [
        ("POST /api/check, median per workbook", f"{check:.1f} ms", f"xlgova validate as a process: {process:.0f} ms  ({process / check:.1f}×, goal ≥ 5×)", process / check >= 5),
        (f"{AGENCIES} workbooks dropped at once", f"{dropped:.2f} s", f"{dropped / AGENCIES * 1000:.1f} ms per workbook (goal ≤ 5 s)", dropped <= 5),
        (f"进度 page, {AGENCIES} agencies, median", f"{page:.1f} ms", "goal ≤ 200 ms", page <= 200),
    ]
    for what, figure, against, ok in rows:
        print(f"{what:42s} {figure:>10s}   {against}   {'OK' if ok else 'MISSED'}")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
