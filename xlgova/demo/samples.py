"""Plausible reports, consistent by construction: for the demo county, tests, benchmarks and round trips.

``random_report(rng, "2021", previous=last_year)`` gives a report whose every identity holds (and whose
cross-year identities hold against ``previous``). Tests disturb it on purpose to see the rules fire.
"""
from __future__ import annotations

import random
from decimal import Decimal

from ..formats import get_format
from ..model import Report, parse_value

APPLICANT_WEIGHTS = {"natural": 20, "business": 4, "research": 1, "nonprofit": 1, "legal": 2, "other": 1}


def _split(rng: random.Random, total: int, n: int, weights=None) -> list[int]:
    """Split ``total`` into ``n`` non-negative parts (weighted, mostly zeros for small totals)."""
    parts = [0] * n
    w = weights or [1] * n
    for _ in range(total):
        parts[rng.choices(range(n), weights=w)[0]] += 1
    return parts


def _apps(rng: random.Random, fmt, values: dict, previous: Report | None, scale: int) -> None:
    apps = fmt.table("apps")
    results = [r.id for r in apps.rows if r.result]
    result_weights = [30 if r in ("granted", "partial") else 6 if r.startswith("unavailable") else 2 for r in results]
    totals: dict[str, int] = {}
    for col in [c.id for c in apps.cols if not c.total]:
        new = rng.randint(0, APPLICANT_WEIGHTS[col] * scale // 10) if rng.random() < 0.8 else 0
        if previous is not None and previous.number(f"apps.carried_out.{col}") is not None:
            carried_in = int(previous.number(f"apps.carried_out.{col}"))
        else:
            carried_in = rng.choice([0, 0, 0, 1, 2]) if new else 0
        carried_out = rng.randint(0, min(3, new + carried_in)) if rng.random() < 0.3 else 0
        handled = _split(rng, new + carried_in - carried_out, len(results), result_weights)
        row = {"new": new, "carried_in": carried_in, "carried_out": carried_out, "handled_total": sum(handled)}
        row.update(zip(results, handled))
        for r, n in row.items():
            values[f"apps.{r}.{col}"] = n
            totals[r] = totals.get(r, 0) + n
    for r, n in totals.items():
        values[f"apps.{r}.total"] = n


def _review(rng: random.Random, values: dict, busy: bool) -> None:
    for group in ("reconsideration", "suit_direct", "suit_after"):
        parts = [rng.randint(0, 3) if busy and rng.random() < 0.4 else 0 for _ in range(4)]
        for col, n in zip(("upheld", "corrected", "other", "pending"), parts):
            values[f"review.{group}.{col}"] = n
        values[f"review.{group}.total"] = sum(parts)


def _section_two_2021(rng: random.Random, values: dict, previous: Report | None, township: bool) -> None:
    for row in ("rules", "normative"):
        if row == "rules" and township:
            issued = repealed = in_force = 0
        else:
            issued = rng.randint(0, 3 if row == "rules" else 12)
            prev_in_force = previous.number(f"art20_1.{row}.in_force") if previous is not None else None
            base = int(prev_in_force) if prev_in_force is not None else rng.randint(0, 40)
            repealed = rng.randint(0, min(base, 5))
            in_force = base + issued - repealed
            if previous is None or prev_in_force is None:
                in_force = max(in_force, issued)
        values.update({f"art20_1.{row}.issued": issued, f"art20_1.{row}.repealed": repealed, f"art20_1.{row}.in_force": in_force})
    values["art20_5.licensing.decisions"] = rng.choice([0, 0, rng.randint(1, 3000)])
    values["art20_6.penalty.decisions"] = rng.choice([0, rng.randint(1, 500)])
    values["art20_6.coercion.decisions"] = rng.choice([0, 0, rng.randint(1, 30)])
    values["art20_8.fees.amount"] = rng.choice([Decimal(0), Decimal(rng.randint(1, 99999)) / 100])


def _section_two_2019(rng: random.Random, values: dict, previous: Report | None, township: bool) -> None:
    for row in ("rules", "normative"):
        made = 0 if (township and row == "rules") else rng.randint(0, 10)
        published = rng.randint(0, made)
        total_public = published + (0 if (township and row == "rules") else rng.randint(0, 50))
        values.update({f"art20_1.{row}.made": made, f"art20_1.{row}.published": published, f"art20_1.{row}.total_public": total_public})
    for table, rows in (("art20_5", ("licensing", "other_services")), ("art20_6", ("penalty", "coercion")), ("art20_8", ("fees",))):
        for row in rows:
            cid = f"{table}.{row}"
            if previous is not None and previous.number(f"{cid}.prev_items") is not None:
                prev_items = int(previous.number(f"{cid}.prev_items")) + int(previous.number(f"{cid}.change") or 0)
            else:
                prev_items = rng.randint(0, 60)
            values[f"{cid}.prev_items"] = prev_items
            values[f"{cid}.change"] = rng.randint(-min(prev_items, 5), 5)
            if table != "art20_8":
                values[f"{cid}.decisions"] = rng.choice([0, rng.randint(1, 800)])
    values["art20_9.procurement.projects"] = rng.randint(0, 12)
    values["art20_9.procurement.amount"] = Decimal(rng.randint(0, 500000)) / 100 if values["art20_9.procurement.projects"] else Decimal(0)


def narrative(report: Report, rng: random.Random | None = None) -> dict[str, str]:
    """Plain sections 一, 五, 六 whose statements agree with the tables."""
    rng = rng or random.Random(0)
    n = report.number("apps.new.total") or 0
    out = report.number("apps.carried_out.total") or 0
    year = report.year or 2021
    apply = (
        f"本年度共收到政府信息公开申请{n}件，结转下年度继续办理{out}件。" if n else "本年度未收到政府信息公开申请。"
    )
    one = (
        f"{year}年，{report.agency}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，"
        f"全年主动公开政府信息{rng.randint(20, 600)}条。\n（一）主动公开。围绕重点领域及时发布政策文件和工作动态。\n"
        f"（二）依申请公开。{apply}\n（三）政府信息管理。严格落实保密审查制度。\n"
        "（四）政府信息公开平台建设。加强政府网站和政务新媒体管理。\n（五）监督保障。将政务公开纳入年度考核。"
    )
    five = "存在的主要问题：一是公开内容的深度有待加强；二是政策解读形式比较单一。\n改进情况：一是加强业务培训；二是丰富解读形式。"
    fee = "本机关未收取信息处理费。" if report.format_id == "2021" else ""
    six = f"{fee}无其他需要报告的事项。"
    return {"一": one, "五": five, "六": six}


def random_report(
    rng: random.Random | int,
    format_id: str = "2021",
    *,
    agency: str = "示例县人民政府办公室",
    year: int | None = None,
    previous: Report | None = None,
    scale: int = 30,
    township: bool | None = None,
) -> Report:
    """A report where every identity holds (and the cross-year ones against ``previous``)."""
    rng = rng if isinstance(rng, random.Random) else random.Random(rng)
    fmt = get_format(format_id)
    year = year or (2021 if format_id == "2021" else 2020)
    township = township if township is not None else agency.endswith(("街道办事处", "乡人民政府", "镇人民政府"))
    values: dict = {}
    (_section_two_2021 if format_id == "2021" else _section_two_2019)(rng, values, previous, township)
    _apps(rng, fmt, values, previous, scale)
    _review(rng, values, busy=values["apps.new.total"] > 10)
    report = Report(agency=agency, year=year, format_id=format_id, values={k: parse_value(v) for k, v in values.items()})
    report.sections = narrative(report, rng)
    report.previous = previous
    return report
