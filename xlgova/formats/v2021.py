"""国办公开办函〔2021〕30号 — statistics years 2021 and later."""
from __future__ import annotations

from .common import APPS_OTHER_2021, REVIEW_TABLE, apps_table, sections
from .schema import AMOUNT, Column, Format, Row, Table

ART20_1 = Table(
    id="art20_1",
    title="第二十条第（一）项",
    short="第二十条第（一）项",
    section="二",
    rows=(Row("rules", "规章"), Row("normative", "行政规范性文件")),
    cols=(Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数")),
)
ART20_5 = Table(
    id="art20_5",
    title="第二十条第（五）项",
    short="第二十条第（五）项",
    section="二",
    rows=(Row("licensing", "行政许可"),),
    cols=(Column("decisions", "本年处理决定数量"),),
)
ART20_6 = Table(
    id="art20_6",
    title="第二十条第（六）项",
    short="第二十条第（六）项",
    section="二",
    rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
    cols=(Column("decisions", "本年处理决定数量"),),
)
ART20_8 = Table(
    id="art20_8",
    title="第二十条第（八）项",
    short="第二十条第（八）项",
    section="二",
    rows=(Row("fees", "行政事业性收费"),),
    cols=(Column("amount", "本年收费金额（单位：万元）", kind=AMOUNT),),
    unit="万元",
)

FORMAT = Format(
    id="2021",
    notice="国办公开办函〔2021〕30号",
    years=(2021, 9999),
    sections=sections(("art20_1", "art20_5", "art20_6", "art20_8")),
    tables=(ART20_1, ART20_5, ART20_6, ART20_8, apps_table(APPS_OTHER_2021), REVIEW_TABLE),
    detection_keys=("本年制发件数", "现行有效件数", "本年收费金额", "本年废止件数"),
)
