"""The pre-trained routing model (归口预训练模型): text → office probabilities and level-2 domain scores.

A department starts a round with no labelled demand; the office and the domain must still be right on
day one. :class:`TextRouter` is fitted, before any round, on public labelled Chinese text (abstracts and
titles whose disciplines :class:`~matching.disciplines.DisciplineMap` maps to offices and domains, plus
the taxonomy's own descriptions) — see ``models/fit_router.py`` and the model card in ``models/router``.

Two linear heads over one lexical representation (:class:`~nlp.lexical.LexicalVectorizer`: TF-IDF of
jieba words and character 1–3-grams; deliberately not the static encoder's vectors, which were
fine-tuned on the same CSLDCP abstracts): multinomial logistic regression to the offices (soft targets:
a discipline that splits between offices trains each with its share; offices weighed equally, so an
office with many disciplines does not become the default), calibrated by one temperature fitted on
out-of-fold predictions; and logistic regression to the taxonomy's level-2 domains.

:class:`FiledAreaCombiner` adds the enterprise's filed 技术领域 as a feature (a conditional logit over
the offices: ``a · log p_text(office) + b · [filed area routes to office]``); its weights are learned from
the round: on day one from the filed areas' reliability estimated on the unlabelled round (EM), then from
the round's confirmed offices.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize, minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

EVIDENCE_TERMS = 6


def _expand(x: sp.csr_matrix, targets: np.ndarray, weight: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Soft targets as weighted rows: row ``i`` once per class ``k`` with ``targets[i, k] > 0``."""
    rows, cls = np.nonzero(targets > 0)
    return x[rows], cls, targets[rows, cls] * weight[rows]


