"""Agency, statistics year and format version of a published report.

The agency and year come from the title ("海原县海城街道办事处 2021 年政府信息公开工作年度报告",
"环南街道政府信息公开工作2021年度报告"), the year is confirmed by the statistics period ("本报告统计数据从
2022 年 1 月 1 日至…"). The format is recognised by its own header words (``fmt.detection_keys``); only a
document without any falls back to the format of its year.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from .. import formats
from .lines import Line
from .normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年\s*度?")
_TITLE_TAIL = re.compile(r"(关于)?(的)?(政府)?信息(与政务)?公开(工作)?(的)?(年度)?(工作)?(年度)?(报告|年报).*$")
_PERIOD = re.compile(r"(统计|数据|期限|时限|时间).{0,16}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
_AGENCY_JUNK = re.compile(r"^(?:[\s《“\"'【\[]|关于)+|[\s》”\"'】\]:：,，、_\-—]+$")
# a page's field label before the title ("标题:", "名 称:", a table row "| 名称 | …")
_FIELD = re.compile(r"^\s*\|?\s*(标\s*题|题\s*目|名\s*称|文章标题|信息名称|主\s*题)\s*[:：|]\s*")
# a file name used as a title: "2020年报_审计局", "2021年度报告-城关镇"
_FILE_TITLE = re.compile(r"^\s*(20\d{2})\s*年\s*度?\s*(?:政府信息公开)?(?:工作)?(?:年度)?(?:年报|报告|报)?\s*[_\-—－·\s]+\s*(\S{2,30})\s*$")
_META_FIELD = re.compile(r"^(发布日期|发布时间|成文日期|日期|时间|来源|作者|索引号|发布机构|文号|浏览次数|字号|分类|主题分类|内容概述|摘要)\s*[:：]")
# the same fields with a space for a colon ("来源 水利局", "内容概述 根据…特向社会公布…报告。"): the page's, not the title
_SPACED_FIELD = re.compile(r"^(索引号|来源|内容概述|摘要|发布机构|发文机关|公开日期|发布日期|成文日期|主题分类)\s+\S")
# a page's path over its title: "首页 > 政务公开 > 政府信息公开年报 > 2021 > …年度报告", "当前位置：…"
_BREADCRUMB = re.compile(r"^\s*(当前位置|您的位置|你的位置|首页\s*[>›»＞/])|([>›»＞].*){2,}")
_TITLE_END = re.compile(r"(报告|年报)\s*[》」”)）]?\s*$")
_FILE_NAME = re.compile(r"\.(?:docx?|wps|pdf|xlsx?)\s*$", re.I)  # "…年度报告.docx": an attachment's name over its text
# a page's <title>: the site's name before the report's ("长沙市政府门户网站-2022年…报告_…")
_SITE_NAME = re.compile(r"^[^-—_|｜]{2,30}?网(?:站)?\s*[-—_|｜]\s*")
_BODY_YEAR = re.compile(r"(?:^|[。\n])\s*(20\d{2})\s*年(?:度?\s*[，,以来我全]|度\s*(?:街|镇|乡|局|委|办|区|县|市|本|共))")
_DATE_LINE = re.compile(r"^\s*(20\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日\s*$")


def find_title(lines: list[Line], limit: int) -> tuple[str, int | None]:
    """The report title among the lines before the first section: the first line that names a report.

    A page's navigation and fields ("设为首页", "发布日期：2020-01-31", "索 引 号: …") are passed over; a title
    broken over two lines ("…工作年" / "度报告") is joined; a sentence that merely mentions the report
    ("本年度报告中所列数据…") means the body has begun and there is no title."""
    prev, prev_line = "", None
    for ln in lines[:limit]:
        t = _SITE_NAME.sub("", _FIELD.sub("", ln.text.strip()))
        if not t or _META_FIELD.match(re.sub(r"\s+", "", t)) or _SPACED_FIELD.match(t) or _BREADCRUMB.search(t) or _FILE_NAME.search(t):
            continue
        if not prev and _FILE_TITLE.match(t):
            return t, ln.src.line
        if "报告" not in t and not ("年报" in t and _YEAR.search(t)):
            prev, prev_line = (t, ln.src.line) if len(t) <= 40 else ("", None)
            continue
        if not _is_title(t):
            break
        if not prev or ("政府信息" in t and agency_from_title(t)):
            return t, ln.src.line
        return prev + t, prev_line  # the title's first line named the agency ("海原县海城镇人民政府" / "2022 年…报告")
    return "", None


def _is_title(text: str) -> bool:
    """Ends in 报告, or names the report before running on (a page's run-in title line)."""
    if _TITLE_END.search(text):
        return True
    head = text[: re.search(r"报告|年报", text).start()]
    if _SENTENCE_START.match(text) or "《" in head:  # "根据《…年度报告有关事项的通知》…": the body's first sentence
        return False
    return bool(_TITLE_TAIL.search(text)) and len(head) <= 50 and not re.search(r"[。，,；]", head)


_SENTENCE_START = re.compile(r"^\s*(根据|按照|依据|依照|为了?|本年度|本报告|本年报|现将|现|特(?:向|公布|发布|编制|将))")


def agency_from_title(title: str) -> str:
    """The title without its year and report words ("" when what is left still reads as a report's words)."""
    name = _title_head(title)
    return "" if "报告" in name or "政府信息" in name else name


def _title_head(title: str) -> str:
    t = unicodedata.normalize("NFKC", _SITE_NAME.sub("", _FIELD.sub("", title)))
    m = _FILE_TITLE.match(t)
    if m:
        return _AGENCY_JUNK.sub("", m.group(2))[:40]
    t = re.sub(r"\s+", "", _YEAR.sub("", t, count=1))
    t = _TITLE_TAIL.sub("", t)
    t = _AGENCY_JUNK.sub("", t)
    return t[:40]


_QUOTED_TITLE = re.compile(r"《([^《》]{2,40}?)(20\d{2})年度?(政府信息(与政务)?公开[^《》]{0,12}报告)》")


_PUBLISHED_TITLE = re.compile(
    r"(?:(?:现|特)?(?:公布|发布|编制)了?|现公开|现将|特将)([^，。,、《》“”()（）]{2,30}?)(20\d{2})年度?(政府信息(与政务)?公开)"
)
_PUBLISHED_YEAR_FIRST = re.compile(
    r"(?:公布|发布|编制|现公开)了?20\d{2}年度?([^，。,、《》“”()（）]{2,30}?)(?<!人民)(?:政府)?信息公开(?:工作)?(?:年度|情况)?(?:工作)?报告"
)
# "唐村镇政府编制2020年政府信息公开年度报告", "由两城镇人民政府党政办公室编制", "本报告由信访局结合有关统计数据编制"
_COMPILER = re.compile(
    r"(?:^|[，。,；])([^，。,；《》“”()（）由]{2,30}?)(?:编制|制作)(?:了|完成)?(?:本|20\d{2})"
    r"|由([^，。,；《》“”()（）]{2,30}?)(?:结合[^，。,；]{0,20}?|负责|牵头|组织)?(?:编制|制作)"
)
_DRAFTING_OFFICE = re.compile(r"(人民政府|政府)(?:党政|综合)?办公室$")  # the government's office drafted it: the agency is the government


def agency_from_text(text: str) -> str:
    """Fallback when the title has no agency: "现发布《海原县海城镇人民政府 2022 年政府信息公开年度工作报告》",
    "现公布区统计局2023年政府信息公开工作年度报告", "由…编制", "为认真做好京山市卫生健康局政府信息公开工作",
    "截至2019年12月31日,牛街乡人民政府通过…". A pronoun ("现将我乡2024年度…", "由我办编制") names no one."""
    norm = unicodedata.normalize("NFKC", text)
    flat = re.sub(r"\s+", "", norm)
    patterns = ((_QUOTED_TITLE, _named), (_PUBLISHED_TITLE, _named), (_PUBLISHED_YEAR_FIRST, _agency_like), (_COMPILER, _compiled), (_WORK_OF, _agency_like))
    for pattern, named in patterns:
        for m in pattern.finditer(flat):
            name = named(_AGENCY_JUNK.sub("", next(g for g in m.groups() if g)))
            if name:
                return name
    lined = re.sub(r"\s+", "", re.sub(r"\s*\n\s*", "。", norm))  # a line's end ends its sentence
    for m in _OPENING_AGENCY.finditer(lined):
        name = _agency_like(_AGENCY_JUNK.sub("", m.group(1)))
        if name:
            return name
    return ""


def _named(name: str) -> str:
    return "" if not name or _PRONOUN.match(name) or "关于" in name else name


def _agency_like(name: str) -> str:
    return name if _AGENCY_NAME.search(name) and not _PRONOUN.match(name) and not _GENERIC.match(name) else ""


# a kind of agency, not an agency ("结合街道政府信息公开工作", "乡政府"), or the Party committee over it ("2023年,区委在…")
_GENERIC = re.compile(r"^(?:省|市|县|区|乡|镇|街|街道|州|旗)?(?:人民政府|政府|街道|办事处|镇|乡|委|党委|党工委)$")


def _compiled(name: str) -> str:
    return _DRAFTING_OFFICE.sub(r"\1", _agency_like(name))  # the government's office drafted it: the government


# "为认真做好京山市卫生健康局政府信息公开工作", "结合木塔乡人民政府2024年政府信息公开工作编制而成", "根据2023年眉山市
# 司法局信息公开工作实际编制而成": the agency whose work it is
_WORK_OF = re.compile(r"(?:做好|结合|根据)(?:20\d{2}年度?)?([\u4e00-\u9fff]{2,30}?)(?:20\d{2}年度?)?(?<!人民)(?:政府)?信息公开工作")


# what an agency's name ends in (a sentence fragment does not)
_AGENCY_NAME = re.compile(r"(办事处|人民政府|政府|街道|镇|乡|局|委员会|委|办公室|办|中心|院|署|厅|管委会|区|县|市)$")
_PRONOUN = re.compile(r"^(我|本|该|各|全|此)")
_FIELD_AGENCY = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来\s*源)\s*[:：]\s*([\u4e00-\u9fff（）()]{2,30})")


