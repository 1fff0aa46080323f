"""Real-world table variants made from the project's own sample reports (issue 15).

Local agencies add their own rows to the 第二十条 tables (行政检查, 行政确认… under 其他对外管理服务事项 or after
行政强制). :func:`with_local_rows` gives a report that renders with such rows — in every shape, since every
renderer in ``import_support``/``shape_support`` draws the tables from ``report.format`` — while its values
keep only the official cells' ids the importer may read. The labels of the local rows are the kinds of
administrative acts (行政检查…); the values are random.
"""
from __future__ import annotations

import dataclasses

from xlgova.formats import Row
from xlgova.model import Report, parse_value

# (format, table) -> (official row the local rows belong to, local row labels)
LOCAL_ROWS = {
    ("2019", "art20_5"): ("other_services", ("行政检查", "行政确认", "行政奖励", "行政征收", "行政给付", "行政裁决")),
    ("2019", "art20_6"): ("coercion", ("行政检查",)),
    ("2021", "art20_5"): ("licensing", ("行政确认", "行政备案")),
    ("2021", "art20_6"): ("coercion", ("行政检查", "行政征收", "行政奖励")),
}
# after: local rows after their official row; before: between it and the previous one; nested: the official
# label printed once as a merged cell over its sub-rows, its own values in a 小计 row (first or last);
# only: the official label over its sub-rows, its own values not printed at all.
PLACES = ("after", "before", "nested-first", "nested-last", "only")
SUBTOTAL = "小计"


class _Rendered(Report):
    """A report rendered with another table layout (the local one); its values stay the official ones."""

    @property
    def format(self):
        return self.__dict__["_layout"]


def with_local_rows(report: Report, rng, place: str = "after", count: int | None = None) -> Report:
    """``report`` drawn with local rows (``place`` as in PLACES). Returns the report to render; ``report``
    itself is left as the official reading (the local rows' values are only in the returned one)."""
    fmt = report.format
    out = _Rendered(**{f.name: getattr(report, f.name) for f in dataclasses.fields(Report)})
    out.values = dict(report.values)
    tables = []
    for table in fmt.tables:
        spec = LOCAL_ROWS.get((fmt.id, table.id))
        if spec is None:
            tables.append(table)
            continue
        owner, labels = spec
        rows = _with_local(table, owner, labels[: count or len(labels)], place)
        for r in rows:
            if r.id.startswith("local"):
                for c in table.cols:
                    out.values[f"{table.id}.{r.id}.{c.id}"] = parse_value(rng.randint(0, 40))
        if place == "only":
            for c in table.cols:
                del out.values[f"{table.id}.{owner}.{c.id}"]
        tables.append(dataclasses.replace(table, rows=tuple(rows)))
    out.__dict__["_layout"] = dataclasses.replace(fmt, tables=tuple(tables))
    return out


def _with_local(table, owner: str, labels, place: str) -> list[Row]:
    rows = list(table.rows)
    k = [r.id for r in rows].index(owner)
    label = rows[k].label
    if place in ("after", "before"):
        local = [Row(f"local{n}", lab) for n, lab in enumerate(labels)]
        rows[k + (place == "after") : k + (place == "after")] = local
        return rows
    local = [Row(f"local{n}", lab, groups=(label,)) for n, lab in enumerate(labels)]
    own = [Row(owner, SUBTOTAL, groups=(label,))] if place != "only" else []
    rows[k : k + 1] = own + local if place == "nested-first" else local + own
    return rows


def local_labels(report: Report) -> list[str]:
    """The local rows' labels a report of this format is drawn with."""
    return [lab for (fid, _), (_, labels) in LOCAL_ROWS.items() if fid == report.format_id for lab in labels]
