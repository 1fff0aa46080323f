"""Opening input files: existing, readable, of sensible size — or a Chinese message naming the file."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
from pathlib import Path

from . import limits
from .errors import XlgovaError
from .model import Report, report_from_json


# Why an input cannot be opened, in Chinese (strerror is English).
_ERRNO_WORDS = {errno.ELOOP: "符号链接循环（链接最终指向自身），无法读取", errno.ENAMETOOLONG: "文件名或路径过长",
                errno.ENOTDIR: "路径中有一段不是文件夹", errno.EIO: "磁盘读写错误", errno.ENXIO: "设备不存在或未连接"}
_RETRY_HINT = "请检查文件权限，或把文件复制到自己的文件夹后再试。"


def _os_words(e: OSError) -> str:
    return _ERRNO_WORDS.get(e.errno) or f"无法读取文件（系统错误 {errno.errorcode.get(e.errno or 0, e.errno)}）"


@contextlib.contextmanager
def _input_errors(p: Path, what: str):
    try:
        yield
    except FileNotFoundError:
        if p.is_symlink():
            raise XlgovaError(f"这是一个符号链接，它指向的文件不存在（{os.readlink(p)}）", path=p,
                              hint="请选择保存在磁盘上的文件本身。") from None
        raise XlgovaError("文件不存在", path=p) from None
    except IsADirectoryError:
        raise XlgovaError(f"这是一个文件夹，不是{what}", path=p) from None
    except PermissionError:
        raise XlgovaError("没有权限读取该文件", path=p, hint=_RETRY_HINT) from None
    except OSError as e:
        raise XlgovaError(_os_words(e), path=p, hint="请选择保存在磁盘上的文件本身，或把它复制到自己的文件夹后再试。") from None


def _regular(p: Path, st: os.stat_result, what: str) -> None:
    """Only regular files are read: a FIFO would block for ever, a device (/dev/zero) never end."""
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise XlgovaError(f"这是一个文件夹，不是{what}", path=p)
    link = f"（符号链接，指向 {os.readlink(p)}）" if p.is_symlink() else ""
    if stat.S_ISFIFO(mode):
        kind = "命名管道（FIFO）"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "设备文件"
    elif stat.S_ISSOCK(mode):
        kind = "套接字（socket）"
    else:
        kind = "特殊文件"
    raise XlgovaError(f"这是{kind}{link}，不是普通文件，已拒绝读取", path=p, hint=f"请选择保存在磁盘上的{what}。")


def _size(p: Path, st: os.stat_result, what: str, max_bytes: int | None) -> None:
    if max_bytes is not None and st.st_size > max_bytes:
        raise XlgovaError(f"文件过大（{st.st_size // 1024 // 1024} MB，上限 {max_bytes // 1024 // 1024} MB），不像是{what}", path=p,
                          hint="请确认选择了正确的文件。")


def check_input_file(path: str | Path, what: str, *, max_bytes: int | None = None) -> Path:
    """An existing regular file of sensible size, or an :class:`XlgovaError` in Chinese: FIFOs, devices,
    sockets (and symlinks to them), dangling links and symlink loops are refused at once."""
    p = Path(path)
    with _input_errors(p, what):
        st = p.stat()
    _regular(p, st, what)
    _size(p, st, what, max_bytes)
    return p


def read_input_bytes(path: str | Path, what: str, *, max_bytes: int | None = None) -> bytes:
    """An input file's bytes, or an :class:`XlgovaError` saying in Chinese why they cannot be read.

    The file is opened without blocking and checked again on the open descriptor, so a file swapped for a
    FIFO or a device between the check and the read is still refused; at most ``max_bytes`` are read.
    """
    p = check_input_file(path, what, max_bytes=max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    with _input_errors(p, what):
        fd = os.open(p, flags)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            _regular(p, st, what)
            _size(p, st, what, max_bytes)
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:  # it grew after the check
        raise XlgovaError(f"文件过大（超过 {max_bytes // 1024 // 1024} MB），不像是{what}", path=p, hint="请确认选择了正确的文件。")
    return data


def load_report_json(path: str | Path) -> Report:
    """Report JSON within ``limits``: size, nesting depth and number length are checked on the text before
    ``json`` parses it (it would recurse, or reject a 5,000-digit number with an English ValueError)."""
    p = Path(path)
    try:
        text = read_input_bytes(p, "报告文件", max_bytes=limits.JSON_MAX_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise XlgovaError(f"不是 UTF-8 编码的 JSON 文本（第 {e.start + 1} 个字节无法解码）", path=p) from None
    check_json_text(text, p)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise XlgovaError(f"JSON 格式错误（第{e.lineno}行第{e.colno}列：{json_words(e.msg)}）", path=p) from None
    except (ValueError, RecursionError):  # pragma: no cover - check_json_text refuses these first
        raise XlgovaError("JSON 内容超出可读取的范围", path=p) from None
    return report_from_json(data, source=str(p))


# -- report JSON ------------------------------------------------------------------------------------------
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]|-?[0-9][0-9.eE+-]*')
_JSON_WORDS = (("Expecting value", "此处应为一个值"), ("Expecting ',' delimiter", "缺少逗号"),
               ("Expecting ':' delimiter", "缺少冒号"), ("Expecting property name enclosed in double quotes", "键名应放在双引号中"),
               ("Unterminated string starting at", "字符串没有结束"), ("Extra data", "JSON 结束后还有多余的内容"),
               ("Invalid control character at", "字符串中有控制字符"), ("Invalid \\escape", "无效的转义符"),
               ("Invalid \\uXXXX escape", "无效的 \\u 转义符"))


def json_words(msg: str) -> str:
    """json's English error message in Chinese."""
    return next((zh for en, zh in _JSON_WORDS if msg.startswith(en)), "无法解析")


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"第{line}行第{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}列"


def check_json_text(text: str, p: Path) -> None:
    """Nesting depth and number length, checked on the text (json would recurse, or raise an English ValueError)."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limits.JSON_MAX_DEPTH:
                raise XlgovaError(f"JSON 嵌套过深（{_position(text, m.start())}超过 {limits.JSON_MAX_DEPTH} 层），不像一份报告", path=p,
                                  hint="报告 JSON 只有几层；请确认选择了正确的文件。")
        elif token in ("]", "}"):
            depth -= 1
        elif token[0] != '"' and len(token) > limits.NUMBER_MAX_CHARS:
            raise XlgovaError(f"JSON 中的数字过长（{_position(text, m.start())}，{len(token)} 个字符，上限 {limits.NUMBER_MAX_CHARS}）",
                              path=p, hint="件数不会超过 15 位数字；请核对该处。")
