"""The one error type: input that cannot be used at all, with a Chinese message naming the file."""
from __future__ import annotations

from pathlib import Path


class XlgovaError(Exception):
    """Input that cannot be used at all. The message is Chinese and names the file (and sheet/cell)."""

    def __init__(self, message: str, *, path: str | Path | None = None, hint: str = ""):
        self.path = str(path) if path is not None else None
        self.hint = hint
        full = f"{self.path}：{message}" if self.path else message
        super().__init__(full + (f"\n  {hint}" if hint else ""))
