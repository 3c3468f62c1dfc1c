"""HTML pages as government sites publish them → ``Document``.

A report page carries a site around the report: navigation, breadcrumbs, share buttons, a footer, scripts.
The report is the container that holds its headings (总体情况, 主动公开政府信息, …) and its tables; that
container, widened to take in the report's title and publication line when they sit just outside it, is
read in document order: block elements become paragraphs (``<br>`` breaks lines), ``<table>`` becomes a
cell grid with ``rowspan``/``colspan`` honoured (covered positions ``None``, the origin ``Cell`` keeps the
spans). ``&nbsp;`` cells are blank. ``Span.line`` is the element's index among the page's elements.

The charset comes from a BOM, the page's ``<meta charset>`` / ``http-equiv`` declaration, else detection
(an undeclared GBK page is common and must decode right).
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from audit.errors import CorruptFile, EmptyFile, NoTextLayer
from audit.ingest.normalize import is_blank, is_traditional, normalize_cell, normalize_text
from audit.ingest.text import bom_encoding, decode
from audit.model import Cell, Document, Line, Paragraph, Source, Span, Table

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)

#: Elements that are never report text.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
         "button", "select", "input", "textarea", "nav", "header", "footer", "aside", "menu", "head")
#: class/id words of site furniture around the content.
_FURNITURE = re.compile(
    r"(^|[\s_\-])(nav|navbar|menu|header|footer|foot|breadcrumb|crumbs?|sidebar|side|share|bdshare|toolbar"
    r"|topbar|banner|logo|search|copyright|location|position|related|xgxx|fxdj|tools?|print|close|fontsize"
    r"|font-size|zoom)([\s_\-]|$)",
    re.IGNORECASE,
)
_BLOCK = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
          "h5", "h6", "blockquote", "pre", "center", "table", "tr", "td", "th", "tbody", "thead", "tfoot",
          "address", "figure", "figcaption", "body", "html", "caption"}
#: Words of the six section headings: the report's container holds most of them.
_CUES = ("总体情况", "主动公开政府信息", "收到和处理", "行政复议", "存在的主要问题", "其他需要报告")
_TITLE = re.compile(r"(政府信息公开|政务公开).{0,6}年度?报告")


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes of a page → (text, encoding): BOM, the declared charset, else detection."""
    if bom_encoding(data):
        return decode(data)
    m = _META_CHARSET.search(data[:4096])
    return decode(data, declared=m.group(1).decode("ascii") if m else None)


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _DROP:
        return True
    attrs = tag.attrs or {}
    words = " ".join([attrs.get("id") or ""] + list(attrs.get("class") or []))
    if words and _FURNITURE.search(words):
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or tag.has_attr("hidden")


def _clean(soup: BeautifulSoup) -> None:
    """Drop comments and the site's furniture (but never an element that holds the report's tables
    or headings: some sites wrap the whole article in a ``div class="main-side"``)."""
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in list(soup.find_all(True)):
        if tag.decomposed or tag.parent is None:
            continue
        if _is_furniture(tag) and (tag.name in _DROP or _cue_count(tag.get_text(" ")) < 2):
            tag.decompose()


def _cue_count(text: str) -> int:
    text = re.sub(r"\s+", "", text)
    return sum(1 for c in _CUES if c in text)


def _content(soup: BeautifulSoup) -> Tag:
    """The element holding the report: the most cue words, then the least text (the innermost),
    widened to the common ancestor with the report's title heading when that sits outside it."""
    def key(tag: Tag) -> tuple[int, int]:
        text = re.sub(r"\s+", "", tag.get_text())
        return _cue_count(text), -len(text)

    body = soup.body or soup
    best, best_key = body, key(body)
    for tag in body.find_all(("div", "section", "article", "main", "td", "table", "center")):
        k = key(tag)
        if k[0] >= 3 and k > best_key:
            best, best_key = tag, k
    title = _title_element(body)
    if title is not None and best is not body and not any(p is best for p in title.parents):
        ancestors = set(map(id, title.parents))
        for a in [best] + list(best.parents):
            if id(a) in ancestors:
                return a
    return best


def _title_element(body: Tag) -> Tag | None:
    """The element holding the report's title: a heading first, else a short block of its own."""
    def is_title(t: Tag) -> bool:
        return (bool(_TITLE.search(t.get_text())) and len(t.get_text(strip=True)) <= 80
                and t.find(("table", "p", "div")) is None)

    for names in (("h1", "h2", "h3"), ("div", "p", "span", "td", "strong")):
        found = next((t for t in body.find_all(names) if is_title(t)), None)
        if found is not None:
            return found
    return None


