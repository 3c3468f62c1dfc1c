"""Files a batch must reject with a clear one-line reason (and then go on): truncated, empty, not a zip,
encrypted, scanned (no text layer), not a report."""
from __future__ import annotations

import io
import random

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .render_reportlab import render_reportlab
from .spec import ReportSpec


def encrypted_pdf(spec: ReportSpec, password: str = "gk2024") -> bytes:
    """A real report behind a user password (pdfminer cannot read it without one)."""
    return render_reportlab(spec, "plain", encrypt=password)


def scanned_pdf(rng: random.Random, pages: int = 2) -> bytes:
    """Pages that are only pictures of text: grey bars standing for lines, no text layer at all."""
    from PIL import Image, ImageDraw

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        img = Image.new("L", (620, 877), 255)
        draw = ImageDraw.Draw(img)
        y = 60
        while y < 820:
            draw.rectangle((60, y, 60 + rng.randint(300, 500), y + 9), fill=rng.randint(40, 90))
            y += rng.choice([18, 18, 18, 30])
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


def bad_files(spec: ReportSpec, good_pdf: bytes, rng: random.Random) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, the reason a reader should give), most telling first."""
    return [
        ("truncated.pdf", good_pdf[: len(good_pdf) // 3], "truncated PDF (no cross-reference table)"),
        ("empty.txt", b"", "empty file"),
        ("not_a_zip.docx", bytes(rng.randrange(256) for _ in range(2048)), "DOCX that is not a zip package"),
        ("encrypted.pdf", encrypted_pdf(spec), "encrypted PDF (password required)"),
        ("scanned.pdf", scanned_pdf(rng), "no text layer: the PDF is scanned"),
        ("not_a_report.html", "<html><body><p>页面不存在或已删除</p></body></html>".encode(), "no report in the page"),
    ]
