"""Property-based tests (hypothesis) of the text normaliser, the number parsers and the flattened-table
parser: no exception but the documented ones on any input, and the round trips that hold.

Fixture text is drawn from small alphabets of the characters reports use (CJK, full-width forms, the
space family, table punctuation) mixed with arbitrary Unicode, so the examples hit the rules' edges.
"""
from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from audit.ingest import normalize
from audit.ingest.normalize import is_blank, join_wrapped, normalize_cell, normalize_text
from audit.model import Source, Table, ValueKind
from audit.tables import values
from audit.tables.schema import AMOUNT, COUNT, SIGNED

#: this module's settings, applied per test (a loaded profile would change every module's)
_S = settings(max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])

REPORT_CHARS = ("一二三四五六七八九十零〇两百千万总计结果维持予以公开申请件条项元万元年月日"
                "（）()【】《》“”、，。：；！？—–-－/／\\|·…%％＋+=＝.．,，"
                "０１２３４５６７８９ＡＢａｂ0123456789abcXYZ"
                " \u00a0\u3000\u2002\u2009\u200b\ufeff\t\n\r\f")
report_text = st.text(alphabet=st.sampled_from(REPORT_CHARS), max_size=80)
any_text = st.one_of(report_text, st.text(max_size=60))
FULL = {ord(d): ord(d) + 0xFEE0 for d in "0123456789"}


# ---------------------------------------------------------------------------------------- normaliser


@given(any_text)
@example("结 果 维 持")
@example("（ 一 ）\t 予以公开")
@example("1，234．5")
@_S
def test_normalize_text_is_idempotent_and_keeps_structure(s):
    once = normalize_text(s, t2s=False)
    assert normalize_text(once, t2s=False) == once
    # tabs and newlines are table cells and lines: never added, never removed
    assert once.count("\t") == s.count("\t")
    assert once.count("\n") == s.count("\n")
    assert not any(ch in once for ch in "\u00a0\u3000\u200b\ufeff０１２３４５６７８９")
    for line in once.split("\n"):
        for part in line.split("\t"):
            assert part == part.strip(" ") and "  " not in part


@given(any_text)
@_S
def test_normalize_text_with_traditional_conversion_never_fails(s):
    out = normalize_text(s, t2s=True)
    assert out.count("\n") == s.count("\n")


@given(any_text)
@example("（0\r)")  # found on a fresh machine: a break cut "（0)" whose parentheses only normalise whole
@_S
def test_normalize_cell_is_one_line_and_idempotent(s):
    cell = normalize_cell(s)
    assert "\n" not in cell and "\t" not in cell and "\r" not in cell
    assert normalize_cell(cell) == cell


@given(st.integers(min_value=0, max_value=10**12))
@_S
def test_full_width_digits_normalise_to_ascii(n):
    assert normalize_text(str(n).translate(FULL)) == str(n)
    assert normalize_text(f"{n:,}".replace(",", "，").translate(FULL)) == f"{n:,}"


@given(any_text)
@_S
def test_line_helpers_never_fail(s):
    for f in (normalize.is_blank, normalize.is_page_number, normalize.ends_sentence, normalize.starts_item,
              normalize.is_heading_like):
        assert f(s) in (True, False)
    assert is_blank(s) == (not s.translate(normalize._SPACE_TABLE).strip())


@given(st.lists(report_text, max_size=6))
@_S
def test_join_wrapped_keeps_every_non_space_character(pieces):
    joined = join_wrapped(pieces)
    assert "".join(joined.split()) == "".join("".join(p.split()) for p in pieces)


# ------------------------------------------------------------------------------------- number parser


def _grouped(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", "+", "-"]),
       st.sampled_from(["plain", "grouped", "full", "full_grouped", "spaced"]))
@example(0, "-", "plain")
@example(1234567, "", "full_grouped")
@_S
def test_counts_round_trip_in_every_spelling(n, sign, spelling):
    text = {"plain": str(n), "grouped": _grouped(n), "full": str(n).translate(FULL),
            "full_grouped": _grouped(n).translate(FULL).replace(",", "，"),
            "spaced": f"\u3000 {n}\u00a0"}[spelling]
    parsed = values.parse(sign + text, SIGNED)
    assert parsed.kind is ValueKind.NUMBER
    assert parsed.value == (-n if sign == "-" else n)
    assert isinstance(parsed.value, int)
    assert values.parse(sign.replace("-", "−") + text, COUNT).value == (-n if sign == "-" else n)


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False,
                   allow_infinity=False), st.sampled_from(["", "万元", "元"]))
