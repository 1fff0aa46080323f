"""Thin command line: each command lives in ``xlgova/commands/<name>.py`` and calls one library function.

A command module defines ``NAME``, ``HELP`` (Chinese, one line), ``EPILOG`` (an example),
``add_arguments(parser)`` and ``run(args) -> int``. Exit codes: 0 no errors, 1 errors found,
2 input unusable. An :class:`~xlgova.errors.XlgovaError` becomes one clear line, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
import warnings

from . import __version__, commands
from .cli_parser import ChineseArgumentParser, ChineseHelpFormatter
from .errors import XlgovaError
from .safeio import ShownStream

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2
ORDER = ("validate", "template", "fill", "read", "import", "export", "consolidate", "prefill", "demo")


def _command_modules(only: str | None = None):
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    if only in names:
        names = [only]  # import one command: `xlgova validate` must not pay for pandas/openpyxl imports
    return [importlib.import_module(f"{commands.__name__}.{n}") for n in names]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="xlgova",
        description="政府信息公开工作年度报告 Excel 工具：模板、校验、汇总、导入与导出。",
    )
    parser.add_argument("--version", action="version", version=f"xlgova {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令")
    for mod in _command_modules(only):
        p = sub.add_parser(
            mod.NAME,
            help=mod.HELP,
            description=mod.HELP,
            epilog=getattr(mod, "EPILOG", None),
            formatter_class=ChineseHelpFormatter,
        )
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser




def main(argv: list[str] | None = None) -> int:
    _utf8_stdio()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ShownStream(out), ShownStream(err)  # nothing from a file reaches the terminal raw
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        with warnings.catch_warnings():
            # Libraries speak English (beautifulsoup's "Some characters could not be decoded", openpyxl's
            # "Data Validation extension is not supported"): what matters reaches the user as a finding or a
            # Chinese message, the rest is dropped. Their loggers (pdfminer, distributed) likewise.
            warnings.simplefilter("ignore")
            _quiet_library_logs()
            return int(args._run(args) or 0)
    except XlgovaError as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def _quiet_library_logs() -> None:
    """A handler on the root logger keeps logging's last-resort handler from printing library warnings."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def _utf8_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
