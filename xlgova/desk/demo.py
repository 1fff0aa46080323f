"""The demo county's desk: ``xlgova demo`` leaves a workspace holding 泓川县's roster and this year's
submissions (received exactly as a supervisor would receive the e-mailed folder), one agency returned and
one accepted, so every page of the desk has something to show."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..consolidate.discover import discover
from . import review, service
from .store import DB_NAME, Store
from .uploads import from_file

FOLDER = "报送台"
DEMO_ACTOR = "示例"


def demo_workspace(out: Path, roster: Path, received: Path, *, deadline: str, accepted: str) -> Path:
    """Build ``out/报送台`` afresh (only ever a workspace this function made is replaced). The first agency
    whose (readable) report has errors is returned; ``accepted`` is accepted."""
    ws = out / FOLDER
    if (ws / DB_NAME).exists():
        shutil.rmtree(ws)
    store = Store.open(ws)
    try:
        with store.transaction() as db:
            store.set_setting(db, "deadline", deadline)
            store.set_setting(db, "contact", "县政务公开办 0000-1234567")
            store.set_setting(db, "sender", "示例县人民政府办公室")
        keep = store.keep(*_upload(store, roster))
        store.flush([keep]).result()
        service.import_roster(store, keep, roster.name, DEMO_ACTOR)
        uploads = [from_file(Path(p), store.incoming) for p in discover([received])]
        answers = service.receive(store, uploads, DEMO_ACTOR)
        returned = next(a for a in answers if a["errors"] and not a["unusable"] and a["agency"])
        review.decide(store, returned["id"], "returned", "申请情况表的勾稽关系不符，请核对后于截止日期前重新报送。", DEMO_ACTOR)
        review.decide(store, next(a for a in answers if a["agency"] == accepted)["id"], "accepted", "", DEMO_ACTOR)
    finally:
        store.close()
    return ws


def _upload(store: Store, path: Path):
    up = from_file(path, store.incoming)
    return up.path, up.sha256, service.safe_suffix(up.name)
