"""Cell ids are a published contract: report JSON keys, 明细 columns and the defined names of filled workbooks.

``tests/data/cell_ids.txt`` was generated from the code before the ids were made explicit; it must never
change (a new id may be added at the end of its format's list only with a new template revision).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import xlgova.formats
from xlgova.consolidate.detail import columns as detail_columns
from xlgova.formats import FORMATS, Row, Table
from xlgova.workbook import layout as L

FROZEN = Path(__file__).parent / "data" / "cell_ids.txt"
FORMATS_DIR = Path(xlgova.formats.__file__).parent
ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def current_ids() -> list[str]:
    """The same lines as the frozen file, from the code as it is now."""
    lines = []
    for fid, fmt in FORMATS.items():
        lines += [f"{fid}\t{cid}\t{L.defined_name(cid)}" for cid in fmt.cells]
        lines += [f"{fid}\tprev:{cid}\t{L.previous_name(cid)}" for cid in L.previous_cells(fid)]
        lines += [f"{fid}\tcover:{key}\t{L.cover_name(key)}" for key, _label, _address in L.COVER_FIELDS]
        lines += [f"{fid}\tsection:{key}\t{L.NAME_PREFIX}section.{key}" for key in L.NARRATIVE_CELLS]
        keys = [key for key, _header in detail_columns(fid)]  # the 明细 archive: fixed columns, cells, narrative
        cells = [key for key in keys if key in fmt.cells]
        assert cells == list(fmt.cells), "明细 holds every cell, in display order"
        lines += [f"{fid}\tdetail:{key}\t明细" for key in keys if key not in fmt.cells]
    return lines


def frozen_ids() -> list[str]:
    return [line for line in FROZEN.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def test_cell_ids_equal_the_frozen_list_in_order():
    now, frozen = current_ids(), frozen_ids()
    assert len(frozen) == 474  # 200 + 198 cells, 26 last-year cells; per format 9 cover fields, 3 sections, 13 明细 keys
    gone = [line for line in frozen if line not in now]
    new = [line for line in now if line not in frozen]
    assert not gone and not new, f"ids renamed or removed: {gone[:5]}; ids added: {new[:5]}"
    assert now == frozen, "the order of the ids (明细 columns, report JSON) changed"


@pytest.mark.parametrize("fid", list(FORMATS))
def test_every_row_and_column_id_is_written_in_the_format_data(fid):
    """No id is computed (numbered from a position, joined from parts): each appears as a quoted literal."""
    source = "".join(p.read_text(encoding="utf-8") for p in FORMATS_DIR.glob("*.py"))
    for table in FORMATS[fid].tables:
        for part in (table, *table.rows, *table.cols):
            assert ID.match(part.id), part.id
            assert f'"{part.id}"' in source, f"{table.id}: id {part.id!r} is not written out in xlgova/formats"
        assert len({r.id for r in table.rows}) == len(table.rows), table.id
        assert len({c.id for c in table.cols}) == len(table.cols), table.id


def test_inserting_a_row_in_a_group_renames_no_other_cell():
    apps = FORMATS["2021"].table("apps")
    at = [r.id for r in apps.rows].index("denied_3")
    extra = Row("denied_extra", "3a.地方增加的情形", apps.rows[at].groups, result=True)
    grown = Table(**{**{f: getattr(apps, f) for f in apps.__dataclass_fields__}, "rows": apps.rows[:at] + (extra,) + apps.rows[at:]})
    before = {c.id for c in apps.cells}
    after = {c.id for c in grown.cells}
    assert before <= after and after - before == {f"apps.denied_extra.{c.id}" for c in apps.cols}
