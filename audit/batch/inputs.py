"""What a batch audits: the report files under folders (recursively), inside .zip archives, or given one by one.

Every input gets a *key*, its name in the run: ``<root name>/<path relative to the root>`` with ``/``
separators (``samples/2023/report.pdf``, ``archive.zip/county/report.html``; a single file is its own name).
Keys name the memos (``OUT/memos/<key>.<format>``), so ``report.pdf`` and ``report.html`` never collide.

Zip archives are read member by member, never extracted to disk: a member with an absolute path, a ``..``
component, a drive letter or a symlink mode is refused (recorded as an error, nothing read); a member
larger than :data:`MAX_FILE_BYTES` or compressed more than :data:`MAX_RATIO` to one is refused as a bomb,
and reading stops at the bound whatever the header claims.
"""
from __future__ import annotations

import hashlib
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from audit.errors import AuditError, TooLarge, UnsupportedType

#: the extensions a folder or archive is searched for (a file named on the command line is always audited)
REPORT_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".md"})
#: report-like files the tool cannot read: recorded as failures so nobody thinks they were audited
UNSUPPORTED_SUFFIXES = frozenset({".doc", ".wps", ".rtf", ".odt", ".ofd"})
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MB


class UnsafeArchive(AuditError):
    code = "unsafe"


@dataclass(frozen=True)
class Input:
    """One file to audit: its key in the run and where its bytes are."""

    key: str
    path: Path  # the file, or the zip archive that holds it
    member: str | None = None  # the zip member name as stored
    index: int | None = None  # the member's entry in the archive's directory (names may repeat)

    @property
    def name(self) -> str:
        return PurePosixPath(self.key).name

    def read(self) -> bytes:
        """The file's bytes, bounded; raises an AuditError with a one-line reason."""
        if self.member is None:
            try:
                size = self.path.stat().st_size
                if size > MAX_FILE_BYTES:
                    raise TooLarge(f"file too large: {size // 2**20} MB (limit {MAX_FILE_BYTES // 2**20} MB)")
                return self.path.read_bytes()
            except OSError as exc:
                raise AuditError(f"cannot read the file: {exc.strerror or exc}") from None
        try:
            with zipfile.ZipFile(self.path) as zf:
                infos = zf.infolist()
                if self.index is None:  # made by hand: the one entry of that name
                    found = [i for i in infos if i.filename == self.member]
                    if len(found) != 1:
                        raise KeyError(f"{len(found)} entries named {self.member!r}")
                    info = found[0]
                elif self.index < len(infos) and infos[self.index].filename == self.member:
                    info = infos[self.index]
                else:
                    raise KeyError(f"the archive changed: entry {self.index + 1} is no longer {self.member!r}")
                _check_member(info)
                with zf.open(info) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, KeyError) as exc:
            raise AuditError(f"cannot read the archive member: {exc}") from None
        if len(data) > MAX_FILE_BYTES:
            raise TooLarge(f"archive member too large: over {MAX_FILE_BYTES // 2**20} MB uncompressed")
        return data


@dataclass(frozen=True)
class Refused:
    """A file found but not audited: its key and why (an error row in the store)."""

    key: str
    code: str
    reason: str


@dataclass
class Discovery:
    inputs: list[Input]
    refused: list[Refused]
    ignored_keys: list[str]  # files and members of other types (images of logos, stylesheets, …)

    @property
    def ignored(self) -> int:
        return len(self.ignored_keys)


def discover(paths: list[str | Path], *, exclude: Path | None = None) -> Discovery:
    """Every input under ``paths``, in a stable order (by key). ``exclude`` (the run's OUT) is not searched."""
    inputs: list[Input] = []
    refused: list[Refused] = []
    ignored: list[str] = []
    excluded = exclude.resolve() if exclude is not None else None
    used: set[str] = set()
    for raw in paths:
        path = Path(raw)
        root = _unique(path.resolve().name or "input", used)
        if not path.exists():
            refused.append(Refused(root, "missing", "no such file or folder"))
        elif path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                    continue
                if excluded is not None and (f.resolve() == excluded or excluded in f.resolve().parents):
                    continue
                key = f"{root}/{rel.as_posix()}"
                kind = _triage(f.name)
                if kind == "zip":
                    _from_zip(f, key, inputs, refused, ignored)
                elif kind == "report":
                    inputs.append(Input(key, f))
                elif kind == "unsupported":
                    refused.append(Refused(key, UnsupportedType.code, _unsupported_reason(f.name)))
                else:
                    ignored.append(key)
        elif _triage(path.name) == "zip":
            _from_zip(path, root, inputs, refused, ignored)
        else:
            inputs.append(Input(root, path))
    inputs.sort(key=lambda i: i.key)
    refused.sort(key=lambda r: r.key)
    return Discovery(inputs, refused, sorted(ignored))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unique(name: str, used: set[str]) -> str:
    key, n = name, 1
    while key in used:
        n += 1
        key = f"{name}~{n}"
    used.add(key)
    return key


