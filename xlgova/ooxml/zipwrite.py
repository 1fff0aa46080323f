"""Assemble a zip from parts compressed ahead of time (the writer's unchanged template parts).

``zipfile`` recompresses every part on every write; for a filled template most parts never change, so
they are deflated once per process and copied, and only the filled sheets are deflated per workbook (at
level 1: 3x faster than level 6 for ~20 % more bytes on one sheet).
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20
_UTF8 = 0x800


@dataclass(frozen=True)
class Part:
    name: bytes
    flags: int
    time: int
    date: int
    crc: int
    size: int
    data: bytes  # raw deflate stream
    external_attr: int = 0


def deflate(name: str, content: bytes, *, level: int = 6, date_time=(1980, 1, 1, 0, 0, 0), external_attr: int = 0) -> Part:
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(content) + comp.flush()
    encoded = name.encode("utf-8")
    flags = _UTF8 if not name.isascii() else 0
    y, mo, d, h, mi, s = date_time
    dos_time = (h << 11) | (mi << 5) | (s // 2)
    dos_date = (max(y, 1980) - 1980) << 9 | (mo << 5) | d
    return Part(encoded, flags, dos_time, dos_date, zlib.crc32(content), len(content), data, external_attr)


def assemble(parts: list[Part]) -> bytes:
    """The bytes of a zip archive holding ``parts`` in order (no zip64: workbooks are small)."""
    chunks, central, offset = [], [], 0
    for p in parts:
        header = _LOCAL.pack(0x04034B50, _VERSION, p.flags, 8, p.time, p.date, p.crc, len(p.data), p.size, len(p.name), 0)
        chunks += (header, p.name, p.data)
        central.append(_CENTRAL.pack(0x02014B50, _VERSION, _VERSION, p.flags, 8, p.time, p.date, p.crc, len(p.data), p.size,
                                     len(p.name), 0, 0, 0, 0, p.external_attr, offset) + p.name)
        offset += len(header) + len(p.name) + len(p.data)
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(parts), len(parts), len(directory), offset, 0)
    return b"".join(chunks) + directory + end
