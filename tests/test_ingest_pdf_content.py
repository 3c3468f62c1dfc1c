"""The content-stream reader (audit.ingest.pdf_content) gives the objects pdfminer's content parser gives,
in the same order and of the same types — on every page (and form) of the sample and real PDFs, on
hand-made streams for each part of the grammar, and on random token soup; and what it declines (inline
images, procedures, escaped names, odd brackets, tokens cut at a stream's end …) it leaves to pdfminer's
parser, so a page holding such things reads exactly as pdfplumber reads it."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, stream_value

from audit.ingest import pdf_content, pdf_device
from audit.ingest.pdf_content import content_objects
from audit.ingest.pdf_device import PageBox, PageDevice, PageInterpreter, pdfminer_objects

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "corpora" / "samples").glob("*.pdf"))
REAL = sorted((ROOT.parent / "shared" / "reports" / "real").glob("*.pdf"))


def typed(x):
    """An object with the type of every part spelled out: 1 == 1.0 == True, but pdfminer keeps them apart."""
    if isinstance(x, list):
        return ("list", [typed(v) for v in x])
    if isinstance(x, dict):
        return ("dict", {k: typed(v) for k, v in x.items()})
    return (type(x).__name__, x)


def streams_of(datas: list[bytes]) -> list[PDFStream]:
    out = []
    for n, data in enumerate(datas, start=1):
        s = PDFStream({}, data)
        s.objid = n
        out.append(s)
    return out


def reference(datas: list[bytes]):
    return list(pdfminer_objects(streams_of(datas)))


def assert_read_as_pdfminer_reads(datas: list[bytes]) -> list:
    fast = content_objects(datas)
    assert fast is not None, datas
    assert typed(fast) == typed(reference(datas))
    return fast


# ------------------------------------------------------------------------------- whole files


class _Recorder(PageInterpreter):
    """The ingest's interpreter, noting the decoded streams of every content it executes (page and forms)."""

    seen: list = []

    def _execute(self, streams) -> None:
        valid = [s for s in (stream_value(o) for o in streams) if s.objid is not None]
        _Recorder.seen.append([s.get_data() for s in valid])
        super()._execute(streams)

    execute = pdf_device.budgeted_execute(_execute)


@pytest.mark.parametrize("path", SAMPLES + REAL, ids=lambda p: p.name)
def test_every_content_of_the_sample_and_real_pdfs_reads_as_pdfminer_reads_it(path):
    _Recorder.seen = []
    doc = PDFDocument(PDFParser(io.BytesIO(path.read_bytes())), password="")
    rsrc = PDFResourceManager()
    device = PageDevice(rsrc)
    interp = _Recorder(rsrc, device)
    for page in PDFPage.create_pages(doc):
        device.start(PageBox(page))
        interp.process_page(page)
    assert _Recorder.seen
    n = 0
    for datas in _Recorder.seen:
        n += len(assert_read_as_pdfminer_reads(datas))  # Word- and Writer-made files: never left to pdfminer
    assert n > 1000


# --------------------------------------------------------------------------------- hand-made


PLAIN = [
    [b"BT /F1 12 Tf 1 0 0 1 72.5 700 Tm (Report) Tj ET"],
    [b"BT/F1 9.5 Tf[(a)-250.5(b)12<0041>]TJ T* (c)' 1 2 (d)\" ET"],  # tokens touching delimiters, ' and "
    [b"/P <</MCID 0 /Lang (zh-CN) /A [1 2 <</N /X>>]>> BDC EMC /Artifact BMC EMC"],  # nested dictionaries
    [b"1. .5 -.5 +3 -0 007 1.2.3 12Tz 7/F1 4(x)"],  # numbers as pdfminer splits them
    [b"(a\\nb\\tc\\\\d\\(e\\)f\\101\\0g\\12x\\q\\\nh\\\r\ni)(a(b(c)d)e)()"],  # escapes, nesting, empty
    [b"<00 41\n42><4><><0a0B>"],  # hex strings: whitespace, an odd digit, empty, both cases
    [b"% a comment\r1 0 0 RG %another\n2 w\x00 3 M \x0b\x0c q true false Q"],  # comments, NUL, \v \f, bools
    [b"\xe4\xb8\xad Tj"[3:], b"q 1 0 0", b" 1 0 0 cm", b"", b"Q"],  # several streams, operands across them
    [b"/F1 12", b"Tf 12", b"3 Td"],  # a token at a stream's end stops there, as pdfminer tacks on a newline
    [b"BT (" + b"x" * 5000 + b") Tj ET"],  # longer than pdfminer's 4 KiB buffer
    [b"/\xe4\xb8\xad 1 Tf /\xff 2 Tf"],  # names in UTF-8, and bytes that are not
    [b"0 g 1 1 m 2 2 l S trueish falsey nullop"],
]


