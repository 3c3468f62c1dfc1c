"""Rows of numbers whose labels a PDF → markdown conversion set apart (``audit.tables.order``).

The fixtures are our own markdown reproducing the layouts of the shared conversions (shanghai-kewei-2024,
shanghai-office-2025): pipe tables broken into fragments at page breaks, the labels of some rows left among
loose lines of text (out of step with their numbers, two labels run together on one line), their numbers
as bare rows ``| 0 | 0 | … |``, a header cut into syllables, a stray number between fragments, a cell
missing in the last row. A bare row is placed by row order only where that is certain and the table's
identities confirm it; otherwise nothing is guessed.
"""
from __future__ import annotations

import pytest

from audit import pipeline
from audit.model import ValueKind
from audit.tables import extract, schema
from tests._tables_helpers import REAL, document, grid, para, shared_file, t3_header

COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")

# 表三 (2021) in official row order: row id → its seven cells (a column sum holds in every column)
T3 = {
    "new": [40, 3, 0, 0, 1, 0, 44], "carried_in": [2, 0, 0, 0, 0, 0, 2],
    "open": [11, 1, 0, 0, 0, 0, 12], "partial": [2, 0, 0, 0, 0, 0, 2],
    "denied.state_secret": [0, 0, 0, 0, 0, 0, 0], "denied.law_forbidden": [1, 0, 0, 0, 0, 0, 1],
    "denied.three_safety": [0, 0, 0, 0, 0, 0, 0], "denied.third_party": [0, 0, 0, 0, 0, 0, 0],
    "denied.internal": [3, 0, 0, 0, 0, 0, 3], "denied.process": [1, 0, 0, 0, 0, 0, 1],
    "denied.enforcement": [0, 0, 0, 0, 0, 0, 0], "denied.query": [0, 0, 0, 0, 0, 0, 0],
    "unable.not_held": [5, 1, 0, 0, 0, 0, 6], "unable.need_create": [7, 0, 0, 0, 0, 0, 7],
    "unable.unclear": [0, 0, 0, 0, 0, 0, 0], "rejected.complaint": [0, 0, 0, 0, 0, 0, 0],
    "rejected.repeat": [1, 0, 0, 0, 0, 0, 1], "rejected.publication": [0, 0, 0, 0, 0, 0, 0],
    "rejected.mass_repeat": [0, 0, 0, 0, 0, 0, 0], "rejected.confirm": [0, 0, 0, 0, 0, 0, 0],
    "other.no_correction": [6, 1, 0, 0, 1, 0, 8], "other.no_fee": [0, 0, 0, 0, 0, 0, 0],
    "other.other": [4, 0, 0, 0, 0, 0, 4], "result_total": [41, 3, 0, 0, 1, 0, 45],
    "carried_out": [1, 0, 0, 0, 0, 0, None],
}
assert all(sum(T3[r][k] for r in list(T3)[2:23]) == T3["result_total"][k] for k in range(7))


def cells(row: str, end: str = "") -> str:
    return "| " + " | ".join("" if v is None else str(v) for v in T3[row]) + " |" + end


SEP7 = "|---|---|---|---|---|---|---|"
SEP8 = "|---|---|---|---|---|---|---|---|"

