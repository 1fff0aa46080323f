"""Every hostile file of scripts/make_bad_inputs.py through the desk's API: the same answer as
``xlgova validate --json`` (a 422 with the Chinese message where the CLI exits 2), never a crash, and the desk
still serves afterwards."""
from __future__ import annotations

import json

import pytest

from _hardening import CASES, CRASH_WORDS, cli, corpus, case_path  # noqa: F401
from desk_support import desk  # noqa: F401

# A FIFO cannot be uploaded; a name of undecodable bytes cannot be put in a form (httpx refuses surrogates).
ALL = [c.name for c in CASES.values() if c.name not in ("big_junk", "gbk_name") and c.category != "特殊文件"]


@pytest.mark.parametrize("name", ALL)
def test_check_answers_every_bad_input_like_the_cli(desk, corpus, name):
    case = CASES[name]
    path = case_path(corpus, name)
    before = path.read_bytes()
    r = desk.post("/api/check", files={"file": (path.name, before)})
    run = cli("validate", path, "--json")
    want = json.loads(run.out)
    for entry in want.get("reports", []) + want.get("unusable", []):
        entry["source"] = path.name
    for entry in want.get("unusable", []):
        entry["error"] = entry["error"].replace(str(path), path.name)
    assert r.status_code == (422 if run.code == 2 else 200), r.text[:500]
    assert r.json() == want
    for word in CRASH_WORDS:
        assert word not in r.text
    if run.code == 2:
        message = r.json()["unusable"][0]["error"]
        assert path.name in message and all(w in message for w in case.says), message
    assert path.read_bytes() == before


def test_the_whole_corpus_submitted_at_once_is_received_file_by_file(desk, corpus):
    names = [case_path(corpus, n) for n in ALL]
    r = desk.post("/api/submissions", files=[("file", (p.name, p.read_bytes())) for p in names])
    assert r.status_code == 200
    answers = r.json()["submissions"]
    assert [a["file"] for a in answers] == [p.name for p in names]
    unusable = {CASES[n].filename for n in ALL if CASES[n].exit == (2,)}
    assert all(a["unusable"] for a in answers if a["file"] in unusable)
    assert desk.get("/api/status").status_code == 200 and desk.get("/progress").status_code == 200
