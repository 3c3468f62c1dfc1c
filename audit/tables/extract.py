"""Document → Fields: every field of tables 二, 三 and 四 of the report's format, each with its meaning.

The format is read from the labels (table 二's columns, table 三's （六） rows); the report year decides
only when no label tells. Each table is read by the first of the named readers (``readers``: ``grid``
for grids and row-like lines, ``cells`` for a cell stream with no row boundaries, ``runon`` for a
crawler's page where the cells run together in the body text) whose reading matches an official row; the
winner and what each reader made of the table are kept in ``Fields.readings``. Rows the winner lacks are
looked for as loose lines of text (``runon``). A table found nowhere is not assessable, said once; an
official row absent from a table is listed in ``missing_rows``; every field of the format is present,
MISSING where its row or table is absent. Every tolerance comes from one ``TableSettings``.
"""
from __future__ import annotations

from audit.model import Document, Fields, ReaderTry, TableReading, Text, Value, ValueKind
from audit.tables import detect, messages, readers, runon
from audit.tables.grid import TableRead
from audit.tables.locate import locate
from audit.tables.schema import FORMATS, FormatSchema, load
from audit.tables.settings import DEFAULT, TableSettings


def extract(doc: Document, settings: TableSettings = DEFAULT) -> Fields:
    schemas = [load(f) for f in FORMATS]
    found = locate(doc, schemas, settings)
    text = runon.body_text(doc)
    verdict = detect.detect(found, text, schemas, doc.meta, settings)
    schema = load(verdict.format)
    fields = Fields(format=schema.format)
    fields.format_by_labels = verdict.by_labels
    for tid, notes in verdict.variants.items():
        fields.variants.setdefault(tid, []).extend(notes)
    for table in schema.tables:
        read = readers.read(table, found, text, schema, settings)
        if read.rows_found == 0 and read.header_only:
            _blank(fields, table)
            fields.notes.append(messages.header_only(table))
        elif read.rows_found == 0:
            _absent(fields, schema, table.id, found.grids.get(table.id, 0))
        else:
            if read.missing_rows:
                _complete(table, read, runon.read_text(table, text, schema, settings, only=set(read.missing_rows)))
            _store(fields, table.id, read)
        fields.readings[table.id] = TableReading(table.id, read.reader, tuple(read.tried))
    return fields


def _store(fields: Fields, tid: str, read: TableRead) -> None:
    fields.update(read.values)
    if read.missing_rows:
        fields.missing_rows[tid] = list(read.missing_rows)
    if read.variants:
        fields.variants.setdefault(tid, []).extend(dict.fromkeys(read.variants))
    fields.notes.extend(read.notes)
    if read.unreadable:
        fields.not_assessable[tid] = Text.join(read.unreadable)
    if read.identity_resolved:
        fields.identity_resolved.update(read.identity_resolved)
    fields.identities_used.update(read.identities_used)
    fields.stated_figures.extend(read.stated)


def _complete(table, read: TableRead, loose: TableRead) -> None:
    """Rows the grids lack, found as loose lines of text: theirs replace the MISSING fields."""
    if not loose.rows_found:
        return
    read.values.update(loose.values)
    got = {fid.split(".", 1)[1].rsplit(".", 1)[0] for fid in loose.values}
    read.missing_rows = [r for r in read.missing_rows if r not in got]
    read.unreadable += loose.unreadable
    read.identity_resolved.update(loose.identity_resolved)
    read.identities_used.update(loose.identities_used)
    read.stated.extend(loose.stated)
    read.notes.append(messages.loose_rows(table, sorted(got)))
    read.tried.append(ReaderTry("runon", "completed", f"row(s) {', '.join(sorted(got))} the {read.reader} reading "
                                                       "lacked, found as loose lines of text"))


def _blank(fields: Fields, table) -> None:
    for row, col in table.cells():
        fields[table.field_id(row, col)] = Value(None, ValueKind.BLANK, "", table.id, row.full_label, col.label)


def _absent(fields: Fields, schema: FormatSchema, tid: str, grids: int) -> None:
    table = schema.table(tid)
    for row, col in table.cells():
        fields[table.field_id(row, col)] = Value(None, ValueKind.MISSING, "", tid, row.full_label, col.label)
    fields.not_assessable[tid] = messages.not_found(table, bool(grids))