def _fit_head(x: sp.csr_matrix, targets: np.ndarray, weight: np.ndarray, C: float,
              balance: bool) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on soft targets: ``(coef (K, F), intercept (K,))`` over all K
    columns (a column with no example gets a very low intercept)."""
    k = targets.shape[1]
    xe, ye, we = _expand(x, targets, weight)
    if balance:  # every class the same total weight
        totals = np.bincount(ye, weights=we, minlength=k)
        we = we * (totals.sum() / (np.count_nonzero(totals) * np.maximum(totals, 1e-12)))[ye]
    with threadpool_limits(1):
        model = LogisticRegression(C=C, max_iter=3000).fit(xe, ye, sample_weight=we)
    coef = np.zeros((k, x.shape[1]), np.float32)
    intercept = np.full(k, -30.0, np.float32)
    seen = model.classes_
    if len(seen) == 2:
        coef[seen[1]], intercept[seen[1]] = model.coef_[0], model.intercept_[0]
        intercept[seen[0]] = 0.0
    else:
        coef[seen], intercept[seen] = model.coef_, model.intercept_
    return coef, intercept


class TextRouter:
    """Office probabilities and domain scores from text alone (see module docstring).

    ``offices``: the office names (columns of :meth:`office_proba`); ``codes``: the level-2 domain codes
    (columns of :meth:`domain_log_proba`); ``tokenizer``: the service's jieba tokenizer; ``C``: inverse
    regularisation of both heads; ``max_features``: per lexical block; ``cv``: folds for the temperature
    and the human threshold; ``target_auto_accuracy``: the accuracy demands routed without a human must
    reach on those folds (:func:`auto_threshold` sets ``office_threshold_`` from it).
    """

    def __init__(self, offices: Sequence[str], codes: Sequence[str], tokenizer: Tokenizer | None = None,
                 C_office: float = 10.0, C_domain: float = 10.0, max_features: int = 30_000, min_df: int = 2,
                 balance: bool = True, cv: int = 5, random_state: int = 0, target_auto_accuracy: float = 0.95):
        self.offices = tuple(offices)
        self.codes = tuple(codes)
        self.tokenizer = tokenizer
        self.C_office = C_office
        self.C_domain = C_domain
        self.max_features = max_features
        self.min_df = min_df
        self.balance = balance
        self.cv = cv
        self.random_state = random_state
        self.target_auto_accuracy = target_auto_accuracy

    def fit(self, texts: Sequence[str], office_targets: np.ndarray, domain_targets: np.ndarray | None = None,
            sample_weight: np.ndarray | None = None, groups: Sequence[int] | None = None,
            demand_like: Sequence[bool] | None = None) -> "TextRouter":
        """``office_targets`` ``(n, len(offices))`` and ``domain_targets`` ``(n, len(codes))``: soft labels
        (rows sum to 1, or 0 where a text does not train that head); ``groups``: rows from one source text
        (an abstract and its first sentence) stay in one fold of the temperature's cross-validation;
        ``demand_like``: the rows shaped like a demand (whole abstracts, not titles or taxonomy
        descriptions) on whose out-of-fold predictions the human threshold is chosen (default: all)."""
        texts = [str(t) for t in texts]
        office_targets = np.asarray(office_targets, dtype=np.float64)
        domain_targets = None if domain_targets is None else np.asarray(domain_targets, dtype=np.float64)
        weight = np.ones(len(texts)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.vectorizer_ = LexicalVectorizer(min_df=self.min_df, max_features=self.max_features,
                                             tokenizer=self.tokenizer)
        x = self.vectorizer_.fit_transform(texts)
        self.n_words_ = len(self.vectorizer_.words_.vocabulary_)
        self.word_names_ = np.asarray(self.vectorizer_.words_.get_feature_names_out(), dtype=object)
        has_office = office_targets.sum(axis=1) > 0
        groups = np.arange(len(texts)) if groups is None else np.asarray(groups)
        like = np.ones(len(texts), bool) if demand_like is None else np.asarray(demand_like, bool)
        self.temperature_ = self._temperature(x[has_office], office_targets[has_office], weight[has_office],
                                              groups[has_office], like[has_office])
        self.office_threshold_ = None
        if getattr(self, "oof_logits_", None) is not None and like[has_office].any():
            proba = softmax(self.oof_logits_[like[has_office]] / self.temperature_, axis=1)
            y = office_targets[has_office][like[has_office]].argmax(axis=1)
            self.oof_demand_accuracy_ = float(np.mean(proba.argmax(axis=1) == y))
            self.office_threshold_ = auto_threshold(proba, y, self.target_auto_accuracy, seed=self.random_state)
        self.office_coef_, self.office_intercept_ = _fit_head(x[has_office], office_targets[has_office],
                                                              weight[has_office], self.C_office, self.balance)
        if domain_targets is not None and domain_targets.sum() > 0:
            has = domain_targets.sum(axis=1) > 0
            self.domain_coef_, self.domain_intercept_ = _fit_head(x[has], domain_targets[has], weight[has],
                                                                  self.C_domain, self.balance)
        else:
            self.domain_coef_ = np.zeros((len(self.codes), x.shape[1]), np.float32)
            self.domain_intercept_ = np.zeros(len(self.codes), np.float32)
        return self

    def _temperature(self, x: sp.csr_matrix, targets: np.ndarray, weight: np.ndarray, groups: np.ndarray,
                     like: np.ndarray) -> float:
        """One temperature for the office logits, fitted on out-of-fold predictions (soft cross-entropy) of
        the ``like`` rows: the texts shaped like a demand, the ones whose confidence routes them."""
        self.oof_logits_ = None
        if self.cv < 2 or len(targets) < 5 * self.cv:
            return 1.0
        y = targets.argmax(axis=1)
        folds = StratifiedGroupKFold(self.cv, shuffle=True, random_state=self.random_state)
        logits = np.zeros_like(targets)
        for train, test in folds.split(np.zeros(len(y)), y, groups):
            coef, intercept = _fit_head(x[train], targets[train], weight[train], self.C_office, self.balance)
            logits[test] = np.asarray(x[test] @ coef.T) + intercept
        self.oof_accuracy_ = float(np.mean(logits.argmax(axis=1) == y))
        self.oof_logits_ = logits

        def loss(t: float) -> float:
            return float(-(targets[like] * log_softmax(logits[like] / t, axis=1)).sum(axis=1).mean())
        return float(minimize_scalar(loss, bounds=(0.05, 20.0), method="bounded").x)

    # ------------------------------------------------------------------ predicting
    def _check(self) -> None:
        if not hasattr(self, "office_coef_"):
            raise RuntimeError("归口模型尚未训练 / TextRouter is not fitted")

    def transform(self, texts: Sequence[str], *, words: Sequence[list[str]] | None = None,
                  normalized: bool = False) -> sp.csr_matrix:
        """The lexical rows both heads read (tokenise once, then :meth:`office_proba_x` etc.); ``words``: each
        text's content words when the caller has cut them already with the same tokenizer; ``normalized``: the
        texts went through :func:`nlp.text.normalize` already."""
        self._check()
        return self.vectorizer_.transform([str(t) for t in texts], words=words, normalized=normalized)

    def office_proba_x(self, x: sp.csr_matrix) -> np.ndarray:
        logits = np.asarray(x @ self.office_coef_.T) + self.office_intercept_
        return softmax(logits / self.temperature_, axis=1)

    def office_proba(self, texts: Sequence[str]) -> np.ndarray:
        """``(n, len(offices))`` calibrated probabilities from the text alone."""
        return self.office_proba_x(self.transform(texts))

    def domain_log_proba_x(self, x: sp.csr_matrix) -> np.ndarray:
        return log_softmax(np.asarray(x @ self.domain_coef_.T) + self.domain_intercept_, axis=1)

    def domain_log_proba(self, texts: Sequence[str], *, words: Sequence[list[str]] | None = None) -> np.ndarray:
        """``(n, len(codes))`` log-probabilities of the level-2 domains (``words`` as in :meth:`transform`)."""
        return self.domain_log_proba_x(self.transform(texts, words=words))

    def office_first_log_proba(self, texts: Sequence[str], code_office: Sequence[int], *,
                               words: Sequence[list[str]] | None = None, normalized: bool = False,
                               office_proba: np.ndarray | None = None) -> np.ndarray:
        """Domains the office-first way: ``P(office of d) · P(d | its office)``, the office from the
        calibrated office head and the share within the office from the domain head (``code_office``: each
        code's office column, -1 for a code no office owns; ``words``/``normalized`` as in :meth:`transform`;
        ``office_proba``: the office decision to rank by when the caller made it with more than the text — the
        filed area, :class:`FiledAreaCombiner` — so the first domain is one the routed office owns).
        A domain's office decides its rank first."""
        x = self.transform(texts, words=words, normalized=normalized)
        office = np.log(np.clip(self.office_proba_x(x) if office_proba is None else office_proba, 1e-12, 1.0))
        domain = self.domain_log_proba_x(x)
        owner = np.asarray(code_office)
        out = np.full_like(domain, -30.0)
        for k in range(len(self.offices)):
            cols = np.nonzero(owner == k)[0]
            if len(cols):
                within = domain[:, cols] - np.logaddexp.reduce(domain[:, cols], axis=1, keepdims=True)
                out[:, cols] = office[:, [k]] + within
        return out

    def evidence_x(self, x: sp.csr_matrix, i: int, column: int, head: str = "office",
                   allowed: np.ndarray | None = None) -> tuple[str, ...]:
        """The words of row ``i`` that pull it toward ``column`` (an office or a domain) rather than the
        others: TF-IDF × (that column's weight − the mean weight); ``allowed``: a boolean per word column,
        the words that may be shown (content words, :class:`nlp.evidence_words.ContentWords`; default all)."""
        coef = self.office_coef_ if head == "office" else self.domain_coef_
        row = x[i]
        keep = row.indices < self.n_words_
        if allowed is not None:
            keep[keep] = np.asarray(allowed, bool)[row.indices[keep]]
        idx, val = row.indices[keep], row.data[keep]
        if not len(idx):
            return ()
        pull = val * (coef[column, idx] - coef[:, idx].mean(axis=0))
        order = np.argsort(-pull, kind="stable")[:EVIDENCE_TERMS]
        return tuple(str(self.word_names_[idx[j]]) for j in order if pull[j] > 0)

    # ------------------------------------------------------------------ state (no I/O here: api.io writes it)
    def to_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """``(meta, arrays)``: JSON-able parameters and numpy arrays (the vectoriser is saved on its own)."""
        self._check()
        meta = {"offices": list(self.offices), "codes": list(self.codes), "temperature": self.temperature_,
                "office_threshold": self.office_threshold_,
                "params": {"C_office": self.C_office, "C_domain": self.C_domain, "max_features": self.max_features,
                           "min_df": self.min_df, "balance": self.balance, "cv": self.cv,
                           "random_state": self.random_state, "target_auto_accuracy": self.target_auto_accuracy}}
        arrays = {"office_coef": self.office_coef_.astype(np.float32), "office_intercept": self.office_intercept_,
                  "domain_coef": self.domain_coef_.astype(np.float16), "domain_intercept": self.domain_intercept_}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: Mapping[str, Any], arrays: Mapping[str, np.ndarray],
                   vectorizer: LexicalVectorizer, tokenizer: Tokenizer | None = None) -> "TextRouter":
        self = cls(meta["offices"], meta["codes"], tokenizer=tokenizer, **meta["params"])
        self.vectorizer_ = vectorizer
        self.n_words_ = len(vectorizer.words_.vocabulary_)
        self.word_names_ = np.asarray(vectorizer.words_.get_feature_names_out(), dtype=object)
        self.temperature_ = float(meta["temperature"])
        threshold = meta.get("office_threshold")
        self.office_threshold_ = None if threshold is None else float(threshold)
        self.office_coef_ = np.asarray(arrays["office_coef"], np.float32)
        self.office_intercept_ = np.asarray(arrays["office_intercept"], np.float32)
        self.domain_coef_ = np.asarray(arrays["domain_coef"], np.float32)
        self.domain_intercept_ = np.asarray(arrays["domain_intercept"], np.float32)
        width = vectorizer.n_features
        if self.office_coef_.shape != (len(self.offices), width) or self.domain_coef_.shape != (len(self.codes), width):
            raise ValueError("归口模型与词表不符 / the router's weights do not fit its vocabulary")
        return self


