"""Run the read-and-check step over many files: in this process, in a local process pool, or on Dask.

All three yield the same :class:`~xlgova.consolidate.record.AgencyRecord` objects in input order, so the
summary does not depend on where the work ran (the test suite checks that the Dask path equals the local
one).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from ..errors import XlgovaError
from .record import AgencyRecord, Context, process_batch, worker_died

_CTX: Context | None = None


def _init(ctx: Context) -> None:
    global _CTX
    _CTX = ctx


def _run_batch(paths: list[str]) -> list[AgencyRecord]:
    assert _CTX is not None
    return process_batch(paths, _CTX)


def _batches(paths: list[str], size: int) -> list[list[str]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS / Windows
        return max(1, os.cpu_count() or 1)


def _preload() -> None:
    """Import what the workers run before they are forked, so each does not import it again."""
    import python_calamine  # noqa: F401

    from ..workbook import reader  # noqa: F401


def _ok(fut) -> bool:
    """A future that finished with a result (not one a broken pool failed or cancelled)."""
    return fut.done() and not fut.cancelled() and fut.exception(timeout=0) is None


class _Pool:
    """A process pool that can be rebuilt when a worker dies (the executor is then broken for good)."""

    def __init__(self, workers: int, ctx: Context):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._make = lambda: ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                                 initializer=_init, initargs=(ctx,))
        self.exe = self._make()

    def rebuild(self) -> None:
        self.exe.shutdown(wait=False, cancel_futures=True)
        self.exe = self._make()

    def one_by_one(self, paths: list[str]) -> list[AgencyRecord]:
        """Each file of a batch whose worker died, alone in a worker: the file that kills it again is listed."""
        out = []
        for path in paths:
            try:
                out += self.exe.submit(_run_batch, [path]).result()
            except BrokenProcessPool:
                out.append(worker_died(path))
                self.rebuild()
        return out


def run_local(paths: list[str], ctx: Context, workers: int | None = None, on_done: Callable[[int], None] | None = None,
              meanwhile: Callable[[], None] | None = None) -> Iterator[AgencyRecord]:
    """``meanwhile``: work for this process while the workers read (it would otherwise sit waiting).

    A worker that dies (a parser aborting the process, the memory limit) breaks the whole pool in Python;
    the pool is then rebuilt, the batch that was running is read again file by file, and the file that
    kills its worker again is listed as 无法读取 — one agency's problem, not the county's.
    """
    workers = workers or default_workers()
    if workers <= 1 or len(paths) < 8:
        for batch in _batches(paths, 16):
            yield from process_batch(batch, ctx)
            if on_done:
                on_done(len(batch))
        return
    size = max(4, min(32, len(paths) // (workers * 16) or 1))  # small batches: the workers finish together
    _preload()
    pool = _Pool(workers, ctx)
    try:
        batches = _batches(paths, size)
        futures = [pool.exe.submit(_run_batch, b) for b in batches]  # every batch is submitted now
        if meanwhile:
            meanwhile()
        for i, batch in enumerate(batches):
            try:
                records = futures[i].result()
            except BrokenProcessPool:
                pool.rebuild()
                records = pool.one_by_one(batch)
                futures[i + 1:] = [f if _ok(f) else pool.exe.submit(_run_batch, b) for f, b in zip(futures[i + 1:], batches[i + 1:])]
            yield from records
            if on_done:
                on_done(len(records))
    finally:
        pool.exe.shutdown(wait=True, cancel_futures=True)


def run_dask(paths: list[str], ctx: Context, address: str, on_done: Callable[[int], None] | None = None,
             meanwhile: Callable[[], None] | None = None) -> Iterator[AgencyRecord]:
    """The same step on an existing Dask distributed cluster; every worker must see the input paths."""
    try:
        from distributed import Client
    except ImportError:
        raise XlgovaError("使用 --scheduler 需要安装 Dask：pip install 'xlgova[dask]'") from None
    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise XlgovaError(f"无法连接 Dask 调度器 {address}（{e}）") from None
    try:
        ctx_future = client.scatter(ctx, broadcast=True)
        batches = _batches(paths, 64)
        futures = client.map(process_batch, batches, ctx=ctx_future, pure=False)
        if meanwhile:
            meanwhile()
        for fut, batch in zip(futures, batches):  # in input order; results are released as they are consumed
            try:
                records = fut.result()
            except Exception:  # noqa: BLE001 - KilledWorker (the file killed a worker again and again) or the like
                records = _dask_one_by_one(client, batch, ctx_future)
            fut.release()
            yield from records
            if on_done:
                on_done(len(records))
    finally:
        client.close()


def _dask_one_by_one(client, paths: list[str], ctx_future) -> list[AgencyRecord]:
    """A batch whose task failed on Dask, read again file by file: the file that fails alone is listed."""
    out = []
    for path in paths:
        fut = client.submit(process_batch, [path], ctx=ctx_future, pure=False, retries=0)
        try:
            out += fut.result()
        except Exception:  # noqa: BLE001 - the worker died or the task was lost: this file's problem
            out.append(worker_died(path))
        fut.release()
    return out
