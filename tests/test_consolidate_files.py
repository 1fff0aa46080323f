"""The consolidator on real files: summary workbook, 明细 archive, CLI, roll-up, prefill, Dask, demo."""
from __future__ import annotations

import json
import random

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from xlgova.cli import main
from xlgova.consolidate import consolidate
from xlgova.demo.county import agencies, report_for
from xlgova.consolidate.detail import read_detail
from xlgova.consolidate.prefill import prefill
from xlgova.model import parse_value
from xlgova.rules import validate
from xlgova.workbook import read_workbook, write_workbook


def write_county(folder, n=6, seed=0, year=2024, previous=None, skip=()):
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = {}
    for a in agencies()[:n]:
        r = report_for(a, year, rng, previous=(previous or {}).get(a.name))
        if a.name in skip:
            continue
        write_workbook(r, folder / f"{a.name}.xlsx")
        out[a.name] = r
    return out


def sheet(path, name):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_summary_workbook_holds_totals_detail_status_and_charts(tmp_path):
    reports = write_county(tmp_path / "in" / "sub", n=6)
    (tmp_path / "in" / "坏文件.xlsx").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "in" / "~$锁文件.xlsx").write_bytes(b"lock")
    out = tmp_path / "汇总.xlsx"
    result = consolidate([tmp_path / "in"], out, workers=2)
    summary = read_workbook(out)
    assert summary.meta["kind"] == "汇总报告" and summary.meta["agencies"] == 6
    assert validate(summary).valid
    for cid in summary.format.cells:
        assert summary.number(cid) == sum(r.number(cid) for r in reports.values()), cid
    detail = read_detail(out)
    assert [d.agency for d in detail] == [r.name for r in result.records if r.included]
    assert all(d.values == reports[d.agency].values and d.sections == reports[d.agency].sections for d in detail)
    status = sheet(out, "校验情况")
    assert status[3][3] == "无法读取" and "坏文件.xlsx" in status[3][12]
    assert len(status) == 3 + 7  # title, note, header, 7 files (the lock file is skipped)
    wb = openpyxl.load_workbook(out)
    assert len(wb["图表"]._charts) == 2  # outcomes and distribution; no last year given
    assert wb.sheetnames[0] == "汇总说明"
    assert "汇总 6 个单位" in wb["依申请公开"]["A1"].value


def test_cli_json_exit_codes_and_roster(tmp_path, capsys):
    write_county(tmp_path / "in", n=5, skip={agencies()[4].name})
    roster = tmp_path / "名单.csv"
    roster.write_text("单位名称,单位代码,单位层级\n" + "\n".join(f"{a.name},{a.code},{a.level}" for a in agencies()[:5]), encoding="utf-8-sig")
    code = main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "汇总.xlsx"), "--roster", str(roster), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["agencies"] == 4 and data["status"]["未提交"] == 1
    assert data["missing"][0]["name"] == agencies()[4].name
    assert data["totals"]["apps.new.total"] == sum(read_workbook(p).number("apps.new.total") for p in (tmp_path / "in").glob("*.xlsx"))
    assert {r["status"] for r in data["reports"]} <= {"通过", "警告"}
    assert sheet(tmp_path / "汇总.xlsx", "未提交")[3][1] == agencies()[4].name
    bad = read_workbook(next((tmp_path / "in").glob("*.xlsx")))
    bad.values["apps.new.natural"] = parse_value((bad.number("apps.new.natural") or 0) + 1)
    write_workbook(bad, tmp_path / "in" / "错.xlsx")
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "汇总2.xlsx")]) == 1
    printed = capsys.readouterr().out
    assert "[错误]" in printed and "汇总表：" in printed


def test_mixed_formats_refused_and_output_not_written(tmp_path, capsys):
    write_county(tmp_path / "in", n=2)
    from xlgova.demo.samples import random_report

    write_workbook(random_report(1, "2019", agency="泓川县旧格式局", year=2020), tmp_path / "in" / "旧.xlsx")
    assert main(["consolidate", str(tmp_path / "in"), "-o", str(tmp_path / "汇总.xlsx")]) == 2
    assert "格式版本不一致" in capsys.readouterr().err
    assert not (tmp_path / "汇总.xlsx").exists()


