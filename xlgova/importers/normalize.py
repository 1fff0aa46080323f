"""Text normalisation for matching published text against the official labels.

Published reports differ from the format's labels in ways that carry no meaning: full-/half-width
characters, traditional characters on mirror sites, spaces inside words ("尚 未 审 结"), straight or curly
quotes, markdown emphasis, and a few recurring OCR misreadings. :func:`fold` removes all of them, so a
label matches when ``fold(cell) == fold(label)``. The values themselves are never folded: they are kept as
found and judged by the rules.
"""
from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from ..model import BLANK, NUMBER, SYMBOL, chinese_number, parse_value

# OCR and extraction misreadings seen in real reports: wrong text -> official text. Data, not code:
# add a pair here when a new one turns up (tests/test_import_normalize.py lists the known ones).
OCR_VARIANTS: dict[str, str] = {
    "本年度止件数": "本年废止件数",
    "本年度废止件数": "本年废止件数",
    "现行有效件效": "现行有效件数",
    "本年制发件效": "本年制发件数",
}

# Other wordings of an official label that published reports use for the same row or column.
# official label -> accepted variants. Official labels come from xlgova.formats; only variants live here.
LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "行政规范性文件": ("规范性文件",),
    "规范性文件": ("行政规范性文件",),
    "商业企业": ("商业机构",),
    "社会公益组织": ("社会组织",),
    "行政事业性收费": ("行政事业收费",),
}

# Radicals that PDFs made by WPS or Word often give for ordinary ideographs (their fonts map the common
# ideograph's glyph to the radical's code point): CJK Radicals Supplement -> the ideograph it stands for
# (Unicode's EquivalentUnifiedIdeograph.txt). NFKC maps only 2 of these; the Kangxi radicals (U+2F00–U+2FD5,
# "⼀、总体情况", "⾏政复议") and the CJK compatibility ideographs are mapped by NFKC (see _compat_table).
RADICAL_IDEOGRAPHS: dict[str, str] = {
    "⺅": "亻", "⺉": "刂", "⺌": "小", "⺖": "忄", "⺘": "扌", "⺙": "攵", "⺜": "日", "⺝": "月", "⺟": "母",
    "⺠": "民", "⺡": "氵", "⺣": "灬", "⺧": "牛", "⺨": "犭", "⺩": "王", "⺬": "示", "⺭": "礻", "⺰": "纟",
    "⺷": "羊", "⺼": "月", "⺾": "艹", "⺿": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻄": "西", "⻅": "见",
    "⻆": "角", "⻇": "角", "⻈": "讠", "⻉": "贝", "⻋": "车", "⻌": "辶", "⻍": "辶", "⻎": "辶", "⻏": "阝",
    "⻐": "钅", "⻑": "長", "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页",
    "⻛": "风", "⻜": "飞", "⻝": "食", "⻠": "饣", "⻡": "首", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼",
    "⻦": "鸟", "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
}
# Kangxi radicals, CJK compatibility ideographs and their supplement: the ranges NFKC maps one to one.
_NFKC_IDEOGRAPH_RANGES = ((0x2F00, 0x2FD5), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
_COMPAT = re.compile("[\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")


@lru_cache(maxsize=1)
def _compat_table() -> dict[int, str]:
    table = {ord(k): v for k, v in RADICAL_IDEOGRAPHS.items()}
    for lo, hi in _NFKC_IDEOGRAPH_RANGES:
        for code in range(lo, hi + 1):
            mapped = unicodedata.normalize("NFKC", chr(code))
            if mapped != chr(code) and len(mapped) == 1:
                table[code] = mapped
    return table


def ordinary_ideographs(text: str) -> str:
    """"⼀、总体情况" / "⻓春市" (radicals a PDF's font maps ideographs to) -> "一、总体情况" / "长春市"."""
    if not text or _COMPAT.search(text) is None:
        return text
    return text.translate(_compat_table())


_QUOTES = dict.fromkeys(map(ord, "“”‘’\"'「」『』〝〞"), None)
_SPACE = re.compile(r"\s+")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\S)#+\s")

