"""PDFs: Word-made (DOCX converted by LibreOffice headless, many files in one call) and, for the
borderless layout, typeset directly with reportlab and its CID font STSong-Light (no ruling lines at all).

LibreOffice stamps a creation date and a random document id into every PDF; ``normalise_pdf`` replaces
both (same byte lengths, so the cross-reference table stays valid), which makes a conversion of the same
DOCX byte-identical from run to run on the same LibreOffice version.
"""
from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE: str | None = None


def _profile_dir() -> str:
    """A private LibreOffice profile for this process, so parallel runs never share one."""
    global _PROFILE
    if _PROFILE is None:
        _PROFILE = tempfile.mkdtemp(prefix="report-audit-lo-")
        atexit.register(shutil.rmtree, _PROFILE, True)
    return _PROFILE


def soffice_convert(docx_files: list[Path], out_dir: Path, timeout: float | None = None) -> list[Path]:
    """Convert DOCX files to PDF in ONE LibreOffice run; returns the PDF paths in input order."""
    if not docx_files:
        return []
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: run scripts/setup.sh")
    out_dir.mkdir(parents=True, exist_ok=True)
    cmd = [exe, f"-env:UserInstallation=file://{_profile_dir()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_files)]
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=timeout or 60 + 3 * len(docx_files))
    pdfs = [out_dir / (Path(f).stem + ".pdf") for f in docx_files]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice did not produce {missing[:3]} (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
    return pdfs


_DATE = re.compile(rb"/(CreationDate|ModDate)\(D:(\d{14})([^)]*)\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]+)")


def normalise_pdf(data: bytes, when: dt.date) -> bytes:
    """Replace LibreOffice's run-time creation date, document id and checksum with fixed values of equal
    length (derived from the rest of the file)."""
    stamp = f"{when:%Y%m%d}090000".encode()
    data = _DATE.sub(lambda m: b"/" + m.group(1) + b"(D:" + stamp + m.group(3) + b")", data)
    digest = hashlib.md5(_CHECKSUM.sub(b"", _ID.sub(b"", data))).hexdigest().upper().encode() * 4

    def fixed(m: re.Match) -> bytes:
        out = m.group(0)
        for g in m.groups():
            out = out.replace(g, digest[: len(g)])
        return out

    return _CHECKSUM.sub(fixed, _ID.sub(fixed, data))


def docx_to_pdf(docx: bytes, when: dt.date) -> bytes:
    """One DOCX to PDF (a LibreOffice start per call: use ``render_many`` for batches)."""
    with tempfile.TemporaryDirectory(prefix="report-gen-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        (pdf,) = soffice_convert([src], Path(tmp) / "out")
        return normalise_pdf(pdf.read_bytes(), when)


def chromium_print(html_files: list[Path], out_dir: Path, timeout: float = 120) -> list[Path]:
    """Print HTML pages to PDF as a reader's browser does (headless Chromium, no header or footer);
    one browser start per page. Returns the PDF paths in input order."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if exe is None:
        raise RuntimeError("Chromium is not installed: the web_print layout prints pages with it")
    out_dir.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="report-audit-chromium-") as profile:
        for src in html_files:
            pdf = out_dir / (Path(src).stem + ".pdf")
            cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf}",
                   Path(src).resolve().as_uri()]
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            if not pdf.exists():
                raise RuntimeError(f"chromium did not print {Path(src).name} (exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
            out.append(pdf)
    return out


def html_to_pdf(page: bytes) -> bytes:
    """One HTML page printed to PDF by headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="report-gen-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_bytes(page)
        (pdf,) = chromium_print([src], Path(tmp) / "out")
        return pdf.read_bytes()
