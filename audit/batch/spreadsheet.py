"""Report text in spreadsheets: never read as a formula (CSV injection).

Agency names, sentences and reviewers' comments come from documents and people the run does not control.
A spreadsheet opening a CSV file takes a cell starting with ``=``, ``+``, ``@`` or ``-`` (and a tab or
carriage return before them) for a formula; openpyxl writes a string starting with ``=`` as one. Following
the usual guidance (OWASP, "CSV Injection"), CSV cells that look like formulas get a leading ``'``, which
:func:`from_csv` takes off again, and workbook cells holding text are always strings. A negative number
written as text (``-5``, ``-0.25``) stays as it is.
"""
from __future__ import annotations

import io
import re
from typing import Mapping, Sequence

#: text a spreadsheet would take for a formula: =…, +…, @…, a tab or CR first, -… that is no number
FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.]+$).)", re.DOTALL)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an XLSX file cannot hold


def to_csv(v: str) -> str:
    """Text for a CSV cell: a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + v if FORMULA.match(v) else v


def from_csv(v: str) -> str:
    """The text :func:`to_csv` was given."""
    return v[1:] if v.startswith("'") and FORMULA.match(v[1:]) else v


def workbook(sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence]]], wide: Sequence[str] = ()):
    """An openpyxl Workbook with one sheet per ``name → (columns, rows)``: a header row, frozen, then the
    rows, text cells as strings (never formulas); columns named in ``wide`` are wider."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, (cols, rows) in sheets.items():
        ws = wb.create_sheet(name)
        for row in [cols, *rows]:
            ws.append([_text(v) if isinstance(v, str) else v for v in row])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # openpyxl took text starting with = for a formula
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        for n, col in enumerate(cols, 1):
            ws.column_dimensions[get_column_letter(n)].width = 40 if col in wide else 14
    return wb


def xlsx_bytes(sheets: Mapping[str, tuple[Sequence[str], Sequence[Sequence]]], wide: Sequence[str] = ()) -> bytes:
    buf = io.BytesIO()
    workbook(sheets, wide).save(buf)
    return buf.getvalue()


def _text(v: str) -> str:
    return _ILLEGAL.sub("", v)
