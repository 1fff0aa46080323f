"""The report model: one agency's annual report, whatever it was read from, and its JSON form."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from .. import limits
from ..errors import XlgovaError
from ..formats import FORMATS, Format, format_for_year, get_format
from .catalog import RULE_INFO
from .finding import Finding
from .values import _PLAIN_NUMBER, Value, parse_value


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
            return Decimal(raw) if "." in raw or len(raw) > limits.NUMBER_MAX_CHARS else int(raw)  # int() refuses 4,300+ digits
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
    out = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("rule") not in RULE_INFO:
            raise XlgovaError(f"findings 中有无法识别的条目：{str(item)[:80]}", path=where)
        out.append(
            Finding(
                item["rule"], RULE_INFO[item["rule"]].severity, str(item.get("message", "")),
                tuple(item.get("cells") or ()), item.get("expected"), item.get("actual"),
                tuple(item.get("previous_cells") or ()), tuple((item.get("locations") or {}).items()), item.get("quote"),
                str(item.get("subject") or ""),
            )
        )
    return out


def empty_report(format_id: str, *, agency: str = "", year: int | None = None, zeros: bool = False) -> Report:
    fmt = get_format(format_id)
    values = {cid: parse_value(0) for cid in fmt.cells} if zeros else {}
    return Report(agency=agency, year=year, format_id=format_id, values=values)