# the kewei layout: every bare row's label is somewhere among the loose lines, not beside its numbers
KEWEI_LIKE = f"""2024年某市某局政府信息公开工作年度报告

一、总体情况
本局按照条例要求做好公开工作，全年情况如下。

二、主动公开政府信息情况
## 表二：主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|---|---|---|
| 规章 | 0 | 0 | 0 |
| 规范性文件 | 6 | 1 | 30 |

三、收到和处理政府信息公开申请情况
申请人情况
自然人总计
商业企科研机社会公法律服
其他
## 表三：收到和处理政府信息公开申请情况
| 业 | 构 | 益组织 | 务机构 |  |  |  |  |  |
|---|---|---|---|---|---|---|---|---|
| 一、本年新收政府信息公开申请数量 {cells("new", " |")}
| 二、上年结转政府信息公开申请数量 {cells("carried_in", " |")}
| 三、 | （一）予以公开 {cells("open")}
{cells("partial")}
{SEP7}

（二）部分公开（区分处理的，只
计这一情形，不计其他情形）
2.其他法律行政法规禁
止公开
| 1.属于国家秘密 {cells("denied.state_secret")}
{SEP8}
{cells("denied.law_forbidden")}
{SEP7}
| 3.危及“三安全一稳定” {cells("denied.three_safety")}
| 4.保护第三方合法权益 {cells("denied.third_party")}

（三）不
予公开
5.属于三类内部事务信
息
1.本机关不掌握相关政
府信息
{cells("denied.internal")}
{SEP7}
| 6.属于四类过程性信息 {cells("denied.process")}
| 7.属于行政执法案卷 {cells("denied.enforcement")}
| 8.属于行政查询事项 {cells("denied.query")}
{cells("unable.not_held")}
{SEP7}
— 3 —

（四）无2.没有现成信息需要另
法提供行制作
3.补正后申请内容仍不
明确
{cells("unable.need_create")}
{SEP7}
{cells("unable.unclear")}
{SEP7}
| 1.信访举报投诉类申请 {cells("rejected.complaint")}
| 2.重复申请 {cells("rejected.repeat")}
| 3.要求提供公开出版物 {cells("rejected.publication")}

（五）不
予处理4.无正当理由大量反复
申请
5.要求行政机关确认或
重新出具已获取信息
1.申请人无正当理由逾
期不补正、行政机关不
再处理其政府信息公开
申请
{cells("rejected.mass_repeat")}
{SEP7}
{cells("rejected.confirm")}
{SEP7}
{cells("other.no_correction")}
{SEP7}

（六）其
他处理
2.申请人逾期未按收费
通知要求缴纳费用、行
政机关不再处理其政府
信息公开申请
1
{cells("other.no_fee")}
{SEP7}
| 3.其他 {cells("other.other")}
{SEP8}
| （七）总计 {cells("result_total")}
| 四、结转下年度继续办理 {cells("carried_out")}

四、政府信息公开行政复议、行政诉讼情况
| 维持 | 纠正 | 结果 | 审结 | 结果 | 结果 | 其他 | 尚未 | 结果 | 结果 | 其他 | 尚未 |
|---|---|---|---|---|---|---|---|---|---|---|---|
| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |

五、存在的主要问题及改进情况
栏目设置有待优化，下一步将调整目录。

六、其他需要报告的事项
本年度未收取信息处理费。
"""

BARE = ["partial", "denied.law_forbidden", "denied.internal", "unable.not_held", "unable.need_create",
        "unable.unclear", "rejected.mass_repeat", "rejected.confirm", "other.no_correction", "other.no_fee"]


