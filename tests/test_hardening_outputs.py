"""Nothing is ever lost: inputs stay untouched, outputs appear whole or not at all, agency text never
becomes a formula, and nothing from a workbook is executed."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from _hardening import PY, ROOT, assert_no_crash, cli, is_root, sha, snapshot
from xlgova.templates import VBA_DIR


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A folder of real filled workbooks from three agencies (one with a Chinese, spaced name)."""
    from xlgova.demo.samples import random_report
    from xlgova.workbook import write_workbook

    folder = tmp_path_factory.mktemp("报送 文件")
    for i, agency in enumerate(("海城街道办事处", "泓川县教育局", "泓川县 财政局")):
        write_workbook(random_report(i, "2021", agency=agency, year=2021), folder / f"{agency} 2021.xlsx")
    return folder


def _first(folder: Path) -> Path:
    return sorted(folder.glob("*.xlsx"))[0]


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]


def test_read_only_input_is_read_and_left_alone(good, tmp_path):
    src = tmp_path / "只读 报告.xlsx"
    src.write_bytes(_first(good).read_bytes())
    src.chmod(0o444)
    before = snapshot(tmp_path)
    run = cli("validate", src)
    assert_no_crash(run)
    assert run.code in (0, 1)
    out = tmp_path / "out"
    out.mkdir()
    run = cli("consolidate", src, "-o", out / "汇总.xlsx", "--workers", "1")
    assert_no_crash(run)
    assert (out / "汇总.xlsx").exists()
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("out")} == before


@pytest.mark.parametrize("command", ["consolidate", "template", "export", "fill"])
def test_output_folder_that_does_not_exist(good, tmp_path, command):
    target = tmp_path / "不存在的 文件夹" / "输出.xlsx"
    args = _output_command(command, good, target)
    if args is None:
        pytest.skip(f"command {command} not present")
    before = snapshot(good)
    run = cli(*args)
    assert_no_crash(run)
    assert run.code == 2
    assert "输出文件夹不存在" in run.err and "不存在的 文件夹" in run.err
    assert not target.parent.exists()
    assert snapshot(good) == before


def _commands() -> set[str]:
    from xlgova.cli import build_parser

    return set(build_parser()._subparsers._group_actions[0].choices)


def _with_previous_output(command: str, good: Path, tmp_path: Path) -> tuple[list[str], Path]:
    """The command writing 输出.xlsx (or its document), with a previous output already in place."""
    args = _output_command(command, good, tmp_path / "输出.xlsx")
    if args is None:
        pytest.skip(f"command {command} not present")
    final = Path(args[args.index("-o") + 1])
    final.write_bytes(b"previous output")
    return args, final


def _output_command(command: str, good: Path, target: Path):
    if command not in _commands():
        return None
    if command == "consolidate":
        return ["consolidate", good, "-o", target.with_suffix(".xlsx"), "--workers", "1"]
    if command == "template":
        return ["template", "-o", target.with_suffix(".xlsx")]
    if command == "export":
        return ["export", _first(good), "-o", target.with_suffix(".docx")]
    if command == "fill":
        return ["fill", _json_report(good), "-o", target.with_suffix(".xlsx")]
    return None


def _json_report(good: Path) -> Path:
    from xlgova.demo.samples import random_report

    p = good.parent / "report.json"
    if not p.exists():
        p.write_text(random_report(5, "2021", agency="海城街道办事处", year=2021).dumps(), encoding="utf-8")
    return p


