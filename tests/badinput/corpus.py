"""The files of the bad-input corpus: how each is made and what the tool must make of it.

The fixture reports come from ``corpora.generator`` (synthetic agencies and figures) and from the
generated samples in ``corpora/samples``; no real report's text is used.
"""
from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "corpora" / "samples"
MB = 2**20


@dataclass(frozen=True)
class BadFile:
    name: str
    make: Callable[[], bytes] | Callable[[Path], None]  # bytes, or write the file itself (big files)
    expect: str | frozenset[str]  # an error code, or "ok" (audited; ``check`` says what must be in it)
    why: str
    check: Callable | None = None  # (Result) -> None, asserting the finding
    streamed: bool = False  # ``make`` writes to a path instead of returning bytes

    @property
    def codes(self) -> frozenset[str]:
        return self.expect if isinstance(self.expect, frozenset) else frozenset({self.expect})

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        if self.streamed:
            self.make(path)
        else:
            path.write_bytes(self.make())
        return path


def build(folder: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the corpus (or the named files of it) into ``folder``; name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {b.name: b.write(folder) for b in CORPUS + ZIPS if names is None or b.name in names}


# --------------------------------------------------------------------------------------- fixtures


@lru_cache(maxsize=None)
def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@lru_cache(maxsize=None)
def _spec(year: str = "2021", seed: int = 31):
    from corpora.generator import random_report

    return random_report(year, seed=seed)


@lru_cache(maxsize=None)
def report_text() -> str:
    """A generated 2021-format report as text, tables as tab-separated lines."""
    from corpora.generator import render

    return render(_spec(), "txt", encoding="utf-8", style="tab").decode("utf-8")


def _agency() -> str:
    return _spec().meta.agency


@lru_cache(maxsize=None)
def report_pdf(encrypt=None) -> bytes:
    from corpora.generator.render_reportlab import render_reportlab

    return render_reportlab(_spec(), "plain", encrypt=encrypt)


# ------------------------------------------------------------------------------------------- PDFs


def pdf_from_objects(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object n is ``objects[n-1]``), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref)
    return bytes(out)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def many_pages(n: int = 2000, declared: int | None = None) -> bytes:
    """``n`` pages sharing one tiny content stream (cheap pages); ``declared`` a lying /Count."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n if declared is None else declared),
            _stream(b"BT /F1 12 Tf 72 720 Td (2023) Tj ET"),
            _FONT]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objs += [page] * n
    return pdf_from_objects(objs)


def nested_arrays(depth: int = 100_000) -> bytes:
    """A page whose resources hold an array nested ``depth`` deep."""
    deep = b"[" * depth + b"]" * depth
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> /Deep " + deep + b" >> >>",
                 _stream(b"BT /F1 12 Tf 72 720 Td (2023) Tj ET"),
                 _FONT])


def circular_pages() -> bytes:
    """A page tree whose node lists itself among its kids, and a page whose contents refer to themselves."""
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> >>",
                 b"4 0 R",
                 _FONT,
                 # a form XObject that draws itself
                 _stream(b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                         b"/Resources << /XObject << /X 6 0 R >> >> ")])


def self_drawing_form() -> bytes:
    """A page drawing a form XObject that draws itself (infinite recursion if followed blindly)."""
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> >>",
                 _stream(b"BT /F1 12 Tf 72 720 Td (2023) Tj ET /X Do"),
                 _FONT,
                 _stream(b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                         b"/Resources << /XObject << /X 6 0 R >> >> ")])


def ruled_grid(pages: int = 5, n: int = 180) -> bytes:
    """Pages sharing one content stream: a line of text under a grid of n × n ruling lines (about
    30,000 cells for pdfplumber's table finder, half a minute a page)."""
    ops = [b"BT /F1 12 Tf 72 800 Td (2023) Tj ET"]
    for i in range(n):
        x, y = 10 + 580 * i / n, 10 + 820 * i / n
        ops.append(b"%.2f 10 m %.2f 830 l S 10 %.2f m 590 %.2f l S" % (x, x, y, y))
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                 _stream(b"\n".join(ops)), _FONT] + [page] * pages)