def agency_from_fields(text: str) -> str:
    """A page's publisher field ("发布机构: 中埠镇人民政府", "来源:拖市镇"), when it names an agency."""
    for m in _FIELD_AGENCY.finditer(unicodedata.normalize("NFKC", text)):
        name = m.group(1)
        if _AGENCY_NAME.search(name) and not name.startswith(("本", "网站")):
            return name
    return ""


_SIGNED = re.compile(r"^\s*([\u4e00-\u9fff（）()]{2,30}?)\s*(?:20\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*$")


# "如对本报告有疑问,请与南关区长通街道办事处办公室联系", "请联系:硚口区统计局党政办公室": the agency's office
_CONTACT = re.compile(r"(?:[请可]与|请联系[:：]?)([\u4e00-\u9fff]{2,30}?)(?:联系|[,，(（。;；])")
_OWN_OFFICE = re.compile(r"(办事处|政府|局|委员会|委)(?:党政|综合)?办(?:公室)?$")


def agency_from_contact(text: str) -> str:
    m = _CONTACT.search(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    name = _OWN_OFFICE.sub(r"\1", m.group(1)) if m else ""
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


def find_agency(title: str, preamble: str, lines: list[Line], named: str) -> tuple[str, str]:
    """The agency and where it stood: the title, a sentence naming the report or its compiler, the signature
    (落款), the contact the report gives (请与…联系), the page's publisher field, the file name; ("", "") when none
    names one."""
    for where, get in (
        ("title", lambda: agency_from_title(title)),
        ("body", lambda: agency_from_text(preamble)),
        ("signature", lambda: agency_from_signature(lines)),
        ("contact", lambda: agency_from_contact(preamble)),
        ("field", lambda: agency_from_fields(preamble)),
        ("file", lambda: agency_from_title(named) if named else ""),
    ):
        agency = get()
        if agency and where == "body":  # "市人力社保局…", "长通街道…": the fuller name the report gives itself
            fuller = [(n, w) for n, w in ((agency_from_signature(lines), "signature"), (agency_from_contact(preamble), "contact")) if abbreviates(agency, n)]
            return fuller[0] if fuller else (agency, where)
        if agency:
            return agency, where
    return "", ""


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
    r"([\u4e00-\u9fff]{2,24}?(?:办事处|人民政府|街道|镇|乡|局|委员会|管委会|委|厅|署|办公室|中心|区|县|市|旗))"
    r"(?:按照|认真|坚持|深入|全面|紧紧|严格|围绕|始终|高度重视|在|通过|以)"
)


