"""The demo county 泓川县 (fictional): about 40 agencies, two consecutive years, a handful of planted problems.

Numbers come from :func:`xlgova.demo.samples.random_report` (every identity holds, last year's figures carry
over); the narrative is written per agency from varied phrases, so the copy check only fires where a copy
was planted.
"""
from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from ..model import BLANK_VALUE, Report, parse_value
from .samples import random_report

COUNTY = "泓川县"
DEPARTMENTS = (
    ("人民政府", "县级政府", "全县政务公开"), ("人民政府办公室", "县级部门", "政务服务和督查"),
    ("发展和改革局", "县级部门", "重大项目和价格收费"), ("教育局", "县级部门", "招生入学和教育收费"),
    ("科学技术局", "县级部门", "科技项目申报"), ("工业和信息化局", "县级部门", "工业企业扶持"),
    ("公安局", "县级部门", "户政和交通管理"), ("民政局", "县级部门", "社会救助和养老服务"),
    ("司法局", "县级部门", "行政复议和法律援助"), ("财政局", "县级部门", "预决算和财政资金"),
    ("人力资源和社会保障局", "县级部门", "就业创业和社会保险"), ("自然资源局", "县级部门", "国土空间规划和征地"),
    ("住房和城乡建设局", "县级部门", "老旧小区改造和保障性住房"), ("交通运输局", "县级部门", "农村公路建设"),
    ("水利局", "县级部门", "水利工程和河湖长制"), ("农业农村局", "县级部门", "惠农补贴和高标准农田"),
    ("商务局", "县级部门", "消费促进和外贸"), ("文化和旅游局", "县级部门", "文化惠民和旅游市场"),
    ("卫生健康委员会", "县级部门", "医疗服务和公共卫生"), ("退役军人事务局", "县级部门", "优抚安置"),
    ("应急管理局", "县级部门", "安全生产和防灾减灾"), ("审计局", "县级部门", "审计结果"),
    ("市场监督管理局", "县级部门", "食品药品安全和市场主体登记"), ("统计局", "县级部门", "统计数据发布"),
    ("医疗保障局", "县级部门", "医保待遇和药品集采"), ("林业局", "县级部门", "森林防火和林长制"),
    ("城市管理局", "县级部门", "市容环境和违建整治"), ("行政审批服务局", "县级部门", "一网通办和行政许可"),
)
TOWNS = (
    ("城关镇", "乡镇"), ("龙泉镇", "乡镇"), ("石门镇", "乡镇"), ("青龙镇", "乡镇"), ("清水镇", "乡镇"),
    ("白沙乡", "乡镇"), ("桃源乡", "乡镇"), ("柳溪乡", "乡镇"), ("东城街道办事处", "街道"), ("西城街道办事处", "街道"),
    ("南湖街道办事处", "街道"),
)


@dataclass(frozen=True)
class Agency:
    name: str
    level: str
    topic: str
    code: str


def agencies() -> list[Agency]:
    out = [Agency(f"{COUNTY}{n}", lvl, topic, f"HC{i:03d}") for i, (n, lvl, topic) in enumerate(DEPARTMENTS, 1)]
    for i, (n, lvl) in enumerate(TOWNS, len(out) + 1):
        full = n if n.endswith("办事处") else f"{n}人民政府"
        out.append(Agency(f"{COUNTY}{full}", lvl, "基层治理和惠民政策", f"HC{i:03d}"))
    return out


# The roster's tree (上级单位), for the summary's 节点汇总: the county's departments and its towns as two
# groups, and the 林业局 under the 自然资源局 as in many counties.
SUB_UNITS = {"林业局": "自然资源局"}


def parent_of(agency: Agency) -> str:
    short = agency.name.removeprefix(COUNTY)
    if short in SUB_UNITS:
        return COUNTY + SUB_UNITS[short]
    if agency.level in ("乡镇", "街道"):
        return "乡镇（街道）"
    return "" if agency.level == "县级政府" else "县直部门"


