"""The bad-input corpus, built at test time (nothing downloaded, nothing big in the repository).

    from tests.badinput import CORPUS, build
    paths = build(tmp_path)            # name → path of every bad file, written into tmp_path

Each :class:`BadFile` knows how to make its bytes and what the tool must make of it: one of the error
codes of ``audit.errors`` (``expect``), or an audit whose result passes ``check`` (a clear finding, or a
clean read of a file that only looks bad). Big files are made lazily, when written, from small pieces
(a 50 MB page is one short page repeated; a decompression bomb is one deflate block repeated).
"""
from tests.badinput.corpus import CORPUS, ZIPS, BadFile, build

__all__ = ["CORPUS", "ZIPS", "BadFile", "build"]
