"""The parsed-document cache: a report's ``Document`` (after ingest, sections and metadata) kept on disk,
so a re-run with new rules, a new rubric or a new narrative model does not parse the file again.

An entry is keyed by the file's content (SHA-256) and by everything that shapes a parse: ``PARSER_VERSION``,
the tool's version, a digest of the parsing code itself (``audit/ingest``, ``audit/document``,
``audit/model.py``) and the versions of the libraries that read the files (pdfminer.six, pdfplumber, …).
A changed parser therefore never serves an old parse, even when nobody bumped ``PARSER_VERSION``.

Entries are our own JSON (gzip-compressed), never pickles: loading one runs no code. Each carries a schema
number and its key; an entry that cannot be read, fails to decompress, or does not rebuild a valid
``Document`` is ignored, deleted and written again after the fresh parse. The cache is bounded by total
bytes, evicting the least recently used entries (a hit refreshes an entry's time). Writes are atomic
(a temporary file renamed into place), so worker processes may share one cache folder.

Where: ``$AUDIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/report-audit``, else ``~/.cache/report-audit``.
Bound: ``$AUDIT_CACHE_MAX_BYTES`` (bytes, or with a K/M/G suffix), default 2 GB. ``AUDIT_CACHE=off``
switches the cache off for a process; the CLI's ``--no-cache`` switches it off for one command by argument
(``pipeline.audit(cache=False)``, ``BatchOptions(cache=False)`` for the workers).

A cache that cannot be written (a read-only home, a full disk) never fails an audit: the document is
parsed as if there were no cache.

Beside the document an entry keeps what ``pipeline.audit`` found that depends on the document and the
analysis code but on no rule (``derived``): the fields of its tables, the figures each section states (claim
patterns), its labels' near misses, its enumerations, its narrative analysis. They are marked with
:func:`analysis_fingerprint` (the bytes of the tables, checks and narrative stages with their schemas,
claim patterns, lexicon and model, the tokenizer and its dictionary, and those libraries' versions; not
``rules.yaml``, the rubric or the memo), and each is stored under a key naming what it was made from (the
section's text, the format, the year, the patterns file, the tolerances). A re-run with other rules takes
them from the entry; other analysis code makes them unused (they are computed again and the entry written
again); a kept result that is not what the code writes is computed again. Results are kept only when their
records give them back equal (``model.to_records``, ``model.fields_to_record``).

jieba's prefix dictionary is prepared here too (:func:`init_jieba`, ``<cache>/jieba/``, a table looked up in
place), checked against its own SHA-256 before it is used, instead of jieba's unchecked ``$TMPDIR/jieba.cache``.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import threading
import time
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from audit.model import Document, Meta, Paragraph, Section, Source, Table, from_record, to_record
from audit.versions import PARSER_VERSION, tool_version

#: the layout of an entry's JSON; bump when ``document_to_json`` changes (2: the parts in the record format)
SCHEMA = 2
KIND = "report-audit/document"
DEFAULT_MAX_BYTES = 2 * 2**30
SUFFIX = ".json.gz"
#: the libraries whose output a parse depends on
PARSER_LIBRARIES = ("pdfminer.six", "pdfplumber", "python-docx", "beautifulsoup4", "lxml", "charset-normalizer",
                    "opencc-python-reimplemented", "cn2an")
#: the package folders and modules whose code makes a Document
PARSER_CODE = ("ingest", "document", "model.py")
#: the package folders and modules whose code and data make the results kept beside a document (its fields,
#: the figures its text states, its labels' near misses, its narrative analysis): the tables, checks and
#: narrative stages with their schemas, claim patterns, lexicon and model, the tokenizer and its dictionary;
#: not the rules (``rules.yaml``), the rubric or the memo, which a re-run may change and still reuse them.
#: (The parsing code they also read, ``document/meta.py`` for one, is in the entry's key already.)
ANALYSIS_CODE = ("tables", "checks", "narrative", "data", "nlp.py", "vocab.py", "prefixdict.py", "model.py",
                 "yamlload.py", "errors.py")
#: the libraries whose output those results depend on
ANALYSIS_LIBRARIES = ("jieba", "cn2an", "scikit-learn", "numpy", "scipy", "PyYAML")


class CacheError(ValueError):
    """An entry that does not rebuild a valid Document (the cache then ignores and rewrites it)."""


# ------------------------------------------------------------------------------------ serialisation
#
# A Document's parts are written in the record format of ``audit.model`` (``to_record``/``from_record``:
# the dataclasses' own field names; a Span, a Line, a Cell, a Section are encoded there and nowhere else).
# Only the blocks are tagged here, since a block is a Paragraph or a Table: ``{"p": record}``, ``{"t": record}``.


def _check(x: Any, typ: type, what: str) -> Any:
    if not isinstance(x, typ) or isinstance(x, bool) and typ is not bool:
        raise CacheError(f"bad {what}: {type(x).__name__}")
    return x


def _block(b: Paragraph | Table) -> dict:
    if isinstance(b, Paragraph):
        return {"p": to_record(b)}
    if isinstance(b, Table):
        return {"t": to_record(b)}
    raise TypeError(f"a Document block must be a Paragraph or a Table, not {type(b).__name__}")


def _block_back(x: Any) -> Paragraph | Table:
    _check(x, dict, "block")
    if "p" in x:
        return from_record(Paragraph, x["p"])
    if "t" in x:
        return from_record(Table, x["t"])
    raise CacheError("a block is neither a paragraph nor a table")


def document_to_json(doc: Document) -> dict:
    """Everything a ``Document`` holds, as plain JSON (spans and bounding boxes included)."""
    return {
        "source": to_record(doc.source),
        "page_count": doc.page_count,
        "blocks": [_block(b) for b in doc.blocks],
        "sections": [to_record(s) for s in doc.sections],
        "meta": to_record(doc.meta),
        "notes": list(doc.notes),
    }


def document_from_json(data: Any) -> Document:
    """The ``Document`` that :func:`document_to_json` wrote, equal to the original (``==``). Raises
    ``CacheError`` for anything that is not such JSON."""
    try:
        _check(data, dict, "document")
        source = from_record(Source, _check(data["source"], dict, "source"))
        return Document(source=source, blocks=[_block_back(b) for b in _check(data["blocks"], list, "blocks")],
                        page_count=_check(data["page_count"], int, "page count"),
                        sections=[from_record(Section, s) for s in _check(data["sections"], list, "sections")],
                        meta=from_record(Meta, _check(data["meta"], dict, "meta")), notes=[_check(n, str, "note") for n in data["notes"]])
    except CacheError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # missing keys, wrong shapes, bad dates
        raise CacheError(f"not a cached document ({type(exc).__name__}: {exc})") from None


# ------------------------------------------------------------------------------------------- the key


def _code_digest(code: tuple[str, ...], libraries: tuple[str, ...], root: Path | None = None) -> str:
    """A digest of the bytes of the package's ``code`` (folders and files, under ``root``, by default the
    package's folder) and of the ``libraries``' versions."""
    h = hashlib.sha256()
    pkg = root if root is not None else Path(__file__).resolve().parent
    for name in code:
        p = pkg / name
        files = (sorted(f for f in p.rglob("*") if f.is_file() and f.suffix != ".pyc") if p.is_dir()
                 else [p] if p.is_file() else [])  # a name no longer there counts as nothing
        for f in files:
            h.update(str(f.relative_to(pkg)).encode() + b"\0" + f.read_bytes() + b"\0")
    from importlib import metadata  # only with the cache on: importing it costs 25 ms

    for lib in libraries:
        try:
            v = metadata.version(lib)
        except metadata.PackageNotFoundError:
            v = "-"
        h.update(f"{lib}={v}\0".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def parser_fingerprint() -> str:
    """A digest of what shapes a parse: the parsing code's bytes and the reading libraries' versions."""
    return _code_digest(PARSER_CODE, PARSER_LIBRARIES)


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """A digest of what shapes the results kept beside a document (:data:`ANALYSIS_CODE`,
    :data:`ANALYSIS_LIBRARIES`): results stored under another digest are not used."""
    return _code_digest(ANALYSIS_CODE, ANALYSIS_LIBRARIES)


def entry_key(sha256: str) -> str:
    """The cache key of a file's content under this parser."""
    parts = (KIND, str(SCHEMA), sha256, PARSER_VERSION, tool_version(), parser_fingerprint())
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# ------------------------------------------------------------------------------------------ settings


