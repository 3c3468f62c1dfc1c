"""The table readers, named peers behind one interface.

Each reader takes one table of the format (``TableSchema``), what ``locate`` found for the tables
(``Located``: grid rows and row-like lines, cell streams), the document's running text (``BodyText``),
the format (``FormatSchema``) and the tolerances (``TableSettings``), and gives an ``Attempt``: its
``TableRead`` (or None when there is nothing for it) and why, in words.

===========  =================================================================================
``grid``     rows of a grid or row-like lines of text, one official row each (``grid``)
``cells``    a cell stream: cells in reading order without row boundaries (``cells``)
``runon``    the table's labels and digits run together in the body text (``runon``)
===========  =================================================================================

They are tried in that order (the more structure an input kept, the more a reading of it can be
trusted); the first whose reading matches an official row wins, and the readers after it are skipped.
When none wins, the last reading a reader made (a header with no value row under it) stands, and the
table is blank or not found. The winner and every reader's outcome are recorded on the ``TableRead``
(``reader``, ``tried``) and, through ``extract``, on ``Fields.readings`` for ``audit inspect``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from audit.model import ReaderTry
from audit.tables import cells, grid, runon
from audit.tables.grid import TableRead
from audit.tables.locate import Located
from audit.tables.runon import BodyText
from audit.tables.schema import FormatSchema, TableSchema
from audit.tables.settings import TableSettings


@dataclass
class Attempt:
    read: TableRead | None  # None: nothing for this reader (no grid, no stream, no labels in the text)
    why: str


ReadFunction = Callable[[TableSchema, Located, BodyText, FormatSchema, TableSettings], Attempt]


@dataclass(frozen=True)
class Reader:
    name: str
    read: ReadFunction


def read_grid(table: TableSchema, found: Located, body: BodyText, schema: FormatSchema,
              settings: TableSettings) -> Attempt:
    rows = found.rows.get(table.id, [])
    if not rows:
        return Attempt(None, "no grid row or row-like line located for the table")
    read = grid.read_table(table, rows, settings)
    if read.rows_found:
        return Attempt(read, f"{read.rows_found} official row(s) read from {len(rows)} located row(s)")
    why = f"{len(rows)} located row(s), none matched an official row"
    return Attempt(read, why + ("; the header stands with no value row under it" if read.header_only else ""))


def read_cells(table: TableSchema, found: Located, body: BodyText, schema: FormatSchema,
               settings: TableSettings) -> Attempt:
    stream = found.streams.get(table.id)
    if not stream:
        return Attempt(None, "no cell stream: the input kept its row boundaries, or gave no cells")
    read = cells.read_stream(table, stream, settings)
    if read.rows_found:
        return Attempt(read, f"{read.rows_found} official row(s) from a cell stream of {len(stream)} cells")
    why = f"a cell stream of {len(stream)} cells, no official row matched"
    return Attempt(read, why + ("; the header stands with no value run after it" if read.header_only else ""))


def read_runon(table: TableSchema, found: Located, body: BodyText, schema: FormatSchema,
               settings: TableSettings) -> Attempt:
    read = runon.read_text(table, body, schema, settings)
    if read.rows_found:
        return Attempt(read, f"{read.rows_found} official row(s) read from the body text")
    return Attempt(None, "the table's labels stand nowhere in the body text with figures after them")


#: the readers, in the order they are tried
READERS: tuple[Reader, ...] = (Reader("grid", read_grid), Reader("cells", read_cells), Reader("runon", read_runon))


def read(table: TableSchema, found: Located, body: BodyText, schema: FormatSchema,
         settings: TableSettings) -> TableRead:
    """The table read by the first reader whose reading matches an official row; else the last reading
    a reader made (rows_found 0: a header only, or rows matching nothing); else an empty reading. Its
    ``reader`` and ``tried`` say which reader won and what each made of the table."""
    tried: list[ReaderTry] = []
    winner: TableRead | None = None
    fallback: tuple[int, TableRead] | None = None  # (index in tried, reading) of the last reader that read
    for reader in READERS:
        if winner is not None:
            tried.append(ReaderTry(reader.name, "skipped", f"{winner.reader} read the table first"))
            continue
        attempt = reader.read(table, found, body, schema, settings)
        if attempt.read is not None and attempt.read.rows_found:
            winner = attempt.read
            winner.reader = reader.name
            tried.append(ReaderTry(reader.name, "won", attempt.why))
            continue
        if attempt.read is not None:
            fallback = (len(tried), attempt.read)
        tried.append(ReaderTry(reader.name, "declined", attempt.why))
    result = winner
    if result is None and fallback is not None:
        at, result = fallback
        if result.header_only:
            tried[at] = ReaderTry(tried[at].reader, "header_only", tried[at].why)
    if result is None:
        result = TableRead()
    result.tried = tried
    return result
