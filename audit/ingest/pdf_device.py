"""One pass of pdfminer.six's interpreter over a PDF page, into what the PDF readers use and nothing more.

pdfminer's :class:`~pdfminer.pdfinterp.PDFPageInterpreter` runs each page's content streams once; the
device here (:class:`PageDevice`) receives its text and paths and keeps:

- every character as a :class:`Glyph` (text, box from the page's top-left, font size): no ``LTChar``, no
  per-character dictionary, no layout analysis (pdfminer's ``LAParams`` is never used);
- the drawn lines, rectangles and curves as plain boxes and points, turned into ruling edges only on a
  page that draws some (:meth:`PageDevice.edges`), and into table cells only where vertical and
  horizontal ones both exist (:func:`table_cells`);
- how many images the page draws (a scanned page is an image without text).

The positions are pdfplumber's, to the last bit: the same arithmetic as pdfminer's ``LTChar`` /
``PDFLayoutAnalyzer.paint_path`` and pdfplumber's ``Page`` (its page height, MediaBox offsets, rotation
and flipped y axis), and the ruled tables are those of pdfplumber's ``find_tables()`` with its default
settings, step for step on plain lists, so the readers written against pdfplumber read the same lines
and cells (``tests/test_ingest_pdf_device.py`` compares both on every sample and real PDF, hand-made
rotated, offset and vertical pages, and thousands of random rulings). pdfplumber is not imported here:
it stays the tests' reference.

:class:`PageInterpreter` is pdfminer's page interpreter with the operator dispatch looked up once per
operator, reading the content streams with :func:`audit.ingest.pdf_content.content_objects` (one regex
pass, the same objects) and with pdfminer's own parser where that declines; :func:`quiet_tokenizer` keeps
pdfminer's tokenizer from paying for a debug call per token.
"""
from __future__ import annotations

import logging
import numbers
import re
from typing import Iterator

from pdfminer import psparser, settings
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFContentParser, PDFInterpreterError, PDFPageInterpreter
from pdfminer.psparser import PSEOF, PSKeyword, keyword_name
from pdfminer.pdftypes import resolve1, stream_value
from pdfminer.utils import apply_matrix_pt, mult_matrix

from audit.ingest.pdf_content import content_objects
from audit.ingest.pdf_limits import budgeted_execute

_SUBPATH = re.compile(r"m[^m]+")
log = logging.getLogger("pdfminer.pdfinterp")  # the warnings pdfminer's own execute gives, under its name


class MalformedPDFException(Exception):
    """A page box holding something other than numbers (named as pdfplumber names it)."""


class Glyph:
    """One character drawn on a page, positioned from the page's top-left corner (PDF points)."""

    __slots__ = ("text", "x0", "top", "x1", "bottom", "size")

    def __init__(self, text: str, x0: float, top: float, x1: float, bottom: float, size: float):
        self.text = text
        self.x0 = x0
        self.top = top
        self.x1 = x1
        self.bottom = bottom
        self.size = size

    def __repr__(self) -> str:
        return f"Glyph({self.text!r}, {self.x0:.2f}, {self.top:.2f}, {self.x1:.2f}, {self.bottom:.2f}, {self.size:.2f})"


def _attr(page, key: str, default=None):
    value = page.attrs.get(key)
    value = resolve1(value)
    if isinstance(value, list):
        value = [resolve1(v) for v in value]
    return default if value is None else value


def _normalize_box(raw, rotation) -> tuple:
    if not all(isinstance(x, numbers.Number) for x in raw):
        raise MalformedPDFException(f"Bounding box contains non-number coordinate(s): {raw}")
    x0, x1 = sorted((raw[0], raw[2]))
    y0, y1 = sorted((raw[1], raw[3]))
    return (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)


class PageBox:
    """A page's size and offsets as pdfplumber's ``Page`` has them (its rotated, flipped MediaBox)."""

    __slots__ = ("height", "mb_x0", "mb_top")

    def __init__(self, page):
        rotation = _attr(page, "Rotate", 0) % 360
        raw = _normalize_box(_attr(page, "MediaBox"), rotation)
        mb_height = raw[3] - raw[1]
        x0, top, x1, bottom = raw[0], mb_height - raw[3], raw[2], mb_height - raw[1]
        for name in ("CropBox", "TrimBox", "BleedBox", "ArtBox"):  # checked as pdfplumber checks them
            if name in page.attrs:
                _normalize_box(_attr(page, name), rotation)
        self.height = bottom - top
        self.mb_x0 = x0
        self.mb_top = top


