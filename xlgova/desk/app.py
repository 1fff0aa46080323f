"""The desk's HTTP side: each handler parses the request, calls one library function, renders a template or
JSON — like a CLI command. Pages are server-rendered forms; the only script is the drop zone (static/desk.js).

Every route declares who may call it (``who``: 任何人 = any clerk, 汇总单位 = the supervisor). The desk is a
single-user tool on loopback today, so :func:`actor` names the local user and nothing is refused; signing in
(issue 18) is one check in :func:`actor` against the declared ``who``.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..model import XlgovaError
from . import outputs, review, service
from .store import Store
from .uploads import MAX_FILE_BYTES, UploadError, receive

HERE = Path(__file__).parent
ANYONE, SUPERVISOR = "任何人", "汇总单位"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
templates = Jinja2Templates(directory=str(HERE / "templates"))


def actor(request: Request) -> str:
    """Who is calling, for the audit log (the place where issue 18's sign-in will check the route's ``who``)."""
    return service.LOCAL_ACTOR


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
    got = await receive(request, store.incoming, max_file_bytes=request.app.state.max_upload_bytes, **({"max_files": max_files} if max_files else {}))
    files = [f for f in got.files if f.size or f.name != "未命名文件"]
    if not files:
        got.discard()
        raise UploadError("没有收到文件：请选择或拖入文件（表单字段名 file）")
    return got, files


def download(path: Path, filename: str, media_type: str) -> FileResponse:
    return FileResponse(path, media_type=media_type, filename=filename, headers={"Cache-Control": "no-store"})


# -- 自查 -------------------------------------------------------------------------------------------
async def api_check(request: Request) -> Response:
    got, files = await uploads(request, max_files=1)
    checked = await run_in_threadpool(service.check_upload, store_of(request), files[0], actor(request))
    return JSONResponse(checked.to_json(), status_code=200 if checked.report is not None else 422)


async def check_page(request: Request) -> Response:
    if request.method == "GET":
        return page(request, "check.html", checked=None)
    got, files = await uploads(request, max_files=1)
    up = files[0]
    await run_in_threadpool(service.check_upload, store_of(request), up, actor(request))
    return RedirectResponse(f"/checked/{up.sha256}{service.safe_suffix(up.name)}?name={quote(up.name)}", status_code=303)


def _blob(request: Request) -> tuple[str, str, str]:
    sha, suffix = request.path_params["sha"], request.path_params.get("suffix", "")
    suffix = f".{suffix}" if suffix else ""
    if not (len(sha) == 64 and all(c in "0123456789abcdef" for c in sha)) or not store_of(request).blob_path(sha, suffix).is_file():
        raise XlgovaError("没有该文件（链接已失效）")
    return sha, suffix, request.query_params.get("name") or f"报告{suffix}"


async def checked_page(request: Request) -> Response:
    from .views import html_tables, previous_rows

    sha, suffix, name = _blob(request)
    checked = await run_in_threadpool(service.check_path, store_of(request).blob_path(sha, suffix), name)
    tables = prev = None
    if checked.report is not None:
        tables, prev = html_tables(checked.report, checked.result), previous_rows(checked.report, checked.result)
    return page(request, "check.html", 200 if checked.report is not None else 422, checked=checked, tables=tables,
                previous=prev, link=f"/checked/{sha}{suffix}", name=name, quoted=quote(name), workbook=suffix in (".xlsx", ".xlsm"))


async def checked_marked(request: Request) -> Response:
    sha, suffix, name = _blob(request)
    path = await run_in_threadpool(outputs.marked_copy, store_of(request), sha, suffix, name)
    return download(path, f"{Path(name).stem}（已标注）{suffix}", XLSX)


async def checked_word(request: Request) -> Response:
    sha, suffix, name = _blob(request)
    path, draft = await run_in_threadpool(outputs.word_report, store_of(request), sha, suffix, name)
    return download(path, f"{Path(name).stem}{'（草稿）' if draft else ''}.docx", DOCX)


# -- receiving and the roster -----------------------------------------------------------------------
async def api_submissions(request: Request) -> Response:
    got, files = await uploads(request)
    answers = await run_in_threadpool(service.receive, store_of(request), files, actor(request))
    return JSONResponse({"submissions": answers})


async def receive_page(request: Request) -> Response:
    got, files = await uploads(request)
    answers = await run_in_threadpool(service.receive, store_of(request), files, actor(request))
    return page(request, "received.html", answers=answers)


async def api_roster(request: Request) -> Response:
    got, files = await uploads(request, max_files=1)
    n = await run_in_threadpool(_roster, request, files[0])
    return JSONResponse({"agencies": n})


async def roster_page(request: Request) -> Response:
    got, files = await uploads(request, max_files=1)
    await run_in_threadpool(_roster, request, files[0])
    return RedirectResponse("/progress", status_code=303)


def _roster(request: Request, up) -> int:
    store = store_of(request)
    path = store.keep(up.path, up.sha256, service.safe_suffix(up.name))
    return service.import_roster(store, path, up.name, actor(request))


async def roster_add(request: Request) -> Response:
    form = await request.form()
    service.add_agency(store_of(request), str(form.get("name", "")), str(form.get("code", "")), str(form.get("level", "")), actor(request))
    return RedirectResponse("/progress", status_code=303)


async def roster_remove(request: Request) -> Response:
    service.remove_agency(store_of(request), int(request.path_params["id"]), actor(request))
    return RedirectResponse("/progress", status_code=303)


async def settings_page(request: Request) -> Response:
    form = await request.form()
    store = store_of(request)
    with store.transaction() as db:
        for key in ("deadline", "contact", "sender"):
            if key in form:
                store.set_setting(db, key, str(form[key]).strip()[:200])
        store.log(db, actor(request), "修改设置", "", {k: str(form[k])[:200] for k in form})
    return RedirectResponse("/progress", status_code=303)


# -- 进度, 单位, 催报 -----------------------------------------------------------------------------------
async def api_status(request: Request) -> Response:
    rows = await run_in_threadpool(service.status, store_of(request))
    keys = ("agency", "level", "state", "errors", "warnings", "version", "submission", "code", "in_roster", "received_at")
    return JSONResponse({"agencies": [{k: r[k] for k in keys} for r in rows], "unmatched": service.unmatched(store_of(request))})


def _filtered(request: Request, rows: list[dict]) -> list[dict]:
    state, level, q = (request.query_params.get(k, "") for k in ("state", "level", "q"))
    return [r for r in rows if (not state or r["state"] == state) and (not level or r["level"] == level) and (not q or q in r["agency"])]


async def progress_page(request: Request) -> Response:
    store = store_of(request)
    rows = service.status(store)
    shown = _filtered(request, rows)
    levels = sorted({r["level"] for r in rows}, key=service.level_order)
    tree = [(lv, [r for r in shown if r["level"] == lv]) for lv in levels]
    return page(request, "progress.html", rows=rows, tree=[t for t in tree if t[1]], counts=service.counts(rows), states=service.STATES,
                levels=levels, unmatched=service.unmatched(store), query=dict(request.query_params), shown=len(shown),
                contact=store.setting("contact"), sender=store.setting("sender"), level_choices=LEVEL_CHOICES)


LEVEL_CHOICES = ("县级政府", "县级部门", "乡镇", "街道", "其他")


async def agency_page(request: Request) -> Response:
    from .views import html_tables, previous_rows

    version = request.query_params.get("version")
    view = await run_in_threadpool(review.agency_view, store_of(request), int(request.path_params["id"]), int(version) if version and version.isdigit() else None)
    cur = view.current
    tables = prev = lines = None
    if cur is not None and cur.report is not None:
        tables, prev = html_tables(cur.report, cur.result), previous_rows(cur.report, cur.result)
    if view.versions:
        top = {**view.versions[0].row, "agency": view.agency["name"]}
        lines = await run_in_threadpool(review.notice_lines_for, store_of(request), top)
    return page(request, "agency.html", view=view, checked=cur, tables=tables, previous=prev, lines=lines)


async def _decide(request: Request, decision: str) -> dict:
    if is_api(request):
        try:
            body = await request.json() if await request.body() else {}
        except ValueError:
            raise UploadError("请求内容应为 JSON，例如 {\"comment\": \"…\"}") from None
        comment = str(body.get("comment", "")) if isinstance(body, dict) else ""
    else:
        comment = str((await request.form()).get("comment", ""))
    if len(comment) > 5000:
        raise UploadError("审核意见过长（最多 5000 字）", 413)
    return await run_in_threadpool(review.decide, store_of(request), int(request.path_params["id"]), decision, comment, actor(request))


async def return_route(request: Request) -> Response:
    done = await _decide(request, "returned")
    return JSONResponse(done) if is_api(request) else RedirectResponse(f"/agency/{_agency_id(request)}", status_code=303)


async def accept_route(request: Request) -> Response:
    done = await _decide(request, "accepted")
    return JSONResponse(done) if is_api(request) else RedirectResponse(f"/agency/{_agency_id(request)}", status_code=303)


def _agency_id(request: Request) -> int:
    row = store_of(request).db().execute("SELECT agency_id FROM submissions WHERE id = ?", (int(request.path_params["id"]),)).fetchone()
    return row["agency_id"]


def _submission(request: Request):
    row = store_of(request).db().execute("SELECT * FROM submissions WHERE id = ?", (int(request.path_params["id"]),)).fetchone()
    if row is None:
        raise XlgovaError("没有该报送记录")
    return row


async def api_submission(request: Request) -> Response:
    row = _submission(request)
    ds = [dict(d) for d in store_of(request).db().execute("SELECT decision, comment, at, actor, notice_sha256 FROM decisions WHERE submission_id = ? ORDER BY id", (row["id"],))]
    import json

    data = {k: row[k] for k in row.keys() if k != "result_json"}
    return JSONResponse({**data, "decisions": ds, "check": json.loads(row["result_json"])})


async def submission_file(request: Request) -> Response:
    row = _submission(request)
    return download(service.stored_path(store_of(request), row), row["filename"], "application/octet-stream")


async def submission_marked(request: Request) -> Response:
    row = _submission(request)
    path = await run_in_threadpool(outputs.marked_copy, store_of(request), row["sha256"], row["suffix"], row["filename"])
    return download(path, f"{Path(row['filename']).stem}（已标注）{row['suffix']}", XLSX)


async def submission_word(request: Request) -> Response:
    row = _submission(request)
    path, draft = await run_in_threadpool(outputs.word_report, store_of(request), row["sha256"], row["suffix"], row["filename"])
    return download(path, f"{Path(row['filename']).stem}{'（草稿）' if draft else ''}.docx", DOCX)


async def notice_docx(request: Request) -> Response:
    path, filename = review.notice_file(store_of(request), int(request.path_params["id"]))
    return download(path, filename, DOCX)


async def reminders_page(request: Request) -> Response:
    rows = service.reminders(service.status(store_of(request)))
    return page(request, "reminders.html", rows=rows, contact=store_of(request).setting("contact"))


async def reminders_xlsx(request: Request) -> Response:
    store = store_of(request)
    path = await run_in_threadpool(outputs.reminders_xlsx, store, service.reminders(service.status(store)))
    return download(path, "催报名单.xlsx", XLSX)


# -- 汇总 -------------------------------------------------------------------------------------------
async def summary_page(request: Request) -> Response:
    store = store_of(request)
    if request.method == "POST":
        form = await request.form()
        await run_in_threadpool(outputs.run_consolidation, store, form.get("accepted_only") == "1", actor(request))
        return RedirectResponse("/summary", status_code=303)
    return page(request, "summary.html", last=outputs.last_consolidation(store), counts=service.counts(service.status(store)))


async def api_consolidate(request: Request) -> Response:
    accepted_only = request.query_params.get("accepted_only") in ("1", "true")
    if await request.body():
        try:
            body = await request.json()
        except ValueError:
            raise UploadError("请求内容应为 JSON，例如 {\"accepted_only\": true}") from None
        accepted_only = bool(isinstance(body, dict) and body.get("accepted_only"))
    data = await run_in_threadpool(outputs.run_consolidation, store_of(request), accepted_only, actor(request))
    return JSONResponse(data)


async def summary_xlsx(request: Request) -> Response:
    return download(outputs.summary_path(store_of(request)), "汇总.xlsx", XLSX)


async def templates_zip(request: Request) -> Response:
    path = await run_in_threadpool(outputs.templates_zip, store_of(request))
    return download(path, "下年度预填模板.zip", "application/zip")


async def word_zip(request: Request) -> Response:
    path = await run_in_threadpool(outputs.word_zip, store_of(request))
    return download(path, "Word报告.zip", "application/zip")


async def audit_page(request: Request) -> Response:
    rows = store_of(request).db().execute("SELECT * FROM audit ORDER BY id DESC LIMIT 500").fetchall()
    return page(request, "audit.html", rows=rows)


async def home(request: Request) -> Response:
    return RedirectResponse("/progress", status_code=303)


def route(path: str, endpoint, methods=("GET",), who: str = SUPERVISOR) -> Route:
    endpoint.who = who
    return Route(path, endpoint, methods=list(methods))


ROUTES = [
    route("/", home, who=ANYONE),
    route("/check", check_page, ("GET", "POST"), ANYONE),
    route("/checked/{sha}.{suffix}", checked_page, who=ANYONE),
    route("/checked/{sha}.{suffix}/marked", checked_marked, who=ANYONE),
    route("/checked/{sha}.{suffix}/word", checked_word, who=ANYONE),
    route("/progress", progress_page),
    route("/roster", roster_page, ("POST",)),
    route("/roster/add", roster_add, ("POST",)),
    route("/roster/{id:int}/remove", roster_remove, ("POST",)),
    route("/settings", settings_page, ("POST",)),
    route("/receive", receive_page, ("POST",)),
    route("/agency/{id:int}", agency_page),
    route("/submissions/{id:int}/return", return_route, ("POST",)),
    route("/submissions/{id:int}/accept", accept_route, ("POST",)),
    route("/submissions/{id:int}/file", submission_file),
    route("/submissions/{id:int}/marked", submission_marked),
    route("/submissions/{id:int}/word", submission_word),
    route("/submissions/{id:int}/notice.docx", notice_docx),
    route("/reminders", reminders_page),
    route("/reminders.xlsx", reminders_xlsx),
    route("/summary", summary_page, ("GET", "POST")),
    route("/summary.xlsx", summary_xlsx),
    route("/summary/templates.zip", templates_zip),
    route("/summary/word.zip", word_zip),
    route("/audit", audit_page),
    route("/api/check", api_check, ("POST",), ANYONE),
    route("/api/roster", api_roster, ("POST",)),
    route("/api/submissions", api_submissions, ("POST",)),
    route("/api/status", api_status),
    route("/api/submissions/{id:int}", api_submission),
    route("/api/submissions/{id:int}/return", return_route, ("POST",)),
    route("/api/submissions/{id:int}/accept", accept_route, ("POST",)),
    route("/api/submissions/{id:int}/notice.docx", notice_docx),
    route("/api/consolidate", api_consolidate, ("POST",)),
    route("/api/summary.xlsx", summary_xlsx),
    route("/api/reminders.xlsx", reminders_xlsx),
    Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
]


async def _xlgova_error(request: Request, exc: XlgovaError) -> Response:
    text = str(exc)
    code = 404 if text.startswith(("没有该", "尚未汇总")) else 409 if "请对最新版本" in text else 422
    return failure(request, text, code)


async def _upload_error(request: Request, exc: UploadError) -> Response:
    return failure(request, exc.message, exc.status)


async def _http_error(request: Request, exc) -> Response:
    words = {404: "没有该页面", 405: "不支持该请求方法"}
    return failure(request, words.get(exc.status_code, exc.detail or "请求无效"), exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    logging.getLogger("xlgova.desk").error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return failure(request, "报送台内部错误，本次操作未完成（已接收的文件不受影响）。请重试；如仍出错，请把工作区的 desk.log 发给维护人员。", 500)


def create_app(workspace: str | Path, *, max_upload_bytes: int = MAX_FILE_BYTES) -> Starlette:
    from starlette.exceptions import HTTPException

    app = Starlette(routes=ROUTES, exception_handlers={XlgovaError: _xlgova_error, UploadError: _upload_error,
                                                       HTTPException: _http_error, Exception: _server_error})
    app.state.store = Store.open(workspace)
    app.state.max_upload_bytes = max_upload_bytes
    return app
