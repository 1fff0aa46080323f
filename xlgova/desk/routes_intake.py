"""自查 (any clerk) and receiving (the supervisor): uploads in, the library's answers out."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..errors import XlgovaError
from . import outputs, service
from .access import principal
from .uploads import UploadError
from .web import DOCX, XLSX, actor, download, page, store_of, uploads


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
    from .views import for_page

    sha, suffix, name = _blob(request)
    path = store_of(request).blob_path(sha, suffix)
    checked = await run_in_threadpool(service.check_path, path, name)
    tables, prev = await run_in_threadpool(for_page, path, checked.report, checked.result)
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
    """The supervisor's files are matched to the roster; a signed-in agency's are its own (``access``)."""
    got, files = await uploads(request)
    answers = await run_in_threadpool(service.receive, store_of(request), files, actor(request), principal(request).agency_id)
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
    store.flush([path]).result()
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



async def assign_route(request: Request) -> Response:
    """A file that matched no roster entry, assigned to an agency (form ``agency_id`` or JSON ``{"agency_id": n}``)."""
    if request.url.path.startswith("/api/"):
        try:
            body = await request.json()
            agency_id = int(body["agency_id"])
        except (ValueError, KeyError, TypeError):
            raise UploadError("请求内容应为 JSON，例如 {\"agency_id\": 3}") from None
    else:
        value = str((await request.form()).get("agency_id", ""))
        if not value.isdigit():
            raise UploadError("请选择单位")
        agency_id = int(value)
    done = await run_in_threadpool(service.assign, store_of(request), int(request.path_params["id"]), agency_id, actor(request))
    return JSONResponse(done) if request.url.path.startswith("/api/") else RedirectResponse("/progress", status_code=303)
