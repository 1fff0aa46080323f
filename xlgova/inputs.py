"""Opening input files: existing, readable, of sensible size — or a Chinese message naming the file."""
from __future__ import annotations

import contextlib
import json
import stat
from pathlib import Path

from .errors import XlgovaError
from .model import Report, report_from_json


@contextlib.contextmanager
def _input_errors(p: Path, what: str):
    try:
        yield
    except FileNotFoundError:
        raise XlgovaError("文件不存在", path=p) from None
    except IsADirectoryError:
        raise XlgovaError(f"这是一个文件夹，不是{what}", path=p) from None
    except PermissionError:
        raise XlgovaError("没有权限读取该文件", path=p, hint="请检查文件权限，或把文件复制到自己的文件夹后再试。") from None
    except OSError as e:
        raise XlgovaError(f"无法读取文件（{e.strerror or e}）", path=p) from None


def check_input_file(path: str | Path, what: str, *, max_bytes: int | None = None) -> Path:
    """An existing, readable-looking input file of sensible size, or an :class:`XlgovaError` in Chinese."""
    p = Path(path)
    with _input_errors(p, what):
        st = p.stat()
    if stat.S_ISDIR(st.st_mode):
        raise XlgovaError(f"这是一个文件夹，不是{what}", path=p)
    if max_bytes is not None and st.st_size > max_bytes:
        raise XlgovaError(f"文件过大（{st.st_size // 1024 // 1024} MB），不像是{what}", path=p, hint="请确认选择了正确的文件。")
    return p


def read_input_bytes(path: str | Path, what: str, *, max_bytes: int | None = None) -> bytes:
    """An input file's bytes, or an :class:`XlgovaError` saying in Chinese why they cannot be read."""
    p = check_input_file(path, what, max_bytes=max_bytes)
    with _input_errors(p, what):
        return p.read_bytes()


def load_report_json(path: str | Path) -> Report:
    p = Path(path)
    try:
        text = read_input_bytes(p, "报告文件").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise XlgovaError("不是 UTF-8 编码的 JSON 文本", path=p) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise XlgovaError(f"JSON 格式错误（第{e.lineno}行第{e.colno}列：{e.msg}）", path=p) from None
    return report_from_json(data, source=str(p))
