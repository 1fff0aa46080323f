"""Many agencies' workbooks -> one county summary: totals, status, history, next year's templates.

>>> from xlgova.consolidate import consolidate  # doctest: +SKIP
>>> result = consolidate(["报送/"], "汇总.xlsx", roster="名单.csv", previous="2023汇总.xlsx")  # doctest: +SKIP
"""
from __future__ import annotations

from .core import Consolidation, assemble, consolidate, load_previous
from .names import Roster, RosterEntry, load_roster, normalise_name
from .record import STATUS_ORDER, AgencyRecord, Context, process_path, record_from_report

__all__ = [
    "Consolidation", "assemble", "consolidate", "load_previous", "Roster", "RosterEntry", "load_roster",
    "normalise_name", "STATUS_ORDER", "AgencyRecord", "Context", "process_path", "record_from_report",
]
