"""A page's content streams as the objects pdfminer's content parser yields, read in one regex pass.

pdfminer.six tokenises a content stream character state by character state (``PSBaseParser``: a method
call per token part, a buffer refill every 4 KiB) and builds operands through ``PSStackParser``: on the
reports read here that is most of the time of reading a page. :func:`content_objects` reads the same bytes
with one compiled pattern per token and gives the same objects in the same order — numbers, booleans,
strings, names, arrays, dictionaries and operators (``PSKeyword``), in the order of the streams, as
``PDFContentParser.nextobject`` yields them.

It reads only the plain part of the grammar, which is what Word, WPS and LibreOffice write. Anything else
— an inline image (``BI``/``ID``/``EI``), a procedure (``{ }``), a name with ``#`` escapes, an operator
inside an array or dictionary, a stray ``>`` or ``)``, unbalanced brackets, a token cut at a stream's end,
an octal escape past 255, a ``\\r`` at the edge of pdfminer's 4 KiB read buffer — makes it return None,
and the page is read by pdfminer's own parser, as before. ``tests/test_ingest_pdf_content.py`` checks
that both give equal objects on every PDF the project holds and on hand-made streams for each of those
cases.
"""
from __future__ import annotations

import re

from pdfminer.psparser import ESC_STRING, HEX_PAIR, KWD, LIT, SPC, PSLiteral

#: pdfminer's read buffer (``PSBaseParser.BUFSIZ``): a ``\r\n`` escape split by it is read differently
BUFSIZ = 4096

_TOKEN = re.compile(rb"""
    [\s\x00]*+                                  # whitespace; pdfminer skips a NUL between tokens
    (?:
        (?P<num>[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))
      | (?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)
      | /(?P<lit>[^#/%\[\]()<>{}\s]*)
      | <(?P<hex>[\s0-9A-Fa-f]*)>
      | (?P<open>\[|<<)
      | (?P<close>\]|>>)
      | (?P<str>\()
      | (?P<com>%[^\r\n]*)
      | (?P<q>['"])
      | (?P<other>.)
    )""", re.VERBOSE | re.DOTALL)

_STRING_END = re.compile(rb"[()\\]")
_HEX_BYTE = lambda m: bytes((int(m.group(0), 16),))  # noqa: E731 - pdfminer's own conversion
_TRUE, _FALSE = b"true", b"false"
_INLINE = {KWD(b"BI"), KWD(b"ID"), KWD(b"EI")}
_OCTAL = frozenset(b"01234567")
_ESC = {k[0]: v for k, v in ESC_STRING.items()}


class _Unsupported(Exception):
    """Something this reader leaves to pdfminer's parser."""


def content_objects(datas: list[bytes]) -> list | None:
    """The objects pdfminer's ``PDFContentParser`` yields for these stream contents (decoded, in order),
    or None when they hold anything beyond the plain grammar this reader takes."""
    out: list = []
    try:
        for k, data in enumerate(datas):
            if k and data[:1] == b">":  # pdfminer may join it to the last stream's hex string
                return None
            _read(data, out)
    except (_Unsupported, ValueError, AssertionError):
        return None
    return out


def _read(data: bytes, out: list) -> None:
    """Append to ``out`` the objects of one stream, each as pdfminer yields it (an operand at once, an array
    or dictionary when it closes). One left open at the stream's end is not read here."""
    n = len(data)
    i = 0
    match = _TOKEN.match
    cur = out
    context: list[tuple[bytes, list]] = []  # open arrays and dictionaries: (opener, the enclosing list)
    while i < n:
        m = match(data, i)
        if m is None:  # only whitespace left
            break
        kind = m.lastgroup
        i = m.end()
        if kind == "num":
            text = m.group("num")
            cur.append(float(text) if b"." in text else int(text))
        elif kind == "kw":
            word = m.group("kw")
            if word == _TRUE or word == _FALSE:
                cur.append(word == _TRUE)
                continue
            kw = KWD(word)
            if context or kw in _INLINE:
                raise _Unsupported
            out.append(kw)
        elif kind == "hex":
            if data[i:i + 1] == b">":  # pdfminer reads this '>' with the one closing the string
                raise _Unsupported
            cur.append(HEX_PAIR.sub(_HEX_BYTE, SPC.sub(b"", m.group("hex"))))
        elif kind == "lit":
            name = m.group("lit")
            if not name or data[i:i + 1] == b"#":
                raise _Unsupported
            try:
                cur.append(LIT(str(name, "utf-8")))
            except UnicodeDecodeError:
                cur.append(LIT(name))
        elif kind == "str":
            text, i = _string(data, i)
            cur.append(text)
        elif kind == "open":
            context.append((m.group("open"), cur))
            cur = []
        elif kind == "close":
            if not context:
                raise _Unsupported
            opened, outer = context.pop()
            if m.group("close") == b"]":
                if opened != b"[":
                    raise _Unsupported
                value = cur
            else:
                if opened != b"<<" or len(cur) % 2:
                    raise _Unsupported
                value = {}
                for j in range(0, len(cur), 2):
                    key = cur[j]
                    if not isinstance(key, PSLiteral):
                        raise _Unsupported
                    value[_name(key)] = cur[j + 1]
            cur = outer
            cur.append(value)
        elif kind == "com":
            continue
        elif kind == "q":  # the ' and " operators
            if context:
                raise _Unsupported
            out.append(KWD(m.group("q")))
        else:
            raise _Unsupported
    if context:
        raise _Unsupported


def _name(lit: PSLiteral) -> str:
    """pdfminer's ``literal_name``."""
    name = lit.name
    if isinstance(name, str):
        return name
    try:
        return str(name, "utf-8")
    except UnicodeDecodeError:
        return str(name)


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string from just after its ``(``: pdfminer's ``_parse_string`` and ``_parse_string_1``."""
    out = bytearray()
    depth = 1
    n = len(data)
    search = _STRING_END.search
    while True:
        m = search(data, i)
        if m is None:
            raise _Unsupported  # cut at the stream's end
        j = m.start()
        out += data[i:j]
        c = data[j]
        i = j + 1
        if c == 0x28:  # (
            depth += 1
            out.append(c)
        elif c == 0x29:  # )
            depth -= 1
            if not depth:
                return bytes(out), i
            out.append(c)
        else:  # a backslash
            if i >= n:
                raise _Unsupported
            c = data[i]
            if c in _OCTAL:
                k = i
                while k < n and k - i < 3 and data[k] in _OCTAL:
                    k += 1
                if k >= n:
                    raise _Unsupported
                code = int(data[i:k], 8)
                if code > 255:
                    raise _Unsupported
                out.append(code)
                i = k
            elif c in _ESC:
                out.append(_ESC[c])
                i += 1
            elif c == 0x0D and i + 1 < n and data[i + 1] == 0x0A:
                if (i + 1) % BUFSIZ == 0:  # pdfminer sees the \n only in its next buffer
                    raise _Unsupported
                i += 2
            else:
                i += 1
