"""Writing outputs safely: atomically, never over an input, never turning agency text into a formula."""
from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import XlgovaError

# What makes a spreadsheet program read text as a formula (CSV/DDE injection); the one list.
FORMULA_STARTS = ("=", "+", "-", "@")
ESCAPE = "'"  # put in front of such text, so it stays text; readers drop it again (unescape)
_STRIPPED_STARTS = ("\t", "\r")  # removed rather than escaped


# Characters that act instead of showing: C0 controls (ESC starts terminal sequences, BEL rings, CR returns to
# the line start so a fake "结论：通过" can overwrite the real one), DEL, C1 controls, bidirectional overrides
# (text that reads backwards), the BOM, and lone surrogates (the undecodable bytes of a file name).
_ACTING = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_ACTING_IN_LINE = re.compile(f"[\t\n{_ACTING}]")
_ACTING_IN_TEXT = re.compile(f"[{_ACTING}]")


def shown(text: str, *, lines: bool = False) -> str:
    """Text from a file (or a file's name), safe to put on a terminal, into a workbook, a Word document or a
    web page: whatever would act instead of show is replaced by a visible stand-in.

    C0 controls become their control pictures (ESC -> ␛, CR -> ␍), DEL ␡; other acting characters
    ``<U+202E>``; a file name's undecodable byte (a lone surrogate from ``os.fsdecode``) ``<0xB9>``. No
    backslash or quote is produced, so the result stays valid inside JSON strings and XML text. ``lines``:
    keep tab and line feed (messages, narrative); otherwise they too are shown (names, one-line fields).
    """
    pattern = _ACTING_IN_TEXT if lines else _ACTING_IN_LINE
    if not pattern.search(text):
        return text
    if lines:
        text = text.replace("\r\n", "\n")
    return pattern.sub(_stand_in, text)


def _stand_in(m: re.Match) -> str:
    cp = ord(m.group())
    if cp < 0x20:
        return chr(0x2400 + cp)
    if cp == 0x7F:
        return "\u2421"
    if 0xDC80 <= cp <= 0xDCFF:
        return f"<0x{cp - 0xDC00:02X}>"
    return f"<U+{cp:04X}>"


class ShownStream(io.TextIOBase):
    """A text stream that passes everything written through :func:`shown` (``lines=True``): the CLI's
    stdout and stderr, so no byte from a file reaches the terminal raw."""

    def __init__(self, stream):
        self.raw_stream = stream

    def write(self, text: str) -> int:
        self.raw_stream.write(shown(text, lines=True))
        return len(text)

    def flush(self) -> None:
        self.raw_stream.flush()

    def isatty(self) -> bool:
        return self.raw_stream.isatty()

    def fileno(self) -> int:
        return self.raw_stream.fileno()

    @property
    def encoding(self):
        return getattr(self.raw_stream, "encoding", "utf-8")


def safe_text(value):
    """Text from agencies written into a cell can never become a formula (CSV/DDE injection), and carries no
    acting characters (:func:`shown`)."""
    if isinstance(value, str):
        value = shown(value, lines=True)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS + _STRIPPED_STARTS):
        return ESCAPE + value if not value.startswith(_STRIPPED_STARTS) else value.lstrip("\t\r")
    return value


def unescape(text: str) -> str:
    """What safe_text wrote, as the agency typed it: the escape in front of formula-like text dropped."""
    if text.startswith(ESCAPE) and text.lstrip(ESCAPE).startswith(FORMULA_STARTS):
        return text[1:]
    return text


_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_stem(text: str, default: str = "未命名单位") -> str:
    """An agency's name as part of a file name: characters no file system accepts become "_"."""
    return _UNSAFE_IN_NAMES.sub("_", text).strip(" ._")[:80] or default


def prepare_output(path: str | Path) -> Path:
    """Check an output path before any work is done: its folder exists and is writable."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise XlgovaError("输出文件夹不存在", path=parent, hint="请先创建该文件夹，或换一个输出位置。")
    if p.is_dir():
        raise XlgovaError("输出路径是一个文件夹，请给出文件名", path=p)
    # A rename over a read-only file succeeds on POSIX; whoever marked it read-only did not want it replaced.
    if p.is_file() and not p.stat().st_mode & 0o222:
        raise XlgovaError("输出文件为只读，为防止覆盖已停止", path=p, hint="请取消该文件的只读属性，或换一个输出文件名。")
    if not os.access(parent, os.W_OK):
        raise XlgovaError("没有权限写入输出文件夹", path=parent)
    return p


@contextlib.contextmanager
def atomic_output(path: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it into place in one step.

    A process killed mid-write leaves the previous output intact, and an output never overwrites one of
    the command's inputs.
    """
    p = prepare_output(path)
    for i in inputs:
        with contextlib.suppress(OSError):
            if Path(i).exists() and p.exists() and p.samefile(i):
                raise XlgovaError("输出文件与输入文件相同，为防止覆盖原始数据，已停止", path=p, hint="请换一个输出文件名。")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=p.suffix + ".tmp", dir=p.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, _default_mode(p))
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, p)
        except PermissionError:
            # Windows: a target open in Excel/WPS (sharing violation) fails here, as does a read-only folder on
            # Linux/macOS: the previous file is untouched and the temp file is removed below.
            raise XlgovaError("无法写入输出文件（可能正被 Excel/WPS 打开或为只读）", path=p, hint="请关闭该文件后重试，或换一个输出文件名。") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _default_mode(path: Path) -> int:
    """mkstemp creates 0600 files; outputs get the mode a normal write would give (or keep the old one)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text_atomic(path: str | Path, text: str) -> Path:
    with atomic_output(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
