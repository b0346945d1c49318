"""The words behind a domain suggestion (领域建议的依据词): for one text and the label suggested, the words of the
text that pushed that label up — TF-IDF × the supervised word heads' pull toward the label rather than the others,
its overlap with the label's own text (the prior's share), or with the confirmed example the memory answered from.
Read by :meth:`matching.domains.DomainClassifier.suggest`; no state of its own."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from matching.text_views import TextViews

EVIDENCE_TERMS = 8
#: the fitted classifier (``matching.domains.DomainClassifier``; typed loosely here, it imports this module)
Classifier = Any


def word_scales(clf: Classifier) -> dict[str, float]:
    """The spread of each word head's weights, so their pulls add on one scale."""
    return {v: float(clf.heads_[v][0].std()) + 1e-9 for v in ("words", "words_nb") if v in clf.heads_}


def evidence_terms(clf: Classifier, blocks: TextViews, i: int, top: int, near: int, beta: float,
                   scale: Mapping[str, float]) -> tuple[str, ...]:
    """The words of text ``i`` of ``blocks`` that pushed label ``top`` (an index of ``clf.codes_``) up, strongest
    first (at most :data:`EVIDENCE_TERMS`); ``near``/``beta``: the memory's nearest confirmed example and its say."""
    row = blocks.words[i]
    if row.nnz == 0:
        return ()
    x = row.data
    if beta >= 0.5:
        weight = clf.train_words_[near].toarray().ravel()[row.indices]
    else:
        weight = (1 - clf.alpha_) * clf.label_words_[top].toarray().ravel()[row.indices]
        cls = np.searchsorted(clf.classes_, top) if clf.heads_ else -1
        if clf.heads_ and cls < len(clf.classes_) and clf.classes_[cls] == top:
            for view, sd in scale.items():  # a word's pull toward this label rather than the others
                if clf.weights_.get(view, 0.0) > 0:
                    coef = clf.heads_[view][0]
                    centred = coef[cls, row.indices] - coef[:, row.indices].mean(axis=0)
                    weight = weight + clf.alpha_ * clf.weights_[view] * centred / sd
    score = x * weight
    order = np.argsort(-score, kind="stable")[:EVIDENCE_TERMS]
    return tuple(str(clf.word_names_[row.indices[j]]) for j in order if score[j] > 0)


__all__ = ["evidence_terms", "word_scales", "EVIDENCE_TERMS"]
