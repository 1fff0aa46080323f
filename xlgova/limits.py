"""Every bound on untrusted input, in one place: what xlgova will read before it refuses a file.

Each number is far above any real annual report (a filled template is ~50 KB, a published report a few
pages) and far below what hurts a clerk's laptop or stops a county's consolidation. Readers import these;
none keeps a private copy.
"""
from __future__ import annotations

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
