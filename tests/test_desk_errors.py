"""Every 4xx the desk answers speaks Chinese: the JSON API's ``{"error": …}`` and the page's message, for each
route called with bad input (wrong method, unknown ids, malformed JSON and forms, missing files, bad hashes)."""
from __future__ import annotations

import re

import pytest
from starlette.routing import Route

from desk_secure import secured  # noqa: F401
from xlgova.desk.app import ROUTES

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_BODIES = ({"content": b"{not json", "headers": {"Content-Type": "application/json"}},
              {"data": {"agency_id": "x", "comment": "c" * 10, "deadline": "明天", "address": "ftp://x"}},
              {"files": {"file": ("a.txt", b"\0\1\2")}},
              {"content": b"\xff\xfe", "headers": {"Content-Type": "multipart/form-data; boundary=zz"}})


def _concrete(path: str, ident: str) -> str:
    return path.replace("{id:int}", ident).replace("{sha}", "0" * 64).replace("{suffix}", "xlsx")


def _message(r) -> str:
    if r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        if "error" in body:
            return body["error"]
        why = body.get("unusable") or []  # the 422 of /api/check: why the file could not be read, per source
        return "；".join(u["error"] if isinstance(u, dict) else str(u) for u in why) if isinstance(why, list) else str(why)
    m = re.search(r'<p class="problem" role="alert">(.*?)</p>', r.text, re.S)
    if m:
        return m.group(1)
    m = re.search(r'class="(?:error|problem)[^"]*"[^>]*>(.*?)<', r.text, re.S)  # a form shown again with its error
    return m.group(1) if m else r.text[:200]


def _calls(s, who):
    for path in ("/no-such-page", "/api/no-such", "/submissions/abc/file", "/static/../desk.sqlite3"):
        yield "GET", path, {}
    for route in (r for r in ROUTES if isinstance(r, Route)):
        for ident in ("999999", str(s.submission["B" if who == "A" else "A"])):
            path = _concrete(route.path, ident)
            for method in ("GET", "POST", "PUT"):
                bodies = BAD_BODIES if method == "POST" else ({},)
                for body in bodies:
                    yield method, path, body


@pytest.mark.slow
@pytest.mark.parametrize("who", ["supervisor", "A", "anonymous"])
def test_every_4xx_answer_is_in_chinese(secured, who):
    s, wrong, seen = secured, [], 0
    for method, path, body in _calls(s, who):
        if path.endswith("logout"):
            continue
        headers = {**s.bearer(who), **body.get("headers", {})}
        r = s.client.request(method, path, headers=headers, follow_redirects=False,
                             **{k: v for k, v in body.items() if k != "headers"})
        assert r.status_code < 500, (method, path, r.status_code, r.text[:300])
        if 400 <= r.status_code < 500:
            seen += 1
            text = _message(r)
            if not CJK.search(text):
                wrong.append((who, method, path, r.status_code, text[:80]))
    assert seen > 50 and not wrong, "\n".join(sorted({f"{w[3]} {w[4]}" for w in wrong}))
