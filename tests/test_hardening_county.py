"""No file can stop the county: a consolidation of good workbooks plus every hostile kind finishes, lists each
hostile file with its reason and sums the good ones exactly; a worker killed by one file costs one agency."""
from __future__ import annotations

import os
import random
import shutil

import pytest

from _hardening import CASES, case_path, corpus, snapshot  # noqa: F401  (corpus is a fixture)
from xlgova import limits
from xlgova.consolidate import consolidate, executors, record
from xlgova.demo.county import agencies, report_for
from xlgova.consolidate.record import MEMORY_EXCEEDED, WORKER_DIED, process_batch
from xlgova.errors import XlgovaError
from xlgova.workbook import write_workbook

KILLER = "致命.xlsx"


def _good(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    rng, out = random.Random(3), {}
    for a in agencies()[:n]:
        r = report_for(a, 2024, rng)
        write_workbook(r, folder / f"{a.name}.xlsx")
        out[a.name] = r
    return out


def _dies_on_killer(paths, ctx):
    """A reader that aborts the process on one file, the way python-calamine did on XFD1048576."""
    if any(os.path.basename(p) == KILLER for p in paths):
        os._exit(134)
    return process_batch(paths, ctx)


def _sums_exact(result, reports):
    """Every total the good workbooks all give a number for is their exact sum (the hostile files add nothing)."""
    checked = 0
    for cid, total in result.sums.items():
        numbers = [r.number(cid) for r in reports.values()]
        if all(isinstance(n, int) for n in numbers):
            assert total == sum(numbers), cid
            checked += 1
    assert checked > 100


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="the patched reader reaches workers by fork")
def test_worker_death_is_one_agencys_problem(tmp_path, monkeypatch):
    reports = _good(tmp_path / "in", 10)
    shutil.copy(tmp_path / "in" / f"{next(iter(reports))}.xlsx", tmp_path / "in" / KILLER)
    monkeypatch.setattr(executors, "process_batch", _dies_on_killer)
    result = consolidate([tmp_path / "in"], None, workers=2)
    died = [r for r in result.records if r.unreadable]
    assert [os.path.basename(r.path) for r in died] == [KILLER]
    assert died[0].unreadable == WORKER_DIED and died[0].status == "无法读取"
    assert len(result.records) == 11
    _sums_exact(result, reports)
    assert result.agencies == len(reports)


_FORK = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                           reason="the patched reader reaches workers by fork")


@_FORK
@pytest.mark.parametrize("good, workers", [(2, None), (10, 1)], ids=["3 files", "--workers 1"])
def test_worker_death_in_a_small_run(tmp_path, monkeypatch, good, workers):
    """Runs of fewer than 8 files and --workers 1 read in a worker too: the killer costs only its own file."""
    reports = _good(tmp_path / "in", good)
    shutil.copy(tmp_path / "in" / f"{next(iter(reports))}.xlsx", tmp_path / "in" / KILLER)
    monkeypatch.setattr(executors, "process_batch", _dies_on_killer)
    result = consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", workers=workers)
    assert [(os.path.basename(r.path), r.unreadable) for r in result.records if r.unreadable] == [(KILLER, WORKER_DIED)]
    assert len(result.records) == good + 1 and result.agencies == good
    _sums_exact(result, reports)
    assert (tmp_path / "汇总.xlsx").exists()


@_FORK
def test_worker_death_of_the_only_file(tmp_path, monkeypatch):
    """One file that kills its reader: the run ends with the Chinese answer naming it, not with the process."""
    _good(tmp_path / "src", 1)
    (tmp_path / "in").mkdir()
    shutil.copy(next((tmp_path / "src").iterdir()), tmp_path / "in" / KILLER)
    monkeypatch.setattr(executors, "process_batch", _dies_on_killer)
    with pytest.raises(XlgovaError) as e:
        consolidate([tmp_path / "in"], None, workers=1)
    assert KILLER in str(e.value) and "处理进程异常终止" in str(e.value)


@_FORK
@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="RLIMIT_AS is set on Linux")
def test_runaway_allocation_is_one_agencys_problem(tmp_path, monkeypatch):
    """A reader that asks for more than the worker's memory cap: that file is 无法读取, the others are summed
    (without the cap the allocation succeeds on this machine and the file would count)."""
    reports = _good(tmp_path / "in", 3)
    shutil.copy(tmp_path / "in" / f"{next(iter(reports))}.xlsx", tmp_path / "in" / KILLER)
    load = record.load_input

    def hog(path):
        if os.path.basename(path) == KILLER:
            del bytearray(3 * 2**29)[:]  # 1.5 GiB, more than the 1 GiB headroom below
        return load(path)

    monkeypatch.setattr(record, "load_input", hog)
    monkeypatch.setattr(limits, "WORKER_MEMORY_BYTES", 2**30)
    result = consolidate([tmp_path / "in"], None, workers=1)
    assert [(os.path.basename(r.path), r.unreadable) for r in result.records if r.unreadable] == [(KILLER, MEMORY_EXCEEDED)]
    _sums_exact(result, reports)


def test_small_run_while_other_threads_run(tmp_path):
    """A process running other threads (the desk's server) reads through a fork server, not a bare fork."""
    import threading

    reports = _good(tmp_path / "in", 3)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert executors._start_method() != "fork"
        result = consolidate([tmp_path / "in"], None, workers=1)
    finally:
        stop.set()
        thread.join()
    assert result.agencies == 3 and not [r for r in result.records if r.unreadable]
    _sums_exact(result, reports)


def test_dask_task_failure_is_one_agencys_problem(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    reports = _good(tmp_path / "in", 4)
    shutil.copy(tmp_path / "in" / f"{next(iter(reports))}.xlsx", tmp_path / "in" / KILLER)

    def fails_on_killer(paths, ctx):  # what a KilledWorker looks like from the client: the task raises
        if any(os.path.basename(p) == KILLER for p in paths):
            raise RuntimeError("worker killed")
        return process_batch(paths, ctx)

    monkeypatch.setattr(executors, "process_batch", fails_on_killer)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        result = consolidate([tmp_path / "in"], None, scheduler=cluster.scheduler_address)
    assert [os.path.basename(r.path) for r in result.records if r.unreadable] == [KILLER]
    _sums_exact(result, reports)


def test_county_of_good_workbooks_and_every_hostile_kind(corpus, tmp_path):
    """Good workbooks plus the whole bad-input corpus (workbooks found in its folder, every other kind named):
    the run finishes, lists every hostile file with its reason, and sums exactly the good ones."""
    from _hardening import snapshot

    reports = _good(tmp_path / "县", 39)  # more than the corpus's readable 2021 workbooks: 2024 is the run's year
    others = sorted(str(corpus / c.filename) for c in CASES.values()
                    if not c.filename.lower().endswith((".xlsx", ".xlsm")) and c.name != "big_junk")
    before = snapshot(corpus)
    result = consolidate([tmp_path / "县", corpus, *others], tmp_path / "汇总.xlsx", workers=2)
    assert snapshot(corpus) == before
    by_name = {os.path.basename(r.path): r for r in result.records}
    for c in CASES.values():
        if c.name == "big_junk":
            continue
        r = by_name[os.path.basename(c.filename)]
        if c.exit == (2,):
            assert r.unreadable and r.status == "无法读取", (c.name, r.unreadable)
        else:
            assert r.unreadable or not r.included or r.year is None, (c.name, r.year, r.included)
    assert all(by_name[f"{name}.xlsx"].included for name in reports)
    _sums_exact(result, {k: v for k, v in reports.items()})
    assert (tmp_path / "汇总.xlsx").stat().st_size > 10_000
