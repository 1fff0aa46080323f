"""The desk under concurrent load from signed-in agencies (benchmarks/desk_load.py's functions): a normal run
loses, duplicates and mixes up nothing; a server killed in the middle of the load restarts with every
acknowledged submission present and no half-written one."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from desk_support import free_port, start, stop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import desk_load  # noqa: E402

pytestmark = pytest.mark.slow


def test_agencies_uploading_at_once_lose_and_mix_up_nothing(tmp_path):
    plan = desk_load.prepare(tmp_path, 12, 3)
    port = free_port()
    proc = start(plan.workspace, port)
    try:
        out, threads = desk_load.load(port, plan, deadline=120)
        for t in threads:
            t.join(180)
    finally:
        stop(proc)
    assert not out.failures
    report = desk_load.verify(plan.workspace, plan, out.acks, complete=True)
    assert report["problems"] == [] and report["submissions"] == 36 and report["incoming_leftovers"] == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_server_killed_during_the_load_keeps_every_acknowledged_submission(tmp_path):
    plan = desk_load.prepare(tmp_path, 16, 4)
    port = free_port()
    proc = start(plan.workspace, port)
    try:
        out, threads = desk_load.load(port, plan, deadline=120)
        deadline = time.monotonic() + 60
        while len(out.acks) < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.kill()  # in the middle: some uploads answered, some being received, some not yet sent
        proc.wait()
        for t in threads:
            t.join(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    acked = list(out.acks)
    assert 12 <= len(acked) < 64 and out.failures, (len(acked), out.failures[:3])
    proc = start(plan.workspace, port)  # the restart clears what was never acknowledged
    stop(proc)
    report = desk_load.verify(plan.workspace, plan, acked, complete=False)
    assert report["problems"] == [], report["problems"][:5]
    assert report["incoming_leftovers"] == []
    assert report["submissions"] >= len(acked)