_OPENINGS = (
    "{y}年，{a}以习近平新时代中国特色社会主义思想为指导，认真落实《中华人民共和国政府信息公开条例》，围绕{t}推进政务公开。",
    "{y}年，{a}坚持以公开为常态、不公开为例外，把{t}作为公开重点，全年工作总体平稳有序。",
    "{y}年度，{a}按照县委、县政府部署，结合{t}工作实际，进一步健全政务公开制度。",
    "{a}高度重视政府信息公开工作，{y}年由主要负责同志牵头，聚焦{t}，推动决策、执行、管理、服务、结果公开。",
)
_ACTIVE = (
    "通过门户网站发布{t}相关信息{n}条，其中政策文件{m}件，均同步发布解读材料。",
    "全年主动公开信息{n}条，在“{t}”专栏集中发布办事指南和工作动态，做到应公开尽公开。",
    "依托政务新媒体推送{t}信息{n}条，开展图解、短视频等形式的政策解读{m}次。",
    "对涉及群众切身利益的{t}事项，及时公开办理依据、流程和结果，共计{n}条。",
)
_MANAGE = (
    "落实公开属性源头认定，建立信息发布前保密审查和合法性审查机制。",
    "开展规范性文件清理，对失效文件及时标注，动态更新政府信息公开目录。",
    "按季度检查栏目更新情况，对发现的错链、空栏目及时整改。",
    "健全依申请公开登记、审核、答复各环节台账，确保按时答复。",
)
_PLATFORM = (
    "优化门户网站{t}专栏，整合办事入口，提升检索和移动端浏览体验。",
    "加强政务新媒体管理，统一账号审核发布流程，杜绝“僵尸”账号。",
    "在办事大厅设置政府信息查阅点，方便群众现场查阅。",
    "推进政府网站集约化建设，统一信息资源库，减少重复发布。",
)
_SUPERVISE = (
    "将政务公开纳入年度目标考核，组织专题培训{m}次。",
    "主动接受社会评议，聘请政务公开监督员{m}名，收集意见建议并逐条回应。",
    "本年度未发生因政府信息公开工作被责任追究的情况。",
    "定期通报公开工作情况，对工作滞后的科室督促整改。",
)
_PROBLEMS = (
    "一是{t}方面的政策解读形式还不够丰富；二是部分栏目更新不够及时。",
    "一是基层工作人员业务能力有待提升；二是依申请公开答复的规范性需进一步加强。",
    "一是主动公开的深度和广度仍有差距；二是与群众的互动回应还不够充分。",
    "一是信息发布审核流程还需细化；二是公开目录的动态调整不够及时。",
)
_PROBLEMS_MORE = (
    "{t}相关政策的宣传覆盖面还不够广，群众知晓率有待提高。",
    "政务新媒体的互动功能使用不足，回应关切还不够及时。",
    "部分公开信息的格式不够规范，可读性不强。",
    "依申请公开答复中引用条款还不够精准。",
    "对{t}领域的数据开放利用探索不多。",
    "公开工作人员调整较频繁，工作衔接不够顺畅。",
)
_FIXES = (
    "下一步，将加强业务培训，推行“政策+解读+问答”一体发布。",
    "下一步，将建立栏目更新责任清单，实行每月自查。",
    "下一步，将围绕{t}编制公开标准目录，提高公开的针对性。",
    "下一步，将完善答复文书模板，加强法律审核。",
)


def narrative(report: Report, topic: str, rng: random.Random) -> dict[str, str]:
    """Sections 一, 五, 六 in varied words; the application figures agree with the tables."""
    y, a, t = report.year, report.agency, topic
    n, out = report.number("apps.new.total") or 0, report.number("apps.carried_out.total") or 0
    fill = lambda s: s.format(y=y, a=a, t=t, n=rng.randint(30, 900), m=rng.randint(1, 12))  # noqa: E731
    apply = f"全年共收到政府信息公开申请{n}件，结转下年度继续办理{out}件，均在法定期限内答复。" if n else "本年度未收到政府信息公开申请。"
    one = "\n".join((
        fill(rng.choice(_OPENINGS)), "（一）主动公开。" + fill(rng.choice(_ACTIVE)) + fill(rng.choice(_ACTIVE)),
        "（二）依申请公开。" + apply, "（三）政府信息管理。" + "".join(fill(s) for s in rng.sample(_MANAGE, 2)),
        "（四）政府信息公开平台建设。" + fill(rng.choice(_PLATFORM)), "（五）监督保障。" + "".join(fill(s) for s in rng.sample(_SUPERVISE, 2)),
    ))
    more = "".join(fill(x) for x in rng.sample(_PROBLEMS_MORE, 2))
    five = f"存在的主要问题：{fill(rng.choice(_PROBLEMS))}此外，{more}\n改进情况：上年提出的改进措施已基本落实。{fill(rng.choice(_FIXES))}{a}将{fill(rng.choice(_PLATFORM))}"
    return {"一": one, "五": five, "六": "本机关未收取信息处理费。无其他需要报告的事项。"}


STEADY_CELLS = ("art20_5.licensing.decisions", "art20_6.penalty.decisions", "art20_6.coercion.decisions")