class PageDevice(PDFDevice):
    """Collects one page's glyphs, drawn paths and image count (reset by :meth:`start`)."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self._fonts: dict = {}  # font → {cid: (text, width, disp)}
        self.start(None)

    def start(self, box: PageBox | None) -> None:
        self.box = box
        self.glyphs: list[Glyph] = []
        self.lines: list[tuple] = []  # (x0, y0, x1, y1) of single segments, in PDF space
        self.rects: list[tuple] = []  # (x0, y0, x1, y1) of axis-aligned closed rectangles
        self.curves: list[list] = []  # points of every other path
        self.n_images = 0

    # -- images and paths -------------------------------------------------------------------------------

    def render_image(self, name, stream) -> None:
        self.n_images += 1

    def paint_path(self, gstate, stroke, fill, evenodd, path) -> None:
        """pdfminer's ``PDFLayoutAnalyzer.paint_path`` classification (a line, a rectangle, a curve),
        keeping the points only."""
        shape = "".join(x[0] for x in path)
        if shape[:1] != "m":
            return
        if shape.count("m") > 1:
            for m in _SUBPATH.finditer(shape):
                self.paint_path(gstate, stroke, fill, evenodd, path[m.start(0):m.end(0)])
            return
        ctm = self.ctm
        pts = [apply_matrix_pt(ctm, p[-2:] if p[0] != "h" else path[0][-2:]) for p in path]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            self.lines.append(_bound(pts[:2]))
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                self.rects.append(_bound([(x0, y0), (x2, y0), (x2, y2), (x0, y2)]))
            else:
                self.curves.append(pts)
        else:
            self.curves.append(pts)

    # -- text -------------------------------------------------------------------------------------------

    def _glyph_of(self, font, cid: int) -> tuple:
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        return text, font.char_width(cid), font.char_disp(cid)

    def render_string(self, textstate, seq, ncs, graphicstate) -> None:
        """pdfminer's ``PDFTextDevice.render_string`` with ``LTChar``'s box computed in line, each
        character kept as a :class:`Glyph` in pdfplumber's coordinates."""
        assert self.ctm is not None
        a, b, c, d, e, f = mult_matrix(textstate.matrix, self.ctm)
        font = textstate.font
        fontsize = textstate.fontsize
        scaling = textstate.scaling * 0.01
        charspace = textstate.charspace * scaling
        wordspace = textstate.wordspace * scaling
        rise = textstate.rise
        assert font is not None
        if font.is_multibyte():
            wordspace = 0
        dxscale = 0.001 * fontsize * scaling
        vertical = font.is_vertical()
        known = self._fonts.get(font)
        if known is None:
            known = self._fonts[font] = {}
        descent = 0.0 if vertical else font.get_descent() * fontsize
        by0 = descent + rise
        by1 = descent + rise + fontsize
        box = self.box
        height, mb_x0, mb_top = box.height, box.mb_x0, box.mb_top
        out = self.glyphs.append
        x, y = textstate.linematrix
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                if vertical:
                    y -= obj * dxscale
                else:
                    x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        if vertical:
                            y += charspace
                        else:
                            x += charspace
                    g = known.get(cid)
                    if g is None:
                        g = known[cid] = self._glyph_of(font, cid)
                    text, textwidth, textdisp = g
                    adv = textwidth * fontsize * scaling
                    e2 = x * a + y * c + e
                    f2 = x * b + y * d + f
                    if vertical:
                        vx, vy = textdisp
                        vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
                        vy = (1000 - vy) * fontsize * 0.001
                        bx0, bx1, y0b, y1b = -vx, -vx + fontsize, vy + rise + adv, vy + rise
                    else:
                        bx0, bx1, y0b, y1b = 0, adv, by0, by1
                    left1, bottom1 = a * bx0 + c * y0b + e2, b * bx0 + d * y0b + f2
                    right1, bottom2 = a * bx1 + c * y0b + e2, b * bx1 + d * y0b + f2
                    right2, top1 = a * bx1 + c * y1b + e2, b * bx1 + d * y1b + f2
                    left2, top2 = a * bx0 + c * y1b + e2, b * bx0 + d * y1b + f2
                    x0 = min(left1, left2, right1, right2)
                    y0 = min(bottom1, bottom2, top1, top2)
                    x1 = max(left1, left2, right1, right2)
                    y1 = max(bottom1, bottom2, top1, top2)
                    size = x1 - x0 if vertical else y1 - y0
                    if mb_x0 != 0:
                        x0, x1 = x0 + mb_x0, x1 + mb_x0
                    out(Glyph(text, x0, (height - y1) + mb_top, x1, (height - y0) + mb_top, size))
                    if vertical:
                        y += adv
                    else:
                        x += adv
                    if cid == 32 and wordspace:
                        if vertical:
                            y += wordspace
                        else:
                            x += wordspace
                    needcharspace = True
        textstate.linematrix = (x, y)

    # -- ruling edges -----------------------------------------------------------------------------------

    def edges(self) -> list[dict]:
        """The page's edges as pdfplumber's ``page.edges`` gives them (lines, then the four sides of
        each rectangle, then the segments of curves), with the keys its table finder reads."""
        box = self.box
        height, mb_x0, mb_top = box.height, box.mb_x0, box.mb_top
        out: list[dict] = []
        for x0, y0, x1, y1 in self.lines:
            top, bottom = (height - y1) + mb_top, (height - y0) + mb_top
            w, h = x1 - x0, y1 - y0
            if mb_x0 != 0:
                x0, x1 = x0 + mb_x0, x1 + mb_x0
            out.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": w, "height": h,
                        "orientation": "h" if top == bottom else "v"})
        for x0, y0, x1, y1 in self.rects:
            top, bottom = (height - y1) + mb_top, (height - y0) + mb_top
            w, h = x1 - x0, y1 - y0
            if mb_x0 != 0:
                x0, x1 = x0 + mb_x0, x1 + mb_x0
            out.append({"x0": x0, "x1": x1, "top": top, "bottom": top, "width": w, "height": 0,
                        "orientation": "h"})
            out.append({"x0": x0, "x1": x1, "top": top + h, "bottom": bottom, "width": w, "height": 0,
                        "orientation": "h"})
            out.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0, "height": h,
                        "orientation": "v"})
            out.append({"x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0, "height": h,
                        "orientation": "v"})
        for pts in self.curves:
            pts = [(mb_x0 + px, mb_top + height - py) for px, py in pts]
            for (p0x, p0y), (p1x, p1y) in zip(pts, pts[1:]):
                out.append({"x0": min(p0x, p1x), "x1": max(p0x, p1x), "top": min(p0y, p1y),
                            "bottom": max(p0y, p1y), "width": abs(p0x - p1x), "height": abs(p0y - p1y),
                            "orientation": "v" if p0x == p1x else ("h" if p0y == p1y else None)})
        return out