# Numbering in front of a heading or row label: 一、 / 3、 / （二） / (2) / 1. / 1、 / 第一部分
NUMBERING = re.compile(
    r"^(?:[(（]\s*(?:[一二三四五六七八九十]+|\d{1,2})\s*[)）]|(?:[一二三四五六七八九十]+|\d{1,2})\s*[、.．,，:：]"
    r"|第[一二三四五六七八九十]+部分[、:：]?)\s*"
)
_TRAILING_PAREN = re.compile(r"[(（][^()（）]*[)）]$")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    import zhconv.zhconv as z

    return frozenset(k for k, v in z.getdict("zh-cn").items() if len(k) == 1 and v != k)  # not the identities


TRADITIONAL_EVIDENCE = 2  # distinct traditional characters that make a text traditional

# A reader that converts a document piece by piece (table cells) decides once for the whole document.
_DOCUMENT_TRADITIONAL: ContextVar[bool | None] = ContextVar("document_traditional", default=None)


def is_traditional(text: str) -> bool:
    """Written in traditional characters: at least two distinct ones. One alone is a name's own character in
    simplified text (长安区砲里街道: zhconv would make it 炮里), never converted."""
    if not text:
        return False
    found = _traditional_chars().intersection(text)
    return len(found) >= TRADITIONAL_EVIDENCE


@contextmanager
def document_script(text: str):
    """Within this block, :func:`to_simplified` converts (or not) as the whole document ``text`` says."""
    token = _DOCUMENT_TRADITIONAL.set(is_traditional(ordinary_ideographs(text)))
    try:
        yield
    finally:
        _DOCUMENT_TRADITIONAL.reset(token)


def to_simplified(text: str) -> str:
    """The text every reader takes from a document: radicals and compatibility ideographs made ordinary
    (:func:`ordinary_ideographs`), then traditional -> simplified (zhconv) when the document is traditional
    (:func:`is_traditional`, decided for the whole document inside :func:`document_script`, else for this text).
    Simplified text is not converted: that would only rewrite names' own characters and rare phrases, and
    costs most of a text import's time."""
    text = ordinary_ideographs(text)
    decided = _DOCUMENT_TRADITIONAL.get()
    if not text or not (is_traditional(text) if decided is None else decided) or _traditional_chars().isdisjoint(text):
        return text
    import zhconv

    return zhconv.convert(text, "zh-cn")


def clean_line(text: str) -> str:
    """A line as a person reads it: no markdown emphasis, no non-breaking or ideographic spaces at the ends."""
    text = _EMPHASIS.sub("", text)
    return text.replace("\u3000", " ").replace("\xa0", " ").strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The matching key of a piece of text: NFKC, no spaces, no quotes, OCR variants corrected."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = _EMPHASIS.sub("", t).translate(_QUOTES)
    t = _SPACE.sub("", t)
    for wrong, right in OCR_VARIANTS.items():
        if wrong in t:
            t = t.replace(wrong, right)
    return t


def strip_numbering(folded: str) -> str:
    """Remove heading/row numbering (repeatedly: （三）不予公开1.属于国家秘密 keeps its tail)."""
    prev = None
    while prev != folded:
        prev, folded = folded, NUMBERING.sub("", folded, count=1)
    return folded


def strip_trailing_paren(folded: str) -> str:
    return _TRAILING_PAREN.sub("", folded)


def numbering_ordinal(text: str) -> tuple[int | None, int]:
    """(ordinal, style) of a heading's numbering: style 2 for 二、/2、, 1 for （二）/(2), 0 for none."""
    t = unicodedata.normalize("NFKC", text).strip()
    m = re.match(r"^([一二三四五六七八九十]+|\d{1,2})\s*[、.,:]", t)
    if m:
        return _ordinal(m.group(1)), 2
    m = re.match(r"^\(\s*([一二三四五六七八九十]+|\d{1,2})\s*\)", t)
    if m:
        return _ordinal(m.group(1)), 1
    m = re.match(r"^第([一二三四五六七八九十]+)部分", t)
    if m:
        return _ordinal(m.group(1)), 2
    return None, 0


def _ordinal(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return chinese_number(token)


_ITEM_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.．、]\s*\D")
_VALUE_WORD = re.compile(r"^[增减加少]*\s*[+-]?\d[\d,.，]*\s*(万元|元|件|个|项|万)?$")


