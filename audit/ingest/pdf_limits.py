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


class StreamTooLarge(Exception):
    """A PDF stream decodes to more than :data:`MAX_STREAM_BYTES` (not a ``zlib.error``: pdfminer must
    not catch it)."""

    def __init__(self, filter_name: str):
        super().__init__(f"a {filter_name} stream decodes to more than {MAX_STREAM_BYTES // 2**20} MB "
                         "(a decompression bomb?)")


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


def install() -> None:
    from pdfminer import pdfdocument, pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdfdocument.uint_value = _uint_value
        pdftypes.PDFObjRef.resolve = _resolve
        pdftypes.zlib = _BoundedZlib()
        pdftypes.decompress_corrupted = bounded_decompress_corrupted
        pdftypes.lzwdecode = bounded_lzwdecode
        pdftypes.rldecode = bounded_rldecode
