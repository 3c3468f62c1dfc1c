"""Tables stage: tables 二, 三 and 四 of a report → named fields (``t3.denied.third_party.natural``).

    from audit.tables import extract, schema
    fields = extract(doc)            # Fields: every field of the report's format, with its meaning
    fields.readings["t3"].winner     # the reader that read table 三 (grid, cells, runon) and why
    schema.load("2021").tables       # the formats as data (schemas/2019.yaml, schemas/2021.yaml)

Modules: ``schema`` (the formats), ``labels`` (label normalisation and similarity), ``values`` (cell
text → value and meaning, digit runs → cells), ``rows`` (a row's label and value parts), ``locate``
(which grids and lines belong to which table), ``grid`` (rows → fields), ``cells`` (cell streams
without row boundaries → fields), ``runon`` (tables in running text), ``readers`` (those three as named
peers behind one interface), ``settings`` (every tolerance, one ``TableSettings``), ``detect`` (the format
from the labels), ``extract`` (all of it).
"""
from audit.tables import schema
from audit.tables.extract import extract

__all__ = ["extract", "schema"]
