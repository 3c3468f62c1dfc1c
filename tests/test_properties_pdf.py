"""Property-based tests (hypothesis) of the bounded PDF stream decoders (``audit.ingest.pdf_limits``):
under the bound they give pdfminer's bytes exactly, past it they raise ``StreamTooLarge``; and the
resolution of reference chains that loop."""
from __future__ import annotations

import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.ingest import pdf_limits
from audit.ingest.pdf_limits import (StreamTooLarge, _BoundedZlib, bounded_decompress_corrupted, bounded_lzwdecode,
                                     bounded_rldecode)

#: this module's settings, applied per test (a loaded profile would change every module's)
_S = settings(max_examples=60, deadline=None)


def _reference_corrupted(data: bytes) -> bytes:
    """pdfminer.six's ``decompress_corrupted`` as published (one byte at a time)."""
    d = zlib.decompressobj()
    out, i = b"", 0
    try:
        for i in range(len(data)):
            out += d.decompress(data[i:i + 1])
    except zlib.error:
        if i < len(data) - 3:
            raise
    return out


@given(st.binary(max_size=3000), st.integers(0, 9))
@_S
def test_inflate_gives_zlibs_bytes(data, level):
    z = zlib.compress(data, level)
    assert _BoundedZlib.decompress(z) == data
    d = _BoundedZlib.decompressobj()
    assert d.decompress(z) + d.flush() == data


@given(st.binary(min_size=1, max_size=3000), st.data())
@_S
def test_damaged_stream_recovery_matches_pdfminers(data, draw):
    z = bytearray(zlib.compress(data))
    how = draw.draw(st.sampled_from(["cut", "flip", "tail"]))
    if how == "cut":
        z = z[:draw.draw(st.integers(1, len(z)))]
    elif how == "flip":
        i = draw.draw(st.integers(0, len(z) - 1))
        z[i] ^= 1 << draw.draw(st.integers(0, 7))
    else:
        z[-4:] = b"\x00\x00\x00\x00"  # a wrong checksum, the case the recovery is for
    z = bytes(z)
    try:
        expected = _reference_corrupted(z)
    except zlib.error:
        with pytest.raises(zlib.error):
            bounded_decompress_corrupted(z)
        return
    assert bounded_decompress_corrupted(z) == expected


def _rl_encode(data: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        run = 1
        while i + run < len(data) and run < 128 and data[i + run] == data[i]:
            run += 1
        if run > 1:
            out += bytes([257 - run, data[i]])
            i += run
        else:
            chunk = data[i:i + 128]
            out += bytes([len(chunk) - 1]) + chunk
            i += len(chunk)
    return bytes(out + b"\x80")


@given(st.binary(max_size=2000))
@_S
def test_runlength_matches_pdfminers(data):
    from pdfminer.runlength import rldecode

    enc = _rl_encode(data)
    assert bounded_rldecode(enc) == rldecode(enc) == data


@given(st.binary(max_size=400))
@_S
def test_lzw_matches_pdfminers(data):
    from pdfminer.lzw import lzwdecode

    try:
        expected = lzwdecode(data)
    except Exception as exc:  # noqa: BLE001 - whatever pdfminer does on junk, the bounded one does too
        with pytest.raises(type(exc)):
            bounded_lzwdecode(data)
        return
    assert bounded_lzwdecode(data) == expected


def test_every_decoder_stops_at_the_bound(monkeypatch):
    monkeypatch.setattr(pdf_limits, "MAX_STREAM_BYTES", 1 << 16)
    big = bytes(1 << 17)
    z = zlib.compress(big)
    with pytest.raises(StreamTooLarge):
        _BoundedZlib.decompress(z)
    with pytest.raises(StreamTooLarge):
        _BoundedZlib.decompressobj().decompress(z)
    with pytest.raises(StreamTooLarge):
        bounded_decompress_corrupted(z[:-4] + b"\x00" * 4)
    with pytest.raises(StreamTooLarge):
        bounded_rldecode(bytes([129, 0]) * 1100)
    assert _BoundedZlib.decompress(zlib.compress(bytes(1 << 16))) == bytes(1 << 16)  # at the bound: read


def test_a_reference_loop_reads_as_null():
    from pdfminer.pdftypes import PDFObjRef, resolve1

    pdf_limits.install()

    class Doc:
        objs = {1: None, 2: None, 3: 7}

        def getobj(self, objid):
            return self.objs[objid]

    doc = Doc()
    doc.objs[1] = PDFObjRef(doc, 2)
    doc.objs[2] = PDFObjRef(doc, 1)  # 1 → 2 → 1 → …
    doc.objs[4] = PDFObjRef(doc, 3)
    assert resolve1(PDFObjRef(doc, 1)) is None
    assert resolve1(PDFObjRef(doc, 1), default=0) == 0
    assert resolve1(PDFObjRef(doc, 4)) == 7
