"""The six sections: where each heading is, and the narrative text of 一, 五, 六.

A heading is a short line whose text, without its numbering, is the section's title or one of its
variants (``fmt.sections``). "四、结转下年度继续办理" is therefore never a heading: its words are not a
section title. Sub-headings of 一 that repeat a title ("（二）主动公开政府信息情况") lose to the real
heading by their numbering style.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..formats import Format
from .lines import Line
from .normalize import clean_line, fold, numbering_ordinal, strip_numbering

MAX_HEADING = 48  # characters; longer lines are prose that happens to start with a title
MOJIBAKE = "?？\ufffd"  # no-break spaces that went through a GBK page become "????" before a heading


@dataclass(frozen=True)
class Heading:
    key: str  # 一..六
    index: int  # line index
    rank: int  # 3 numbered with the right ordinal "二、", 2 "（二）", 1 other numbering, 0 bare title


ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def _titles(fmt: Format) -> dict[str, set[str]]:
    out = {}
    for s in fmt.sections:
        out[s.key] = {fold(s.title)} | {fold(v) for v in s.variants}
    return out


def heading_candidates(lines: list[Line], fmt: Format) -> list[Heading]:
    titles = _titles(fmt)
    out = []
    for i, line in enumerate(lines):
        text = line.text.lstrip(MOJIBAKE)
        if not text or len(text) > MAX_HEADING or len(line.nonempty()) > 1:
            continue
        key = fold(text)
        bare = strip_numbering(key).rstrip("。:：")
        for sec, names in titles.items():
            if bare in names:
                ordinal, style = numbering_ordinal(clean_line(text))
                if ordinal == ORDINALS[sec]:
                    rank = 3 if style == 2 else 2
                else:
                    rank = 1 if style else 0
                out.append(Heading(sec, i, rank))
    return out


def find_headings(lines: list[Line], fmt: Format) -> dict[str, Heading]:
    """The heading chosen for each section found, in document order."""
    cands = heading_candidates(lines, fmt)
    chosen: dict[str, Heading] = {}
    after = -1
    for s in fmt.sections:
        mine = [h for h in cands if h.key == s.key and h.index > after]
        if not mine:
            continue
        best = max(h.rank for h in mine)
        h = min((h for h in mine if h.rank == best), key=lambda h: h.index)
        chosen[s.key] = h
        after = h.index
    return chosen


def section_spans(headings: dict[str, Heading], n_lines: int) -> dict[str, tuple[int, int]]:
    """section key -> (first line after the heading, end line exclusive)."""
    ordered = sorted(headings.values(), key=lambda h: h.index)
    spans = {}
    for k, h in enumerate(ordered):
        end = ordered[k + 1].index if k + 1 < len(ordered) else n_lines
        spans[h.key] = (h.index + 1, end)
    return spans


_PARA_END = tuple("。！？；：:;!?”）)】」")


def narrative_text(lines: list[Line], start: int, end: int) -> str:
    """The section's paragraphs; lines broken mid-sentence by PDF extraction are joined again."""
    paras: list[str] = []
    for ln in lines[start:end]:
        t = ln.text.strip()
        if not t:
            continue
        if paras and not paras[-1].endswith(_PARA_END) and not numbering_ordinal(t)[1] and len(paras[-1]) >= 20:
            paras[-1] += t
        else:
            paras.append(t)
    return "\n".join(paras)
