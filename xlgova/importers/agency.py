"""Who published a report: the agency's name wherever the page gives it.

The title comes first (``meta.agency_from_title``); then a sentence naming the report or its compiler, the
signature (落款), the contact the report gives (请与…联系), the page's publisher field, the website of the
kind the report calls itself (我厅 … X厅门户网站), the file name. A kind of agency ("街道", "经开区") or a
pronoun ("我局") names no one: no evidence leaves the name blank (``report.agency_missing``), never a guess.
"""
from __future__ import annotations

import re
import unicodedata

from ..model import HAN
from .lines import Line

# what a name is not: leading and trailing marks, bullets, pipes, "Page 2 -", a leading 关于
AGENCY_JUNK = re.compile(r"^(?:[^" + HAN + r"(（]|关于)+|[^" + HAN + r")）]+$")

_QUOTED_TITLE = re.compile(r"《([^《》]{2,40}?)(20\d{2})年度?(政府信息(与政务)?公开[^《》]{0,12}报告)》")


_PUBLISHED_TITLE = re.compile(
    r"(?:(?:现|特)?(?:公布|发布|编制)了?|现公开|现将|特将)([^，。,、《》“”()（）]{2,30}?)(20\d{2})年度?(政府信息(与政务)?公开)"
    r"|(?:现|特)(?:公布|发布)([^，。,、《》“”()（）\d]{2,30}?)(?<!人民)政府信息公开工作20\d{2}年度?报告"  # "…X政府信息公开工作2022年度报告"
)
_PUBLISHED_YEAR_FIRST = re.compile(
    r"(?:公布|发布|编制|现公开|现将)了?20\d{2}年度?([^，。,、《》“”()（）]{2,30}?)(?<!人民)(?:政府)?信息公开(?:工作)?(?:年度|情况)?(?:工作)?报告"
)
# "唐村镇政府编制2020年政府信息公开年度报告", "由两城镇人民政府党政办公室编制", "本报告由信访局结合有关统计数据编制"
_COMPILER = re.compile(
    r"(?:^|[，。,；])([^，。,；《》“”()（）由]{2,30}?)(?:编制|制作)(?:了|完成)?(?:本|《?20\d{2})"
    r"|由([^，。,；《》“”()（）]{2,30}?)(?:(?:结合|围绕)[^，。,；]{0,30}?|按照[^，。；]{0,150}?|负责|牵头|组织)?(?:编制|制作)"
)
_DRAFTING_OFFICE = re.compile(r"(人民政府|政府|高新区|开发区|经开区|管委会)(?:党政|综合)?办公室$")  # the government's office drafted it: the agency is the government


def agency_from_text(text: str) -> str:
    """Fallback when the title has no agency: "现发布《海原县海城镇人民政府 2022 年政府信息公开年度工作报告》",
    "现公布区统计局2023年政府信息公开工作年度报告", "由…编制", "为认真做好京山市卫生健康局政府信息公开工作",
    "截至2019年12月31日,牛街乡人民政府通过…". A pronoun ("现将我乡2024年度…", "由我办编制") names no one."""
    norm = _ALIAS.sub("", unicodedata.normalize("NFKC", text))
    flat = re.sub(r"\s+", "", norm)
    masked = re.sub(r"《[^《》]*》", "《》", flat)  # a name inside another document's title is not the report's
    patterns = ((_QUOTED_TITLE, _named), (_PUBLISHED_TITLE, _named), (_PUBLISHED_YEAR_FIRST, agency_like), (_COMPILER, _compiled), (_WORK_OF, agency_like))
    for pattern, named in patterns:
        for m in pattern.finditer(flat if pattern in (_QUOTED_TITLE, _COMPILER) else masked):
            name = named(AGENCY_JUNK.sub("", next(g for g in m.groups() if g)))
            if name:
                return name
    return opening_agency(norm)


