"""The table readers as named peers (``audit.tables.readers``) and their tolerances in one settings object."""
from __future__ import annotations

import ast
import dataclasses
import inspect as pyinspect
from pathlib import Path

import pytest

from audit.inspect import inspect_json, inspect_text
from audit.model import Cell, ReaderTry, Span, Table, TableReading
from audit.tables import extract, readers
from audit.tables.settings import DEFAULT, TableSettings
from tests._tables_helpers import document, grid, para, t3_header, t3_rows, t3_values
from tests.test_tables_runon import crawled_t3

TABLES = Path(__file__).resolve().parents[1] / "audit" / "tables"


def _stream(*texts: str) -> Table:
    return Table([[Cell(t, Span(page=1, line=i)) for i, t in enumerate(texts)]], page=1, pages=[1], cell_stream=True)


def test_the_readers_are_peers_with_one_signature():
    assert [r.name for r in readers.READERS] == ["grid", "cells", "runon"]
    shapes = {tuple(pyinspect.signature(r.read).parameters) for r in readers.READERS}
    assert shapes == {("table", "found", "body", "schema", "settings")}


def test_the_settings_are_frozen_and_hold_the_measured_values():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT.pair_min = 0.5  # type: ignore[misc]
    # the values the benchmarks were measured with: a change here is a change of behaviour
    assert (DEFAULT.row_match, DEFAULT.column_match, DEFAULT.line_match, DEFAULT.max_line) == (0.8, 0.85, 0.85, 120)
    assert (DEFAULT.header_match, DEFAULT.pair_min, DEFAULT.fragment_alone, DEFAULT.fragment_gain,
            DEFAULT.label_only_weight) == (0.8, 0.6, 0.9, 0.02, 0.9)
    assert (DEFAULT.format_match, DEFAULT.optional_match, DEFAULT.max_label_cells) == (0.9, 0.9, 3)
    assert (DEFAULT.header_window, DEFAULT.leftover, DEFAULT.anchors_tried) == (60, 4, 8)
    assert (DEFAULT.solutions, DEFAULT.nodes) == (64, 200_000)
    assert (DEFAULT.table_score_min, DEFAULT.column_weight, DEFAULT.section_bonus) == (1.0, 0.5, 0.5)


#: module-level numbers of the tables stage that are no reader's tolerance
NOT_TOLERANCES = {"messages.SHOWN_ROWS", "values.MAX_CELL_CHARS"}


def test_no_reader_tolerance_is_a_module_level_constant():
    found = []
    for path in sorted(TABLES.glob("*.py")):
        if path.stem == "settings":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, (int, float)) and not isinstance(node.value.value, bool):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [f"{path.stem}.{t.id}" for t in targets if isinstance(t, ast.Name)]
    assert set(found) <= NOT_TOLERANCES, set(found) - NOT_TOLERANCES


def _reading(fields, tid: str) -> TableReading:
    return fields.readings[tid]


def _outcomes(r: TableReading) -> list[tuple[str, str]]:
    return [(t.reader, t.outcome) for t in r.tried]


def test_a_grid_wins_and_the_others_are_skipped():
    doc = document(para("三、收到和处理政府信息公开申请情况"),
                   grid(t3_header() + t3_rows("2021", t3_values("2021"))), year=2022)
    r = _reading(extract(doc), "t3")
    assert r.winner == "grid"
    assert _outcomes(r) == [("grid", "won"), ("cells", "skipped"), ("runon", "skipped")]
    assert r.tried[1].why == "grid read the table first"


def test_running_text_wins_when_there_is_no_grid_and_the_others_say_why():
    text = crawled_t3("2021", {"new": "1000001"})
    fields = extract(document(para(text), year=2023))
    r = _reading(fields, "t3")
    assert r.winner == "runon"
    assert _outcomes(r) == [("grid", "declined"), ("cells", "declined"), ("runon", "won")]
    assert "no grid row" in r.tried[0].why and "no cell stream" in r.tried[1].why
    assert "from the body text" in r.tried[2].why
    # a table whose labels stand nowhere: no reader, every one declined
    t2 = _reading(fields, "t2")
    assert t2.winner is None and {o for _, o in _outcomes(t2)} == {"declined"}


def test_a_cell_stream_wins_over_running_text():
    doc = document(para("二、主动公开政府信息情况"),
                   _stream("第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
                           "规章", "1", "0", "2", "行政规范性文件", "3", "0", "4"), year=2022)
    r = _reading(extract(doc), "t2")
    assert r.winner == "cells" and _outcomes(r)[:2] == [("grid", "declined"), ("cells", "won")]


def test_the_settings_reach_the_readers():
    text = crawled_t3("2021", {"new": "1000001"})
    doc = document(para(text), year=2023)
    assert extract(doc, DEFAULT).readings["t3"].winner == "runon"
    # labels never close enough together to mark a header in running text: the reader declines
    strict = dataclasses.replace(DEFAULT, header_window=0)
    assert extract(doc, strict).readings["t3"].winner is None
    assert extract(doc, strict).not_assessable["t3"]


def test_inspect_shows_the_winner_and_why_the_others_did_not_read():
    doc = document(para(crawled_t3("2021", {"new": "1000001"})), year=2023)
    fields = extract(doc)
    text = inspect_text(doc, fields)
    assert "  t3 read by runon: " in text and "grid declined (no grid row" in text
    assert "  t2 read by no reader; grid declined" in text
    out = inspect_json(doc, fields)["table_notes"]["readings"]
    assert out["t3"]["winner"] == "runon"
    assert out["t3"]["tried"][2] == {"reader": "runon", "outcome": "won", "why": fields.readings["t3"].tried[2].why}
    assert isinstance(fields.readings["t3"].tried[0], ReaderTry)


def _pipe_t3(open_line: str) -> str:
    """Table 3's first rows as a crawler's pipe-separated lines, one line per row (own fixture)."""
    return "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 申请人情况 | 自然人 | 法人或其他组织 | 总计 |",
        "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
        "一、本年新收政府信息公开申请数量 | 5 | 1 | | | | | 6 |",
        "二、上年结转政府信息公开申请数量 | 1 | | | | | | 1 |",
        open_line,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形） | | | | | | | 0 |",
    ]) + "\n"


@pytest.mark.parametrize("open_line, read", [
    ("三、本年度办理结果 | （一）予以公开 | 4 | 1 | | | | | 5 |", True),  # the group's label first, as printed
    ("（一）予以公开 | 4 | 1 | | | | | 5 |", True),
    ("三、本年度工作总结 | 4 | 1 | | | | | 5 |", False),  # a heading-like line that is no row of the table
])
def test_a_row_line_that_starts_with_its_group_label_is_read(tmp_path, open_line, read):
    from audit import pipeline

    path = tmp_path / "t3.txt"
    path.write_text("某县统计局2022年政府信息公开工作年度报告\n" + _pipe_t3(open_line), encoding="utf-8")
    fields = pipeline.extract(pipeline.read(path, cache=False))
    assert fields.number("t3.new.total") == 6
    if read:
        assert fields.number("t3.open.natural") == 4 and fields.number("t3.open.total") == 5
        assert fields["t3.open.legal"].kind.value == "blank"
    else:
        assert fields["t3.open.total"].value is None