def read_md(tmp_path, text: str, name: str = "report.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return pipeline.extract(pipeline.read(path))


def assert_t3(fields, rows=T3) -> None:
    for rid, want in rows.items():
        for col, v in zip(COLS, want):
            got = fields[f"t3.{rid}.{col}"]
            if v is None:
                assert got.kind is ValueKind.BLANK and got.value is None, (rid, col, got)
            else:
                assert got.kind is ValueKind.NUMBER and got.value == v, (rid, col, got)


def test_kewei_layout_every_cell_read_blank_kept_blank(tmp_path):
    fields = read_md(tmp_path, KEWEI_LIKE)
    assert_t3(fields)
    assert "t3" not in fields.not_assessable and not fields.missing_rows.get("t3")
    assert fields["t3.carried_out.total"].kind is ValueKind.BLANK  # no cell in the text: blank, never 0
    assert fields.number("t2.norm.in_force") == 30 and fields.number("t4.review.total") == 1


def test_placed_values_say_how_they_were_placed(tmp_path):
    fields = read_md(tmp_path, KEWEI_LIKE)
    for rid in BARE:
        origin = fields[f"t3.{rid}.natural"].origin
        assert origin is not None and "placed by row order" in origin.en and "按行序" in origin.zh
        assert "(7) total equals the sum of the results" in origin.en
    for rid in ("new", "open", "denied.process", "result_total"):  # labelled rows: read off their own cells
        assert fields[f"t3.{rid}.natural"].origin is None
    used = fields.identities_used["T3-COL-SUM[col=natural]"]
    assert set(used) == {f"t3.{r}.natural" for r in BARE}
    assert any("placed by row order" in n.en and "no evidence" in n.en for n in fields.notes)


def test_a_lost_bare_row_leaves_its_stretch_unread(tmp_path):
    """One of the three bare rows between 8.属于行政查询事项 and 1.信访举报投诉类申请 is gone: three rows, two
    sets of numbers. Which row lost its numbers is not known: all three stay unread, said once; the
    certain stretches elsewhere are still placed only if the identities hold — here a column sum cannot
    be evaluated over unread rows, so nothing is placed, and nothing is wrong."""
    text = KEWEI_LIKE.replace(cells("unable.unclear") + "\n" + SEP7 + "\n", "", 1)
    fields = read_md(tmp_path, text)
    for rid in ("unable.not_held", "unable.need_create", "unable.unclear"):
        assert fields[f"t3.{rid}.natural"].kind is ValueKind.UNREADABLE
    for rid in BARE:
        assert not fields[f"t3.{rid}.total"].is_number
    assert fields.number("t3.open.total") == 12 and fields.number("t3.denied.process.total") == 1
    assert "t3" not in fields.missing_rows  # unreadable, not absent from the report
    reason = fields.not_assessable["t3"]
    assert reason.en.count("without a label") == 1


def test_counts_match_but_a_column_sum_refutes_the_placing(tmp_path):
    """A bare row of numbers that is not the missing row (here: the row of another table's numbers where
    （二）部分公开 should be): the count fits, the column sums do not, so nothing is placed."""
    text = KEWEI_LIKE.replace(cells("partial") + "\n", "| 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n", 1)
    fields = read_md(tmp_path, text)
    for rid in BARE:
        assert fields[f"t3.{rid}.natural"].kind is ValueKind.UNREADABLE
    reason = fields.not_assessable["t3"]
    assert "not confirmed" in reason.en and "未获表内关系证实" in reason.zh
    assert "(7) total equals the sum of the results" in reason.en
    assert not fields.identities_used


def test_office_layout_one_bare_zero_row(tmp_path):
    """The office layout: rows labelled in the grid (their group label in a cell of its own, a label cut in
    two), one all-zero row bare between 4.无正当理由大量反复申请 and the （六） rows."""
    rows = "\n".join([
        "## 表三：收到和处理政府信息公开申请情况",
        "| 等于第三项加第四项之和） | 自然人 | 商业 | 科研 | 总计 |", "|---|---|---|---|---|",
        "## 表三：收到和处理政府信息公开申请情况",
        f"| 一、本年新收政府信息公开申请数量 {cells('new')}", SEP8,
        f"| 二、上年结转政府信息公开申请数量 {cells('carried_in')}",
        f"| （一）予以公开 {cells('open')}", "",
        "（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）", cells("partial"), SEP7,
        *(f"| {schema.load('2021').table('t3').row(r).label} {cells(r)}" for r in (
            "denied.state_secret", "denied.law_forbidden", "denied.three_safety", "denied.third_party",
            "denied.internal", "denied.process", "denied.enforcement", "denied.query", "unable.not_held",
            "unable.need_create", "unable.unclear", "rejected.complaint", "rejected.repeat",
            "rejected.publication", "rejected.mass_repeat")),
        cells("rejected.confirm"), SEP7,
        f"| 行政机关不再处理其政府信息公 {cells('other.no_correction')}", SEP8, "", "（六）其", "他处理", "— 5 —",
        f"| 缴纳费用、 | 行政机关不再处理其政 {cells('other.no_fee')}",
        f"| 3.其他 {cells('other.other')}", f"| （七）总计 {cells('result_total')}",
        "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    ])
    text = KEWEI_LIKE.split("三、收到和处理")[0] + "三、收到和处理政府信息公开申请情况\n" + rows + "\n\n四、" \
        + KEWEI_LIKE.split("\n四、", 1)[1]
    fields = read_md(tmp_path, text)
    assert_t3(fields, {**T3, "carried_out": [1, 0, 0, 0, 0, 0, 1]})
    assert "placed by row order" in fields["t3.rejected.confirm.total"].origin.en
    assert fields["t3.rejected.mass_repeat.total"].origin is None
    assert "t3" not in fields.not_assessable


def test_a_blank_cell_in_a_placed_row_stays_blank():
    """A bare row with a blank cell: that column's sum cannot be evaluated, the others confirm the row,
    and the blank is kept (never 0)."""
    t = schema.load("2021").table("t3")
    rows = [[r.full_label, *map(str, T3[r.id])] for r in t.rows if r.id in T3 and r.id != "carried_out"]
    i = next(k for k, r in enumerate(rows) if r[0].startswith("（二）部分公开"))
    rows[i] = ["2", "0", "0", "0", "0", "", "2"]
    doc = document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + rows[:i]), grid([rows[i]]),
                   grid(rows[i + 1:]), year=2022)
    fields = extract(doc)
    assert fields["t3.partial.other"].kind is ValueKind.BLANK and fields["t3.partial.other"].value is None
    assert fields.number("t3.partial.natural") == 2 and fields.number("t3.partial.total") == 2
    assert "placed by row order" in fields["t3.partial.natural"].origin.en
    assert "T3-COL-SUM[col=other]" not in fields.identities_used  # blank: that column says nothing


def test_a_bare_row_no_identity_crosses_is_not_placed():
    """表二's rows have no identity across rows: a bare row there is never placed, however certain the
    count looks."""
    t2 = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "0", "0", "0"],
          ["3", "1", "20"], ["信息内容", "本年处理决定数量"], ["行政许可", "12"]]
    fields = extract(document(para("二、主动公开政府信息情况"), grid(t2), year=2022))
    assert fields["t2.norm.issued"].kind is ValueKind.UNREADABLE
    assert fields.number("t2.reg.issued") == 0 and fields.number("t2.license.decisions") == 12
    assert "without a label" in fields.not_assessable["t2"].en


