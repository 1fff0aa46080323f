"""Generate the corpus of bad inputs the hardening tests (tests/test_hardening_*.py) run through every command.

    python scripts/make_bad_inputs.py OUTDIR [--big]

Writes one file per case and ``manifest.json`` (case name, file, category, what the tool must answer).
Nothing here is committed: the tests regenerate the corpus into a temporary folder. Everything is built from a
real filled workbook (``write_workbook(random_report(...))``) and synthesised byte by byte where a real program
would be needed (.xls, .ods, .xlsb, encrypted, zip bombs) — fast, so the session fixture costs ~1-2 s.
"""
from __future__ import annotations

import argparse
import io
import json
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

AGENCY = "海城街道办事处"
UNUSABLE, FINDINGS, OK = 2, 1, 0


@dataclass
class Case:
    name: str
    filename: str
    category: str
    what: str  # the bad input, in words (docs/robustness.md)
    exit: tuple[int, ...]  # acceptable exit codes of `xlgova validate`
    says: tuple[str, ...] = ()  # substrings every answer must contain (after the file name)
    rules: tuple[tuple[str, str | None], ...] = ()  # (rule id, cell id or None) that must be found
    numbers: dict = field(default_factory=dict)  # cell id -> number the reader must return
    template: bool = False  # built from a real xlgova workbook
    build: Callable | None = field(default=None, repr=False)


CASES: list[Case] = []


def case(name, filename, category, what, exit, says=(), rules=(), numbers=None, template=False):
    def register(fn):
        CASES.append(Case(name, filename, category, what, tuple(exit) if isinstance(exit, (tuple, list)) else (exit,),
                          tuple(says), tuple(rules), {"*": "same"} if numbers == "*" else dict(numbers or {}), template, fn))
        return fn
    return register


# -- a real workbook to start from ---------------------------------------------------------------------------

class Base:
    """The valid filled workbook every mutation starts from, built once per corpus."""

    def __init__(self, seed: int = 8):
        from xlgova.demo.samples import random_report

        self.report = random_report(seed, "2021", agency=AGENCY, year=2021)
        self._bytes: bytes | None = None

    @property
    def xlsx(self) -> bytes:
        if self._bytes is None:
            from xlgova.workbook import write_workbook

            buf = Path(_tmpdir()) / "base.xlsx"
            write_workbook(self.report, buf)
            self._bytes = buf.read_bytes()
        return self._bytes

    def number(self, cid: str):
        return self.report.number(cid)

    def address(self, cid: str) -> tuple[str, str]:
        from xlgova.workbook.layout import cell_map

        return cell_map("2021")[cid]


def _tmpdir() -> str:
    import tempfile

    global _TMP
    try:
        return _TMP
    except NameError:
        _TMP = tempfile.mkdtemp(prefix="xlgova-corpus-")
        return _TMP


def plain_xlsx() -> bytes:
    """A tiny workbook that is not an xlgova template (another office's own form)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["项目", "数量"])
    ws.append(["收到申请", 12])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def edit(base: Base, fn) -> bytes:
    """Open the base workbook in openpyxl, let ``fn`` change it, return the saved bytes."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(base.xlsx))
    fn(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def set_cell(base: Base, cid: str, value, *, formula: str | None = None) -> bytes:
    """Change one cell by rewriting its XML element, the way a clerk's Excel would store it (~5 ms)."""
    sheet, address = base.address(cid)
    return set_cell_xml(base.xlsx, sheet, address, value, formula=formula)


def set_cell_xml(data: bytes, sheet: str, address: str, value, *, formula: str | None = None) -> bytes:
    import re
    from xml.sax.saxutils import escape

    part = _sheet_part(data, sheet)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(part).decode("utf-8")
    pat = re.compile(r'<c r="%s"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)' % address, re.S)
    m = pat.search(xml)
    if m is None:
        raise LookupError(f"{sheet}!{address} not in {part}")
    style = re.search(r'\ss="\d+"', m.group("attrs"))
    s = style.group(0) if style else ""
    if formula is not None:
        cached = "" if value is None else f"<v>{value!r}</v>"  # what Excel saves: the formula and its last result
        cell = f'<c r="{address}"{s}><f>{escape(formula)}</f>{cached}</c>'
    elif isinstance(value, str):
        cell = f'<c r="{address}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    else:
        cell = f'<c r="{address}"{s}><v>{value!r}</v></c>'
    return rezip(data, {part: (xml[: m.start()] + cell + xml[m.end():]).encode("utf-8")})


def edit_xml(data: bytes, member: str, fn) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(member).decode("utf-8")
    return rezip(data, {member: fn(xml).encode("utf-8")})


def rezip(data: bytes, replace: dict[str, bytes | None] = {}, add: dict[str, bytes] = {}) -> bytes:
    """Copy a zip, replacing (None: dropping) some members and adding others."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])
            else:
                dst.writestr(info.filename, src.read(info))
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from already-compressed members: (name, data, crc, uncompressed size, method)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, usize, method in members:
        offset = out.tell()
        n = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), usize, len(n), 0) + n + data)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(data), usize,
                                  len(n), 0, 0, 0, 0, 0, offset) + n)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(cd), start, 0))
    return out.getvalue()


def members_of(data: bytes, skip: set[str] = set()) -> list[tuple[str, bytes, int, int, int]]:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in z.infolist():
            if info.filename not in skip:
                body = z.read(info)
                co = zlib.compressobj(6, zlib.DEFLATED, -15)
                out.append((info.filename, co.compress(body) + co.flush(), zlib.crc32(body), len(body), 8))
    return out


def deflated_zeros(mib: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``mib`` MiB of zeros, built by repeating one flushed block: ~1 KB per MiB."""
    block = bytes(2**20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    return one * mib + tail, crc


def cfb(stream_name: str, payload: bytes = b"") -> bytes:
    """A minimal, valid OLE2 compound file holding one 4 KB stream (an .xls has "Workbook", a .doc "WordDocument")."""
    body = (payload + bytes(4096))[:4096]
    free, end, fatsect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = struct.pack("<8s16s5H6sLLLLLLLLL", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3, 0xFFFE, 9, 6,
                         bytes(6), 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    header += struct.pack("<109L", 0, *([free] * 108))
    fat = [fatsect, end] + [3, 4, 5, 6, 7, 8, 9, end] + [free] * 118

    def entry(name, kind, child, start, size):
        n = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBLLL16sLQQLQ", n, len(n), kind, 1, nostream, nostream, child, bytes(16), 0, 0, 0, start, size)

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, nostream, 2, 4096) + entry("", 0, nostream, 0, 0) * 2
    return header + struct.pack("<128L", *fat) + directory + body


DOCTYPE_BOMB = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [\n <!ENTITY a "aaaaaaaaaa">\n'
                + b"".join(b' <!ENTITY %s "%s">\n' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
                + b"]>\n")
XXE = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def with_doctype(data: bytes, member: str, doctype: bytes, use: bytes = b"") -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read(member)
    if body.startswith(b"<?xml"):
        body = body[body.index(b"?>") + 2:].lstrip()
    if use:
        body = body.replace(b"<t>", b"<t>" + use, 1) if b"<t>" in body else body
    return rezip(data, {member: doctype + body})


def _sheet_part(data: bytes, sheet: str) -> str:
    """The zip member of a sheet, found through workbook.xml and its rels."""
    import re

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="%s"[^>]*r:id="([^"]+)"' % re.escape(sheet), wb) or re.search(
        r'<sheet [^>]*r:id="([^"]+)"[^>]*name="%s"' % re.escape(sheet), wb)
    target = re.search(r'<Relationship [^>]*Id="%s"[^>]*Target="([^"]+)"' % rid.group(1), rels) or re.search(
        r'<Relationship [^>]*Target="([^"]+)"[^>]*Id="%s"' % rid.group(1), rels)
    t = target.group(1)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


