"""Every bound on untrusted input, in one place: what xlgova will read before it refuses a file.

Each number is far above any real annual report (a filled template is ~50 KB, a published report a few
pages) and far below what hurts a clerk's laptop or stops a county's consolidation. Readers import these;
none keeps a private copy.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

MB = 2**20

# Any input file: a workbook, a published document, report JSON.
FILE_BYTES = 200 * MB


@dataclass(frozen=True)
class ZipLimits:
    """An OOXML package (.xlsx / .xlsm / .docx): checked by ``xlgova.ooxml.guard`` before any parser runs."""

    file_bytes: int = FILE_BYTES
    members: int = 5000
    member_bytes: int = 64 * MB  # uncompressed, one part (~500,000 rows of sheet XML)
    total_bytes: int = 256 * MB  # uncompressed, all parts
    ratio: int = 200  # uncompressed / compressed, checked for parts above ratio_floor (zip bombs)
    ratio_floor: int = MB
    prolog_bytes: int = 64 * 2**10  # an XML prolog longer than this is refused


ZIP = ZipLimits()

# OLE2 (.xls/.doc) directories are read only this far when telling the clerk what a file really is.
OLE2_SCAN_BYTES = 64 * MB

# The desk (报送台): one uploaded file, files in one request (a county's folder, several versions each), and a
# text field (审核意见). Uploads are streamed to disk and refused as soon as a bound is passed.
DESK_UPLOAD_BYTES = 50 * MB
DESK_UPLOAD_FILES = 2000
DESK_FIELD_BYTES = 64 * 2**10
DESK_PART_HEADER_BYTES, DESK_PART_HEADERS, DESK_FIELDS = 8192, 16, 100  # a browser sends 2 headers a part, 3 fields

# -- workbook sheets (decided from the sheet XML before python-calamine allocates anything) -------------
# python-calamine stores a sheet as a dense grid from A1 to the farthest cell, 32 bytes a cell: one cell at
# XFD1048576 asks for 512 GiB. The template's sheets end at row 35 and column BW (75); 2,000 rows and 128
# columns leave room for every note a clerk types below or beside the tables, and cap a sheet's grid at
# 2,000 × 128 × 32 B = 8 MB. Cells beyond are reported (workbook.out_of_range) and left out of the reading.
SHEET_MAX_ROWS = 2_000
SHEET_MAX_COLS = 128
# Cells named one by one in a finding; the rest are counted.
SHEET_CELLS_NAMED = 3
# xlgova's other workbooks, read whole: a summary's 明细 has one row per agency and ~215 columns (2021
# format); a roster a few columns. 10,000 agencies × 512 columns caps the grid at 164 MB; beyond, the file
# is refused (its cells cannot be left out without losing data).
SUMMARY_MAX_ROWS = 10_000
SUMMARY_MAX_COLS = 512
ROSTER_MAX_COLS = 64

# -- documents (.docx / .doc / .html / .mhtml / .txt / .pdf given to `import` / `validate`) -----------------------------
# A published report is 20–200 KB of text (a PDF with scanned stamps a few MB). 50 MB admits any of them
# with images and refuses a file that could only be junk or an attack before a byte is parsed.
DOCUMENT_MAX_BYTES = 50 * MB
# Tables in one document: a report has 6 (sections 二–四 plus the odd extra); 500 leaves room for pages that
# lay out every paragraph as a table, and refuses the 100,000-table page that takes a parser 600 MB.
DOCUMENT_MAX_TABLES = 500
# Nesting of tables inside table cells (.docx) and of elements (HTML): Word itself nests tables ~64 deep;
# real reports nest at most 2. Deeper nesting is refused instead of recursed into.
DOCUMENT_MAX_TABLE_DEPTH = 8
DOCUMENT_MAX_ELEMENTS = 400_000  # HTML/docx elements; a 200-page report has ~50,000
# PDF: pages of a report are 5–40; glyphs on one page of dense Chinese text ~3,000 (A4, 10.5 pt).
PDF_MAX_PAGES = 300
PDF_MAX_GLYPHS_PER_PAGE = 20_000
PDF_MAX_STREAM_BYTES = 32 * MB  # one content stream inflated; a page of text is < 200 KB
# Wall time for reading one document (importers.bounds.Budget, checked in the loops over PDF streams and
# pages, HTML elements, tables and lines, .docx blocks and cells): a real report reads in < 2 s; a file
# still being read after this is refused, so one file cannot hold a batch.
DOCUMENT_SECONDS = 30.0
# A page saved by a browser as one file (.mhtml/.mht, MIME multipart): a page with its pictures and style
# sheets has 5–300 parts and one multipart container (two when it holds a frame). Part boundaries are
# counted on the bytes and multipart containers (which bound the nesting) before the email parser runs.
MHTML_MAX_PARTS = 2_000
MHTML_MAX_MULTIPARTS = 8
# An old Word (.doc) or WPS (.wps) document is converted to .docx by LibreOffice in its own process group;
# a report converts in 2–10 s (the first start of LibreOffice on a slow machine ~20 s). A conversion still
# running after this is killed with its whole group and the file refused.
DOCUMENT_CONVERT_SECONDS = 60
# LibreOffice instances one process runs at once (the desk converts uploaded .doc files in its threads): each
# takes ~200 MB and a core; further conversions wait for a slot, within their own timeout.
LIBREOFFICE_PARALLEL = 2

# -- consolidation workers -------------------------------------------------------------------------------
# Address space one reading process may add to what it maps when it starts (RLIMIT_AS, set in each local
# worker on Linux; xlgova.consolidate.executors.cap_memory). A forked worker starts with ~160 MB mapped (the
# interpreter, python-calamine, lxml; more if the parent had imported numpy, whose thread buffers grow with
# the cores — hence relative to the start), and reading the largest file the bounds above admit (a 40 MB
# sheet XML, the corpus's big_junk) takes it to ~360 MB. 2 GiB more leaves room for that ten times over and
# stops a runaway allocation in this worker: Python raises MemoryError (the file is listed as 无法读取), a
# native parser aborts (the pool is rebuilt, the file listed) — the OOM killer never has to pick a process.
# Dask workers keep Dask's own memory limit.
WORKER_MEMORY_BYTES = 2 * 2**30

# -- report JSON (`validate report.json`, the desk's uploads) -----------------------------------------------
# A report JSON is ~20 KB and 4 levels deep (report → previous → values → value); 10 MB and 32 levels
# admit any report with its findings and provenance, and stop a file built to exhaust the parser.
JSON_MAX_BYTES = 10 * MB
JSON_MAX_DEPTH = 32
# A number, in JSON or as a cell's text: a count has at most 15 significant digits (value.too_large); 40
# characters admit "-123456789012345.678" with room. JSON refuses longer numbers (Python's int() rejects
# 5,000 digits with an English ValueError); a longer digit string in a cell is kept as a Decimal, which
# prints at any length, and reported as too large.
NUMBER_MAX_CHARS = 40

# -- years ------------------------------------------------------------------------------------------------
# The regulation's annual reports begin with 2008 (条例 took effect 2008-05-01); the latest plausible year
# is next year (templates for the coming year are prepared in December). Outside: report.year_implausible.
FIRST_YEAR = 2008


def last_year() -> int:
    """The latest plausible statistical year: next year (drafts are prepared in December)."""
    return _dt.date.today().year + 1
