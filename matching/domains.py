"""Technology-domain suggestions (技术领域建议) over a taxonomy: the estimator that puts the parts together.

Enterprises fill 技术领域 freely and often wrongly; staff need a ranked suggestion they can trust, its confidence, and
corrections that change the next suggestion. :class:`DomainClassifier` (scikit-learn style: parameters in
``__init__``, learned state ``*_`` set in ``fit``) owns the vocabulary, the blend, the hierarchy and the evidence;
each part it combines is a small estimator or module of its own (the texts' views: :mod:`matching.text_views`; its
saved form: :mod:`matching.domain_state`, written by ``api.io.resources``):

* **day-one prior** — the shipped router's domain head (``prior``, :mod:`matching.office_model`) where
  one was fitted for the taxonomy, else **zero-shot** cosines to the label texts
  (:class:`~matching.zero_shot.ZeroShotScorer`);
* **supervised heads**, one per view, stacked with one learned weight per view on out-of-fold scores
  (:class:`~matching.view_heads.ViewHeads`); a text labelled only above the predicted level trains the labels
  under it, pseudo-labelled by a first head (:mod:`matching.coarse_labels`, weight ``coarse_weight``);
* the two blended by how much labelled data there is: ``α = m / (m + prior_strength)`` with ``m``
  the confirmed examples per label (a label nobody confirmed yet keeps its prior score);
* **per-label offsets** of the blended scores, learned on the same out-of-fold predictions
  (:class:`~matching.class_bias.ClassBias`, ``bias_strength``; ``None``: none): a label the heads favour beyond what the
  held-out labels say is pulled back;
* **calibration** — the top-1 confidence is mapped by a logistic (Platt) fit on the blended
  out-of-fold predictions, applied as a per-text temperature so the ranking never changes
  (:class:`~matching.top_calibration.TopCalibrator`);
* a **memory** of confirmed examples (:class:`~matching.example_memory.ExampleMemory`): a near-identical text takes
  a confirmed example's label, so a correction (:meth:`learn`) changes the next suggestion at once (heads refitted).

Measured on CSLDCP (bench/classify_bench.py): the stack of the three lexical heads beats each single view; the
dense head is off by default — the shipped encoder was fine-tuned on the CSLDCP training abstracts, so its
out-of-fold scores are memorised (learned on csldcp/train its weight is 6.9 and dev accuracy falls from 0.577 to
0.467, #19); it serves zero-shot and the memory, which are not fitted to our labels. A second encoder that never saw
a label (stacked out of fold: better on csldcp/train folds, worse on dev, 0.602 vs 0.6085) was not kept (README).

Hierarchy: the classifier predicts one ``level``; a higher level's probability is the sum of its children's, so a
parent is never below a child, and every label carries its path (a level-3 label implies its parents). The results
are :class:`~matching.suggestion.Suggestion` values; routing to an office is :mod:`matching.routing`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax

from matching.class_bias import ClassBias
from matching.coarse_labels import ancestor_matrix, coarse_targets
from matching.domain_evidence import evidence_terms, word_scales
from matching.domain_state import classifier_from_state, classifier_state
from matching.example_memory import ExampleMemory
from matching.suggestion import Label, Suggestion
from matching.taxonomy import Taxonomy
from matching.text_views import Encoder, TextViews, text_views
from matching.top_calibration import TopCalibrator
from matching.view_heads import VIEWS, Coarse, ViewHeads, stacking_weights
from matching.zero_shot import ZeroShotScorer
from nlp.lexical import LexicalVectorizer
from nlp.text import normalize
from nlp.tokenize import Tokenizer

#: (normalised texts, words=their content words) → ``(n, len(codes_))`` log-probabilities of the predicted
#: level's labels, from a model fitted before the round (the shipped router's domain head): replaces zero-shot
Prior = Callable[..., np.ndarray]
#: Out-of-fold stacking weights measured on CSLDCP train (5 folds), used until a fit learns its own.
DEFAULT_VIEW_WEIGHTS = {"chars": 0.9, "words": 0.0, "words_nb": 0.4, "dense": 0.3}


# ----------------------------------------------------------------------------- classifier
class DomainClassifier:
    """Suggest taxonomy labels with calibrated probabilities, abstention and evidence (see module doc).

    ``taxonomy``: the labels; ``level``: the level predicted (default the deepest); ``encoder``:
    texts → L2-normalised dense rows (the service's embedder), or ``None`` for lexical views only;
    ``tokenizer``: the service's jieba tokenizer; ``threshold``: abstain below this top probability;
    ``views``: the supervised heads; ``view_weights``: fixed stacking weights (``None``: learned on
    ``cv`` out-of-fold predictions when every label has enough examples).
    """

    def __init__(self, taxonomy: Taxonomy, encoder: Encoder | None = None, tokenizer: Tokenizer | None = None,
                 level: int | None = None, threshold: float = 0.5,
                 views: Sequence[str] = ("chars", "words", "words_nb"), view_weights: Mapping[str, float] | None = None,
                 C: float = 1.0, nb_alpha: float = 0.3, cv: int = 5, prior_strength: float = 2.0,
                 zero_shot_scale: float = 20.0, zero_shot_dense: float = 0.5, memory_low: float = 0.85,
                 memory_high: float = 0.95, memory_dense: float = 0.5, min_df: int = 2, random_state: int = 0,
                 prior: Prior | None = None, coarse_weight: float = 0.3, bias_strength: float | None = 2.0):
        self.taxonomy = taxonomy
        self.encoder = encoder
        self.prior = prior
        self.tokenizer = tokenizer
        self.level = level
        self.threshold = threshold
        self.views = tuple(views)
        self.view_weights = dict(view_weights) if view_weights is not None else None
        self.C = C
        self.nb_alpha = nb_alpha
        self.cv = cv
        self.prior_strength = prior_strength
        self.zero_shot_scale = zero_shot_scale
        self.zero_shot_dense = zero_shot_dense
        self.memory_low = memory_low
        self.memory_high = memory_high
        self.memory_dense = memory_dense
        self.min_df = min_df
        self.random_state = random_state
        self.coarse_weight = coarse_weight
        self.bias_strength = bias_strength

    _PARAMS = ("level", "threshold", "views", "view_weights", "C", "nb_alpha", "cv", "prior_strength",
               "zero_shot_scale", "zero_shot_dense", "memory_low", "memory_high", "memory_dense", "min_df",
               "random_state", "coarse_weight", "bias_strength")

    # ------------------------------------------------------------------ fitting
    def fit(self, texts: Sequence[str], labels: Sequence[str | None] | None = None) -> "DomainClassifier":
        """Learn from ``texts`` with their confirmed ``labels`` (taxonomy codes at the predicted level
        or below it, mapped up to it; ``None`` for a text nobody labelled yet — it still informs the
        vocabulary; a code above the predicted level trains the labels under it, see ``coarse_weight``).
        No labels at all gives a zero-shot classifier."""
        bad = [v for v in self.views if v not in VIEWS]
        if bad or ("dense" in self.views and self.encoder is None):
            raise ValueError(f"未知或不可用的视图 / unknown or unavailable views: {bad or ['dense']}")
        texts = [str(t) for t in texts]
        labels = list(labels) if labels is not None else [None] * len(texts)
        if len(labels) != len(texts):
            raise ValueError("文本与标签数量不一致 / texts and labels differ in length")
        self.level_ = int(self.level or self.taxonomy.depth)
        if not 1 <= self.level_ <= self.taxonomy.depth:
            raise ValueError(f"分类层级 {self.level_} 不在分类体系中 / level {self.level_} is not in the taxonomy")
        self.codes_ = [n.code for n in self.taxonomy.at_level(self.level_)]
        self._index = {c: i for i, c in enumerate(self.codes_)}
        label_texts = [self.taxonomy.label_text(c) for c in self.codes_]
        corpus = texts + label_texts
        min_df = self.min_df if len(corpus) >= 500 else 1  # small stores: every term counts
        clean = [normalize(t) for t in corpus]  # normalised and cut once, for the vocabulary and every view
        vectorizer = LexicalVectorizer(min_df=min_df, tokenizer=self.tokenizer)
        cut = vectorizer.cut(clean, normalized=True)
        self.vectorizer_ = vectorizer.fit(clean, words=cut)
        self._set_names()
        labels_blocks = self._blocks(clean[len(texts):], words=cut[len(texts):], normalized=True)
        self.label_lexical_ = labels_blocks.lexical
        self.label_words_ = labels_blocks.words
        self.label_dense_ = labels_blocks.dense
        y = np.array([self._target(c) for c in labels], dtype=np.int64)
        keep = y >= 0
        self.train_texts_ = [t for t, k in zip(texts, keep) if k]
        self.train_y_ = y[keep]
        kept = np.nonzero(keep)[0]
        blocks = self._blocks([clean[i] for i in kept], words=[cut[i] for i in kept], normalized=True)
        self.train_words_, self.train_chars_, self.train_lexical_ = blocks.words, blocks.chars, blocks.lexical
        self.train_dense_ = blocks.dense
        rows, self.coarse_allowed_ = coarse_targets(self.taxonomy, self.codes_, self.level_, labels)
        coarse = self._blocks([clean[i] for i in rows], words=[cut[i] for i in rows], normalized=True)
        self.coarse_words_, self.coarse_chars_, self.coarse_dense_ = coarse.words, coarse.chars, coarse.dense
        self.weights_ = {v: float((self.view_weights or DEFAULT_VIEW_WEIGHTS).get(v, 0.0)) for v in self.views}
        self.platt_: tuple[float, float] | None = None
        self.bias_ = np.zeros(len(self.codes_))
        self._learn_stack(blocks)
        self._fit_heads()
        return self

    def _target(self, code: str | None) -> int:
        """Index of the label ``code`` stands for at ``level_`` (-1: none, or above the predicted level)."""
        if code is None or code == "":
            return -1
        code = str(code)
        if code not in self.taxonomy:
            raise ValueError(f"标签 {code} 不在分类体系中 / label {code} is not in the taxonomy")
        node = self.taxonomy.ancestor_at(code, self.level_) or self.taxonomy[code]
        return self._index.get(node.code, -1)

    def _set_names(self) -> None:
        names = self.vectorizer_.words_.get_feature_names_out()
        self.word_names_ = np.asarray(names, dtype=object)

    def _blocks(self, texts: list[str], words: Sequence[list[str]] | None = None, normalized: bool = False) -> TextViews:
        return text_views(self.vectorizer_, texts, self.encoder, self._encoder_width, words=words, normalized=normalized)

    def _encoder_width(self) -> int:
        label_dense = getattr(self, "label_dense_", None)
        if label_dense is not None:
            return int(label_dense.shape[1])
        return int(np.asarray(self.encoder(["维度"])).shape[1])  # type: ignore[misc]

    def _classes(self) -> np.ndarray:
        return np.unique(self.train_y_)

    def _view_heads(self) -> ViewHeads:
        return ViewHeads(self.views, C=self.C, nb_alpha=self.nb_alpha, cv=self.cv, random_state=self.random_state,
                         coarse_weight=self.coarse_weight)

    def _coarse(self, classes: np.ndarray) -> Coarse | None:
        """The texts labelled only above ``level_``, as :class:`ViewHeads` reads them (``None``: none)."""
        if not len(self.coarse_allowed_):
            return None
        views = TextViews(self.coarse_words_, self.coarse_chars_, None, self.coarse_dense_)  # type: ignore[arg-type]
        return views.views(self.views), self.coarse_allowed_[:, classes]

    def _supervised(self, blocks: TextViews, heads: Mapping[str, tuple[np.ndarray, np.ndarray]],
                    weights: Mapping[str, float]) -> np.ndarray:
        """Weighted sum of the heads' standardised scores, ``(n, len(classes))``."""
        if not heads:
            return np.zeros((blocks.words.shape[0], 0))
        scorer = self._view_heads()
        scorer.heads_ = dict(heads)
        return scorer.decision_function(blocks.views(self.views), weights)

    def _learn_stack(self, blocks: TextViews) -> None:
        """Stacking weights and the confidence calibration, from out-of-fold predictions."""
        classes = self._classes()
        if len(classes) < 2:
            return
        y = np.searchsorted(classes, self.train_y_)
        stacked = self._view_heads().out_of_fold(blocks.views(self.views), y, self._coarse(classes))
        if stacked is None:
            return
        if self.view_weights is None:
            self.weights_ = stacking_weights(stacked, y, self.views)
        sup = stacked @ np.array([self.weights_[v] for v in self.views])
        logits = self._blend(sup, classes, self._prior_scores(blocks))
        if self.bias_strength is not None:
            self.bias_ = ClassBias(self.bias_strength).fit(logits, classes[y]).bias_
        p = softmax(logits + self.bias_, axis=1)
        self.platt_ = TopCalibrator().fit(p, p.argmax(axis=1) == classes[y]).params_

    def _fit_heads(self) -> None:
        classes = self._classes()
        self.heads_: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.classes_ = classes
        if len(classes) < 2:
            return
        y = np.searchsorted(classes, self.train_y_)
        blocks = TextViews(self.train_words_, self.train_chars_, self.train_lexical_, self.train_dense_)
        self.heads_ = self._view_heads().fit(blocks.views(self.views), y, self._coarse(classes)).heads_

    @property
    def alpha_(self) -> float:
        """Weight of the supervised part: ``m / (m + prior_strength)``, ``m`` examples per seen label."""
        if not getattr(self, "heads_", None):
            return 0.0
        m = len(self.train_y_) / max(1, len(self.classes_))
        return m / (m + self.prior_strength)

    def _zero_shot(self, blocks: TextViews) -> np.ndarray:
        return ZeroShotScorer(self.zero_shot_scale, self.zero_shot_dense).fit(
            self.label_lexical_, self.label_dense_).decision_function(blocks.lexical, blocks.dense)

    def _prior_scores(self, blocks: TextViews) -> np.ndarray:
        """The day-one scores: the shipped prior's log-probabilities (of the texts as the views cut them),
        else zero-shot label names."""
        if self.prior is None:
            return self._zero_shot(blocks)
        return np.asarray(self.prior(list(blocks.texts), words=blocks.tokens), dtype=np.float64)

    def _blend(self, sup: np.ndarray, classes: np.ndarray, zero_shot: np.ndarray) -> np.ndarray:
        """``α·supervised + (1-α)·zero-shot`` over all labels (a label never confirmed gets the
        supervised floor of its row, so only its zero-shot score lifts it)."""
        if sup.shape[1] == 0:
            return zero_shot
        full = np.repeat(sup.min(axis=1, keepdims=True), len(self.codes_), axis=1)
        full[:, classes] = sup
        m = len(self.train_y_) / max(1, len(classes))
        alpha = m / (m + self.prior_strength)
        return alpha * full + (1 - alpha) * zero_shot

    # ------------------------------------------------------------------ corrections
    def learn(self, texts: Sequence[str], labels: Sequence[str], refit: bool = True) -> "DomainClassifier":
        """Add confirmed or corrected labels: a text already known (same normalised text) takes the
        new label, the memory answers near-identical texts at once, and with ``refit`` the heads are
        refitted on everything confirmed (seconds for a few thousand texts; the vocabulary, stacking
        weights and calibration stay as fitted until the next :meth:`fit`)."""
        self._check_fitted()
        texts = [str(t) for t in texts]
        y = np.array([self._target(c) for c in labels], dtype=np.int64)
        if len(y) != len(texts):
            raise ValueError("文本与标签数量不一致 / texts and labels differ in length")
        known = {normalize(t): i for i, t in enumerate(self.train_texts_)}
        new_texts, new_y = [], []
        for t, label in zip(texts, y):
            if label < 0:
                continue
            i = known.get(normalize(t))
            if i is not None:
                self.train_y_[i] = label
            else:
                known[normalize(t)] = len(self.train_texts_) + len(new_texts)
                new_texts.append(t)
                new_y.append(label)
        if new_texts:
            b = self._blocks(new_texts)
            self.train_texts_ = self.train_texts_ + new_texts
            self.train_y_ = np.concatenate([self.train_y_, np.array(new_y, dtype=np.int64)])
            self.train_words_ = sp.vstack([self.train_words_, b.words], format="csr")
            self.train_chars_ = sp.vstack([self.train_chars_, b.chars], format="csr")
            self.train_lexical_ = sp.vstack([self.train_lexical_, b.lexical], format="csr")
            if b.dense is not None and self.train_dense_ is not None:
                self.train_dense_ = np.vstack([self.train_dense_, b.dense])
        if refit:
            self._fit_heads()
        return self

    # ------------------------------------------------------------------ suggesting
    def _check_fitted(self) -> None:
        if not hasattr(self, "codes_"):
            raise RuntimeError("领域分类器尚未训练 / DomainClassifier is not fitted")

    def predict_proba(self, texts: Sequence[str], *, words: Sequence[list[str]] | None = None,
                      normalized: bool = False) -> np.ndarray:
        """``(n, len(codes_))`` calibrated probabilities at ``level_`` (rows sum to 1); ``words``/``normalized``:
        the caller's cut of the texts (:meth:`~nlp.lexical.LexicalVectorizer.cut`), so jieba runs once."""
        return self._predict(list(texts), words, normalized)[0]

    def _predict(self, texts: list[str], words: Sequence[list[str]] | None = None, normalized: bool = False,
                 prior_scores: np.ndarray | None = None) -> tuple[np.ndarray, TextViews, np.ndarray, np.ndarray, np.ndarray]:
        self._check_fitted()
        blocks = self._blocks(texts, words, normalized)
        zero_shot = self._prior_scores(blocks) if prior_scores is None else np.asarray(prior_scores, dtype=np.float64)
        sup = self._supervised(blocks, self.heads_, self.weights_)
        logits = self._blend(sup, self.classes_, zero_shot) + self.bias_ if self.heads_ else zero_shot
        p = TopCalibrator.from_params(self.platt_).predict_proba(logits)
        near, beta = self._memory(blocks)
        hit = beta > 0
        if hit.any():
            onehot = np.zeros((int(hit.sum()), p.shape[1]))
            onehot[np.arange(len(onehot)), self.train_y_[near[hit]]] = 1.0
            p[hit] = (1 - beta[hit, None]) * p[hit] + beta[hit, None] * onehot
        return p, blocks, sup, near, beta

    def _memory(self, blocks: TextViews) -> tuple[np.ndarray, np.ndarray]:
        """Nearest confirmed example of each text and its say ``β`` (:class:`~matching.example_memory.ExampleMemory`)."""
        memory = ExampleMemory(self.memory_low, self.memory_high, self.memory_dense)
        memory.fit(self.train_lexical_, self.train_y_, self.train_dense_)
        return memory.nearest(blocks.lexical, blocks.dense)

    def suggest(self, texts: Sequence[str], limit: int = 3, threshold: float | None = None,
                level: int | None = None, *, words: Sequence[list[str]] | None = None, normalized: bool = False,
                prior_scores: np.ndarray | None = None) -> list[Suggestion]:
        """Top-``limit`` labels per text at ``level`` (default the predicted level; a higher level
        sums its children), abstaining when the top probability is below ``threshold``; ``prior_scores``: the
        day-one scores of these texts when the caller has better ones than ``prior`` (the office decided with the
        filed area, so the first domain belongs to the routed office)."""
        texts = list(texts)
        p, blocks, sup, near, beta = self._predict(texts, words, normalized, prior_scores)
        level = self.level_ if level is None else int(level)
        if not 1 <= level <= self.level_:
            raise ValueError(f"只能建议第 1–{self.level_} 层 / level must be within 1–{self.level_}")
        threshold = self.threshold if threshold is None else float(threshold)
        by_level = {}
        for lv in range(1, self.level_ + 1):
            codes, agg = ancestor_matrix(self.taxonomy, self.codes_, lv)
            by_level[lv] = (codes, np.asarray(p @ agg.toarray()) if lv < self.level_ else p)
        codes, probs = by_level[level]
        scale = word_scales(self)
        out = []
        for i in range(len(texts)):
            order = np.argsort(-probs[i], kind="stable")[:max(1, limit)]
            labels = tuple(self._label(codes[j], probs[i, j]) for j in order)
            top = labels[0]
            parents = []
            for node in self.taxonomy.path(top.code)[:-1]:
                lv_codes, lv_probs = by_level[node.level]
                parents.append(self._label(node.code, lv_probs[i, lv_codes.index(node.code)]))
            source = "memory" if beta[i] >= 0.5 else ("supervised" if self.heads_ else ("zero-shot" if self.prior is None else "pretrained"))
            out.append(Suggestion(labels=labels, parents=tuple(parents), abstain=bool(top.probability < threshold),
                                  confidence=top.probability, threshold=threshold,
                                  calibrated=self.platt_ is not None or source == "memory",
                                  evidence=evidence_terms(self, blocks, i, int(np.argmax(p[i])), near[i], beta[i], scale),
                                  source=source))
        return out

    def _label(self, code: str, probability: float) -> Label:
        node = self.taxonomy[code]
        return Label(node.code, node.name, node.level, float(probability),
                     tuple(n.code for n in self.taxonomy.path(code)))

    # ------------------------------------------------------------------ state (files: api.io.resources)
    def to_state(self) -> tuple[dict, dict[str, np.ndarray]]:
        """``(meta, arrays)`` (:func:`~matching.domain_state.classifier_state`); the vectoriser is saved apart."""
        self._check_fitted()
        return classifier_state(self)

    @classmethod
    def from_state(cls, meta: Mapping, arrays: Mapping[str, np.ndarray], vectorizer: LexicalVectorizer,
                   encoder: Encoder | None = None, tokenizer: Tokenizer | None = None,
                   prior: Prior | None = None) -> "DomainClassifier":
        """The classifier :meth:`to_state` described; ``encoder`` must be the one it was fitted with."""
        return classifier_from_state(cls, meta, arrays, vectorizer, encoder, tokenizer, prior)


__all__ = ["DomainClassifier", "Label", "Suggestion", "VIEWS", "DEFAULT_VIEW_WEIGHTS"]
