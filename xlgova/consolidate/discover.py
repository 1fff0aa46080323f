"""Which files a consolidation reads: workbooks given by name, and every workbook under given folders."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..errors import XlgovaError
from ..loaders import WORKBOOK_SUFFIXES as FOLDER_SUFFIXES  # .xlsx/.xlsm, and .xls/.ods read with a note


def _skipped(p: Path) -> bool:
    # ~$name.xlsx are Excel/WPS lock files; dot files are hidden (and our own temporary outputs).
    return p.name.startswith(("~$", ".")) or any(part.startswith(".") for part in p.parts[:-1] if part not in (".", ".."))


_PAGE_FOLDER_ENDS = ("_files", ".files", "_文件")  # 网页，全部: Chrome/Firefox, Word (另存为网页), localised browsers


def _page_resources(rel: Path, root: Path) -> bool:
    """Inside the folder of pictures, frames and styles a browser or Word saved beside a page ("年报_files" beside
    "年报.html"): those .html/.htm parts (frames, Word's header.htm) are not reports."""
    folder = root
    for part in rel.parts[:-1]:
        stem = next((part[: -len(end)] for end in _PAGE_FOLDER_ENDS if part.endswith(end)), None)
        if stem and any((folder / f"{stem}{ext}").is_file() for ext in (".html", ".htm", ".HTML", ".HTM")):
            return True
        folder = folder / part
    return False


def _resolved(f: Path) -> Path:
    try:
        return f.resolve()
    except (OSError, RuntimeError):  # a symlink loop: Python 3.11/3.12 raise RuntimeError, later ones OSError
        return f.absolute()


def discover(inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = (), suffixes: tuple[str, ...] = FOLDER_SUFFIXES,
             what: str = "要汇总的工作簿（.xlsx / .xlsm / .xls / .ods）") -> list[str]:
    """Files to read, in a stable order, without repeats; a folder is searched recursively for ``suffixes``."""
    excluded = {Path(e).resolve() for e in exclude}
    seen: set[Path] = set()
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            # Everything named like a wanted file that is not a folder: a FIFO, a device link or a symlink loop is
            # listed (and refused with its reason when read), never skipped silently.
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in suffixes and not f.is_dir() and not _skipped(f.relative_to(p))
                           and not _page_resources(f.relative_to(p), p))
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
        raise XlgovaError(f"没有找到{what}", path="、".join(str(i) for i in inputs))
    return out
