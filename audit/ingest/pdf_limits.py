"""Bounds on what one PDF may make the parser do: pages, the bytes a stream decodes to, reference loops,
the ruling lines tables are looked for among.

pdfminer.six inflates a stream whole (``zlib.decompress``), so a few kilobytes of FlateDecode data can
ask for gigabytes: a decompression bomb. :func:`install` puts bounded decoders in pdfminer's place
(FlateDecode and its recovery of a damaged stream, LZWDecode, RunLengthDecode; the other filters
cannot expand much): a stream that would
decode to more than :data:`MAX_STREAM_BYTES` raises :class:`StreamTooLarge`, which the PDF loader
reports as ``TooLarge``. The decoders give the same bytes as pdfminer's own for every stream under the
bound.

A reference that resolves to itself (directly or through a chain) would make pdfminer loop forever;
:func:`_resolve` reads such a loop as ``null``, as the PDF specification reads a reference to a missing
object.

The patch is process-wide (pdfminer keeps these functions at module level) and idempotent; it is
installed when ``audit.ingest.pdf`` is imported.
"""
from __future__ import annotations

import contextvars
import zlib
from io import BytesIO

#: The most bytes one stream may decode to. A report's page content is well under 1 MB and an embedded
#: CJK font under 20 MB; image streams are not decoded to read text.
MAX_STREAM_BYTES = 64 * 1024 * 1024
#: The most pages read. Real reports run to 5–60 pages (a province's consolidated report with annexes
#: to about 150); every page is parsed, so a file of thousands is refused before any is.
MAX_PAGES = 500


#: The most characters read from one PDF. A dense 150-page report holds about 300,000; a small file whose
#: hundreds of pages repeat one long content stream can hold millions (each costs about 35 µs and 1 KB
#: while its page is read, and its lines are kept), so reading stops here, about half a minute in.
MAX_CHARS = 1_000_000
#: The most cells a page's ruling lines may make for tables to be looked for among them (distinct rows ×
#: columns of lines). A report page with tables 三 and 四 makes under 2,000; pdfplumber's table finder
#: costs about the square of this (a page ruled 180 × 180 takes half a minute), so a page ruled finer is
#: read without ruled tables (its text is kept), with a note.
MAX_RULING_GRID = 8000


#: The most bytes all of one document's streams may decode to, together (each is bounded by
#: :data:`MAX_STREAM_BYTES` too): a report's pages and fonts decode to well under 50 MB; forty distinct
#: 60 MB streams would hold 2.4 GB in memory at once.
MAX_DOCUMENT_DECODED = 256 * 1024 * 1024
#: The most bytes of content streams interpreted for one document, counting a stream each time a page (or
#: a form on it) shows it: a 150-page report interprets under 20 MB; a small file whose pages all show
#: one 60 MB stream of whitespace would have the parser tokenise it page after page, with no character
#: to count.
MAX_CONTENT_BYTES = 128 * 1024 * 1024


class StreamTooLarge(Exception):
    """A PDF stream decodes to more than :data:`MAX_STREAM_BYTES` (not a ``zlib.error``: pdfminer must
    not catch it)."""

    def __init__(self, filter_name: str):
        super().__init__(f"a {filter_name} stream decodes to more than {MAX_STREAM_BYTES // 2**20} MB "
                         "(a decompression bomb?)")


class DocumentTooLarge(StreamTooLarge):
    """A document's streams together decode, or its pages interpret, more than the per-document budget."""

    def __init__(self, message: str):
        Exception.__init__(self, message)


class _Budget:
    """What one PDF document has spent: bytes decoded, bytes of content interpreted."""

    __slots__ = ("decoded", "interpreted")

    def __init__(self):
        self.decoded = 0
        self.interpreted = 0


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar("pdf_budget")


def _current() -> _Budget:
    try:
        return _budget.get()
    except LookupError:
        b = _Budget()
        _budget.set(b)
        return b


def _charge_decoded(n: int) -> None:
    b = _current()
    b.decoded += n
    if b.decoded > MAX_DOCUMENT_DECODED:
        raise DocumentTooLarge(f"the document's streams decode to more than {MAX_DOCUMENT_DECODED // 2**20} MB "
                               "together (a decompression bomb?)")


def _charge_interpreted(n: int) -> None:
    b = _current()
    b.interpreted += n
    if b.interpreted > MAX_CONTENT_BYTES:
        raise DocumentTooLarge(f"the pages show more than {MAX_CONTENT_BYTES // 2**20} MB of content streams "
                               "together (one stream repeated on page after page?)")


class _BoundedDecompressobj:
    """``zlib.decompressobj()`` whose total output is bounded."""

    def __init__(self, *args, **kw):
        self._d = zlib.decompressobj(*args, **kw)
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = MAX_STREAM_BYTES + 1 - self._out
        out = self._d.decompress(data, min(max_length, room) if max_length else room)
        self._out += len(out)
        if self._out > MAX_STREAM_BYTES or (self._d.unconsumed_tail and not max_length):
            raise StreamTooLarge("FlateDecode")
        return out

    def flush(self, *args) -> bytes:
        out = self._d.flush(*args)
        self._out += len(out)
        if self._out > MAX_STREAM_BYTES:
            raise StreamTooLarge("FlateDecode")
        return out

    def __getattr__(self, name):
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        d = zlib.decompressobj(wbits)
        out = d.decompress(data, MAX_STREAM_BYTES + 1)
        if len(out) > MAX_STREAM_BYTES:
            raise StreamTooLarge("FlateDecode")
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    decompressobj = _BoundedDecompressobj

    def __getattr__(self, name):
        return getattr(zlib, name)


