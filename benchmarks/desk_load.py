"""The desk under the last hour before the deadline: 50 agencies uploading at once, a few versions each.

A real ``xlgova serve`` on 127.0.0.1 with a supervisor password; every agency signs its requests with its own
access code (``Authorization: Bearer``) and sends its versions one after another, all agencies at the same
time. Afterwards the supervisor's view and the database are checked: no submission lost, duplicated or given
to the wrong agency (each agency's versions are exactly its files, in the order sent), every stored file
matches its hash, and the audit log has one 接收报送 entry per submission, by the right agency.
Reported: requests, failures, wall time, p50/p95/max latency of an upload. Bounded: ``AGENCIES × VERSIONS``
requests, each with a timeout, the whole run under ``DEADLINE`` seconds; loopback only; stops by itself.

    python benchmarks/desk_load.py [--agencies 50] [--versions 3]

``tests/test_desk_load.py`` drives the same functions with a server killed in the middle of the load.
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from desk_support import agencies, free_port, roster_csv, start, stop  # noqa: E402

PASSWORD = "负载测试用的汇总单位口令"
DEADLINE = 240.0
TIMEOUT = 120.0


@dataclass
class Plan:
    workspace: Path
    files: dict[str, list[Path]]  # agency -> its versions, in the order they are sent
    codes: dict[str, str]


@dataclass
class Outcome:
    acks: list[dict] = field(default_factory=list)  # {"agency", "file", "sha256", "id", "version", "seconds"}
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0


def prepare(folder: Path, n: int, versions: int) -> Plan:
    """A workspace with a roster of ``n`` agencies, a password and codes; ``versions`` workbooks per agency."""
    from xlgova.demo.samples import random_report
    from xlgova.desk import auth, service
    from xlgova.desk.store import Store
    from xlgova.workbook import write_workbook

    ws = folder / "ws"
    store = Store.open(ws)
    auth.init(store)
    service.import_roster(store, roster_csv(folder, n), "名单.csv", "负载测试")
    auth.set_password(store, PASSWORD, "负载测试")
    codes = {r["agency"]: r["code"] for r in auth.codes(store)}
    store.close()
    files = {}
    for i, (name, _) in enumerate(agencies(n)):
        out = folder / f"a{i:03d}"
        out.mkdir()
        files[name] = []
        for v in range(1, versions + 1):
            path = write_workbook(random_report(1000 * i + v, "2021", agency=name, year=2024), out / f"{name}_第{v}稿.xlsx")
            files[name].append(path)
    return Plan(ws, files, codes)


def _body(path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n\r\n".encode()
    return head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _agency(port: int, name: str, code: str, paths: list[Path], start_line: threading.Barrier, out: Outcome, lock, stop_at: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        start_line.wait(60)
        for path in paths:
            if time.monotonic() > stop_at:
                raise TimeoutError("deadline")
            body, ctype = _body(path)
            t0 = time.perf_counter()
            conn.request("POST", "/api/submissions", body=body, headers={"Content-Type": ctype, "Authorization": f"Bearer {code}"})
            r = conn.getresponse()
            data = r.read()
            seconds = time.perf_counter() - t0
            if r.status != 200:
                raise RuntimeError(f"{r.status} {data[:200]!r}")
            got = json.loads(data)["submissions"][0]
            with lock:
                out.acks.append({"agency": name, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                 "id": got["id"], "version": got["version"], "answered_agency": got["agency"], "seconds": seconds})
    except Exception as e:  # noqa: BLE001 - a killed server, a timeout: recorded, the agency stops
        with lock:
            out.failures.append(f"{name}: {type(e).__name__}: {e}")
    finally:
        conn.close()


def load(port: int, plan: Plan, deadline: float = DEADLINE) -> tuple[Outcome, list[threading.Thread]]:
    """Start every agency's uploads at once (threads); returns at once with the outcome being filled."""
    out, lock = Outcome(), threading.Lock()
    line = threading.Barrier(len(plan.files))
    stop_at = time.monotonic() + deadline
    threads = [threading.Thread(target=_agency, args=(port, name, plan.codes[name], paths, line, out, lock, stop_at), daemon=True)
               for name, paths in plan.files.items()]
    for t in threads:
        t.start()
    return out, threads