def opening_agency(text: str) -> str:
    """"2022年,春城街道办事处按照…": the agency a sentence opening on a year or date names."""
    lined = re.sub(r"\s+", "", re.sub(r"\s*\n\s*", "。", unicodedata.normalize("NFKC", text)))  # a line's end ends its sentence
    for m in _OPENING_AGENCY.finditer(lined):
        name = agency_like(AGENCY_JUNK.sub("", m.group(1)))
        if name:
            return name
    return ""


_ALIAS = re.compile(r"\((?:以下简称|下称|简称)[^()]{0,20}\)")  # "南宁经济技术开发区管理委员会(以下简称经开区管委会)"


# a field's label, a list mark, a table rule (lines run together); a copy site's injected words ("…博彩官网区人民政府")
_NOT_IN_A_NAME = re.compile(r"[:：•|｜]|关于|官网|博彩|彩票|棋牌|娱乐|视频|网址", re.I)
_VERB_HEAD = re.compile(r"^(?:(?:完成|形成)了?|了)?(?:(?:并|和|及)?(?:向社会)?(?:公布|发布|公开))?")  # "特编制并向社会公布X…", "编制完成了2021年…"


def _named(name: str) -> str:
    name = _VERB_HEAD.sub("", name)
    return "" if not name or _PRONOUN.match(name) or _NOT_IN_A_NAME.search(name) else name


def agency_like(name: str) -> str:
    name = re.sub(r"(局|委|厅)\1$", r"\1", name)  # "区自然资源局局": a doubled last character
    ok = _AGENCY_NAME.search(name) and not _PRONOUN.match(name) and not _GENERIC.match(name) and not _NOT_IN_A_NAME.search(name)
    return name if ok else ""


# a kind of agency, not an agency ("结合街道政府信息公开工作", "乡政府"), or the Party committee over it ("2023年,区委在…")
_GENERIC = re.compile(
    r"^(?:省|市|县|区|乡|镇|街|街道|州|旗)?(?:人民政府|政府|街道|办事处|镇|乡|委|党委|党工委)$"
    r"|^(?:经开区|开发区|高新区|园区|工业园区|新区)?(?:管委会|管理委员会)?$"
)


def _compiled(name: str) -> str:
    return _DRAFTING_OFFICE.sub(r"\1", agency_like(name))  # the government's office drafted it: the government


# "为认真做好京山市卫生健康局政府信息公开工作", "结合木塔乡人民政府2024年政府信息公开工作编制而成", "根据2023年眉山市
# 司法局信息公开工作实际编制而成": the agency whose work it is
_WORK_OF = re.compile(r"(?:做好|结合|根据|涵盖了?)(?:20\d{2}年度?)?([" + HAN + r"]{2,30}?)(?:20\d{2}年度?)?(?<!人民)(?:政府)?信息公开工作")


# what an agency's name ends in (a sentence fragment does not)
_AGENCY_NAME = re.compile(r"(办事处|人民政府|政府|街道|街|镇|乡|局|委员会|委|办公室|办|中心|院|署|厅|管委会|区|县|市)$")
_PRONOUN = re.compile(r"^(我|本|该|各|全|此)")
_FIELD_AGENCY = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来\s*源)\s*[:：]\s*([" + HAN + r"（）()]{2,30})")


def agency_from_fields(text: str) -> str:
    """A page's publisher field ("发布机构: 中埠镇人民政府", "来源:拖市镇"), when it names an agency."""
    for m in _FIELD_AGENCY.finditer(unicodedata.normalize("NFKC", text)):
        name = m.group(1)
        if _AGENCY_NAME.search(name) and not name.startswith(("本", "网站")):
            return name
    return ""


# "我厅…在福建省农业农村厅门户网站上对外公开": the website of an agency of the kind the report calls itself
_SITE_OWNER = re.compile(
    r"(?:^|[^" + HAN + r"]|[在和及过于与从])((?:(?![和与及在的])[" + HAN + r"]){2,20}?"
    r"(厅|局|委员会|委|办事处|街道|镇|乡|中心|院|署))(?:门户网站|官方网站|官网|网站)"
)
_OWN_KIND = re.compile(r"我(厅|局|委|街道|镇|乡|中心|院|署)")


