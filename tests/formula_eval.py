"""Evaluate a workbook's formulas with the ``formulas`` package — the test oracle for the template's checks.

Loading and compiling a workbook costs seconds; running the compiled model again costs ~0.1 s. So an
:class:`Evaluator` compiles once for a fixed set of input and output cells and is then called with many
different input values:

    ev = Evaluator("xlgova-2021.xlsx", inputs=[("依申请公开", "D6")], outputs=[("校验结果", "B3")])
    ev({("依申请公开", "D6"): 5})[("校验结果", "B3")]

A cell left out of the values passed in (or given ``None``) is blank.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Iterable, Mapping

from xlgova.errors import XlgovaError

Ref = tuple[str, str]  # (sheet, address)

def _quiet() -> None:
    # formulas/schedula draw progress bars and log while compiling; tests and tools want silence.
    os.environ.setdefault("TQDM_DISABLE", "1")
    logging.getLogger("formulas").setLevel(logging.ERROR)
    logging.getLogger("schedula").setLevel(logging.ERROR)

def _plain(value: Any) -> Any:
    """A formulas result (Ranges / numpy array / XlError) as a Python scalar; blank as None."""
    import numpy as np
    from formulas.tokens.operand import XlError

    v = getattr(value, "value", value)
    if isinstance(v, np.ndarray):
        v = v.ravel()[0] if v.size else None
    if isinstance(v, XlError):
        return str(v)
    if type(v).__name__ == "Token" or str(v) == "empty":
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v

class Evaluator:
    """A workbook compiled once for ``inputs`` → ``outputs``; call it with {ref: value}."""

    def __init__(self, path: str | Path, inputs: Iterable[Ref], outputs: Iterable[Ref]):
        _quiet()
        import formulas

        self.path = Path(path)
        try:
            model = formulas.ExcelModel().loads(str(self.path)).finish()
        except Exception as e:  # formulas raises many types on unreadable files
            raise XlgovaError(f"无法用 formulas 计算该工作簿：{e}", path=path) from None
        nodes = {str(n).upper(): n for n in model.dsp.data_nodes if isinstance(n, str)}
        self.inputs = list(dict.fromkeys(inputs))
        self.outputs = list(dict.fromkeys(outputs))
        missing = [r for r in self.inputs + self.outputs if self._key(r).upper() not in nodes]
        if missing:
            raise XlgovaError(f"工作簿中没有这些单元格的公式或引用：{missing[:5]}", path=path)
        self._in = [nodes[self._key(r).upper()] for r in self.inputs]
        self._out = [nodes[self._key(r).upper()] for r in self.outputs]
        self._fn = model.compile(inputs=self._in, outputs=self._out)

    def _key(self, ref: Ref) -> str:
        sheet, address = ref
        return f"'[{self.path.name}]{sheet}'!{address}"

    def __call__(self, values: Mapping[Ref, Any]) -> dict[Ref, Any]:

        import numpy as np
        import schedula as sh

        # Cell values travel as 2-D object arrays; a bare sh.EMPTY would mean "no input" to schedula.
        args = [np.array([[sh.EMPTY if values.get(r) is None else _number(values.get(r))]], dtype=object) for r in self.inputs]
        results = self._fn(*args)
        return {r: _plain(v) for r, v in zip(self.outputs, results)}


def _number(v: Any) -> Any:
    from decimal import Decimal

    return float(v) if isinstance(v, Decimal) else v
