"""DOCX ingest: paragraphs and tables in body order, merged cells, explicit page breaks."""
import io

import docx
import pytest

from _ingest_helpers import BROKEN, SECTION2_HEAD, T2_ROWS, TITLE, report_docx
from audit.errors import CorruptFile
from audit.ingest.docx import parse_docx
from audit.model import Paragraph, Source, Table


def _doc(data: bytes):
    return parse_docx(data, Source.from_bytes("x.docx", data, "docx"))


def test_blocks_in_body_order():
    doc = _doc(report_docx())
    kinds = ["T" if isinstance(b, Table) else "P" for b in doc.blocks]
    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text == SECTION2_HEAD)
    assert kinds[i + 1] == "T" and doc.blocks[i + 1].grid()[:2] == [r for r in [
        ["第二十条第(一)项", "", "", ""], T2_ROWS[1]]]
    assert doc.paragraphs[0].text == TITLE
    assert [b.lines[0].span.line for b in doc.paragraphs[:3]] == [0, 1, 2]


def test_merged_cells_are_origin_and_none():
    t3 = _doc(report_docx()).tables[1]
    grid = t3.grid()
    assert grid[0][0].startswith("（本列数据的勾稽关系为") and grid[0][1] is None
    assert grid[1][0] is None and grid[1][1] is None
    assert grid[0][2] == "申请人情况" and grid[0][3:] == [None] * 6
    assert grid[1][3] == "法人或其他组织" and grid[1][4:8] == [None] * 4 and grid[1][8] == "总计"
    origin = t3.rows[0][0]
    assert (origin.rowspan, origin.colspan) == (2, 2)
    assert t3.rows[0][2].colspan == 7 and t3.rows[0][2].rowspan == 1
    assert grid[2][2] == "39"


def test_page_break_advances_the_page():
    doc = _doc(report_docx())
    broken = next(p for p in doc.paragraphs if p.text.startswith(BROKEN[0]))
    assert broken.text == BROKEN[0] + BROKEN[1]
    assert broken.page == 1
    assert doc.tables[0].page == 2 and doc.page_count == 2


def test_page_break_before_and_line_breaks():
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph("六、其他需要报告的事项")
    p.paragraph_format.page_break_before = True
    q = d.add_paragraph("本年度未收取")
    q.add_run().add_break()
    q.add_run("信息处理费。")
    buf = io.BytesIO()
    d.save(buf)
    doc = _doc(buf.getvalue())
    assert [b.page for b in doc.paragraphs] == [1, 2, 2]
    assert doc.paragraphs[2].text == "本年度未收取信息处理费。"
    assert [ln.text for ln in doc.paragraphs[2].lines] == ["本年度未收取", "信息处理费。"]


def test_tables_split_by_a_page_break_are_joined():
    d = docx.Document()
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    for rows in (["一、本年新收", "5"], ["二、上年结转", "0"]), (["(七)总计", "5"],):
        t = d.add_table(rows=len(rows), cols=2)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
        d.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    buf = io.BytesIO()
    d.save(buf)
    doc = _doc(buf.getvalue())
    assert len(doc.tables) == 1
    assert doc.tables[0].grid() == [["一、本年新收", "5"], ["二、上年结转", "0"], ["(七)总计", "5"]]
    assert doc.tables[0].pages == [1, 2]


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b""])
def test_corrupt_docx(data):
    with pytest.raises(CorruptFile):
        _doc(data)


def test_word_file_without_text():
    from audit.errors import EmptyFile

    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(EmptyFile):
        _doc(buf.getvalue())


def test_word_file_of_scanned_pages():
    import struct
    import zlib

    from audit.errors import NoTextLayer

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
    d = docx.Document()
    d.add_picture(io.BytesIO(png))
    buf = io.BytesIO()
    d.save(buf)
    with pytest.raises(NoTextLayer) as exc:
        _doc(buf.getvalue())
    assert "run OCR first" in exc.value.reason