def agency_from_own_site(text: str) -> str:
    """The report says 我厅 and names one 厅's website, twice or more (the agreement of two places); a site of
    another kind ("我局…在市政府门户网站") or two candidate sites name no one."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    kinds = set(_OWN_KIND.findall(flat))
    owners = [re.sub(r"^(?:通过|经由|经|由|在|从|于|向)", "", m.group(1)) for m in _SITE_OWNER.finditer(flat) if m.group(2)[-1] in {k[-1] for k in kinds}]
    names = {n for n in owners if agency_like(n)}
    return owners[0] if len(names) == 1 and len(owners) >= 2 else ""


_SIGNED = re.compile(r"^\s*([" + HAN + r"（）()]{2,30}?)\s*(?:20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*$")


# "如对本报告有疑问,请与南关区长通街道办事处办公室联系", "请联系:硚口区统计局党政办公室": the agency's office
_CONTACT = re.compile(r"(?:[请可](?:直接)?与|直接与|请联系[:：]?)([" + HAN + r"]{2,30}?)(?:联系|[,，(（。;；])")
# the agency's own office, by its usual names ("党政综合办公室", "信息公开领导小组办公室", "政务公开办公室")
_OWN_OFFICE = re.compile(
    r"(办事处|政府|局|委员会|委|厅|乡|镇|街道|开发区|高新区|经开区|新区|园区|管委会)(?:政府)?(?:政务公开|(?:政府)?信息公开)?(?:工作)?(?:领导小组)?"
    r"(?:党政综合|党政|综合)?办(?:公室)?$"
)


_SECTION = re.compile(r"(?<=[局委办厅室])(?:综合|秘书|人秘|行政|办公)?[科处股]$")  # "…人民防空办公室综合科": a section of it


def agency_from_contact(text: str) -> str:
    m = _CONTACT.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    name = _OWN_OFFICE.sub(r"\1", _SECTION.sub("", m.group(1))) if m else ""
    return name if _AGENCY_NAME.search(name) and not _PRONOUN.match(name) else ""


def agency_from_signature(lines: list[Line]) -> str:
    """The signature over the closing date ("某某街道办事处" / "2022年1月20日"), or on the date's line."""
    tail = [unicodedata.normalize("NFKC", ln.text).strip() for ln in lines[-30:]]
    tail = [t for t in tail if t]
    for i in range(len(tail) - 1, -1, -1):
        date = re.search(r"20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$", tail[i])
        if not date:
            continue
        for cand in (tail[i][: date.start()], tail[i - 1] if i else ""):
            m = _SIGNED.match(cand)
            if m and m.group(1) and _AGENCY_NAME.search(m.group(1)):
                return m.group(1)
        return ""
    return ""


def find_agency(title_agency: str, preamble: str, lines: list[Line], file_agency: str) -> tuple[str, str]:
    """The agency and where it stood: the title, a sentence naming the report or its compiler, the signature
    (落款), the contact the report gives (请与…联系), the page's publisher field, the file name; ("", "") when none
    names one."""
    for where, get in (
        ("title", lambda: title_agency),
        ("body", lambda: agency_from_text(preamble)),
        ("signature", lambda: agency_from_signature(lines)),
        ("contact", lambda: agency_from_contact(preamble)),
        ("field", lambda: agency_from_fields(preamble)),
        ("site", lambda: agency_from_own_site(preamble)),
        ("file", lambda: file_agency),
    ):
        agency = get()
        if _GENERIC.match(agency):  # a kind of agency ("经开区", "开发区管委会", "街道") names no one, wherever it stands
            continue
        if agency and where == "body":  # "市人力社保局…", "长通街道…": the fuller name the report gives itself
            fuller = [(n, w) for n, w in ((opening_agency(preamble), "body"), (agency_from_signature(lines), "signature"),
                                          (agency_from_contact(preamble), "contact"), (agency_from_fields(preamble), "field"))
                      if abbreviates(agency, n)]
            return fuller[0] if fuller else _headed(placed_name(agency, preamble), preamble)
        if agency:
            return placed_name(agency, preamble) if where == "contact" else agency, where
    return "", ""