class _Reader:
    """Walks the content element in document order, emitting paragraphs and tables."""

    def __init__(self, soup: BeautifulSoup, t2s: bool):
        self.index = {id(t): i for i, t in enumerate(soup.find_all(True))}
        self.t2s = t2s
        self.blocks: list = []
        self._pieces: list[str] = []
        self._pieces_at: int | None = None

    def span(self, tag: Tag) -> Span:
        return Span(page=1, line=self.index.get(id(tag)))

    def flush(self) -> None:
        """End the running paragraph (text gathered since the last block boundary)."""
        lines = [normalize_text(x, t2s=self.t2s) for x in "".join(self._pieces).split("\n")]
        lines = [x for x in lines if x]
        span = Span(page=1, line=self._pieces_at)
        for x in lines:
            self.blocks.append(Paragraph(x, [Line(x, span)]))
        self._pieces, self._pieces_at = [], None

    def walk(self, tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                text = str(child)
                if not is_blank(text.replace("\n", " ")):
                    if self._pieces_at is None:
                        self._pieces_at = self.index.get(id(tag))
                    self._pieces.append(re.sub(r"[\r\n\t]+", " ", text))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                self._pieces.append("\n")
            elif child.name == "table":
                self.flush()
                table = self.table(child)
                if table is not None:
                    self.blocks.append(table)
            elif child.name in _BLOCK:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def table(self, tag: Tag) -> Table | None:
        """A ``<table>`` → grid, rowspan/colspan honoured; a table of one cell is a layout box."""
        rows = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
        if _is_layout(tag, rows):
            self.walk_cells(rows)
            return None
        grid: list[list[Cell | None]] = []
        pending: dict[tuple[int, int], bool] = {}  # positions covered by a span from above
        for r, tr in enumerate(rows):
            while len(grid) <= r:
                grid.append([])
            row = grid[r]
            c = 0
            for td in tr.find_all(("td", "th"), recursive=False):
                while pending.pop((r, c), False):
                    _put(row, c, None)
                    c += 1
                rs, cs = _int(td.get("rowspan")), _int(td.get("colspan"))
                rs = min(rs, len(rows) - r)
                _put(row, c, Cell(self.cell_text(td), self.span(td), rowspan=rs, colspan=cs))
                for k in range(1, cs):
                    _put(row, c + k, None)
                for dr in range(1, rs):
                    for k in range(cs):
                        pending[(r + dr, c + k)] = True
                c += cs
            while pending.pop((r, c), False):
                _put(row, c, None)
                c += 1
        for (r, c) in sorted(pending):
            _put(grid[r], c, None)
        from audit.ingest import make_table

        return make_table(grid)

    def walk_cells(self, rows: list[Tag]) -> None:
        for tr in rows:
            for td in tr.find_all(("td", "th"), recursive=False):
                self.flush()
                self.walk(td)
                self.flush()

    def cell_text(self, td: Tag) -> str:
        parts = []
        for el in td.descendants:
            if isinstance(el, NavigableString):
                parts.append(str(el))
            elif isinstance(el, Tag) and el.name in ("br", "p", "div", "li"):
                parts.append("\n")
        return normalize_cell("".join(parts), t2s=self.t2s)


def _is_layout(tag: Tag, rows: list[Tag]) -> bool:
    """A table used to lay out the page rather than to hold figures: a single cell, a table nested in
    it, or cells of running text (a data cell of a report's table is a label or a number)."""
    cells = [td for tr in rows for td in tr.find_all(("td", "th"), recursive=False)]
    if len(cells) <= 1 or tag.find("table") is not None:
        return True
    return any(len(td.get_text(strip=True)) > 300 or len(td.find_all(("p", "div", "h1", "h2", "h3"))) > 3
               for td in cells)


def _int(v) -> int:
    try:
        return max(1, min(int(str(v).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _put(row: list, c: int, cell: Cell | None) -> None:
    while len(row) <= c:
        row.append(Cell(""))
    row[c] = cell


#: Elements nested deeper than this are no published page (Word's HTML and site templates stay under 60);
#: reading them would take minutes (every container's text is measured) or exhaust the stack.
MAX_DEPTH = 256


def _too_deep(soup: BeautifulSoup) -> bool:
    level: list[Tag] = [soup]
    for _ in range(MAX_DEPTH + 1):
        level = [c for t in level for c in t.children if isinstance(c, Tag)]
        if not level:
            return False
    return True


#: <meta> names a site's CMS gives the publication date under (PubDate on most government sites)
_DATE_METAS = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date.issued",
               "dcterms.issued")
#: the note a page's publication <meta> becomes (the document stage reads it after the visible fields)
META_DATE_NOTE = "page <meta> publication date"


def _meta_dates(soup: BeautifulSoup) -> list[str]:
    """Notes “page <meta> publication date PubDate: 2024-01-17 09:30” for the page's publication metas."""
    out = []
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").strip()
        content = (tag.get("content") or "").strip()
        if name.lower() in _DATE_METAS and content and len(content) <= 40:
            out.append(f"{META_DATE_NOTE} {name}: {content}")
    return out


def parse_html(text: str, source: Source) -> Document:
    """Decoded page → ``Document``."""
    soup = BeautifulSoup(text, "lxml")
    if _too_deep(soup):
        raise CorruptFile(f"the page's elements are nested more than {MAX_DEPTH} levels deep; "
                          "not a report page as published")
    dates = _meta_dates(soup)
    t2s = is_traditional(soup.get_text(" "))
    reader = _Reader(soup, t2s)
    _clean(soup)
    content = _content(soup)
    try:
        reader.walk(content)
    except RecursionError:
        raise CorruptFile("the page's elements are nested too deeply to read; "
                          "not a report page as published") from None
    reader.flush()
    if not reader.blocks:
        if soup.find("img") is not None:
            raise NoTextLayer("no text: the page shows the report as images; run OCR first")
        raise EmptyFile("the page holds no text")
    from audit.ingest import join_continued_tables

    blocks = join_continued_tables(reader.blocks)
    notes = ["traditional characters converted to simplified"] if t2s else []
    if content.name not in ("body", "html", "[document]"):
        notes.append(f"report content read from <{content.name}> (site navigation and footer dropped)")
    return Document(source=source, blocks=blocks, page_count=1, notes=notes + dates)


def load_html(path: Path, text: str, source: Source) -> Document:
    """Entry point of the dispatcher: the decoded page of ``path`` → ``Document``."""
    return parse_html(text, source)
