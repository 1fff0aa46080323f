"""``xlgova desk backup`` / ``restore``: a consistent copy of a workspace, taken while the desk runs.

The database is copied with SQLite's online backup API (a snapshot of one committed state, WAL included,
while the desk keeps writing). Stored files are named by their SHA-256 and never change, and a file is on
disk before the row that names it is committed — so copying ``files/`` *after* the snapshot gives every file
the snapshot names (files that arrived later are carried along harmlessly). The archive is a zip:

    desk.sqlite3                    the snapshot
    files/ab/<sha256>.<suffix>      every stored file, byte for byte
    manifest.json                   when, how many, and the SHA-256 of every file

``restore`` refuses a non-empty target, any member name other than those above, and any file whose bytes do not
match its name; it checks the database (``PRAGMA integrity_check``) and that every file it names is present,
and only then moves the restored workspace into place. ``outputs/`` is not backed up: it is made again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from ..errors import XlgovaError
from ..safeio import atomic_output, prepare_output
from .store import DB_NAME, Store, now_text

MEMBER = re.compile(r"files/([0-9a-f]{2})/(\1[0-9a-f]{62})(\.[a-z0-9]{1,8})?")
REFERENCED = ("SELECT sha256, suffix FROM submissions UNION "
              "SELECT notice_sha256, '.docx' FROM decisions WHERE notice_sha256 IS NOT NULL")


def _snapshot(db_path: Path, target: Path) -> None:
    src = sqlite3.connect(db_path, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sha_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def backup(root: str | Path, out: str | Path) -> dict:
    """Write the workspace at ``root`` (running or not) to the zip ``out``; returns the manifest."""
    store = Store(root)
    if not store.db_path.is_file():
        raise XlgovaError("不是报送台工作区（缺少 desk.sqlite3）", path=root)
    out = prepare_output(out)
    if out.resolve().parent.is_relative_to(store.root.resolve()):
        raise XlgovaError("备份文件不能放在工作区文件夹里", path=out, hint="请放到另一个文件夹，最好是另一块磁盘或另一台机器。")
    try:
        return _write(store, out)
    except OSError as e:
        raise XlgovaError(f"无法写入备份文件（{e.strerror or e}）", path=out) from None


def _write(store: Store, out: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=out.parent) as tmp:
        snap = Path(tmp) / DB_NAME
        _snapshot(store.db_path, snap)
        db = sqlite3.connect(snap)
        needed = {f"files/{sha[:2]}/{sha}{suffix}" for sha, suffix in db.execute(REFERENCED)}
        counts = {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("agencies", "submissions", "decisions", "audit")}
        db.close()
        blobs = sorted(p for p in store.files.rglob("*") if p.is_file() and MEMBER.fullmatch(p.relative_to(store.root).as_posix()))
        names = {p.relative_to(store.root).as_posix() for p in blobs}
        if needed - names:
            raise XlgovaError(f"工作区缺少 {len(needed - names)} 个已登记的文件，无法做完整备份", path=store.files)
        manifest = {"created": now_text(), **counts, "files": {}}
        with atomic_output(out) as part:
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
                z.write(snap, DB_NAME)
                for p in blobs:
                    name = p.relative_to(store.root).as_posix()
                    manifest["files"][name] = _sha_file(p)
                    z.write(p, name, compress_type=zipfile.ZIP_STORED)
                z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def restore(archive: str | Path, root: str | Path) -> dict:
    """Bring a backup back into ``root`` (a new or empty folder); returns the manifest."""
    archive, root = Path(archive), Path(root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise XlgovaError("恢复目标必须是新文件夹或空文件夹（不会覆盖现有工作区）", path=root)
    try:
        z = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as e:
        raise XlgovaError(f"不是报送台备份文件（{e}）", path=archive) from None
    root.parent.mkdir(parents=True, exist_ok=True)
    with z, tempfile.TemporaryDirectory(prefix=".restore-", dir=root.parent) as tmp:
        work = Path(tmp) / "ws"
        manifest = _unpack(z, archive, work)
        _verify(work, archive)
        (work / "incoming").mkdir(exist_ok=True)
        (work / "outputs").mkdir(exist_ok=True)
        if root.exists():
            root.rmdir()
        os.replace(work, root)
    return manifest


def _unpack(z: zipfile.ZipFile, archive: Path, work: Path) -> dict:
    names = z.namelist()
    if DB_NAME not in names or "manifest.json" not in names:
        raise XlgovaError("不是报送台备份文件（缺少 desk.sqlite3 或 manifest.json）", path=archive)
    bad = [n for n in names if n not in (DB_NAME, "manifest.json") and not MEMBER.fullmatch(n)]
    if bad:
        raise XlgovaError(f"备份文件中有不应出现的内容：{bad[0]}", path=archive)
    manifest = json.loads(z.read("manifest.json"))
    for name in names:
        if name == "manifest.json":
            continue
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        with z.open(name) as src, open(target, "wb") as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        m = MEMBER.fullmatch(name)
        if m and h.hexdigest() != m.group(2):
            raise XlgovaError(f"备份文件已损坏：{name} 的内容与其校验值不符", path=archive)
    return manifest


def _verify(work: Path, archive: Path) -> None:
    db = sqlite3.connect(work / DB_NAME)
    try:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise XlgovaError("备份中的数据库已损坏（integrity_check 未通过）", path=archive)
        missing = [f"{sha}{suffix}" for sha, suffix in db.execute(REFERENCED) if not (work / "files" / sha[:2] / f"{sha}{suffix}").is_file()]
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sessions'").fetchone():
            with db:
                db.execute("DELETE FROM sessions")  # everyone signs in again on the restored desk
    finally:
        db.close()
    if missing:
        raise XlgovaError(f"备份不完整：缺少 {len(missing)} 个已登记的文件（如 {missing[0]}）", path=archive)

