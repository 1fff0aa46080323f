"""Sign-in and sign-out, an agency's own page (我的报送), and the supervisor's access codes and 报送通知."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from . import auth, review, service
from .deadline import overdue
from .access import COOKIE, client_key, principal, set_cookie
from .uploads import UploadError
from .web import actor, failure, page, store_of, uploads


# -- sign-in --------------------------------------------------------------------------------------------
def _next(target: str, role: str) -> str:
    default = "/my" if role == auth.AGENCY else "/progress"
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) and target != "/login" else default


async def _attempt(request: Request, password: str, code: str) -> tuple[str, str | None] | str:
    """(role, agency) on success, else the Chinese reason. Failures count towards the lockout."""
    store = store_of(request)
    limiter = request.app.state.limiter if password else request.app.state.code_limiter
    account = "supervisor" if password else "code"
    key = client_key(request)
    wait = limiter.locked_for(key)
    if wait:
        return f"登录失败次数过多，已锁定，请 {max(1, wait // 60)} 分钟后再试"
    if password:
        ok = auth.has_password(store) and await run_in_threadpool(auth.check_password, store, password)
        found = (auth.SUPERVISOR, None) if ok else None
    else:
        agency = auth.agency_of_code(store, code)
        found = (auth.AGENCY, agency["name"]) if agency else None
    with store.transaction() as db:
        store.log(db, "汇总单位" if password else (f"{auth.AGENCY_ACTOR}{found[1]}" if found else "未知"), "登录" if found else "登录失败",
                  "", {"client": client_key(request), "account": account})
    if found is None:
        limiter.failed(key)
        return "密码错误" if password else "访问码无效或已停用"
    limiter.succeeded(key)
    return found


async def login_page(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "login.html", code=request.query_params.get("code", ""), next=request.query_params.get("next", ""),
                    error=None, has_password=auth.has_password(store_of(request)))
    form = await request.form()
    password, code = str(form.get("password", "")), str(form.get("code", ""))
    if not (password or code.strip()):
        return page(request, "login.html", 400, code="", next=str(form.get("next", "")), error="请输入密码或访问码", has_password=True)
    got = await _attempt(request, password, code)
    if isinstance(got, str):
        status = 429 if "锁定" in got else 401
        return page(request, "login.html", status, code="", next=str(form.get("next", "")), error=got, has_password=True)
    old = auth.session(store_of(request), request.cookies.get(COOKIE, ""))
    if old is not None:
        auth.close_session(store_of(request), old.token_hash)
    token, _ = auth.open_session(store_of(request), got[0], got[1], "cookie")
    response = RedirectResponse(_next(str(form.get("next", "")), got[0]), status_code=303)
    set_cookie(request, response, token)
    return response


async def logout(request: Request) -> Response:
    p = principal(request)
    if p.session is not None:
        auth.close_session(store_of(request), p.session.token_hash)
        with store_of(request).transaction() as db:
            store_of(request).log(db, p.actor, "退出登录")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"signed_out": p.session is not None})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def api_login(request: Request) -> Response:
    """``{"password": …}`` → ``{"token": …}`` for ``Authorization: Bearer``."""
    try:
        body = await request.json()
        password = str(body["password"])
    except (ValueError, KeyError, TypeError):
        raise UploadError("请求内容应为 JSON，例如 {\"password\": \"…\"}") from None
    got = await _attempt(request, password, "") if password else "请输入密码"
    if isinstance(got, str):
        return failure(request, got, 429 if "锁定" in got else 401)
    token, _ = auth.open_session(store_of(request), auth.SUPERVISOR, None, "api")
    return JSONResponse({"token": token, "idle_seconds": auth.IDLE, "lifetime_seconds": auth.LIFETIME})


# -- an agency's own page --------------------------------------------------------------------------------
def my_view(store, agency_id: int) -> dict:
    view = review.agency_view(store, agency_id)
    versions = [{**{k: v.row[k] for k in ("id", "version", "filename", "received_at", "errors", "warnings", "unusable", "match_note")},
                 "state": v.state, "decisions": [{k: d[k] for k in ("decision", "comment", "at")} | {"notice": bool(d["notice_sha256"])}
                                                  for d in v.decisions]} for v in view.versions]
    state = versions[0]["state"] if versions else service.NOT_SUBMITTED
    deadline = store.setting("deadline")
    mine = auth.contacts(store).get(view.agency["name"], {})
    return {"agency": view.agency["name"], "state": state, "deadline": deadline, "overdue": overdue(deadline, state),
            "contact": store.setting("contact"), "person": mine.get("person", ""), "phone": mine.get("phone", ""), "versions": versions}


async def my_page(request: Request) -> Response:
    store, p = store_of(request), principal(request)
    data = await run_in_threadpool(my_view, store, p.agency_id)
    lines = checked = None
    if data["versions"]:
        top = store.db().execute("SELECT * FROM submissions WHERE id = ?", (data["versions"][0]["id"],)).fetchone()
        checked = await run_in_threadpool(service.check_path, service.stored_path(store, top), top["filename"])
        if data["state"] == service.RETURNED:
            lines = await run_in_threadpool(review.notice_lines_for, store, {**dict(top), "agency": data["agency"]})
    return page(request, "my.html", my=data, lines=lines, checked=checked)


async def my_submit(request: Request) -> Response:
    got, files = await uploads(request, max_files=1)
    await run_in_threadpool(service.receive, store_of(request), files, actor(request), principal(request).agency_id)
    return RedirectResponse("/my", status_code=303)


async def my_contact(request: Request) -> Response:
    """An agency names its own contact person and phone (shown on the supervisor's 催报 list)."""
    form = await request.form()
    p = principal(request)
    auth.set_contact(store_of(request), p.agency, str(form.get("person", "")), str(form.get("phone", "")), actor(request))
    return RedirectResponse("/my", status_code=303)


async def api_my(request: Request) -> Response:
    return JSONResponse(await run_in_threadpool(my_view, store_of(request), principal(request).agency_id))


# -- access codes and 报送通知 ------------------------------------------------------------------------------
def _address(request: Request) -> str:
    return store_of(request).setting("address") or str(request.base_url)


async def codes_page(request: Request) -> Response:
    rows = await run_in_threadpool(auth.codes, store_of(request))
    return page(request, "codes.html", rows=rows, address=_address(request), printable=request.url.path.endswith("/notices"),
                contact=store_of(request).setting("contact"))


def _agency_name(request: Request) -> str:
    row = store_of(request).db().execute("SELECT name FROM agencies WHERE id = ?", (request.path_params["id"],)).fetchone()
    if row is None:
        raise UploadError("名单中没有该单位", 404)
    return row["name"]


async def code_change(request: Request) -> Response:
    name, store = _agency_name(request), store_of(request)
    if request.url.path.endswith("/revoke"):
        auth.revoke(store, name, actor(request))
    elif request.url.path.endswith("/contact"):
        form = await request.form()
        auth.set_contact(store, name, str(form.get("person", "")), str(form.get("phone", "")), actor(request))
    else:
        auth.rotate(store, name, actor(request))
    return RedirectResponse("/codes", status_code=303)


async def address_setting(request: Request) -> Response:
    form = await request.form()
    address = str(form.get("address", "")).strip()[:200]
    if address and not address.startswith(("http://", "https://")):
        raise UploadError("报送台地址应以 http:// 或 https:// 开头")
    store = store_of(request)
    with store.transaction() as db:
        store.set_setting(db, "address", address.rstrip("/") + "/" if address else "")
        store.log(db, actor(request), "修改设置", "", {"address": address})
    return RedirectResponse("/codes", status_code=303)
