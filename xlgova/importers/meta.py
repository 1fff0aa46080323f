"""Agency, statistics year and format version of a published report.

The agency and year come from the title ("海原县海城街道办事处 2021 年政府信息公开工作年度报告",
"环南街道政府信息公开工作2021年度报告"), the year is confirmed by the statistics period ("本报告统计数据从
2022 年 1 月 1 日至…"). The format is recognised by its own header words (``fmt.detection_keys``); only a
document without any falls back to the format of its year.
"""
from __future__ import annotations

import re
import unicodedata

from .. import formats
from .lines import Line
from .normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年\s*度?")
_TITLE_TAIL = re.compile(r"(关于)?(的)?政府信息(与政务)?公开(工作)?(年度)?(工作)?(年度)?报告.*$")
_PERIOD = re.compile(r"(统计|数据|期限|时限|时间).{0,16}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_AGENCY_JUNK = re.compile(r"^[\s《“\"'【\[]+|[\s》”\"'】\]:：,，、]+$")


def find_title(lines: list[Line], limit: int) -> tuple[str, int | None]:
    """The report title: the first lines before the first section, joined until one says 报告."""
    parts, first = [], None
    for ln in lines[:limit]:
        t = ln.text.strip()
        if not t:
            continue
        if len(t) > 80:
            break
        parts.append(t)
        first = first if first is not None else ln.src.line
        if "报告" in t:
            return "".join(parts) if len(parts) > 1 else t, first
        if len(parts) >= 3:
            break
    return "", None


def agency_from_title(title: str) -> str:
    t = unicodedata.normalize("NFKC", title)
    t = re.sub(r"\s+", "", _YEAR.sub("", t, count=1))
    t = _TITLE_TAIL.sub("", t)
    t = _AGENCY_JUNK.sub("", t)
    return t[:40]


_QUOTED_TITLE = re.compile(r"《([^《》]{2,40}?)(20\d{2})年度?(政府信息(与政务)?公开)")


def agency_from_text(text: str) -> str:
    """Fallback when the title has no agency: "现发布《海原县海城镇人民政府 2022 年政府信息公开年度工作报告》"."""
    m = _QUOTED_TITLE.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    return _AGENCY_JUNK.sub("", m.group(1)) if m else ""


def year_from_title(title: str) -> int | None:
    m = _YEAR.search(unicodedata.normalize("NFKC", title))
    return int(m.group(1)) if m else None


def period_year(text: str) -> int | None:
    m = _PERIOD.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    return int(m.group(2)) if m else None


def detect_format(lines: list[Line], year: int | None) -> tuple[str, dict]:
    """Format id by the detection keys found; ties and documents without keys go by the year, and a
    document with neither is read as the format in use now."""
    folded = fold("\n".join(ln.text for ln in lines))
    fid = formats.detect_format(folded, year, fold=fold) or formats.latest_format().id
    return fid, formats.key_hits(folded, fold)
