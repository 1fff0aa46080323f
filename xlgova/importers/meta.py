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

from ..model import HAN
from .. import formats
from .agency import AGENCY_JUNK, agency_like
from .lines import Line
from .normalize import fold

_YEAR = re.compile(r"(20\d{2})\s*年\s*度?")
_TITLE_TAIL = re.compile(r"(关于)?(的)?(政府)?信息(与政务)?公开(工作)?(的)?(年度)?(工作)?(年度)?(报告|年报).*$")
_PERIOD = re.compile(r"(统计|数据|期限|时限|时间).{0,16}?(20\d{2})\s*年\s*1\s*月\s*1\s*日")
# a page's field label before the title ("标题:", "名 称:", a table row "| 名称 | …")
_FIELD = re.compile(r"^\s*\|?\s*(标\s*题|题\s*目|名\s*称|文章标题|信息名称|主\s*题)\s*(?:[:：]\s*\|?|\|)\s*")
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
_NEWS_HEADLINE = re.compile(r"(报告|年报)\s*(?:正式)?(?:发布|公布|出炉|印发)\s*$")
_BULLET = re.compile(r"^[•·●○■□◆◇▪▶►\-*]+\s*")  # a page's list item mark
_DATE_LINE = re.compile(r"^\s*(20\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日\s*$")


def find_title(lines: list[Line], limit: int) -> tuple[str, int | None]:
    """The report title among the lines before the first section: the first line that names a report.

    A page's navigation and fields ("设为首页", "发布日期：2020-01-31", "索 引 号: …") are passed over; a title
    broken over two lines ("…工作年" / "度报告") is joined; a sentence that merely mentions the report
    ("本年度报告中所列数据…") means the body has begun and there is no title."""
    prev, prev_line = "", None
    for ln in lines[:limit]:
        t = _SITE_NAME.sub("", _FIELD.sub("", _BULLET.sub("", ln.text.strip())))
        if not t or _META_FIELD.match(re.sub(r"\s+", "", t)) or _SPACED_FIELD.match(t) or _BREADCRUMB.search(t) or _FILE_NAME.search(t):
            continue
        if not prev and _FILE_TITLE.match(t):
            return t, ln.src.line
        if "报告" not in t and not ("年报" in t and _YEAR.search(t)):
            # a line that may be the title's first part: a name, not the site's links ("中国政府网 | …部 | …")
            prev, prev_line = (t, ln.src.line) if len(t) <= 40 and not re.search(r"[|｜]|网站|无障碍", t) else ("", None)
            continue
        if _NEWS_HEADLINE.search(t):
            continue  # "国家药监局2019年政府信息公开工作年度报告发布": a news page's headline over the report
        if not _is_title(t):
            break
        own = agency_like(agency_from_title(t))
        if not _YEAR.search(t + prev) and not own:
            continue  # a column's name over the title ("部门信息公开年度报告"), no title of its own
        if not prev or own or ("政府信息" in t and agency_from_title(t)):
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


_SENTENCE_START = re.compile(r"^\s*(根据|按照|依据|依照|为了?|本年度|本报告|本年报|现将|现|特(?:向|公布|发布|编制|将)|向社会|公布|发布)")


def agency_from_title(title: str) -> str:
    """The title without its year and report words ("" when what is left still reads as a report's words)."""
    name = _title_head(title)
    return "" if "报告" in name or "政府信息" in name else name


def _title_head(title: str) -> str:
    t = unicodedata.normalize("NFKC", _SITE_NAME.sub("", _FIELD.sub("", title)))
    m = _FILE_TITLE.match(t)
    if m:
        return AGENCY_JUNK.sub("", m.group(2))[:40]
    year = _YEAR.search(t)
    head = re.sub(r"\s+|关于$", "", t[: year.start()]) if year else ""
    if head and not _REPORT_WORDS.search(head):  # "两英镇政府2021年信息公开…": the name stands before the year
        return AGENCY_JUNK.sub("", head)[:40]
    t = re.sub(r"\s+", "", _YEAR.sub("", t, count=1))
    t = _TITLE_TAIL.sub("", t)
    t = AGENCY_JUNK.sub("", t)
    return t[:40]


_REPORT_WORDS = re.compile(r"信息|公开|报告|年报")


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
    flat = re.sub(r"\s+", "", norm)
    m = _BODY_YEAR.search(norm) or _OWN_WORK_YEAR.search(flat) or _PUBLISHED_YEAR.search(flat)
    return int(m.group(1)) if m else None


_OWN_WORK_YEAR = re.compile(r"(?:我[" + HAN + r"]{1,2}?|本(?:单位|部门|机关))(20\d{2})年度?(?:的)?政府信息公开工作")


# "现将2019年度海秀街道办事处政府信息公开工作情况报告如下": the year of the report the sentence gives
_PUBLISHED_YEAR = re.compile(r"(?:现将|公布|发布|编制|现公开)了?(20\d{2})年度?[^，。,;；]{0,30}?信息公开[^，。,;；]{0,10}?报告")


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
