"""Parts shared by both official formats: the applications table and the review table."""
from __future__ import annotations

from .schema import GRID, SPREAD, Column, Row, Section, Table

APPS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
RESULTS = "三、本年度办理结果"

APPS_COLUMNS = (
    Column("natural", "自然人", (APPLICANTS,)),
    Column("business", "商业企业", (APPLICANTS, LEGAL_PERSONS)),
    Column("research", "科研机构", (APPLICANTS, LEGAL_PERSONS)),
    Column("nonprofit", "社会公益组织", (APPLICANTS, LEGAL_PERSONS)),
    Column("legal", "法律服务机构", (APPLICANTS, LEGAL_PERSONS)),
    Column("other", "其他", (APPLICANTS, LEGAL_PERSONS)),
    Column("total", "总计", (), total=True),
)

DENIED = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
REJECTED = "（五）不予处理"
OTHER = "（六）其他处理"


def _results(group: str, *rows: tuple[str, str]) -> tuple[Row, ...]:
    """The numbered rows under one result group; every id is written out (ids are a published contract)."""
    return tuple(Row(row_id, label, (RESULTS, group), result=True) for row_id, label in rows)


APPS_HEAD_ROWS = (
    Row("new", "一、本年新收政府信息公开申请数量"),
    Row("carried_in", "二、上年结转政府信息公开申请数量"),
    Row("granted", "（一）予以公开", (RESULTS,), result=True),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (RESULTS,), result=True),
    *_results(
        DENIED,
        ("denied_1", "1.属于国家秘密"),
        ("denied_2", "2.其他法律行政法规禁止公开"),
        ("denied_3", "3.危及“三安全一稳定”"),
        ("denied_4", "4.保护第三方合法权益"),
        ("denied_5", "5.属于三类内部事务信息"),
        ("denied_6", "6.属于四类过程性信息"),
        ("denied_7", "7.属于行政执法案卷"),
        ("denied_8", "8.属于行政查询事项"),
    ),
    *_results(
        UNAVAILABLE,
        ("unavailable_1", "1.本机关不掌握相关政府信息"),
        ("unavailable_2", "2.没有现成信息需要另行制作"),
        ("unavailable_3", "3.补正后申请内容仍不明确"),
    ),
    *_results(
        REJECTED,
        ("rejected_1", "1.信访举报投诉类申请"),
        ("rejected_2", "2.重复申请"),
        ("rejected_3", "3.要求提供公开出版物"),
        ("rejected_4", "4.无正当理由大量反复申请"),
        ("rejected_5", "5.要求行政机关确认或重新出具已获取信息"),
    ),
)

APPS_OTHER_2021 = _results(
    OTHER,
    ("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_3", "3.其他"),
)
APPS_OTHER_2019 = (Row("other", OTHER, (RESULTS,), result=True),)

APPS_TAIL_ROWS = (
    Row("handled_total", "（七）总计", (RESULTS,), total=True),
    Row("carried_out", "四、结转下年度继续办理"),
)


def apps_table(other_rows: tuple[Row, ...]) -> Table:
    return Table(
        id="apps",
        title="收到和处理政府信息公开申请情况",
        short="申请情况表",
        section="三",
        rows=APPS_HEAD_ROWS + other_rows + APPS_TAIL_ROWS,
        cols=APPS_COLUMNS,
        corner=APPS_CORNER,
        row_header=APPLICANTS,
    )


REVIEW_TABLE = Table(
    id="review",
    title="政府信息公开行政复议、行政诉讼情况",
    short="复议诉讼表",
    section="四",
    rows=(
        Row("reconsideration", "行政复议"),
        Row("suit_direct", "未经复议直接起诉", ("行政诉讼",)),
        Row("suit_after", "复议后起诉", ("行政诉讼",)),
    ),
    cols=(
        Column("upheld", "结果维持"),
        Column("corrected", "结果纠正"),
        Column("other", "其他结果"),
        Column("pending", "尚未审结"),
        Column("total", "总计", total=True),
    ),
    corner="",
    layout=SPREAD,
)


def sections(section_two_tables: tuple[str, ...]) -> tuple[Section, ...]:
    return (
        Section("一", "一、总体情况", ("总体情况", "工作概况", "概述"), narrative=True),
        Section("二", "二、主动公开政府信息情况", ("主动公开政府信息情况",), tables=section_two_tables),
        Section("三", "三、收到和处理政府信息公开申请情况", ("收到和处理政府信息公开申请情况",), tables=("apps",)),
        Section(
            "四",
            "四、政府信息公开行政复议、行政诉讼情况",
            ("政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
            tables=("review",),
        ),
        Section(
            "五",
            "五、存在的主要问题及改进情况",
            ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"),
            narrative=True,
        ),
        Section("六", "六、其他需要报告的事项", ("其他需要报告的事项",), narrative=True),
    )


__all__ = ["GRID", "SPREAD", "apps_table", "REVIEW_TABLE", "sections", "APPS_OTHER_2019", "APPS_OTHER_2021"]