def _steady(agency: Agency, year: int, rng: random.Random, previous: Report, scale: int) -> Report:
    """This year's numbers near last year's, as a real agency's are: decisions within ±25 %, and the
    applications drawn again until no key figure jumps (the demo plants its one jump on purpose)."""
    from ..consolidate.review_rules import figures, yoy_findings
    from ..rules import Numbers

    last = figures(previous.format_id, Numbers(previous).get)
    for _ in range(40):
        r = random_report(rng, "2021", agency=agency.name, year=year, previous=previous, scale=scale)
        for cid in STEADY_CELLS:
            r.values[cid] = parse_value(round((previous.number(cid) or 0) * rng.uniform(0.8, 1.25)))
        if not yoy_findings(figures(r.format_id, Numbers(r).get), last):
            break
    return r


def report_for(agency: Agency, year: int, rng: random.Random, previous: Report | None = None) -> Report:
    scale = 5 if agency.level in ("乡镇", "街道") else 40 if agency.topic in ("国土空间规划和征地", "户政和交通管理") else 15
    if previous is None:
        r = random_report(rng, "2021", agency=agency.name, year=year, scale=scale)
    else:
        r = _steady(agency, year, rng, previous, scale)
    r.meta = {"level": agency.level, "kind": "单位报告", "preparer": rng.choice(("李", "王", "张", "刘", "陈", "杨")) + rng.choice(("晓", "建", "春", "文", "海")) + rng.choice(("燕", "军", "华", "芳", "伟", "丽")), "phone": f"0571-6{rng.randint(1000000, 9999999)}", "date": f"{year + 1}-01-{rng.randint(10, 25)}"}
    r.sections = narrative(r, agency.topic, rng)
    r.previous = None  # the workbook's 上年数据 is left to prefill; the demo checks against --previous
    return r


def plant_problems(reports: dict[str, Report], last: dict[str, Report], rng: random.Random) -> list[str]:
    """Spoil a few reports the way clerks do; returns what was planted (Chinese, for the printout)."""
    planted = []
    r = reports[f"{COUNTY}自然资源局"]
    for cid in ("apps.new.natural", "apps.new.total"):
        r.values[cid] = parse_value((r.number(cid) or 0) + 2)
    planted.append(f"{r.agency}：“本年新收申请”多填 2 件，申请情况表勾稽关系不平")
    r = reports[f"{COUNTY}城关镇人民政府"]
    for cid in ("review.suit_after.upheld", "review.suit_after.corrected", "art20_5.licensing.decisions"):
        r.values[cid] = BLANK_VALUE
    r.values["art20_6.coercion.decisions"] = parse_value("/")
    planted.append(f"{r.agency}：4 个单元格留空或填“/”")
    name = f"{COUNTY}人力资源和社会保障局"
    fake = copy.deepcopy(last[name])
    for col in ("natural", "total"):
        fake.values[f"apps.carried_out.{col}"] = parse_value((last[name].number(f"apps.carried_out.{col}") or 0) + 3)
    agency = next(a for a in agencies() if a.name == name)
    reports[name] = report_for(agency, reports[name].year, rng, previous=fake)
    planted.append(f"{name}：“上年结转”与上年报告的“结转下年度继续办理”不一致")
    src, dst = reports[f"{COUNTY}水利局"], reports[f"{COUNTY}林业局"]
    dst.sections["一"] = src.sections["一"].replace("水利局", "林业局").replace("水利工程和河湖长制", "森林防火和林长制")
    planted.append(f"{dst.agency}：“总体情况”照抄{src.agency}的文字")
    return planted + plant_review(reports, last)


def plant_review(reports: dict[str, Report], last: dict[str, Report]) -> list[str]:
    """What the supervisor's review should find: a 5-fold jump, an outlier among peers, last year's tables."""
    name, cid = f"{COUNTY}市场监督管理局", "art20_6.penalty.decisions"
    last[name].values[cid], reports[name].values[cid] = parse_value(64), parse_value(320)
    planted = [f"{name}：“行政处罚决定”由上年的 64 件增至 320 件（5 倍）"]
    name, cid = f"{COUNTY}行政审批服务局", "art20_5.licensing.decisions"
    last[name].values[cid], reports[name].values[cid] = parse_value(52000), parse_value(56800)
    planted.append(f"{name}：“行政许可决定”56800 件，远高于其他县级部门（与上年相近，不是同比变化）")
    name = f"{COUNTY}退役军人事务局"
    this = reports[name]
    this.values = copy.deepcopy(last[name].values)
    planted.append(f"{name}：统计表与上年报告完全相同（照抄上年数据）")
    return planted