def test_a_lost_column_is_not_guessed(tmp_path):
    """A row of 表二 that lost one of its three cells in the conversion (the figure gone to loose text)."""
    text = KEWEI_LIKE.replace("| 规范性文件 | 6 | 1 | 30 |", "| 规范性文件 | 6 | 30 |\n\n1")
    fields = read_md(tmp_path, text)
    assert all(fields[f"t2.norm.{c}"].kind is ValueKind.UNREADABLE for c in ("issued", "repealed", "in_force"))
    assert fields.number("t2.reg.in_force") == 0
    assert_t3(fields)


@pytest.mark.parametrize("name", ["shanghai-kewei-2024.md", "shanghai-office-2025.md"])
def test_shared_conversions_read_every_expected_cell(name):
    import yaml

    from pathlib import Path

    path = shared_file(REAL / name)
    expected = yaml.safe_load((Path(__file__).parent / "real" / f"{name}.reading.yaml").read_text(encoding="utf-8"))
    fields = pipeline.extract(pipeline.read(path))
    for fid, want in expected["cells"].items():
        got = fields[fid]
        if want is None:
            assert got.kind is ValueKind.BLANK, fid
        else:
            assert got.is_number and got.value == want, (fid, got)


SPLIT_BLOCK = "\n".join([
    f"| 6.属于四类过程性信息 {cells('denied.process')}",
    f"| 7.属于行政执法案卷 {cells('denied.enforcement')}",
    f"| 8.属于行政查询事项 {cells('denied.query')}",
])


def test_label_rows_then_number_rows(tmp_path):
    """A fragment of three labels with no cells, then a fragment of their three rows of numbers: each
    label stands for the row its numbers are, in order (never read as blank rows)."""
    labels_then_numbers = "\n".join([
        "| 6.属于四类过程性信息 |", "| 7.属于行政执法案卷 |", "| 8.属于行政查询事项 |", "", "— 4 —", "",
        cells("denied.process"), SEP7, cells("denied.enforcement"), cells("denied.query")])
    assert SPLIT_BLOCK in KEWEI_LIKE
    fields = read_md(tmp_path, KEWEI_LIKE.replace(SPLIT_BLOCK, labels_then_numbers))
    assert_t3(fields)
    assert "placed by row order" in fields["t3.denied.process.natural"].origin.en
    assert "t3" not in fields.not_assessable