def _headed(name: str, preamble: str) -> tuple[str, str]:
    """A line of its own over the page that names the same agency more fully ("浑南区国资局" over "现公布区政府
    国资局2022年…报告"): the page's heading, the same kind of agency (the name's last three characters)."""
    for line in [t.strip() for t in preamble.split("\n") if t.strip()][:8]:
        if len(line) <= 20 and re.fullmatch(r"[" + HAN + r"]+", line) and line != name and line.endswith(name[-3:]) \
                and len(line) >= len(name) and agency_like(line):
            return line, "heading"
    return name, "body"


def placed_name(short: str, text: str) -> str:
    """"省高速公路收费中心" named with its place elsewhere in the text ("可在陕西省高速公路收费中心网站查阅"): the
    fuller name, where it stands quoted or after 在/与/由/从/联系; "全县交通运输局系统", "各市…" are no names."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if _SHORT_FORM.match(short):
        m = re.search(r"(?:[“《\"「]|[在与由从]|联系)([" + HAN + r"]{1,4}?)" + re.escape(short), flat)
    elif not _PLACE_START.match(short) and not _PLACE_NAME.search(short):  # "医疗保障局" / "尚志市医疗保障局于市政府门户网站…": a place, then the name
        m = re.search(r"(?:^|[^" + HAN + r"]|[在与由从]|联系)([" + HAN + r"]{1,6}?[省市区县州旗盟])" + re.escape(short), flat)
    else:
        return short
    return m.group(1) + short if m and not re.search(r"[全各本我该原此请与向由在经对和及将为是的]", m.group(1)) else short


# a name that begins with its place ("某市…", "某县…", "国家…"): nothing to add
_PLACE_START = re.compile(r"^(?:国家|中国|[" + HAN + r"]{1,6}?[省市区县州旗盟])")
_PLACE_NAME = re.compile(r"(?:乡|镇|街道|办事处|政府|区|县|市|旗)$")  # "呈祥乡": a place's own government, named by it
# a name without its place ("市人力社保局", "区住建局"): the body's short reference to the report's agency
_SHORT_FORM = re.compile(r"^(?:省|市|区|县|州|旗)(?!委|政府)")
_OFFICE = re.compile(r"(?:党政|综合)?办(?:公室)?$")


def abbreviates(short: str, full: str) -> bool:
    """"市市场监管局" is "广元市市场监督管理局" shortened: the short name's characters, in order, within the full
    name, which adds its place ("区住建局" / "杭州市滨江区住房和城市建设局", "长通街道" / "南关区长通街道办事处"); an
    agency's office ("某街道党政办") is not the agency."""
    if len(full) <= len(short) or _SHORT_FORM.match(full) or (_OFFICE.search(full) and not _OFFICE.search(short)):
        return False
    if full.startswith(short):
        return full[len(short):] in ("办事处", "人民政府")
    rest = iter(full)
    return all(ch in rest for ch in short)


# "2022年,春城街道办事处按照…", "截至2019年12月31日,牛街乡人民政府通过…": a sentence opening on a year or a
# date names the agency (an agency word, then a verb of duty)
_OPENING_AGENCY = re.compile(
    r"(?:^|[。]|总体情况|基本情况)(?:截[至止])?20\d{2}年(?:度|以来|\d{1,2}月\d{1,2}日)?[,，]?(?:在[^，,。]{0,40}?下[,，])?"
    r"([" + HAN + r"]{2,24}?(?:办事处|人民政府|街道|街|镇|乡|局|委员会|管委会|委|厅|署|办公室|中心|区|县|市|旗))"
    r"(?:(?:政府信息公开|政务公开|信息公开)工作)?(?:按照|认真|坚持|深入|全面|紧紧|严格|围绕|始终|高度重视|在|通过|以|自觉|切实|积极|持续)"
)
