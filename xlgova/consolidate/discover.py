"""Which files a consolidation reads: workbooks given by name, and every workbook under given folders."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import XlgovaError

FOLDER_SUFFIXES = (".xlsx", ".xlsm")


def _skipped(p: Path) -> bool:
    # ~$name.xlsx are Excel/WPS lock files; dot files are hidden (and our own temporary outputs).
    return p.name.startswith(("~$", ".")) or any(part.startswith(".") for part in p.parts[:-1] if part not in (".", ".."))


def _resolved(f: Path) -> Path:
    try:
        return f.resolve()
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11/3.12 raise RuntimeError, later ones OSError
        return f.absolute()


def discover(inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = ()) -> list[str]:
    """Files to read, in a stable order, without repeats; a folder is searched recursively."""
    excluded = {Path(e).resolve() for e in exclude}
    seen: set[Path] = set()
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            # Everything named like a workbook that is not a folder: a FIFO, a device link or a symlink loop is
            # listed (and refused with its reason when read), never skipped silently.
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in FOLDER_SUFFIXES and not f.is_dir() and not _skipped(f.relative_to(p)))
        elif p.exists() or p.is_symlink():
            found = [p]
        else:
            raise XlgovaError("输入的文件或文件夹不存在", path=p)
        for f in found:
            r = _resolved(f)
            if r in seen or r in excluded:
                continue
            seen.add(r)
            out.append(str(f))
    if not out:
        raise XlgovaError("没有找到要汇总的工作簿（.xlsx / .xlsm）", path="、".join(str(i) for i in inputs))
    return out
