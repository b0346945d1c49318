"""Build the background document-frequency table (``models/doc-freq/doc_freq.tsv``) that tells a generic word
(检测, 生产, 智能 …) from a topic word when keywords and titles are chosen.

    python -m models.build_doc_freq [--data ../shared/data] [--out models/doc-freq/doc_freq.tsv]

Source: the training splits only (``csldcp/train.jsonl`` abstracts and ``csl_categories/train.jsonl``
titles, CSL / FewCLUE, Apache-2.0), cut with the service's tokenizer (jieba + domain dictionary). A row per
token seen in at least ``min_df`` documents: ``token<TAB>documents``; the first line ``#documents<TAB>N``.
The dev and test splits the benchmarks score are never read.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from models import DOC_FREQ

SOURCES = (("csldcp/train.jsonl", "content"), ("csl_categories/train.jsonl", "title"))
MIN_DF = 3


def build(data: Path, out: Path = DOC_FREQ, min_df: int = MIN_DF) -> tuple[int, int]:
    """Write the table; returns (documents, tokens kept)."""
    from api.compose import load_settings
    from nlp.text import normalize
    from nlp.tokenize import Tokenizer

    settings = load_settings()
    tokenizer = Tokenizer(settings.userdict, settings.stopwords)
    df: Counter[str] = Counter()
    n = 0
    for name, field in SOURCES:
        with open(data / name, encoding="utf-8") as handle:
            for line in handle:
                text = normalize(str(json.loads(line).get(field) or ""))
                if not text:
                    continue
                n += 1
                df.update({t.lower() for t in tokenizer.cut(text, normalized=True) if t.strip()})
    rows = sorted(((t, c) for t, c in df.items() if c >= min_df and "\t" not in t), key=lambda r: (-r[1], r[0]))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"#documents\t{n}\n" + "".join(f"{t}\t{c}\n" for t, c in rows), encoding="utf-8")
    return n, len(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data root (default: the settings' data_dir)")
    parser.add_argument("--out", type=Path, default=DOC_FREQ)
    args = parser.parse_args()
    if args.data is None:
        from api.compose import load_settings
        args.data = load_settings().data_dir
    print(build(args.data, args.out))