@pytest.mark.parametrize("command", ["consolidate", "template", "export", "fill"])
def test_output_held_open_keeps_the_previous_file(good, tmp_path, monkeypatch, command):
    """On Windows a file open in Excel/WPS makes the final rename fail with PermissionError; on Linux a
    read-only folder does. Both reach the same path in xlgova.safeio.atomic_output: a clear message, the
    previous output intact, no temporary file left behind."""
    args, final = _with_previous_output(command, good, tmp_path)

    real_replace = os.replace

    def refuse(src, dst):  # only the final rename onto the "open" file fails, as on Windows
        if Path(dst) == final:
            raise PermissionError(13, "The process cannot access the file because it is being used by another process", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    run = cli(*args)
    assert_no_crash(run)
    assert run.code == 2, run.text
    assert "无法写入输出文件" in run.err and final.name in run.err
    assert final.read_bytes() == b"previous output"
    assert not _leftovers(tmp_path)


def _as_unprivileged(cmd: list[str]) -> list[str]:
    """Root ignores file permissions: run the command as nobody (setpriv) so a read-only folder is read-only."""
    if not is_root():
        return cmd
    import shutil

    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot drop privileges to test a read-only folder")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]


def test_read_only_output_folder_and_input(good):
    """A real read-only folder (Linux) and a read-only input, as an ordinary user."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="xlgova 只读-"))
    try:
        base.chmod(0o755)
        src = base / "报送 文件"
        src.mkdir()
        for p in good.glob("*.xlsx"):
            (src / p.name).write_bytes(p.read_bytes())
            (src / p.name).chmod(0o444)
        src.chmod(0o555)
        out = base / "只读 文件夹"
        out.mkdir()
        (out / "汇总.xlsx").write_bytes(b"previous")
        out.chmod(0o555)
        before = snapshot(src)
        cmd = _as_unprivileged([PY, "-m", "xlgova", "consolidate", str(src), "-o", str(out / "汇总.xlsx"), "--workers", "1"])
        p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd="/", timeout=120,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(base)})
        assert "Traceback" not in p.stderr, p.stderr
        assert p.returncode == 2 and "没有权限" in p.stderr and "只读 文件夹" in p.stderr, p.stderr
        assert (out / "汇总.xlsx").read_bytes() == b"previous"
        assert not _leftovers(out)
        # the same user can still read the read-only inputs and validate them
        cmd = _as_unprivileged([PY, "-m", "xlgova", "validate", *map(str, sorted(src.glob("*.xlsx")))])
        p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd="/", timeout=120,
                           env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(base)})
        assert p.returncode in (0, 1), p.stderr
        assert snapshot(src) == before
    finally:
        for d in base.rglob("*"):
            if d.is_dir():
                d.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_read_only_output_file_is_not_replaced(good, tmp_path):
    """A clerk who marked last year's summary read-only does not want it overwritten, even though a rename
    over it would succeed on Linux."""
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"previous")
    target.chmod(0o444)
    run = cli("consolidate", good, "-o", target, "--workers", "1")
    assert_no_crash(run)
    assert run.code == 2 and "只读" in run.err, run.text
    assert target.read_bytes() == b"previous"
    assert not _leftovers(tmp_path)


def test_output_over_an_input_is_refused(good, tmp_path):
    src = tmp_path / "a.xlsx"
    src.write_bytes(_first(good).read_bytes())
    before = sha(src)
    for args in (["consolidate", src, "-o", src, "--workers", "1"], ["fill", src, "-o", src]):
        if args[0] not in _commands():
            continue
        run = cli(*args)
        assert_no_crash(run)
        assert run.code == 2, run.text
        assert src.name in run.err
        assert sha(src) == before
    assert not _leftovers(tmp_path)


# -- killed mid-write ---------------------------------------------------------------------------------------

SLOW_WRITER = r"""
import sys, time, zipfile
_orig = zipfile.ZipFile.writestr
def slow(self, *a, **k):  # a slow disk: every part of the output takes a while
    time.sleep(0.05)
    return _orig(self, *a, **k)
zipfile.ZipFile.writestr = slow
_orig_write = zipfile.ZipFile.write
def slow_write(self, *a, **k):
    time.sleep(0.05)
    return _orig_write(self, *a, **k)
zipfile.ZipFile.write = slow_write
import pathlib
def slow_write_bytes(self, data):  # half the bytes, a pause, the rest
    with open(self, "wb") as f:
        f.write(data[: len(data) // 2]); f.flush(); time.sleep(0.5); f.write(data[len(data) // 2:])
    return len(data)
pathlib.Path.write_bytes = slow_write_bytes
from xlgova.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("command", ["consolidate", "template", "export", "fill"])
def test_killed_mid_write_leaves_the_previous_output(good, tmp_path, command):
    """SIGKILL while the output is being written: the previous file is intact; the only trace is the
    documented temporary files ``.<name>.<random><suffix>.tmp`` (and helpers ``…tmp.*.tmp``) beside it."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    args, final = _with_previous_output(command, good, tmp_path)
    inputs = snapshot(good)
    proc = subprocess.Popen([PY, "-c", SLOW_WRITER, *map(str, args)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tmp = _wait_for_partial(final, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert tmp is not None, "the command finished before a temporary file was seen: " + proc.stderr.read().decode()[-500:]
    assert final.read_bytes() == b"previous output"
    left = _leftovers(tmp_path)
    pattern = re.compile(r"^\." + re.escape(final.stem) + r"\..+\.tmp$")
    assert left and all(pattern.match(p.name) for p in left), left
    assert snapshot(good) == inputs
    # the next normal run replaces the output and cleans its own temporary file
    run = cli(*args)
    assert run.code in (0, 1), run.text
    assert final.read_bytes() != b"previous output"
    assert set(_leftovers(tmp_path)) == set(left)


def _wait_for_partial(final: Path, proc: subprocess.Popen, timeout: float = 60) -> Path | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for p in final.parent.glob(f".{final.stem}.*{final.suffix}.tmp"):
            try:
                if p.stat().st_size > 0:
                    return p
            except FileNotFoundError:
                continue
        time.sleep(0.005)
    return None


# -- agency text never becomes a formula -------------------------------------------------------------------

PAYLOADS = ('=HYPERLINK("http://evil.example/","点我")', "+cmd|' /C calc'!A0", "-2+3*cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "=1+1")


def _hostile_report(seed: int, agency: str):
    from xlgova.demo.samples import random_report

    r = random_report(seed, "2021", agency=agency, year=2021)
    r.sections = {"一": PAYLOADS[1] + "\n本年度共收到申请。", "五": PAYLOADS[2], "六": PAYLOADS[3]}
    r.meta["preparer"] = PAYLOADS[0]
    r.meta["phone"] = "=1+1"
    return r


def _formulas(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                out += [m.decode("utf-8", "replace") for m in re.findall(rb"<f[^>]*>(.*?)</f>", z.read(name), re.S)]
    return out


def _assert_no_injected_formula(path: Path) -> None:
    for f in _formulas(path):
        assert "cmd" not in f and "HYPERLINK" not in f and "evil" not in f and "SUM(1+1)" not in f, f


def test_writer_never_turns_agency_text_into_a_formula(tmp_path):
    from xlgova.loaders import load_report
    from xlgova.workbook import write_workbook

    report = _hostile_report(3, PAYLOADS[0])
    path = tmp_path / "恶意.xlsx"
    write_workbook(report, path)
    _assert_no_injected_formula(path)
    back = load_report(path)
    assert back.agency == PAYLOADS[0]  # the text itself survives the round trip
    assert back.sections.get("五", "").strip() == PAYLOADS[2]


def test_consolidated_summary_never_turns_agency_text_into_a_formula(tmp_path):
    from xlgova.workbook import write_workbook

    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(PAYLOADS):
        write_workbook(_hostile_report(i, name), folder / f"{i}.xlsx")
    out = tmp_path / "汇总.xlsx"
    run = cli("consolidate", folder, "-o", out, "--workers", "1")
    assert_no_crash(run)
    assert out.exists(), run.text
    _assert_no_injected_formula(out)
    from openpyxl import load_workbook

    wb = load_workbook(out)
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in t for t in texts), "the agency names must still be shown, as text"


def test_workbook_content_is_never_executed(tmp_path):
    """Text that would run if anything evaluated it (Python, shell, DDE) is only ever data."""
    from xlgova.demo.samples import random_report
    from xlgova.workbook import write_workbook

    canary = tmp_path / "pwned"
    code = f"__import__('os').system('touch {canary}')"
    r = random_report(9, "2021", agency=code, year=2021)
    r.sections = {"一": code, "五": f"$(touch {canary})", "六": f"`touch {canary}`"}
    path = tmp_path / "x.xlsx"
    write_workbook(r, path)
    for args in (["validate", path], ["consolidate", path, "-o", tmp_path / "s.xlsx", "--workers", "1"]):
        assert_no_crash(cli(*args))
    assert not canary.exists()


# -- the .xlsm's macros call only fixed entry points -------------------------------------------------------

def _bas_files() -> list[Path]:
    return sorted(VBA_DIR.glob("*.bas"))


def _code(f: Path) -> str:
    """VBA source without comments."""
    src = f.read_text(encoding="utf-8", errors="replace")
    return "\n".join(line.split("'", 1)[0] if not line.lstrip().startswith("'") else "" for line in src.splitlines())


def test_macros_start_only_the_fixed_entry_point():
    """The macro starts one program, the installed pythonw, on one module, with actions that are literals."""
    files = _bas_files()
    assert files, "the .xlsm's VBA sources are missing from xlgova/templates/vba"
    code = "\n".join(_code(f) for f in files)
    assert re.search(r'Private Const PYTHONW As String = "%LOCALAPPDATA%\\xlgova\\venv\\Scripts\\pythonw\.exe"', code)
    assert code.count('CreateObject("WScript.Shell")') == 1, "one launcher, in StartPython only"
    assert re.search(r'cmd = """" & PYTHONW & """ -B -m xlgova\.excel\.button " & action', code)
    actions = re.findall(r"RunButton\s+(.+)", code)
    assert actions and all(re.fullmatch(r'"(check|export)"', a.strip()) for a in actions), actions
    assert re.findall(r"StartPython\((\w+)\)", code) == ["action"], "StartPython is called from RunButton only"
    for word in ("RunPython", "Evaluate(", "ExecuteExcel4Macro", "Application.Run ", "Shell(", "Environ(", "Kill "):
        assert word not in code, f"the macro uses {word}"


# -- every output goes through atomic_output ---------------------------------------------------------------

_WATCH: dict = {"folder": None, "opened": []}


def _audit(event, args):
    folder = _WATCH["folder"]
    if folder is None or event != "open" or not args or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path, mode, flags = (list(args) + [None, None])[:3]
    writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR))
    if writing:
        p = Path(os.fsdecode(path))
        if folder in p.parents or p == folder:
            _WATCH["opened"].append(p)


@pytest.mark.parametrize("command", ["consolidate", "template", "export", "fill", "demo", "prefill"])
def test_outputs_are_only_ever_written_as_temporary_files(good, tmp_path, command):
    """An audit hook sees every file the command opens for writing in the output folder: each must be the
    documented temporary name (renamed into place afterwards), never the final file itself."""
    out = tmp_path / "输出 文件夹"
    out.mkdir()
    if command == "demo":
        args = ["demo", "-o", out] if "demo" in _commands() else None
    elif command == "prefill":
        args = _prefill_args(good, tmp_path, out)
    else:
        args = _output_command(command, good, out / "结果.xlsx")
    if args is None:
        pytest.skip(f"command {command} not present")
    if not getattr(sys, "_xlgova_audit", False):
        sys.addaudithook(_audit)
        sys._xlgova_audit = True
    _WATCH.update(folder=out.resolve(), opened=[])
    try:
        run = cli(*args)
    finally:
        _WATCH["folder"] = None
    assert_no_crash(run)
    assert run.code in (0, 1), run.text[-1500:]
    written = [p for p in _WATCH["opened"]]
    assert written, "the command wrote nothing into the output folder"
    bad = [p for p in written if not re.match(r"^\..+\.tmp$", p.name)]
    assert not bad, f"written in place, not through atomic_output: {bad}"
    assert not _leftovers(out)


def _prefill_args(good: Path, tmp_path: Path, out: Path):
    if "prefill" not in _commands():
        return None
    summary = tmp_path / "汇总.xlsx"
    run = cli("consolidate", good, "-o", summary, "--workers", "1")
    assert summary.exists(), run.text
    return ["prefill", summary, "-o", out]
