"""The shape of the package: layers point down, the core imports no I/O library, modules stay small."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "xlgova"

# Lower layers never import higher ones: formats -> model -> rules -> the edges -> commands.
LAYERS = [
    {"errors", "limits", "__init__"},
    {"formats"},
    {"model"},
    {"rules"},
    {"inputs", "safeio", "ooxml", "templates"},
    {"workbook", "importers"},
    {"loaders", "render", "export", "excel"},
    {"consolidate"},
    {"demo", "desk"},
    {"commands", "cli", "cli_parser", "__main__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
CORE = ("formats", "model", "rules", "errors", "limits")
IO_LIBRARIES = {"openpyxl", "xlwings", "pandas", "docx", "python_calamine", "pdfplumber", "bs4", "lxml", "formulas",
                "zipfile", "sqlite3", "starlette", "uvicorn", "jinja2", "dask"}
MAX_LINES = 400


def _package_files():
    """Python modules of the package (a .py file among package data, like the xlwings Lite script, is not one)."""
    return sorted(p for p in PKG.rglob("*.py") if (p.parent / "__init__.py").exists())


def _modules():
    for path in _package_files():
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        yield path, parts, is_pkg


def _imports(path: Path, parts: list[str], is_pkg: bool):
    """(absolute module, line) for every import in the file, relative ones resolved."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts if is_pkg else parts[:-1]
                base = base[: len(base) - (node.level - 1)]
                yield ".".join(base + ([node.module] if node.module else [])), node.lineno
            else:
                yield node.module, node.lineno


def _top(module: str) -> str | None:
    bits = module.split(".")
    return bits[1] if bits[0] == "xlgova" and len(bits) > 1 else ("__init__" if module == "xlgova" else None)


def test_every_top_level_module_has_a_layer():
    names = {p.stem if p.is_file() else p.name for p in PKG.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert names <= set(RANK), f"add these to LAYERS: {sorted(names - set(RANK))}"


def test_imports_point_down_the_layers():
    wrong = []
    for path, parts, is_pkg in _modules():
        here = parts[1] if len(parts) > 1 else "__init__"
        for module, line in _imports(path, parts, is_pkg):
            there = _top(module or "")
            if there and there != here and RANK[there] > RANK[here]:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} imports {module} ({here} -> {there})")
    assert not wrong, "\n".join(wrong)


def test_the_core_imports_no_io_library():
    wrong = []
    for path, parts, is_pkg in _modules():
        if len(parts) < 2 or parts[1] not in CORE:
            continue
        for module, line in _imports(path, parts, is_pkg):
            if module and module.split(".")[0] in IO_LIBRARIES:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", _package_files(), ids=lambda p: str(p.relative_to(PKG)))
def test_modules_stay_small(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PKG.parent)} has {n} lines; split it by job"


def test_no_two_modules_share_a_name_across_packages():
    seen: dict[str, list[str]] = {}
    for path in _package_files():
        # a command module is named after its command and calls the library module of that name
        if path.stem not in ("__init__", "__main__") and path.parent.name != "commands":
            seen.setdefault(path.stem, []).append(str(path.relative_to(PKG)))
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert not clashes, clashes