# the report speaking of itself ("本报告根据《中华人民共和国政府信息公开条例》…编制", "本年报中所列数据…")
_SELF_REFERENCE = re.compile(r"本(?:年度)?(?:报告|年报)")


def speaks_as_report(text: str) -> bool:
    """The text presents itself as a 政府信息公开 report (an excerpt may have lost its section headings): it says
    本报告/本年报, or it runs through part one's numbered topics ("(一)主动公开", "(二)…依申请公开…")."""
    if "政府信息公开" not in text:
        return False
    return bool(_SELF_REFERENCE.search(text)) or len(set(_PART_ONE_TOPIC.findall(text))) >= 2


_PART_ONE_TOPIC = re.compile(r"(?m)^\s*[(（][一二三四五六][)）][^\n]{0,8}?(主动公开|依申请公开|政府信息管理|平台建设|监督保障)")


def year_from_title(title: str) -> int | None:
    m = _YEAR.search(unicodedata.normalize("NFKC", title))
    return int(m.group(1)) if m else None


def period_year(text: str) -> int | None:
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    m = _PERIOD.search(flat)
    if m:
        return int(m.group(2))
    m = _YEAR_END.search(flat)  # "截止2023年12月31日我局…发布…": the figures stand at the year's end
    return int(m.group(1)) if m else None


