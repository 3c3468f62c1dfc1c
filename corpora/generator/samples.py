"""The bundled sample reports in ``corpora/samples``: each format × each input kind, different agencies
and layouts, one of them with real-looking defects so a sample run shows findings.

``python -m corpora.generator samples`` rewrites them (byte-identical on the same LibreOffice version)
together with ``manifest.json``, the truth about every file.
"""
from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from .agencies import random_agency
from .defects import inject
from .manifest import dumps, entry
from .render import RenderJob, render_many
from .spec import random_report

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"

# (file stem, format, seed, agency kind, year, kind, layout, options, defects as (kind, field id))
SAMPLES = [
    ("2020_district_plain", "2019", 11, "district", 2020, "pdf", "plain", {}, []),
    ("2020_department_wrapped", "2019", 12, "department", 2020, "docx", "wrapped_labels", {}, []),
    ("2019_town_blank_cells", "2019", 13, "town", 2019, "html", "blank_cells", {"encoding": "gbk"}, []),
    ("2020_department_page_break", "2019", 14, "department", 2020, "txt", "page_break_t3",
     {"encoding": "gb18030", "style": "tab"}, []),
    ("2022_department_defects", "2021", 21, "department", 2022, "pdf", "page_break_t3", {},
     [("changed_cell", "t3.unable.not_held.natural"), ("text_contradiction", None)]),
    ("2023_city_org_total", "2021", 22, "city", 2023, "docx", "spaced_labels+org_total", {}, []),
    ("2021_subdistrict_repeated_header", "2021", 23, "subdistrict", 2021, "html", "repeated_header",
     {"encoding": "utf-8"}, []),
    ("2024_county_old_other_row", "2021", 24, "county", 2024, "txt", "old_other_row",
     {"encoding": "utf-8-sig", "style": "pipe"}, []),
    ("2022_bureau_borderless", "2021", 25, "department", 2022, "pdf", "borderless", {}, []),
]


def sample_specs():
    """(RenderJob, defect records) for every sample."""
    out = []
    for stem, fmt, seed, agency_kind, year, kind, layout, options, defects in SAMPLES:
        spec = random_report(fmt, seed, year=year, agency=random_agency(random.Random(f"sample:{seed}"), agency_kind))
        records = []
        for n, (kind_, fid) in enumerate(defects):
            spec, rec = inject(spec, kind_, seed=seed + n, field_id=fid)
            records.append(rec)
        out.append((RenderJob(spec, kind, layout, stem, options), records))
    return out


def write_samples(out_dir: Path = SAMPLES_DIR) -> list[Path]:
    jobs = sample_specs()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="samples-") as tmp:
        paths = render_many([j for j, _ in jobs], tmp)
        for p in paths:
            shutil.copyfile(p, out_dir / p.name)
    manifest = {
        "about": "Synthetic reports written by corpora.generator (python -m corpora.generator samples). "
                 "expected_fields: field id -> value as rendered (amounts as strings, null for a blank cell); "
                 "defects: what was injected, with old and new values.",
        "reports": [entry(j.spec, j.filename, j.kind, j.layout, j.options, recs) for j, recs in jobs],
    }
    (out_dir / "manifest.json").write_text(dumps(manifest), encoding="utf-8")
    return [out_dir / j.filename for j, _ in jobs]
