"""Who may use the desk: the supervisor's password, the agencies' access codes, sessions and sign-in lockout.

All of it is kept in the workspace's database beside the desk's own tables (no HTTP here; ``access.py`` applies
it to requests):

- the supervisor (汇总单位) signs in with a password set by ``xlgova desk password`` and stored only as an
  Argon2id hash (argon2-cffi: a memory-hard KDF from the reference implementation's maintainers);
- each roster agency has an access code of 160 random bits (``secrets``), shown to the supervisor to hand out
  and stored beside a SHA-256 of it for look-up; codes are rotated or revoked by agency name;
- a sign-in opens a session: a random token whose SHA-256 is stored (the token itself only in the browser's
  cookie or the API client), with a CSRF token; sessions end after ``IDLE`` seconds unused or ``LIFETIME``
  seconds in all;
- failed sign-ins are counted in the database too, per address and per target (``lockout.py``).
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass

from ..errors import XlgovaError
from . import lockout
from .store import Store, now_text

SCHEMA = """
CREATE TABLE IF NOT EXISTS access_codes(
    agency TEXT PRIMARY KEY, code TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions(
    token_hash TEXT PRIMARY KEY, role TEXT NOT NULL, agency TEXT, kind TEXT NOT NULL, csrf TEXT NOT NULL,
    created REAL NOT NULL, seen REAL NOT NULL);
"""
PASSWORD_KEY = "supervisor_password"
SUPERVISOR, AGENCY = "supervisor", "agency"
AGENCY_ACTOR = "报送单位："  # + the agency's name: who a signed-in agency is in the audit log and on its submissions
CODE_BYTES = 20  # 160 bits
MIN_PASSWORD = 10
IDLE, LIFETIME = 30 * 60, 10 * 3600
clock = time.time  # tests move time forward by replacing this


def init(store: Store) -> None:
    with store.transaction() as db:
        for statement in filter(str.strip, (SCHEMA + lockout.SCHEMA).split(";")):
            db.execute(statement)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the supervisor's password ------------------------------------------------------------------------
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id, RFC 9106's second recommended parameters (64 MiB, t=3)


def has_password(store: Store) -> bool:
    return bool(store.setting(PASSWORD_KEY))


def set_password(store: Store, password: str, actor: str) -> None:
    password = password.strip("\r\n")
    if len(password) < MIN_PASSWORD:
        raise XlgovaError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    digest = _hasher().hash(password)
    with store.transaction() as db:
        changed = bool(store.setting(PASSWORD_KEY))
        store.set_setting(db, PASSWORD_KEY, digest)
        db.execute("DELETE FROM sessions WHERE role = ?", (SUPERVISOR,))  # a new password signs everyone out
        lockout.clear(db, SUPERVISOR)  # and lets the supervisor in again after someone locked the account
        store.log(db, actor, "修改密码" if changed else "设置密码", "汇总单位")


def check_password(store: Store, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    digest = store.setting(PASSWORD_KEY)
    if not digest:
        return False
    try:
        return _hasher().verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


# -- access codes ---------------------------------------------------------------------------------------
def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def normal_code(text: str) -> str:
    """A code as typed from paper: spaces, dashes and case do not matter, nor digits mistaken for the letters
    they look like (base32 has no 0, 1 or 8)."""
    plain = "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum()).translate(str.maketrans("018", "OIB"))
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def codes(store: Store) -> list[dict]:
    """Every roster agency with its access code (one is made for an agency that has none yet)."""
    rows = store.db().execute("SELECT a.id, a.name, a.level FROM agencies a WHERE a.in_roster = 1 ORDER BY a.position, a.id").fetchall()
    have = {r["agency"]: r for r in store.db().execute("SELECT * FROM access_codes")}
    missing = [r["name"] for r in rows if r["name"] not in have]
    if missing:
        with store.transaction() as db:
            for name in missing:
                _put_code(db, name, replace=False)  # a code made meanwhile by another request stays
        have = {r["agency"]: r for r in store.db().execute("SELECT * FROM access_codes")}
    contacts = {r["agency"]: r for r in store.db().execute("SELECT * FROM agency_contacts")}
    out = []
    for r in rows:
        c, k = have[r["name"]], contacts.get(r["name"])
        out.append({"agency_id": r["id"], "agency": r["name"], "level": r["level"], "code": "" if c["revoked"] else c["code"],
                    "revoked": bool(c["revoked"]), "created_at": c["created_at"],
                    "person": k["person"] if k else "", "phone": k["phone"] if k else ""})
    return out


def _put_code(db, agency: str, *, replace: bool = True) -> str:
    code = new_code()
    update = ("DO UPDATE SET code = excluded.code, code_hash = excluded.code_hash, created_at = excluded.created_at, revoked = 0"
              if replace else "DO NOTHING")
    db.execute("INSERT INTO access_codes(agency, code, code_hash, created_at, revoked) VALUES (?, ?, ?, ?, 0) "
               f"ON CONFLICT(agency) {update}", (agency, code, _sha(code), now_text()))
    return code


def _roster_name(store: Store, agency: str) -> str:
    name = " ".join(agency.split())
    if not store.db().execute("SELECT 1 FROM agencies WHERE name = ? AND in_roster = 1", (name,)).fetchone():
        raise XlgovaError(f"汇总名单中没有“{name}”", hint="单位名称应与 xlgova desk codes 列出的完全一致。")
    return name


def rotate(store: Store, agency: str, actor: str) -> str:
    """A new code for ``agency``; the old one and the agency's sessions stop working at once."""
    name = _roster_name(store, agency)
    with store.transaction() as db:
        code = _put_code(db, name)
        db.execute("DELETE FROM sessions WHERE agency = ?", (name,))
        store.log(db, actor, "更换访问码", name)
    return code


def revoke(store: Store, agency: str, actor: str) -> None:
    name = _roster_name(store, agency)
    codes(store)  # the agency has a row to revoke
    with store.transaction() as db:
        db.execute("UPDATE access_codes SET revoked = 1 WHERE agency = ?", (name,))
        db.execute("DELETE FROM sessions WHERE agency = ?", (name,))
        store.log(db, actor, "停用访问码", name)


def agency_of_code(store: Store, code: str) -> dict | None:
    """The agency (id, name) a valid, unrevoked code belongs to, while the agency is in the roster."""
    if len(code) > 200:
        return None
    row = store.db().execute(
        "SELECT a.id, a.name FROM access_codes c JOIN agencies a ON a.name = c.agency "
        "WHERE c.code_hash = ? AND c.revoked = 0 AND a.in_roster = 1", (_sha(normal_code(code)),)).fetchone()
    return {"id": row["id"], "name": row["name"]} if row else None


def set_contact(store: Store, agency: str, person: str, phone: str, actor: str) -> None:
    name = _roster_name(store, agency)
    with store.transaction() as db:
        put_contact(db, name, person, phone)
        store.log(db, actor, "修改联系人", name, {"person": person[:CONTACT_CHARS], "phone": phone[:CONTACT_CHARS]})


CONTACT_CHARS = 50


def put_contact(db, agency: str, person: str, phone: str, *, keep_blank: bool = False) -> None:
    """Store an agency's contact; ``keep_blank``: an empty value leaves the stored one (a roster cell left
    empty does not erase what was typed on the web)."""
    keep = "CASE WHEN excluded.{0} = '' THEN agency_contacts.{0} ELSE excluded.{0} END" if keep_blank else "excluded.{0}"
    db.execute("INSERT INTO agency_contacts(agency, person, phone) VALUES (?, ?, ?) ON CONFLICT(agency) DO UPDATE "
               f"SET person = {keep.format('person')}, phone = {keep.format('phone')}",
               (agency, person.strip()[:CONTACT_CHARS], phone.strip()[:CONTACT_CHARS]))


def contacts(store: Store) -> dict[str, dict]:
    return {r["agency"]: dict(r) for r in store.db().execute("SELECT * FROM agency_contacts")}


# -- sessions -------------------------------------------------------------------------------------------
@dataclass
class Session:
    token_hash: str
    role: str
    agency: str | None
    kind: str
    csrf: str


def open_session(store: Store, role: str, agency: str | None, kind: str) -> tuple[str, Session]:
    """A new session (a new token every sign-in: no fixation); returns (token, session)."""
    token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(32), clock()
    with store.transaction() as db:
        db.execute("DELETE FROM sessions WHERE seen < ? OR created < ?", (now - IDLE, now - LIFETIME))
        db.execute("INSERT INTO sessions(token_hash, role, agency, kind, csrf, created, seen) VALUES (?,?,?,?,?,?,?)",
                   (_sha(token), role, agency, kind, csrf, now, now))
    return token, Session(_sha(token), role, agency, kind, csrf)


def session(store: Store, token: str) -> Session | None:
    """The live session of a token (its idle clock restarted), or None when unknown or expired."""
    if not token or len(token) > 200:
        return None
    key, now = _sha(token), clock()
    row = store.db().execute("SELECT * FROM sessions WHERE token_hash = ?", (key,)).fetchone()
    if row is None:
        return None
    if row["seen"] < now - IDLE or row["created"] < now - LIFETIME:
        close_session(store, key)
        return None
    if now - row["seen"] > 30:  # one write a half-minute at most per session
        with store.transaction() as db:
            db.execute("UPDATE sessions SET seen = ? WHERE token_hash = ?", (now, key))
    return Session(key, row["role"], row["agency"], row["kind"], row["csrf"])


def close_session(store: Store, token_hash: str) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


# -- from the command line, beside a running desk -----------------------------------------------------------
def workspace(root, *, create: bool = False) -> Store:
    """An existing workspace opened beside a desk that may be running (its ``incoming/`` left alone);
    ``create``: a missing or empty folder becomes a workspace first."""
    from pathlib import Path

    from .store import DB_NAME

    root = Path(root)
    store = Store.open(root) if create and not (root / DB_NAME).exists() else Store(root)
    if not (root / DB_NAME).is_file():
        raise XlgovaError("不是报送台工作区（缺少 desk.sqlite3）", path=root, hint="请先用 xlgova serve 建立工作区并导入汇总名单。")
    init(store)
    return store


def password_set_in(root) -> bool:
    """Whether a workspace folder has a supervisor password (read-only: creates nothing)."""
    import sqlite3
    from pathlib import Path

    from .store import DB_NAME

    path = Path(root) / DB_NAME
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (PASSWORD_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def with_contacts(store: Store, rows: list[dict]) -> list[dict]:
    """Status rows with each agency's contact person and phone (催报), and whether it is past the deadline."""
    from .deadline import overdue

    known, deadline = contacts(store), store.setting("deadline")
    return [{**r, "person": known.get(r["agency"], {}).get("person", ""), "phone": known.get(r["agency"], {}).get("phone", ""),
             "overdue": overdue(deadline, r["state"])} for r in rows]