class _DebugOff:
    """pdfminer's tokenizer logger with ``debug`` a no-op in C: the tokenizer calls ``log.debug`` for every
    token and object (over 100,000 calls on a five-page report, each a Python call and a level check,
    about 5 % of reading a page). Everything else goes to the logger itself."""

    __slots__ = ("_log",)
    debug = "".format  # takes any arguments, does nothing that can be seen

    def __init__(self, log: logging.Logger):
        self._log = log

    def __getattr__(self, name):
        return getattr(self._log, name)


_TOKENIZER_LOG = psparser.log
_TOKENIZER_QUIET = _DebugOff(_TOKENIZER_LOG)


def quiet_tokenizer() -> None:
    """Silence pdfminer's per-token debug calls unless debug logging is on for its tokenizer (checked
    each time a document is read, so turning debug logging on later still shows them)."""
    debugging = _TOKENIZER_LOG.isEnabledFor(logging.DEBUG)
    psparser.log = _TOKENIZER_LOG if debugging else _TOKENIZER_QUIET


class PageInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter with its operator dispatch looked up once per operator, not once per
    use: pdfminer's ``execute`` builds the method's name, looks it up twice and reads its argument count
    for every operator of every content stream (tens of thousands a page on some reports). Same
    streams, same order, same calls, same refusals (circular forms, unknown operators under
    ``settings.STRICT``); the document's content budget (:mod:`pdf_limits`) is charged as before."""

    _ops: dict = {}  # PSKeyword → (method name, argument count), for operators this class implements

    def _op(self, obj: PSKeyword):
        op = self._ops.get(obj)
        if op is None:
            name = keyword_name(obj)
            method = "do_{}".format(name.replace("*", "_a").replace('"', "_w").replace("'", "_q"))
            if not hasattr(self, method):
                return name, None, 0
            op = self._ops[obj] = (name, method, getattr(self, method).__code__.co_argcount - 1)
        return op

    def _execute(self, streams) -> None:
        valid_streams = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None:
                log.warning("Execute called on non-indirect object (inline image?) %r", stream)
                continue
            if stream.objid in self.parent_stream_ids:
                log.warning("Refusing to execute circular reference to content stream %d", stream.objid)
            else:
                valid_streams.append(stream)
                self.stream_ids.add(stream.objid)
        if not valid_streams:  # an empty page
            return
        objects = content_objects([s.get_data() for s in valid_streams])
        if objects is None:  # beyond the plain grammar: pdfminer's own parser reads it
            objects = pdfminer_objects(valid_streams)
        op_of = self._op
        for obj in objects:
            if isinstance(obj, PSKeyword):
                name, method, nargs = op_of(obj)
                if method is None:
                    if settings.STRICT:
                        raise PDFInterpreterError(f"Unknown operator: {name!r}")
                    continue
                if nargs:
                    args = self.pop(nargs)
                    if len(args) == nargs:
                        getattr(self, method)(*args)
                else:
                    getattr(self, method)()
            else:
                self.argstack.append(obj)

    execute = budgeted_execute(_execute)


