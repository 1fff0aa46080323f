"""Time and peak memory of `xlgova validate` on every case of the bad-input corpus (docs/robustness.md).

    python scripts/measure_bad_inputs.py [CASE ...]

Generates the corpus into a temporary folder and runs each case in a fresh process; prints one Markdown row
per case: what was tried, exit code, wall seconds (interpreter start and imports included) and peak resident
memory of that process. The hardening tests bound the same figures with the same function (``measure``).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PARENT = ("import json, resource, subprocess, sys, time; t = time.perf_counter();"
           "p = subprocess.run([sys.executable, '-m', 'xlgova', *sys.argv[1:]], capture_output=True, text=True,"
           " encoding='utf-8', errors='replace');"
           "print(json.dumps({'code': p.returncode, 'seconds': time.perf_counter() - t,"
           " 'mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 'out': p.stdout, 'err': p.stderr}))")


def measure(*args, timeout: float = 300) -> dict:
    """``xlgova ARGS`` in a fresh process: {code, seconds, mb, out, err}. A small parent that holds nothing
    runs it, so the peak memory is the command's own."""
    p = subprocess.run([sys.executable, "-c", _PARENT, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                       timeout=timeout, cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    return json.loads(p.stdout)


def main(argv=None) -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_bad_inputs as gen

    only = set(argv if argv is not None else sys.argv[1:]) or None
    with tempfile.TemporaryDirectory(prefix="xlgova-measure-") as tmp:
        manifest = gen.generate(tmp, big=bool(only and "big_junk" in only), only=only)
        for c in manifest["cases"]:
            m = measure("validate", Path(tmp) / c["file"])
            print(f"| {c['what']} | {m['code']} | {m['seconds']:.2f} 秒 | {m['mb']:.0f} MB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
