"""The corpus (size, labels, honest split, reproducible composition) and `audit train` (same bytes)."""
import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from audit.cli import cli
from audit.narrative import model_version
from audit.narrative import model_path
from audit.narrative.classify import ALL_LABELS, load_model

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "narratives" / "passages.jsonl"


def rows():
    return [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()]


def test_corpus_size_labels_and_formats():
    rs = rows()
    assert len(rs) >= 800
    for split in ("train", "dev", "test"):
        part = [r for r in rs if r["split"] == split]
        assert {lb for r in part for lb in r["labels"]} == set(ALL_LABELS)
        assert {r["format"] for r in part} == {"2019", "2021"}
    assert len({r["agency_type"] for r in rs}) >= 5
    assert sum(r["hard"] for r in rs) >= 100


def test_split_shares_no_source_sentence():
    rs = rows()
    train = {s for r in rs if r["split"] == "train" for s in r["sources"]}
    for r in rs:
        if r["split"] != "train":
            assert not set(r["sources"]) & train, r["id"]


def test_corpus_file_is_what_the_composer_writes():
    from corpora.narratives.compose import build

    assert build() == CORPUS.read_text(encoding="utf-8")


def test_shipped_model_is_current_and_versioned():
    params = json.loads(model_path().read_text(encoding="utf-8"))
    assert params["corpus_sha256"] == hashlib.sha256(CORPUS.read_bytes()).hexdigest()
    assert model_version() == load_model().version == params["version"]
    assert params["version"].startswith("narrative-")


def test_audit_train_gives_the_shipped_bytes(tmp_path):
    out = tmp_path / "model.json"
    res = CliRunner().invoke(cli, ["train", "--corpus", str(CORPUS), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == model_path().read_bytes()