def auto_threshold(proba: np.ndarray, y: Sequence[int], target: float, reliability: float = 0.8,
                   blank: float = 0.10, seed: int = 0, floor: float = 0.5) -> float:
    """The lowest office threshold at which the demands routed without a human are right at least ``target``
    of the time, measured on held-out predictions ``proba`` (text alone, out-of-fold) of texts whose office
    is ``y``, each given a simulated filed area as :class:`FiledAreaCombiner` assumes it: blank for ``blank``
    of them, otherwise right with probability ``reliability`` and another office else (seeded). A rule on
    the training folds, so no benchmark split chooses it; never below ``floor``."""
    proba, y = np.asarray(proba, float), np.asarray(y, int)
    n, k = proba.shape
    rng = np.random.default_rng(seed)
    fate = rng.random(n)
    wrong = (y + rng.integers(1, k, n)) % k
    filed = np.where(fate < blank, -1, np.where(fate < blank + (1 - blank) * reliability, y, wrong))
    combined = FiledAreaCombiner(k, reliability).predict_proba(proba, filed)
    conf, right = combined.max(axis=1), combined.argmax(axis=1) == y
    order = np.argsort(-conf, kind="stable")
    running = np.cumsum(right[order]) / np.arange(1, n + 1)
    ok = np.nonzero(running >= target)[0]
    if not len(ok):
        return 1.0
    return float(max(floor, conf[order][ok[-1]]))


