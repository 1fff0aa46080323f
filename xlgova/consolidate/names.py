"""Agency names: normalisation and matching against the county's roster (名单).

Clerks write the same agency many ways: full-width letters and brackets, stray spaces, 镇人民政府 / 镇政府 /
镇, 街道办事处 / 街道, with or without the county's name in front. A name matches a roster entry when their
normalised keys are equal; failing that, when exactly one roster key ends with it (the county prefix
left out). Anything else is reported as unknown or ambiguous — never guessed.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import limits
from ..errors import XlgovaError
from ..inputs import check_input_file, read_input_bytes

_SPACES = re.compile(r"[\s\u3000\u00a0·•・]+")
# Suffix variants that name the same organ; applied in order, longest first.
_SUFFIXES = (
    ("街道办事处", "街道"),
    ("人民政府办公室", "政府办"),
    ("政府办公室", "政府办"),
    ("人民政府", "政府"),
    ("乡政府", "乡"),
    ("镇政府", "镇"),
    ("委员会", "委"),
)
_AREA = re.compile(r"^(.{1,10}?(?:自治县|自治州|自治旗|特区|林区|新区|县|市|区|旗|州))")


def normalise_name(name: str) -> str:
    """The key two spellings of one agency share: NFKC, no spaces or dots, one spelling per suffix."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    text = _SPACES.sub("", text).replace("(", "（").replace(")", "）")
    changed = True
    while changed:  # 镇人民政府 → 镇政府 → 镇
        changed = False
        for long, short in _SUFFIXES:
            if text.endswith(long) and len(text) > len(long):
                text, changed = text[: -len(long)] + short, True
                break
    return text


def area_of(names) -> str:
    """The area most names start with (泓川县人民政府办公室, 泓川县财政局 → 泓川县); '' when none stands out."""
    counts = Counter(m.group(1) for n in names if (m := _AREA.match(unicodedata.normalize("NFKC", str(n or "")).strip())))
    if not counts:
        return ""
    area, n = counts.most_common(1)[0]
    return area if n * 2 >= max(1, len(names)) or n >= 3 else ""


@dataclass(frozen=True)
class RosterEntry:
    name: str
    code: str = ""
    level: str = ""
    parent: str = ""  # 上级单位: the node of the roster tree this unit is summed into
    person: str = ""  # 联系人 (the desk's 催报 list and 报送通知)
    phone: str = ""  # 联系电话


@dataclass(frozen=True)
class Match:
    """How a submitted name was matched: the roster entry, or why there is none."""

    entry: RosterEntry | None
    how: str  # exact / suffix / unknown / ambiguous / none (no roster given)
    candidates: tuple[str, ...] = ()

    @property
    def note(self) -> str:
        if self.how == "suffix" and self.entry:
            return f"名称与名单不完全一致，按名单中的“{self.entry.name}”计"
        if self.how == "unknown":
            return "单位名称不在汇总名单中"
        if self.how == "ambiguous":
            return "单位名称与名单中多个单位相符（" + "、".join(self.candidates) + "），无法确定"
        return ""


@dataclass
class Roster:
    entries: list[RosterEntry] = field(default_factory=list)
    source: str = ""

    def __post_init__(self) -> None:
        self._by_key: dict[str, list[RosterEntry]] = defaultdict(list)
        for e in self.entries:
            self._by_key[normalise_name(e.name)].append(e)

    def __len__(self) -> int:
        return len(self.entries)

    def parent_of(self, entry: RosterEntry) -> str:
        """The parent's name as the roster spells it (a parent outside the roster is a node of its own)."""
        if not entry.parent:
            return ""
        hits = self._by_key.get(normalise_name(entry.parent), [])
        return hits[0].name if len(hits) == 1 else entry.parent

    @property
    def has_tree(self) -> bool:
        return any(e.parent for e in self.entries)

    def parent_cycle(self) -> list[str]:
        """A chain of parents that comes back to where it started ([] when the tree is a tree)."""
        parents = {e.name: self.parent_of(e) for e in self.entries}
        for start in parents:
            seen, node = [start], parents[start]
            while node:
                if node in seen:
                    return seen[seen.index(node):] + [node]
                seen.append(node)
                node = parents.get(node, "")
        return []

    def duplicates(self) -> list[list[str]]:
        return [[e.name for e in v] for v in self._by_key.values() if len(v) > 1]

    def match(self, name: str) -> Match:
        key = normalise_name(name)
        if not key:
            return Match(None, "unknown")
        hits = self._by_key.get(key, [])
        if len(hits) == 1:
            return Match(hits[0], "exact")
        if len(hits) > 1:
            return Match(None, "ambiguous", tuple(e.name for e in hits))
        if len(key) >= 3:
            tails = [e for k, v in self._by_key.items() for e in v if k.endswith(key) or key.endswith(k) and len(k) >= 3]
            if len(tails) == 1:
                return Match(tails[0], "suffix")
            if len(tails) > 1:
                return Match(None, "ambiguous", tuple(e.name for e in tails[:5]))
        return Match(None, "unknown")


