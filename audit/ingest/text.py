"""Plain-text reports (.txt, markdown conversions, a crawler's dump of a web page) → ``Document``.

Text comes in every encoding a Chinese government office uses (UTF-8 with or without BOM, GB18030/GBK,
UTF-16); :func:`decode` finds which and the caller records it in ``Source.encoding``.

The structure has to be recovered from the lines:

- **paragraphs**: one line per paragraph separated by blank lines (text saved from Word), or lines
  hard-wrapped at a fixed width (a PDF converted to markdown), or the whole report on one line (a
  crawler's text of a web page, split here at its numbered headings);
- **page breaks**: a form feed or a running page number (“-4-”, “— 1 —”) ends a page; a sentence cut by a
  page break (a paragraph ending without sentence-final punctuation, then a blank line, then a line that
  is no heading or new item) is joined back: “…全” + “生命周期…” → “…全生命周期…”;
- **tables flattened into lines**: tab-separated lines (leading tabs are the positions of merged cells),
  markdown pipe tables, and lines of numbers set apart by two or more spaces each become one ``Table``
  grid. A blank line or a page number between rows does not end a table the next line continues.
- **a crawler's cell list**: many portals' pages scrape to one table cell per line, each followed by
  “ |” (“规章 |”, “56 |”); an empty cell is a lone “|”, and several empty cells may stand together on
  one line (“|||”) or after a cell (“第二十条第（一）项 | |||”): every “|” after the first closes one more
  (blank) cell. Two variants (:func:`_cell_lists`, :func:`_list_table`):

  - *with row markers*: a lone “|” line opens each row. Each row becomes a grid row of the cells it
    has (not padded: a row short of a cell stays short, and the tables stage finds it so), its empty
    cells blank cells (whether a run of them stood for cells left empty or for one merged cell cannot
    be told; blank either way). The list must open with a marker, and no row label may follow a value
    directly (that happens at every row boundary of the other variant). A lone “|” right after a
    marker (one empty cell opening a row, or an empty row) cannot be told from a second marker: it is
    read as an empty row, dropped, and said in the notes.
  - *without row markers*: nothing tells where a row ends, and this stage knows no table schema, so it
    does not guess: the cells go on in reading order as a ``Table`` with ``cell_stream`` set (one row
    holding them all), and the tables stage cuts them into rows by the row labels and column counts
    of the official tables.

``Span.line`` is the 1-based source line; ``Span.start``/``end`` are offsets into that line when a
crawler's line is split into several paragraphs.
"""
from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from audit.errors import UnsupportedType
from audit.ingest.normalize import (
    ends_sentence,
    is_blank,
    is_heading_like,
    is_page_number,
    is_traditional,
    join_wrapped,
    normalize_cell,
    normalize_text,
    starts_item,
)
from audit.model import Cell, Document, Line, Paragraph, Source, Span, Table
from audit.vocab import NUMERALS, STOPS

# ------------------------------------------------------------------------------------------ decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` announces, if any."""
    return next((enc for bom, enc in _BOMS if data.startswith(bom)), None)


