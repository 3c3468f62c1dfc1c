"""Mutation fuzzing of the PDF and HTML ingest (and, with ``--stage audit``, the rest of the pipeline).

    .venv/bin/python tests/fuzz/fuzz_ingest.py --seconds 600 --out /tmp/fuzz-ingest
    .venv/bin/python tests/fuzz/fuzz_ingest.py --replay /tmp/fuzz-ingest/crash-*.bin

Seeds are the generated sample reports (``corpora/samples``: their PDFs and HTML pages) plus PDFs the
generator renders here *without* stream compression, so byte-level mutations reach the content streams'
operators, numbers and strings instead of only breaking a zlib stream. Each round picks a seed (a plain
mutation fuzzer: no coverage feedback, so atheris is not needed), applies 1–4 mutations (bit flips, interesting bytes, deletions, duplications, splices between seeds, PDF
and HTML tokens, huge and negative numbers, deep nesting) and runs the stage on the result.

The contract checked: every input ends in a ``Document`` (or a ``Result``) or in an ``audit.errors``
error with a one-line reason. Anything else is a *crash*: its input is saved as ``crash-<hash>.bin``
with the traceback in ``crash-<hash>.txt``, deduplicated by exception type and innermost frame. An
input that runs past ``--timeout`` seconds (SIGALRM) is saved as ``slow-<hash>.bin``. The process caps
its address space (``--max-memory``) so a decompression bomb is a MemoryError, recorded, not a dead
machine. A summary is printed at the end (and every 60 s): executions, outcomes by error code, crashes.

Deterministic for a given ``--seed`` and time budget up to timing (the number of rounds varies).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.badinput.corpus import pdf_from_objects  # noqa: E402

SAMPLES = ROOT / "corpora" / "samples"

PDF_TOKENS = [b"<<", b">>", b"[", b"]", b"(", b")", b"/", b" R ", b" 0 R", b"obj", b"endobj", b"stream\n",
              b"endstream", b"/Filter /FlateDecode", b"/Length 0", b"/Length 99999999", b"/Count 99999999",
              b"/Kids [", b"/Type /Page", b"/Type /Pages", b"/Parent 1 0 R", b"BT", b"ET", b"Tj", b"TJ", b"Tf",
              b"Td", b"Tm", b"cm", b"re", b"f", b"S", b"q", b"Q", b"Do", b"BI", b"ID", b"EI", b"xref", b"trailer",
              b"startxref", b"%%EOF", b"-1", b"0", b"4294967296", b"99999999999999999999", b"1e308", b"-0.0",
              b"NaN", b"/Encrypt", b"/ObjStm", b"/XRef", b"\\", b"<FEFF>", b"<00>", b"(cid:1)"]
HTML_TOKENS = [b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<td rowspan=\"99999\">",
               b"<td colspan=\"99999\">", b"<td rowspan=\"-3\">", b"<th colspan=0>", b"<br>", b"<p>", b"</p>",
               b"<div class=\"nav\">", b"</div>", b"<script>", b"</script>", b"<style>", b"<!--", b"-->",
               b"<![CDATA[", b"<meta charset=\"gbk\">", b"<meta charset=\"utf-16\">", b"<meta charset=\"x-nope\">",
               b"&nbsp;", b"&#0;", b"&#xD800;", b"&#99999999;", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xa1",
               b"\xe4\xb8", b"\xd6\xd0", "一、总体情况".encode(), "二、主动公开政府信息情况".encode(),
               "三、收到和处理政府信息公开申请情况".encode(), "总计".encode(), "１２３".encode(),
               b"<table><tr><td>", b"</td></tr></table>", b"<h1>", b"<svg><table>", b"<html>", b"<body>"]
INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0x20, 0x0A, 0x0D, 0x25, 0x3C, 0x3E, 0x28, 0x29]


# ------------------------------------------------------------------------------------------- seeds


def seeds(kinds: set[str]) -> list[tuple[str, bytes]]:
    out = []
    for p in sorted(SAMPLES.iterdir()):
        kind = {".pdf": "pdf", ".html": "html", ".htm": "html"}.get(p.suffix.lower())
        if kind in kinds:
            out.append((kind, p.read_bytes()))
    if "pdf" in kinds:
        out += [("pdf", b) for b in _uncompressed_pdfs()]
        out.append(("pdf", _tiny_pdf()))
    return out


def _uncompressed_pdfs() -> list[bytes]:
    """Two generated reports typeset with page compression off: content streams in the clear."""
    try:
        from reportlab import rl_config

        from corpora.generator import random_report
        from corpora.generator.render_reportlab import render_reportlab
    except ImportError:
        return []
    old = rl_config.pageCompression
    rl_config.pageCompression = 0
    try:
        return [render_reportlab(random_report("2021", seed=901), "plain"),
                render_reportlab(random_report("2019", seed=902), "borderless")]
    finally:
        rl_config.pageCompression = old


def _tiny_pdf() -> bytes:
    """A hand-written one-page PDF (the smallest structure the parser walks)."""
    content = b"BT /F1 12 Tf 72 720 Td (Hello 2023) Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf_from_objects(objs)


# --------------------------------------------------------------------------------------- mutations


def mutate(rng: random.Random, kind: str, data: bytes, pool: list[tuple[str, bytes]]) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not b:
            b = bytearray(rng.choice(pool)[1][:64])
        op = rng.randrange(12)
        n = len(b)
        i = rng.randrange(n)
        if op == 0:  # flip bits
            for _ in range(rng.randint(1, 8)):
                j = rng.randrange(n)
                b[j] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.choice(INTERESTING)
        elif op == 2:  # delete a chunk
            del b[i:i + rng.choice([1, 4, 64, 1024, 16384])]
        elif op == 3:  # duplicate a chunk
            chunk = b[i:i + rng.choice([8, 64, 512, 4096])]
            j = rng.randrange(len(b) + 1)
            b[j:j] = chunk * rng.choice([1, 2, 16])
        elif op == 4:  # insert random bytes
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 32)))
        elif op == 5:  # truncate
            del b[rng.randrange(max(1, n // 4), n):]
        elif op == 6:  # splice with another seed of the same kind
            other = rng.choice([d for k, d in pool if k == kind] or [data])
            j = rng.randrange(len(other))
            b = b[:i] + bytearray(other[j:j + rng.randint(16, 8192)]) + b[i:]
        elif op in (7, 8):  # tokens of the format
            tok = rng.choice(PDF_TOKENS if kind == "pdf" else HTML_TOKENS)
            b[i:i] = tok
        elif op == 9:  # change a number
            m = [x for x in re.finditer(rb"\d+", bytes(b[max(0, i - 2000):i + 2000]))]
            if m:
                x = rng.choice(m)
                a = max(0, i - 2000) + x.start()
                b[a:a + len(x.group())] = rng.choice([b"0", b"-1", b"999999999", b"2147483648", b"7",
                                                      str(rng.randrange(10 ** 6)).encode()])
        elif op == 10:  # deep nesting
            if kind == "pdf":
                depth = rng.choice([100, 1000, 20000])
                b[i:i] = b"[" * depth + b"]" * rng.choice([0, depth])
            else:
                depth = rng.choice([100, 1000, 5000])
                b[i:i] = rng.choice([b"<div>", b"<table><tr><td>", b"<b>"]) * depth
        else:  # replace a chunk with a repeated byte
            ln = rng.choice([4, 64, 1024])
            b[i:i + ln] = bytes([rng.randrange(256)]) * ln
    return bytes(b)


# ------------------------------------------------------------------------------------------- runner


class Slow(Exception):
    pass


def _alarm(signum, frame):
    raise Slow()


def run_one(data: bytes, kind: str, stage: str, tmp: Path):
    """Run the stage on ``data``: "ok", an AuditError's code, or raise (a crash)."""
    from audit import ingest, pipeline
    from audit.errors import AuditError

    path = tmp / f"input.{kind}"
    path.write_bytes(data)
    try:
        if stage == "ingest":
            ingest.load(path)
        elif stage == "read":
            pipeline.read(path)
        else:
            from audit import memo

            result = pipeline.audit(path, narrative=False)
            memo.render(result, "html")
            memo.render(result, "json")
    except AuditError as exc:
        if "\n" in exc.reason or not exc.reason:
            raise AssertionError(f"reason is not one line: {exc.reason!r}") from exc
        return exc.code
    return "ok"


