"""Text that becomes a file name or reaches a terminal or a memo, made safe.

- :func:`visible` shows control characters as such instead of passing them on: C0 controls (but tab, line
  feed and carriage return) and DEL become their Unicode control pictures (ESC → ␛, BEL → ␇, DEL → ␡),
  C1 controls become U+FFFD. One character for one, so offsets into a text stay valid; the result is
  printable, XML-compatible (Word memos) and inert on a terminal.
- :func:`bounded_name` keeps a file name within the file system's 255 bytes (UTF-8): a longer name is cut
  at a character boundary and given a hash of the whole name, so two long names that share a beginning
  still differ. Control characters never reach a file name.
"""
from __future__ import annotations

import hashlib
from typing import Any

#: bytes in one file name on the file systems we write to (ext4, xfs, btrfs, APFS, NTFS in UTF-16 is more)
NAME_MAX = 255

_CONTROLS = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}
_CONTROLS[0x7F] = 0x2421
_CONTROLS.update({c: 0xFFFD for c in range(0x80, 0xA0)})
#: ``str.translate`` table of :func:`visible`
CONTROL_TABLE = _CONTROLS
#: the same, for a file name or a one-line message: tab, line feed and carriage return shown too
_ALL_CONTROLS = {**_CONTROLS, 0x09: 0x2409, 0x0A: 0x240A, 0x0D: 0x240D}


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with its control characters shown as control pictures (``one_line``: line breaks and tabs too)."""
    return text.translate(_ALL_CONTROLS if one_line else _CONTROLS)


def visible_deep(obj: Any) -> Any:
    """:func:`visible` over every string inside dicts, lists and tuples (a memo's rendering context)."""
    if isinstance(obj, str):
        return obj.translate(_CONTROLS)
    if isinstance(obj, dict):
        return {k: visible_deep(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [visible_deep(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(visible_deep(v) for v in obj)
    return obj


def bounded_name(stem: str, suffix: str = "", *, limit: int = NAME_MAX) -> str:
    """``stem + suffix`` as a file name: control characters shown as pictures, and at most ``limit`` bytes
    of UTF-8 (a longer stem is cut and given ``~`` and 10 hex digits of its SHA-256)."""
    clean = visible(stem, one_line=True).replace("/", "∕")
    name = clean + suffix
    if len(name.encode("utf-8")) <= limit:
        return name
    tag = "~" + hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    room = limit - len((tag + suffix).encode("utf-8"))
    cut = clean.encode("utf-8")[:max(room, 0)].decode("utf-8", "ignore")
    return cut + tag + suffix
