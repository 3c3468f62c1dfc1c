"""The one Chinese tokenizer of the process: jieba with the domain user dictionary, giving the tokens
spaCy's blank ``zh`` pipeline (segmenter ``jieba``) gives — same texts, offsets, whitespace tokens and
``like_num`` — without importing spaCy (about a second of start-up). It is built once per process.

Checks (claims) and narrative analysis both tokenise through :func:`get_nlp`, so a report's text is
segmented the same way everywhere. ``tests/test_perf_claim_match.py`` checks the tokens against spaCy's.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

_lock = threading.Lock()


def userdict_path():
    """The domain dictionary (one ``word [freq] [tag]`` a line), shipped in the package."""
    return resources.files("audit") / "data" / "userdict.txt"


# spaCy 3's ``spacy.lang.zh.lex_attrs.like_num`` (MIT licence), so that LIKE_NUM means what it meant there
_SINGLE_NUM = set("〇一二三四五六七八九十") | {"十" + c for c in "一二三四五六七八九"} | set("廿卅卌皕零壹贰叁肆伍陆柒捌玖拾") \
    | {"拾" + c for c in "壹贰叁肆伍陆柒捌玖"}
_COUNT = "一|二|三|四|五|六|七|八|九|壹|贰|叁|肆|伍|陆|柒|捌|玖"
_BASE = "十|百|千|万|亿|兆|拾|佰|仟"
_NUM_WORDS = re.compile(f"^(({_COUNT}){{1}}({_BASE}){{1}})+({_COUNT})?$")


@lru_cache(maxsize=65536)
def like_num(text: str) -> bool:
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "").replace("，", "").replace("。", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    if text in _SINGLE_NUM:
        return True
    return _NUM_WORDS.match(text) is not None


class Token:
    __slots__ = ("text", "idx", "whitespace_")

    def __init__(self, text: str, idx: int, space: bool):
        self.text, self.idx, self.whitespace_ = text, idx, " " if space else ""

    @property
    def is_space(self) -> bool:
        return self.text.isspace()

    @property
    def like_num(self) -> bool:
        return like_num(self.text)

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        return self.text


class Doc(list):
    """The tokens of a text (a list of :class:`Token`), with the text."""

    def __init__(self, text: str, tokens: list[Token]):
        super().__init__(tokens)
        self.text = text


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``util.get_words_and_spaces``: whitespace-only words dropped, the text's own whitespace put
    back as tokens or as a token's trailing space."""
    out_w: list[str] = []
    out_s: list[bool] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue
        start = text.index(word, pos)  # ValueError, as spaCy, when the words are not the text's
        if start > pos:
            out_w.append(text[pos:start])
            out_s.append(False)
            pos = start
        out_w.append(word)
        out_s.append(False)
        pos += len(word)
        if pos < len(text) and text[pos] == " ":
            out_s[-1] = True
            pos += 1
    if pos < len(text):
        out_w.append(text[pos:])
        out_s.append(False)
    return out_w, out_s


class Chinese:
    """``make_doc(text)``: jieba's words of ``text`` as tokens."""

    def __init__(self, jieba_module):
        self._cut = jieba_module.cut

    def make_doc(self, text: str) -> Doc:
        words = [w for w in self._cut(text, cut_all=False) if w]
        ws, spaces = words_and_spaces(words, text)
        toks = []
        idx = 0
        for w, s in zip(ws, spaces):
            toks.append(Token(w, idx, s))
            idx += len(w) + s
        return Doc(text, toks)

    __call__ = make_doc


@lru_cache(maxsize=1)
def get_nlp() -> Chinese:
    """jieba with our user dictionary, through its prepared prefix dictionary; built on first use."""
    with _lock:
        import warnings

        import sys

        # jieba imports the deprecated pkg_resources (0.1–0.3 s) only to open its own files, and opens them
        # by path without it: hide it while jieba is imported, unless something has loaded it already
        hide = "pkg_resources" not in sys.modules
        if hide:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import jieba
        finally:
            if hide and sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]

        jieba.setLogLevel(logging.WARNING)
        from audit.cache import init_jieba

        init_jieba(jieba.dt)  # our cache folder, checked, never $TMPDIR/jieba.cache
        path = userdict_path()
        if path.is_file():
            with resources.as_file(path) as p:
                jieba.load_userdict(str(p))
        return Chinese(jieba)


def tokens(text: str) -> list[str]:
    """The jieba tokens of a text, as the pipeline segments them (whitespace dropped)."""
    return [t.text for t in get_nlp().make_doc(text) if not t.is_space]
