"""jieba's prefix dictionary: cached under the project's cache folder (never $TMPDIR/jieba.cache), written
atomically, checked against its SHA-256 before it is loaded, and neither read nor written with the cache off."""
from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import jieba

from audit.cache import JIEBA_DIR, init_jieba

ROOT = Path(__file__).resolve().parents[1]


def test_built_once_then_loaded_checked(tmp_path):
    first = jieba.Tokenizer()
    assert init_jieba(first, root=tmp_path, enabled=True) == "built"
    [entry] = list((tmp_path / JIEBA_DIR).glob("prefix-*"))
    [memo] = list((tmp_path / JIEBA_DIR).glob("dict-*.sha256"))  # the dictionary's SHA-256, remembered
    assert sorted(p.name for p in (tmp_path / JIEBA_DIR).iterdir()) == sorted([entry.name, memo.name])
    again = jieba.Tokenizer()
    assert init_jieba(again, root=tmp_path, enabled=True) == "hit"
    assert again.FREQ == first.FREQ and again.total == first.total
    assert init_jieba(again, root=tmp_path, enabled=True) == "ready"

    # an altered entry (a planted word frequency) fails its check: built again, rewritten
    from audit.prefixdict import HEADER_SIZE, open_table

    data = bytearray(entry.read_bytes())
    table = open_table(entry)
    assert table["公开"] > 0
    at = data.index(b"\x06\x00" + "公开".encode())  # the key's length, then its bytes; its slot: (offset + 1, freq)
    slot = next(h for h in range(HEADER_SIZE, table._keys_at, 8)
                if int.from_bytes(data[h:h + 4], "little") == at - table._keys_at + 1)
    data[slot + 4:slot + 8] = (10**9).to_bytes(4, "little")
    entry.write_bytes(bytes(data))
    third = jieba.Tokenizer()
    assert init_jieba(third, root=tmp_path, enabled=True) == "built"
    assert third.FREQ == first.FREQ and third.FREQ["公开"] == table["公开"]
    assert init_jieba(jieba.Tokenizer(), root=tmp_path, enabled=True) == "hit"

    # the remembered digest only names the table: a wrong one never gives a table of another dictionary
    memo.write_text("0" * 64 + "\n")
    fourth = jieba.Tokenizer()
    assert init_jieba(fourth, root=tmp_path, enabled=True) == "built"
    assert fourth.FREQ == first.FREQ and fourth.total == first.total


def test_the_remembered_digest_spares_reading_the_dictionary(tmp_path, monkeypatch):
    assert init_jieba(jieba.Tokenizer(), root=tmp_path, enabled=True) == "built"
    reads = []
    real = jieba.Tokenizer.get_dict_file

    def counted(self):
        fh = real(self)
        read = fh.read

        def read_counted(*a):
            reads.append(1)
            return read(*a)

        fh.read = read_counted
        return fh

    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file", counted)
    tok = jieba.Tokenizer()
    assert init_jieba(tok, root=tmp_path, enabled=True) == "hit" and not reads
    ref = jieba.Tokenizer()
    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file", real)
    assert init_jieba(ref, root=tmp_path, enabled=False) == "off"
    text = "政府信息公开工作年度报告，全年主动公开政府信息1234条"
    assert list(tok.cut(text)) == list(ref.cut(text))
    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file", counted)
    for memo in (tmp_path / JIEBA_DIR).glob("dict-*"):
        memo.unlink()
    assert init_jieba(jieba.Tokenizer(), root=tmp_path, enabled=True) == "hit" and reads  # hashed again


def test_cache_off_reads_and_writes_nothing(tmp_path):
    tok = jieba.Tokenizer()
    assert init_jieba(tok, root=tmp_path, enabled=False) == "off"
    assert not (tmp_path / JIEBA_DIR).exists()
    assert tok.initialized and tok.total > 0


def test_a_planted_tmp_cache_is_never_loaded_and_no_run_writes_tmp(tmp_path):
    tmp, cache = tmp_path / "tmp", tmp_path / "cache"
    tmp.mkdir()
    planted = (tmp / "jieba.cache")
    planted.write_bytes(marshal.dumps(({"政": 1, "政府": 1}, 2)))  # would cut every word into characters
    before = planted.read_bytes()
    inherited = {k: v for k, v in os.environ.items() if k != "AUDIT_CACHE"}
    env = dict(inherited, TMPDIR=str(tmp), AUDIT_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    code = "from audit.nlp import tokens; print('|'.join(tokens('政府信息公开工作年度报告')))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "政府信息公开|工作|年度报告"
    assert planted.read_bytes() == before and sorted(p.name for p in tmp.iterdir()) == ["jieba.cache"]
    assert len(list((cache / JIEBA_DIR).glob("prefix-*.table"))) == 1

    # audit check --no-cache: nothing written in the cache folder (jieba's prepared dictionary is only read)
    fresh = tmp_path / "fresh-cache"
    env["AUDIT_CACHE_DIR"] = str(fresh)
    sample = ROOT / "corpora" / "samples" / "2024_county_old_other_row.txt"
    res = subprocess.run([sys.executable, "-m", "audit", "check", str(sample), "-o", str(tmp_path / "m"), "--no-cache"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert not fresh.exists()
    assert sorted(p.name for p in tmp.iterdir()) == ["jieba.cache"]
