"""Every route of the desk, for every kind of caller: exactly the allowed set gets past authorisation.

The route list comes from the application itself, and the expected table below must name every route: a new
route cannot be added without deciding here who may call it.
"""
from __future__ import annotations

import pytest
from starlette.routing import Mount, Route

from desk_secure import secured  # noqa: F401
from xlgova.desk.app import ROUTES

ALL, SIGNED, OWN, AGENCIES, SUP = {"anonymous", "A", "B", "supervisor"}, {"A", "B", "supervisor"}, {"A", "supervisor"}, {"A", "B"}, {"supervisor"}
CALLERS = ("anonymous", "A", "B", "supervisor")
EXPECTED = {
    "/": SIGNED, "/check": SIGNED, "/login": ALL, "/logout": SIGNED, "/api/login": ALL, "/api/logout": SIGNED,
    "/checked/{sha}.{suffix}": OWN, "/checked/{sha}.{suffix}/marked": OWN, "/checked/{sha}.{suffix}/word": OWN,
    "/my": AGENCIES, "/my/submit": AGENCIES, "/my/contact": AGENCIES, "/api/my": AGENCIES,
    "/api/check": SIGNED, "/api/submissions": SIGNED,
    "/submissions/{id:int}/file": OWN, "/submissions/{id:int}/marked": OWN, "/submissions/{id:int}/word": OWN,
    "/submissions/{id:int}/notice.docx": OWN, "/api/submissions/{id:int}": OWN, "/api/submissions/{id:int}/notice.docx": OWN,
    "/progress": SUP, "/roster": SUP, "/roster/add": SUP, "/roster/{id:int}/remove": SUP, "/settings": SUP, "/receive": SUP,
    "/agency/{id:int}": SUP, "/submissions/{id:int}/assign": SUP, "/submissions/{id:int}/return": SUP,
    "/submissions/{id:int}/accept": SUP, "/reminders": SUP, "/reminders.xlsx": SUP, "/summary": SUP, "/summary.xlsx": SUP,
    "/summary/templates.zip": SUP, "/summary/word.zip": SUP, "/audit": SUP, "/api/roster": SUP, "/api/status": SUP,
    "/api/submissions/{id:int}/assign": SUP, "/api/submissions/{id:int}/return": SUP, "/api/submissions/{id:int}/accept": SUP,
    "/api/consolidate": SUP, "/api/summary.xlsx": SUP, "/api/reminders.xlsx": SUP,
    "/codes": SUP, "/codes/notices": SUP, "/codes/address": SUP, "/codes/{id:int}/rotate": SUP, "/codes/{id:int}/revoke": SUP,
    "/codes/{id:int}/contact": SUP,
}
ROUTE_LIST = [r for r in ROUTES if isinstance(r, Route)]


def test_the_table_names_every_route_and_nothing_else():
    assert {r.path for r in ROUTE_LIST} == set(EXPECTED)
    assert [r.path for r in ROUTES if not isinstance(r, Route)] == ["/static"]
    assert all(isinstance(r, Mount) and r.path == "/static" for r in ROUTES if not isinstance(r, Route))


def _concrete(s, path: str) -> str:
    if "/agency/" in path:
        ident = s.agency_id["A"]
    elif path.startswith(("/roster/", "/codes/")):
        ident = s.agency_id["C"]
    else:
        ident = s.submission["A"]
    return path.replace("{id:int}", str(ident)).replace("{sha}", s.checked_sha).replace("{suffix}", "xlsx")


def _passed(r) -> bool:
    """Past authorisation: neither refused (401/403) nor sent to sign in."""
    if r.status_code in (401, 403):
        return False
    return not (r.status_code == 303 and r.headers["location"].startswith("/login?next="))


@pytest.mark.slow
def test_every_route_lets_in_exactly_its_callers(secured):
    s, wrong = secured, []
    order = sorted(ROUTE_LIST, key=lambda r: ("logout" in r.path, r.path))
    for route in order:
        for method in sorted(route.methods - {"HEAD"}):
            for who in CALLERS:
                s.client.cookies.clear()
                r = s.client.request(method, _concrete(s, route.path), headers=s.bearer(who), follow_redirects=False)
                assert r.status_code < 500, (method, route.path, who, r.text[:300])
                if _passed(r) != (who in EXPECTED[route.path]):
                    wrong.append((method, route.path, who, r.status_code))
                if "logout" in route.path:
                    s.token = ""
    assert not wrong


def test_agency_b_cannot_reach_agency_a_by_any_id(secured):
    s = secured
    b = s.bearer("B")
    for path in (f"/api/submissions/{s.submission['A']}", f"/submissions/{s.submission['A']}/file",
                 f"/checked/{s.checked_sha}.xlsx", f"/api/submissions/{s.submission['A'] + 100}"):
        assert s.client.get(path, headers=b).status_code == 403, path
    mine = s.client.get("/api/my", headers=b).json()
    assert [v["id"] for v in mine["versions"]] == [s.submission["B"]]
    assert s.client.get(f"/api/submissions/{s.submission['B']}", headers=b).status_code == 200


def test_an_agency_submits_as_itself_whatever_its_cover_says(secured):
    from desk_support import agencies, files, workbook

    s = secured
    other = workbook(s.tmp / "x", agencies()[NAMES_B][0], 5)  # B's name on the cover, sent with A's code
    got = s.client.post("/api/submissions", files=files(other), headers=s.bearer("A")).json()["submissions"][0]
    assert got["agency_id"] == s.agency_id["A"] and got["version"] == 2
    assert "不一致" in got["match"]
    b = s.client.get("/api/my", headers=s.bearer("B")).json()
    assert len(b["versions"]) == 1


NAMES_B = 2


def test_a_file_an_agency_sent_never_moves_to_another_agency_when_the_roster_changes(secured):
    """A's file with B's name on its cover stayed A's; a new roster without A once re-matched it by its cover
    and gave it to B, who could then read it."""
    import csv

    from desk_support import agencies, files, workbook

    s = secured
    other = workbook(s.tmp / "x", agencies()[NAMES_B][0], 5)
    sent = s.client.post("/api/submissions", files=files(other), headers=s.bearer("A")).json()["submissions"][0]["id"]
    roster = s.tmp / "无A名单.csv"
    with open(roster, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([("单位名称", "单位层级")] + [a for i, a in enumerate(agencies()) if i != 1])
    assert s.client.post("/api/roster", files=files(roster), headers=s.bearer("supervisor")).status_code == 200
    row = s.store.db().execute("SELECT agency_id FROM submissions WHERE id = ?", (sent,)).fetchone()
    assert row["agency_id"] == s.agency_id["A"]
    b = s.client.get("/api/my", headers=s.bearer("B")).json()
    assert [v["id"] for v in b["versions"]] == [s.submission["B"]]
    assert s.client.get(f"/api/submissions/{sent}", headers=s.bearer("B")).status_code == 403
    assert s.client.get(f"/submissions/{sent}/file", headers=s.bearer("B")).status_code == 403
