"""Sign-in lockouts are kept in the workspace's database: per address and per target (the supervisor account),
kept across a restart, released after their period."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from desk_secure import PASSWORD, secured  # noqa: F401
from desk_support import BASE
from xlgova.desk import auth, create_app, lockout


@pytest.fixture
def clock(monkeypatch):
    now = [3_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    return now


def _client(app, address: str) -> TestClient:
    return TestClient(app, base_url=BASE, raise_server_exceptions=False, client=(address, 50000))


def test_a_lockout_outlives_a_restart_and_ends_after_its_period(secured, clock):
    s = secured
    for _ in range(lockout.PASSWORD_ADDRESS.max_failures):
        assert s.client.post("/login", data={"password": "wrong-password"}).status_code == 401
    assert s.client.post("/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 429
    again = create_app(s.tmp / "ws")  # a new process on the same workspace
    try:
        with _client(again, "testclient") as c:
            r = c.post("/login", data={"password": PASSWORD}, follow_redirects=False)
            assert r.status_code == 429 and "锁定" in r.text
            assert c.post("/api/login", json={"password": PASSWORD}).status_code == 429
            clock[0] += lockout.PASSWORD_ADDRESS.lockout - 5
            assert c.post("/api/login", json={"password": PASSWORD}).status_code == 429
            clock[0] += 10
            assert c.post("/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303
        rows = again.state.store.db().execute("SELECT COUNT(*) FROM signin_lockouts WHERE until > ?", (clock[0],)).fetchone()[0]
        assert rows == 0
    finally:
        again.state.store.close()


def test_failures_before_a_restart_still_count_after_it(secured, clock):
    s = secured
    for _ in range(lockout.PASSWORD_ADDRESS.max_failures - 1):
        s.client.post("/login", data={"password": "wrong-password"})
    again = create_app(s.tmp / "ws")
    try:
        with _client(again, "testclient") as c:
            assert c.post("/login", data={"password": "wrong-again!"}).status_code == 401
            assert c.post("/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 429
    finally:
        again.state.store.close()


def test_the_supervisor_account_is_locked_when_many_addresses_guess_and_a_new_password_lets_it_in(secured, clock):
    s, app = secured, secured.client.app
    per_address, target = lockout.PASSWORD_ADDRESS, lockout.PASSWORD_TARGET
    addresses = [f"10.0.{i}.1" for i in range(target.max_failures // (per_address.max_failures - 1) + 1)]
    tried = 0
    for address in addresses:
        with _client(app, address) as c:
            for _ in range(per_address.max_failures - 1):  # each address stays below its own limit
                if tried < target.max_failures:
                    assert c.post("/api/login", json={"password": "wrong-password"}).status_code == 401
                    tried += 1
    with _client(app, "10.9.9.9") as fresh:  # an address that never failed: the account itself is locked
        assert fresh.post("/api/login", json={"password": PASSWORD}).status_code == 429
        assert fresh.post("/login", data={"code": s.code["A"]}, follow_redirects=False).status_code == 303  # codes: not the target
        auth.set_password(s.store, PASSWORD + "-新", "测试")  # the supervisor at the server's console
        assert fresh.post("/api/login", json={"password": PASSWORD + "-新"}).status_code == 200


def test_wrong_codes_lock_only_their_own_address(secured, clock):
    s, app = secured, secured.client.app
    with _client(app, "10.1.1.1") as noisy, _client(app, "10.2.2.2") as office:
        for _ in range(lockout.CODE_ADDRESS.max_failures):
            noisy.post("/login", data={"code": s.code["A"][:9] + "-AAAA-AAAA"})  # a right prefix is no target
        assert "锁定" in noisy.post("/login", data={"code": s.code["A"]}).text
        assert office.post("/login", data={"code": s.code["A"]}, follow_redirects=False).status_code == 303
        for _ in range(lockout.CODE_ADDRESS.max_failures):
            noisy.get("/api/my", headers={"Authorization": "Bearer WRONG"})
        assert noisy.get("/api/my", headers={"Authorization": f"Bearer {s.code['B']}"}).status_code == 429
        assert office.get("/api/my", headers={"Authorization": f"Bearer {s.code['B']}"}).status_code == 200


def test_old_failures_and_ended_lockouts_are_deleted(secured, clock):
    s = secured
    for _ in range(lockout.PASSWORD_ADDRESS.max_failures + 2):
        s.client.post("/api/login", json={"password": "wrong-password"})
    clock[0] += lockout.KEEP + 1
    s.client.post("/api/login", json={"password": "wrong-password"})
    db = s.store.db()
    assert db.execute("SELECT COUNT(*) FROM signin_lockouts").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM signin_failures").fetchone()[0] == 2  # the last one: per address and target
