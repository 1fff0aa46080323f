"""`xlgova serve` refuses what it must refuse, in Chinese, with exit 2 and without starting a server."""
from __future__ import annotations

from _hardening import cli


def test_serve_refuses_a_non_loopback_address(tmp_path):
    run = cli("serve", tmp_path / "ws", "--host", "0.0.0.0", "--no-browser")
    assert run.code == 2 and "本机地址" in run.err and "127.0.0.1" in run.err
    assert not (tmp_path / "ws").exists()


def test_serve_refuses_a_folder_that_is_not_a_workspace(tmp_path):
    (tmp_path / "我的文档.docx").write_bytes(b"x")
    run = cli("serve", tmp_path, "--no-browser")
    assert run.code == 2 and "不是报送台工作区" in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["我的文档.docx"]


def test_serve_help_has_an_example():
    run = cli("serve", "--help")
    assert run.code == 0 and "xlgova serve 报送台2024" in run.out


def test_serve_on_a_taken_port_says_so(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        run = cli("serve", tmp_path / "ws", "--port", str(s.getsockname()[1]), "--no-browser")
    assert run.code == 2 and "端口可能已被占用" in run.err and "已启动" not in run.out
