"""jieba's prefix dictionary as a prepared table on disk, looked up in place.

jieba segments with a dict of about 580,000 entries (every word of its dictionary with its frequency, and
every prefix of a word with 0). Building it from ``dict.txt`` costs 0.6–2.9 s a process and unmarshalling a
prepared copy 0.4 s, yet one report looks up a few thousand of them. :class:`PrefixTable` is that dict as
an open-addressing hash table in one file, read in one piece and looked up where it lies (no dict is
built): a process pays for the lookups it makes, not for the entries it never touches.

The file (``write_table``/``build_table``), little-endian:

- a 64-byte header: ``MAGIC``, jieba's ``total`` (u64), the number of slots (u32, a power of two), the
  number of entries (u32), the size of the key area (u64), the SHA-256 of everything after the header;
- the slots, ``(key offset + 1, frequency)`` as two u32 each (offset 0: an empty slot), placed by
  ``zlib.crc32`` of the key's UTF-8 bytes, collisions resolved by linear probing;
- the keys, each a u16 length and its UTF-8 bytes.

The same dictionary always gives the same bytes (entries placed in sorted order). :func:`open_table`
checks the header, the sizes and the SHA-256 before it returns a table, so a damaged or altered file is
refused (and built again by the caller), never half-used. Words added after loading (jieba's
``add_word``, our user dictionary) live in a small dict over the table.
"""
from __future__ import annotations

import hashlib
import os
import struct
import threading
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

MAGIC = b"RAPFXT01"
_HEADER = struct.Struct("<8sQIIQ32s")  # magic, total, slots, entries, key-area bytes, sha256(body)
HEADER_SIZE = 64
_SLOT = struct.Struct("<II")
_LEN = struct.Struct("<H")
_MISSING = object()


class TableError(ValueError):
    """A file that is not a whole, unaltered prefix table."""


def _slots_for(n: int) -> int:
    size = 1024
    while size < n * 2:  # load factor at most 1/2: short probes
        size *= 2
    return size


def build_table(freq: Mapping[str, int], total: int) -> bytes:
    """The file's bytes for jieba's ``(FREQ, total)``; the same mapping always gives the same bytes."""
    if not isinstance(total, int) or not 0 <= total < 2**64:
        raise TableError("total out of range")
    words = sorted(freq)
    nslots = _slots_for(len(words))
    mask = nslots - 1
    slots = bytearray(nslots * _SLOT.size)
    keys = bytearray()
    for w in words:
        f = freq[w]
        if not isinstance(f, int) or not 0 <= f < 2**32:
            raise TableError(f"frequency of {w!r} out of range")
        b = w.encode("utf-8")
        if len(b) >= 2**16:
            raise TableError("word too long")
        off = len(keys)
        if off + 1 >= 2**32:
            raise TableError("dictionary too large")
        keys += _LEN.pack(len(b)) + b
        h = zlib.crc32(b) & mask
        while _SLOT.unpack_from(slots, h * _SLOT.size)[0]:
            h = (h + 1) & mask
        _SLOT.pack_into(slots, h * _SLOT.size, off + 1, f)
    body = bytes(slots) + bytes(keys)
    header = _HEADER.pack(MAGIC, total, nslots, len(words), len(keys), hashlib.sha256(body).digest())
    return header.ljust(HEADER_SIZE, b"\0") + body


def write_table(path: str | Path, freq: Mapping[str, int], total: int) -> None:
    """Write the table atomically (a temporary name in the same folder, renamed into place)."""
    path = Path(path)
    data = build_table(freq, total)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def open_table(path: str | Path) -> "PrefixTable":
    """The table in ``path``, read and checked (header, sizes, SHA-256); :class:`TableError` when it is not
    a whole, unaltered table, ``OSError`` when it cannot be read. The bytes are read into the process (one
    read of about 14 MB, a few milliseconds), not mapped: a file changed on disk after the check cannot
    change the lookups."""
    with open(path, "rb") as fh:
        buf = fh.read()
    if len(buf) < HEADER_SIZE:
        raise TableError("too short")
    return PrefixTable(buf)


class PrefixTable(Mapping):
    """jieba's ``FREQ`` (word or prefix → frequency) over a prepared table, with words added in memory."""

    def __init__(self, buf: bytes):
        magic, total, nslots, n, key_bytes, digest = _HEADER.unpack_from(buf, 0)
        if magic != MAGIC:
            raise TableError("not a prefix table")
        if nslots < 1 or nslots & (nslots - 1) or n > nslots:
            raise TableError("bad slot count")
        keys_at = HEADER_SIZE + nslots * _SLOT.size
        if len(buf) != keys_at + key_bytes:
            raise TableError("truncated or padded")
        with memoryview(buf) as view, view[HEADER_SIZE:] as body:
            if hashlib.sha256(body).digest() != digest:
                raise TableError("checksum mismatch")
        self._buf = buf
        self._mask = nslots - 1
        self._keys_at = keys_at
        self._n = n
        self.total = total
        self._extra: dict[str, int] = {}  # words added after loading (they win over the table)
        self._seen: dict[str, object] = {}  # lookups made: jieba asks for the same prefixes again and again

    def _lookup(self, word: str):
        """The frequency of ``word`` in the table, or ``_MISSING``."""
        b = word.encode("utf-8")
        buf, mask, keys_at = self._buf, self._mask, self._keys_at
        h = zlib.crc32(b) & mask
        n = len(b)
        while True:
            off, freq = _SLOT.unpack_from(buf, HEADER_SIZE + h * 8)
            if not off:
                return _MISSING
            at = keys_at + off - 1
            if _LEN.unpack_from(buf, at)[0] == n and buf[at + 2:at + 2 + n] == b:
                return freq
            h = (h + 1) & mask

    def _get(self, word):
        try:
            return self._extra[word]
        except KeyError:
            pass
        except TypeError:
            return _MISSING
        try:
            return self._seen[word]
        except KeyError:
            pass
        except TypeError:
            return _MISSING
        v = self._lookup(word) if isinstance(word, str) else _MISSING
        self._seen[word] = v
        return v

    def get(self, word, default=None):
        v = self._get(word)
        return default if v is _MISSING else v

    def __getitem__(self, word):
        v = self._get(word)
        if v is _MISSING:
            raise KeyError(word)
        return v

    def __contains__(self, word) -> bool:
        return self._get(word) is not _MISSING

    def __setitem__(self, word: str, freq: int) -> None:
        self._extra[word] = freq

    def _table_items(self) -> Iterator[tuple[str, int]]:
        buf, keys_at = self._buf, self._keys_at
        for h in range(self._mask + 1):
            off, freq = _SLOT.unpack_from(buf, HEADER_SIZE + h * 8)
            if off:
                at = keys_at + off - 1
                (n,) = _LEN.unpack_from(buf, at)
                yield buf[at + 2:at + 2 + n].decode("utf-8"), freq

    def items(self):  # one pass over the slots, not a lookup per key
        out = {w: f for w, f in self._table_items()}
        out.update(self._extra)
        return out.items()

    def __iter__(self) -> Iterator[str]:
        return iter(self.items().mapping)

    def __len__(self) -> int:
        return self._n + sum(1 for w in self._extra if self._lookup(w) is _MISSING)
