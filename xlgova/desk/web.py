"""What every handler shares: the store, the caller, pages and JSON errors, uploads, downloads, routes.

Every route declares who may call it (``who``: 公开, 任何人, 本单位, 报送单位, 汇总单位 — see ``access.py``);
:func:`route` wraps the handler with :func:`access.protect`, so the caller is authenticated and the route's
``who`` checked on the server before the handler runs. :func:`actor` names the caller for the audit log.
"""
from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from ..errors import XlgovaError
from ..safeio import shown
from . import access
from .access import ANYONE, SUPERVISOR  # noqa: F401 (the route callers, for app.py)
from .store import Store
from ..loaders import DOCUMENT_SUFFIXES, suffix_words
from .uploads import UploadError, receive

HERE = Path(__file__).parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
templates = Jinja2Templates(directory=str(HERE / "templates"), context_processors=[access.template_context])
# Every value a page shows passes through safeio.shown before escaping: an agency name holding ESC or a bidi
# override, or a file name's undecodable bytes, reach the browser as visible stand-ins (␛, <U+202E>, <0xBA>).
templates.env.finalize = lambda value: shown(value, lines=True) if isinstance(value, str) else value
# What the file pickers offer: filled workbooks and every published-report suffix the importer reads (one list).
templates.env.globals["report_accept"] = ",".join((".xlsx", ".xlsm") + tuple(s for s in DOCUMENT_SUFFIXES if s != ".text"))
templates.env.globals["document_words"] = suffix_words()

def actor(request: Request) -> str:
    """Who is calling, for the audit log (authenticated by :func:`access.protect` before the handler ran)."""
    return access.principal(request).actor


def store_of(request: Request) -> Store:
    return request.app.state.store


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def page(request: Request, template: str, status_code: int = 200, **context) -> Response:
    store = store_of(request)
    context.update(title=store.setting("title") or "政府信息公开工作年度报告报送台", deadline=store.setting("deadline"))
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def failure(request: Request, message: str, status_code: int) -> Response:
    if is_api(request):
        return JSONResponse({"error": message}, status_code=status_code)
    return page(request, "error.html", status_code, message=message)


async def uploads(request: Request, *, max_files: int | None = None):
    store = store_of(request)
    got = getattr(request.state, "received", None)  # already received by the CSRF check of a signed-in form
    if got is None:
        got = await receive(request, store.incoming, max_file_bytes=request.app.state.max_upload_bytes, **({"max_files": max_files} if max_files else {}))
    elif max_files and len(got.files) > max_files:
        got.discard()
        raise UploadError(f"一次最多上传 {max_files} 个文件，请分批上传", 413)
    files = [f for f in got.files if f.size or f.name != "未命名文件"]
    if not files:
        got.discard()
        raise UploadError("没有收到文件：请选择或拖入文件（表单字段名 file）")
    return got, files


def download(path: Path, filename: str, media_type: str) -> FileResponse:
    return FileResponse(path, media_type=media_type, filename=filename, headers={"Cache-Control": "no-store"})



def route(path: str, endpoint, methods=("GET",), who: str = SUPERVISOR) -> Route:
    """A route only the callers ``who`` names can reach (checked on the server by :func:`access.protect`)."""
    return Route(path, access.protect(endpoint, who), methods=list(methods))


async def handle_xlgova(request: Request, exc: XlgovaError) -> Response:
    text = str(exc)
    code = 404 if text.startswith(("没有该", "尚未汇总")) else 409 if "请对最新版本" in text else 422
    return failure(request, text, code)


async def handle_upload(request: Request, exc: UploadError) -> Response:
    return failure(request, exc.message, exc.status)


HTTP_WORDS = {400: "请求内容无法解析（表单或上传的数据不完整或格式不对），请刷新页面后重试", 404: "没有该页面",
              405: "不支持该请求方法", 413: "上传的内容太大", 415: "不支持该内容类型", 429: "请求过于频繁，请稍后再试"}


async def handle_http(request: Request, exc) -> Response:
    """Starlette's own refusals (an unknown path, a wrong method, a malformed form) in Chinese: its English
    detail is never shown."""
    detail = exc.detail if isinstance(exc.detail, str) and any("\u4e00" <= ch <= "\u9fff" for ch in exc.detail) else ""
    return failure(request, detail or HTTP_WORDS.get(exc.status_code, f"请求无效（HTTP {exc.status_code}）"), exc.status_code)


async def handle_server(request: Request, exc: Exception) -> Response:
    logging.getLogger("xlgova.desk").error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return failure(request, "报送台内部错误，本次操作未完成（已接收的文件不受影响）。请重试；如仍出错，请把工作区的 desk.log 发给维护人员。", 500)




LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class LocalOnly:
    """Requests must name the desk's own loopback host, and a form or API call must not come from another
    site: a web page the supervisor happens to open cannot submit, return or accept anything through the
    browser (cross-site requests), nor reach the desk under another name (DNS rebinding)."""

    def __init__(self, app, hosts: tuple[str, ...] | None = LOOPBACK_HOSTS):
        self.app, self.hosts = app, hosts  # None: any host name (the desk on an intranet, sign-in required)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            host = headers.get("host", "")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            origin = headers.get("origin")
            bad = self.hosts is not None and name not in self.hosts
            if not bad and scope["method"] in UNSAFE and origin not in (None, "null"):
                bad = origin.split("://", 1)[-1] != host
            if not bad and scope["method"] in UNSAFE:
                bad = headers.get("sec-fetch-site") == "cross-site"
            if bad:
                response = JSONResponse({"error": "拒绝访问：报送台只接受本机浏览器直接发出的请求"}, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