class FiledAreaCombiner:
    """Office probabilities from the text's and the filed area's say (conditional logit, two weights).

    ``reliability``: assumed share of filed areas that name the right office (before any evidence);
    ``prior_strength``: how many demands the assumption counts as (both fits shrink toward it);
    ``min_examples``: fewer confirmations than this and the weights come from the round itself (below).

    How far to trust the filed 技术领域 is a property of the round (how carefully this year's enterprises
    filed), so it is learned from the round: with enough confirmed offices, the two weights are fitted on
    them; before that (day one), the filed area's reliability ``reliability_`` is estimated from the whole
    unlabelled round by EM — each demand's office is latent, the text's probabilities its prior, the filed
    area a witness right with probability ``r`` and otherwise naming another office at random; a confirmed
    office is known — and the weights are ``(1, log(r (K-1) / (1-r)))``.
    """

    def __init__(self, n_offices: int = 5, reliability: float = 0.8, prior_strength: float = 50.0,
                 min_examples: int = 20, max_iter: int = 100):
        self.n_offices = n_offices
        self.reliability = reliability
        self.prior_strength = prior_strength
        self.min_examples = min_examples
        self.max_iter = max_iter

    def _weights_for(self, reliability: float) -> tuple[float, float]:
        r = float(np.clip(reliability, 1e-3, 1 - 1e-3))
        return 1.0, float(np.log(r * (self.n_offices - 1) / (1 - r)))

    @property
    def default_weights(self) -> tuple[float, float]:
        """The weights the assumed ``reliability`` gives (what both fits shrink toward)."""
        return self._weights_for(self.reliability)

    def _logits(self, text_proba: np.ndarray, filed: np.ndarray, w: Sequence[float]) -> np.ndarray:
        logp = np.log(np.clip(text_proba, 1e-9, 1.0))
        onehot = np.zeros_like(logp)
        has = filed >= 0
        onehot[np.nonzero(has)[0], filed[has]] = 1.0
        return w[0] * logp + w[1] * onehot

    def fit(self, text_proba: np.ndarray, filed: Sequence[int], y: Sequence[int] | None = None) -> "FiledAreaCombiner":
        """Learn the weights from the round: ``text_proba`` (the text's office probabilities), ``filed`` (the
        filed area's office index, ``-1``: blank or unknown) and ``y`` (the confirmed office index, ``-1`` where
        nobody confirmed yet; ``None``: no confirmation at all). See the class docstring."""
        text_proba, filed = np.asarray(text_proba, float), np.asarray(filed, int)
        y = np.full(len(filed), -1) if y is None else np.asarray(y, int)
        known = y >= 0
        self.n_examples_ = int(known.sum())
        if self.n_examples_ < self.min_examples:
            self.reliability_ = self._round_reliability(text_proba, filed, y)
            self.weights_ = self._weights_for(self.reliability_)
            return self
        prior = np.array(self.default_weights)
        tp, fd, yk = text_proba[known], filed[known], y[known]

        def loss(w: np.ndarray) -> float:
            lp = log_softmax(self._logits(tp, fd, w), axis=1)
            return float(-lp[np.arange(len(yk)), yk].sum() + self.prior_strength * 0.5 * np.sum((w - prior) ** 2))
        self.weights_ = tuple(float(v) for v in minimize(loss, prior, method="L-BFGS-B",
                                                         bounds=[(0.05, 5.0), (-2.0, 10.0)]).x)
        self.reliability_ = None  # fitted on confirmations: two free weights, not one reliability
        return self

    def _round_reliability(self, text_proba: np.ndarray, filed: np.ndarray, y: np.ndarray) -> float:
        """EM estimate (MAP toward ``reliability`` with ``prior_strength`` pseudo-demands) of how often the
        round's filed areas name the right office (class docstring); the assumption when nothing is filed."""
        rows = np.nonzero(filed >= 0)[0]
        if not len(rows):
            return float(self.reliability)
        fd, known = filed[rows], y[rows] >= 0
        r = float(self.reliability)
        for _ in range(self.max_iter):
            post = softmax(self._logits(text_proba[rows], fd, self._weights_for(r)), axis=1)[np.arange(len(rows)), fd]
            post = np.where(known, (y[rows] == fd).astype(float), post)  # a confirmed office is no guess
            new = float((post.sum() + self.prior_strength * self.reliability) / (len(rows) + self.prior_strength))
            if abs(new - r) < 1e-6:
                return new
            r = new
        return r

    def predict_proba(self, text_proba: np.ndarray, filed: Sequence[int]) -> np.ndarray:
        w = getattr(self, "weights_", None) or self.default_weights
        return softmax(self._logits(np.asarray(text_proba, float), np.asarray(filed, int), w), axis=1)


__all__ = ["TextRouter", "FiledAreaCombiner", "auto_threshold"]
