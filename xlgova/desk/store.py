"""The workspace: one folder holding the desk's SQLite database (WAL) and every file it received or made.

Layout::

    WORKSPACE/desk.sqlite3        roster, submissions, decisions, settings, audit log
    WORKSPACE/files/ab/<sha256>.xlsx   every uploaded file, unchanged, named by its content hash
    WORKSPACE/incoming/           uploads being received (deleted at start: never acknowledged)
    WORKSPACE/outputs/            what the desk made (summary workbook, zips) — can always be made again

A file is renamed into ``files/`` only once it is complete and flushed to disk, and its row is committed
(``synchronous=FULL``) before the desk answers; so an acknowledged submission survives a killed server, and
a half-received one leaves nothing behind. Nothing is ever overwritten or deleted: a resubmission is a new
version, a decision is a new row on the submission, every action is appended to ``audit``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import XlgovaError

DB_NAME = "desk.sqlite3"
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS agencies(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, code TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT '', position INTEGER NOT NULL DEFAULT 0, in_roster INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS submissions(
    id INTEGER PRIMARY KEY, agency_id INTEGER REFERENCES agencies(id), version INTEGER NOT NULL DEFAULT 0,
    typed_name TEXT NOT NULL DEFAULT '', match_note TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL, suffix TEXT NOT NULL, filename TEXT NOT NULL, size INTEGER NOT NULL,
    received_at TEXT NOT NULL, actor TEXT NOT NULL,
    year INTEGER, format TEXT, errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0,
    infos INTEGER NOT NULL DEFAULT 0, unusable TEXT NOT NULL DEFAULT '', result_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS submissions_agency ON submissions(agency_id, version);
CREATE TABLE IF NOT EXISTS decisions(
    id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL REFERENCES submissions(id),
    decision TEXT NOT NULL CHECK (decision IN ('returned', 'accepted')), comment TEXT NOT NULL DEFAULT '',
    notice_sha256 TEXT, at TEXT NOT NULL, actor TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS decisions_submission ON decisions(submission_id, id);
CREATE TABLE IF NOT EXISTS agency_contacts(agency TEXT PRIMARY KEY, person TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit(
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');
"""


def now_text() -> str:
    return _dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


class Store:
    """The workspace's files and database. Safe to share between threads (one connection per thread)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.db_path = self.root / DB_NAME
        self.files = self.root / "files"
        self.incoming = self.root / "incoming"
        self.outputs = self.root / "outputs"
        self._local = threading.local()
        self._write_lock = threading.Lock()

    # -- opening -----------------------------------------------------------------------------------
    @classmethod
    def open(cls, root: str | Path, *, create: bool = True) -> "Store":
        """Open a workspace; an empty or missing folder becomes one. A folder holding other things is refused,
        so the desk never fills someone's documents folder with its own files by mistake."""
        root = Path(root)
        if root.exists() and not root.is_dir():
            raise XlgovaError("工作区应为文件夹，这是一个文件", path=root)
        is_new = not (root / DB_NAME).exists()
        if is_new and root.exists() and any(p for p in root.iterdir() if not p.name.startswith(".")):
            raise XlgovaError("该文件夹不是报送台工作区且不是空文件夹，为防止混入其他文件已停止", path=root,
                              hint="请换一个空文件夹（或新文件夹名）作为工作区。")
        if is_new and not create:
            raise XlgovaError("不是报送台工作区（缺少 desk.sqlite3）", path=root)
        store = cls(root)
        for d in (store.root, store.files, store.incoming, store.outputs):
            d.mkdir(parents=True, exist_ok=True)
        for leftover in store.incoming.iterdir():  # half-received uploads were never acknowledged
            leftover.unlink(missing_ok=True)
        with store._write_lock:
            store.db().executescript("BEGIN IMMEDIATE;" + SCHEMA + f"INSERT OR IGNORE INTO settings(key, value) VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;")
        return store

    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE): version numbers and decisions never race."""
        db = self.db()
        with self._write_lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- files -------------------------------------------------------------------------------------
    def blob_path(self, sha256: str, suffix: str) -> Path:
        return self.files / sha256[:2] / f"{sha256}{suffix}"

    def keep(self, tmp: Path, sha256: str, suffix: str) -> Path:
        """Move a complete upload into ``files/`` under its hash (a file already there is the same bytes: the
        temporary copy is dropped). Call :meth:`flush` on what was kept before acknowledging it."""
        target = self.blob_path(sha256, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            tmp.unlink(missing_ok=True)
        else:
            os.replace(tmp, target)
        return target

    def flush(self, paths: list[Path]) -> Future:
        """Put kept files and their folder entries on disk (fsync), concurrently: the disk groups concurrent
        flushes into few journal commits, and the caller reads and checks the files meanwhile. The result must
        be awaited before the submissions are committed and acknowledged."""
        targets = list(dict.fromkeys([*paths, *(p.parent for p in paths)]))
        return _FLUSHER.submit(lambda: list(_FSYNC_POOL.map(_fsync, targets)))

    def keep_bytes(self, data: bytes, suffix: str) -> tuple[str, Path]:
        sha = hashlib.sha256(data).hexdigest()
        tmp = self.incoming / f".made-{sha}{suffix}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return sha, self.keep(tmp, sha, suffix)

    # -- settings and audit --------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        row = self.db().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    @staticmethod
    def log(db: sqlite3.Connection, actor: str, action: str, target: str = "", detail: dict | str = "") -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True)
        db.execute("INSERT INTO audit(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)", (now_text(), actor, action, target, text))

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_FSYNC_POOL = ThreadPoolExecutor(16, thread_name_prefix="xlgova-fsync")
_FLUSHER = ThreadPoolExecutor(4, thread_name_prefix="xlgova-flush")


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except (IsADirectoryError, PermissionError):  # Windows cannot open a folder; NTFS journals the rename itself
        return
    try:
        os.fsync(fd)
    except OSError:  # a folder on Windows
        pass
    finally:
        os.close(fd)