def default_dir() -> Path:
    if os.environ.get("AUDIT_CACHE_DIR"):
        return Path(os.environ["AUDIT_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "report-audit"


def parse_size(text: str) -> int:
    """``"2G"``, ``"500M"``, ``"64k"``, ``"1048576"`` → bytes."""
    t = text.strip().upper().removesuffix("B")
    mult = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}.get(t[-1:], 1)
    if mult != 1:
        t = t[:-1]
    n = float(t)
    if n < 0:
        raise ValueError("a size cannot be negative")
    return int(n * mult)


def default_max_bytes() -> int:
    raw = os.environ.get("AUDIT_CACHE_MAX_BYTES")
    if raw:
        try:
            return parse_size(raw)
        except ValueError:
            pass
    return DEFAULT_MAX_BYTES


def enabled_by_default() -> bool:
    return os.environ.get("AUDIT_CACHE", "").strip().lower() not in ("0", "off", "no", "false", "disabled")


# ------------------------------------------------------------------------------------- jieba's cache

JIEBA_DIR = "jieba"


def init_jieba(dt, *, enabled: bool | None = None, root: str | Path | None = None) -> str:
    """Give the tokenizer ``dt`` (``jieba.dt``) its prefix dictionary through our cache, instead of jieba's
    own ``$TMPDIR/jieba.cache``, which any user of the machine could plant and which jieba loads unchecked
    with ``marshal``.

    The entry is a prepared table (:mod:`audit.prefixdict`) in the cache folder
    (``<cache>/jieba/prefix-<key>.table``), keyed by the table format, jieba's version and the
    dictionary's content (SHA-256; remembered beside it, under the dictionary file's path, size, time and
    inode, so a process does not hash the 5 MB again). It is read in one piece and looked up in place, after its header,
    sizes and SHA-256 are checked (a damaged or altered entry is built again and rewritten); it is written
    to a temporary name and renamed. With the cache off (``AUDIT_CACHE=off``) the dictionary is built in
    memory by jieba and nothing is read or written. ``audit check --no-cache`` (``AUDIT_JIEBA_CACHE=read``)
    reads a prepared entry, checked as always, but writes none: the entry is derived from the installed
    dictionary alone, not from any file audited. An entry that cannot be written leaves the dictionary
    built in memory. Returns what happened: ``hit``, ``built``, ``built (not written)``, ``off`` or
    ``ready`` (already initialised)."""
    from audit import prefixdict

    with dt.lock:
        if dt.initialized:
            return "ready"
        read_only = False
        if enabled is None:
            mode = os.environ.get("AUDIT_JIEBA_CACHE", "").strip().lower()
            enabled = mode in ("read", "on") or (not mode and enabled_by_default())
            read_only = mode == "read"
        import jieba

        folder = (Path(root).expanduser() if root is not None else default_dir()) / JIEBA_DIR
        dictionary: bytes | None = None
        with dt.get_dict_file() as fh:
            memo = _dict_digest_memo(fh, folder) if enabled else None
            digest = _read_digest(memo)
            if digest is None:
                dictionary = fh.read()
                digest = hashlib.sha256(dictionary).hexdigest()
                if memo is not None and not read_only:
                    _write_digest(memo, digest)
        stamp = f"{prefixdict.MAGIC.decode()}\0{getattr(jieba, '__version__', '')}\0".encode()
        key = hashlib.sha256(stamp + digest.encode("ascii")).hexdigest()[:32]
        path = folder / f"prefix-{key}.table"
        if enabled:
            try:
                table = prefixdict.open_table(path)
            except (OSError, ValueError):
                pass
            else:
                dt.FREQ, dt.total, dt.initialized = table, table.total, True
                return "hit"
        import io as _io

        if dictionary is None:
            with dt.get_dict_file() as fh:
                dictionary = fh.read()
        freq, total = dt.gen_pfdict(_io.BytesIO(dictionary))
        if not enabled:
            dt.FREQ, dt.total, dt.initialized = freq, total, True
            return "off"
        if read_only:
            dt.FREQ, dt.total, dt.initialized = freq, total, True
            return "built (not written)"
        try:
            prefixdict.write_table(path, freq, total)
            table = prefixdict.open_table(path)
        except (OSError, ValueError):
            dt.FREQ, dt.total, dt.initialized = freq, total, True
            return "built (not written)"  # a read-only cache never fails an audit
        dt.FREQ, dt.total, dt.initialized = table, table.total, True
        return "built"


def _dict_digest_memo(fh, folder: Path) -> Path | None:
    """Where the SHA-256 of jieba's dictionary file is remembered, named by the file's path, size,
    modification time and inode (as ``make`` would trust them), so that a process need not read and hash
    5 MB to find its prepared table; None when the file cannot be told (no descriptor)."""
    try:
        st = os.fstat(fh.fileno())
        where = os.path.abspath(fh.name)
    except (AttributeError, OSError, TypeError, ValueError):
        return None
    ident = f"{where}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}".encode("utf-8", "surrogateescape")
    return folder / f"dict-{hashlib.sha256(ident).hexdigest()[:32]}.sha256"


def _read_digest(memo: Path | None) -> str | None:
    if memo is None:
        return None
    try:
        text = memo.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 64 and all(c in "0123456789abcdef" for c in text) else None


def _write_digest(memo: Path, digest: str) -> None:
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".{memo.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_text(digest + "\n", encoding="ascii")
            os.replace(tmp, memo)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache: the dictionary is hashed again next time


# --------------------------------------------------------------------------------------------- store


@dataclass
class Cached:
    """A cache hit: the document, the results kept beside it (``{}`` when none were kept, or they were
    made by other analysis code), and the document's JSON as stored (to write the entry again as it is)."""

    doc: Document
    derived: dict
    document_json: dict


@dataclass
class CacheInfo:
    path: Path
    entries: int
    bytes: int
    max_bytes: int


class DocumentCache:
    """Parsed documents on disk, keyed by content and parser (see the module's docstring)."""

    #: after this many writes a process rescans the folder (other processes write to it too)
    RESCAN_EVERY = 200
    #: eviction frees down to this share of the bound, so it is not run on every write
    LOW_WATER = 0.9

    def __init__(self, root: str | Path | None = None, max_bytes: int | None = None):
        self.root = Path(root).expanduser() if root is not None else default_dir()
        self.dir = self.root / "documents"
        self.max_bytes = default_max_bytes() if max_bytes is None else int(max_bytes)
        self.hits = self.misses = self.writes = self.errors = 0
        self._total: int | None = None  # bytes in the folder when last scanned, plus own writes since
        self._since_scan = 0
        self._lock = threading.Lock()

    def entry_path(self, sha256: str) -> Path:
        return self.dir / (entry_key(sha256) + SUFFIX)

    # -- read
    def get(self, sha256: str, path: str | Path | None = None) -> Document | None:
        """The cached Document of content ``sha256`` (its source naming ``path``), or None."""
        hit = self.lookup(sha256, path)
        return None if hit is None else hit.doc

    def lookup(self, sha256: str, path: str | Path | None = None) -> "Cached | None":
        """The cached entry of content ``sha256``: its Document (its source naming ``path``) and the results
        kept beside it (empty when they were made by other analysis code), or None."""
        p = self.entry_path(sha256)
        try:
            raw = p.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            hit = self._decode(raw, p.name[: -len(SUFFIX)], sha256)
        except CacheError:
            self.errors += 1
            self.misses += 1
            self._discard(p)
            return None
        try:
            os.utime(p)  # least recently *used*: a hit counts as a use
        except OSError:
            pass
        self.hits += 1
        doc = hit.doc
        if path is not None and doc.source.path != str(path):
            from dataclasses import replace

            doc.source = replace(doc.source, path=str(path))
        return hit

    @staticmethod
    def _decode(raw: bytes, key: str, sha256: str) -> "Cached":
        try:
            entry = json.loads(gzip.decompress(raw))
        except (OSError, EOFError, zlib.error, ValueError) as exc:  # truncated, not gzip, not JSON, bad UTF-8
            raise CacheError(f"unreadable entry ({type(exc).__name__})") from None
        if not isinstance(entry, dict) or entry.get("kind") != KIND or entry.get("schema") != SCHEMA:
            raise CacheError("not an entry of this schema")
        if entry.get("key") != key or entry.get("sha256") != sha256:
            raise CacheError("entry under the wrong key")
        doc = document_from_json(entry.get("document"))
        if doc.source.sha256 != sha256:
            raise CacheError("entry of another file")
        derived = entry.get("derived")
        results: dict = {}
        if (isinstance(derived, dict) and derived.get("version") == analysis_fingerprint()
                and isinstance(derived.get("results"), dict)):
            results = derived["results"]
        return Cached(doc, results, entry["document"])

    # -- write
    def put(self, doc: Document, derived: dict | None = None, document_json: dict | None = None) -> Path | None:
        """Store ``doc`` (fresh from ``pipeline.read``), and beside it ``derived``, the results of the
        analysis that depend on the document and the analysis code alone (JSON, under keys their makers
        name: see ``pipeline.audit``), marked with :func:`analysis_fingerprint`. ``document_json``: the
        document as :func:`document_to_json` wrote it, when the caller has it (an entry written again).
        None when the cache cannot be written."""
        sha = doc.source.sha256
        key = entry_key(sha)
        entry = {"kind": KIND, "schema": SCHEMA, "key": key, "sha256": sha, "parser": PARSER_VERSION,
                 "tool": tool_version(), "fingerprint": parser_fingerprint(),
                 "document": document_json if document_json is not None else document_to_json(doc)}
        if derived:
            entry["derived"] = {"version": analysis_fingerprint(), "results": derived}
        try:
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):  # a result that is not JSON: the document alone
            entry.pop("derived", None)
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        data = gzip.compress(text.encode("utf-8"), compresslevel=3, mtime=0)
        if len(data) > self.max_bytes:
            return None
        target = self.dir / (key + SUFFIX)
        tmp = self.dir / f".tmp-{os.getpid()}-{threading.get_ident()}-{key[:16]}"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError:
            self.errors += 1
            self._discard(tmp)
            return None
        self.writes += 1
        self._after_write(len(data))
        return target

    def _after_write(self, n: int) -> None:
        with self._lock:
            self._since_scan += 1
            if self._total is None or self._since_scan >= self.RESCAN_EVERY:
                self._total = None
            else:
                self._total += n
        if self._total is None or self._total > self.max_bytes:
            self.evict()

    # -- bound
    def _entries(self) -> list[tuple[float, int, Path]]:
        out = []
        now = time.time()
        try:
            it = list(os.scandir(self.dir))
        except OSError:
            return out
        for e in it:
            try:
                st = e.stat()
            except OSError:
                continue
            if e.name.endswith(SUFFIX):
                out.append((st.st_mtime, st.st_size, Path(e.path)))
            elif e.name.startswith(".tmp-") and now - st.st_mtime > 3600:  # a writer that died mid-write
                self._discard(Path(e.path))
        return out

    def evict(self, max_bytes: int | None = None) -> tuple[int, int]:
        """Delete least recently used entries until the total is within the bound (with some room to
        spare when over it). Returns (entries removed, bytes freed)."""
        bound = self.max_bytes if max_bytes is None else max_bytes
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        removed = freed = 0
        if total > bound:
            target = int(bound * self.LOW_WATER)
            for _, size, p in sorted(entries, key=lambda e: (e[0], e[2].name)):
                if total <= target:
                    break
                if self._discard(p):
                    removed += 1
                    freed += size
                total -= size
        with self._lock:
            self._total, self._since_scan = total, 0
        return removed, freed

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(self.root, len(entries), sum(size for _, size, _ in entries), self.max_bytes)

    def clear(self) -> tuple[int, int]:
        """Delete every entry. Returns (entries removed, bytes freed)."""
        removed = freed = 0
        for _, size, p in self._entries():
            if self._discard(p):
                removed += 1
                freed += size
        with self._lock:
            self._total, self._since_scan = 0, 0
        return removed, freed

    @staticmethod
    def _discard(p: Path) -> bool:
        try:
            p.unlink()
            return True
        except OSError:
            return False


_default: dict[tuple, DocumentCache] = {}
_default_lock = threading.Lock()


def default_cache() -> DocumentCache | None:
    """The process's cache as the environment configures it, or None when it is switched off."""
    if not enabled_by_default():
        return None
    key = (str(default_dir()), default_max_bytes())
    with _default_lock:
        if key not in _default:
            _default[key] = DocumentCache(*key)
        return _default[key]


def resolve(cache: "DocumentCache | bool | None") -> DocumentCache | None:
    """What ``pipeline.read(cache=…)`` means: None → the default cache (if on); False → none; True → the
    default cache even when the environment switches it off; a ``DocumentCache`` → that one."""
    if cache is None:
        return default_cache()
    if cache is False:
        return None
    if cache is True:
        key = (str(default_dir()), default_max_bytes())
        with _default_lock:
            return _default.setdefault(key, DocumentCache(*key))
    return cache


def file_sha256(path: Path) -> str | None:
    """The content hash of ``path``, or None when it cannot be read (``ingest`` then says why)."""
    from audit.ingest import MAX_BYTES

    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
