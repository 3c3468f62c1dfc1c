"""The PDF ingest's own device (audit.ingest.pdf_device) sees each page as pdfplumber does: the same
characters at the same positions to the last bit, the same ruling edges, the same ruled tables, the same
image count — on the sample PDFs (Word-made, reportlab, defective), the real reports when they are beside
the project, and hand-made pages that take the rarer paths (a MediaBox away from the origin, rotated
pages, a vertical CJK font, curves, a drawn form with an image).

pdfplumber (on pdfminer's own interpreter) is the reference here only; the ingest reads pages through
its own interpreter class and device."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from audit.ingest import pdf_device
from audit.ingest.pdf_device import PageBox, PageDevice, PageInterpreter, ruling_grid, table_cells

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpora" / "samples").glob("*.pdf"))
REAL = sorted((ROOT.parent / "shared" / "reports" / "real").glob("*.pdf"))
EDGE_KEYS = ("x0", "x1", "top", "bottom", "width", "height", "orientation")


def ours(data: bytes) -> list[dict]:
    doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    rsrc = PDFResourceManager()
    device = PageDevice(rsrc)
    interp = PageInterpreter(rsrc, device)
    out = []
    for page in PDFPage.create_pages(doc):
        box = PageBox(page)
        device.start(box)
        interp.process_page(page)
        edges = device.edges()
        out.append({
            "height": box.height,
            "chars": [(g.text, g.x0, g.top, g.x1, g.bottom, g.size) for g in device.glyphs],
            "edges": [tuple(e[k] for k in EDGE_KEYS) for e in edges],
            "grid": ruling_grid(edges),
            "tables": table_cells(edges),
            "images": device.n_images,
        })
    return out


def plumbers(data: bytes) -> list[dict]:
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for p in pdf.pages:
            edges = p.edges
            out.append({
                "height": p.height,
                "chars": [(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"]) for c in p.chars],
                "edges": [tuple(e[k] for k in EDGE_KEYS) for e in edges],
                "grid": ruling_grid(edges),
                "tables": [t.cells for t in p.find_tables()],
                "images": len(p.images),
            })
    return out


def _same(data: bytes) -> list[dict]:
    mine, theirs = ours(data), plumbers(data)
    assert len(mine) == len(theirs)
    for k, (a, b) in enumerate(zip(mine, theirs), start=1):
        for key in a:
            assert a[key] == b[key], f"page {k}: {key} differs"
    return mine


@pytest.mark.parametrize("path", SAMPLES + REAL, ids=lambda p: p.name)
def test_sample_and_real_pdfs_read_as_pdfplumber_reads_them(path):
    pages = _same(path.read_bytes())
    assert sum(len(p["chars"]) for p in pages) > 500


# ------------------------------------------------------------------------------ hand-made pages


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 0 obj is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


PAGE_CONTENT = b"""
q 0.5 w
BT /F1 11 Tf 1 0 0 1 80 700 Tm 0.5 Tc 2 Tw 110 Tz 1.5 Ts (Report 2024, table one) Tj ET
BT /F1 9 Tf 0 1 -1 0 300 300 Tm [(rotated) -250 (text)] TJ ET
100 600 m 400 600 l S 100 560 m 400 560 l S 100 520 m 400 520 l S
100 600 m 100 520 l S 250 600 m 250 520 l S 400 600 m 400 520 l S
100 400 150 60 re S 100 400 m 150 430 l 250 460 l S
100 300 m 120 340 160 340 180 300 c h S 300 300 m 350 300 l 350 250 l 300 250 l h f
BT /F1 10 Tf 110 580 Td (cell a) Tj 150 0 Td (123) Tj 0 -40 Td (456) Tj -150 0 Td (cell b) Tj ET
/Fm1 Do
Q
"""
FORM_CONTENT = b"BT /F1 8 Tf 5 5 Td (inside a form) Tj ET q 20 0 0 20 150 10 cm /Im1 Do Q"


def _test_pdf(mediabox: bytes, rotate: int) -> bytes:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    form = _stream(FORM_CONTENT, b"/Type /XObject /Subtype /Form /BBox [0 0 200 50] /Matrix [1 0 0 1 320 120]"
                                 b" /Resources << /Font << /F1 4 0 R >> /XObject << /Im1 8 0 R >> >>")
    image = _stream(b"\x00\xff\xff\x00", b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /BitsPerComponent 8"
                                            b" /ColorSpace /DeviceGray")
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 /MediaBox %s >>" % mediabox,
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >>"
        b" /Contents 5 0 R /Rotate %d /CropBox [40 50 600 800] >>" % rotate,
        font,
        _stream(PAGE_CONTENT),
        form,
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> /XObject << /Fm1 6 0 R >> >>"
        b" /Contents 5 0 R /Rotate %d >>" % ((rotate + 90) % 360),
        image,
    ])


@pytest.mark.parametrize("mediabox", [b"[0 0 612 792]", b"[30 40 642 832]", b"[642 832 30 40]"])
@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_offset_and_rotated_pages_read_as_pdfplumber_reads_them(mediabox, rotate):
    pages = _same(_test_pdf(mediabox, rotate))
    assert all(p["tables"] and p["images"] == 1 for p in pages)
    assert any(g[0] == "f" for g in pages[0]["chars"])


def test_vertical_cjk_font_reads_as_pdfplumber_reads_it():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light", isVertical=True))  # the registry is global:
    try:
        c = canvas.Canvas(buf)
        c.setFont("STSong-Light", 12)
        c.drawString(300, 700, "政府信息公开工作年度报告")
        c.drawString(200, 700, "主动公开政府信息 12 条")
        c.save()
    finally:  # the other tests draw with the horizontal font of that name
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    assert b"UniGB-UCS2-V" in buf.getvalue()
    pages = _same(buf.getvalue())
    assert len(pages[0]["chars"]) > 20


def test_tokenizer_debug_calls_are_silenced_only_while_debug_logging_is_off():
    import logging

    from pdfminer import psparser

    log = logging.getLogger("pdfminer.psparser")
    was = log.level
    try:
        log.setLevel(logging.WARNING)
        pdf_device.quiet_tokenizer()
        assert psparser.log is not log and psparser.log.debug("x %r", 1) == ""
        assert psparser.log.name == "pdfminer.psparser"  # everything else is the logger's own
        log.setLevel(logging.DEBUG)
        pdf_device.quiet_tokenizer()
        assert psparser.log is log
    finally:
        log.setLevel(was)
        pdf_device.quiet_tokenizer()


def test_unknown_operators_are_skipped_or_refused_as_pdfminer_does(monkeypatch):
    from pdfminer import settings
    from pdfminer.pdfinterp import PDFInterpreterError

    page = _stream(b"BT /F1 11 Tf 72 700 Td 1 2 frobnicate (kept) Tj ET")
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        page,
    ])
    assert "".join(c[0] for c in _same(data)[0]["chars"]) == "kept"
    monkeypatch.setattr(settings, "STRICT", True)
    with pytest.raises(PDFInterpreterError, match="frobnicate"):
        ours(data)


def _plumbers_cells(edges: list[dict]) -> list[list[tuple]]:
    """pdfplumber's TableFinder steps (default settings) on these edge dictionaries."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
    from pdfplumber.utils import filter_edges

    v = filter_edges(edges, "v", min_length=1)
    h = filter_edges(edges, "h", min_length=1)
    merged = merge_edges(v + h, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    kept = filter_edges(merged, min_length=3)
    return cells_to_tables(intersections_to_cells(edges_to_intersections(kept, 3, 3)))


def _random_edges(rng) -> list[dict]:
    """A ruling of a few rows and columns, jittered, cut into pieces, doubled, with stray lines."""
    xs = sorted(rng.sample(range(40, 560, 4), rng.randint(2, 7)))
    ys = sorted(rng.sample(range(40, 800, 4), rng.randint(2, 9)))
    jitter = rng.choice([0, 0.5, 1.5, 2.9, 3.5])
    out = []

    def edge(x0, top, x1, bottom):
        out.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                    "orientation": "h" if top == bottom else ("v" if x0 == x1 else None)})

    for y in ys:
        y = y + rng.uniform(-jitter, jitter)
        cuts = sorted(rng.sample(xs, rng.randint(2, len(xs)))) if rng.random() < 0.3 else [xs[0], xs[-1]]
        for a, b in zip(cuts, cuts[1:]):
            edge(a + rng.uniform(-jitter, jitter), y, b + rng.uniform(-jitter, jitter), y)
    for x in xs:
        x = x + rng.uniform(-jitter, jitter)
        lo, hi = (ys[0], ys[-1]) if rng.random() < 0.7 else sorted(rng.sample(ys, 2))
        edge(x, lo + rng.uniform(-jitter, jitter), x, hi + rng.uniform(-jitter, jitter))
    for _ in range(rng.randint(0, 4)):  # strays: short, diagonal, duplicated
        kind = rng.random()
        x, y = rng.uniform(0, 600), rng.uniform(0, 800)
        if kind < 0.3:
            edge(x, y, x + rng.uniform(0, 5), y)
        elif kind < 0.6:
            edge(x, y, x + 10, y + 10)
        elif out:
            out.append(dict(rng.choice(out)))
    rng.shuffle(out)
    return out


def test_table_finder_equals_pdfplumbers_on_random_rulings():
    import random

    rng = random.Random(17)
    found = 0
    for _ in range(1500):
        edges = _random_edges(rng)
        want = _plumbers_cells([dict(e) for e in edges])
        assert table_cells(edges) == want
        found += bool(want)
    assert found > 500
