"""``make bundle``: offline installers for machines that reach no package index.

Writes ``dist/xlgova-<version>-windows-x64.zip`` and ``dist/xlgova-<version>-linux-x64.tar.gz``: the wheels
of xlgova and of every dependency for that platform and CPython 3.11 and 3.12 (fetched by pip for the
target platform, whatever machine builds it), the templates, the installer (``安装.bat`` / ``install.sh``)
and short instructions. Building needs a package index (or ``--find-links`` with the wheels); installing
needs nothing but the bundle and a Python.

    python scripts/build_bundle.py [--out dist] [--only windows-x64|linux-x64] [--find-links DIR --no-index]
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "bundle"
PYTHONS = ("3.11", "3.12")
PLATFORMS = {
    "windows-x64": ("win_amd64",),
    # pip takes the tags literally: name the manylinux generations wheels are published under.
    "linux-x64": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                  "manylinux_2_12_x86_64", "manylinux2010_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"),
}
# pip judges environment markers for the machine that runs it, not for --platform: dependencies behind a
# Windows marker (xlwings -> pywin32, tqdm -> colorama) are named explicitly.
MARKER_DEPENDENCIES = {"windows-x64": ("pywin32", "colorama"), "linux-x64": ()}
# Dependencies published without a wheel: built here as pure-Python wheels.
SOURCE_ONLY = ("zhconv==1.4.3",)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from xlgova import __version__

    return __version__


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args], check=True)


def local_wheels(wheelhouse: Path, index: list[str]) -> Path:
    """xlgova's own wheel and the pure-Python wheels of source-only dependencies, into ``wheelhouse``."""
    pip("wheel", "--no-deps", "-q", "-w", str(wheelhouse), *index, str(ROOT))
    pip("wheel", "--no-deps", "-q", "-w", str(wheelhouse), *index, *SOURCE_ONLY)
    return next(wheelhouse.glob("xlgova-*.whl"))


def fetch(platform: str, xlgova_wheel: Path, wheelhouse: Path, target: Path, index: list[str]) -> None:
    """Every wheel xlgova needs on ``platform`` for each supported CPython, into ``target``."""
    tags = [a for tag in PLATFORMS[platform] for a in ("--platform", tag)]
    for py in PYTHONS:
        pip("download", "-q", "--only-binary=:all:", "--implementation", "cp", "--python-version", py, *tags,
            "--find-links", str(wheelhouse), *index, "-d", str(target), str(xlgova_wheel),
            *MARKER_DEPENDENCIES[platform])


def text(name: str, ver: str) -> str:
    pythons = "(" + ", ".join(f"({p.replace('.', ', ')})" for p in PYTHONS) + ")"
    return (HERE / name).read_text(encoding="utf-8").replace("{version}", ver).replace("{pythons_tuple}", pythons)


def windows_files(ver: str) -> dict[str, bytes]:
    """The installer for cmd.exe: GBK (code page 936, what Chinese Windows runs .bat files in), CRLF."""
    crlf = lambda s: s.replace("\r\n", "\n").replace("\n", "\r\n")  # noqa: E731
    return {"安装.bat": crlf(text("install.bat", ver)).encode("gbk"),
            "安装说明.txt": b"\xef\xbb\xbf" + crlf(text("安装说明-windows.txt", ver)).encode("utf-8")}


def linux_files(ver: str) -> dict[str, bytes]:
    return {"install.sh": text("install.sh", ver).encode("utf-8"),
            "安装说明.txt": text("安装说明-linux.txt", ver).encode("utf-8")}


def contents(platform: str, ver: str, wheels: Path) -> dict[str, bytes]:
    """Path inside the bundle -> bytes: installer, instructions, templates, wheels."""
    from xlgova.templates import TEMPLATE_DIR

    files = windows_files(ver) if platform == "windows-x64" else linux_files(ver)
    for t in sorted(TEMPLATE_DIR.glob("xlgova-*.xls[xm]")):
        files[f"templates/{t.name}"] = t.read_bytes()
    for w in sorted(wheels.glob("*.whl")):
        files[f"wheels/{w.name}"] = w.read_bytes()
    return files


def write_bundle(platform: str, ver: str, wheels: Path, out: Path) -> Path:
    top = f"xlgova-{ver}-{platform}"
    files = contents(platform, ver, wheels)
    out.mkdir(parents=True, exist_ok=True)
    if platform == "windows-x64":
        path = out / f"{top}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(f"{top}/{name}", data)
        return path
    path = out / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode = len(data), 0o755 if name.endswith(".sh") else 0o644
            tar.addfile(info, io.BytesIO(data))
    return path


def build(out: Path, platforms: list[str], index: list[str]) -> list[Path]:
    ver = version()
    built = []
    with tempfile.TemporaryDirectory(prefix="xlgova-bundle-") as tmp:
        wheelhouse = Path(tmp) / "local"
        xlgova_wheel = local_wheels(wheelhouse, index)
        for platform in platforms:
            target = Path(tmp) / platform
            target.mkdir()
            shutil.copy(xlgova_wheel, target)
            fetch(platform, xlgova_wheel, wheelhouse, target, index)
            for w in wheelhouse.glob("*.whl"):  # the source-only dependencies (pure Python)
                shutil.copy(w, target)
            built.append(write_bundle(platform, ver, target, out))
    return built


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "dist")
    ap.add_argument("--only", choices=sorted(PLATFORMS), action="append")
    ap.add_argument("--find-links", action="append", default=[], help="a folder of wheels to use as well")
    ap.add_argument("--no-index", action="store_true", help="use only --find-links folders")
    args = ap.parse_args(argv)
    index = [a for d in args.find_links for a in ("--find-links", str(d))] + (["--no-index"] if args.no_index else [])
    for path in build(args.out, args.only or sorted(PLATFORMS, reverse=True), index):
        print(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
