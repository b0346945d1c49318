"""A fitted :class:`~matching.domains.DomainClassifier` as plain state (领域分类器的保存形式): JSON-able
metadata and numpy arrays, no pickle and no I/O here (``api.io.resources`` writes and reads the files)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.taxonomy import Taxonomy
from matching.text_views import Encoder
from nlp.lexical import LexicalVectorizer

#: the classifier (``matching.domains.DomainClassifier``; typed loosely here, it imports this module)
Classifier = Any

_SPARSE = ("label_lexical_", "label_words_", "train_words_", "train_chars_", "train_lexical_", "coarse_words_",
           "coarse_chars_")
_DENSE = ("label_dense_", "train_dense_", "coarse_dense_")


def _csr_parts(prefix: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    m = sp.csr_matrix(m)
    return {f"{prefix}_data": m.data, f"{prefix}_indices": m.indices, f"{prefix}_indptr": m.indptr,
            f"{prefix}_shape": np.asarray(m.shape)}


def _csr_from(arrays: Mapping[str, np.ndarray], prefix: str) -> sp.csr_matrix:
    return sp.csr_matrix((arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]),
                         shape=tuple(arrays[f"{prefix}_shape"]))


def classifier_state(clf: Classifier) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``(meta, arrays)``: parameters, taxonomy, labels and confirmed texts; heads, label and example
    vectors (the lexical vectoriser is saved on its own)."""
    meta = {"params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in
                       ((k, getattr(clf, k)) for k in clf._PARAMS)},
            "taxonomy": {"name": clf.taxonomy.name, "nodes": clf.taxonomy.to_records()},
            "level": clf.level_, "codes": clf.codes_, "weights": clf.weights_,
            "platt": list(clf.platt_) if clf.platt_ is not None else None, "bias": [float(b) for b in clf.bias_],
            "heads": list(clf.heads_), "train_texts": clf.train_texts_,
            "encoder_dim": None if clf.label_dense_ is None else int(clf.label_dense_.shape[1])}
    arrays: dict[str, np.ndarray] = {"train_y": clf.train_y_, "classes": clf.classes_,
                                     "coarse_allowed": clf.coarse_allowed_}
    for view, (coef, intercept) in clf.heads_.items():
        arrays[f"head_{view}_coef"], arrays[f"head_{view}_intercept"] = coef, intercept
    for name in _SPARSE:
        if getattr(clf, name) is not None:
            arrays.update(_csr_parts(name.rstrip("_"), getattr(clf, name)))
    for name in _DENSE:
        if getattr(clf, name) is not None:
            arrays[name.rstrip("_")] = getattr(clf, name)
    return meta, arrays


def classifier_from_state(cls: type, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                          vectorizer: LexicalVectorizer, encoder: Encoder | None = None, tokenizer: Any = None,
                          prior: Callable[[list[str]], np.ndarray] | None = None) -> Classifier:
    """The classifier :func:`classifier_state` described; ``encoder`` must be the one it was fitted with."""
    taxonomy = Taxonomy.from_records(meta["taxonomy"]["nodes"], name=meta["taxonomy"]["name"])
    clf = cls(taxonomy, encoder=encoder, tokenizer=tokenizer, prior=prior, **meta["params"])
    if meta["encoder_dim"] is not None and encoder is None:
        raise ValueError("该模型需要嵌入模型 / this classifier was fitted with an encoder: pass it")
    clf.vectorizer_ = vectorizer
    clf._set_names()
    clf.level_, clf.codes_ = int(meta["level"]), list(meta["codes"])
    clf._index = {c: i for i, c in enumerate(clf.codes_)}
    clf.weights_ = {k: float(v) for k, v in meta["weights"].items()}
    clf.platt_ = tuple(meta["platt"]) if meta["platt"] is not None else None
    clf.bias_ = np.asarray(meta.get("bias") or np.zeros(len(clf.codes_)), dtype=np.float64)  # none before #19's offsets
    clf.train_texts_ = list(meta["train_texts"])
    clf.train_y_ = np.asarray(arrays["train_y"]).astype(np.int64)
    clf.classes_ = np.asarray(arrays["classes"]).astype(np.int64)
    clf.heads_ = {v: (arrays[f"head_{v}_coef"], arrays[f"head_{v}_intercept"]) for v in meta["heads"]}
    clf.coarse_allowed_ = np.asarray(arrays.get("coarse_allowed", np.zeros((0, len(clf.codes_)))), dtype=bool)
    for name in _SPARSE:  # a state saved before coarse labels (#19) has no coarse rows
        key = name.rstrip("_")
        setattr(clf, name, _csr_from(arrays, key) if f"{key}_data" in arrays else None)
    for name in _DENSE:
        key = name.rstrip("_")
        setattr(clf, name, arrays[key] if key in arrays and encoder is not None else None)
    if clf.label_dense_ is not None and encoder is not None:
        width = np.asarray(encoder(["维度"])).shape[1]
        if width != clf.label_dense_.shape[1]:
            raise ValueError(f"嵌入维度不符（{width} ≠ {clf.label_dense_.shape[1]}）/ encoder width differs")
    return clf


__all__ = ["classifier_state", "classifier_from_state"]