def big_junk(data: bytes, sheet: str, mib: int = 40, seed: int = 1) -> bytes:
    """Tens of MB of junk rows appended below the tables of ``sheet`` (written as raw XML: ~2 s)."""
    part = _sheet_part(data, sheet)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(part)
    rng = random.Random(seed)
    rows, size, r = [], 0, 1000
    while size < mib * 2**20:
        hexes = rng.randbytes(48).hex()
        row = (f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{hexes[:32]}</t></is></c><c r="B{r}"><v>{r * 7919 % 104729}</v></c>'
               f'<c r="C{r}" t="inlineStr"><is><t>{hexes[32:]}</t></is></c><c r="D{r}"><v>{rng.random()}</v></c></row>')
        rows.append(row)
        size += len(row)
        r += 1
    junk = "".join(rows).encode()
    if b"</sheetData>" in xml:
        xml = xml.replace(b"</sheetData>", junk + b"</sheetData>", 1)
    else:
        xml = xml.replace(b"<sheetData/>", b"<sheetData>" + junk + b"</sheetData>", 1)
    import re

    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:Z%d"/>' % r, xml, count=1)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == part else src.read(info))
    return out.getvalue()


from _bad_input_cases import register_all  # noqa: E402  (the case list lives beside this file)
from _bad_input_cases_bounds import is_special, make_special, register_bounds  # noqa: E402

register_all(case, sys.modules[__name__])
register_bounds(case, sys.modules[__name__])


def generate(outdir: str | Path, *, big: bool = False, only: set[str] | None = None) -> dict:
    """Write every case into ``outdir``; return the manifest (also written as manifest.json)."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    base = Base()
    manifest = {"cases": []}
    for c in CASES:
        if only is not None and c.name not in only:
            continue
        if c.name == "big_junk" and not big:
            continue
        target = out / c.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        built = c.build(base)
        if target.is_symlink() or target.exists():
            target.unlink()
        if is_special(built):  # a FIFO, a symlink to a device, a symlink loop
            make_special(target, built)
        else:
            target.write_bytes(built)
        entry = {k: v for k, v in asdict(c).items() if k != "build"}
        entry["file"] = str(target.relative_to(out))
        entry["bytes"] = 0 if is_special(built) else target.stat().st_size
        manifest["cases"].append(entry)
    # backslashreplace: an undecodable file name (a lone surrogate) is written as the JSON escape \udcXX
    (out / "manifest.json").write_bytes(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8", "backslashreplace"))
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--big", action="store_true", help="also the tens-of-MB junk-row workbook")
    args = ap.parse_args(argv)
    m = generate(args.outdir, big=args.big)
    for c in m["cases"]:
        print(f"{c['category']:6} {c['name']:28} {c['bytes']:>10}  {ascii(c['file']) if not c['file'].isprintable() else c['file']}")
    print(f"{len(m['cases'])} cases in {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
