"""One pass of pdfminer.six's interpreter over a PDF page, into what the PDF readers use and nothing more.

pdfminer's :class:`~pdfminer.pdfinterp.PDFPageInterpreter` runs each page's content streams once; the
device here (:class:`PageDevice`) receives its text and paths and keeps:

- every character as a :class:`Glyph` (text, box from the page's top-left, font size): no ``LTChar``, no
  per-character dictionary, no layout analysis (pdfminer's ``LAParams`` is never used);
- the drawn lines, rectangles and curves as plain boxes and points, turned into ruling edges only on a
  page that has both horizontal and vertical ones (:func:`edges`), and into table cells only there
  (:func:`table_cells`);
- how many images the page draws (a scanned page is an image without text).

The positions are pdfplumber's, to the last bit: the same arithmetic as pdfminer's ``LTChar`` /
``PDFLayoutAnalyzer.paint_path`` and pdfplumber's ``Page`` (its page height, MediaBox offsets, rotation
and flipped y axis), so the readers built on pdfplumber's characters read the same lines and cells
(``tests/test_ingest_pdf_device.py`` compares both on every sample and generated PDF). pdfplumber is used
for nothing but its table finder's steps (``pdfplumber.table``: snapping and joining edges, their
intersections, the cells they make, cells grouped into tables), imported on the first page that can hold
a ruled table.
"""
from __future__ import annotations

import logging
import numbers
import re

from pdfminer import psparser, settings
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFContentParser, PDFInterpreterError, PDFPageInterpreter
from pdfminer.psparser import PSEOF, PSKeyword, keyword_name
from pdfminer.pdftypes import resolve1, stream_value
from pdfminer.utils import apply_matrix_pt, mult_matrix

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
        try:
            parser = PDFContentParser(valid_streams)
        except PSEOF:  # an empty page
            return
        nextobject = parser.nextobject
        op_of = self._op
        while True:
            try:
                _, obj = nextobject()
            except PSEOF:
                break
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


def table_cells(edges: list[dict]) -> list[list[tuple]]:
    """The cells of each ruled table the edges make: pdfplumber's ``find_tables()`` with its default
    ``lines`` settings, step by step, on these edges (the same tables, in the same order)."""
    prefilter = 1
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= prefilter]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= prefilter]
    if not v or not h:  # no intersection, no cell: pdfplumber finds nothing either
        return []
    from pdfplumber.table import (TableSettings, cells_to_tables, edges_to_intersections, intersections_to_cells,
                                  merge_edges)

    s = TableSettings.resolve(None)
    merged = merge_edges(v + h, snap_x_tolerance=s.snap_x_tolerance, snap_y_tolerance=s.snap_y_tolerance,
                         join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    kept = [e for e in merged if e["height" if e["orientation"] == "v" else "width"] >= s.edge_min_length]
    points = edges_to_intersections(kept, s.intersection_x_tolerance, s.intersection_y_tolerance)
    return cells_to_tables(intersections_to_cells(points))
