"""Multipart uploads streamed straight to the workspace's ``incoming/`` folder, hashed as they arrive, capped.

Starlette's own form parser keeps files in memory-or-/tmp spools of unbounded size; the desk needs a hard
cap per file and per request, the SHA-256 computed while the bytes arrive, and the bytes on the workspace's
disk (so keeping them is a rename). An upload's file name is only ever *shown*: on disk it is ``incoming/``
+ random, then ``files/<sha256>``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..limits import DESK_FIELD_BYTES as MAX_FIELD_BYTES
from ..limits import DESK_FIELDS as MAX_FIELDS
from ..limits import DESK_PART_HEADER_BYTES as MAX_HEADER_BYTES
from ..limits import DESK_PART_HEADERS as MAX_HEADERS
from ..limits import DESK_UPLOAD_BYTES as MAX_FILE_BYTES
from ..limits import DESK_UPLOAD_FILES as MAX_FILES


class UploadError(Exception):
    """The request cannot be used; ``message`` is Chinese, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Upload:
    field: str
    name: str  # the file's own name as sent (base name only), for display and matching
    path: Path  # incoming/…, unique
    sha256: str = ""
    size: int = 0

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()[:16]

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class Received:
    files: list[Upload] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        for f in self.files:
            f.discard()


def display_name(raw: str) -> str:
    """The base name of a sent file name (a folder drop sends 文件夹/单位.xlsx; old IE sends C:\\…)."""
    name = PureWindowsPath(PurePosixPath(raw).name).name.strip().replace("\x00", "")
    return name[:200] or "未命名文件"


class _Parser:
    def __init__(self, incoming: Path, max_file_bytes: int, max_files: int):
        self.incoming, self.max_file_bytes, self.max_files = incoming, max_file_bytes, max_files
        self.out = Received()
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._file = None
        self._upload: Upload | None = None
        self._hash = None
        self._field_name = ""
        self._field_data = bytearray()

    def on_part_begin(self) -> None:
        self._headers, self._header_field, self._header_value = {}, b"", b""

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]
        self._bounded(self._header_field)

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]
        self._bounded(self._header_value)

    def _bounded(self, header: bytes) -> None:
        if len(header) > MAX_HEADER_BYTES or len(self._headers) > MAX_HEADERS:
            raise UploadError("上传的表单数据格式错误（表单头过长）")

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._field_name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            if len(self.out.fields) >= MAX_FIELDS:
                raise UploadError("表单字段过多")
            self._upload, self._field_data = None, bytearray()
            return
        if len(self.out.files) >= self.max_files:
            raise UploadError(f"一次最多上传 {self.max_files} 个文件，请分批上传", 413)
        fd, tmp = tempfile.mkstemp(prefix=".up-", suffix=".tmp", dir=self.incoming)
        self._file = os.fdopen(fd, "wb")
        self._upload = Upload(self._field_name, display_name(filename.decode("utf-8", "replace")), Path(tmp))
        self._hash = hashlib.sha256()
        self.out.files.append(self._upload)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._upload is None:
            self._field_data += chunk
            if len(self._field_data) > MAX_FIELD_BYTES:
                raise UploadError("表单内容过长", 413)
            return
        self._upload.size += len(chunk)
        if self._upload.size > self.max_file_bytes:
            raise UploadError(f"{self._upload.name}：文件过大（超过 {self.max_file_bytes // 1024 // 1024} MB），不像是年度报告，未接收", 413)
        self._hash.update(chunk)
        self._file.write(chunk)

    def on_part_end(self) -> None:
        if self._upload is None:
            self.out.fields[self._field_name] = self._field_data.decode("utf-8", "replace")
            return
        self._file.close()  # flushed to disk with the batch (Store.flush) before anyone is told it arrived
        self._file = None
        self._upload.sha256 = self._hash.hexdigest()
        self._upload = None

    def on_end(self) -> None:
        pass

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
        self.out.discard()


async def receive(request, incoming: Path, *, max_file_bytes: int = MAX_FILE_BYTES, max_files: int = MAX_FILES) -> Received:
    """Parse a ``multipart/form-data`` request body into files on disk and text fields."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header

    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError("请以 multipart/form-data 表单上传文件（字段名 file）", 415)
    p = _Parser(incoming, max_file_bytes, max_files)
    callbacks = {k: getattr(p, k) for k in ("on_part_begin", "on_part_data", "on_part_end", "on_header_field",
                                            "on_header_value", "on_header_end", "on_headers_finished", "on_end")}
    parser = MultipartParser(params[b"boundary"], callbacks)
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        p.abort()
        raise UploadError("上传的表单数据不完整或格式错误") from None
    except BaseException:
        p.abort()  # a client that went away, or a cap exceeded: nothing half-received stays behind
        raise
    if any(not f.sha256 for f in p.out.files):
        p.abort()
        raise UploadError("上传未完成（连接中断），未接收任何文件")
    return p.out


def from_file(path: Path, incoming: Path) -> Upload:
    """A file already on this machine (the demo, a folder given on the command line) as if it had been
    uploaded: copied into ``incoming/``, hashed and flushed the same way."""
    fd, tmp = tempfile.mkstemp(prefix=".up-", suffix=".tmp", dir=incoming)
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return Upload("file", display_name(Path(path).name), Path(tmp), digest.hexdigest(), size)
