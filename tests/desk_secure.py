"""A desk with a password set and two agencies (A, B) holding codes — for the sign-in and authorisation tests."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pytest

from desk_support import BASE, agencies, files, roster_csv, workbook

PASSWORD = "县政务公开办-2024-口令"


@dataclass
class Secured:
    client: object
    store: object
    tmp: object
    code: dict = field(default_factory=dict)  # "A"/"B" -> access code
    agency_id: dict = field(default_factory=dict)  # "A"/"B"/"C" -> agency id
    submission: dict = field(default_factory=dict)  # "A"/"B" -> submission id
    checked_sha: str = ""  # a file A checked on 自查
    token: str = ""  # the supervisor's API token (signed in once, again after a sign-out)

    def bearer(self, who: str) -> dict:
        if who == "anonymous":
            return {}
        if who == "supervisor":
            if not self.token:
                r = self.client.post("/api/login", json={"password": PASSWORD})
                assert r.status_code == 200, r.text
                self.token = r.json()["token"]
            return {"Authorization": f"Bearer {self.token}"}
        return {"Authorization": f"Bearer {self.code[who]}"}


NAMES = {"A": 1, "B": 2, "C": 3}  # index into desk_support.agencies()


@pytest.fixture
def secured(tmp_path):
    from starlette.testclient import TestClient

    from xlgova.desk import auth, create_app

    app = create_app(tmp_path / "ws")
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        assert client.post("/api/roster", files=files(roster_csv(tmp_path))).status_code == 200
        store = app.state.store
        auth.set_password(store, PASSWORD, "测试")
        s = Secured(client, store, tmp_path)
        rows = {r["agency"]: r for r in auth.codes(store)}
        for key, i in NAMES.items():
            name = agencies()[i][0]
            s.agency_id[key] = rows[name]["agency_id"]
            s.code[key] = rows[name]["code"]
        for key in ("A", "B"):
            path = workbook(tmp_path / key, agencies()[NAMES[key]][0], NAMES[key])
            r = client.post("/api/submissions", files=files(path), headers=s.bearer(key))
            assert r.status_code == 200, r.text
            s.submission[key] = r.json()["submissions"][0]["id"]
        own = workbook(tmp_path / "selfcheck", agencies()[1][0], 9)
        assert client.post("/api/check", files=files(own), headers=s.bearer("A")).status_code == 200
        s.checked_sha = hashlib.sha256(own.read_bytes()).hexdigest()
        client.cookies.clear()
        yield s
    app.state.store.close()


def csrf_of(html: str) -> str:
    import re

    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


def sign_in(client, *, code: str = "", password: str = "") -> str:
    """Sign in through the page as a browser does; returns the session's CSRF token."""
    client.cookies.clear()
    r = client.post("/login", data={"code": code} if code else {"password": password}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    page = client.get(r.headers["location"])
    assert page.status_code == 200
    return csrf_of(page.text)
