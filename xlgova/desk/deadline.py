"""The deadline setting: which agencies are overdue (past it and still owing a submission)."""
from __future__ import annotations

import datetime as _dt

from .service import NOT_SUBMITTED, RETURNED


def deadline_date(text: str) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat((text or "").strip()[:10])
    except ValueError:
        return None


def overdue(deadline: str, state: str, today: _dt.date | None = None) -> bool:
    """Past the deadline's day and still owing a submission (未提交, or 已退回 and not sent again)."""
    day = deadline_date(deadline)
    return day is not None and (today or _dt.date.today()) > day and state in (NOT_SUBMITTED, RETURNED)
