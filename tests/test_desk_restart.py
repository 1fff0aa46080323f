"""A real desk (``xlgova serve`` as a process) killed in the middle of an upload: after a restart every
acknowledged submission is there, unchanged, and nothing of the half-received one is."""
from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from desk_support import agencies, free_port, roster_csv, start, stop, workbook


def multipart(paths: list[Path]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for p in paths:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{p.name}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + p.read_bytes() + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def post(port: int, path: str, paths: list[Path]) -> dict:
    body, ctype = multipart(paths)
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, headers={"Content-Type": ctype}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=30) as r:
        return {a["agency"]: a for a in json.loads(r.read())["agencies"]}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_mid_upload_loses_nothing_acknowledged_and_keeps_no_half(tmp_path):
    ws, port = tmp_path / "ws", free_port()
    names = [n for n, _ in agencies()]
    proc = start(ws, port)
    try:
        post(port, "/api/roster", [roster_csv(tmp_path)])
        sent = [workbook(tmp_path, names[1], 1), workbook(tmp_path, names[2], 2, broken=True)]
        acked = post(port, "/api/submissions", sent)["submissions"]
        assert [a["version"] for a in acked] == [1, 1]
        # a third agency's upload: headers and half the body, then the server dies
        half = workbook(tmp_path, names[3], 3)
        body, ctype = multipart([half])
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body[: len(body) // 2])
        time.sleep(0.5)  # the server is now streaming the part into incoming/
        assert any((ws / "incoming").iterdir())
        proc.kill()
        proc.wait()
        sock.close()
    finally:
        if proc.poll() is None:
            proc.kill()
    proc = start(ws, port)
    try:
        now = status(port)
        assert (now[names[1]]["state"], now[names[1]]["version"]) == ("已提交", 1)
        assert (now[names[2]]["state"], now[names[2]]["version"]) == ("有错误", 1)
        assert now[names[3]]["state"] == "未提交"
        assert not any((ws / "incoming").iterdir())
        kept = sorted(p.name for p in (ws / "files").rglob("*.xlsx"))
        assert kept == sorted(hashlib.sha256(p.read_bytes()).hexdigest() + ".xlsx" for p in sent)
        for p in sent:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()
            assert (ws / "files" / digest[:2] / f"{digest}.xlsx").read_bytes() == p.read_bytes()
        again = post(port, "/api/submissions", [half])["submissions"][0]
        assert (again["agency"], again["version"]) == (names[3], 1)
    finally:
        stop(proc)
    db = sqlite3.connect(ws / "desk.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 3
    db.close()
