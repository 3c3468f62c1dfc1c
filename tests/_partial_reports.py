"""Partial and irregular reports of our own, in the layouts evaluators copy from portals: section 一 alone,
the tables alone, a report numbered 1、…6、, one numbered （一）…（六）, a converter's markdown headings, a
body numbered on its own with the tables numbered apart (and its 五 missing), sections out of order.
The wording is ours; the figures are consistent unless a test says otherwise."""
from __future__ import annotations

AGENCY = "青石县交通运输局"

SECTION_ONE_ALONE = "\n\n".join([
    "一、总体情况",
    "2023年，县交通运输局围绕政府信息公开工作要点，落实公开属性源头认定，全年主动公开各类信息312条。",
    "（一）主动公开",
    "通过局网站发布行政许可结果86条、行政处罚结果41条。",
    "（二）依申请公开",
    "全年收到政府信息公开申请12件，均在法定期限内答复。",
]) + "\n"

#: table 三 and table 四 of the 2021 format, as a portal page's tables copied without their headings
T3_ONLY = [
    ["", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
    ["一、本年新收政府信息公开申请数量", "", "11", "1", "0", "0", "0", "0", "12"],
    ["二、上年结转政府信息公开申请数量", "", "0", "0", "0", "0", "0", "0", "0"],
    ["三、本年度办理结果", "（一）予以公开", "7", "1", "0", "0", "0", "0", "8"],
    ["", "（二）部分公开", "2", "0", "0", "0", "0", "0", "2"],
    ["", "（七）总计", "11", "1", "0", "0", "0", "0", "12"],
    ["四、结转下年度继续办理", "", "0", "0", "0", "0", "0", "0", "0"],
]
_RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_ONLY = [
    ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
    _RESULTS * 3,
    ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "1", "0", "0", "0", "1"],
]


def tables_alone() -> str:
    grid = lambda rows: "\n".join("\t".join(r) for r in rows)  # noqa: E731
    return grid(T3_ONLY) + "\n\n" + grid(T4_ONLY) + "\n"


def numbered(style: str) -> str:
    """A whole (small) report whose six sections are numbered ``style``: "arabic" 1、…6、, "dotted" 1.…6.,
    "paren" （一）…（六）, "markdown" ## 一、…, "part" 第一部分…"""
    heads = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
             "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
    cn = "一二三四五六"
    mark = {"arabic": lambda i: f"{i + 1}、", "dotted": lambda i: f"{i + 1}. ",
            "paren": lambda i: f"（{cn[i]}）", "markdown": lambda i: f"## {cn[i]}、",
            "part": lambda i: f"第{cn[i]}部分 ", "indented": lambda i: f"　　{cn[i]}、"}[style]
    bodies = [
        "2023年，县交通运输局持续推进政务公开，主动公开各类信息312条。",
        "规章\t0\t0\t0\n规范性文件\t2\t1\t9\n行政许可\t86\n行政处罚\t41",
        "\n".join("\t".join(r) for r in T3_ONLY),
        "\n".join("\t".join(r) for r in T4_ONLY),
        "一是公开栏目更新不够及时；二是政策解读形式单一。下一步，每月检查一次栏目，增加图解和问答。",
        "本年度未收取信息处理费。",
    ]
    parts = [f"{AGENCY}2023年政府信息公开工作年度报告"]
    for i, h in enumerate(heads):
        parts += [mark(i) + h, bodies[i]]
    parts += [AGENCY, "2024年1月20日"]
    return "\n\n".join(parts) + "\n"