def test_label_rows_then_too_few_number_rows(tmp_path):
    """As above with one row of numbers lost: the three rows are unreadable (not blank, not absent)."""
    labels_then_numbers = "\n".join([
        "| 6.属于四类过程性信息 |", "| 7.属于行政执法案卷 |", "| 8.属于行政查询事项 |", "",
        cells("denied.process"), SEP7, cells("denied.query")])
    fields = read_md(tmp_path, KEWEI_LIKE.replace(SPLIT_BLOCK, labels_then_numbers))
    for rid in ("denied.process", "denied.enforcement", "denied.query"):
        assert fields[f"t3.{rid}.total"].kind is ValueKind.UNREADABLE, rid
    assert "t3" not in fields.missing_rows
    assert fields.not_assessable["t3"].en.count("without a label") == 1
    assert not any(v.is_number and v.value != want for fid, want in
                   ((f"t3.{r}.{c}", x) for r, vals in T3.items() for c, x in zip(COLS, vals))
                   for v in [fields[fid]])


def test_a_label_row_of_blank_cells_stays_blank():
    """A label whose row has blank cells is a blank row, not a label waiting for numbers elsewhere."""
    t = schema.load("2021").table("t3")
    rows = [[r.full_label, *map(str, T3[r.id])] for r in t.rows if r.id in T3 and r.id != "carried_out"]
    i = next(k for k, r in enumerate(rows) if r[0].endswith("属于行政执法案卷"))
    rows[i] = [rows[i][0]] + [""] * 7
    fields = extract(document(para("三、收到和处理政府信息公开申请情况"), grid(t3_header() + rows), year=2022))
    assert all(fields[f"t3.denied.enforcement.{c}"].kind is ValueKind.BLANK for c in COLS)
    assert fields["t3.denied.enforcement.natural"].origin is None


def _random_t3(rng) -> dict[str, list[int]]:
    t = schema.load("2021").table("t3")
    ids = [r.id for r in t.rows if not r.optional]
    results = ids[2:ids.index("result_total")]
    out: dict[str, list[int]] = {}
    for rid in ids:
        if rid == "result_total":
            out[rid] = [sum(out[r][k] for r in results) for k in range(6)]
        elif rid == "carried_out":
            out[rid] = [rng.choice([0, 0, 1, 2]) for _ in range(6)]
        else:
            out[rid] = [rng.choice([0, 0, 0, 1, 2, 5, 13]) for _ in range(6)]
    for k in range(6):
        out["new"][k] = out["result_total"][k] + out["carried_out"][k] - out["carried_in"][k]
        if out["new"][k] < 0:
            out["carried_in"][k] += -out["new"][k]
            out["new"][k] = 0
    return {r: [*v, sum(v)] for r, v in out.items()}


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_with_labels_lost_are_never_read_wrong(seed):
    """Random 表三 tables whose rows lose their labels at random, each bare row a fragment of its own and
    the header at times repeated after it (some stretches also lose a row of numbers, or gain a stray one): a cell is read right or not at all; with nothing lost or gained every
    cell is read."""
    import random

    rng = random.Random(seed)
    values = _random_t3(rng)
    t = schema.load("2021").table("t3")
    rows, bare = [], []
    for r in t.rows:
        if r.id not in values:
            continue
        cells_ = [str(v) for v in values[r.id]]
        if rng.random() < 0.35:
            rows.append(("bare", r.id, cells_))
        else:
            rows.append(("label", r.id, [r.full_label, *cells_]))
    damaged = rng.random() < 0.4
    if damaged:
        at = rng.randrange(len(rows))
        if rows[at][0] == "bare" and rng.random() < 0.5:
            del rows[at]
        else:
            rows.insert(at, ("bare", None, [str(rng.choice([0, 1, 3])) for _ in range(7)]))
    blocks, chunk = [para("三、收到和处理政府信息公开申请情况")], t3_header()
    for kind, _, cells_ in rows:
        if kind == "bare":  # its own fragment, as a conversion makes it; the next may repeat the header
            blocks += [grid(chunk), grid([cells_])] if chunk else [grid([cells_])]
            chunk = t3_header() if rng.random() < 0.3 else []
        else:
            chunk.append(cells_)
    if chunk:
        blocks.append(grid(chunk))
    fields = extract(document(*blocks, year=2022))
    read = 0
    for rid, want in values.items():
        for col, v in zip(COLS, want):
            got = fields[f"t3.{rid}.{col}"]
            if got.is_number:
                assert got.value == v, (seed, rid, col, got.value, v)
                read += 1
    if not damaged:
        assert read == 7 * len(values), seed


