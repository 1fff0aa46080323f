"""One format detection, driven by the formats' data (years, detection keys) — also the 校验结果 formula."""
from __future__ import annotations

import dataclasses
import re

import pytest

from xlgova import formats
from xlgova.formats import FORMATS, detect_format, format_for_year, year_formula


def _excel_if(formula: str, year: int) -> str:
    """Evaluate the nested IF(B4<=N,"id",...) the template writes, for one year."""
    while formula.startswith("IF("):
        m = re.match(r'IF\(B4<=(\d+),"(\w+)",(.*)\)$', formula)
        if year <= int(m.group(1)):
            return m.group(2)
        formula = m.group(3)
    return formula.strip('"')


def test_the_year_formula_and_format_for_year_agree_with_the_years():
    assert year_formula("B4") == 'IF(B4<=2020,"2019","2021")'
    for year in range(2015, 2040):
        fmt = format_for_year(year)
        assert _excel_if(year_formula("B4"), year) == fmt.id
        assert fmt.covers(year) or year < min(f.years[0] for f in FORMATS.values())


def test_format_for_year_follows_format_years(monkeypatch):
    """Change the data, not the code: a 2019 format used one more year moves every answer with it."""
    longer = dataclasses.replace(FORMATS["2019"], years=(2019, 2021))
    later = dataclasses.replace(FORMATS["2021"], years=(2022, 9999))
    monkeypatch.setattr(formats, "FORMATS", {"2021": later, "2019": longer})
    assert format_for_year(2021).id == "2019" and format_for_year(2022).id == "2021"
    assert year_formula("B4") == 'IF(B4<=2021,"2019","2021")'


@pytest.mark.parametrize("fid", list(FORMATS))
def test_detection_by_keys_beats_the_year_and_the_year_decides_otherwise(fid):
    other = next(f for f in FORMATS if f != fid)
    text = "".join(FORMATS[fid].detection_keys)
    year_of_other = FORMATS[other].years[0]
    assert detect_format(text, year_of_other) == fid
    assert detect_format("没有表头", year_of_other) == other
    assert detect_format("没有表头") is None
