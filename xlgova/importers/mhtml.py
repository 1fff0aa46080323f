"""Pages saved by a browser or Word as one file (.mhtml / .mht, “网页，单个文件”) -> the page's HTML text.

Such a file is a MIME ``multipart/related`` message: the page itself (``text/html``, quoted-printable or base64,
with a charset) and its pictures and style sheets. The page is the part named by the message's ``start``
parameter, else the first ``text/html`` part; its bytes are decoded here (:func:`html.decode_html`, the part's
charset first) and read by the one HTML reader. Part boundaries and multipart containers (which bound the
nesting) are counted on the bytes before the standard library's ``email`` parser runs.
"""
from __future__ import annotations

import email
import email.policy
import re

from .. import limits
from ..errors import XlgovaError
from ..ooxml.filekinds import sniff_text
from .bounds import refuse
from .html import decode_html

RESAVE = "请在浏览器中打开该网页，另存为“网页，仅 HTML”（.html）后再导入。"
_BOUNDARY_LINE = re.compile(rb"^--[!-~]{1,200}\r?$", re.M)  # a boundary is 1-70 printable characters, no spaces
_MULTIPART = re.compile(rb"content-type:\s*multipart/", re.I)
_HEAD = re.compile(rb"^\s*(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?content-type:", re.I)


def mhtml_page(data: bytes, path) -> str:
    """The text of the page a .mhtml file holds, or an :class:`XlgovaError` naming ``path``."""
    if not data:
        raise XlgovaError("文件是空的（0 字节），可能保存或传输时出错", path=path, hint=RESAVE)
    if not _HEAD.match(data[:65536]):
        return _not_mime(data, path)
    parts = len(_BOUNDARY_LINE.findall(data))
    if parts > limits.MHTML_MAX_PARTS:
        raise refuse(path, f"网页存档中有约 {parts} 个部分（上限 {limits.MHTML_MAX_PARTS}）")
    containers = len(_MULTIPART.findall(data))
    if containers > limits.MHTML_MAX_MULTIPARTS:
        raise refuse(path, f"网页存档中有 {containers} 层或组多部分内容（上限 {limits.MHTML_MAX_MULTIPARTS}）")
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        part = _main_part(message)
        payload = part.get_payload(decode=True) if part is not None else None
        charset = part.get_content_charset() if part is not None else None
    except (RecursionError, ValueError, LookupError, TypeError, IndexError, AttributeError) as e:
        raise XlgovaError(f"网页存档已损坏，无法读取（{type(e).__name__}）", path=path, hint=RESAVE) from None
    if not payload:
        raise XlgovaError("网页存档中没有网页（text/html）部分", path=path, hint=RESAVE)
    return decode_html(payload, charset)


def _main_part(message):
    """The part ``start`` names (by Content-ID), else the first text/html part; walked without recursion."""
    start = (message.get_param("start") or "").strip().strip("<>") if message.is_multipart() else ""
    first = None
    stack = [message]
    while stack:
        part = stack.pop()
        if part.is_multipart():
            stack.extend(reversed(part.get_payload()))
            continue
        if part.get_content_type() != "text/html":
            continue
        if start and (part.get("Content-ID") or "").strip().strip("<>") == start:
            return part
        first = first or part
    return first


def _not_mime(data: bytes, path) -> str:
    """A page saved as plain HTML under a .mht name is read as the page it is; anything else is refused."""
    kind = sniff_text(data[:8192])
    if kind.startswith("网页（HTML）"):
        return decode_html(data)
    what = f"这是{kind}" if kind else "文件内容无法识别"
    raise XlgovaError(f"{what}，不是网页存档（.mhtml/.mht）", path=path, hint=RESAVE)
