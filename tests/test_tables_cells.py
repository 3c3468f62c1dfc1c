"""Tables from a crawler's one-cell-per-line list (“规章 |”, a lone “|” for an empty cell): with row markers
read as grids, without them as a cell stream cut by the tables' row labels and column counts; a row
followed by another number of cells than it has columns is unreadable, never guessed."""
from __future__ import annotations

from decimal import Decimal

import pytest

from audit import pipeline
from audit.model import Cell, Paragraph, Span, Table, ValueKind
from audit.tables import extract
from tests._tables_helpers import SEED, assert_seed_fields, document, para, shared_file

generator = pytest.importorskip("corpora.generator")
from corpora.generator.render_txt import CRAWL_STYLES, cell_lines  # noqa: E402


def _crawl(fmt: str, style: str, layout: str = "plain", seed: int = 5):
    spec = generator.random_report(fmt, seed=seed)
    text = generator.render(spec, "txt", layout, style=style, encoding="utf-8").decode("utf-8")
    return spec, text


def _fields(tmp_path, text: str):
    path = tmp_path / "crawl.txt"
    path.write_text(text, encoding="utf-8")
    return pipeline.extract(pipeline.read(path, cache=False))


def _drop_line_after(text: str, label: str, offset: int = 1) -> str:
    lines = text.split("\n")
    i = lines.index(f"{label} |")
    del lines[i + offset]
    return "\n".join(lines)


def _stream(*texts: str) -> Table:
    return Table([[Cell(t, Span(page=1, line=i)) for i, t in enumerate(texts)]], page=1, pages=[1], cell_stream=True)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("style", CRAWL_STYLES)
def test_every_cell_read_and_stream_or_grid_as_the_variant_says(tmp_path, fmt, style):
    spec, text = _crawl(fmt, style, "blank_cells")
    doc = pipeline.read(_write(tmp_path, text), cache=False)
    assert len(doc.tables) == 3
    assert all(t.cell_stream is (style == "cells") for t in doc.tables)
    fields = pipeline.extract(doc)
    want = spec.expected_fields("blank_cells")
    blanks = [f for f in want if want[f] is None]
    assert blanks  # the layout leaves cells blank, “—”, “/” or “无”
    for fid, value in want.items():
        got = fields[fid]
        if value is None:
            assert got.value is None and got.kind is not ValueKind.NUMBER and got.kind is not ValueKind.UNREADABLE, fid
        else:
            assert got.kind is ValueKind.NUMBER and Decimal(str(got.value)) == Decimal(str(value)), fid
    assert not fields.not_assessable and not fields.missing_rows
    if style == "cells":
        assert any("单元格列表读取" in n.zh for n in fields.notes)
        from audit.inspect import inspect_text

        assert f"table 1: {len(doc.tables[0].rows[0])} cells without row boundaries on p. 1" in inspect_text(doc)


def _write(tmp_path, text: str):
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_blank_cells_count_as_cells_and_keep_their_meaning():
    doc = document(para("二、主动公开政府信息情况"),
                   _stream("第二十条第（一）项", "", "", "", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
                           "规章", "", "—", "0", "行政规范性文件", "9", "", "无", "第二十条第（五）项", "信息内容",
                           "本年处理决定数量", "行政许可", "", "第二十条第（六）项", "信息内容", "本年处理决定数量",
                           "行政处罚", "4", "行政强制", "1", "第二十条第（八）项", "信息内容",
                           "本年收费金额（单位：万元）", "行政事业性收费", "2.50"), year=2022)
    fields = extract(doc)
    kinds = {f: str(fields[f].kind) for f in ("t2.reg.issued", "t2.reg.repealed", "t2.reg.in_force", "t2.norm.repealed",
                                              "t2.norm.in_force", "t2.license.decisions")}
    assert kinds == {"t2.reg.issued": "blank", "t2.reg.repealed": "dash", "t2.reg.in_force": "number",
                     "t2.norm.repealed": "blank", "t2.norm.in_force": "none_word", "t2.license.decisions": "blank"}
    assert fields.number("t2.norm.issued") == 9 and fields.number("t2.penalty.decisions") == 4
    assert fields["t2.fee.amount"].value == Decimal("2.50") and fields["t2.fee.amount"].unit == "万元"
    assert fields["t2.coercion.decisions"].span.line == 27  # every value keeps where it came from
    assert "t2" not in fields.not_assessable and "t2" not in fields.missing_rows


def _padded_2019(last_of_norm: str = "") -> Table:
    """Table 2 of the 2019 form as a page one column wider than the form: every row ends in a blank cell."""
    return _stream("第二十条第（一）项", "", "", "", "", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "",
                   "规章", "1", "2", "3", "", "规范性文件", "4", "5", "6", last_of_norm,
                   "第二十条第（五）项", "", "", "", "", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量", "",
                   "行政许可", "7", "0", "8", "", "其他对外管理服务事项", "2", "1", "3", "")


def test_a_blank_padding_column_on_every_row_is_dropped_and_noted():
    fields = extract(document(para("二、主动公开政府信息情况"), _padded_2019(), year=2019))
    got = [fields.number(f"t2.{r}.{c}") for r, cs in (("reg", ("made", "published", "total")),
                                                       ("norm", ("made", "published", "total")),
                                                       ("license", ("prev", "change", "decisions")))
           for c in cs]
    assert got == [1, 2, 3, 4, 5, 6, 7, 0, 8]
    assert fields.number("t2.other_service.decisions") == 3 and "t2" not in fields.not_assessable
    assert any("留白列" in n.zh and "padding" in n.en for n in fields.notes)