@_S
def test_amounts_round_trip_exactly_with_their_unit(d, unit):
    text = format(d, "f")
    parsed = values.parse(text + unit, AMOUNT, unit="万元")
    assert parsed.kind is ValueKind.NUMBER
    assert parsed.value == d and isinstance(parsed.value, Decimal)
    assert parsed.unit == (unit or "万元")
    grouped = values.parse(f"{d:,f}", AMOUNT)
    assert grouped.value == d


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
@_S
def test_a_fraction_in_a_count_is_kept_as_written(n, frac):
    parsed = values.parse(f"{n}.{frac:02d}", COUNT)
    assert parsed.kind is ValueKind.NUMBER and parsed.value == Decimal(f"{n}.{frac:02d}")


@given(any_text, st.sampled_from([COUNT, SIGNED, AMOUNT]))
@example("l2", COUNT)
@example("O", COUNT)
@example("1,23", COUNT)
@example("--", COUNT)
@example("1e5", AMOUNT)
@example("NaN", AMOUNT)
@example("１２,３４５", COUNT)
@_S
def test_any_cell_text_has_exactly_one_meaning(s, type_):
    p = values.parse(s, type_)
    assert isinstance(p.kind, ValueKind) and p.kind is not ValueKind.MISSING
    if p.kind is ValueKind.NUMBER:
        assert isinstance(p.value, (int, Decimal))
        assert any(ch.isdigit() for ch in values.clean(s))
    else:
        assert p.value is None  # a blank, a dash, 无 or letters are never silently 0
    if not values.clean(s):
        assert p.kind is ValueKind.BLANK


@given(st.lists(st.integers(min_value=0, max_value=10**5), min_size=1, max_size=7))
@_S
def test_run_together_digits_split_back_into_the_cells(cells):
    """Crawled rows run their cells together; the cells written are always among the ways found."""
    run = "".join(map(str, cells))
    ways = values.splits([run], len(cells), limit=500)
    # the written cells are among the ways, unless the ways ran past the limit (then the row is
    # unreadable anyway: documented)
    assert [str(c) for c in cells] in ways or len(ways) == 500
    for w in ways:
        assert "".join(w) == run and len(w) == len(cells)


def _reference_splits(parts: list[str], n: int) -> list[list[str]]:
    """The plain enumeration of every cut (exponential: for short runs only)."""
    def cut(run, k):
        if k == 1:
            if values._single(run):
                yield [run]
            return
        for i in range(1, len(run)):
            if values._head_ok(run, i):
                for rest in cut(run[i:], k - 1):
                    yield [run[:i], *rest]

    def go(i, left):
        if i == len(parts):
            if left == 0:
                yield []
            return
        for k in range(1, left + 1):
            for c in cut(parts[i], k):
                for rest in go(i + 1, left - k):
                    yield c + rest

    return list(go(0, n))


@given(st.lists(st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{1,2})?", fullmatch=True), min_size=1, max_size=3),
       st.integers(min_value=1, max_value=7))
@_S
def test_splits_are_every_cut_in_order(parts, n):
    assert values.splits(parts, n, limit=10**6) == _reference_splits(parts, n)


@given(st.integers(min_value=25, max_value=5000), st.integers(min_value=2, max_value=15))
@settings(_S, max_examples=20)
def test_splits_of_a_long_run_stop_at_the_limit(length, n):
    """A crawled row with a very long run of digits: the search ends (it used to enumerate every cut)."""
    ways = values.splits(["1" * length], n, limit=50)
    assert len(ways) <= 50
    assert all(len(w) == n and all(len(c) <= values.MAX_CELL_CHARS for c in w) for w in ways)
    assert bool(ways) == (length <= n * values.MAX_CELL_CHARS)


@given(st.lists(st.text(alphabet="0123456789-.", min_size=1, max_size=12), min_size=1, max_size=4),
       st.integers(min_value=1, max_value=12))
@_S
def test_splits_never_fail_and_stay_bounded(parts, n):
    ways = values.splits(parts, n, limit=200)
    assert len(ways) <= 200
    for w in ways:
        assert len(w) == n


# ------------------------------------------------------------------------------ Chinese numerals (claims)


@given(st.integers(min_value=0, max_value=99_999_999), st.sampled_from(["件", "条", "项", "起", "个"]),
       st.text(alphabet="本年共收到申请，。", max_size=6))
