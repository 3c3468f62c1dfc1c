"""The two official table formats as the generator sees them: rows, columns, labels and field ids.

Field ids follow ``../shared/spec/report-format.md``: ``t2.<row>.<col>``, ``t3.<row>.<col>``,
``t4.<block>.<col>``. Labels are the official wording; layouts vary them (spacing, wrapping).
"""
from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("2019", "2021")


def format_for_year(year: int) -> str:
    """The format the State Council notice prescribes for a report year."""
    return "2019" if year <= 2020 else "2021"


@dataclass(frozen=True)
class T2Row:
    """One row of table 二, under the article clause heading it sits below."""

    row: str
    label: str
    clause: str  # 第二十条第（一）项 …
    cols: tuple[tuple[str, str], ...]  # (column id, column header)
    decimal_cols: tuple[str, ...] = ()


T2_2021: tuple[T2Row, ...] = (
    T2Row("reg", "规章", "第二十条第（一）项",
          (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    T2Row("norm", "行政规范性文件", "第二十条第（一）项",
          (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    T2Row("license", "行政许可", "第二十条第（五）项", (("decisions", "本年处理决定数量"),)),
    T2Row("penalty", "行政处罚", "第二十条第（六）项", (("decisions", "本年处理决定数量"),)),
    T2Row("coercion", "行政强制", "第二十条第（六）项", (("decisions", "本年处理决定数量"),)),
    T2Row("fee", "行政事业性收费", "第二十条第（八）项", (("amount", "本年收费金额（单位：万元）"),), ("amount",)),
)

_PCD = (("prev", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))
T2_2019: tuple[T2Row, ...] = (
    T2Row("reg", "规章", "第二十条第（一）项",
          (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))),
    T2Row("norm", "规范性文件", "第二十条第（一）项",
          (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))),
    T2Row("license", "行政许可", "第二十条第（五）项", _PCD),
    T2Row("other_service", "其他对外管理服务事项", "第二十条第（五）项", _PCD),
    T2Row("penalty", "行政处罚", "第二十条第（六）项", _PCD),
    T2Row("coercion", "行政强制", "第二十条第（六）项", _PCD),
    T2Row("fee", "行政事业性收费", "第二十条第（八）项", (("prev", "上一年项目数量"), ("change", "本年增/减"))),
    T2Row("procurement", "政府集中采购", "第二十条第（九）项",
          (("count", "采购项目数量"), ("amount", "采购总金额（万元）")), ("amount",)),
)


def t2_rows(fmt: str) -> tuple[T2Row, ...]:
    return T2_2019 if fmt == "2019" else T2_2021


# Table 三 ------------------------------------------------------------------------------------------
T3_COLS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
    ("social", "社会公益组织"), ("legal", "法律服务机构"), ("other", "其他"), ("total", "总计"),
)
T3_ORG_COLS = ("commercial", "research", "social", "legal", "other")
T3_APPLICANT_COLS = ("natural",) + T3_ORG_COLS


@dataclass(frozen=True)
class T3Row:
    row: str
    label: str  # the row's own label (sub-item text)
    group: str | None = None  # （三）不予公开 … for sub-rows; None for rows of their own
    long_label: str | None = None  # a longer wording some agencies use (wrapped_labels layout)


_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

T3_HEAD_ROWS = (
    T3Row("new", "一、本年新收政府信息公开申请数量"),
    T3Row("carried_in", "二、上年结转政府信息公开申请数量"),
)
T3_RESULT_ROWS_COMMON = (
    T3Row("open", "（一）予以公开"),
    T3Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    T3Row("denied.state_secret", "1.属于国家秘密", _DENIED),
    T3Row("denied.law_forbidden", "2.其他法律行政法规禁止公开", _DENIED),
    T3Row("denied.three_safety", "3.危及“三安全一稳定”", _DENIED),
    T3Row("denied.third_party", "4.保护第三方合法权益", _DENIED),
    T3Row("denied.internal", "5.属于三类内部事务信息", _DENIED),
    T3Row("denied.process", "6.属于四类过程性信息", _DENIED),
    T3Row("denied.enforcement", "7.属于行政执法案卷", _DENIED),
    T3Row("denied.query", "8.属于行政查询事项", _DENIED),
    T3Row("unable.not_held", "1.本机关不掌握相关政府信息", _UNABLE),
    T3Row("unable.need_create", "2.没有现成信息需要另行制作", _UNABLE),
    T3Row("unable.unclear", "3.补正后申请内容仍不明确", _UNABLE),
    T3Row("rejected.complaint", "1.信访举报投诉类申请", _REJECTED),
    T3Row("rejected.repeat", "2.重复申请", _REJECTED),
    T3Row("rejected.publication", "3.要求提供公开出版物", _REJECTED),
    T3Row("rejected.mass_repeat", "4.无正当理由大量反复申请", _REJECTED),
    T3Row("rejected.confirm", "5.要求行政机关确认或重新出具已获取信息", _REJECTED),
)
T3_OTHER_2019 = (T3Row("other", "（六）其他处理"),)
T3_OTHER_2021 = (
    T3Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _OTHER),
    T3Row("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _OTHER),
    T3Row("other.other", "3.其他", _OTHER),
)
T3_TAIL_ROWS = (
    T3Row("result_total", "（七）总计"),
    T3Row("carried_out", "四、结转下年度继续办理"),
)
T3_GROUP_LABEL = "三、本年度办理结果"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def t3_result_rows(fmt: str, *, old_other_row: bool = False) -> tuple[T3Row, ...]:
    """The result rows（一）…（六）of table 三 (without （七）总计)."""
    if fmt == "2019" or old_other_row:
        return T3_RESULT_ROWS_COMMON + T3_OTHER_2019
    return T3_RESULT_ROWS_COMMON + T3_OTHER_2021


def t3_rows(fmt: str, *, old_other_row: bool = False) -> tuple[T3Row, ...]:
    return T3_HEAD_ROWS + t3_result_rows(fmt, old_other_row=old_other_row) + T3_TAIL_ROWS


# Table 四 ------------------------------------------------------------------------------------------
T4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"), ("direct_suit", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"),
)
T4_COLS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"),
)


def field_ids(fmt: str, *, old_other_row: bool = False, org_total: bool = False) -> list[str]:
    """Every field id of tables 二, 三 and 四 of a format, in table order."""
    ids = [f"t2.{r.row}.{c}" for r in t2_rows(fmt) for c, _ in r.cols]
    cols = [c for c, _ in T3_COLS]
    if org_total:
        cols.insert(1, "org_total")
    ids += [f"t3.{r.row}.{c}" for r in t3_rows(fmt, old_other_row=old_other_row) for c in cols]
    ids += [f"t4.{b}.{c}" for b, _ in T4_BLOCKS for c, _ in T4_COLS]
    return ids
