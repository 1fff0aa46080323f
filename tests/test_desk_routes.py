"""Every route of the desk states who may call it, and every route answers a request with missing or wrong
input with a Chinese message and a 4xx — never a 5xx (the matrix issue 18 will tighten with sign-in)."""
from __future__ import annotations

import pytest
from starlette.routing import Route

from desk_support import desk  # noqa: F401
from xlgova.desk.app import ROUTES

ROUTE_LIST = [r for r in ROUTES if isinstance(r, Route)]
WHO = {"公开", "任何人", "本单位", "报送单位", "汇总单位"}


def test_every_route_says_who_may_call_it():
    """Which callers each route lets in is asserted exactly in tests/test_desk_authz.py."""
    for r in ROUTE_LIST:
        assert r.endpoint.who in WHO, r.path


def _concrete(path: str) -> str:
    return path.replace("{id:int}", "7").replace("{sha}", "a" * 64).replace("{suffix}", "xlsx")


@pytest.mark.parametrize("route", ROUTE_LIST, ids=lambda r: r.path)
def test_every_route_answers_bad_or_missing_input_without_a_server_error(desk, route):
    for method in sorted(route.methods - {"HEAD"}):
        r = desk.request(method, _concrete(route.path), follow_redirects=False)
        assert r.status_code < 500, (method, route.path, r.text[:300])
        if r.status_code >= 400:
            text = r.json()["error"] if route.path.startswith("/api/") else r.text
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text), (route.path, text[:200])


def test_every_api_route_is_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "desk.md").read_text(encoding="utf-8")
    for r in ROUTE_LIST:
        if r.path.startswith("/api/"):
            shown = r.path.replace("{id:int}", "{id}")
            assert f"`{method_of(r)} {shown}`" in doc or f"`GET {shown}`" in doc, shown


def method_of(route: Route) -> str:
    return "POST" if "POST" in route.methods else "GET"