def test_previous_from_summary_or_folder_and_prefill(tmp_path):
    last = write_county(tmp_path / "2023", n=4, seed=1, year=2023)
    consolidate([tmp_path / "2023"], tmp_path / "2023汇总.xlsx")
    write_county(tmp_path / "2024", n=4, seed=2, year=2024, previous=last)
    for prev in (tmp_path / "2023汇总.xlsx", tmp_path / "2023"):
        result = consolidate([tmp_path / "2024"], None, previous=prev)
        assert all(r.previous_from == "archive" for r in result.records)
        assert not any(f[1].startswith("xyear.") for r in result.records for f in r.findings)
        assert dict(result.last_year)["新收申请"] == sum(r.number("apps.new.total") for r in last.values())
    out = tmp_path / "2024汇总.xlsx"
    consolidate([tmp_path / "2024"], out, previous=tmp_path / "2023汇总.xlsx")
    assert len(openpyxl.load_workbook(out)["图表"]._charts) == 3
    county_summary = read_workbook(out)  # its 上年数据 holds last year's totals: the county checks itself
    assert county_summary.previous.number("apps.carried_out.total") == sum(r.number("apps.carried_out.total") for r in last.values())
    assert not validate(county_summary).rules("warning") & {"xyear.carried_in", "xyear.in_force"}
    paths = prefill(out, tmp_path / "2025")
    assert len(paths) == 4
    t = read_workbook(paths[0])
    assert t.year == 2025 and t.meta["kind"] == "单位报告" and t.meta.get("level")
    source = read_workbook(tmp_path / "2024" / f"{t.agency}.xlsx")
    assert t.previous.number("apps.carried_out.total") == source.number("apps.carried_out.total")
    ws = openpyxl.load_workbook(paths[0])["上年数据"]
    assert ws.protection.sheet and ws["B4"].protection.locked


def test_county_summaries_roll_up_into_a_city(tmp_path):
    a = write_county(tmp_path / "甲", n=3, seed=1)
    b = write_county(tmp_path / "乙", n=4, seed=2)
    consolidate([tmp_path / "甲"], tmp_path / "甲县.xlsx", area="甲县")
    consolidate([tmp_path / "乙"], tmp_path / "乙县.xlsx", area="乙县")
    city = consolidate([tmp_path / "甲县.xlsx", tmp_path / "乙县.xlsx"], tmp_path / "市.xlsx", area="丙市")
    assert city.agencies == 7 and len(city.records) == 2
    assert read_workbook(tmp_path / "市.xlsx").meta["agencies"] == 7
    assert city.sums["apps.new.total"] == sum(r.number("apps.new.total") for r in [*a.values(), *b.values()])


def test_dask_path_equals_local_path(tmp_path):
    distributed = pytest.importorskip("distributed")
    write_county(tmp_path / "in", n=5)
    (tmp_path / "in" / "坏.xlsx").write_bytes(b"not a workbook")
    local = consolidate([tmp_path / "in"], None, workers=2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        remote = consolidate([tmp_path / "in"], None, scheduler=cluster.scheduler_address)
    assert remote.to_json() == local.to_json()


def test_demo_runs_and_finds_what_was_planted(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path / "demo"), "--no-word"]) == 0
    out = capsys.readouterr().out
    for needle in ("无法读取 1", "错误 1", "未提交 2", "自然资源局", "教育局", "林业局", "人力资源和社会保障局", "城关镇"):
        assert needle in out
    assert (tmp_path / "demo" / "2024" / "泓川县2024年度汇总.xlsx").is_file()
    assert len(list((tmp_path / "demo" / "2025模板").glob("*.xlsx"))) == 39  # every agency of the roster, 3 without last year's figures
