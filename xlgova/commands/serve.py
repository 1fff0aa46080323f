"""xlgova serve: the desk (报送台) in the browser — 自查 for clerks, 进度/退回/催报/汇总 for the supervisor."""
from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
import webbrowser
from pathlib import Path

from ..errors import XlgovaError

NAME = "serve"
HELP = "启动报送台（浏览器中的自查、报送进度、退回、催报和汇总）"
EPILOG = """示例：
  xlgova serve 报送台2024
  xlgova serve demo_output/报送台 --port 8800 --no-browser

工作区是一个文件夹（空文件夹会自动建成工作区），保存名单、各单位报送的文件、审核记录和操作记录。
默认只在本机地址（127.0.0.1）上提供服务；设置汇总单位密码（xlgova desk password）后可用 --host 对局域网开放，
建议同时用 --certfile/--keyfile 启用 HTTPS。按 Ctrl+C 停止。"""

DEFAULT_PORT = 8765


def add_arguments(p) -> None:
    p.add_argument("workspace", nargs="?", default="报送台", metavar="WORKSPACE", help="工作区文件夹（默认：当前目录下的“报送台”）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；设置密码后才可用局域网地址，如 0.0.0.0）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    p.add_argument("--certfile", help="HTTPS 证书文件（PEM），与 --keyfile 一起使用")
    p.add_argument("--keyfile", help="HTTPS 私钥文件（PEM）")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args) -> int:
    import uvicorn

    from ..desk import create_app

    from ..desk.auth import password_set_in
    from ..desk.web import LOOPBACK_HOSTS

    local = _loopback(args.host)
    if not local and not password_set_in(Path(args.workspace)):
        raise XlgovaError(f"尚未设置汇总单位密码，报送台只能在本机地址上运行（收到 --host {args.host}）",
                          hint=f"对局域网开放前，请先运行 xlgova desk password {args.workspace} 设置汇总单位密码（之后所有页面都需登录）；"
                               "或使用 --host 127.0.0.1 仅在本机使用。")
    if not 0 < args.port < 65536:
        raise XlgovaError("--port 应为 1–65535 之间的端口号")
    ssl = _tls(args)
    workspace = Path(args.workspace)
    app = create_app(workspace, hosts=LOOPBACK_HOSTS if local else None)
    handler = logging.FileHandler(workspace / "desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.getLogger("xlgova.desk").addHandler(handler)
    host = "127.0.0.1" if args.host == "localhost" else args.host
    url = f"{'https' if ssl else 'http'}://{host if ':' not in host else f'[{host}]'}:{args.port}/"
    sock = _bind(host, args.port, url)
    print(f"报送台已启动：{url}（工作区 {workspace.resolve()}）。按 Ctrl+C 停止。", flush=True)
    if not local and not ssl:
        print("提示：未启用 HTTPS（--certfile/--keyfile），密码、访问码和报送的文件将以明文在网络上传输。", file=sys.stderr, flush=True)
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, limit_concurrency=200, timeout_graceful_shutdown=5, **ssl)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _tls(args) -> dict:
    """uvicorn's HTTPS options from --certfile/--keyfile (both or neither, both readable)."""
    if not (args.certfile or args.keyfile):
        return {}
    if not (args.certfile and args.keyfile):
        raise XlgovaError("启用 HTTPS 需要同时给出 --certfile 和 --keyfile")
    for name in (args.certfile, args.keyfile):
        if not Path(name).is_file():
            raise XlgovaError("找不到证书或私钥文件", path=name)
    return {"ssl_certfile": args.certfile, "ssl_keyfile": args.keyfile}


def _bind(host: str, port: int, url: str) -> socket.socket:
    """The listening socket, bound before anything is announced: a taken port is a clear message, not a log."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    if sys.platform != "win32":  # on Windows this option lets two servers share a port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise XlgovaError(f"无法在 {url} 启动报送台（{e.strerror or e}）", hint="端口可能已被占用，请用 --port 换一个端口。") from None
    sock.set_inheritable(True)
    return sock
