"""One cell's content as found: blank, number, placeholder symbol or other text.

A :class:`Value` keeps apart what clerks and published reports actually contain — a blank cell, a number,
a placeholder symbol ("/", "-", "—", "无") and any other text — so that the rules, not the reader, decide
what each means. Amounts are :class:`~decimal.Decimal`; counts are ``int``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .. import limits

BLANK = "blank"
NUMBER = "number"
SYMBOL = "symbol"
TEXT = "text"

# Placeholders clerks type where a number belongs. They mean "nothing" but are not a number.
SYMBOLS = frozenset({"/", "-", "—", "——", "－", "／", "无", "空", "\\", "–", "-"})

_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
# Characters NFKC folds to digits that are not the full-width forms a Chinese input method types.
_LOOKALIKE_DIGITS = re.compile("[\u00b2\u00b3\u00b9\u2070-\u209f\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf"
                               "\U0001d7ce-\U0001d7ff\U0001f100-\U0001f10c\U0001fbf0-\U0001fbf9]")
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_SIGNED_WORD = re.compile(r"(增|减|增加|减少)\s*([0-9]+)")


@dataclass(frozen=True)
class Value:
    """One cell's content as found. ``number`` is set only for NUMBER values.

    ``normalised`` says the raw text was an unambiguous but unusual spelling of the number
    (full-width digits, surrounding spaces, thousands separators, 减4 in a signed cell).
    """

    kind: str
    number: int | Decimal | None = None
    raw: str | None = None
    normalised: bool = False

    @property
    def is_blank(self) -> bool:
        return self.kind == BLANK

    @property
    def is_number(self) -> bool:
        return self.kind == NUMBER

    @property
    def is_empty(self) -> bool:
        """Blank or a placeholder symbol: the format wants a number here and there is none."""
        return self.kind in (BLANK, SYMBOL)

    def to_json(self) -> Any:
        if self.kind == BLANK:
            return None
        if self.kind == NUMBER and not self.normalised:
            return json_number(self.number)
        return self.raw

    def display(self) -> str:
        if self.kind == BLANK:
            return "空白"
        if self.kind == NUMBER:
            return format_number(self.number)
        return f"“{self.raw}”"

    def __str__(self) -> str:
        return self.display()


BLANK_VALUE = Value(BLANK)


def json_number(n: int | Decimal) -> int | str:
    """A number for JSON: an int as it is, a Decimal (and an int too long for json to print) as its text."""
    return n if isinstance(n, int) and n.bit_length() <= _PRINTABLE_BITS else format_number(n)


_PRINTABLE_BITS = 10_000  # ~3,000 digits: str() refuses ints of more than 4,300 digits (ValueError)


def format_number(n: int | Decimal | None) -> str:
    if n is None:
        return ""
    if isinstance(n, Decimal):
        text = format(n, "f")
        return text
    if n.bit_length() > _PRINTABLE_BITS:  # a total derived from huge cells can be such an int
        return format(Decimal(n), "f")
    return str(n)


def _to_number(text: str) -> int | Decimal | None:
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None
    # A whole number longer than any count stays a Decimal: Python refuses to print an int of more than 4,300
    # digits (ValueError), a Decimal prints at any length (and value.too_large reports it).
    return int(d) if "." not in text and len(text) <= limits.NUMBER_MAX_CHARS else d


def parse_value(raw: Any) -> Value:
    """Turn whatever a reader found (None, int, float, Decimal, str) into a :class:`Value`."""
    if raw is None:
        return BLANK_VALUE
    if isinstance(raw, Value):
        return raw
    if isinstance(raw, bool):
        return Value(TEXT, raw=str(raw).upper())
    if isinstance(raw, int):
        return Value(NUMBER, raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Value(TEXT, raw=str(raw))
        if raw.is_integer():
            return Value(NUMBER, int(raw))
        # Binary floats from spreadsheets: keep the shortest decimal that prints the same.
        return Value(NUMBER, Decimal(repr(raw)))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            return Value(TEXT, raw=str(raw))
        whole = raw.as_tuple().exponent >= 0 and len(raw.as_tuple().digits) <= limits.NUMBER_MAX_CHARS  # see _to_number
        return Value(NUMBER, int(raw) if whole and raw == raw.to_integral_value() else raw)
    text = str(raw)
    stripped = text.strip()
    if stripped == "":
        return BLANK_VALUE
    if stripped in SYMBOLS:
        return Value(SYMBOL, raw=text)
    number = _to_number(stripped)
    if number is not None:
        return Value(NUMBER, number, raw=text, normalised=(stripped != text))
    return _parse_unusual_number(text, stripped)


def _parse_unusual_number(text: str, stripped: str) -> Value:
    """Unambiguous spellings of a number: full-width digits, thousands separators.

    Other characters that merely *fold* to digits — superscripts (²), mathematical digits (𝟓), circled and
    parenthesised numbers (⑫ ⑴ ⒈) — are footnote marks and list numbers as often as counts: they stay text,
    so the cell is reported (value.invalid) instead of read silently as 2, 5 or 12.
    """
    if _LOOKALIKE_DIGITS.search(stripped):
        return Value(TEXT, raw=text)
    folded = unicodedata.normalize("NFKC", stripped).replace(" ", "")
    number = _to_number(folded)
    if number is None and _THOUSANDS.fullmatch(folded):
        number = _to_number(folded.replace(",", ""))
    if number is not None:
        return Value(NUMBER, number, raw=text, normalised=True)
    if folded in SYMBOLS:
        return Value(SYMBOL, raw=text)
    return Value(TEXT, raw=text)


def signed_word_number(value: Value) -> int | None:
    """"减4" / "增4" as written in 本年增/减 cells: -4 / 4; None when the text is not such a word."""
    if value.kind != TEXT or value.raw is None:
        return None
    m = _SIGNED_WORD.fullmatch(unicodedata.normalize("NFKC", value.raw).strip())
    if not m:
        return None
    n = int(m.group(2))
    return -n if m.group(1).startswith("减") else n


_CN_DIGITS = "一二三四五六七八九"


# Every Han block as a regex class range (Ext. A, URO, compatibility ideographs, Ext. B and later): a place
# name's rare character is a Han character too.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


def chinese_number(token: str) -> int | None:
    """一 .. 九十九 (and 两 for 二) as an int: 十 -> 10, 十五 -> 15, 二十三 -> 23; None for anything else.

    The one reader of Chinese numerals: 第十二部分 and （三） in imported documents, 收到申请二十件 in
    the narrative checks.
    """
    token = token.replace("两", "二")
    if not token or any(ch not in _CN_DIGITS and ch != "十" for ch in token):
        return None
    if token == "十":
        return 10
    if "十" in token:
        tens, _, ones = token.partition("十")
        if len(tens) > 1 or len(ones) > 1 or "十" in tens + ones:
            return None  # 十二十, 二十二十: not a number (found by fuzzing)
        return (_CN_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_CN_DIGITS.index(ones) + 1 if ones else 0)
    return _CN_DIGITS.index(token) + 1 if len(token) == 1 else None
