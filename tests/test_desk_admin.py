"""`xlgova desk password|codes|backup|restore`, `xlgova serve` beyond loopback and over HTTPS."""
from __future__ import annotations

import io
import json
import os
import sqlite3
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile

import pytest

from _hardening import cli
from desk_support import BASE, agencies, files, free_port, roster_csv, stop, workbook, ROOT
from xlgova.desk import auth

PASSWORD = "一个足够长的口令-2024"


@pytest.fixture
def ws(tmp_path):
    """A workspace with a roster, two submissions and a return, made by the desk itself."""
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    app = create_app(tmp_path / "ws")
    with TestClient(app, base_url=BASE) as c:
        c.post("/api/roster", files=files(roster_csv(tmp_path)))
        got = c.post("/api/submissions", files=files(*(workbook(tmp_path, agencies()[i][0], i) for i in (1, 2)))).json()
        c.post(f"/api/submissions/{got['submissions'][0]['id']}/return", json={"comment": "请核对"})
    app.state.store.close()
    return tmp_path / "ws"


def _password(ws, text: str, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text + "\n"))
    return cli("desk", "password", ws)


def test_password_from_stdin_is_kept_only_as_an_argon2id_hash(ws, monkeypatch):
    run = _password(ws, "短", monkeypatch)
    assert run.code == 2 and "密码太短" in run.err
    run = _password(ws, PASSWORD, monkeypatch)
    assert run.code == 0 and "已设置" in run.out
    raw = (ws / "desk.sqlite3").read_bytes() + b"".join(p.read_bytes() for p in ws.glob("desk.sqlite3-*"))
    assert PASSWORD.encode() not in raw
    stored = auth.workspace(ws).setting(auth.PASSWORD_KEY)
    assert stored.startswith("$argon2id$")
    assert auth.check_password(auth.workspace(ws), PASSWORD) and not auth.check_password(auth.workspace(ws), PASSWORD + "x")
    assert _password(ws, PASSWORD + "2", monkeypatch).out.startswith("已修改")


def test_codes_are_listed_rotated_and_revoked(ws):
    run = cli("desk", "codes", ws, "--json", "--address", "https://desk.example.gov.cn")
    assert run.code == 0, run.err
    rows = json.loads(run.out)
    assert [r["agency"] for r in rows] == [n for n, _ in agencies()]
    plain = [r["code"].replace("-", "") for r in rows]
    assert all(len(p) == 32 for p in plain) and len(set(plain)) == len(plain)  # 32 base32 letters: 160 bits
    assert rows[0]["link"] == f"https://desk.example.gov.cn/login?code={rows[0]['code']}"
    assert json.loads(cli("desk", "codes", ws, "--json").out)[0]["code"] == rows[0]["code"]  # kept, not remade
    name = rows[1]["agency"]
    rotated = json.loads(cli("desk", "codes", ws, "--json", "--rotate", name).out)
    assert rotated[1]["code"] != rows[1]["code"] and rotated[2]["code"] == rows[2]["code"]
    revoked = json.loads(cli("desk", "codes", ws, "--json", "--revoke", name).out)
    assert revoked[1]["revoked"] and revoked[1]["code"] == ""
    assert auth.agency_of_code(auth.workspace(ws), rotated[1]["code"]) is None
    assert auth.agency_of_code(auth.workspace(ws), rows[2]["code"])["name"] == rows[2]["agency"]
    run = cli("desk", "codes", ws, "--rotate", "不存在的局")
    assert run.code == 2 and "汇总名单中没有" in run.err


def test_codes_of_a_folder_that_is_not_a_workspace(tmp_path):
    run = cli("desk", "codes", tmp_path)
    assert run.code == 2 and "不是报送台工作区" in run.err and not (tmp_path / "desk.sqlite3").exists()


def test_serve_beyond_loopback_is_refused_until_a_password_is_set(ws, monkeypatch):
    run = cli("serve", ws, "--host", "0.0.0.0", "--no-browser")
    assert run.code == 2 and "尚未设置汇总单位密码" in run.err and f"xlgova desk password {ws}" in run.err
    assert not auth.password_set_in(ws)
    _password(ws, PASSWORD, monkeypatch)
    assert auth.password_set_in(ws)
    run = cli("serve", ws, "--host", "0.0.0.0", "--certfile", ws / "none.pem", "--no-browser")
    assert run.code == 2 and "--keyfile" in run.err  # got past the password check, stopped at the HTTPS options


