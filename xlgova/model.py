"""The report model: one agency's annual report, whatever it was read from.

A :class:`Value` keeps apart what clerks and published reports actually contain — a blank cell, a number,
a placeholder symbol ("/", "-", "—", "无") and any other text — so that the rules, not the reader, decide
what each means. Amounts are :class:`~decimal.Decimal`; counts are ``int``.
"""
from __future__ import annotations

import contextlib
import json
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping

from .formats import FORMATS, Format, format_for_year, get_format

BLANK = "blank"
NUMBER = "number"
SYMBOL = "symbol"
TEXT = "text"

# Placeholders clerks type where a number belongs. They mean "nothing" but are not a number.
SYMBOLS = frozenset({"/", "-", "—", "——", "－", "／", "无", "空", "\\", "–", "-"})

_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_SIGNED_WORD = re.compile(r"(增|减|增加|减少)\s*([0-9]+)")


class XlgovaError(Exception):
    """Input that cannot be used at all. The message is Chinese and names the file (and sheet/cell)."""

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str = ""):
        self.path = str(path) if path is not None else None
        self.hint = hint
        full = f"{self.path}：{message}" if self.path else message
        super().__init__(full + (f"\n  {hint}" if hint else ""))


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
            return self.number if isinstance(self.number, int) else str(self.number)
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


def format_number(n: int | Decimal | None) -> str:
    if n is None:
        return ""
    if isinstance(n, Decimal):
        text = format(n, "f")
        return text
    return str(n)


def _to_number(text: str) -> int | Decimal | None:
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return None
    return int(d) if "." not in text else d


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
        return Value(NUMBER, int(raw) if raw == raw.to_integral_value() and raw.as_tuple().exponent >= 0 else raw)
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
    """Unambiguous spellings of a number: full-width digits, thousands separators."""
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


@dataclass(frozen=True)
class Source:
    """Where a value came from: a workbook cell, a line of text, a document table cell or a PDF page."""

    file: str | None = None
    sheet: str | None = None
    address: str | None = None
    line: int | None = None
    page: int | None = None
    text: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file:
            parts.append(Path(self.file).name)
        if self.sheet:
            parts.append(f"{self.sheet}!{self.address}" if self.address else self.sheet)
        elif self.address:
            parts.append(self.address)
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        return " ".join(parts)

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_json(cls, data: Mapping) -> "Source":
        return cls(**{k: data.get(k) for k in ("file", "sheet", "address", "line", "page", "text")})


@dataclass
class Report:
    """One agency's report for one statistics year in one format version."""

    agency: str
    year: int | None
    format_id: str
    values: dict[str, Value] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, Source] = field(default_factory=dict)
    previous: "Report | None" = None
    meta: dict[str, Any] = field(default_factory=dict)  # cover fields, import notes, summary info
    source: str | None = None  # the file this report was read from
    findings: list = field(default_factory=list)  # findings made while reading (importer, reader)

    @property
    def format(self) -> Format:
        return get_format(self.format_id)

    def value(self, cell_id: str) -> Value | None:
        """The value of a cell; None when the cell is absent from the source."""
        return self.values.get(cell_id)

    def number(self, cell_id: str) -> int | Decimal | None:
        v = self.values.get(cell_id)
        return v.number if v is not None and v.is_number else None

    def set(self, cell_id: str, raw: Any, source: Source | None = None) -> None:
        self.format.cell(cell_id)  # refuse ids the format does not have
        self.values[cell_id] = parse_value(raw)
        if source is not None:
            self.provenance[cell_id] = source

    def location(self, cell_id: str) -> str | None:
        src = self.provenance.get(cell_id)
        if src and src.sheet and src.address:
            return f"{src.sheet}!{src.address}"
        return None

    # -- JSON -------------------------------------------------------------------------------------------
    def to_json(self, *, provenance: bool = False) -> dict:
        data: dict[str, Any] = {
            "agency": self.agency,
            "year": self.year,
            "format": self.format_id,
            "values": {cid: self.values[cid].to_json() for cid in self.format.cells if cid in self.values},
            "sections": dict(self.sections),
        }
        if self.meta:
            data["meta"] = dict(self.meta)
        if provenance and self.provenance:
            data["provenance"] = {k: s.to_json() for k, s in self.provenance.items()}
        if self.findings:  # what the reader/importer found (lost tables, repaired rows); validate() repeats them
            data["findings"] = [f.to_json() for f in self.findings]
        if self.previous is not None:
            data["previous"] = self.previous.to_json()
        return data

    def dumps(self, **kw) -> str:
        return json.dumps(self.to_json(**kw), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, data: Mapping, *, source: str | None = None) -> "Report":
        return report_from_json(data, source=source)


