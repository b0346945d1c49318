"""The embedder training script's label heads (#19 encoder hygiene): a head of weight 0 is not built and its labels
are never read, so ``--w-label 0 --w-field 0`` trains an encoder that never saw a csl_categories or csldcp label, and
its training log says so. Tiny stand-in data files in a temporary directory (no ../shared/data needed)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from models.train_embedder import _label_heads, _used_heads


def _args(data: Path, **given) -> argparse.Namespace:
    """The script's options that decide the heads (its defaults: both heads, fine-tuning on)."""
    return argparse.Namespace(**{"data": data, "w_label": 1.0, "w_field": 1.0, "epochs": 3, **given})


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_a_label_head_of_weight_zero_is_not_built_and_its_labels_never_read(tmp_path: Path) -> None:
    _write(tmp_path / "csl_categories" / "train.jsonl", [{"title": "一种收获机", "category": "农学"}])
    _write(tmp_path / "csldcp" / "train.jsonl", [{"content": "水稻育种研究", "label": "作物学"}])
    both = _label_heads(_args(tmp_path))
    assert both == {"csl_categories": (["一种收获机"], ["农学"]), "csldcp": (["水稻育种研究"], ["作物学"])}
    assert set(_label_heads(_args(tmp_path, w_field=0.0))) == {"csl_categories"}
    clean = _args(tmp_path, w_label=0.0, w_field=0.0)
    assert _label_heads(clean) == {} and _used_heads(clean) == []
    # distilled only (no fine-tuning): no head trains, whatever the weights
    assert _used_heads(_args(tmp_path, epochs=0)) == []
