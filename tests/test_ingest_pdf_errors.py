"""Bad PDFs end in one clear error each; a PDF encrypted with an empty user password is not bad."""
from __future__ import annotations

import pytest

pytest.importorskip("reportlab")

from audit.errors import CorruptFile, EmptyFile, EncryptedFile, NoTextLayer  # noqa: E402
from tests._pdf_helpers import DrawnPage, drawn_pdf, image_only_pdf, load  # noqa: E402

TEXT = DrawnPage(texts=[(60, 80, "某某镇人民政府2023年政府信息公开工作年度报告"), (60, 120, "一、总体情况")])


def test_encrypted_pdf_asks_to_decrypt():
    with pytest.raises(EncryptedFile) as err:
        load(drawn_pdf([TEXT], user_password="k3y"))
    assert err.value.reason.startswith("encrypted PDF:") and err.value.reason.endswith("decrypt it first")


def test_empty_user_password_opens_like_a_plain_pdf():
    doc = load(drawn_pdf([TEXT], user_password=""))
    assert [p.text for p in doc.paragraphs] == ["某某镇人民政府2023年政府信息公开工作年度报告", "一、总体情况"]


def test_fonts_without_unicode_mapping_are_no_text_layer():
    with pytest.raises(NoTextLayer) as err:
        load(drawn_pdf([TEXT], user_password="", embedded_font=False))
    assert "(cid:N)" in err.value.reason and err.value.reason.endswith("run OCR first")


def test_scanned_pdf_has_no_text_layer():
    with pytest.raises(NoTextLayer) as err:
        load(image_only_pdf())
    assert err.value.reason == "no text layer: the PDF is scanned; run OCR first"


def test_one_scanned_page_among_text_pages_is_noted():
    doc = load(image_only_pdf(2, text_on_first="二、主动公开政府信息情况"))
    assert [p.text for p in doc.paragraphs] == ["二、主动公开政府信息情况"]
    assert "page 2 has no text layer (an image only)" in doc.notes


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_pdf_is_corrupt_in_one_line(cut):
    data = drawn_pdf([TEXT, TEXT])
    with pytest.raises(CorruptFile) as err:
        load(data[: int(len(data) * cut)])
    assert err.value.reason.startswith("corrupt PDF") and "\n" not in err.value.reason


def test_garbage_after_the_pdf_magic_is_corrupt():
    with pytest.raises(CorruptFile):
        load(b"%PDF-1.7\n" + bytes(range(256)) * 20)


def test_empty_bytes_and_blank_pages():
    with pytest.raises(EmptyFile):
        load(b"")
    with pytest.raises(EmptyFile) as err:
        load(drawn_pdf([DrawnPage(), DrawnPage()]))
    assert "no text" in err.value.reason
