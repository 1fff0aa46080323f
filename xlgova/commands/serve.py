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
报送台只在本机地址（127.0.0.1）上提供服务；按 Ctrl+C 停止。"""

DEFAULT_PORT = 8765


def add_arguments(p) -> None:
    p.add_argument("workspace", nargs="?", default="报送台", metavar="WORKSPACE", help="工作区文件夹（默认：当前目录下的“报送台”）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只允许本机地址）")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    p.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")


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

    if not _loopback(args.host):
        raise XlgovaError(f"报送台目前只能在本机地址上运行（收到 --host {args.host}）",
                          hint="报送台尚无登录和权限控制，不能对局域网开放；请使用 --host 127.0.0.1。")
    if not 0 < args.port < 65536:
        raise XlgovaError("--port 应为 1–65535 之间的端口号")
    workspace = Path(args.workspace)
    app = create_app(workspace)
    handler = logging.FileHandler(workspace / "desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logging.getLogger("xlgova.desk").addHandler(handler)
    host = "127.0.0.1" if args.host == "localhost" else args.host
    url = f"http://{host if ':' not in host else f'[{host}]'}:{args.port}/"
    sock = _bind(host, args.port, url)
    print(f"报送台已启动：{url}（工作区 {workspace.resolve()}）。按 Ctrl+C 停止。", flush=True)
    if not args.no_browser:
        threading.Timer(1.0, webbrowser.open, (url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, limit_concurrency=200, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


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
