"""The committed labelled corpus is exactly what its generator produces."""
import pathlib
import subprocess
import sys

CORPUS = pathlib.Path(__file__).resolve().parents[1] / "corpus"


def test_corpus_is_regenerated(tmp_path):
    committed = (CORPUS / "ward_chat.jsonl").read_bytes()
    out = tmp_path / "ward_chat.jsonl"
    subprocess.run([sys.executable, str(CORPUS / "generate.py"), "--out", str(out)], check=True)
    assert out.read_bytes() == committed, "run python3 core/tests/corpus/generate.py and commit"