@_S
def test_chinese_numerals_before_a_unit_become_digits(n, unit, prefix):
    import cn2an

    from audit.checks.claims import arabic

    assume(not prefix.endswith("第"))
    text = prefix + cn2an.an2cn(n) + unit
    out, where = arabic(text)
    assert out == prefix + str(n) + unit
    assert len(where) == len(out)
    assert where == sorted(where) and all(0 <= i < len(text) for i in where)
    assert text[where[-1]] == unit


@given(any_text)
@example("十万万件")
@example("零零零件")
@example("两千零十件")
@_S
def test_chinese_numeral_reading_never_fails(s):
    from audit.checks.claims import arabic

    out, where = arabic(s)
    assert len(where) == len(out)


# --------------------------------------------------------------------------------- flattened tables


def _src(text: str) -> Source:
    return Source.from_bytes("t.txt", text.encode("utf-8"), "txt", "utf-8")


cell_text = st.text(alphabet=st.sampled_from("总计申请结果维持予以公开其他0123456789—/.-"), min_size=1, max_size=8)


@given(st.integers(min_value=2, max_value=8).flatmap(
    lambda w: st.lists(st.lists(cell_text, min_size=w, max_size=w), min_size=1, max_size=12)),
    st.sampled_from(["tab", "pipe"]))
@example([["—", "0", "—"]], "tab")  # was read as the page number “— 0 —”
@example([["0", "0", "0"], ["—", "0", "—"]], "tab")
@_S
def test_a_flattened_table_reads_back_as_its_grid(grid, style):
    from audit.ingest.text import parse_text

    if style == "tab":
        lines = ["\t".join(row) for row in grid]
    else:
        lines = ["| " + " | ".join(row) + " |" for row in grid]
    text = "前言段落。\n\n" + "\n".join(lines) + "\n\n结束段落。\n"
    doc = parse_text(text, _src(text))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 1, [type(b).__name__ for b in doc.blocks]
    assert tables[0].grid() == [[normalize_cell(c) for c in row] for row in grid]
    assert [b.text for b in doc.paragraphs] == ["前言段落。", "结束段落。"]


@given(st.text(alphabet=st.sampled_from(REPORT_CHARS + "|#"), max_size=400))
@settings(_S, max_examples=100)
def test_any_text_parses_into_blocks(text):
    from audit.ingest.text import parse_text

    doc = parse_text(text, _src(text))
    assert doc.page_count >= 1
    for b in doc.blocks:
        if isinstance(b, Table):
            widths = {len(r) for r in b.rows}
            assert len(widths) == 1  # a rectangular grid
        else:
            assert b.text and b.lines


@given(st.binary(max_size=300), st.sampled_from([None, "utf-8", "gbk", "utf-16", "x-unknown", "latin-1"]))
@example(b"\xef\xbb\xbf\xff", None)
@example(b"\xff\xfe\x00", None)
@example(b"<meta charset=utf-8>" + "报告".encode("gbk"), "utf-8")
@_S
def test_decode_gives_text_or_unsupported(data, declared):
    from audit.errors import UnsupportedType
    from audit.ingest.text import decode

    try:
        text, enc = decode(data, declared)
    except UnsupportedType:
        return
    assert isinstance(text, str) and isinstance(enc, str) and enc


@given(st.text(alphabet=st.sampled_from(REPORT_CHARS.replace("\r", "")), min_size=1, max_size=200),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"]))
@_S
def test_decode_round_trips_report_text(text, encoding):
    from audit.ingest.text import decode

    assume(any("\u4e00" <= ch <= "\u9fff" for ch in text) or encoding not in ("gb18030", "utf-16-le"))
    # GB18030 text as reports write it: enough Chinese, and its punctuation (whose bytes are never UTF-8;
    # a few characters such as 十 are, so a text of only those would read as UTF-8)
    assume(encoding != "gb18030" or (sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= max(2, len(text) // 10)
                                     and ("。" in text or "，" in text)))
    # UTF-16 without a BOM is told by the NUL bytes of its ASCII characters (digits, line breaks): more
    # than a quarter of the bytes
    assume(encoding != "utf-16-le" or (len(text) >= 8 and sum(ch < "\x80" for ch in text) * 3 >= len(text) * 2
                                       and "\x00" not in text))
    data = text.encode(encoding)
    got, enc = decode(data)
    assert got.lstrip("\ufeff") == text.lstrip("\ufeff"), (enc, got)


