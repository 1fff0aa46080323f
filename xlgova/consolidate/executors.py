"""Run the read-and-check step over many files: in a local process pool (even of one worker), or on Dask.

Untrusted files are never read in the calling process: a file that aborts its parser or exhausts its
worker's memory cap (``limits.WORKER_MEMORY_BYTES``) costs that one file, never the run.

All three yield the same :class:`~xlgova.consolidate.record.AgencyRecord` objects in input order, so the
summary does not depend on where the work ran (the test suite checks that the Dask path equals the local
one).
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from .. import limits
from ..errors import XlgovaError
from .record import AgencyRecord, Context, process_batch, worker_died

_CTX: Context | None = None


def _init(ctx: Context) -> None:
    global _CTX
    _CTX = ctx
    cap_memory(limits.WORKER_MEMORY_BYTES)


def cap_memory(headroom: int) -> None:
    """Limit this process's address space to what it maps now plus ``headroom`` (never raise a limit; Linux
    only): an allocation past it fails (MemoryError in Python, an abort in a native parser) in this worker
    instead of the OOM killer picking a process of the machine. Relative to the start, because what a
    forked worker maps depends on the parent (numpy's thread buffers grow with the cores). macOS maps
    gigabytes of shared libraries into every process (and does not enforce the limit); Windows has none."""
    if not sys.platform.startswith("linux"):
        return
    import resource

    try:
        with open("/proc/self/status", "rb") as f:
            mapped = next(int(line.split()[1]) * 1024 for line in f if line.startswith(b"VmSize:"))
    except (OSError, StopIteration, ValueError):  # pragma: no cover - no procfs: no cap, the pool rebuild remains
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = mapped + headroom if hard == resource.RLIM_INFINITY else min(mapped + headroom, hard)
    if soft == resource.RLIM_INFINITY or soft > want:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        except (ValueError, OSError):  # pragma: no cover - a container that forbids it: the pool rebuild remains
            pass


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


def _start_method() -> str:
    """fork (a worker starts in milliseconds with the readers imported) unless this process runs other threads
    (the desk's server): a forked child could inherit a lock another thread held, so a fork server is used."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class _Pool:
    """A process pool that can be rebuilt when a worker dies (the executor is then broken for good)."""

    def __init__(self, workers: int, ctx: Context):
        mp = multiprocessing.get_context(_start_method())
        if mp.get_start_method() == "forkserver":
            mp.set_forkserver_preload([__name__, "python_calamine", "xlgova.workbook.reader"])
        self._make = lambda: ProcessPoolExecutor(workers, mp_context=mp, initializer=_init, initargs=(ctx,))
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

    Every run reads in worker processes (one worker for a handful of files or ``--workers 1``). A worker
    that dies (a parser aborting the process, the memory cap) breaks the whole pool in Python; the pool is
    then rebuilt, the batch that was running is read again file by file, and the file that
    kills its worker again is listed as 无法读取 — one agency's problem, not the county's.
    """
    if not paths:
        return
    workers = workers or default_workers()
    size = max(4, min(32, len(paths) // (workers * 16) or 1))  # small batches: the workers finish together
    batches = _batches(paths, size)
    _preload()
    pool = _Pool(min(workers, len(batches)), ctx)
    try:
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
