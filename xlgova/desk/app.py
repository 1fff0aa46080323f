"""The desk's HTTP side: each handler parses the request, calls one library function, renders a template or
JSON — like a CLI command. Pages are server-rendered forms; the only script is the drop zone (static/desk.js).
Handlers live in ``routes_intake.py`` (自查, receiving, roster) and ``routes_review.py`` (进度, 单位, 催报, 汇总);
``web.py`` holds what they share; ``access.py`` authorises every request against its route's ``who`` and
``routes_auth.py`` holds sign-in, an agency's own page and the access codes (issue 18).
"""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..errors import XlgovaError
from .routes_intake import (api_check, assign_route, api_roster, api_submissions, check_page, checked_marked, checked_page, checked_word,
                            receive_page, roster_add, roster_page, roster_remove, settings_page)
from .routes_review import (accept_route, agency_page, api_consolidate, api_status, api_submission, audit_page, notice_docx,
                            progress_page, reminders_page, reminders_xlsx, return_route, submission_file, submission_marked,
                            submission_word, summary_page, summary_xlsx, templates_zip, word_zip)
from . import auth, lockout
from .access import AGENCY, OWNER, PUBLIC, SecurityHeaders, principal
from .routes_auth import address_setting, api_login, api_my, code_change, codes_page, login_page, logout, my_contact, my_page, my_submit
from .store import Store
from .uploads import MAX_FILE_BYTES, UploadError
from .web import ANYONE, HERE, LOOPBACK_HOSTS, LocalOnly, handle_http, handle_server, handle_upload, handle_xlgova, route


async def home(request: Request) -> Response:
    return RedirectResponse("/my" if principal(request).role == auth.AGENCY else "/progress", status_code=303)


ROUTES = [
    route("/", home, who=ANYONE),
    route("/check", check_page, ("GET", "POST"), ANYONE),
    route("/checked/{sha}.{suffix}", checked_page, who=OWNER),
    route("/checked/{sha}.{suffix}/marked", checked_marked, who=OWNER),
    route("/checked/{sha}.{suffix}/word", checked_word, who=OWNER),
    route("/progress", progress_page),
    route("/roster", roster_page, ("POST",)),
    route("/roster/add", roster_add, ("POST",)),
    route("/roster/{id:int}/remove", roster_remove, ("POST",)),
    route("/settings", settings_page, ("POST",)),
    route("/receive", receive_page, ("POST",)),
    route("/agency/{id:int}", agency_page),
    route("/submissions/{id:int}/assign", assign_route, ("POST",)),
    route("/submissions/{id:int}/return", return_route, ("POST",)),
    route("/submissions/{id:int}/accept", accept_route, ("POST",)),
    route("/submissions/{id:int}/file", submission_file, who=OWNER),
    route("/submissions/{id:int}/marked", submission_marked, who=OWNER),
    route("/submissions/{id:int}/word", submission_word, who=OWNER),
    route("/submissions/{id:int}/notice.docx", notice_docx, who=OWNER),
    route("/reminders", reminders_page),
    route("/reminders.xlsx", reminders_xlsx),
    route("/summary", summary_page, ("GET", "POST")),
    route("/summary.xlsx", summary_xlsx),
    route("/summary/templates.zip", templates_zip),
    route("/summary/word.zip", word_zip),
    route("/audit", audit_page),
    route("/api/check", api_check, ("POST",), ANYONE),
    route("/api/roster", api_roster, ("POST",)),
    route("/api/submissions", api_submissions, ("POST",), ANYONE),
    route("/api/status", api_status),
    route("/api/submissions/{id:int}", api_submission, who=OWNER),
    route("/api/submissions/{id:int}/assign", assign_route, ("POST",)),
    route("/api/submissions/{id:int}/return", return_route, ("POST",)),
    route("/api/submissions/{id:int}/accept", accept_route, ("POST",)),
    route("/api/submissions/{id:int}/notice.docx", notice_docx, who=OWNER),
    route("/api/consolidate", api_consolidate, ("POST",)),
    route("/api/summary.xlsx", summary_xlsx),
    route("/api/reminders.xlsx", reminders_xlsx),
    route("/login", login_page, ("GET", "POST"), PUBLIC),
    route("/logout", logout, ("POST",), ANYONE),
    route("/my", my_page, who=AGENCY),
    route("/my/submit", my_submit, ("POST",), AGENCY),
    route("/my/contact", my_contact, ("POST",), AGENCY),
    route("/codes", codes_page),
    route("/codes/notices", codes_page),
    route("/codes/address", address_setting, ("POST",)),
    route("/codes/{id:int}/rotate", code_change, ("POST",)),
    route("/codes/{id:int}/revoke", code_change, ("POST",)),
    route("/codes/{id:int}/contact", code_change, ("POST",)),
    route("/api/login", api_login, ("POST",), PUBLIC),
    route("/api/logout", logout, ("POST",), ANYONE),
    route("/api/my", api_my, who=AGENCY),
    Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
]



def create_app(workspace: str | Path, *, max_upload_bytes: int = MAX_FILE_BYTES,
               hosts: tuple[str, ...] | None = LOOPBACK_HOSTS) -> Starlette:
    """``hosts``: the host names the desk answers under (None: any — on an intranet, where sign-in is required)."""
    app = Starlette(routes=ROUTES, middleware=[Middleware(SecurityHeaders), Middleware(LocalOnly, hosts=hosts)],
                    exception_handlers={XlgovaError: handle_xlgova, UploadError: handle_upload,
                                        HTTPException: handle_http, Exception: handle_server})
    app.state.store = Store.open(workspace)
    auth.init(app.state.store)
    store = app.state.store  # sign-in failures and lockouts are kept in it: a restart forgets none
    app.state.limiter = lockout.Limiter(store, auth.SUPERVISOR, lockout.PASSWORD_ADDRESS, lockout.PASSWORD_TARGET)
    app.state.code_limiter = lockout.Limiter(store, "code", lockout.CODE_ADDRESS)
    app.state.token_limiter = lockout.Limiter(store, "token", lockout.CODE_ADDRESS)
    app.state.intranet = hosts is None
    app.state.max_upload_bytes = max_upload_bytes
    return app