def pdfminer_objects(streams) -> Iterator:
    """The objects pdfminer's ``PDFContentParser`` yields for these streams, as it yields them."""
    try:
        parser = PDFContentParser(streams)
    except PSEOF:  # nothing to read
        return
    nextobject = parser.nextobject
    while True:
        try:
            _, obj = nextobject()
        except PSEOF:
            return
        yield obj


def _bound(pts) -> tuple:
    """pdfminer's ``get_bound``: the box covering the points."""
    x0 = y0 = float("inf")
    x1 = y1 = -float("inf")
    for x, y in pts:
        x0 = min(x0, x)
        y0 = min(y0, y)
        x1 = max(x1, x)
        y1 = max(y1, y)
    return x0, y0, x1, y1


def ruling_grid(edges: list[dict]) -> int:
    """How many cells the page's ruling lines could make: distinct heights of horizontal lines times
    distinct positions of vertical ones (to the point). Table finding costs more than this squared."""
    ys, xs = set(), set()
    for e in edges:
        if e["orientation"] == "h":
            ys.add(round(e["top"]))
        elif e["orientation"] == "v":
            xs.add(round(e["x0"]))
    return len(ys) * len(xs)


#: pdfplumber's default table settings (``TableSettings()``: the ``lines`` strategy), which the table
#: finder below reproduces: edges shorter than PREFILTER are dropped, edges within SNAP of one line are
#: moved onto their mean, collinear pieces within JOIN of each other joined, what is shorter than
#: MIN_LENGTH then dropped; a vertical and a horizontal edge within INTERSECT of each other cross.
PREFILTER, SNAP, JOIN, MIN_LENGTH, INTERSECT = 1, 3, 3, 3, 3


def _snap(edges: list[list], at: int, tolerance: float) -> list[list]:
    """pdfplumber's ``snap_objects``: cluster the edges on one coordinate (sorted distinct values, a
    new cluster where the gap exceeds the tolerance), move each cluster onto its mean, clusters in
    order and the edges of a cluster in their given order. The other end moves by the same amount."""
    values = sorted(set(e[at] for e in edges))
    cluster_of: dict = {}
    k, last = -1, None
    for v in values:
        if last is None or v > last + tolerance:
            k += 1
        cluster_of[v] = k
        last = v
    groups: dict[int, list] = {}
    for e in edges:
        groups.setdefault(cluster_of[e[at]], []).append(e)
    out = []
    other = at + 2  # x0 → x1, top → bottom
    for k in sorted(groups):
        group = groups[k]
        avg = sum(e[at] for e in group) / len(group)
        for e in group:
            d = avg - e[at]
            moved = list(e)
            moved[at] = e[at] + d
            moved[other] = e[other] + d
            out.append(moved)
    return out


