"""What the tables stage tells a reader, in both memo languages (``audit.model.Text``).

Every reason a table cannot be assessed, every layout variant and note the extraction records is made
here, so the wording of the stage is in one place. Rows and columns are named by their labels as the
format prints them (report text: the same in both languages), never by field id.
"""
from __future__ import annotations

from audit.model import Text
from audit.tables.schema import ColumnSchema, RowSchema, TableSchema

SHOWN_ROWS = 3  # rows named in a reason that lists rows; the rest counted
_ARABIC = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6"}


def table(t: TableSchema) -> Text:
    """表三 / Table 3."""
    return Text(f"表{t.number}", f"Table {_ARABIC.get(t.number, t.number)}")


def row(r: RowSchema) -> Text:
    return Text(f"“{r.full_label}”行", f"row “{r.full_label}”")


def _labels(labels: list[str]) -> Text:
    return Text("、".join(f"“{x}”" for x in labels), ", ".join(f"“{x}”" for x in labels))


def row_labels(t: TableSchema, ids) -> Text:
    known = {r.id: r.full_label for r in t.rows}
    return _labels([known.get(r, r) for r in ids])


def column_labels(cols: list[ColumnSchema]) -> Text:
    return _labels([c.label for c in cols])


def in_table(t: TableSchema, what: Text) -> Text:
    """“表三“…”行” / “Table 3, row “…””."""
    return Text(table(t).zh + what.zh, f"{table(t).en}, {what.en}")


def run_together(where: Text, run: str, ways: int, cells: int) -> Text:
    """A run of digits written together that does not cut into the cells one way only."""
    shown = " ".join(run.split())
    short = len(shown) > 60
    zh_run = f"{shown[:40]}…（共{len(shown)}个字符）" if short else shown
    en_run = f"{shown[:40]}…({len(shown)} characters)" if short else shown
    return Text(
        f"{where.zh}：连写的数字“{zh_run}”" + (f"拆成{cells}个单元格有{ways}种拆法，无法确定" if ways
                                            else f"无法拆成{cells}个单元格"),
        f"{where.en}: the run-together digits “{en_run}” split " + (f"{ways} ways" if ways else "no way")
        + f" into {cells} cells")


def values_for_columns(r: RowSchema, values: int, columns: int) -> Text:
    return Text(f"“{r.full_label}”行：{values}个数值对应{columns}列，无法确定各值所属的列",
                f"row “{r.full_label}”: {values} values for {columns} columns")


def cells_for_fields(cells: int, fields: int) -> Text:
    return Text(f"{cells}个数值单元格对应{fields}个字段，无法区分各栏",
                f"{cells} value cells for {fields} fields; blocks cannot be told apart")


def unlabelled_rows(t: TableSchema, count: int, covered: list[str], why: Text | None = None) -> Text:
    names = row_labels(t, covered)
    if why is not None:
        return Text(f"{count}行数字没有行标签，按行序对应未获表内关系证实（{why.zh}）：{names.zh}未读取",
                    f"{count} row(s) of numbers without a label, their placing by row order not confirmed "
                    f"({why.en}): {names.en} not read")
    return Text(f"{count}行数字没有行标签，不按位置对应到行：{names.zh}未读取",
                f"{count} row(s) of numbers without a label, not tied to a row by position: {names.en} not read")


def _identities(t: TableSchema, idents) -> tuple[list[str], list[str]]:
    """Identities (``resolve.Identity``) by rule title and the columns or rows they were bound to."""
    by_rule: dict[str, tuple[Text, list[str]]] = {}
    for i in idents:
        title, where = by_rule.setdefault(i.rule, (i.title, []))
        where.extend(_binding_label(t, k, v) for k, v in i.binding)
    zh, en = [], []
    for title, where in by_rule.values():
        at = list(dict.fromkeys(where))
        zh.append(f"“{title.zh}”" + (f"（{'、'.join(at)}）" if at else ""))
        en.append(f"“{title.en}”" + (f" ({', '.join(at)})" if at else ""))
    return zh, en


