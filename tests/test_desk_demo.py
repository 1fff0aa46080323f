"""`xlgova demo` leaves the demo county's desk workspace and prints how to open it."""
from __future__ import annotations

from desk_support import BASE
from xlgova.cli import main


def test_demo_leaves_a_desk_workspace_with_every_state(tmp_path, monkeypatch, capsys):
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    monkeypatch.chdir(tmp_path)
    assert main(["demo", "-o", "demo_output", "--no-word"]) == 0
    out = capsys.readouterr().out
    assert "xlgova serve demo_output/报送台" in out
    app = create_app(tmp_path / "demo_output" / "报送台")
    with TestClient(app, base_url=BASE) as client:
        agencies = client.get("/api/status").json()["agencies"]
        states = {a["state"] for a in agencies}
        assert {"未提交", "已提交", "有错误", "已退回", "已通过"} <= states
        assert "泓川县教育局" in {a["agency"] for a in agencies if a["version"] == 2}  # 原稿 and 修改稿
        assert "2025-01-31" in client.get("/progress").text
    app.state.store.close()
    assert main(["demo", "-o", "demo_output", "--no-word"]) == 0  # run again: the workspace is made afresh
