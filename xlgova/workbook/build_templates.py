"""``make templates``: rebuild the committed templates in ``xlgova/templates/`` (package data).

Run as ``python -m xlgova.workbook.build_templates [OUTDIR]``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..templates import TEMPLATE_DIR
from .template import FORMAT_IDS, save_template


def template_path(format_id: str, outdir: Path = TEMPLATE_DIR) -> Path:
    return outdir / f"xlgova-{format_id}.xlsx"


def build_all(outdir: Path = TEMPLATE_DIR) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    built = [save_template(f, template_path(f, outdir)) for f in FORMAT_IDS]
    # Step 2 (macro-enabled template, owned by xlgova.workbook.xlsm): the same template plus the xlwings
    # VBA, the 校验 / 导出Word buttons and the xlwings.conf sheet, as xlgova-<format>.xlsm.
    from .xlsm import build_all_xlsm

    built += build_all_xlsm(outdir)
    return built


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0]) if argv else TEMPLATE_DIR
    for path in build_all(outdir):
        print(f"已生成 {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