def signature(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "/audit/" in f.filename]
    frame = (ours or tb)[-1] if tb else None
    where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
    inner = tb[-1] if tb else None
    lib = f"{Path(inner.filename).name}:{inner.lineno}" if inner else "?"
    return f"{type(exc).__name__} at {where} (raised in {lib})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="pdf,html")
    ap.add_argument("--stage", choices=["ingest", "read", "audit"], default="read",
                    help="ingest only; ingest + sections/meta (default); the whole audit and memos")
    ap.add_argument("--timeout", type=int, default=30, help="seconds one input may take")
    ap.add_argument("--max-memory", type=int, default=1536, help="MB of address space for this process")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-ingest")
    ap.add_argument("--replay", nargs="*", type=Path, help="run these saved inputs and print their outcome")
    args = ap.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    import logging

    logging.disable(logging.WARNING)  # pdfminer's warnings on every broken input
    signal.signal(signal.SIGALRM, _alarm)
    tmpdir = tempfile.TemporaryDirectory(prefix="fuzz-ingest-")
    tmp = Path(tmpdir.name)
    import audit.ingest.html  # noqa: F401 - imports and the first pdfminer use are not the inputs' cost
    import audit.ingest.pdf  # noqa: F401
    from audit import pipeline  # noqa: F401

    if args.replay:
        for p in args.replay:
            data = p.read_bytes()
            kind = "pdf" if b"%PDF-" in data[:1024] else "html"
            try:
                print(p, run_one(data, kind, args.stage, tmp))
            except Exception:  # noqa: BLE001
                print(p, "CRASH")
                traceback.print_exc()
        return 0

    pool = seeds(set(args.kinds.split(",")))
    if not pool:
        print("no seeds", file=sys.stderr)
        return 2
    soft = args.max_memory * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (soft, resource.getrlimit(resource.RLIMIT_AS)[1]))
    rng = random.Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: dict[str, Path] = {}
    slow = 0
    execs = 0
    t0 = last = time.monotonic()
    while time.monotonic() - t0 < args.seconds:
        kind, base = rng.choice(pool)
        data = mutate(rng, kind, base, pool)
        execs += 1
        signal.alarm(args.timeout)
        try:
            code = run_one(data, kind, args.stage, tmp)
            outcomes[f"{kind}:{code}"] += 1
        except Slow:
            slow += 1
            outcomes[f"{kind}:SLOW"] += 1
            h = hashlib.sha256(data).hexdigest()[:12]
            (args.out / f"slow-{h}.bin").write_bytes(data)
        except MemoryError:
            outcomes[f"{kind}:MEMORY"] += 1
            h = hashlib.sha256(data).hexdigest()[:12]
            (args.out / f"memory-{h}.bin").write_bytes(data)
        except Exception as exc:  # noqa: BLE001 - the crashes this script hunts
            sig = signature(exc)
            outcomes[f"{kind}:CRASH"] += 1
            if sig not in crashes:
                h = hashlib.sha256(data).hexdigest()[:12]
                p = args.out / f"crash-{h}.bin"
                p.write_bytes(data)
                p.with_suffix(".txt").write_text(sig + "\n\n" + "".join(traceback.format_exception(exc)))
                crashes[sig] = p
                print(f"CRASH {sig} -> {p}", flush=True)
        finally:
            signal.alarm(0)
        if time.monotonic() - last > 60:
            last = time.monotonic()
            print(f"[{last - t0:5.0f}s] {execs} execs; {dict(sorted(outcomes.items()))}", flush=True)
    took = time.monotonic() - t0
    print(f"done: {execs} executions in {took:.0f} s ({execs / took:.1f}/s), stage={args.stage}, "
          f"seed={args.seed}")
    print("outcomes:", dict(sorted(outcomes.items())))
    print(f"distinct crashes: {len(crashes)}; slow inputs (> {args.timeout} s): {slow}")
    for sig, p in crashes.items():
        print(f"  {sig}: {p}")
    tmpdir.cleanup()
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
