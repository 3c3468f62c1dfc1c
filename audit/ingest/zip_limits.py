"""Bounds on what a Word file's zip container may make the reader inflate, measured, not declared.

python-docx reads every part with ``zipfile``, which inflates a member's whole compressed data in one
call whatever size its directory declares (and only then finds the checksum wrong): a 2 MB file whose
``word/document.xml`` declares 100 KB but inflates to 2 GB costs 2 GB before it is refused. So before
python-docx sees a file, :func:`check_parts` inflates each member in bounded steps and counts what comes
out: the parts together may hold :data:`MAX_PARTS_BYTES`, the XML parts (which lxml turns into trees
several times their size) :data:`MAX_XML_BYTES`; a member that inflates to another size than it declares
is a damaged file.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

from audit.errors import CorruptFile, TooLarge

#: all parts of a Word file, inflated (a report with its images: under 20 MB)
MAX_PARTS_BYTES = 128 * 1024 * 1024
#: the XML parts together (a report's document.xml: under 5 MB)
MAX_XML_BYTES = 32 * 1024 * 1024
_STEP = 1 << 20


def check_parts(data: bytes) -> None:
    """Raise TooLarge or CorruptFile (one line) unless every member of the zip ``data`` inflates to the
    size it declares and the bounds hold; costs one bounded pass of inflating, no more memory than a step."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptFile(f"damaged zip container (a truncated Word file?): {exc}") from None
    total = xml = 0
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            is_xml = info.filename.lower().endswith((".xml", ".rels"))
            room = min(MAX_PARTS_BYTES - total, (MAX_XML_BYTES - xml) if is_xml else MAX_PARTS_BYTES)
            size = _inflated_size(data, info, room)
            if size != info.file_size:
                raise CorruptFile(f"damaged Word file: the part {info.filename} declares {info.file_size:,} bytes "
                                  f"but holds {size:,}")
            total += size
            xml += size if is_xml else 0


def _inflated_size(data: bytes, info: zipfile.ZipInfo, room: int) -> int:
    """The bytes ``info``'s data inflates to, counted in steps; TooLarge as soon as it passes ``room``."""
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04":
        raise CorruptFile(f"damaged Word file: no local header for the part {info.filename}")
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    raw = data[begin:begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        size = len(raw)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        d = zlib.decompressobj(-zlib.MAX_WBITS)
        size, pending = 0, raw
        try:
            while pending and not d.eof:
                size += len(d.decompress(pending, _STEP))
                pending = d.unconsumed_tail
                if size > room:
                    break
            if size <= room and not d.eof:
                size += len(d.flush())
        except zlib.error as exc:
            raise CorruptFile(f"damaged Word file: the part {info.filename} does not inflate ({exc})") from None
    else:
        raise CorruptFile(f"damaged Word file: the part {info.filename} uses compression method "
                          f"{info.compress_type}, which Word does not write")
    if size > room:
        which = "XML parts" if info.filename.lower().endswith((".xml", ".rels")) else "parts"
        bound = MAX_XML_BYTES if which == "XML parts" else MAX_PARTS_BYTES
        raise TooLarge(f"the Word file's {which} inflate to more than {bound // 2**20} MB (at {info.filename}; "
                       "a zip bomb?)")
    return size
