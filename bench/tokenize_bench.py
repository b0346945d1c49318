"""Task ``tokenize``: jieba tokenisation speed with the domain dictionary on CSL abstracts."""
from __future__ import annotations

import time

from bench.common import Context, Row, read_jsonl
from nlp.tokenize import Tokenizer


def run(ctx: Context) -> list[Row]:
    docs = [f"{r['title']}。{r['abstract']}" for r in read_jsonl(ctx.split_file("csl"))]
    started = time.perf_counter()
    tokenizer = Tokenizer()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    n_tokens = sum(len(tokenizer.cut(d)) for d in docs)
    seconds = time.perf_counter() - started
    return [
        Row("tokenize", "csl", "jiebang", "docs_per_s", len(docs) / seconds),
        Row("tokenize", "csl", "jiebang", "tokens_per_s", n_tokens / seconds),
        Row("tokenize", "csl", "jiebang", "load_s", load_s),
    ]
