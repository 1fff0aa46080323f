"""The desk's JSON API, route by route, through Starlette's TestClient: the same answers as the CLI, the
roster, submissions and versions, 退回/通过 with the notice, 催报, 汇总 — and what is kept on disk."""
from __future__ import annotations

import hashlib
import io
import json

import pytest

from desk_support import BASE, agencies, desk, files, roster_csv, workbook  # noqa: F401


def _cli_json(capsys, path) -> dict:
    from xlgova.cli import main

    main(["validate", str(path), "--json"])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("broken", [False, True])
def test_check_answers_exactly_what_validate_json_prints(desk, tmp_path, capsys, broken):
    path = workbook(tmp_path, agencies()[1][0], broken=broken)
    got = desk.post("/api/check", files=files(path))
    assert got.status_code == 200
    want = _cli_json(capsys, path)
    want["reports"][0]["source"] = path.name
    assert got.json() == want
    assert got.json()["reports"][0]["valid"] is not broken
    if broken:
        assert "apps.balance" in {f["rule"] for f in got.json()["reports"][0]["findings"]}


def test_check_of_an_unusable_file_is_a_422_naming_the_file_as_uploaded(desk, tmp_path, capsys):
    path = workbook(tmp_path, agencies()[1][0])
    cut = tmp_path / "截断的报告.xlsx"
    cut.write_bytes(path.read_bytes()[:3000])
    got = desk.post("/api/check", files=files(cut))
    assert got.status_code == 422
    (entry,) = got.json()["unusable"]
    assert entry["source"] == "截断的报告.xlsx"
    assert entry["error"] == _cli_json(capsys, cut)["unusable"][0]["error"].replace(str(cut), cut.name)
    assert str(desk.workspace) not in entry["error"]  # never the desk's own hash-named copy


def test_check_without_a_file_or_with_a_bad_request_says_so_in_chinese(desk):
    r = desk.post("/api/check", data={"x": "1"}, files={"other": ("", b"")})
    assert r.status_code == 400 and "没有收到文件" in r.json()["error"]
    r = desk.post("/api/check", content=b"{}", headers={"content-type": "application/json"})
    assert r.status_code == 415 and "multipart/form-data" in r.json()["error"]
    r = desk.post("/api/check", content=b"--xx\r\nbroken", headers={"content-type": "multipart/form-data; boundary=xx"})
    assert r.status_code == 400 and "文件" in r.json()["error"]


def test_an_oversized_upload_is_refused_and_nothing_stays_on_disk(tmp_path):
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    app = create_app(tmp_path / "ws", max_upload_bytes=10_000)
    with TestClient(app, base_url=BASE) as client:
        r = client.post("/api/submissions", files=[("file", ("大文件.xlsx", b"x" * 50_000))])
    assert r.status_code == 413 and "文件过大" in r.json()["error"] and "大文件.xlsx" in r.json()["error"]
    assert not any((tmp_path / "ws" / "incoming").iterdir())
    assert not any((tmp_path / "ws" / "files").iterdir())
    app.state.store.close()


def _status(desk) -> dict[str, dict]:
    return {a["agency"]: a for a in desk.get("/api/status").json()["agencies"]}


def test_roster_then_submissions_give_each_agency_its_state_and_version(desk, tmp_path):
    names = [n for n, _ in agencies()]
    r = desk.post("/api/roster", files=files(roster_csv(tmp_path)))
    assert r.json() == {"agencies": 5}
    assert {a["state"] for a in _status(desk).values()} == {"未提交"}
    assert _status(desk)[names[3]]["level"] == "乡镇"
    ok, bad = workbook(tmp_path, names[1], 1), workbook(tmp_path, names[2], 2, broken=True)
    stranger = workbook(tmp_path, "别县财政局", 3)
    answers = desk.post("/api/submissions", files=files(ok, bad, stranger)).json()["submissions"]
    assert [(a["agency"], a["version"], a["state"]) for a in answers] == [(names[1], 1, "已提交"), (names[2], 1, "有错误"), (None, 0, "已提交")]
    status = _status(desk)
    assert status[names[1]]["state"] == "已提交" and status[names[2]]["errors"] >= 1
    assert desk.get("/api/status").json()["unmatched"][0]["typed_name"] == "别县财政局"
    same = desk.post("/api/submissions", files=files(ok)).json()["submissions"][0]
    assert (same["version"], same["duplicate"]) == (1, True)  # the same bytes again: no second version
    again = desk.post("/api/submissions", files=files(workbook(tmp_path / "v2", names[1], 7))).json()["submissions"][0]
    assert (again["version"], again["duplicate"]) == (2, False)
    # every file kept unchanged, named by its SHA-256, never by the uploaded name
    for p in (ok, bad, stranger):
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        kept = desk.workspace / "files" / digest[:2] / f"{digest}.xlsx"
        assert kept.read_bytes() == p.read_bytes()
    assert not [p for p in desk.workspace.rglob("*") if "局" in p.name]


