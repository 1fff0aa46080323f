"""Run the read-and-check step over many files: in this process, in a local process pool, or on Dask.

All three yield the same :class:`~xlgova.consolidate.record.AgencyRecord` objects in input order, so the
summary does not depend on where the work ran (the test suite checks that the Dask path equals the local
one).
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator

from ..errors import XlgovaError
from .record import AgencyRecord, Context, process_batch

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


def run_local(paths: list[str], ctx: Context, workers: int | None = None, on_done: Callable[[int], None] | None = None,
              meanwhile: Callable[[], None] | None = None) -> Iterator[AgencyRecord]:
    """``meanwhile``: work for this process while the workers read (it would otherwise sit waiting)."""
    workers = workers or default_workers()
    if workers <= 1 or len(paths) < 8:
        for batch in _batches(paths, 16):
            yield from process_batch(batch, ctx)
            if on_done:
                on_done(len(batch))
        return
    size = max(4, min(32, len(paths) // (workers * 16) or 1))  # small batches: the workers finish together
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    _preload()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_init, initargs=(ctx,)) as pool:
        results = pool.map(_run_batch, _batches(paths, size))  # every batch is submitted now
        if meanwhile:
            meanwhile()
        for records in results:
            yield from records
            if on_done:
                on_done(len(records))


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
        for fut in futures:  # in input order; results are released as they are consumed
            records = fut.result()
            fut.release()
            yield from records
            if on_done:
                on_done(len(records))
    finally:
        client.close()