def verify(workspace: Path, plan: Plan, acks: list[dict], *, complete: bool) -> dict:
    """Check the database and files against what was acknowledged; ``complete``: every file was sent and
    acknowledged (a normal run), else only what was acknowledged must be there (a killed run)."""
    db = sqlite3.connect(f"{(workspace / 'desk.sqlite3').resolve().as_uri()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    problems = []
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    rows = db.execute("SELECT s.id, s.version, s.sha256, s.suffix, a.name FROM submissions s JOIN agencies a ON a.id = s.agency_id ORDER BY s.id").fetchall()
    by_id = {r["id"]: r for r in rows}
    for ack in acks:
        r = by_id.get(ack["id"])
        if r is None or (r["name"], r["version"], r["sha256"]) != (ack["agency"], ack["version"], ack["sha256"]) or ack["answered_agency"] != ack["agency"]:
            problems.append(f"acknowledged submission {ack['id']} of {ack['agency']} missing or different")
    sent_sha = {name: [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths] for name, paths in plan.files.items()}
    for name in plan.files:
        mine = [r for r in rows if r["name"] == name]
        if [r["version"] for r in mine] != list(range(1, len(mine) + 1)):
            problems.append(f"{name}: versions {[r['version'] for r in mine]}")
        if [r["sha256"] for r in mine] != sent_sha[name][: len(mine)]:
            problems.append(f"{name}: stored files are not its own, in the order sent")
        if complete and len(mine) != len(sent_sha[name]):
            problems.append(f"{name}: {len(mine)} versions stored, {len(sent_sha[name])} sent")
    for r in rows:
        blob = workspace / "files" / r["sha256"][:2] / f"{r['sha256']}{r['suffix']}"
        if not blob.is_file() or hashlib.sha256(blob.read_bytes()).hexdigest() != r["sha256"]:
            problems.append(f"submission {r['id']}: stored file missing or half-written")
    audit = db.execute("SELECT actor, json_extract(detail, '$.submission') AS sid FROM audit WHERE action = '接收报送'").fetchall()
    logged = {a["sid"]: a["actor"] for a in audit}
    if len(audit) != len(rows) or any(logged.get(r["id"]) != f"报送单位：{r['name']}" for r in rows):
        problems.append(f"audit: {len(audit)} 接收报送 entries for {len(rows)} submissions, or a wrong actor")
    leftovers = [p.name for p in (workspace / "incoming").iterdir()] if (workspace / "incoming").exists() else []
    db.close()
    return {"submissions": len(rows), "acknowledged": len(acks), "problems": problems, "incoming_leftovers": leftovers}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=50)
    ap.add_argument("--versions", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xlgova-desk-load-") as tmp:
        plan = prepare(Path(tmp), args.agencies, args.versions)
        port = free_port()
        proc = start(plan.workspace, port)
        try:
            t0 = time.perf_counter()
            out, threads = load(port, plan)
            for t in threads:
                t.join(DEADLINE + TIMEOUT)
            out.wall = time.perf_counter() - t0
        finally:
            stop(proc)
        report = verify(plan.workspace, plan, out.acks, complete=True)
    lat = sorted(a["seconds"] for a in out.acks)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else lat * 99
    print(f"{args.agencies} agencies × {args.versions} versions, all at once, against xlgova serve on 127.0.0.1")
    print(f"  requests {args.agencies * args.versions}, acknowledged {len(out.acks)}, failed {len(out.failures)}, wall {out.wall:.1f} s")
    if lat:
        print(f"  upload latency: p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms")
    print(f"  stored {report['submissions']} submissions; problems: {len(report['problems'])}; incoming leftovers: {len(report['incoming_leftovers'])}")
    for p in report["problems"][:10] + out.failures[:10]:
        print("   ", p)
    return 0 if not report["problems"] and not out.failures else 1


if __name__ == "__main__":
    alone = Path(sys.argv[0]).name == "desk_load.py"  # else run by benchmarks/run.py, whose arguments are not ours
    code = main(sys.argv[1:] if alone else [])
    if alone:
        sys.exit(code)