def _consistent(ws) -> set:
    db = sqlite3.connect(ws / "desk.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.execute("SELECT id, sha256, suffix FROM submissions").fetchall()
    db.close()
    for _, sha, suffix in rows:
        assert (ws / "files" / sha[:2] / f"{sha}{suffix}").is_file()
    return {(i, sha) for i, sha, _ in rows}


def test_backup_while_the_desk_takes_submissions_and_restore_round_trip(ws, tmp_path):
    from starlette.testclient import TestClient

    from xlgova.desk import create_app

    before = _consistent(ws)
    app = create_app(ws)
    stop_flag, sent = threading.Event(), []

    def keep_submitting(client):
        i = 10
        while not stop_flag.is_set():
            r = client.post("/api/submissions", files=files(workbook(tmp_path / f"s{i}", agencies()[3][0], i)))
            sent.append(r.json()["submissions"][0]["id"])
            i += 1

    with TestClient(app, base_url=BASE) as c:
        t = threading.Thread(target=keep_submitting, args=(c,))
        t.start()
        time.sleep(0.5)
        run = cli("desk", "backup", ws, "-o", tmp_path / "备份.zip")
        stop_flag.set()
        t.join(60)
    app.state.store.close()
    assert run.code == 0, run.err
    assert sent, "the desk took no submission during the backup"
    restored = tmp_path / "恢复"
    run = cli("desk", "restore", tmp_path / "备份.zip", restored)
    assert run.code == 0, run.err
    got = _consistent(restored)
    assert before <= got <= _consistent(ws)
    assert (restored / "incoming").is_dir()
    from starlette.testclient import TestClient as TC

    app2 = create_app(restored)
    with TC(app2, base_url=BASE) as c:
        status = {a["agency"]: a for a in c.get("/api/status").json()["agencies"]}
        assert status[agencies()[1][0]]["state"] == "已退回" and status[agencies()[2][0]]["version"] == 1
        sid = status[agencies()[1][0]]["submission"]
        assert c.get(f"/api/submissions/{sid}/notice.docx").status_code == 200
    app2.state.store.close()


def test_backup_refuses_to_write_into_the_workspace_or_nowhere(ws, tmp_path):
    before = (ws / "desk.sqlite3").read_bytes()
    for target in (ws / "desk.sqlite3", ws / "files" / "备份.zip", tmp_path / "没有的文件夹" / "备份.zip"):
        run = cli("desk", "backup", ws, "-o", target)
        assert run.code == 2 and ("工作区文件夹" in run.err or "不存在" in run.err), run.err
    assert (ws / "desk.sqlite3").read_bytes() == before


def test_restore_refuses_a_full_folder_a_tampered_file_and_a_foreign_member(ws, tmp_path):
    archive = tmp_path / "备份.zip"
    assert cli("desk", "backup", ws, "-o", archive).code == 0
    run = cli("desk", "restore", archive, ws)
    assert run.code == 2 and "新文件夹或空文件夹" in run.err
    with zipfile.ZipFile(archive) as z:
        members = {n: z.read(n) for n in z.namelist()}
    blob = next(n for n in members if n.startswith("files/"))
    for label, change in (("损坏", {blob: members[blob] + b"x"}), ("不应出现", {"../../evil.txt": b"x"})):
        bad = tmp_path / f"{label}.zip"
        with zipfile.ZipFile(bad, "w") as z:
            for n, data in {**members, **change}.items():
                z.writestr(n, data)
        run = cli("desk", "restore", bad, tmp_path / f"to-{label}")
        assert run.code == 2 and label in run.err, run.err
        assert not (tmp_path / f"to-{label}").exists() and not (tmp_path / "evil.txt").exists()


def _certificate(folder):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def test_https_sets_a_secure_cookie_and_hsts(ws, tmp_path, monkeypatch):
    pytest.importorskip("cryptography")
    _password(ws, PASSWORD, monkeypatch)
    cert, key = _certificate(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen([sys.executable, "-m", "xlgova", "serve", str(ws), "--port", str(port), "--no-browser",
                             "--certfile", str(cert), "--keyfile", str(key)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ctx = ssl.create_default_context(cafile=str(cert))
    ctx.check_hostname = False

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=ctx), NoRedirect)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                opener.open(f"https://127.0.0.1:{port}/login", timeout=5).read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.2)
        data = f"password={urllib.request.quote(PASSWORD)}".encode()
        req = urllib.request.Request(f"https://127.0.0.1:{port}/login", data=data, method="POST")
        try:
            opener.open(req, timeout=30)
            raise AssertionError("a sign-in answers with a redirect")
        except urllib.error.HTTPError as e:
            assert e.code == 303
            cookie = e.headers["set-cookie"]
            assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
            assert e.headers["strict-transport-security"].startswith("max-age=")
    finally:
        stop(proc)
