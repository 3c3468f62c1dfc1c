"""Hand-built Documents for the narrative tests (fixture text written for the tests)."""
from __future__ import annotations

from pathlib import Path

from audit.model import Document, Meta, Paragraph, Section, Source

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reports"
SEED = SHARED / "000_2a4738e891b759f6.txt"

OVERVIEW = "2023年，本局共主动公开政府信息326条，受理政府信息公开申请18件，均在法定期限内答复。"
OVERVIEW_NO_FIGURES = "2023年，本局认真贯彻落实《条例》，扎实推进政务公开，各项工作取得积极成效。"
FEE = "2023年，本局未收取信息处理费。"
NO_FEE = "本年度无其他需要报告的事项。"

GENERIC_VAGUE = (
    "（一）存在的主要问题\n"
    "1. 部分科室对政务公开的重视程度不够，主动公开意识有待增强。\n"
    "2. 政策解读形式比较单一，解读的通俗性有待提高。\n"
    "（二）改进措施\n"
    "1. 进一步提高思想认识，切实增强主动公开意识，不断提升政务公开水平。\n"
    "2. 持续丰富政策解读形式，努力提升解读质量和效果。"
)
SUBSTANTIVE_2021 = (
    "（一）上年度问题整改情况\n"
    "2022年报告指出的网站错链问题已整改，52个错链于2023年3月全部修复。\n"
    "（二）存在的主要问题\n"
    "1. 局网站“行政许可”栏目有14件许可决定未公开许可期限。\n"
    "2. 全年收到的18件申请中，有2件超过法定期限答复。\n"
    "（三）改进措施\n"
    "1. 11月底前由审批科补齐14件许可决定的期限信息，并在系统中设为必填项。\n"
    "2. 建立申请办理台账，到期前5个工作日由办公室提醒承办科室，超期情况纳入季度通报。"
)
NO_RECTIFICATION_2021 = SUBSTANTIVE_2021.split("（二）", 1)[1].replace("（三）", "（二）")
NO_RECTIFICATION_2021 = "（一）" + NO_RECTIFICATION_2021
OFF_TOPIC = (
    "一是招商引资项目落地偏慢，5个签约项目尚未开工；二是安全生产隐患排查不够彻底。"
    "下一步，我局将加大招商引资力度，全力推进项目建设，深入开展安全生产大检查。"
)


def make_doc(five: str | None, *, year: int = 2023, fmt: str | None = None, one: str = OVERVIEW,
             six: str | None = FEE, sections: bool = True) -> Document:
    """A report with sections 一…六; ``five=None`` leaves section 五 out."""
    fmt = fmt or ("2021" if year >= 2021 else "2019")
    texts = {1: one, 2: "", 3: "", 4: "", 5: five, 6: six}
    titles = {1: "总体情况", 2: "主动公开政府信息情况", 3: "收到和处理政府信息公开申请情况",
              4: "政府信息公开行政复议、行政诉讼情况", 5: "存在的主要问题及改进情况", 6: "其他需要报告的事项"}
    blocks, secs = [], []
    for n in range(1, 7):
        if texts[n] is None:
            continue
        blocks.append(Paragraph(titles[n]))
        blocks.append(Paragraph(texts[n]))
        secs.append(Section(n, titles[n], [1], texts[n], len(blocks) - 2, len(blocks) - 1))
    src = Source.from_bytes("fixture.txt", "\n".join(b.text for b in blocks).encode("utf-8"), "txt", "utf-8")
    meta = Meta(agency="示例市示例局", year=year, format=fmt, format_by_year="2021" if year >= 2021 else "2019")
    return Document(src, blocks, 1, secs if sections else [], meta)


def outcomes(checks) -> dict[str, str]:
    return {c.rule_id: str(c.outcome) for c in checks}


def by_rule(findings) -> dict:
    return {f.rule_id: f for f in findings}