@lru_cache(maxsize=65536)
def is_value_text(text: str) -> bool:
    """Could this cell be a table value (number, blank, placeholder, 减4, 251000元)?"""
    v = parse_value(text)
    if v.kind in (NUMBER, BLANK, SYMBOL):
        return True
    t = unicodedata.normalize("NFKC", text).strip()
    if _ITEM_NUMBER.match(t):
        return False  # "1.属于国家秘密" is a row label
    return bool(_VALUE_WORD.match(t.replace(" ", "")))


def label_keys(label: str) -> tuple[str, ...]:
    """Matching keys of an official label and its variants: full text, without numbering, without notes."""
    keys: list[str] = []
    for text in (label, *LABEL_VARIANTS.get(label, ())):
        full = fold(text)
        core = strip_numbering(full)
        bare = strip_trailing_paren(core)
        for k in (full, core, bare):
            # Short cores ("其他", "总计") only match with their numbering: headers use the same words.
            if k and k not in keys and (k == full or len(k) >= 4):
                keys.append(k)
    return tuple(keys)


_ENUM_COMMA = re.compile(r"(?<![\d.])(\d{1,2})[、,.．:：](?=[^\d\s])")


def canon_numbering(folded: str) -> str:
    """Arabic enumeration written 3、 / 3． / 3, / 3: (a habit of some publishers) -> 3. as in the formats."""
    return _ENUM_COMMA.sub(r"\1.", folded) if any(ch.isdigit() for ch in folded) else folded


def matches_label(cell_folded: str, keys: tuple[str, ...]) -> bool:
    if not cell_folded:
        return False
    cell_folded = canon_numbering(cell_folded)
    bare = strip_trailing_paren(cell_folded)
    for k in keys:
        if cell_folded.endswith(k) or bare.endswith(k):
            prefix = (cell_folded if cell_folded.endswith(k) else bare)[: -len(k)]
            if _is_label_prefix(prefix):
                return True
    return False


MIN_WRAPPED = 6  # characters of a label's beginning that identify it when the rest is on another line


def matches_label_start(cell_folded: str, keys: tuple[str, ...]) -> bool:
    """The cell ends with the beginning of a label whose rest wrapped onto another line
    ("（二）部分公开（区分处理的，只计这一情" … "形，不计其他情形）"), after numbering or group words."""
    cell = canon_numbering(cell_folded)
    for k in keys:
        if len(k) <= MIN_WRAPPED + 1 or len(strip_numbering(k)) < 5:
            continue
        pos = cell.find(k[:MIN_WRAPPED])
        if pos >= 0 and k.startswith(cell[pos:]) and len(cell) - pos < len(k) and _is_label_prefix(cell[:pos]):
            return True
    return False


def matches_label_typo(cell_folded: str, keys: tuple[str, ...]) -> bool:
    """One character misprinted in a label of five characters or more ("行政止公开"-style typos)."""
    cell = strip_numbering(canon_numbering(cell_folded))
    for k in keys:
        core = strip_numbering(k)
        if len(core) >= 5 and len(cell) >= len(core):
            tail = cell[len(cell) - len(core) :]
            if sum(a != b for a, b in zip(tail, core)) == 1 and _is_label_prefix(cell[: len(cell) - len(core)]):
                return True
    return False


MIN_GAPPED = 10  # characters of a label long enough to be known with a word left out or added


def matches_label_gap(cell_folded: str, keys: tuple[str, ...]) -> bool:
    """A long label with one or two characters left out or added in one place ("上年结转政府信息公开数量" for
    上年结转政府信息公开申请数量)."""
    cell = strip_numbering(canon_numbering(cell_folded))
    for k in keys:
        core = strip_numbering(k)
        if len(core) < MIN_GAPPED or not 1 <= abs(len(core) - len(cell)) <= 2:
            continue
        short, long_ = (cell, core) if len(cell) < len(core) else (core, cell)
        d = len(long_) - len(short)
        if any(long_[:i] + long_[i + d :] == short for i in range(1, len(short))):
            return True
    return False


def _is_label_prefix(prefix: str) -> bool:
    """What may stand before a label in the same cell: numbering and group labels, not prose."""
    if not prefix:
        return True
    return len(prefix) <= 24 and not re.search(r"[。;；]", prefix)
