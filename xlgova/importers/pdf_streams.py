"""The filter chain of every PDF stream, decoded with a cap before pdfium or pdfminer decode it whole.

A stream's ``/Filter`` may chain decoders (``[/ASCII85Decode /FlateDecode]``), and each non-image decoder
can inflate: Flate ~1000×, LZW ~2700× (a 12-bit code stands for up to ~3,800 bytes), RunLength 64×,
ASCII85 4× (``z``). :func:`decoded_size` runs the chain, each step stopping once its output passes the
cap, so a bomb costs at most the cap. Image decoders (DCT, JPX, CCITT, JBIG2) end the chain: no text
reader decodes an image. A filter no reader knows, a filter given by reference (it cannot be read
before the parser resolves it) or a chain longer than ``MAX_CHAIN`` is reported, and the file refused.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
import zlib

MAX_CHAIN = 4  # real PDFs chain at most two filters (ASCII85 + Flate)
IMAGE = {"DCTDecode", "JPXDecode", "CCITTFaxDecode", "JBIG2Decode"}
ALIASES = {"Fl": "FlateDecode", "LZW": "LZWDecode", "A85": "ASCII85Decode", "AHx": "ASCIIHexDecode",
           "RL": "RunLengthDecode", "DCT": "DCTDecode", "CCF": "CCITTFaxDecode"}
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+|\d+\s+\d+\s+R)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STEP = 2**20


class UnknownFilter(ValueError):
    """A filter (or chain) that cannot be decoded with a cap before the parser sees it."""


def stream_filters(data: bytes, stream_start: int) -> list[str]:
    """The filter names of the stream whose keyword starts at ``stream_start`` (its dictionary lies between
    the object's ``obj`` keyword and there)."""
    head = data.rfind(b"obj", max(0, stream_start - 65536), stream_start)
    m = _FILTER.search(data, head + 3 if head != -1 else max(0, stream_start - 65536), stream_start)
    if m is None:
        return []
    if m.group(1)[:1].isdigit():
        raise UnknownFilter("/Filter " + m.group(1).decode("latin-1"))
    names = [_ESCAPE.sub(lambda e: bytes((int(e.group(1), 16),)), n).decode("latin-1") for n in _NAME.findall(m.group(1))]
    return [ALIASES.get(n, n) for n in names]


def decoded_size(raw: bytes, filters: list[str], cap: int) -> int:
    """The size of ``raw`` decoded through ``filters``; a number above ``cap`` as soon as a step passes it."""
    if len(filters) > MAX_CHAIN:
        raise UnknownFilter(" ".join(filters))
    data = raw
    for name in filters:
        name = ALIASES.get(name, name)
        if name in IMAGE:
            break
        decode = _DECODERS.get(name)
        if decode is None:
            raise UnknownFilter(name)
        data = decode(data, cap + 1)
        if len(data) > cap:
            break
    return len(data)


def _flate(data: bytes, limit: int) -> bytes:
    """Inflated in steps, at most ``limit`` bytes; damaged data yields what inflated before the damage (the
    readers recover that much too)."""
    z, out = zlib.decompressobj(), bytearray()
    try:
        for i in range(0, len(data), _STEP):
            out += z.decompress(data[i:i + _STEP], limit - len(out))
            if len(out) >= limit:
                break
    except zlib.error:
        pass
    return bytes(out)


def _lzw(data: bytes, limit: int) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    try:
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            out += chunk
            if len(out) >= limit:
                break
    except Exception:  # noqa: BLE001 - damaged data: the readers stop there as well
        pass
    return bytes(out)


def _ascii85(data: bytes, limit: int) -> bytes:
    text = re.sub(rb"\s", b"", data)
    text = text[2:] if text.startswith(b"<~") else text
    text = text.split(b"~>")[0]
    if text.count(b"z") * 4 >= limit:  # each z is four zero bytes: refused before they are made
        return bytes(limit)
    try:
        return base64.a85decode(text)
    except ValueError:
        return b""


def _ascii_hex(data: bytes, limit: int) -> bytes:
    text = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">")[0])
    try:
        return binascii.unhexlify(text + b"0" * (len(text) % 2))
    except binascii.Error:  # pragma: no cover - only hex digits are left
        return b""


def _run_length(data: bytes, limit: int) -> bytes:
    out, i, n = bytearray(), 0, len(data)
    while i < n and len(out) < limit:
        length = data[i]
        if length == 128:  # end of data
            break
        if length < 128:
            out += data[i + 1:i + 2 + length]
            i += 2 + length
        else:
            out += data[i + 1:i + 2] * (257 - length)
            i += 2
    return bytes(out)


_DECODERS = {"FlateDecode": _flate, "LZWDecode": _lzw, "ASCII85Decode": _ascii85, "ASCIIHexDecode": _ascii_hex,
             "RunLengthDecode": _run_length, "Crypt": lambda data, limit: data}