def _triage(name: str) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    if suffix == ".zip":
        return "zip"
    if suffix in REPORT_SUFFIXES:
        return "report"
    if suffix in UNSUPPORTED_SUFFIXES:
        return "unsupported"
    return "other"


def _unsupported_reason(name: str) -> str:
    suffix = PurePosixPath(name.lower()).suffix
    return f"unsupported type {suffix}: save it as PDF, DOCX, HTML or text to audit it"


def _from_zip(path: Path, root: str, inputs: list[Input], refused: list[Refused], ignored: list[str]) -> None:
    """The archive's members, each by its own directory entry (``infolist()``, never a lookup by name, which
    gives the last of two entries of one name). Members whose names read as one (``a/report.txt`` twice,
    ``a//report.txt``, ``A/REPORT.TXT``) are all refused, each listed under its exact name."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        refused.append(Refused(root, "corrupt", f"not a readable zip archive: {exc}"))
        return
    members: list[tuple[int, zipfile.ZipInfo, str, str]] = []  # (index, info, exact name, safe relative path)
    used: set[str] = set()  # keys given so far: exact names, made unique
    for index, info in enumerate(infos):
        if info.is_dir():
            continue
        name = _member_name(info)
        exact = _unique(f"{root}/{_printable(name)}", used)  # a key for this entry alone
        try:
            rel = _safe_relpath(name)
        except UnsafeArchive as exc:
            refused.append(Refused(exact, exc.code, exc.reason))
            continue
        members.append((index, info, exact, rel))
    groups: dict[str, list[tuple[int, zipfile.ZipInfo, str, str]]] = {}
    for m in members:
        groups.setdefault(_fold(m[3]), []).append(m)
    for group in groups.values():
        if len(group) > 1:
            names = ", ".join(f"{_printable(_member_name(info))!r} (entry {index + 1})" for index, info, _, _ in group)
            for _, _, exact, _ in group:
                refused.append(Refused(exact, UnsafeArchive.code,
                                       f"unsafe archive member: {len(group)} members whose names read as one: {names};"
                                       " none was audited: rename them and audit again"))
            continue
        index, info, exact, rel = group[0]
        key = f"{root}/{rel}"
        if key != exact and key in used:  # the clean name is another entry's exact name: keep them apart
            key = exact
        used.add(key)
        try:
            _check_member(info)
        except AuditError as exc:
            refused.append(Refused(key, exc.code, exc.reason))
            continue
        kind = _triage(rel)
        if kind == "report":
            inputs.append(Input(key, path, info.filename, index))
        elif kind == "unsupported":
            refused.append(Refused(key, UnsupportedType.code, _unsupported_reason(rel)))
        elif kind == "zip":
            refused.append(Refused(key, UnsupportedType.code, "an archive inside an archive: unpack it first"))
        else:
            ignored.append(key)


def _fold(rel: str) -> str:
    """The form two member names share when they would name one file somewhere: Unicode NFC, case folded."""
    return unicodedata.normalize("NFC", rel).casefold()


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; Chinese Windows tools store GBK names without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def _safe_relpath(name: str) -> str:
    """A member name as a relative path that stays inside the archive's folder, or UnsafeArchive."""
    norm = name.replace("\\", "/")
    parts = norm.split("/")
    if norm.startswith("/"):
        raise UnsafeArchive("unsafe archive member: absolute path refused")
    if re.match(r"[A-Za-z]:", parts[0]):  # C:\\x, C:/x and the drive-relative C:x
        raise UnsafeArchive("unsafe archive member: a drive letter refused")
    if any(p == ".." for p in parts):
        raise UnsafeArchive("unsafe archive member: '..' in its path refused (it would escape the archive)")
    if any(ord(ch) < 32 for ch in norm):
        raise UnsafeArchive("unsafe archive member: control characters in its name")
    clean = [p for p in parts if p not in ("", ".")]
    if not clean:
        raise UnsafeArchive("unsafe archive member: empty name")
    return "/".join(clean)


def _check_member(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        raise UnsafeArchive("unsafe archive member: a symbolic link refused")
    if info.flag_bits & 0x1:
        raise AuditError("the archive member is encrypted: unpack it with its password first")
    if info.file_size > MAX_FILE_BYTES:
        raise TooLarge(f"archive member too large: {info.file_size // 2**20} MB uncompressed "
                       f"(limit {MAX_FILE_BYTES // 2**20} MB)")
    if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise TooLarge(f"archive member refused as a zip bomb: compressed {info.file_size // max(info.compress_size, 1)}"
                       f" to 1 (limit {MAX_RATIO})")


def _printable(name: str) -> str:
    return "".join(ch if ord(ch) >= 32 else "?" for ch in name.replace("\\", "/"))
