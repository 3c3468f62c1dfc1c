"""Markdown and HTML memos from Jinja2 templates (loaded once per process).

A report is untrusted input. The HTML environment autoescapes every value; the Markdown environment
passes every value through ``md_escape`` (its ``finalize``), so report text never becomes markup in
either. The templates hold all the markup, the values none.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

from audit.names import visible

_SPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md_escape(value: object) -> object:
    """Backslash-escape what Markdown would read as markup (emphasis, links, HTML, table pipes);
    line breaks become spaces so a value never leaves its table cell or list item."""
    if not isinstance(value, str) or isinstance(value, Markup):
        return "" if value is None else value
    text = _SPACE.sub(" ", value)
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _visible(value):
    """Control characters (ESC, BEL …) in a value shown as control pictures, never passed to the reader's
    terminal or browser (:func:`audit.names.visible`)."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))  # markup built around report text: its controls too
    if isinstance(value, str):
        return visible(value)
    return value


@lru_cache(maxsize=None)
def environment(fmt: str) -> "jinja2.Environment":
    import jinja2  # only when a format renders through a template (a JSON memo does not)

    loader = jinja2.PackageLoader("audit.memo", "templates")
    if fmt == "html":
        env = jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                 finalize=_visible, undefined=jinja2.StrictUndefined)
    elif fmt == "md":
        env = jinja2.Environment(loader=loader, autoescape=False, finalize=lambda v: md_escape(_visible(v)),
                                 trim_blocks=False,
                                 keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    else:
        raise ValueError(f"no template environment for {fmt!r}")
    return env


@lru_cache(maxsize=None)
def template(fmt: str) -> "jinja2.Template":
    return environment(fmt).get_template(f"memo.{fmt}.j2")


def render_text(context: dict, fmt: str) -> str:
    return template(fmt).render(**context)
