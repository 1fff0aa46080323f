"""Every request authorised on the server: who is calling, whether the route's ``who`` lets them, CSRF, headers.

:func:`protect` wraps each route's handler (``web.route`` applies it), so no handler runs before its caller is
known and allowed; a handler that forgets nothing can still not be reached by the wrong caller. Callers:

- ``Authorization: Bearer <token>``: an agency's access code, or a supervisor token from ``POST /api/login``;
- the session cookie of a page sign-in (then every form and unsafe request carries the session's CSRF token);
- nobody: while no password is set the desk is the single-user tool on the supervisor's own PC (it is only
  served on loopback then), and the caller is the local user with the supervisor's rights.

``who`` of a route: 公开 (anyone, e.g. the sign-in page), 任何人 (any signed-in caller), 本单位 (the supervisor,
or the agency the submission or checked file in the path belongs to), 报送单位 (an agency only), 汇总单位.
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from . import auth

PUBLIC, ANYONE, OWNER, AGENCY, SUPERVISOR = "公开", "任何人", "本单位", "报送单位", "汇总单位"
LOCAL_ACTOR = "本机用户"
COOKIE = "xlgova_session"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class Principal:
    role: str | None  # auth.SUPERVISOR, auth.AGENCY, or None (nobody signed in)
    agency_id: int | None = None
    agency: str | None = None
    via: str = ""  # "local", "cookie", "bearer"
    session: auth.Session | None = None

    @property
    def actor(self) -> str:
        if self.via == "local":
            return LOCAL_ACTOR
        return f"{auth.AGENCY_ACTOR}{self.agency}" if self.role == auth.AGENCY else "汇总单位"

    @property
    def is_supervisor(self) -> bool:
        return self.role == auth.SUPERVISOR


class Denied(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def store_of(request: Request):
    return request.app.state.store


def client_key(request: Request) -> str:
    return request.client.host if request.client else "?"


def _bearer(request: Request) -> Principal:
    store, limiter = store_of(request), request.app.state.token_limiter
    key = client_key(request)
    if limiter.locked_for(key):
        raise Denied("令牌错误次数过多，已暂时锁定，请稍后再试", 429)
    token = request.headers["authorization"].partition(" ")[2].strip()
    s = auth.session(store, token)
    if s is not None and s.kind == "api":
        return Principal(auth.SUPERVISOR, via="bearer", session=s)
    agency = auth.agency_of_code(store, token)
    if agency is not None:
        return Principal(auth.AGENCY, agency["id"], agency["name"], "bearer")
    limiter.failed(key)
    raise Denied("访问令牌无效或已停用", 401)


def authenticate(request: Request) -> Principal:
    store = store_of(request)
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return _bearer(request)
    s = auth.session(store, request.cookies.get(COOKIE, ""))
    if s is not None and s.kind == "cookie":
        if s.role == auth.AGENCY:
            row = store.db().execute("SELECT id FROM agencies WHERE name = ? AND in_roster = 1", (s.agency,)).fetchone()
            if row is None:
                return Principal(None)
            return Principal(auth.AGENCY, row["id"], s.agency, "cookie", s)
        return Principal(auth.SUPERVISOR, via="cookie", session=s)
    if not auth.has_password(store) and not request.app.state.intranet:  # the single-user desk, on loopback only
        return Principal(auth.SUPERVISOR, via="local")
    return Principal(None)


def owns(request: Request, p: Principal) -> bool:
    """Whether an agency owns the submission (``{id}`` under /submissions/) or checked file (``{sha}``) named in
    the path: its own submission, or a file it checked or submitted itself."""
    db = store_of(request).db()
    params = request.path_params
    if "sha" in params:
        sha = str(params["sha"])
        return bool(db.execute("SELECT 1 FROM submissions WHERE sha256 = ? AND agency_id = ?", (sha, p.agency_id)).fetchone()
                    or db.execute("SELECT 1 FROM audit WHERE action = '自查' AND actor = ? AND json_extract(detail, '$.sha256') = ?",
                                  (p.actor, sha)).fetchone())
    row = db.execute("SELECT agency_id FROM submissions WHERE id = ?", (params.get("id"),)).fetchone()
    return row is not None and row["agency_id"] == p.agency_id


def permits(who: str, p: Principal, request: Request) -> bool:
    if who == PUBLIC:
        return True
    if p.role is None:
        return False
    if p.is_supervisor:
        return who != AGENCY
    return who in (ANYONE, AGENCY) or (who == OWNER and owns(request, p))


async def _csrf(request: Request, p: Principal) -> None:
    """A cookie-signed-in browser's unsafe request carries the session's CSRF token: the ``csrf`` form field
    (multipart forms are received here, streamed and capped, before the handler runs) or ``X-CSRF-Token``."""
    from .uploads import receive

    sent = request.headers.get("x-csrf-token")
    ctype = request.headers.get("content-type", "")
    if sent is None and ctype.startswith("multipart/form-data"):
        got = await receive(request, store_of(request).incoming, max_file_bytes=request.app.state.max_upload_bytes)
        request.state.received = got  # web.uploads takes the files from here
        request._form = FormData(list(got.fields.items()))  # a handler reading request.form() gets the fields
        sent = got.fields.get("csrf")
    elif sent is None and ctype.startswith("application/x-www-form-urlencoded"):
        sent = (await request.form()).get("csrf")
    if not (isinstance(sent, str) and hmac.compare_digest(sent.encode(), p.session.csrf.encode())):
        if getattr(request.state, "received", None):
            request.state.received.discard()
        raise Denied("表单已过期或来源不明（缺少有效的安全令牌），请刷新页面后重试", 403)


def _denied(request: Request, e: Denied) -> Response:
    from .web import failure, is_api

    if e.status == 401 and not is_api(request) and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    response = failure(request, e.message, e.status)
    if e.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="xlgova"'
    return response


def protect(endpoint, who: str):
    """``endpoint`` reachable only by the callers ``who`` names; downloads are written to the audit log."""

    async def guarded(request: Request) -> Response:
        try:
            p = authenticate(request)
            request.state.principal = p
            if not permits(who, p, request):
                raise Denied("请先登录" if p.role is None else "无权访问：该页面或数据不属于您的单位", 401 if p.role is None else 403)
            if p.via == "cookie" and request.method in UNSAFE and who != PUBLIC:  # signing in again needs no token
                await _csrf(request, p)
        except Denied as e:
            return _denied(request, e)
        try:
            response = await endpoint(request)
        finally:
            if getattr(request.state, "received", None) is not None:
                request.state.received.discard()  # files not kept by the handler (kept ones were moved already)
        if isinstance(response, FileResponse) and response.status_code == 200:
            _log_download(request, p)
        return response

    guarded.who, guarded.inner = who, endpoint
    guarded.__name__ = guarded.__qualname__ = getattr(endpoint, "__name__", "endpoint")
    return guarded


def _log_download(request: Request, p: Principal) -> None:
    store = store_of(request)
    with store.transaction() as db:
        store.log(db, p.actor, "下载", request.url.path)


def principal(request: Request) -> Principal:
    return getattr(request.state, "principal", None) or Principal(None)


# -- headers on every answer ----------------------------------------------------------------------------
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """CSP without inline script, no framing, no sniffing, no referrer, and private pages never cached."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def add(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control" or static]
                headers += [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"),
                            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add)


def set_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")


def template_context(request: Request) -> dict:
    """What every page knows of its caller: who (for the menu) and the hidden CSRF field for its forms."""
    from markupsafe import Markup, escape

    p = getattr(request.state, "principal", None)
    if p is None:  # a page for a path no route matched (404): the menu still fits the caller
        try:
            p = request.state.principal = authenticate(request)
        except Denied:
            p = Principal(None)
    token = p.session.csrf if p.session is not None and p.via == "cookie" else ""
    field = Markup(f'<input type="hidden" name="csrf" value="{escape(token)}">') if token else Markup("")
    return {"me": p, "csrf_field": field, "signed_in": p.via == "cookie"}