def repeated_stream(pages: int = 400, per_page: int = 10_000) -> bytes:
    """``pages`` pages that all show one content stream of ``per_page`` characters (by default 4 million
    in all, from a file of about 60 KB; reading up to the bound takes half a minute, so the corpus test
    uses a smaller one under a lowered bound)."""
    ops = [b"BT /F1 6 Tf"] + [b"1 0 0 1 %d %d Tm (0123456789) Tj" % (20 + 57 * (i % 10), 20 + 8 * (i // 10) % 800)
                               for i in range(per_page // 10)] + [b"ET"]
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                 _stream(b"\n".join(ops)), _FONT] + [page] * pages)


def _deflate_bomb(size: int) -> bytes:
    """zlib data that inflates to ``size`` zero bytes, made in milliseconds: after a full flush the
    compressor's output for the same 1 MB of zeros repeats, so one block is repeated."""
    zeros = bytes(MB)
    c = zlib.compressobj(9)
    head = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    return head + block * (size // MB - 1) + tail


def bomb_pdf() -> bytes:
    """A page whose content stream (about 1 MB) inflates to 1 GB."""
    data = _deflate_bomb(1024 * MB)
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                 _stream(data, b"/Filter /FlateDecode ")])


def many_streams_pdf(streams: int = 40, size: int = 60 * MB) -> bytes:
    """``streams`` pages, each with a distinct content stream of ``size`` bytes (spaces and a number, so no
    two are alike), each small compressed: every one under the per-stream bound, together far over the
    document's (by default 2.4 GB from a file of a few MB)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(streams)),
                                                          streams)]
    for i in range(streams):
        c = zlib.compressobj(9)
        data = c.compress(b"%% %d\n" % i) + b"".join(c.compress(bytes(b" ") * MB) for _ in range(size // MB)) + c.flush()
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>" % (4 + 2 * i))
        objs.append(_stream(data, b"/Filter /FlateDecode "))
    return pdf_from_objects(objs)


def one_stream_many_times_pdf(times: int = 1000, size: int = 60 * MB) -> bytes:
    """One page whose contents list one whitespace stream of ``size`` bytes ``times`` times: no character
    to count, and the parser tokenising it again and again (by default 60 GB to read, from 70 KB)."""
    c = zlib.compressobj(9)
    data = b"".join(c.compress(bytes(b" ") * MB) for _ in range(size // MB)) + c.flush()
    refs = b" ".join([b"4 0 R"] * times)
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R >>",
                             b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [%s] >>" % refs,
                             _stream(data, b"/Filter /FlateDecode ")])


def pdf_with_actions() -> bytes:
    """A text page with JavaScript and launch actions (which a reader of the text layer never runs)."""
    content = b"BT /F1 12 Tf 72 720 Td (2023) Tj ET"
    return pdf_from_objects([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                 b"/Resources << /Font << /F1 5 0 R >> >> /AA << /O 7 0 R >> >>",
                 _stream(content), _FONT,
                 b"<< /S /JavaScript /JS (app.alert\\('x'\\)) >>",
                 b"<< /S /Launch /F (/bin/sh) >>"])


def truncated_pdf() -> bytes:
    data = sample("2020_district_plain.pdf")
    return data[: len(data) * 2 // 5]


def garbled_pdf() -> bytes:
    """The sample with 8 KB of random bytes written over its middle (objects and streams broken)."""
    data = bytearray(sample("2020_district_plain.pdf"))
    rng = random.Random(9)
    mid = len(data) // 2
    data[mid:mid + 8192] = bytes(rng.randrange(256) for _ in range(8192))
    return bytes(data)


def no_xref_pdf() -> bytes:
    """The sample with its cross-reference table and trailer pointer overwritten (a reader rebuilds it)."""
    data = bytearray(sample("2022_department_defects.pdf"))
    at = data.rfind(b"startxref")
    data[at:] = b"startxref\n999999999\n%%EOF\n"
    return bytes(data)


def scanned_pdf() -> bytes:
    from corpora.generator.bad_files import scanned_pdf as scan

    return scan(random.Random(3), pages=1)


def encrypted_pdf() -> bytes:
    return report_pdf("gk-2024")


def empty_password_pdf() -> bytes:
    """The report's text (not its tables) drawn with an embedded font and encrypted with an empty user
    password (only an owner password): it opens without a password. (reportlab leaves the strings of a
    built-in CID font's CIDSystemInfo unencrypted, so its encrypted report files are themselves broken.)"""
    from tests._pdf_helpers import DrawnPage, drawn_pdf

    lines = []
    for ln in report_text().split("\n"):
        if ln.strip() and "\t" not in ln:
            lines += [ln[i:i + 40] for i in range(0, len(ln), 40)]
    pages = [DrawnPage(texts=[(50, 40 + 15 * k, t) for k, t in enumerate(lines[i:i + 50])], size=11)
             for i in range(0, len(lines), 50)]
    return drawn_pdf(pages, user_password="")


def _drawn_report(**kw) -> bytes:
    from tests._pdf_helpers import DrawnPage, drawn_pdf

    lines = []
    for ln in report_text().split("\n"):
        if ln.strip() and "\t" not in ln:
            lines += [ln[i:i + 40] for i in range(0, len(ln), 40)]
    pages = [DrawnPage(texts=[(50, 40 + 15 * k, t) for k, t in enumerate(lines[i:i + 50])], size=11)
             for i in range(0, len(lines), 50)]
    return drawn_pdf(pages, **kw)


def owner_password_p0_pdf() -> bytes:
    """Encrypted with an owner password only and ``/P 0`` (no permission granted): it opens without a
    password. (pdfminer read 0 as 2**32 and failed with "'L' format requires …".)"""
    from unittest import mock

    from reportlab.lib import pdfencrypt

    class NoPermissions(pdfencrypt.StandardEncryption):
        def permissionBits(self):
            return 2**31  # reportlab stores P = bits - 2**31

    with mock.patch.object(pdfencrypt, "StandardEncryption", NoPermissions):
        data = _drawn_report(user_password="")
    assert b"/P 0" in data
    return data


def font_without_bbox_pdf() -> bytes:
    """An embedded font whose descriptor's FontBBox is empty: pdfminer logs a warning (which used to reach
    stderr as a second line) and reads the text."""
    data = _drawn_report(embedded_font=True)
    for m in set(re.findall(rb"/FontBBox ?\[[^\]]*\]", data)):
        data = data.replace(m, b"/FontBBox [ ]".ljust(len(m)))  # same length: the xref stays right
    return data


# --------------------------------------------------------------------------------------- Word files


def _docx_with(document_xml: bytes | None = None, extra: dict[str, bytes] | None = None,
               declared: dict[str, int] | None = None) -> bytes:
    """The generated sample .docx with its ``word/document.xml`` replaced (and parts added)."""
    src = zipfile.ZipFile(io.BytesIO(sample("2023_city_org_total.docx")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml" and document_xml is not None:
                data = document_xml
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return buf.getvalue()


def _document_xml() -> bytes:
    return zipfile.ZipFile(io.BytesIO(sample("2023_city_org_total.docx"))).read("word/document.xml")


def docx_broken_xml() -> bytes:
    xml = _document_xml()
    return _docx_with(xml[: len(xml) // 2] + b"<w:p><w:r><w:t>unclosed")


def docx_xxe(secret: Path) -> Callable[[], bytes]:
    """``word/document.xml`` with a DOCTYPE whose external entity names a local file."""
    def make() -> bytes:
        xml = _document_xml()
        start = xml.index(b"<w:document")
        doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>'
        body = xml[start:].replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", 1)
        return _docx_with(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype + body)
    return make


def docx_laughs() -> bytes:
    """The billion laughs: nested entities that would expand to gigabytes."""
    xml = _document_xml()
    start = xml.index(b"<w:document")
    ents = b'<!ENTITY a0 "ha">' + b"".join(b'<!ENTITY a%d "&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;">'
                                           % ((i,) + (i - 1,) * 10) for i in range(1, 10))
    body = xml[start:].replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p>", 1)
    return _docx_with(b'<?xml version="1.0"?>\n<!DOCTYPE w:document [' + ents + b"]>" + body)


def docx_bomb() -> bytes:
    """A .docx whose media part inflates to 1 GB (its zip directory says so)."""
    return _zip_with_raw([("word/document.xml", _document_xml(), None),
                          ("[Content_Types].xml", zipfile.ZipFile(io.BytesIO(sample("2023_city_org_total.docx")))
                           .read("[Content_Types].xml"), None),
                          ("word/media/image1.bin", None, 1024 * MB)])


def docx_lying_size() -> bytes:
    """A .docx (2 MB) whose document.xml declares 100 KB but inflates to 2 GB: the zip directory's sizes
    are no bound (zipfile inflates the whole member before it finds the checksum wrong)."""
    src = zipfile.ZipFile(io.BytesIO(sample("2023_city_org_total.docx")))
    others = [(i.filename, src.read(i), None) for i in src.infolist() if i.filename != "word/document.xml"]
    return _zip_with_raw([("word/document.xml", None, 2048 * MB, 100_000), *others])


def docx_wrong_size() -> bytes:
    """A .docx whose document.xml inflates to other bytes than it declares (a damaged file, within bounds)."""
    src = zipfile.ZipFile(io.BytesIO(sample("2023_city_org_total.docx")))
    others = [(i.filename, src.read(i), None) for i in src.infolist() if i.filename != "word/document.xml"]
    return _zip_with_raw([("word/document.xml", None, 2 * MB, 100_000), *others])


def _zip_with_raw(members: list[tuple]) -> bytes:
    """A zip written by hand: each member ``(name, bytes, size[, declared])`` either stored deflated from
    its bytes, or (bytes None) a deflate bomb of ``size`` zero bytes with its true sizes and CRC in the
    headers -- unless ``declared`` is given: then the headers claim that many bytes (and no true CRC)."""
    out = bytearray()
    central = bytearray()
    for name, data, size, *declared in members:
        if data is not None:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
            crc, usize = zlib.crc32(data), len(data)
        elif declared:
            comp = _deflate_bomb(size)[2:-4]
            crc, usize = 0, declared[0]
        else:
            z = _deflate_bomb(size)
            comp = z[2:-4]  # raw deflate: without the zlib header and its Adler-32
            crc, zeros = 0, bytes(MB)
            for _ in range(size // MB):
                crc = zlib.crc32(zeros, crc)
            usize = size
        fname = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc, len(comp), usize, len(fname), 0)
        out += fname + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, crc, len(comp), usize,
                               len(fname), 0, 0, 0, 0, 0, offset) + fname
    cd = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), cd, 0)
    return bytes(out)


# ------------------------------------------------------------------------------------------- web pages


def _page(body_text: str, charset_decl: str = "utf-8") -> str:
    paras = "".join(f"<p>{ln}</p>\n" if "\t" not in ln else "" for ln in body_text.split("\n") if ln.strip())
    return (f'<!DOCTYPE html><html><head><meta charset="{charset_decl}"><title>{_spec().meta.title}</title>'
            f"</head><body><div class=\"article\">{paras}</div></body></html>")


def html_50mb(path: Path) -> None:
    """A 50 MB page: the sample page, then the same filler paragraph until 50 MB."""
    base = sample("2021_subdistrict_repeated_header.html")
    at = base.rfind(b"</body>")
    filler = ("<p>" + "本机关持续推进政务公开标准化规范化建设。" * 20 + "</p>\n").encode()
    with path.open("wb") as fh:
        fh.write(base[:at])
        block = filler * (MB // len(filler))
        for _ in range(50):
            fh.write(block)
        fh.write(base[at:])


def html_gbk_declared_utf8() -> bytes:
    """A page in GBK bytes whose <meta charset> says UTF-8."""
    return _page(report_text(), "utf-8").encode("gb18030")


def html_utf8_declared_gbk() -> bytes:
    """A page in UTF-8 bytes whose <meta charset> says GB2312 (a template's stale declaration)."""
    return _page(report_text(), "gb2312").encode("utf-8")


def html_gbk_inside_utf8() -> bytes:
    """A UTF-8 page whose section 五 paragraphs were pasted in as GBK bytes, inside the same lines as
    UTF-8 markup (a GBK template's fragment in a UTF-8 page)."""
    page = _page(report_text(), "utf-8").replace("\n", "")  # one line: UTF-8 and GBK side by side
    at = page.index("五、")
    end = page.index("六、")
    return page[:at].encode("utf-8") + page[at:end].encode("gb18030") + page[end:].encode("utf-8")


def html_deep() -> bytes:
    return (b"<html><body>" + b"<div>" * 50_000 + "一、总体情况".encode() + b"</div>" * 50_000 + b"</body></html>")


def html_gbk_damaged() -> bytes:
    """The generated GBK sample page with two bytes of its text damaged (a crawler's cut)."""
    data = bytearray(sample("2019_town_blank_cells.html"))
    at = data.index("总体情况".encode("gb18030"))
    data[at + 2: at + 4] = b"\xff\x30"
    return bytes(data)


# ------------------------------------------------------------------------------------------------ text


def utf16le() -> bytes:
    return report_text().encode("utf-16-le")


def utf16_bom() -> bytes:
    return report_text().encode("utf-16")


def mixed_encoding() -> bytes:
    """Lines in UTF-8, then from section 五 on in GB18030 (pasted together from two files)."""
    text = report_text()
    at = text.index("五、")
    return text[:at].encode("utf-8") + text[at:].encode("gb18030")


def _table_lines(text: str) -> list[int]:
    return [i for i, ln in enumerate(text.split("\n")) if "\t" in ln]


def no_tables() -> bytes:
    """The report with every table line removed: sections and text only."""
    lines = [ln for ln in report_text().split("\n") if "\t" not in ln]
    return "\n".join(lines).encode("utf-8")


def tables_wrong_order() -> bytes:
    """Tables 四 and 二 swapped: table 四's grid stands in section 二 and table 二's in section 四."""
    lines = report_text().split("\n")

    def block(after: str) -> tuple[int, int]:
        start = next(i for i, ln in enumerate(lines) if ln.startswith(after)) + 1
        while "\t" not in lines[start]:
            start += 1
        end = start
        while end < len(lines) and ("\t" in lines[end] or not lines[end].strip()):
            end += 1
        return start, end

    a0, a1 = block("二、")
    b0, b1 = block("四、政府信息公开行政复议")
    t2, t4 = lines[a0:a1], lines[b0:b1]
    lines = lines[:a0] + t4 + lines[a1:b0] + t2 + lines[b1:]
    return "\n".join(lines).encode("utf-8")


def letters_in_numbers() -> bytes:
    """Number cells of table 三 written with letters: l for 1, O for 0, and a word."""
    lines = report_text().split("\n")
    for i, ln in enumerate(lines):
        if ln.startswith("一、本年新收"):
            cells = ln.split("\t")
            cells[3] = "l2"  # a lower-case L for 1
            cells[4] = "O"  # a capital O for 0
            lines[i] = "\t".join(cells)
        elif "（一）予以公开" in ln:
            cells = ln.split("\t")
            cells[3] = "abc"
            lines[i] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def crawled_long_run() -> bytes:
    """The report as a crawler saves a page: table rows run together without separators, and the row of
    new applications followed by a run of 3,000 digits (the cuts of such a run into the row's cells are
    astronomically many)."""
    out = []
    for ln in report_text().split("\n"):
        if "\t" in ln:
            cells = [c for c in ln.split("\t") if c]
            if ln.startswith("一、本年新收"):
                cells = cells[:1] + ["1" * 3000]
            ln = "".join(cells)
        out.append(ln)
    return "\n".join(out).encode("utf-8")


def check_long_run(result) -> None:
    check_sections_only(result)
    assert str(result.fields["t3.new.total"].kind) == "unreadable"
    reason = result.fields.not_assessable["t3"]
    assert "split no way" in reason.en and "(3000 characters)" in reason.en and len(reason.en) < 300
    assert "3000" in reason.zh and len(reason.zh) < 300
    assert result.fields.number("t3.carried_in.total") == _spec().values["t3.carried_in.total"]


FORMULA = '=HYPERLINK("http://example.invalid/x","点此")'


def formula_sentence() -> bytes:
    """The report with its sentence on new applications stating a wrong figure and opening with a
    spreadsheet formula (which the findings summary quotes)."""
    text = report_text()
    claim = next(c for c in _spec().claims if "t3.new.total" in c.field_ids)
    wrong = claim.sentence.replace(f"{claim.value}件", f"{claim.value + 7}件")
    assert wrong != claim.sentence
    return text.replace(claim.sentence, FORMULA + wrong).encode("utf-8")


def check_formula(result) -> None:
    check_sections_only(result)
    assert any((f.location.sentence or "").startswith(FORMULA) for f in result.findings), \
        [f.location.sentence for f in result.findings]


def not_a_report() -> bytes:
    return "<html><body><h1>通知公告</h1><p>关于开展春季植树活动的通知。请各单位按时参加。</p></body></html>".encode()


# --------------------------------------------------------------------------------------------- checks


def _rules(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule_id, []).append(f)
    return out


def _outcomes(result) -> dict[str, str]:
    return {c.rule_id: str(c.outcome) for c in result.checks}


def check_read_whole(result) -> None:
    """The file is read like its clean twin: the agency, the year, all six sections, table 三's figures."""
    meta = result.meta
    assert meta.agency == _agency(), meta.agency
    assert meta.year == 2021
    assert sorted(s.number for s in result.document.sections) == [1, 2, 3, 4, 5, 6]
    assert result.fields.number("t3.new.total") == _spec().values["t3.new.total"]


def check_sections_only(result) -> None:
    meta = result.meta
    assert meta.agency == _agency(), meta.agency
    assert sorted(s.number for s in result.document.sections) == [1, 2, 3, 4, 5, 6]


def check_no_tables(result) -> None:
    check_sections_only(result)
    outcomes = _outcomes(result)
    # the table rules cannot be assessed, and the missing tables are a finding, never a row of zeros
    assert not any(v.is_number for v in result.fields.values())
    assert outcomes.get("TABLES-ASSESSABLE") == "fail" or "TABLES-ASSESSABLE" in _rules(result), outcomes
    assert any(o == "not_assessable" for o in outcomes.values())


def check_wrong_order(result) -> None:
    check_sections_only(result)
    # the tables are still read by their labels, wherever they stand
    assert result.fields.number("t3.new.total") == _spec().values["t3.new.total"]
    assert result.fields.number("t4.review.total") == _spec().values["t4.review.total"]
    assert result.fields.number("t2.penalty.decisions") == _spec().values["t2.penalty.decisions"]


def check_letters(result) -> None:
    check_sections_only(result)
    # the rows with letters are unreadable (never a number, never 0) and said so in a finding; the
    # identities over them are not assessable rather than passed or failed
    for fid in ("t3.new.natural", "t3.new.commercial", "t3.open.natural"):
        assert str(result.fields[fid].kind) == "unreadable", (fid, result.fields[fid])
    assert result.fields.number("t3.carried_in.total") == _spec().values["t3.carried_in.total"]
    assert "t3" in result.fields.not_assessable
    assert "本年新收" in result.fields.not_assessable["t3"].zh
    assert "TABLES-ASSESSABLE" in _rules(result)
    assert _outcomes(result)["T3-BALANCE"] == "not_assessable"


def check_no_secret(result) -> None:
    from tests.badinput.corpus import SECRET_MARK

    assert SECRET_MARK not in result.document.text


SECRET_MARK = "XXE-SECRET-3141592653"
SECRET_FILE = Path("/tmp") / "report-audit-badinput-secret.txt"


def _xxe() -> bytes:
    SECRET_FILE.write_text(SECRET_MARK)
    return docx_xxe(SECRET_FILE)()


# ------------------------------------------------------------------------------------------------ list

OK = "ok"

CORPUS: list[BadFile] = [
    BadFile("truncated.pdf", truncated_pdf, "corrupt", "a PDF cut off at 40 %"),
    BadFile("garbled.pdf", garbled_pdf, frozenset({"corrupt", "ok", "not_a_report"}),
            "8 KB of random bytes over the middle of a PDF"),
    BadFile("no_xref.pdf", no_xref_pdf, "ok", "cross-reference table pointer broken (rebuilt by the reader)",
            check=lambda r: r.meta.year is not None),
    BadFile("encrypted.pdf", encrypted_pdf, "encrypted", "a user password is needed to open it"),
    BadFile("owner_password_p0.pdf", owner_password_p0_pdf, "ok",
            "an owner password only, and /P 0 (no permission): opens without one", check=check_sections_only),
    BadFile("font_without_bbox.pdf", font_without_bbox_pdf, "ok",
            "an embedded font with an empty FontBBox (a pdfminer warning)", check=check_sections_only),
    BadFile("encrypted_empty_password.pdf", empty_password_pdf, "ok",
            "encrypted with an empty user password: opens without one", check=check_sections_only),
    BadFile("scanned.pdf", scanned_pdf, "no_text_layer", "pages that are pictures, no text layer"),
    BadFile("pages_2000.pdf", many_pages, "too_large", "2,000 cheap pages"),
    BadFile("pages_2000_lying_count.pdf", lambda: many_pages(2000, declared=1), "too_large",
            "2,000 pages under a page tree that declares one"),
    BadFile("nested_arrays.pdf", nested_arrays, frozenset({"corrupt", "not_a_report"}),
            "an array nested 100,000 deep in a page's resources"),
    BadFile("circular.pdf", circular_pages, frozenset({"corrupt", "empty", "not_a_report"}),
            "a page tree that contains itself; contents that refer to themselves"),
    BadFile("self_drawing_form.pdf", self_drawing_form, frozenset({"corrupt", "not_a_report"}),
            "a form XObject that draws itself"),
    BadFile("bomb.pdf", bomb_pdf, "too_large", "a 1 MB content stream that inflates to 1 GB"),
    BadFile("ruled_grid.pdf", ruled_grid, "not_a_report", "five pages ruled 180 × 180 (no tables looked for)"),
    BadFile("actions.pdf", pdf_with_actions, "not_a_report", "JavaScript and launch actions (never run)"),
    BadFile("broken_xml.docx", docx_broken_xml, "corrupt", "word/document.xml cut in the middle"),
    BadFile("xxe.docx", _xxe, frozenset({"corrupt", "ok"}), "an external entity naming a local file",
            check=check_no_secret),
    BadFile("billion_laughs.docx", docx_laughs, frozenset({"corrupt", "ok"}), "entities that expand to gigabytes"),
    BadFile("bomb.docx", docx_bomb, "too_large", "a part that inflates to 1 GB"),
    BadFile("lying_size.docx", docx_lying_size, "too_large", "document.xml declares 100 KB, inflates to 2 GB"),
    BadFile("wrong_size.docx", docx_wrong_size, "corrupt", "document.xml declares 100 KB, inflates to 2 MB"),
    BadFile("page_50mb.html", html_50mb, "too_large", "a 50 MB web page", streamed=True),
    BadFile("gbk_declared_utf8.html", html_gbk_declared_utf8, "ok", "GBK bytes under <meta charset=utf-8>",
            check=check_sections_only),
    BadFile("utf8_declared_gb2312.html", html_utf8_declared_gbk, "ok", "UTF-8 bytes under <meta charset=gb2312>",
            check=check_sections_only),
    BadFile("gbk_damaged.html", html_gbk_damaged, "ok", "a GBK page with two damaged bytes",
            check=lambda r: len(r.document.sections) >= 5),
    BadFile("gbk_inside_utf8.html", html_gbk_inside_utf8, "ok", "GBK stretches inside the lines of a UTF-8 page",
            check=check_sections_only),
    BadFile("nested_50000.html", html_deep, "corrupt", "elements nested 50,000 deep"),
    BadFile("utf16le.txt", utf16le, "ok", "UTF-16 without a byte-order mark", check=check_read_whole),
    BadFile("utf16_bom.txt", utf16_bom, "ok", "UTF-16 with a byte-order mark", check=check_read_whole),
    BadFile("mixed_encoding.txt", mixed_encoding, "ok", "UTF-8 lines, then GB18030 lines",
            check=check_read_whole),
    BadFile("no_tables.txt", no_tables, "ok", "a report with no tables", check=check_no_tables),
    BadFile("tables_wrong_order.txt", tables_wrong_order, "ok", "tables 二 and 四 swapped",
            check=check_wrong_order),
    BadFile("letters_in_numbers.txt", letters_in_numbers, "ok", "letters in number cells", check=check_letters),
    BadFile("crawled_long_run.txt", crawled_long_run, "ok", "a crawled table row with a 3,000-digit run",
            check=check_long_run),
    BadFile("formula_sentence.txt", formula_sentence, "ok", "a quoted sentence that opens with a spreadsheet formula",
            check=check_formula),
    BadFile("empty.txt", lambda: b"", "empty", "no bytes"),
    BadFile("blank.txt", lambda: b" \n\t\r\n\xe3\x80\x80\n", "empty", "only spaces"),
    BadFile("binary.txt", lambda: random.Random(1).randbytes(4096), "unsupported", "random bytes"),
    BadFile("png_named.pdf", lambda: b"\x89PNG\r\n\x1a\n" + bytes(64), "unsupported", "an image named .pdf"),
    BadFile("not_a_report.html", not_a_report, "not_a_report", "a notice, not a report"),
]


# ------------------------------------------------------------------------------------------------ zips


def traversal_zip() -> bytes:
    """Members whose names climb out of the archive (../, absolute, Windows ..\\), beside one good
    report. Written by hand: ``zipfile`` would strip the leading slash."""
    good = report_text().encode("utf-8")
    return _zip_with_raw([("../escaped.txt", good, None),
                          ("../../../../tmp/report-audit-escaped.txt", good, None),
                          ("/tmp/report-audit-escaped.txt", good, None),
                          ("..\\windows\\escaped.txt", good, None),
                          ("reports/good.txt", good, None)])


def bomb_zip() -> bytes:
    """One member that inflates to 1 GB of zeros (about 1 MB compressed), beside one good report."""
    return _zip_with_raw([("bomb.txt", None, 1024 * MB), ("good.txt", report_text().encode("utf-8"), None)])


#: Archives: ``audit check`` refuses a zip as such; ``audit batch`` reads members and refuses the bad ones.
ZIPS: list[BadFile] = [
    BadFile("traversal.zip", traversal_zip, "unsupported", "members named ../escaped.txt, /tmp/…, ..\\windows\\…"),
    BadFile("bomb.zip", bomb_zip, "unsupported", "a member that inflates to 1 GB"),
]
