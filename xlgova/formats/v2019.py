"""国办公开办函〔2019〕60号 (trial format) — statistics years 2019 and 2020."""
from __future__ import annotations

from .common import APPS_OTHER_2019, REVIEW_TABLE, apps_table, sections
from .schema import AMOUNT_FREE, SIGNED, Column, Format, Row, Table

ITEM_COLUMNS = (
    Column("prev_items", "上一年项目数量"),
    Column("change", "本年增/减", kind=SIGNED),
    Column("decisions", "处理决定数量"),
)

ART20_1 = Table(
    id="art20_1",
    title="第二十条第（一）项",
    short="第二十条第（一）项",
    section="二",
    rows=(Row("rules", "规章"), Row("normative", "规范性文件")),
    cols=(Column("made", "本年新制作数量"), Column("published", "本年新公开数量"), Column("total_public", "对外公开总数量")),
)
ART20_5 = Table(
    id="art20_5",
    title="第二十条第（五）项",
    short="第二十条第（五）项",
    section="二",
    rows=(Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
    cols=ITEM_COLUMNS,
)
ART20_6 = Table(
    id="art20_6",
    title="第二十条第（六）项",
    short="第二十条第（六）项",
    section="二",
    rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
    cols=ITEM_COLUMNS,
)
ART20_8 = Table(
    id="art20_8",
    title="第二十条第（八）项",
    short="第二十条第（八）项",
    section="二",
    rows=(Row("fees", "行政事业性收费"),),
    cols=ITEM_COLUMNS[:2],
)
ART20_9 = Table(
    id="art20_9",
    title="第二十条第（九）项",
    short="第二十条第（九）项",
    section="二",
    rows=(Row("procurement", "政府集中采购"),),
    cols=(Column("projects", "采购项目数量"), Column("amount", "采购总金额", kind=AMOUNT_FREE)),
)

FORMAT = Format(
    id="2019",
    notice="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    sections=sections(("art20_1", "art20_5", "art20_6", "art20_8", "art20_9")),
    tables=(ART20_1, ART20_5, ART20_6, ART20_8, ART20_9, apps_table(APPS_OTHER_2019), REVIEW_TABLE),
    detection_keys=("本年新制作数量", "上一年项目数量", "第二十条第（九）项", "政府集中采购"),
)