def _json_value(raw: Any) -> Any:
    """In report JSON a decimal string is a number; other strings are raw text as found."""
    if isinstance(raw, str):
        stripped = raw.strip()
        if stripped and _PLAIN_NUMBER.fullmatch(stripped) and stripped == raw:
            return Decimal(raw) if "." in raw else int(raw)
    return raw


def report_from_json(data: Mapping, *, source: str | None = None, where: str = "") -> Report:
    """Build a Report from report JSON; raises :class:`XlgovaError` with a Chinese message when unusable."""
    where = where or (source or "报告JSON")
    if not isinstance(data, Mapping):
        raise XlgovaError("内容不是报告对象（应为 JSON 对象）", path=where)
    year = data.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise XlgovaError(f"统计年度 year 应为整数，实际为 {year!r}", path=where)
    fmt_id = data.get("format")
    if fmt_id is None:
        if year is None:
            raise XlgovaError("缺少格式版本 format 和统计年度 year，无法判断报告格式", path=where)
        fmt_id = format_for_year(year).id
    fmt_id = str(fmt_id)
    if fmt_id not in FORMATS:
        raise XlgovaError(f"未知的格式版本 format={fmt_id!r}（可用：{'、'.join(FORMATS)}）", path=where)
    fmt = get_format(fmt_id)
    values_in = data.get("values", {})
    if not isinstance(values_in, Mapping):
        raise XlgovaError("values 应为对象（单元格编号 → 数值）", path=where)
    unknown = [k for k in values_in if k not in fmt.cells]
    if unknown:
        raise XlgovaError(
            f"values 中有 {len(unknown)} 个单元格编号不属于 {fmt_id} 格式：{'、'.join(unknown[:5])}", path=where
        )
    values = {}
    for cid in fmt.cells:
        if cid in values_in:
            raw = values_in[cid]
            if isinstance(raw, (list, dict)):
                raise XlgovaError(f"单元格 {cid} 的值应为数字、字符串或 null", path=where)
            values[cid] = parse_value(_json_value(raw))
    sections_in = data.get("sections") or {}
    if not isinstance(sections_in, Mapping):
        raise XlgovaError("sections 应为对象（一、五、六 → 文字）", path=where)
    report = Report(
        agency=str(data.get("agency") or ""),
        year=year,
        format_id=fmt_id,
        values=values,
        sections={str(k): str(v) for k, v in sections_in.items() if v is not None},
        meta=dict(data.get("meta") or {}),
        source=source,
    )
    prov = data.get("provenance")
    if isinstance(prov, Mapping):
        report.provenance = {k: Source.from_json(v) for k, v in prov.items() if isinstance(v, Mapping)}
    if isinstance(data.get("findings"), list):
        report.findings = _findings_from_json(data["findings"], where)
    if data.get("previous") is not None:
        report.previous = report_from_json(data["previous"], source=source, where=f"{where}（previous）")
    return report


def _findings_from_json(items: list, where: str) -> list:
    from .rules.catalog import RULE_INFO
    from .rules.result import Finding

    out = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("rule") not in RULE_INFO:
            raise XlgovaError(f"findings 中有无法识别的条目：{str(item)[:80]}", path=where)
        out.append(
            Finding(
                item["rule"], RULE_INFO[item["rule"]].severity, str(item.get("message", "")),
                tuple(item.get("cells") or ()), item.get("expected"), item.get("actual"),
                tuple(item.get("previous_cells") or ()), tuple((item.get("locations") or {}).items()), item.get("quote"),
            )
        )
    return out


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


def empty_report(format_id: str, *, agency: str = "", year: int | None = None, zeros: bool = False) -> Report:
    fmt = get_format(format_id)
    values = {cid: parse_value(0) for cid in fmt.cells} if zeros else {}
    return Report(agency=agency, year=year, format_id=format_id, values=values)