def placed_by_order(t: TableSchema, idents) -> Text:
    """A value's origin: a row of numbers without a label placed by the order of the official rows."""
    zh, en = _identities(t, idents)
    return Text(f"无行标签的数字行按行序对应（该段数字行数与未对应的行数相同），经表内关系{'及'.join(zh)}证实",
                f"placed by row order (as many unlabelled rows of numbers as rows left between their labelled "
                f"neighbours), confirmed by {' and '.join(en)}")


def placed_rows(t: TableSchema, rows, origin: Text) -> Text:
    names = row_labels(t, rows)
    return Text(f"{table(t).zh}{names.zh}：{origin.zh}；所用关系不能作为这些行正确的证据",
                f"{table(t).en}, rows {names.en}: {origin.en}; those identities are no evidence for these rows")


def order_refuted(t: TableSchema, idents) -> Text:
    zh, en = _identities(t, idents)
    return Text(f"表内关系{'及'.join(zh)}不成立", f"{' and '.join(en)} not holding")


def order_unconfirmed(t: TableSchema, rows) -> Text:
    names = row_labels(t, rows)
    return Text(f"{names.zh}不在任何可核对的跨行关系中", f"{names.en} in no cross-row identity that can be evaluated")


def not_found(t: TableSchema, has_grid: bool) -> Text:
    return Text(
        f"正文中未找到{table(t).zh}（{t.title}）" + ("（其表格没有可读的行）" if has_grid else "；可能以图片形式发布"),
        f"{table(t).en} (“{t.title}”) not found in the text"
        + (" (its grid has no readable rows)" if has_grid else "; it may be published as an image"))


def header_only(t: TableSchema) -> Text:
    return Text(f"{table(t).zh}只有表头、没有数值行；各单元格均按空白读取",
                f"{table(t).en}: its header has no value row; every cell read as blank")


def loose_rows(t: TableSchema, rows) -> Text:
    names = row_labels(t, rows)
    return Text(f"{names.zh}从表格旁的零散文字行读取", f"rows {names.en} read from loose lines of text beside the table")


def cell_counts(t: TableSchema, rows: list[tuple[RowSchema, int, int]]) -> Text:
    """Rows of a cell list whose label is followed by another number of cells than the row has columns."""
    shown, more = rows[:SHOWN_ROWS], len(rows) - SHOWN_ROWS
    zh = "；".join(f"“{r.full_label}”行后有{got}个单元格，该行有{want}列" for r, got, want in shown)
    en = "; ".join(f"row “{r.full_label}”: {got} cells for {want} columns" for r, got, want in shown)
    if more > 0:
        zh, en = zh + f"；另有{more}行同样", en + f"; {more} more row(s) alike"
    return Text(f"{table(t).zh}（逐格分行、无行分隔的单元格列表）：{zh}；无法确定各单元格所属的列，未读取",
                f"{table(t).en} (a one-cell-per-line list without row boundaries): {en}; which cell belongs to "
                "which column cannot be told, not read")


def padding_column(t: TableSchema, k: int) -> Text:
    """A cell list whose every row ends in k blank cells beyond the form's columns (the page's padding)."""
    return Text(f"{table(t).zh}：每行末尾多出{k}个空白单元格（网页表格的留白列），已略去",
                f"{table(t).en}: every row ends in {k} blank cell(s) beyond the form's columns (the page's padding "
                "column), dropped")


def from_cell_stream(t: TableSchema) -> Text:
    return Text(f"{table(t).zh}从逐格分行、无行分隔的单元格列表读取：每个行标签后按该行列数取单元格（空白单元格也计数）",
                f"{table(t).en} read from a one-cell-per-line list without row boundaries: each row label "
                "followed by as many cells as the row has columns (blank cells counted)")


def from_running_text(t: TableSchema) -> Text:
    return Text(f"{table(t).zh}从正文读取（单元格数字连写）",
                f"{table(t).en} read from running text (cells run together)")


