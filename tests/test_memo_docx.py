"""The Word memo: same sections, a findings table, the table block with the suspect cell shaded, a sign-off."""
from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.oxml.ns import qn

from _memo_helpers import hostile, seed_like
from audit import memo


def open_docx(data: bytes) -> docx.document.Document:
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return docx.Document(io.BytesIO(data))


def fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def table_with(doc, text: str):
    return [t for t in doc.tables if any(text in c.text for row in t.rows for c in row.cells)]


@pytest.fixture(scope="module")
def zh():
    return open_docx(memo.render(seed_like(), "docx"))


def test_docx_has_the_sections_in_order(zh):
    headings = [p.text for p in zh.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    want = ["政府信息公开工作年度报告审核意见", "一、报告信息", "二、评分", "三、问题概况", "问题清单", "四、统计表勾稽关系问题",
            "五、正文与统计表不一致", "六、格式与结构问题", "七、问题与改进情况的文字质量", "八、审核规则执行情况", "审核签署"]
    assert [h for h in headings if h in want] == want
    assert "1. [错误] T3-ROW-SUM" in headings
    assert any(p.text == "得分 81 / 100，等级：良好" for p in zh.paragraphs)


def test_docx_findings_table_lists_every_finding(zh):
    table = table_with(zh, "问题说明")[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "严重程度", "类别", "规则", "位置", "问题说明"]
    assert [r[3] for r in rows[1:]] == ["T3-ROW-SUM", "T3-COL-RESULTS", "CLAIM-NEW", "T3-BLANK", "NARR-GENERIC"]
    assert [r[1] for r in rows[1:]] == ["错误", "错误", "错误", "警告", "警告"]


def test_docx_block_shades_the_suspect_and_identity_cells(zh):
    blocks = table_with(zh, "2 → 0")
    assert len(blocks) == 2  # the row identity and the column identity
    row_block = blocks[0]
    header = [c.text for c in row_block.rows[0].cells]
    assert header[1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    cells = row_block.rows[1].cells
    assert cells[0].text == "（三）不予公开 4.保护第三方合法权益"
    assert (cells[1].text, fill(cells[1])) == ("2 → 0", "F6C9C4")
    assert all(fill(c) == "FFF1C2" and c.text == "0" for c in cells[2:])


def test_docx_has_an_editable_sign_off_block(zh):
    sign = table_with(zh, "审核人")[-1]
    assert [c.text for c in sign.rows[0].cells] == ["审核人", "复核人", "日期"]
    assert len(sign.rows) == 2 and all(not c.text.strip() for c in sign.rows[1].cells)


def test_docx_checks_keep_passed_apart_from_not_assessable(zh):
    texts = [p.text for p in zh.paragraphs]
    passed = texts.index("已核查，通过（2）")
    blind = texts.index("无法核查（数据缺失或无法读取）（1）")
    assert "✓ T3-COL-BALANCE 表三收支平衡" in texts[passed:blind]
    assert "? T4-BLOCK-SUM 表四各栏合计（原因：表四“行政复议”栏：各单元格为空白）" in texts[blind:]


def test_docx_in_english_and_dated_by_the_audit():
    doc = open_docx(memo.render(seed_like(), "docx", lang="en"))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "1. The report" in headings and "4. Table identities" in headings and "Sign-off" in headings
    assert doc.core_properties.created.replace(tzinfo=None) == dt.datetime(2024, 5, 6)
    assert doc.core_properties.author == "report-audit"


def test_docx_keeps_hostile_text_as_plain_text():
    doc = open_docx(memo.render(hostile(), "docx"))
    assert any("示例局<script>alert(1)</script>" in p.text for p in doc.paragraphs)