def test_a_trailing_cell_that_is_not_blank_on_one_row_is_not_padding():
    fields = extract(document(para("二、主动公开政府信息情况"), _padded_2019(last_of_norm="9"), year=2019))
    assert all(fields[f"t2.norm.{c}"].kind is ValueKind.UNREADABLE for c in ("made", "published", "total"))
    assert all(fields[f"t2.reg.{c}"].kind is ValueKind.UNREADABLE for c in ("made", "published", "total"))
    assert "t2" in fields.not_assessable and not any("留白列" in n.zh for n in fields.notes)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_a_row_with_a_cell_too_few_or_too_many_is_unreadable_said_once(tmp_path, fmt):
    spec, text = _crawl(fmt, "cells")
    text = _drop_line_after(text, "二、上年结转政府信息公开申请数量")  # one of its 7 cells gone
    lines = text.split("\n")
    i = lines.index("（七）总计 |")
    lines.insert(i + 1, "0 |")  # one cell too many
    fields = _fields(tmp_path, "\n".join(lines))
    for row in ("carried_in", "result_total"):
        cells = [v for f, v in fields.items() if f.startswith(f"t3.{row}.")]
        assert len(cells) == 7 and all(v.kind is ValueKind.UNREADABLE and v.value is None for v in cells)
    reason = fields.not_assessable["t3"]
    assert "“二、上年结转政府信息公开申请数量”行后有6个单元格，该行有7列" in reason.zh
    assert "row “（七）总计”: 8 cells for 7 columns" in reason.en and "not read" in reason.en
    want = spec.expected_fields("plain")
    for fid, value in want.items():  # the other rows are read as they are
        if not fid.startswith(("t3.carried_in.", "t3.result_total.")):
            assert fields.number(fid) == value, fid


def test_a_wrong_count_in_table_four_is_not_guessed(tmp_path):
    spec, text = _crawl("2021", "cells", seed=8)
    lines = text.rstrip("\n").split("\n")
    heading = next(i for i, ln in enumerate(lines) if ln.startswith("五、"))
    del lines[heading - 1]  # the last cell of the value row
    fields = _fields(tmp_path, "\n".join(lines) + "\n")
    assert all(v.kind is ValueKind.UNREADABLE for f, v in fields.items() if f.startswith("t4."))
    assert "14个数值单元格对应15个字段" in fields.not_assessable["t4"].zh
    assert fields.number("t3.new.total") == spec.values["t3.new.total"]


def test_with_markers_a_row_missing_a_cell_is_unreadable(tmp_path):
    spec, text = _crawl("2021", "cell_rows")
    fields = _fields(tmp_path, _drop_line_after(text, "行政规范性文件"))
    assert all(fields[f"t2.norm.{c}"].kind is ValueKind.UNREADABLE for c in ("issued", "repealed", "in_force"))
    assert "t2" in fields.not_assessable
    assert fields.number("t2.reg.in_force") == spec.values["t2.reg.in_force"]


def test_the_optional_total_column_counts_only_with_its_header(tmp_path):
    spec, text = _crawl("2021", "cells", "org_total")
    fields = _fields(tmp_path, text)
    assert fields.number("t3.new.org_total") == spec.expected_fields("org_total")["t3.new.org_total"]
    assert any("小计" in v.zh for v in fields.variants["t3"])
    fields = _fields(tmp_path, text.replace("小计 |\n", ""))  # eight cells a row, seven columns by the header
    assert all(v.kind is ValueKind.UNREADABLE for f, v in fields.items() if f.startswith("t3.new."))


class _AlwaysMerge:
    """An rng that always writes a run of empty cells on one line."""

    @staticmethod
    def random() -> float:
        return 0.0


def _crawled_rows(table: Table) -> list[list[str]]:
    """A text layer's grid as a web page's table walk gives it: a row with a label has its filled cells
    (the text layer's empty positions are merged cells and padding, no cells of the page); a row of
    values alone keeps its empty cells (table 四's blank 行政复议 block)."""
    from audit.tables.rows import value_like

    out = []
    for row in table.grid():
        texts = [t or "" for t in row]
        labelled = any(t.strip() and not value_like(t) for t in texts)
        out.append([t for t in texts if t.strip()] if labelled else texts)
    return out


@pytest.mark.parametrize("markers, rng", [(False, None), (False, _AlwaysMerge()), (True, None)],
                         ids=["lone-pipes", "merged-runs", "row-markers"])
def test_seed_report_laid_out_as_a_crawlers_cell_list(tmp_path, markers, rng):
    seed = pipeline.read(shared_file(SEED), cache=False)
    lines = []
    for block in seed.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines += cell_lines(_crawled_rows(block), markers=markers, rng=rng)
    path = tmp_path / "seed-crawl.txt"  # the real report's text stays in tmp
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    doc = pipeline.read(path, cache=False)
    assert [t.cell_stream for t in doc.tables] == [not markers] * 3
    if rng is not None:
        assert "|||||" in path.read_text(encoding="utf-8")  # the blank 行政复议 block on one line
    fields = pipeline.extract(doc)
    assert_seed_fields(fields)
    assert fields.format == "2019" and not fields.not_assessable and not fields.missing_rows