def _looks_like_text(s: str) -> bool:
    """Few control characters: real text, not bytes forced through a codec."""
    if not s:
        return False
    bad = sum(1 for ch in s if ch < " " and ch not in "\t\n\r\f" or "\x7f" <= ch < "\xa0" or ch == "\ufffd")
    return bad <= max(2, len(s) // 200)


def _reads_as_chinese(s: str) -> bool:
    """Text decoded as GB18030 that is really Chinese: most of its CJK characters are common ones
    (in GB2312's repertoire). Big5 or Shift-JIS bytes read as GB18030 give rare characters instead."""
    cjk = [ch for ch in s if "\u4e00" <= ch <= "\u9fff"]
    if len(cjk) < max(2, len(s.strip()) // 10):
        return False
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(cjk)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding found).

    Order: a byte-order mark; an encoding the file declares (HTML ``<meta charset>``), unless it
    declares GBK/GB2312 for bytes that are valid UTF-8 (a template's stale declaration: GB18030 would
    read any bytes, as mojibake); UTF-16 without BOM (NUL bytes in every other position); strict
    UTF-8; GB18030 when it reads as Chinese text (GBK and GB2312 are subsets); UTF-8 with a few
    damaged bytes (each read as U+FFFD); lines in UTF-8 and lines in GB18030 (a file pasted together
    from two sources, encoding ``utf-8+gb18030``); charset-normalizer's best guess. Raises
    ``UnsupportedType`` for bytes that are no text in any of these.
    """
    enc = bom_encoding(data)
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:  # a BOM and then damaged text: fall through to detection
            if enc == "utf-8-sig":
                data = data[len(codecs.BOM_UTF8):]
    if declared:
        codec = _codec(declared)
        if codec and codec.startswith(("utf-16", "utf-32")):
            codec = "utf-8"  # declared in ASCII bytes, so not UTF-16 (as browsers read it)
        if codec == "gb18030" and not data.isascii() and _is_utf8(data):
            return data.decode("utf-8"), "utf-8"
        if codec:
            try:
                return data.decode(codec), codec
            except (UnicodeDecodeError, UnicodeError):
                text = _mostly(data, codec)  # a few damaged bytes in a page of the declared charset
                if text is not None and (codec != "gb18030" or _reads_as_chinese(text)):
                    return text, codec
                # else a wrong declaration, which is common: fall through to detection
    head = data[:4096]
    nuls = head.count(0) > len(head) // 4
    if nuls:  # before UTF-8: UTF-16 of ASCII text is valid UTF-8 too (with a NUL after every character)
        odd_nuls = head[1::2].count(0) > head[0::2].count(0)
        enc = "utf-16-le" if odd_nuls else "utf-16-be"
        try:
            text = data.decode(enc)
            if _looks_like_text(text):
                return text, enc
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not nuls:
        try:
            text = data.decode("gb18030")
            if _looks_like_text(text) and _reads_as_chinese(text):
                return text, "gb18030"
        except UnicodeDecodeError:
            pass
        for codec in ("utf-8", "gb18030"):  # a few damaged bytes in either
            text = _mostly(data, codec)
            if text is not None and (codec == "utf-8" or _reads_as_chinese(text)):
                return text, codec
        text = _mixed_lines(data) or _mixed_spans(data)
        if text is not None:
            return text, "utf-8+gb18030"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _looks_like_text(text):
            return text, codecs.lookup(best.encoding).name
    raise UnsupportedType("binary data, or text in no encoding a report uses (UTF-8, GB18030, UTF-16): "
                          "not a readable text, HTML, Word or PDF file")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly(data: bytes, codec: str) -> str | None:
    """Text in ``codec`` with a few damaged bytes (a crawler's cut, a stray stretch of another charset):
    at most one bad sequence per 20 non-ASCII characters for UTF-8 (GBK bytes read as UTF-8 fail on
    nearly every character), per 200 for GB18030 (which reads most byte pairs as some character), each
    read as U+FFFD."""
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text if ch > "\x7f") - bad
    share = 20 if codec == "utf-8" else 200  # GBK read as UTF-8 fails on nearly every character; GB18030 reads anything
    return text if wide and bad * share <= wide and _looks_like_text(text.replace("\ufffd", "")) else None


def _mixed_lines(data: bytes) -> str | None:
    """Lines in UTF-8 and lines in GB18030 in one file: each line read in the encoding it is valid in,
    when every non-UTF-8 line reads as Chinese text in GB18030."""
    lines = data.split(b"\n")
    out, gb = [], 0
    for ln in lines:
        try:
            out.append(ln.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            s = ln.decode("gb18030")
        except UnicodeDecodeError:
            return None
        if not (_looks_like_text(s) and _reads_as_chinese(s)):
            return None
        out.append(s)
        gb += 1
    return "\n".join(out) if 0 < gb < len(lines) else None


_FALLBACK = threading.local()  # the GB18030 characters the running _mixed_spans call read, per thread


def _gb18030_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    """A codec error handler: the bytes UTF-8 cannot read, read as one GB18030 character."""
    chunk = err.object[err.start:err.start + 2]
    try:
        ch = chunk.decode("gb18030")
    except UnicodeDecodeError:
        ch, chunk = "\ufffd", chunk[:1]
    _FALLBACK.pieces.append(ch)
    return ch, err.start + len(chunk)


codecs.register_error("audit-gb18030-fallback", _gb18030_fallback)


def _mixed_spans(data: bytes) -> str | None:
    """UTF-8 with stretches of GB18030 inside lines (a page put together from a GBK template and UTF-8
    content): each byte sequence that is no UTF-8 is read as GB18030, when those stretches read as
    Chinese text. (A GB18030 pair that happens to be valid UTF-8 inside such a stretch stays misread.)"""
    _FALLBACK.pieces = []
    text = data.decode("utf-8", errors="audit-gb18030-fallback")
    gb = "".join(_FALLBACK.pieces)
    _FALLBACK.pieces = []
    if not gb or gb.count("\ufffd") * 20 > len(gb) or not _reads_as_chinese(gb.replace("\ufffd", "")):
        return None
    return text if _looks_like_text(text.replace("\ufffd", "")) else None


def _codec(label: str) -> str | None:
    """A declared charset label → the Python codec to read it with (GB2312/GBK → their superset)."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    return "gb18030" if name in ("gb2312", "gbk", "gb18030", "hz") else name


# ------------------------------------------------------------------------------------ line classes


@dataclass
class _Row:
    """One source line (or a piece of a crawler's long line) with what it is."""

    kind: str  # text | blank | page | tab | tab_weak | pipe | pipe_weak | pipe_sep | spaced | fragment
    raw: str
    line: int
    page: int
    start: int | None = None
    end: int | None = None
    cells: list[str] | None = None

    @property
    def span(self) -> Span:
        return Span(page=self.page, line=self.line, start=self.start, end=self.end)


_PIPE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NUMBERISH = re.compile(r"^[-+−]?\d[\d,]*(\.\d+)?%?$|^[—–\-/／无]$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_FIELD_LINE = re.compile(r"^\s*[^\s:：，。]{1,8}\s*[:：]")
#: Where a crawler's run-together report is cut into paragraphs: before 一、…十、 and （一）…（十）
#: when they open a heading (after the start, a space, a sentence end or a table's last number),
#: never inside 第（一）项 or a word such as 统一、; and before the wording of a section heading or of a
#: fixed row group of table 三 whatever precedes it (“…73802895.90元三、收到和处理…”).
_RUN_SPLIT = re.compile(
    rf"(?:(?<=^)|(?<=[\s{STOPS}：:）)”\d]))(?=[{NUMERALS}]{{1,2}}、)"
    r"|(?<!第)(?=[（(][一二三四五六七八九十]{1,2}[）)](?!项))"
    r"|(?=[一二三四五六]、\s*(?:总体情况|主动公开政府信息|收到和处理|(?:因)?政府信息公开(?:工作)?(?:被申请)?行政法?复议"
    r"|(?:政府信息公开工作)?存在的主要问题|其他需要报告|本年新收|上年结转|本年度办\s*理结果|结转下年度))"
)
RUN_TOGETHER_MIN = 300  # a line this long holding numbered headings is a whole report on one line


def _classify(raw: str, line: int, page: int) -> _Row:
    if is_blank(raw):
        return _Row("blank", raw, line, page)
    cells = raw.rstrip("\r\n").split("\t") if "\t" in raw else None
    filled = sum(1 for c in cells if not is_blank(c)) if cells else 0
    if filled >= 2:  # before the page-number test: a row “—⇥0⇥—” is cells, not the page number “— 0 —”
        return _Row("tab", raw, line, page, cells=cells)
    if is_page_number(raw):
        return _Row("page", raw, line, page)
    stripped = raw.strip()
    if cells:
        return _Row("tab_weak", raw, line, page, cells=cells)
    if stripped.startswith("|"):
        if _PIPE_SEP.match(stripped):
            return _Row("pipe_sep", raw, line, page)
        inner = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
        # a line with one pipe, or none at its end, continues a wrapped cell of the row above
        strong = stripped.count("|") >= 2 and stripped.endswith("|")
        return _Row("pipe" if strong else "pipe_weak", raw, line, page, cells=inner.split("|"))
    cells = re.split(r"[ \u3000\u00a0]{2,}", stripped)
    if len(cells) >= 3:
        numeric = sum(1 for c in cells if _NUMBERISH.match(normalize_text(c)))
        if numeric >= 2 and numeric * 2 >= len(cells) - 1:
            return _Row("spaced", raw, line, page, cells=cells)
    return _Row("text", raw, line, page)


def _rows(text: str) -> list[_Row]:
    """Classify every line; form feeds and running page numbers advance the page."""
    rows: list[_Row] = []
    page = 1
    for n, raw in enumerate(text.split("\n"), 1):
        raw = raw.rstrip("\r")
        pieces = raw.split("\f")
        for k, piece in enumerate(pieces):
            if k:  # a form feed: a new page, unless a page number just closed the last one
                last = next((r for r in reversed(rows) if r.kind != "blank"), None)
                if not (last and last.kind == "page" and last.page == page - 1):
                    page += 1
            if k and not piece.strip():
                continue
            row = _classify(piece, n, page)
            if row.kind == "page":
                page += 1
            if row.kind == "text" and len(row.raw) >= RUN_TOGETHER_MIN:
                rows.extend(_split_run(row))
            else:
                rows.append(row)
    return rows


# ------------------------------------------------------------------------------------ cell lists

#: One cell of a crawler's cell list: its text (no “|” inside), then one “|” closing it and any number
#: of further “|”, each an empty cell (“第二十条第（一）项 | |||”); or pipes alone (“|”, “||”).
_CELL_LINE = re.compile(r"^([^|\t]*?)[ \u3000\u00a0]*((?:\|[ \u3000\u00a0]*)+)$")
_VALUE_CELL = re.compile(r"^[-+−]?\d[\d,]*(\.\d+)?(%|万元|元)?$|^[—–\-/／无]$")
CELL_LIST_MIN = 4  # text cells a run of cell lines needs to be a table (“项目 |” in prose is none)
MAX_CELL = 200  # a longer line is prose that happens to end in “|”


@dataclass
class _ListCell:
    text: str | None  # None for a run of pipes only
    blanks: int  # empty cells after the text (or, for pipes only, the pipes)
    row: _Row


def _list_cell(r: _Row) -> _ListCell | None:
    if r.kind in ("blank", "page") or "\t" in r.raw:
        return None
    stripped = r.raw.strip()
    if len(stripped) > MAX_CELL:
        return None
    m = _CELL_LINE.match(stripped)
    if not m:
        return None
    text, pipes = m.group(1).strip(), m.group(2).count("|")
    return _ListCell(text, pipes - 1, r) if text else _ListCell(None, pipes, r)


def _is_value(text: str) -> bool:
    return bool(_VALUE_CELL.match(normalize_text(text).replace(" ", "")))


def _cell_lists(rows: list[_Row]) -> dict[int, tuple[list[_ListCell], int]]:
    """Where a crawler's cell list starts → its cells and the index after it: every longest run of cell
    lines (blank lines and page numbers inside allowed) holding at least ``CELL_LIST_MIN`` text cells.
    One pass: a run too short holds no list starting later inside it either."""
    out: dict[int, tuple[list[_ListCell], int]] = {}
    i = 0
    while i < len(rows):
        if _list_cell(rows[i]) is None:
            i += 1
            continue
        cells: list[_ListCell] = []
        j = i
        while j < len(rows):
            c = _list_cell(rows[j])
            if c is not None:
                cells.append(c)
                j += 1
                continue
            k = j
            while k < len(rows) and rows[k].kind in ("blank", "page"):
                k += 1
            if k > j and k < len(rows) and _list_cell(rows[k]) is not None:
                j = k
                continue
            break
        if sum(1 for c in cells if c.text is not None) >= CELL_LIST_MIN:
            out[i] = (cells, j)
        i = j
    return out


def _has_markers(cells: list[_ListCell]) -> bool:
    """Rows opened by a lone “|”: the list opens with one, there are at least two, and no row label
    follows a value directly (in a list without markers that happens at every row boundary)."""
    lone = [c for c in cells if c.text is None and c.blanks == 1]
    if not cells or cells[0].text is not None or cells[0].blanks != 1 or len(lone) < 2:
        return False
    for a, b in zip(cells, cells[1:]):
        if a.text is not None and b.text is not None and _is_value(a.text) and not _is_value(b.text):
            return False
    return True


def _list_table(cells: list[_ListCell], t2s: bool, notes: list[str]) -> Table:
    """The cell list as a grid (rows opened by markers) or as a cell stream (no markers)."""
    from audit.ingest import make_table

    def out(text: str, r: _Row) -> Cell:
        return Cell(normalize_cell(text, t2s=t2s), r.span)

    first, last = cells[0].row.line, cells[-1].row.line
    if _has_markers(cells):
        grid: list[list[Cell | None]] = []
        empty_rows = []
        for c in cells:
            if c.text is None and c.blanks == 1:
                if grid and not grid[-1]:
                    empty_rows.append(c.row.line)
                    continue
                grid.append([])
                continue
            if c.text is not None:
                grid[-1].append(out(c.text, c.row))
            grid[-1].extend(out("", c.row) for _ in range(c.blanks))
        grid = [r for r in grid if r]
        notes.append(f"table at lines {first}-{last} read from a crawler's one-cell-per-line list, "
                     f"rows opened by a lone |; runs of | read as that many blank cells")
        if empty_rows:
            notes.append("a lone | right after a row's opening | (an empty cell opening the row, or an empty "
                         "row: cannot be told) read as an empty row and dropped at line(s) "
                         + ", ".join(map(str, empty_rows)))
        return make_table(grid, pad=False)
    stream: list[Cell | None] = []
    for c in cells:
        if c.text is not None:
            stream.append(out(c.text, c.row))
        stream.extend(out("", c.row) for _ in range(c.blanks))
    notes.append(f"table at lines {first}-{last}: a crawler's one-cell-per-line list with no row boundaries, "
                 f"{len(stream)} cells in reading order (runs of | read as that many blank cells); "
                 "rows are left to the tables stage")
    table = make_table([stream])
    table.cell_stream = True
    return table


def _split_run(row: _Row) -> list[_Row]:
    """A crawler's whole report on one line → one row per numbered heading or item."""
    cuts = sorted({m.start() for m in _RUN_SPLIT.finditer(row.raw)} | {0, len(row.raw)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if row.raw[a:b].strip():
            out.append(_Row("text", row.raw[a:b], row.line, row.page, start=a, end=b))
    return out if len(out) > 1 else [row]


# --------------------------------------------------------------------------------------- structure

_TABLE_FAMILY = {"tab": "tab", "tab_weak": "tab", "pipe": "pipe", "pipe_weak": "pipe", "pipe_sep": "pipe",
                 "spaced": "spaced"}


def _take_table(rows: list[_Row], i: int) -> tuple[list[_Row], int]:
    """The rows of the table starting at ``rows[i]``, and the index after it."""
    family = _TABLE_FAMILY[rows[i].kind]
    taken = [rows[i]]
    j = i + 1
    while j < len(rows):
        r = rows[j]
        if _TABLE_FAMILY.get(r.kind) == family:
            if family == "pipe" and r.kind == "pipe" and j + 1 < len(rows) and rows[j + 1].kind == "pipe_sep":
                break  # a header row and its --- line: a new markdown table begins
            taken.append(r)
            j += 1
            continue
        if r.kind == "text" and family != "spaced" and _label_fragment(r.raw):
            # a wrapped row label's last piece on a line of its own (“公开申请数量”, “理”)
            taken.append(_Row("fragment", r.raw, r.line, r.page, r.start, r.end, cells=[r.raw.strip()]))
            j += 1
            continue
        if r.kind in ("blank", "page"):
            k = j
            while k < len(rows) and rows[k].kind in ("blank", "page"):
                k += 1
            nxt = rows[k] if k < len(rows) else None
            if nxt is not None and _TABLE_FAMILY.get(nxt.kind) == family and not (
                family == "pipe" and k + 1 < len(rows) and rows[k + 1].kind == "pipe_sep"
            ) and not _opens_another_table(taken, nxt):
                j = k
                continue
        break
    return taken, j


def _opens_another_table(taken: list[_Row], nxt: _Row) -> bool:
    """After a blank line, a header row of another width: a row of words only (no figure) whose number of
    cells differs by two or more from the table's usual row (表三's nine columns, then 表四's header of
    six): the tables a portal page gives one after the other without headings between them."""
    widths = [len(r.cells) for r in taken if r.cells]
    if len(widths) < 3 or not nxt.cells:
        return False
    usual = max(set(widths), key=widths.count)
    filled = [c for c in nxt.cells if c.strip()]
    return abs(len(nxt.cells) - usual) >= 2 and bool(filled) and not any(re.search(r"\d", c) for c in filled)


def _label_fragment(raw: str) -> bool:
    """A short piece of a row label that a table's line wrapping left alone on a line, right under its
    row: no heading, no sentence."""
    text = normalize_text(raw)
    return 0 < len(text) <= 15 and not starts_item(text) and not ends_sentence(text) and is_heading_like(text)


def _table(rows: list[_Row], t2s: bool) -> Table | None:
    grid_rows = []
    for r in rows:
        if r.cells is None:
            continue
        cells = r.cells
        if r.kind in ("spaced", "pipe", "pipe_weak"):
            cells = [c.strip() for c in cells]
        grid_rows.append([Cell(normalize_cell(c, t2s=t2s), r.span) for c in cells])
    if not grid_rows:
        return None
    from audit.ingest import make_table

    # a markdown row short of cells lost them in a conversion (a blank cell is written “|  |”): padding
    # it would turn a lost cell into a blank one, and shift nothing back; the tables stage reads it as is
    pipe = any(r.kind in ("pipe", "pipe_weak") for r in rows)
    return make_table(grid_rows, pad=not pipe)


def _wrap_width(rows: list[_Row]) -> int:
    """The width text is hard-wrapped at: the 90th percentile of text line lengths (0 when there are too
    few lines to tell)."""
    lengths = sorted(len(normalize_text(r.raw)) for r in rows if r.kind == "text")
    return lengths[int(len(lengths) * 0.9)] if len(lengths) >= 10 else 0


def _continues(prev: list[Line], nxt: Line, gap: str | None, width: int) -> bool:
    """Does ``nxt`` continue the paragraph whose lines are ``prev``?"""
    last = prev[-1].text
    if starts_item(nxt.text) or _is_field(last) or _is_field(nxt.text):
        return False
    full = width >= 16 and len(last) >= 0.8 * width
    if gap is None:  # the next line of the same block: a hard wrap when the line before was full
        return full
    # after a blank line or a page break: a sentence the break cut in two, not a heading before it
    if ends_sentence(last) or is_heading_like(nxt.text):
        return False
    para = join_wrapped([ln.text for ln in prev])
    if is_heading_like(para):  # a short paragraph: a heading, unless it is a full line of wrapped text
        return full and not starts_item(para)
    return True


def _is_field(line: str) -> bool:
    """A ``key: value`` header line (标题: … / 发布时间: …), a paragraph of its own."""
    return bool(_FIELD_LINE.match(line)) and is_heading_like(line, max_len=200)


def parse_text(text: str, source: Source) -> Document:
    """Decoded report text → ``Document`` with paragraphs and table grids."""
    t2s = is_traditional(text)
    rows = _rows(text)
    lists = _cell_lists(rows)
    width = _wrap_width(rows)
    blocks: list = []
    notes: list[str] = []
    joins: list[str] = []
    cur: list[Line] | None = None
    gap: str | None = None
    dropped_pages = 0

    def flush():
        nonlocal cur
        if cur:
            blocks.append(Paragraph(join_wrapped([ln.text for ln in cur]), cur))
        cur = None

    i = 0
    while i < len(rows):
        r = rows[i]
        listed = lists.get(i)
        if listed is not None:
            flush()
            gap = None
            blocks.append(_list_table(listed[0], t2s, notes))
            i = listed[1]
            continue
        if r.kind in _TABLE_FAMILY and r.kind != "pipe_sep":
            taken, j = _take_table(rows, i)
            if any(t.kind in ("tab", "pipe", "spaced") for t in taken):
                flush()
                gap = None
                table = _table(taken, t2s)
                if table is not None:
                    blocks.append(table)
                i = j
                continue
            r = _Row("text", r.raw, r.line, r.page, r.start, r.end)  # a lone indented line: text
        if r.kind == "blank":
            gap = gap or "blank"
            i += 1
            continue
        if r.kind in ("page", "pipe_sep"):
            if r.kind == "page":
                gap, dropped_pages = "page", dropped_pages + 1
            i += 1
            continue
        body = normalize_text(_MD_HEADING.sub("", r.raw), t2s=t2s)
        ln = Line(body, r.span)
        if cur is not None and _continues(cur, ln, gap, width):
            if gap:
                joins.append(f"{cur[-1].span.line}/{ln.span.line}")
            cur.append(ln)
        else:
            flush()
            cur = [ln]
        gap = None
        i += 1
    flush()
    if t2s:
        notes.append("traditional characters converted to simplified")
    if dropped_pages:
        notes.append(f"{dropped_pages} running page number line(s) dropped")
    if joins:
        notes.append("sentences joined across a blank line or page break at lines " + ", ".join(joins))
    pages = max((r.page for r in rows if r.kind not in ("blank", "page")), default=1)
    return Document(source=source, blocks=blocks, page_count=pages, notes=notes)


def load_text(path: Path, text: str, source: Source) -> Document:
    """Entry point of the dispatcher: the decoded text of ``path`` → ``Document``."""
    return parse_text(text, source)
