"""Training data of the static encoder (``models/train_embedder.py``): train splits only.

Which texts each stage reads is listed in the model card (``models/jiebang-static-zh/README.md``);
dev splits are never read here.
"""
from __future__ import annotations

import json
from pathlib import Path


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def train_texts(data: Path) -> dict[str, list]:
    """Train-split texts and pairs: {"docs": [...], "pairs": [(a, b, label)], "title_abs": [...]}."""
    out: dict[str, list] = {"docs": [], "pairs": [], "title_abs": [], "sts": []}
    p = data / "csl_categories" / "train.jsonl"
    if p.exists():
        out["docs"] += [r["title"] for r in read_jsonl(p)]
    p = data / "csldcp" / "train.jsonl"
    if p.exists():
        out["docs"] += [r["content"] for r in read_jsonl(p)]
    for name in ("afqmc", "atec", "lcqmc", "bq", "pawsx"):
        p = data / "pairs" / name / "train.jsonl"
        if p.exists():
            for r in read_jsonl(p):
                out["pairs"].append((r["text1"].lstrip("\ufeff"), r["text2"].lstrip("\ufeff"), float(r["label"])))
    p = data / "pairs" / "stsb" / "train.jsonl"
    if p.exists():
        out["sts"] = [(r["text1"], r["text2"], float(r["label"]) / 5.0) for r in read_jsonl(p)]
    return out


def labelled_texts(data: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Train texts with field labels: csl_categories titles (13 categories), csldcp abstracts (67)."""
    out = {}
    p = data / "csl_categories" / "train.jsonl"
    if p.exists():
        rows = read_jsonl(p)
        out["csl_categories"] = ([r["title"] for r in rows], [r["category"] for r in rows])
    p = data / "csldcp" / "train.jsonl"
    if p.exists():
        rows = read_jsonl(p)
        out["csldcp"] = ([r["content"] for r in rows], [r["label"] for r in rows])
    return out
