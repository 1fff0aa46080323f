"""进度, 单位, 催报, 汇总 and the audit log: the supervisor's pages and their JSON twins."""
from __future__ import annotations

import json
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..errors import XlgovaError
from . import auth, outputs, review, service
from .uploads import UploadError
from .web import DOCX, XLSX, actor, download, is_api, page, store_of


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
    rows = auth.with_contacts(store, service.status(store))
    shown = _filtered(request, rows)
    levels = sorted({r["level"] for r in rows}, key=service.level_order)
    tree = [(lv, [r for r in shown if r["level"] == lv]) for lv in levels]
    return page(request, "progress.html", rows=rows, tree=[t for t in tree if t[1]], counts=service.counts(rows), states=service.STATES,
                levels=levels, unmatched=service.unmatched(store), query=dict(request.query_params), shown=len(shown),
                contact=store.setting("contact"), sender=store.setting("sender"), level_choices=LEVEL_CHOICES)


LEVEL_CHOICES = ("县级政府", "县级部门", "乡镇", "街道", "其他")


async def agency_page(request: Request) -> Response:
    from .views import for_page

    version = request.query_params.get("version")
    view = await run_in_threadpool(review.agency_view, store_of(request), int(request.path_params["id"]), int(version) if version and version.isdigit() else None)
    cur = view.current
    tables = prev = lines = None
    if cur is not None:
        tables, prev = await run_in_threadpool(for_page, view.path, cur.report, cur.result)
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
    rows = auth.with_contacts(store_of(request), service.reminders(service.status(store_of(request))))
    return page(request, "reminders.html", rows=rows, contact=store_of(request).setting("contact"))


async def reminders_xlsx(request: Request) -> Response:
    store = store_of(request)
    path = await run_in_threadpool(outputs.reminders_xlsx, store, auth.with_contacts(store, service.reminders(service.status(store))))
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


