"""The dispatcher: the kind comes from the content, the Source records it, bad input gets one clear line."""
import io
import zipfile

import pytest

from _ingest_helpers import report_docx, report_html, report_txt, write
from audit import ingest
from audit.errors import AuditError, CorruptFile, EmptyFile, MissingFile, TooLarge, UnsupportedType
from audit.model import Document, Source


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    (b"\xef\xbb\xbf<html><head><meta charset='utf-8'></head>", "html"),
    ("<div class='content'><p>一、总体情况</p></div>".encode("gb18030"), "html"),
    ("<html><body>报告</body></html>".encode("utf-16"), "html"),
    ("本报告在泉港区人民政府网站（<http://www.qg.gov.cn/>）发布。".encode(), "txt"),
    ("一、总体情况\n".encode("gb18030"), "txt"),
])
def test_sniff_by_content(data, kind):
    assert ingest.sniff(data) == kind


def test_sniff_docx():
    assert ingest.sniff(report_docx()) == "docx"


@pytest.mark.parametrize("data, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "old binary Office file"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WEBP image"),
    (_zip({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"}), "Excel"),
    (_zip({"notes.txt": b"hello"}), "zip archive"),
])
def test_unsupported_types(data, words):
    with pytest.raises(UnsupportedType) as exc:
        ingest.sniff(data)
    assert words in exc.value.reason


def test_truncated_zip_is_corrupt():
    with pytest.raises(CorruptFile):
        ingest.sniff(report_docx()[:300])


def test_load_ignores_the_extension(tmp_path):
    doc = ingest.load(write(tmp_path, "report.pdf", report_txt()))
    assert doc.source.kind == "txt"
    doc = ingest.load(write(tmp_path, "report.doc", report_docx()))
    assert doc.source.kind == "docx"
    doc = ingest.load(write(tmp_path, "report.txt", report_html()))
    assert doc.source.kind == "html"


def test_source_records_hash_size_and_encoding(tmp_path):
    import hashlib

    data = report_txt().encode("gb18030")
    doc = ingest.load(write(tmp_path, "r.txt", data))
    assert doc.source.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.source.size == len(data)
    assert doc.source.encoding == "gb18030"
    assert doc.source.path.endswith("r.txt")


def test_pdf_goes_to_the_pdf_loader(tmp_path, monkeypatch):
    import audit.ingest.pdf as pdf

    seen = {}

    def fake_load_pdf(path, data, source):
        seen.update(path=path, data=data, source=source)
        return Document(source=source, blocks=[])

    monkeypatch.setattr(pdf, "load_pdf", fake_load_pdf)
    data = b"%PDF-1.4\n% a stand-in\n"
    p = write(tmp_path, "r.bin", data)
    ingest.load(p)
    assert seen["data"] == data and seen["path"] == p
    assert isinstance(seen["source"], Source) and seen["source"].kind == "pdf" and seen["source"].encoding is None


def test_missing_file(tmp_path):
    with pytest.raises(MissingFile) as exc:
        ingest.load(tmp_path / "nope.txt")
    assert exc.value.reason == "no such file"


def test_directory(tmp_path):
    with pytest.raises(UnsupportedType):
        ingest.load(tmp_path)


@pytest.mark.parametrize("data", [b"", b"   \n\n\t ", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf\n",
                                  "  \n".encode("utf-16")])
def test_empty_files(tmp_path, data):
    with pytest.raises(EmptyFile):
        ingest.load(write(tmp_path, "e.txt", data))


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_BYTES", 1000)
    with pytest.raises(TooLarge) as exc:
        ingest.load(write(tmp_path, "big.txt", report_txt()))
    assert "limit" in exc.value.reason


def test_binary_junk(tmp_path):
    junk = bytes((i * 73 + 11) % 256 for i in range(4000))
    with pytest.raises(UnsupportedType) as exc:
        ingest.load(write(tmp_path, "junk.txt", junk))
    assert "binary" in exc.value.reason


def test_broken_docx_xml_is_corrupt(tmp_path):
    good = zipfile.ZipFile(io.BytesIO(report_docx()))
    files = {n: good.read(n) for n in good.namelist()}
    files["word/document.xml"] = files["word/document.xml"][:500]  # cut off mid-element
    with pytest.raises(CorruptFile) as exc:
        ingest.load(write(tmp_path, "broken.docx", _zip(files)))
    assert exc.value.reason.startswith("damaged Word file")


def test_every_error_is_one_line(tmp_path):
    cases = [tmp_path / "missing", write(tmp_path, "e.txt", b""), write(tmp_path, "p.png", b"\x89PNG\r\n\x1a\nxx")]
    for p in cases:
        with pytest.raises(AuditError) as exc:
            ingest.load(p)
        assert exc.value.reason and "\n" not in exc.value.reason


def test_make_table_pads_rows_and_collects_pages():
    from audit.model import Cell, Span

    t = ingest.make_table([[Cell("a", Span(page=2)), Cell("b", Span(page=2))], [Cell("c", Span(page=3))]])
    assert t.grid() == [["a", "b"], ["c", ""]]
    assert t.page == 2 and t.pages == [2, 3]


def test_join_continued_tables_only_when_adjacent_and_same_width():
    from audit.model import Cell, Paragraph, Span, Table

    a = Table([[Cell("1"), Cell("2")]], page=1, pages=[1])
    b = Table([[Cell("3"), Cell("4")]], page=2, pages=[2])
    c = Table([[Cell("5")]], page=2, pages=[2])
    p = Paragraph("三、收到和处理政府信息公开申请情况")
    out = ingest.join_continued_tables([a, b, c, p, Table([[Cell("x"), Cell("y")]])])
    assert [type(x).__name__ for x in out] == ["Table", "Table", "Paragraph", "Table"]
    assert out[0].grid() == [["1", "2"], ["3", "4"]] and out[0].pages == [1, 2]