_YEAR_END = re.compile(r"截[止至](20\d{2})年12月31日")


def file_name_title(file: str | None) -> str:
    """A file named like a title ("2020年报_审计局.pdf", "红星镇2021年政府信息公开工作年度报告.docx"): its stem."""
    if not file:
        return ""
    stem = PurePath(file).stem
    return stem if _FILE_TITLE.match(stem) or ("年" in stem and _YEAR.search(stem) and "报告" in stem) else ""


def body_year(text: str) -> int | None:
    """"2020年度我街办…", "2020年，…" opening a sentence of the report's first part; "汇报我镇2023年政府信息公开
    工作": the year of the reporting agency's own work."""
    norm = unicodedata.normalize("NFKC", text)
    m = _BODY_YEAR.search(norm) or _OWN_WORK_YEAR.search(re.sub(r"\s+", "", norm))
    return int(m.group(1)) if m else None


_OWN_WORK_YEAR = re.compile(r"(?:我[\u4e00-\u9fff]{1,2}?|本(?:单位|部门|机关))(20\d{2})年度?(?:的)?政府信息公开工作")


def date_line_year(lines: list[Line]) -> int | None:
    """The date under the report ("2021年1月20日"): reports appear in the first months after their year."""
    for ln in reversed(lines[-30:]):
        m = _DATE_LINE.match(unicodedata.normalize("NFKC", ln.text))
        if m and 1 <= int(m.group(2)) <= 6:
            return int(m.group(1)) - 1
    return None


def detect_format(lines: list[Line], year: int | None) -> tuple[str, dict]:
    """Format id by the detection keys found in the tables; ties and documents without keys go by the year
    (the one detection, ``formats.detect_format``); "" when there is neither (the caller says so, not guessing).
    A sentence ("按时公开财政预决算、政府集中采购、人员考录等信息。") is no table header: lines with a full stop
    are not searched for keys."""
    folded = fold("\n".join(ln.text for ln in lines if "。" not in ln.text))
    return formats.detect_format(folded, year, fold=fold) or "", formats.key_hits(folded, fold)