def table_cells(edges: list[dict]) -> list[list[tuple]]:
    """The cells of each ruled table the edges make: pdfplumber's ``find_tables()`` with its default
    ``lines`` settings, on plain lists instead of dictionaries, with its quadratic searches indexed (the
    same tables with the same cells in the same order: ``tests/test_ingest_pdf_device.py`` compares
    both on the sample and real PDFs and on thousands of random rulings)."""
    # an edge: [x0, top, x1, bottom, width, height]
    v = [[e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"]]
         for e in edges if e["orientation"] == "v" and e["height"] >= PREFILTER]
    h = [[e["x0"], e["top"], e["x1"], e["bottom"], e["width"], e["height"]]
         for e in edges if e["orientation"] == "h" and e["width"] >= PREFILTER]
    if not v or not h:  # no intersection, no cell: pdfplumber finds nothing either
        return []
    v, h = _joined(_snap(v, 0, SNAP), 1, 3, 5, JOIN), _joined(_snap(h, 1, SNAP), 0, 2, 4, JOIN)
    v = [e for e in v if e[5] >= MIN_LENGTH]
    h = [e for e in h if e[4] >= MIN_LENGTH]
    cells = _cells(_intersections(v, h))
    return _tables(cells)


def _joined(edges: list[list], lo: int, hi: int, size: int, tolerance: float) -> list[list]:
    """pdfplumber's ``merge_edges`` join step for one orientation: edges grouped by their line
    (``top`` of a horizontal edge, ``x0`` of a vertical one), each group's pieces sorted along the line
    and those within the tolerance of the previous one joined (extended to the farther end)."""
    line = 1 if lo == 0 else 0
    out: list[list] = []
    by_line: dict = {}
    for e in sorted(edges, key=lambda e: e[line]):
        by_line.setdefault(e[line], []).append(e)
    for key in sorted(by_line):
        group = sorted(by_line[key], key=lambda e: e[lo])
        joined = [group[0]]
        for e in group[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + tolerance:
                if e[hi] > last[hi]:
                    grown = list(last)
                    if hi == 2:  # x1: width is x1 − x0
                        grown[hi] = e[hi]
                        grown[size] = e[hi] - last[0]
                    else:  # bottom: height grows by what the bottom moved
                        grown[size] = last[size] + (e[hi] - last[hi])
                        grown[hi] = e[hi]
                    joined[-1] = grown
            else:
                joined.append(e)
        out.extend(joined)
    return out


def _intersections(v: list[list], h: list[list]) -> dict:
    """pdfplumber's ``edges_to_intersections``: every (x, y) where a vertical edge meets a horizontal
    one (within the tolerance), with the boxes of the edges meeting there."""
    points: dict = {}
    hs = sorted(h, key=lambda e: (e[1], e[0]))
    for ve in sorted(v, key=lambda e: (e[0], e[1])):
        vx0, vtop, vbottom = ve[0], ve[1], ve[3]
        vbox = (ve[0], ve[1], ve[2], ve[3])
        for he in hs:
            htop = he[1]
            if vtop <= htop + INTERSECT and vbottom >= htop - INTERSECT and vx0 >= he[0] - INTERSECT \
                    and vx0 <= he[2] + INTERSECT:
                at = points.get((vx0, htop))
                if at is None:
                    at = points[(vx0, htop)] = (set(), set())
                at[0].add(vbox)
                at[1].add((he[0], he[1], he[2], he[3]))
    return points


def _cells(points: dict) -> list[tuple]:
    """pdfplumber's ``intersections_to_cells``: from each point (in order), the smallest box whose
    corners are points joined by common edges; the points below and to the right looked up by column
    and row instead of scanned."""
    ordered = sorted(points)
    column: dict = {}
    row: dict = {}
    for pt in ordered:
        column.setdefault(pt[0], []).append(pt)
        row.setdefault(pt[1], []).append(pt)
    index = {pt: k for k, pt in enumerate(ordered)}
    place_in_column = {pt: k for pts in column.values() for k, pt in enumerate(pts)}
    place_in_row = {pt: k for pts in row.values() for k, pt in enumerate(pts)}

    def v_connects(p1, p2) -> bool:
        return not points[p1][0].isdisjoint(points[p2][0])

    def h_connects(p1, p2) -> bool:
        return not points[p1][1].isdisjoint(points[p2][1])

    def connects(p1, p2) -> bool:
        return (p1[0] == p2[0] and v_connects(p1, p2)) or (p1[1] == p2[1] and h_connects(p1, p2))

    cells = []
    last = len(ordered) - 1
    for pt in ordered:
        if index[pt] == last:
            continue
        below = column[pt[0]][place_in_column[pt] + 1:]
        right = row[pt[1]][place_in_row[pt] + 1:]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in points and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's ``cells_to_tables``: cells sharing a corner are one table; tables of one cell are
    dropped; tables in order of their top-left cell."""
    remaining = list(cells)
    corners: set = set()
    current: list = []
    tables = []
    while remaining:
        count = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            four = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in four):
                corners.update(four)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == count:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