def bounded_decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (inflate a stream whose checksum is damaged, keeping what
    decodes), bounded and linear: the original feeds one byte at a time and concatenates, which is
    quadratic in the output. Here whole chunks are fed, and a chunk that fails is fed again byte by byte
    from a copy of the decoder's state, to find the failing byte as the original does."""
    d = _BoundedDecompressobj()
    out: list[bytes] = []
    pos, step = 0, 4096
    while pos < len(data):
        chunk = data[pos:pos + step]
        state, produced = d._d.copy(), d._out
        try:
            out.append(d.decompress(chunk))
        except zlib.error:
            d._d, d._out = state, produced
            for k in range(len(chunk)):
                try:
                    out.append(d.decompress(chunk[k:k + 1]))
                except zlib.error:
                    if pos + k < len(data) - 3:  # not in the trailing checksum: the stream is bad
                        raise
                    return b"".join(out)
        pos += len(chunk)
    return b"".join(out)


def bounded_lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out, n = [], 0
    for chunk in LZWDecoder(BytesIO(data)).run():
        n += len(chunk)
        if n > MAX_STREAM_BYTES:
            raise StreamTooLarge("LZWDecode")
        out.append(chunk)
    return b"".join(out)


def bounded_rldecode(data: bytes) -> bytes:
    """pdfminer's ``rldecode`` (PDF 1.7, 7.4.5) with its output bounded."""
    out = bytearray()
    i = 0
    while i < len(data):
        length = data[i]
        if length == 128:
            break
        if length < 128:
            out += data[i + 1:i + 2 + length]
            i += length + 2
        else:
            out += data[i + 1:i + 2] * (257 - length)
            i += 2
        if len(out) > MAX_STREAM_BYTES:
            raise StreamTooLarge("RunLengthDecode")
    return bytes(out)


#: Hops followed along a chain of references (``4 0 obj 5 0 R``, ``5 0 obj 6 0 R`` …) before the chain
#: is taken for a loop and read as ``null``.
MAX_REF_CHAIN = 32


def _resolve(self, default: object = None):
    """``PDFObjRef.resolve`` that follows a chain of references to its end, or gives ``default`` for a
    chain that loops (``4 0 obj 4 0 R endobj``): pdfminer's ``resolve1`` loops while the result is a
    reference, forever on such a file."""
    from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef

    x = self
    for _ in range(MAX_REF_CHAIN):
        try:
            x = x.doc.getobj(x.objid)
        except PDFObjectNotFound:
            return default
        if not isinstance(x, PDFObjRef):
            return x
    return default


def _uint_value(x: object, n_bits: int) -> int:
    """pdfminer's ``uint_value`` (a signed number as two's complement) kept within ``n_bits``: pdfminer's
    own turns 0 into 2**n_bits, so an owner-password PDF with ``/P 0`` (no permission granted) failed to
    open with "'L' format requires 0 <= number <= 4294967295"."""
    from pdfminer.pdftypes import int_value

    return int_value(x) & ((1 << n_bits) - 1)


def _budgeted_document_init(original):
    def __init__(self, *args, **kw):
        _budget.set(_Budget())  # a new document: a fresh budget (in this thread's context)
        original(self, *args, **kw)

    __init__._audit_budget = True
    return __init__


def _budgeted_decode(original):
    def decode(self) -> None:
        filtered = bool(self.get_filters())
        original(self)
        if filtered and self.data is not None:
            _charge_decoded(len(self.data))

    return decode


def budgeted_execute(original):
    """``original`` (a ``PDFPageInterpreter.execute``) charging the document's content budget first."""

    def execute(self, streams) -> None:
        from pdfminer.pdftypes import PDFStream, resolve1

        total = 0
        for obj in streams:
            s = resolve1(obj)
            if isinstance(s, PDFStream):
                total += len(s.get_data())
        _charge_interpreted(total)
        original(self, streams)

    return execute


def install() -> None:
    from pdfminer import pdfdocument, pdfinterp, pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdfdocument.uint_value = _uint_value
        pdfdocument.PDFDocument.__init__ = _budgeted_document_init(pdfdocument.PDFDocument.__init__)
        pdftypes.PDFStream.decode = _budgeted_decode(pdftypes.PDFStream.decode)
        pdfinterp.PDFPageInterpreter.execute = budgeted_execute(pdfinterp.PDFPageInterpreter.execute)
        pdftypes.PDFObjRef.resolve = _resolve
        pdftypes.zlib = _BoundedZlib()
        pdftypes.decompress_corrupted = bounded_decompress_corrupted
        pdftypes.lzwdecode = bounded_lzwdecode
        pdftypes.rldecode = bounded_rldecode