def _markdown_t3(rng, values, below: float = 0.0) -> str:
    """表三 as a PDF → markdown conversion might give it: labelled rows in pipe-table fragments; bare rows
    in fragments of their own; their labels wrapped over loose text lines, emitted before their numbers,
    or held back and emitted after a later fragment (out of step), or (``below``) right under their
    numbers, above the next fragment's; page numbers between fragments."""
    t = schema.load("2021").table("t3")
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "商业企业科研机构",
             "| 信息内容 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
             "|---|---|---|---|---|---|---|---|"]
    pending: list[str] = []
    open_table = True

    def flush():
        nonlocal pending
        if pending:
            lines.append("")
            for label in pending:
                lines.extend(label[k:k + 11] for k in range(0, len(label), 11))
            pending = []

    for r in t.rows:
        if r.id not in values:
            continue
        row = " | ".join(str(v) for v in values[r.id])
        if rng.random() < 0.35:
            pending.append(r.full_label)
            after = rng.random() < below
            if not after and rng.random() < 0.6:
                flush()
            lines += ["", f"| {row} |", "|---|---|---|---|---|---|---|"]
            if after:
                flush()
            open_table = False
            if rng.random() < 0.2:
                lines += [f"— {rng.randint(2, 9)} —"]
        else:
            if not open_table:
                flush()
                lines.append("")
            lines.append(f"| {r.full_label} | {row} |")
            open_table = True
    flush()
    return "\n".join(["2023年某县某局政府信息公开工作年度报告", "", "一、总体情况", "全年依法做好公开工作。", "",
                      *lines, "", "四、政府信息公开行政复议、行政诉讼情况", "| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 "
                      "| 0 | 0 | 0 | 0 | 0 |", "", "五、存在的主要问题及改进情况", "问题与改进如下。", "",
                      "六、其他需要报告的事项", "无。", ""])


@pytest.mark.parametrize("seed", range(12))
def test_random_markdown_conversions_are_never_read_wrong(tmp_path, seed):
    import random

    rng = random.Random(1000 + seed)
    values = _random_t3(rng)
    fields = read_md(tmp_path, _markdown_t3(rng, values, below=0.3 if seed % 2 else 0.0))
    for rid, want in values.items():
        for col, v in zip(COLS, want):
            got = fields[f"t3.{rid}.{col}"]
            assert not got.is_number or got.value == v, (seed, rid, col, got.value, v)


@pytest.mark.parametrize("seed", range(8))
def test_random_markdown_with_the_next_rows_label_above_the_numbers(tmp_path, seed):
    """A conversion that puts the next row's label right above a row's numbers (and the row's own label
    under them): the label on the lines above is a hint the order must agree with, never taken alone."""
    import random

    rng = random.Random(5000 + seed)
    values = _random_t3(rng)
    rows = [r for r in schema.load("2021").table("t3").rows if r.id in values]
    lines = ["三、收到和处理政府信息公开申请情况",
             "| 信息内容 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    for k, r in enumerate(rows):
        row = " | ".join(str(v) for v in values[r.id])
        if rng.random() < 0.35:
            nxt = [rows[k + 1].full_label] if k + 1 < len(rows) and rng.random() < 0.5 else []
            lines += ["", *nxt, f"| {row} |", "|---|---|---|---|---|---|---|", "", r.full_label, ""]
        else:
            lines.append(f"| {r.full_label} | {row} |")
    text = "\n".join(["2023年某局政府信息公开工作年度报告", "", "一、总体情况", "全年情况如下。", "", *lines, "",
                      "五、存在的主要问题及改进情况", "问题与改进如下。", ""])
    fields = read_md(tmp_path, text)
    for rid, want in values.items():
        for col, v in zip(COLS, want):
            got = fields[f"t3.{rid}.{col}"]
            assert not got.is_number or got.value == v, (seed, rid, col, got.value, v)
