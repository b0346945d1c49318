"""Per-label offsets of the stacked scores (#19, matching.class_bias): a label the scores favour beyond what the
held-out labels say is pushed down, the prior keeps a few examples from moving it far, a label with no held-out
example keeps 0, and a DomainClassifier saved before the offsets existed still loads and predicts as it did."""
from __future__ import annotations

import numpy as np

from matching.class_bias import ClassBias


def _favoured(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Scores that see the true label (+2) but add +1.5 to label 0 everywhere; labels 0–3 equally often,
    label 4 never."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4
    scores = rng.normal(0.0, 1.0, (n, 5))
    scores[np.arange(n), y] += 2.0
    scores[:, 0] += 1.5
    return scores, y


def test_a_label_favoured_beyond_the_data_is_pushed_down_and_accuracy_rises() -> None:
    scores, y = _favoured(800)
    bias = ClassBias(strength=2.0).fit(scores, y)
    assert bias.bias_[1:4].min() - bias.bias_[0] > 1.0  # label 0's advantage (1.5) mostly taken back
    assert bias.bias_[4] == 0.0 and abs(bias.bias_[:4].mean()) < 1e-9  # never held out: level with the average
    test, y_test = _favoured(800, seed=1)
    before = np.mean(test.argmax(axis=1) == y_test)
    after = np.mean(bias.decision_function(test).argmax(axis=1) == y_test)
    assert after > before + 0.05


def test_the_prior_keeps_a_few_examples_from_moving_the_offsets_far() -> None:
    scores, y = _favoured(800)
    few = ClassBias(strength=2.0).fit(scores[:12], y[:12]).bias_
    many = ClassBias(strength=2.0).fit(scores, y).bias_
    assert np.abs(few).max() < np.abs(many).max()
    assert np.array_equal(ClassBias().decision_function(scores), scores)  # not fitted: unchanged
    assert not ClassBias().fit(scores[:3], np.zeros(3, int)).bias_.any()  # one label: nothing to offset


def test_the_domain_classifier_learns_offsets_for_its_confirmed_labels_and_an_older_state_loads(
        embedder, tokenizer) -> None:
    from api.io.taxonomy_files import DEFAULT_TAXONOMY, read_taxonomy
    from matching.domains import DomainClassifier
    from tests.test_domains import DEMANDS

    texts, labels = zip(*DEMANDS)
    encode = lambda t: embedder.encode(t, kind="passage", show_progress=False)  # noqa: E731
    clf = DomainClassifier(read_taxonomy(DEFAULT_TAXONOMY), encoder=encode, tokenizer=tokenizer, level=3,
                           cv=2).fit(list(texts) * 2, list(labels) * 2)
    seen = np.isin(np.arange(len(clf.codes_)), clf.classes_)
    assert clf.bias_[seen].any() and not clf.bias_[~seen].any()  # only confirmed labels move
    meta, arrays = clf.to_state()
    meta.pop("bias")  # as saved before the offsets existed
    old = DomainClassifier.from_state(meta, arrays, clf.vectorizer_, encoder=encode, tokenizer=tokenizer)
    clf.bias_ = np.zeros_like(clf.bias_)
    query = ["氢燃料电池膜电极与低铂催化剂"]
    assert np.allclose(old.predict_proba(query), clf.predict_proba(query), atol=1e-6)
