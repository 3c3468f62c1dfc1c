"""The seed report (2019 format): every cell of tables 二, 三, 四 right, from the real file and from a grid
rebuilt with its figures and its text layer's quirks (labels in varying columns, the stray “果”
fragment row that carries 4.保护第三方合法权益, the blank 行政复议 block)."""
from __future__ import annotations

from decimal import Decimal

from audit import pipeline
from audit.model import ValueKind
from audit.tables import extract
from tests._tables_helpers import SEED, assert_seed_fields, document, para, shared_file, tab_grid

T2 = """第二十条第（一）项\t\t\t
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t22\t22\t22
第二十条第（五）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t899\t-310\t589
其他对外管理服务事项\t162\t241\t403
第二十条第（六）项\t\t\t
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t297\t10\t307
行政强制\t12\t7\t19
第二十条第（八）项\t\t\t
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t52\t-19
第二十条第（九）项\t\t
信息内容\t采购项目数量\t采购总金额（万元）
政府集中采购\t85\t18228.47584"""

# the seed's table 三 as its text layer gives it: the label lands in column 0, 1, 2 or 3
T3 = """\t\t申请人情况\t\t\t\t\t\t总计\t
\t\t自然人\t法人或其他组织\t\t\t\t\t\t
\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t
一、\t本年新收政府信息公开申请数量\t51\t2\t0\t0\t0\t0\t53\t
二、\t上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\t
三、 本 年 度 办 理 结 果\t(一) 予以公开\t11\t2\t0\t0\t0\t0\t13\t
\t(二) 部分公开（区分处理的，只计这一情形，不计其他情形）\t3\t0\t0\t0\t0\t0\t3\t
\t(三) 不予公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0
\t\t2. 其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0\t0
3. 危及“三安全一稳定”\t\t0\t0\t0\t0\t0\t0\t0\t
果\t\t4. 保护第三方合法权益\t2\t0\t0\t0\t0\t0\t0\t
\t\t5. 属于三类内部事务信息\t1\t0\t0\t0\t0\t0\t1\t
\t\t6. 属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\t
\t\t7. 属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\t
\t\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\t
\t(四)无法提供\t\t1. 本机关不掌握相关政府信息\t27\t0\t0\t0\t0\t0\t27
\t\t\t2. 没有现成信息需要另行制作\t1\t0\t0\t0\t0\t0\t1
\t\t\t3. 补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0
\t(五)不予处理\t\t1. 信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0
\t\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0
\t\t\t3. 要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0
\t\t\t4. 无正当理由大量反复申请\t0\t0\t0\t0\t0\t0\t0
\t\t\t5. 要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0
(六) 其他处理\t8\t0\t0\t0\t0\t0\t8
(七) 总计\t51\t2\t0\t0\t0\t0\t53
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0"""

T4 = """行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t
结 果 维 持\t结 果 纠 正\t其 他 结 果\t尚 未 审 结\t总 计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t
\t\t\t\t\t结 果 维 持\t结 果 纠 正\t其 他 结 果\t尚 未 审 结\t总 计\t结 果 维 持\t结 果 纠 正\t其 他 结 果\t尚 未 审 结\t总 计
\t\t\t\t\t0\t0\t0\t0\t0\t0\t1\t1\t0\t2"""


def seed_like_document():
    return document(
        para("二、主动公开政府信息情况"), tab_grid(T2),
        para("三、收到和处理政府信息公开申请情况"), tab_grid(T3),
        para("四、政府信息公开行政复议、行政诉讼情况"), tab_grid(T4),
        year=2020,
    )


def check_seed_cells(fields):
    assert fields.format == "2019" and fields.format_by_labels == "2019"
    assert fields.number("t3.new.natural") == 51 and fields.number("t3.new.total") == 53
    assert fields.number("t3.denied.third_party.natural") == 2
    assert fields.number("t3.denied.third_party.total") == 0
    assert fields.number("t3.unable.not_held.natural") == 27
    assert fields.number("t3.other.total") == 8 and fields.number("t3.result_total.natural") == 51
    assert fields.number("t4.suit_after_review.corrected") == 1 and fields.number("t4.suit_after_review.total") == 2
    assert fields.number("t2.license.prev") == 899 and fields.number("t2.license.change") == -310
    amount = fields["t2.procurement.amount"]
    assert amount.value == Decimal("18228.47584") and amount.unit == "万元"
    for col in ("upheld", "corrected", "other", "pending", "total"):
        v = fields[f"t4.review.{col}"]
        assert v.kind is ValueKind.BLANK and v.value is None  # a blank is never 0
    assert not fields.missing_rows and not fields.not_assessable


def test_seed_figures_from_a_flattened_grid():
    fields = extract(seed_like_document())
    check_seed_cells(fields)
    assert len(fields) == 198
    third = fields["t3.denied.third_party.natural"]
    assert third.table == "t3" and "保护第三方合法权益" in third.row_label and third.column_label == "自然人"


def test_seed_report_every_cell():
    path = shared_file(SEED)
    fields = pipeline.extract(pipeline.read(path))
    check_seed_cells(fields)
    assert_seed_fields(fields)


def test_inspect_json_shape():
    from audit.inspect import inspect_json

    doc = seed_like_document()
    out = inspect_json(doc, extract(doc))
    cell = out["fields"]["t3.denied.third_party.natural"]
    assert {"value", "raw", "page", "table", "row_label", "column_label"} <= set(cell)
    assert cell["value"] == 2 and cell["raw"] == "2" and cell["table"] == "t3"
    assert out["fields"]["t4.review.total"]["value"] is None and out["fields"]["t4.review.total"]["kind"] == "blank"
    assert out["table_notes"]["format"] == "2019"
