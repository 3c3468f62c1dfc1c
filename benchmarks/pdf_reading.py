"""Reading a PDF's text layer: the PDF ingest against pdfminer.six's extract_text, in one process.

    .venv/bin/python benchmarks/pdf_reading.py                    # ../shared/reports/real/*.pdf, corpora/samples/*.pdf
    .venv/bin/python benchmarks/pdf_reading.py FILE.pdf … --rounds 9

For each set of files, interleaved round by round, the CPU time of:

- ``load_pdf``: the whole PDF ingest (one pass of pdfminer's interpreter per page into our device, ruled
  and borderless tables, lines, furniture, paragraphs → a Document);
- ``extract_text``: pdfminer.six's high-level text extraction (its interpreter, an ``LTChar`` per
  character, layout analysis with ``LAParams``);
- ``interpreter only``: pdfminer's interpreter with its do-nothing ``PDFDevice`` (the floor both share:
  tokenizing the content streams, fonts and CMaps).

Warm figures (every file read once before the first round): fonts' CMaps and imports are not counted.
pdfminer runs as shipped for ``extract_text`` and the bare interpreter (the ingest's silenced tokenizer
debug calls are put back for them).
A fresh process pays those too; time it as a whole (``/usr/bin/time -v``) for that.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdevice import PDFDevice
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    from audit.ingest.pdf import load_pdf

    import logging

    from pdfminer import psparser

    stock_log = logging.getLogger("pdfminer.psparser")

    def stock_extract_text(data: bytes) -> None:
        psparser.log = stock_log  # pdfminer as shipped (load_pdf silences its per-token debug calls)
        extract_text(io.BytesIO(data))

    def interpreter_only(data: bytes) -> None:
        psparser.log = stock_log
        rsrc = PDFResourceManager()
        interp = PDFPageInterpreter(rsrc, PDFDevice(rsrc))
        for page in PDFPage.get_pages(io.BytesIO(data)):
            interp.process_page(page)

    runs = {
        "load_pdf": lambda d: load_pdf(Path("x.pdf"), d, None),
        "extract_text": stock_extract_text,
        "interpreter only": interpreter_only,
    }
    sets = {"given": args.files} if args.files else {
        "real PDFs": sorted((ROOT.parent / "shared" / "reports" / "real").glob("*.pdf")),
        "sample PDFs": sorted((ROOT / "corpora" / "samples").glob("*.pdf")),
    }
    for name, files in sets.items():
        if not files:
            continue
        datas = [f.read_bytes() for f in files]
        for fn in runs.values():  # warm-up: imports, fonts' CMaps
            for d in datas:
                fn(d)
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.rounds):
            for k, fn in runs.items():
                t = time.process_time()
                for d in datas:
                    fn(d)
                times[k].append(time.process_time() - t)
        med = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
        print(f"{name}: {len(files)} file(s), median CPU of {args.rounds} rounds")
        for k, v in med.items():
            print(f"  {k:18s} {v * 1000:8.1f} ms   {v / med['extract_text']:.2f}× extract_text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