_NAME_HEADERS = ("单位名称", "名称", "单位", "机关名称", "name", "agency")
_CODE_HEADERS = ("单位代码", "代码", "统一社会信用代码", "编码", "code")
_LEVEL_HEADERS = ("单位层级", "层级", "级别", "level")
_PARENT_HEADERS = ("上级单位", "上级单位名称", "上级", "parent")
_PERSON_HEADERS = ("联系人", "联系人姓名", "联系人员", "contact")
_PHONE_HEADERS = ("联系电话", "联系人电话", "电话", "手机", "手机号", "手机号码", "联系方式", "phone")
_OPTIONAL = {"code": _CODE_HEADERS, "level": _LEVEL_HEADERS, "parent": _PARENT_HEADERS, "person": _PERSON_HEADERS,
             "phone": _PHONE_HEADERS}


def _column(header: list[str], names) -> int | None:
    folded = [unicodedata.normalize("NFKC", h or "").strip().lower() for h in header]
    for n in names:
        if n in folded:
            return folded.index(n)
    return None


def _rows_from_file(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        from ..workbook.reader import bounded_book

        try:
            wb = (bounded_book(path, limits.SUMMARY_MAX_ROWS, limits.ROSTER_MAX_COLS) if suffix in (".xlsx", ".xlsm")
                  else CalamineWorkbook.from_path(str(check_input_file(path, "汇总名单"))))
            rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except XlgovaError:
            raise
        except Exception as e:  # calamine raises several types for damaged files
            raise XlgovaError(f"无法读取汇总名单（{type(e).__name__}）", path=path) from None
        return [["" if c is None else (str(int(c)) if isinstance(c, float) and c.is_integer() else str(c)) for c in r] for r in rows]
    if suffix in (".csv", ".txt"):
        raw = read_input_bytes(path, "汇总名单", max_bytes=limits.FILE_BYTES)
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise XlgovaError("汇总名单的编码无法识别（请另存为 UTF-8 CSV）", path=path)
        return [list(r) for r in csv.reader(text.splitlines())]
    raise XlgovaError("汇总名单应为 .csv 或 .xlsx 文件", path=path)


def load_roster(path: str | Path) -> Roster:
    """Read a roster: one agency a row; columns 单位名称 (required), 单位代码, 单位层级, 上级单位, 联系人 and
    联系电话 (optional; each under any of its header variants, e.g. 电话 or 手机 for the phone)."""
    p = Path(path)
    if not p.is_file():
        raise XlgovaError("汇总名单文件不存在", path=p)
    rows = [r for r in _rows_from_file(p) if any(str(c).strip() for c in r)]
    if not rows:
        raise XlgovaError("汇总名单是空的", path=p)
    header = [str(c) for c in rows[0]]
    name_col = _column(header, _NAME_HEADERS)
    if name_col is None:  # no header row: the first column holds the names
        name_col, cols, body = 0, {}, rows
    else:
        cols, body = {k: _column(header, names) for k, names in _OPTIONAL.items()}, rows[1:]
    cell = lambda r, i: str(r[i]).strip() if i is not None and i < len(r) and r[i] is not None else ""  # noqa: E731
    entries = [RosterEntry(cell(r, name_col), **{k: cell(r, i) for k, i in cols.items()}) for r in body if cell(r, name_col)]
    if not entries:
        raise XlgovaError("汇总名单中没有单位名称", path=p, hint="第一行写表头“单位名称,单位代码,单位层级”，每行一个单位。")
    roster = Roster(entries, str(p))
    dup = roster.duplicates()
    if dup:
        raise XlgovaError("汇总名单中有重复的单位：" + "；".join("、".join(d) for d in dup[:5]), path=p)
    cycle = roster.parent_cycle()
    if cycle:
        raise XlgovaError("汇总名单的“上级单位”形成了循环：" + " → ".join(cycle), path=p,
                          hint="每个单位的上级单位应在它的上一层，不能直接或间接以自己为上级。")
    return roster
