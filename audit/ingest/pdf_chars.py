"""A faster way for pdfplumber to turn pdfminer's characters into its ``page.chars`` dicts.

pdfplumber builds each character's dict generically (a regex on the class name, a closure over every
attribute, ``resolve_all`` rebuilding each tuple of floats). On a Word-made report that costs about a
fifth of the whole text layer's time, for nothing: a character's attributes are plain numbers, strings
and tuples of numbers. :func:`install` puts in a ``Page.process_object`` that builds the same dict (the
same keys and values, ``==``) directly for ``LTChar`` and leaves every other object to pdfplumber's own
code. It is installed only on the pdfplumber versions it was checked against
(``tests/test_perf_pdf_chars.py`` compares both ways on generated and sample PDFs).
"""
from __future__ import annotations

from unicodedata import normalize as _normalize_unicode

import pdfplumber
from pdfminer.layout import LTChar
from pdfplumber import page as _page

#: pdfplumber versions whose ``Page.process_object`` this reproduces for characters
CHECKED = ("0.11.",)
_PLAIN = (str, int, float, bool, type(None))
_original = _page.Page.process_object


def _plain(v) -> bool:
    t = type(v)
    return t in _PLAIN or (t is tuple and all(type(x) in (int, float) for x in v))


def process_object(self, obj):
    if type(obj) is not LTChar:
        return _original(self, obj)
    attr = {}
    for k, v in obj.__dict__.items():
        if k in _page.ALL_ATTRS:
            attr[k] = v if _plain(v) else _page.resolve_all(v)
    attr["object_type"] = "char"
    attr["page_number"] = self.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            attr[cs] = _page.resolve_and_decode(getattr(obj, cs).name)
    text = obj.get_text()
    attr["text"] = _normalize_unicode(self.pdf.unicode_norm, text) if self.pdf.unicode_norm is not None else text
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):  # pragma: no cover - rare byte-encoded font names
        attr["fontname"] = _page.fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = self.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (self.height - attr["y1"]) + mb_top
        attr["bottom"] = (self.height - attr["y0"]) + mb_top
        attr["doctop"] = self.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def supported() -> bool:
    return pdfplumber.__version__.startswith(CHECKED)


def install() -> bool:
    """Use the fast character path (idempotent). False, and pdfplumber untouched, on an unchecked version."""
    if not supported():
        return False
    _page.Page.process_object = process_object
    return True


def uninstall() -> None:
    _page.Page.process_object = _original
