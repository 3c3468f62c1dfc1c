"""audit.prefixdict: jieba's prefix dictionary as a prepared table — the same mapping as jieba's own dict,
the same bytes for the same dictionary, damage refused, and the same words cut from real text."""
from __future__ import annotations

import io
import json
import random
from pathlib import Path

import jieba
import pytest

from audit.prefixdict import HEADER_SIZE, PrefixTable, TableError, build_table, open_table, write_table

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def jieba_dict():
    tok = jieba.Tokenizer()
    with tok.get_dict_file() as fh:
        return tok.gen_pfdict(io.BytesIO(fh.read()))


@pytest.fixture(scope="module")
def table_file(jieba_dict, tmp_path_factory):
    path = tmp_path_factory.mktemp("pfx") / "prefix.table"
    write_table(path, *jieba_dict)
    return path


def test_round_trip_equals_jiebas_own_dict(jieba_dict, table_file):
    freq, total = jieba_dict
    table = open_table(table_file)
    assert table.total == total and len(table) == len(freq)
    assert dict(table.items()) == freq
    for w in random.Random(1).sample(sorted(freq), 5000):  # lookups one by one, not only the slot scan
        assert w in table and table[w] == freq[w] and table.get(w) == freq[w]
    for w in ("政府信息公开工作年度报告书", "𠀀𠀁", "qqqzzz", "", "公开\0"):
        assert w not in freq and w not in table and table.get(w, -1) == -1
        with pytest.raises(KeyError):
            table[w]
    assert 12 not in table and table.get(None) is None


def test_same_dictionary_same_bytes(jieba_dict):
    freq, total = jieba_dict
    some = dict(random.Random(2).sample(sorted(freq.items()), 20000))
    shuffled = dict(random.Random(3).sample(sorted(some.items()), len(some)))
    assert build_table(some, total) == build_table(shuffled, total)
    assert build_table(some, total) != build_table(some, total + 1)


def test_added_words_sit_over_the_table(jieba_dict, table_file):
    table = open_table(table_file)
    before = table["公开"]
    table["公开"] = 7
    table["依申请公开政府信息"] = 3
    assert table["公开"] == 7 and table["依申请公开政府信息"] == 3 and "依申请公开政府信息" in table
    assert open_table(table_file)["公开"] == before  # the file is not changed
    assert len(table) == len(jieba_dict[0]) + 1


def test_a_damaged_or_foreign_file_is_refused(table_file, tmp_path):
    good = table_file.read_bytes()
    for name, data in [("short", good[:40]), ("truncated", good[:-1]), ("padded", good + b"\0"),
                       ("magic", b"X" + good[1:]), ("body", good[:HEADER_SIZE + 9] + bytes([good[HEADER_SIZE + 9] ^ 1])
                                                    + good[HEADER_SIZE + 10:]),
                       ("last key byte", good[:-1] + bytes([good[-1] ^ 0x20]))]:
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(TableError):
            open_table(p)
    with pytest.raises(TableError):
        build_table({"词": 2**32}, 1)
    with pytest.raises(TableError):
        build_table({"词": 1}, -1)


def test_cuts_equal_jiebas_with_its_own_dict_and_our_user_dictionary(jieba_dict, table_file):
    plain, prepared = jieba.Tokenizer(), jieba.Tokenizer()
    plain.FREQ, plain.total = dict(jieba_dict[0]), jieba_dict[1]
    table = open_table(table_file)
    prepared.FREQ, prepared.total = table, table.total
    plain.initialized = prepared.initialized = True
    userdict = ROOT / "audit" / "data" / "userdict.txt"
    plain.load_userdict(str(userdict))
    prepared.load_userdict(str(userdict))
    assert prepared.total == plain.total
    texts = ["".join(t for _, t in json.loads(line)["parts"]) for line in (ROOT / "corpora" / "narratives" / "passages.jsonl")
             .read_text(encoding="utf-8").splitlines()[:400] if line.strip()]
    for p in sorted((ROOT / "corpora" / "samples").glob("*.txt")):
        raw = p.read_bytes()
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("gb18030"))
    texts += ["政府信息公开工作年度报告", "全年共收到政府信息公开申请１２３件，ＡＢＣ abc 3.5%", "行政复议 行政诉讼\n其他"]
    assert len(texts) > 300
    for t in texts:
        assert list(prepared.cut(t)) == list(plain.cut(t))
        assert list(prepared.cut(t, HMM=False)) == list(plain.cut(t, HMM=False))
        assert list(prepared.cut_for_search(t)) == list(plain.cut_for_search(t))
    assert isinstance(prepared.FREQ, PrefixTable)