def test_without_a_roster_every_submitting_agency_is_listed(desk, tmp_path):
    name = agencies()[2][0]
    desk.post("/api/submissions", files=files(workbook(tmp_path, name)))
    assert _status(desk)[name]["state"] == "已提交"


def _submitted(desk, tmp_path):
    names = [n for n, _ in agencies()]
    desk.post("/api/roster", files=files(roster_csv(tmp_path)))
    answers = desk.post("/api/submissions", files=files(workbook(tmp_path, names[1], 1, broken=True), workbook(tmp_path, names[2], 2))).json()["submissions"]
    return names, answers


def test_return_writes_a_notice_naming_the_problem_and_accept_passes(desk, tmp_path):
    import docx

    names, (bad, good) = _submitted(desk, tmp_path)
    r = desk.post(f"/api/submissions/{bad['id']}/return", json={"comment": "请于本周内改正后重报"})
    assert r.status_code == 200 and r.json()["state"] == "已退回"
    note = desk.get(r.json()["notice"])
    assert note.status_code == 200 and "退回通知" in note.headers["content-disposition"] or "%E9%80%80" in note.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(note.content)).paragraphs)
    assert names[1] in text and "请于本周内改正后重报" in text and "申请情况表" in text
    assert desk.post(f"/api/submissions/{good['id']}/accept").json()["state"] == "已通过"
    status = _status(desk)
    assert (status[names[1]]["state"], status[names[2]]["state"]) == ("已退回", "已通过")
    detail = desk.get(f"/api/submissions/{bad['id']}").json()
    assert detail["decisions"][0]["comment"] == "请于本周内改正后重报" and detail["check"]["reports"][0]["valid"] is False
    # resubmitted: a new version, the state is the new version's own
    desk.post("/api/submissions", files=files(workbook(tmp_path / "v2", names[1], 5)))
    assert _status(desk)[names[1]]["state"] == "已提交" and _status(desk)[names[1]]["version"] == 2