def identity_text(t: TableSchema) -> Text:
    """The row identity (总计 = 自然人 + …) by column labels."""
    zh = "；".join(f"{t.column(total).label} = {' + '.join(t.column(x).label for x in terms)}"
                  for total, terms in t.row_identity)
    return Text(zh, "; ".join(f"{t.column(total).label} = {' + '.join(t.column(x).label for x in terms)}"
                              for total, terms in t.row_identity))


def identity_chosen(t: TableSchema, rows) -> Text:
    names = row_labels(t, rows)
    ident = identity_text(t)
    return Text(f"{table(t).zh}：{names.zh}的连写数字按行内关系（{ident.zh}）拆分；该关系不能作为这些行正确的证据",
                f"{table(t).en}: digit splits of {names.en} chosen by the row identity ({ident.en}); "
                "that identity is not evidence for these rows")


def amount_unit(t: TableSchema, r: RowSchema, c: ColumnSchema, written: str) -> Text:
    return Text(f"{table(t).zh}“{r.full_label}”行“{c.label}”列：金额以{written}填写，表头单位为{c.unit}（按原样保留）",
                f"{table(t).en}, row “{r.full_label}”, column “{c.label}”: amount written in {written} under a "
                f"{c.unit} header (kept as written)")


def column_from_count(cols: list[ColumnSchema]) -> Text:
    names = column_labels(cols)
    return Text(f"{names.zh}列按单元格数量读出", f"{names.en} column read from the cell count")


def extra_columns(cols: list[ColumnSchema]) -> Text:
    names = column_labels(cols)
    return Text(f"多出的列：{names.zh}", f"extra column(s): {names.en}")


def superseded(t: TableSchema, r: RowSchema) -> Text:
    names = row_labels(t, r.replaces)
    return Text(f"“{r.label}”按已被取代的旧格式合为一行（现行格式分为{names.zh}）",
                f"“{r.label}” given as one row, the superseded layout of {names.en}")


def other_format(by_labels: str, by_year: str, year: int | None) -> Text:
    return Text(f"表格按{by_labels}年版格式编制；" + (f"{year}年度报告" if year else "报告年度") + f"应使用{by_year}年版格式",
                f"laid out in the {by_labels} format; " + (f"a {year} report" if year else "the report year")
                + f" calls for the {by_year} format")


def _binding_label(t: TableSchema, var: str, value: str) -> str:
    if var == "col" and value in {c.id for c in t.columns}:
        return t.column(value).label
    if value in {r.id for r in t.rows}:
        return t.row(value).full_label
    return value


def split_resolved(t: TableSchema, run) -> Text:
    """A value's origin: the one split of a run-together digit run that the body's figures and the table's
    identities allow (``run``: a ``resolve.DigitRun``)."""
    zh, en = [], []
    cols = dict(zip(run.fids, (c for _, c in run.pairs)))
    figures = [s for s in run.stated if s.outcome in ("consistent", "resolved")] if run.narrowed_by_text else []
    if figures:
        listed = [f"{cols[s.field].label} {s.value}" for s in figures]
        zh.append(f"正文所述数字（{'、'.join(listed)}）")
        en.append(f"the figures the body text states ({', '.join(listed)})")
    by_rule: dict[str, tuple[Text, list[str]]] = {}
    for i in run.identities:
        title, where = by_rule.setdefault(i.rule, (i.title, []))
        where.extend(_binding_label(t, k, v) for k, v in i.binding)
    for title, where in by_rule.values():
        at = list(dict.fromkeys(where))
        zh.append(f"表内关系“{title.zh}”" + (f"（{'、'.join(at)}）" if at else ""))
        en.append(f"the identity “{title.en}”" + (f" ({', '.join(at)})" if at else ""))
    return Text(f"连写的数字“{run.run}”按{'及'.join(zh)}拆分（唯一相符的拆法）",
                f"run-together digits “{run.run}” resolved by {' and '.join(en)} (the only split that fits)")


def split_note(t: TableSchema, where: Text, origin: Text) -> Text:
    return Text(f"{table(t).zh}{where.zh}：{origin.zh}；所用关系或数字不能作为该行正确的证据",
                f"{table(t).en}, {where.en}: {origin.en}; what chose the split is no evidence for these cells")