@pytest.mark.parametrize("datas", PLAIN, ids=range(len(PLAIN)))
def test_plain_streams_read_as_pdfminer_reads_them(datas):
    assert_read_as_pdfminer_reads(datas)


DECLINED = [
    [b"q BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\xff\x00 EI Q"],  # an inline image
    [b"{ 1 2 } 3 Td"],  # a procedure
    [b"/A#20B 1 Tf"],  # a name with a # escape
    [b"/ 1 Tf"],  # an empty name: pdfminer may join it to the next stream
    [b"[(a) Tj] TJ"],  # an operator inside an array
    [b"1 2 > 3 Td"], [b"(a)) Tj"], [b"1 ] Td"], [b"[ 1 2 Td"], [b"<< /A >> BDC"], [b"<< 1 2 >> BDC"],
    [b"[1 2 >> TJ"], [b"<< /A 1 ] BDC"],
    [b"(abc"], [b"<0041"], [b"1 2 <"], [b"(a\\"],  # cut at the end
    [b"(\\777) Tj"],  # an octal escape past 255: pdfminer asserts
    [b"(" + b"x" * 4093 + b"\\\r\ny) Tj"],  # a \r\n escape split by pdfminer's read buffer (it keeps the \n)
    [b"<0041>> Tj"], [b"<0041>", b"> Tj"],  # a '>' pdfminer reads with the one closing a hex string
    [b"- 1 Td"], [b". 1 Td"], [b"-. 1 Td"], [b"+x"],  # signs and points that are no number
    [b"1 0 0 1 0 0 cm \x80"], [b"# 1"], [b"1 2 *"],  # other single characters
]


@pytest.mark.parametrize("datas", DECLINED, ids=range(len(DECLINED)))
def test_what_the_reader_declines_is_left_to_pdfminer(datas):
    assert content_objects(datas) is None


def test_random_token_soup_reads_as_pdfminer_reads_it_whenever_it_is_read():
    frags = [b" ", b"\n", b"\r", b"\r\n", b"\t", b"\x00", b"\x0c", b"12", b"-3", b"+4", b".5", b"-.25", b"1.", b"1.2.3",
             b"--1", b"+", b"-", b".", b"Tj", b"TJ", b"Tf", b"T*", b"'", b'"', b"BT", b"ET", b"true", b"false", b"null",
             b"/F1", b"/", b"/a#20b", b"/P", b"(", b")", b"(abc)", b"(a(b)c)", b"\\", b"\\n", b"\\101", b"\\777", b"\\0",
             b"\\q", b"\\\r\n", b"<", b">", b"<<", b">>", b"<0041>", b"<00 4>", b"<>", b"[", b"]", b"{", b"}", b"%c\n",
             b"%", b"BI", b"ID", b"EI", b"\xe4\xb8\xad", b"#", b"x", b"/MCID", b"0", b"BDC", b"re", b"\\(", b"\\)",
             b"12abc", b"7/F"]
    rng = random.Random(17)
    read = 0
    for _ in range(4000):
        datas = [b"".join(rng.choice(frags) for _ in range(rng.randint(0, 20)))
                 for _ in range(rng.choice([1, 1, 2, 3]))]
        fast = content_objects(datas)
        if fast is None:
            continue
        read += 1
        assert typed(fast) == typed(reference(datas)), datas
    assert read > 300  # the comparison is not vacuous


def test_a_page_the_reader_declines_still_reads_as_pdfplumber_reads_it():
    """An inline image on a page with text: pdfminer's parser reads that page, glyphs and image as before."""
    from tests.test_ingest_pdf_device import _pdf, _same, _stream

    content = (b"BT /F1 11 Tf 80 700 Td (before the image) Tj ET\n"
               b"q 20 0 0 20 100 600 cm BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\xff\x00 EI Q\n"
               b"BT /F1 11 Tf 80 560 Td (after the image) Tj ET")
    assert content_objects([content]) is None
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        _stream(content),
    ])
    pages = _same(data)
    assert "".join(g[0] for g in pages[0]["chars"]) == "before the imageafter the image"
    assert pages[0]["images"] == 1


def test_a_line_continuation_is_read_as_pdfminer_reads_it_on_either_side_of_its_buffer_edge():
    before = [b"(" + b"x" * 4092 + b"\\\r\ny) Tj"]  # \r\n inside pdfminer's first 4 KiB: both dropped
    split = [b"(" + b"x" * 4093 + b"\\\r\ny) Tj"]  # \r last in the buffer: pdfminer keeps the \n
    assert assert_read_as_pdfminer_reads(before)[0].endswith(b"xxy")
    assert reference(split)[0].endswith(b"x\ny") and content_objects(split) is None


def test_the_buffer_size_is_pdfminers():
    from pdfminer.psparser import PSBaseParser

    assert pdf_content.BUFSIZ == PSBaseParser.BUFSIZ