def test_decisions_only_on_the_latest_version_and_known_submissions(desk, tmp_path):
    names, (bad, _good) = _submitted(desk, tmp_path)
    desk.post("/api/submissions", files=files(workbook(tmp_path / "v2", names[1], 9)))
    r = desk.post(f"/api/submissions/{bad['id']}/accept")
    assert r.status_code == 409 and "最新版本" in r.json()["error"]
    assert desk.post("/api/submissions/999/return", json={}).status_code == 404
    assert desk.post(f"/api/submissions/{bad['id']}/return", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert desk.get("/api/submissions/999").status_code == 404


def test_reminders_list_unsubmitted_and_returned_in_a_safe_workbook(desk, tmp_path):
    from openpyxl import load_workbook

    names, (bad, _good) = _submitted(desk, tmp_path)
    desk.post(f"/api/submissions/{bad['id']}/return", json={"comment": "=HYPERLINK(\"http://x\")"})
    r = desk.get("/api/reminders.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    listed = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    assert set(listed) == {names[0], names[1], names[3], names[4]}
    assert listed[names[1]][4] == "已退回" and listed[names[1]][6].startswith("'=")  # never a formula


def test_consolidate_gives_the_same_totals_as_the_library(desk, tmp_path):
    from openpyxl import load_workbook

    from xlgova.consolidate import consolidate

    names, (bad, good) = _submitted(desk, tmp_path)
    assert desk.get("/api/summary.xlsx").status_code == 404
    got = desk.post("/api/consolidate").json()
    direct = consolidate([tmp_path / f"{names[1]}（有误）.xlsx", tmp_path / f"{names[2]}.xlsx"], roster=tmp_path / "名单.csv")
    assert got["totals"] == direct.to_json()["totals"]
    assert got["status"]["未提交"] == 3 and got["inputs"] == 2
    summary = desk.get("/api/summary.xlsx")
    assert summary.status_code == 200 and "汇总说明" in load_workbook(io.BytesIO(summary.content), read_only=True).sheetnames
    desk.post(f"/api/submissions/{good['id']}/accept")
    only = desk.post("/api/consolidate", json={"accepted_only": True}).json()
    assert only["inputs"] == 1 and only["accepted_only"] is True


def test_every_action_is_in_the_audit_log(desk, tmp_path):
    _names, (bad, good) = _submitted(desk, tmp_path)
    desk.post(f"/api/submissions/{bad['id']}/return", json={"comment": "改"})
    desk.post(f"/api/submissions/{good['id']}/accept")
    desk.post("/api/consolidate")
    store = desk.app.state.store
    actions = [r["action"] for r in store.db().execute("SELECT action FROM audit ORDER BY id")]
    assert actions == ["导入名单", "接收报送", "接收报送", "已退回", "已通过", "汇总"]
    assert all(r["actor"] and r["at"] for r in store.db().execute("SELECT actor, at FROM audit"))


def test_a_file_matching_nobody_is_assigned_by_hand(desk, tmp_path):
    names = [n for n, _ in agencies()]
    desk.post("/api/roster", files=files(roster_csv(tmp_path)))
    (stray,) = desk.post("/api/submissions", files=files(workbook(tmp_path, "山那边的某个办公室", 4))).json()["submissions"]
    assert stray["agency"] is None
    target = next(a for a in desk.get("/api/status").json()["agencies"] if a["agency"] == names[3])
    agency_id = desk.app.state.store.db().execute("SELECT id FROM agencies WHERE name = ?", (names[3],)).fetchone()[0]
    r = desk.post(f"/api/submissions/{stray['id']}/assign", json={"agency_id": agency_id})
    assert r.status_code == 200 and (r.json()["agency"], r.json()["version"]) == (names[3], 1)
    assert target["state"] == "未提交" and _status(desk)[names[3]]["state"] == "已提交"
    assert desk.get("/api/status").json()["unmatched"] == []
    again = desk.post(f"/api/submissions/{stray['id']}/assign", json={"agency_id": agency_id})
    assert again.status_code == 422 and "已对应" in again.json()["error"]
    assert desk.post(f"/api/submissions/{stray['id']}/assign", json={}).status_code == 400


def test_requests_from_other_sites_or_under_other_names_are_refused(desk, tmp_path):
    """A page on another site cannot drive the desk through the supervisor's browser (CSRF), nor reach it
    under another host name (DNS rebinding); the desk's own pages and tools without an Origin can."""
    path = workbook(tmp_path, agencies()[1][0])
    r = desk.post("/api/submissions", files=files(path), headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "拒绝访问" in r.json()["error"]
    assert desk.get("/api/status", headers={"Host": "evil.example:8765"}).status_code == 403
    assert desk.get("/api/status").json()["agencies"] == []
    ok = desk.post("/api/submissions", files=files(path), headers={"Origin": BASE})
    assert ok.status_code == 200


def test_files_received_before_the_roster_move_to_their_roster_agency(desk, tmp_path):
    names = [n for n, _ in agencies()]
    typed = names[4].replace("测试县", "测试县 ")  # the cover spells it with a space
    desk.post("/api/submissions", files=files(workbook(tmp_path, typed, 4)))
    assert set(_status(desk)) == {typed}
    desk.post("/api/roster", files=files(roster_csv(tmp_path)))
    status = _status(desk)
    assert typed not in status and (status[names[4]]["state"], status[names[4]]["version"]) == ("已提交", 1)


def test_malformed_multipart_bodies_are_refused_and_leave_nothing(desk):
    boundary = "b0undary"
    huge_header = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\nX-Junk: "
                   + "x" * 20000 + "\r\n\r\nabc\r\n--" + boundary + "--\r\n").encode()
    many_fields = "".join(f"--{boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n" for i in range(200))
    for body in (huge_header, (many_fields + f"--{boundary}--\r\n").encode()):
        r = desk.post("/api/submissions", content=body, headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        assert r.status_code == 400 and "表单" in r.json()["error"]
    assert not any((desk.workspace / "incoming").iterdir()) and not any((desk.workspace / "files").iterdir())
