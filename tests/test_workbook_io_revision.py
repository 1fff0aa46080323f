"""Template revisions: the builder stamps one, the reader recognises it, older workbooks read the same.

``tests/data/revision1-<format>.xlsx`` were filled (``write_workbook``) from the templates of xlgova 0.1.0
— revision 1, without the stamp — and ``revision1-<format>.json`` is what the reader gave for them then.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from xlgova.model import report_from_json
from xlgova.workbook import layout as L
from xlgova.workbook import read_workbook, write_workbook
from xlgova.workbook.reader_cells import current_names
from xlgova.workbook.template import build_template
from xlgova.ooxml.parts import open_package

DATA = Path(__file__).parent / "data"
FORMATS = ("2021", "2019")


def old_workbook(fid: str) -> Path:
    return DATA / f"revision1-{fid}.xlsx"


def expected(fid: str):
    return report_from_json(json.loads((DATA / f"revision1-{fid}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("fid", FORMATS)
def test_templates_carry_the_current_revision(fid, tmp_path):
    wb = build_template(fid)
    assert wb.defined_names[L.REVISION_NAME].attr_text == str(L.TEMPLATE_REVISION)
    report = expected(fid)
    path = write_workbook(report, tmp_path / "filled.xlsx")
    assert L.template_revision(open_package(path).names) == L.TEMPLATE_REVISION


@pytest.mark.parametrize("fid", FORMATS)
def test_a_workbook_from_revision_1_is_recognised_and_read_like_today(fid, tmp_path):
    old = old_workbook(fid)
    with zipfile.ZipFile(old) as zf:
        assert L.REVISION_NAME not in zf.read("xl/workbook.xml").decode("utf-8")
    assert L.template_revision(open_package(old).names) == 1
    want = expected(fid)
    got = read_workbook(old)
    assert got.findings == []  # no workbook.cell_missing / names_missing: every cell found by its name
    assert got.to_json() | {"findings": None} == want.to_json() | {"findings": None}
    # the same report filled into today's template reads to the same values from the same cells
    today = read_workbook(write_workbook(want, tmp_path / "today.xlsx"))
    assert today.values == got.values and today.findings == []
    assert {c: (s.sheet, s.address) for c, s in today.provenance.items()} == \
        {c: (s.sheet, s.address) for c, s in got.provenance.items()}


def test_a_renamed_name_is_found_in_workbooks_of_older_revisions(tmp_path, monkeypatch):
    """When a revision renames a defined name, workbooks filled before it still read (not as missing cells)."""
    old = old_workbook("2021")
    renamed = tmp_path / "renamed-in-revision-1.xlsx"
    with zipfile.ZipFile(old) as zin, zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/workbook.xml":  # the cell's name as a hypothetical revision 1 spelled it
                data = data.replace(b'name="gova.apps.new.natural"', b'name="gova.apps.received.natural"')
            zout.writestr(item, data)
    monkeypatch.setattr(L, "RENAMED", {2: {"gova.apps.received.natural": "gova.apps.new.natural"}})
    current_names.cache_clear()
    try:
        got = read_workbook(renamed)
        assert got.findings == [] and got.values == expected("2021").values
        assert got.location("apps.new.natural") == "依申请公开!D6"
        stamped = tmp_path / "stamped-revision-2.xlsx"  # a workbook that says it is revision 2 is not translated
        stamped.write_bytes(_stamp(renamed.read_bytes(), 2))
        assert [f.rule for f in read_workbook(stamped).findings] == ["workbook.names_missing"]
    finally:
        current_names.cache_clear()


def _stamp(data: bytes, revision: int) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            part = zin.read(item)
            if item.filename == "xl/workbook.xml":
                part = re.sub(rb"</definedNames>", b'<definedName name="%s">%d</definedName></definedNames>'
                              % (L.REVISION_NAME.encode(), revision), part)
            zout.writestr(item, part)
    return out.getvalue()


def test_names_since_follows_renames_across_revisions(monkeypatch):
    monkeypatch.setattr(L, "RENAMED", {3: {"gova.a": "gova.b"}, 4: {"gova.b": "gova.c"}})
    assert L.names_since(2) == {"gova.a": "gova.c", "gova.b": "gova.c"}
    assert L.names_since(3) == {"gova.b": "gova.c"}
    assert L.names_since(4) == {}


def test_a_workbook_from_a_newer_template_says_to_upgrade(tmp_path):
    newer = tmp_path / "newer.xlsx"
    newer.write_bytes(_stamp(old_workbook("2021").read_bytes(), L.TEMPLATE_REVISION + 1))
    got = read_workbook(newer)
    assert [f.rule for f in got.findings] == ["workbook.template_newer"] and "升级" in got.findings[0].message
    assert got.values == expected("2021").values
