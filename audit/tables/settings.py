"""The table readers' tolerances, in one place (pdfplumber's ``TableSettings`` is the model).

Every threshold a reader of the tables stage uses — how alike a label must be to an official one, how
long a body-text line may be and still be a row, how far apart a header's labels may stand in running
text, how long the search for a crawler's digit split may run — is a field of :class:`TableSettings`.
``extract(doc, settings)`` passes one (frozen) object down to ``locate``, ``detect`` and the readers; no
reader reads a tolerance from a module-level constant. ``DEFAULT`` holds the values the benchmarks were
measured with: change one here (or pass ``replace(DEFAULT, …)``), and run ``benchmarks/table_accuracy.py``
and ``benchmarks/real_reports.py``.

Label similarities are ``labels.similarity`` scores, 0..1 (1 = equal after normalisation).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSettings:
    # --- locate: which grid, stream or line belongs to which table
    row_match: float = 0.8  # a row label this close to an official one identifies the table (and a label above a bare row)
    column_match: float = 0.85  # a cell this close to an official column label counts for the table
    line_match: float = 0.85  # a body-text line must match a row label at least this well to be a row
    max_line: int = 120  # longer body-text lines are prose (or a crawler's one-line page), never a row
    table_score_min: float = 1.0  # a grid or stream scoring less (1 per row label, 0.5 per column label) is no table's
    column_weight: float = 0.5  # what one matching column label adds to a grid's score
    section_bonus: float = 0.5  # what a grid in the table's own section adds to its score
    # --- detect: the format from the labels
    format_match: float = 0.9  # a label of one format only is seen when a cell matches it this well
    # --- grid (and cells, which aligns the same way)
    header_match: float = 0.8  # a cell this close to a column label is a header cell; a row label this close is labelled
    pair_min: float = 0.6  # the least label similarity at which a row may stand for an official row
    fragment_alone: float = 0.9  # a label with no values matching no row this well may be a fragment of a neighbour
    fragment_gain: float = 0.02  # joining a fragment to a neighbour must raise its label's score by more than this
    label_only_weight: float = 0.9  # a label without values counts this share of its similarity in the alignment
    # --- cells: cell streams without row boundaries
    max_label_cells: int = 3  # the row's own label, its group label, and one more (a cut label's piece)
    optional_match: float = 0.9  # an optional column's header label, nearly whole (法人或其他组织 is not …小计)
    # --- runon: tables in running text
    header_window: int = 60  # column labels this close together (characters) mark the start of a table
    leftover: int = 4  # characters of other text tolerated between a table's labels and its values
    anchors_tried: int = 8  # places a table's labels stand together (a sentence may be one) tried in turn
    # --- resolve: settling a run of digits that splits several ways
    solutions: int = 64  # consistent combinations looked at; more and the open runs count as undecidable
    nodes: int = 200_000  # search steps per table


DEFAULT = TableSettings()
