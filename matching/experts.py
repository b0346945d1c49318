"""Demand-to-expert affinity from expert profiles and review history (专家画像与匹配度).

An expert is known by a profile (研究领域, 关键词, 代表性成果) and by the projects they have
reviewed. The affinity of a text to an expert combines, each scaled to [0, 1] per query:

* **history** — Σ over the expert's reviewed items of ``sim(query, item) ** power``: a sharpened
  nearest-neighbour vote, so one closely matching past project counts more than many loose ones
  (measured better than one concatenated profile text, a plain max or a mean). The query is first
  expanded with the centroid of its ``expand_k`` nearest past items (pseudo-relevance feedback);
* **profile** — cosine to the centroid of the expert's reviewed items plus their declared fields;
* **field** — cosine to the declared 研究领域 / 关键词 / 代表性成果 text alone;
* **prior** — log review count (active experts are more often the right ones).
* **community** — the probability that the query belongs to the expert's review community
  (:mod:`matching.coreview`); it multiplies the other parts (``** community_weight``).

Each past item's vote is divided by its panel size (``panel_norm``): ranking by the expected share of
the panel recovered, which is what Recall@k measures.

``sim`` is the service's lexical representation (TF-IDF words + char n-grams), optionally mixed
with dense vectors (``dense_weight``). Weights were chosen by 5-fold cross-validation on the
training part of the review record (bench/expert_cv.py), never on its held-out part.

**Learned re-ranking** (``rerank``): a classifier learned on held-out folds of the history reorders each
query's top candidates, keeping the affinity's values (:mod:`matching.expert_rerank`).
"""
from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from matching.coreview import ReviewCommunities
from matching.expert_data import Encoder, Evidence, ExpertMatch, ExpertProfile, ReviewItem, rowmax_scale
from matching.expert_rerank import candidate_features, candidates, fit_reranker
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

#: columns of :meth:`ExpertAffinity.relevance_features`: cosines above the pool's typical expert for the text,
#: in units of the pool's chance spread — never scaled to the best expert, so "nobody fits" stays visible
RELEVANCE_FEATURES = ("item_max_excess", "expanded_max_excess", "field_excess", "profile_excess", "history_excess",
                      "has_field")


class ExpertAffinity:
    """Score texts against an expert pool; ``fit`` on profiles + review history (sklearn style)."""

    def __init__(self, power: float = 3.0, history_weight: float = 1.0, profile_weight: float = 0.3,
                 field_weight: float = 0.2, prior_weight: float = 0.1, dense_weight: float = 0.0,
                 encoder: Encoder | None = None, vectorizer: LexicalVectorizer | None = None,
                 max_fit_texts: int = 5000, expand_k: int = 20, expand_weight: float = 2.0,
                 panel_norm: float = 1.0, community_weight: float = 0.3, community_resolution: float = 1.0,
                 community_c: float = 10.0, community_min_size: int = 3, max_anchor_items: int = 2000,
                 rerank: str | None = "logistic", rerank_top: int = 200, rerank_folds: int = 5,
                 rerank_min_items: int = 200, rerank_max_queries: int = 1500, random_state: int = 0,
                 tokenizer: Tokenizer | None = None):
        self.tokenizer = tokenizer  # jieba words for the lexical view and evidence terms (built in fit if None)
        self.power = power
        self.history_weight = history_weight
        self.profile_weight = profile_weight
        self.field_weight = field_weight
        self.prior_weight = prior_weight
        self.dense_weight = dense_weight
        self.encoder = encoder
        self.vectorizer = vectorizer
        self.max_fit_texts = max_fit_texts
        self.expand_k = expand_k
        self.expand_weight = expand_weight
        self.panel_norm = panel_norm
        self.community_weight = community_weight
        self.community_resolution = community_resolution
        self.community_c = community_c
        self.community_min_size = community_min_size
        self.max_anchor_items = max_anchor_items
        self.rerank = rerank
        self.rerank_top = rerank_top
        self.rerank_folds = rerank_folds
        self.rerank_min_items = rerank_min_items
        self.rerank_max_queries = rerank_max_queries
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(self, profiles: Sequence[ExpertProfile], items: Sequence[ReviewItem]) -> "ExpertAffinity":
        """Index the pool: one column per profile; history items may name unknown experts (ignored)."""
        self.expert_ids_ = [p.expert_id for p in profiles]
        self._index = {e: j for j, e in enumerate(self.expert_ids_)}
        self.profile_texts_ = [p.text() for p in profiles]
        self._profile_term_texts = [p.fields + " " + " ".join(p.keywords) for p in profiles]
        self.items_: list[ReviewItem] = []
        item_texts = [it.text() for it in items]
        if self.vectorizer is not None and hasattr(self.vectorizer, "words_"):
            self.vectorizer_ = self.vectorizer
        else:
            corpus = item_texts + [t for t in self.profile_texts_ if t] or ["-"]
            if len(corpus) > self.max_fit_texts:  # IDF from an even sample: tokenising is the cost
                corpus = corpus[:: -(-len(corpus) // self.max_fit_texts)]
            self.vectorizer_ = LexicalVectorizer(tokenizer=self.tokenizer).fit(corpus)
        self.field_lex_ = self.vectorizer_.transform(self.profile_texts_)
        self.field_dense_ = self._encode(self.profile_texts_)
        self.item_lex_ = sp.csr_matrix((0, self.field_lex_.shape[1]), dtype=np.float32)
        self.item_dense_ = None if self.field_dense_ is None else np.zeros((0, self.field_dense_.shape[1]), np.float32)
        self.incidence_ = sp.csr_matrix((0, len(self.expert_ids_)), dtype=np.float32)
        self.ranker_ = None
        self.add_reviews(items)
        self._fit_ranker()
        return self

    def add_reviews(self, items: Sequence[ReviewItem]) -> "ExpertAffinity":
        """Record new reviews: history-based parts of the profiles update; vocabulary and the learned
        re-ranker stay as fitted (its features are relative to the history, so it carries over)."""
        items = list(items)
        if items:
            texts = [it.text() for it in items]
            rows, cols = [], []
            for i, it in enumerate(items):
                for e in dict.fromkeys(it.expert_ids):
                    j = self._index.get(e)
                    if j is not None:
                        rows.append(i)
                        cols.append(j)
            inc = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)),
                                shape=(len(items), len(self.expert_ids_)))
            self.items_.extend(items)
            self.item_lex_ = sp.vstack([self.item_lex_, self.vectorizer_.transform(texts)], format="csr")
            dense = self._encode(texts)
            if dense is not None:
                self.item_dense_ = np.vstack([self.item_dense_, dense])
            self.incidence_ = sp.vstack([self.incidence_, inc], format="csr")
        self._refresh_profiles()
        return self

    def _refresh_profiles(self) -> None:
        inc_t = self.incidence_.T.tocsr()
        self.review_counts_ = np.asarray(self.incidence_.sum(axis=0)).ravel()
        lex = inc_t @ self.item_lex_ + self.field_lex_
        self.profile_lex_ = normalize(lex).tocsr()
        self.profile_dense_ = None
        if self.item_dense_ is not None:
            self.profile_dense_ = normalize(inc_t @ self.item_dense_ + self.field_dense_)
        prior = np.log1p(self.review_counts_)
        self.prior_ = (prior / prior.max() if prior.max() > 0 else prior).astype(np.float32)
        sizes = np.asarray(self.incidence_.sum(axis=1)).ravel()
        self.vote_matrix_ = (sp.diags(1.0 / np.maximum(sizes, 1.0) ** self.panel_norm) @ self.incidence_).tocsr()
        co = (self.incidence_.T @ self.vote_matrix_).tocsr()  # panel-share-weighted co-review counts
        co.setdiag(0)
        co.eliminate_zeros()
        deg = np.asarray(co.sum(axis=1)).ravel()
        self.coreview_ = (sp.diags(1.0 / np.maximum(deg, 1e-12)) @ co).tocsr()  # row-stochastic
        self.has_field_ = np.array([bool(t.strip()) for t in self.profile_texts_], np.float32)
        self._fit_communities()
        self._fit_relevance_scale()

    def _fit_relevance_scale(self, n_queries: int = 300) -> None:
        """The pool's chance level of each relevance feature: its spread between past projects (an even
        sample) and the experts who did not review them. A small or templated corpus shares more words by
        chance than a large one; dividing by this spread makes the features mean the same in every pool."""
        self.relevance_scale_ = np.ones(len(RELEVANCE_FEATURES) - 1, np.float32)
        n = self.item_lex_.shape[0]
        if n < 10:
            return
        rows = np.arange(0, n, -(-n // n_queries))
        sims = self._sims([], self.item_lex_[rows], None if self.item_dense_ is None else self.item_dense_[rows])
        x = self._relevance_features(sims, scaled=False)[..., :-1]
        other = self.incidence_[rows].toarray() == 0
        spread = x[other].std(axis=0)
        self.relevance_scale_ = np.where(spread > 1e-6, spread, 1.0).astype(np.float32)

    def _fit_communities(self) -> None:
        """Review communities of the history (:mod:`matching.coreview`); None when they are not weighed."""
        self.communities_ = None
        if self.community_weight > 0:
            self.communities_ = ReviewCommunities(self.community_resolution, self.community_c, self.community_min_size,
                                                  self.max_anchor_items).fit(self.incidence_, self.item_lex_,
                                                                             self.item_dense_)

    def _weighs_communities(self) -> bool:
        return self.communities_ is not None and self.communities_.model_ is not None

    def _community_probs(self, q_lex: sp.csr_matrix, q_dense: np.ndarray | None) -> np.ndarray:
        """``(n_texts, n_experts)``: P(query in the expert's community); 1 where no model or no community."""
        if not self._weighs_communities():
            return np.ones((q_lex.shape[0], len(self.expert_ids_)), np.float32)
        return self.communities_.predict_proba(q_lex, q_dense)

    def _encode(self, texts: list[str]) -> np.ndarray | None:
        if self.encoder is None or (self.dense_weight <= 0 and self.community_weight <= 0):
            return None
        return np.asarray(self.encoder(texts), dtype=np.float32)

    def _terms(self, text: str) -> set[str]:
        return {w for w in self.vectorizer_.tokenizer_.words(text) if len(w) >= 2}

    # ------------------------------------------------------------------ scoring
    def _sims(self, texts: list[str], q_lex: sp.csr_matrix | None = None,
              q_dense: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Query×items cosines (raw and query-expanded), query×profiles, query×fields in the service
        representation, and query×experts community probabilities (``q_lex``/``q_dense``: the texts'
        vectors when already known)."""
        if q_lex is None:
            q_lex = self.vectorizer_.transform(texts)
            q_dense = self._encode(texts) if self.item_dense_ is not None else None
        community = self._community_probs(q_lex, q_dense)
        raw = (q_lex @ self.item_lex_.T).toarray()
        item = raw
        k = min(self.expand_k, item.shape[1])
        if k and self.expand_weight > 0:
            # Pseudo-relevance feedback: add the centroid of the k nearest past items to the query
            # (Rocchio), so items near the query's neighbourhood count, not only near its wording.
            top = np.argpartition(-item, k - 1, axis=1)[:, :k]
            w = sp.csr_matrix((np.full(top.size, 1.0 / k, np.float32), top.ravel(),
                               np.arange(0, top.size + 1, k)), shape=item.shape)
            expanded = (w @ self.item_lex_ @ self.item_lex_.T).toarray()
            item = (item + self.expand_weight * expanded) / (1.0 + self.expand_weight)
        prof = (q_lex @ self.profile_lex_.T).toarray()
        fld = (q_lex @ self.field_lex_.T).toarray()
        w = self.dense_weight if self.item_dense_ is not None else 0.0
        if w > 0:
            q = q_dense
            has_field = np.array([bool(t) for t in self.profile_texts_])
            dense_item = q @ self.item_dense_.T
            item = w * dense_item + (1 - w) * item
            raw = w * dense_item + (1 - w) * raw
            prof = w * (q @ self.profile_dense_.T) + (1 - w) * prof
            fld = w * (q @ self.field_dense_.T) * has_field + (1 - w) * fld
        return {"raw": np.maximum(raw, 0), "item": np.maximum(item, 0), "profile": np.maximum(prof, 0),
                "field": np.maximum(fld, 0), "community": community}

    def _parts(self, sims: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The affinity's parts from the cosines, each scaled to [0, 1] per query."""
        history = np.asarray(self.vote_matrix_.T.dot((sims["item"] ** self.power).T)).T
        return {"history": rowmax_scale(np.asarray(history)), "profile": rowmax_scale(sims["profile"]),
                "field": rowmax_scale(sims["field"]), "prior": np.broadcast_to(self.prior_, sims["profile"].shape),
                "community": sims["community"]}

    def _combine(self, c: dict[str, np.ndarray]) -> np.ndarray:
        """Hand-weighted sum of the parts, times the community probability ** ``community_weight``."""
        total = self.history_weight + self.profile_weight + self.field_weight + self.prior_weight
        s = (self.history_weight * c["history"] + self.profile_weight * c["profile"]
             + self.field_weight * c["field"] + self.prior_weight * c["prior"]) / total
        if self._weighs_communities():
            s = s * c["community"] ** self.community_weight
        return s.astype(np.float32)

    def components(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each part of the affinity for every (text, expert), scaled to [0, 1] per text."""
        return self._parts(self._sims(list(texts)))

    def base_score(self, texts: Sequence[str]) -> np.ndarray:
        """The hand-weighted affinity alone (no learned re-ranking)."""
        return self._combine(self.components(texts))

    def score(self, texts: Sequence[str], batch: int = 500) -> np.ndarray:
        """``(n_texts, n_experts)`` affinity, higher is better; a whole round in a few matrix products
        (``batch`` texts at a time). With a learned re-ranker, each text's top ``rerank_top`` experts by
        the hand-weighted affinity are reordered by it (keeping their values); the rest are untouched."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, len(self.expert_ids_)), np.float32)
        return np.vstack([self._score_batch(texts[i:i + batch]) for i in range(0, len(texts), batch)])

    def _score_batch(self, texts: list[str]) -> np.ndarray:
        sims = self._sims(texts)
        parts = self._parts(sims)
        base = self._combine(parts)
        if self.ranker_ is None:
            return base
        cand = candidates(base, self.rerank_top)
        return self.ranker_.rerank(base, cand, candidate_features(self, sims, parts, base, cand))

    def relevance_features(self, texts: Sequence[str]) -> np.ndarray:
        """``(n_texts, n_experts, len(RELEVANCE_FEATURES))`` evidence that an expert fits a text, for
        :class:`matching.relevance.RelevanceFloor`: unlike the affinity's parts it is never divided by the best
        expert's value, so it stays low for everyone when nobody in the pool fits, and a floor on it means the
        same for every demand."""
        return self._relevance_features(self._sims(list(texts)))

    def _relevance_features(self, sims: dict[str, np.ndarray], scaled: bool = True) -> np.ndarray:
        raw, item = sims["raw"], sims["item"]
        n, n_e = raw.shape[0], len(self.expert_ids_)
        inc_t = self.incidence_.T.tocsr()
        starts, ends = inc_t.indptr[:-1], inc_t.indptr[1:]
        has = ends > starts
        item_max = np.zeros((n, n_e), np.float32)
        expanded_max = np.zeros((n, n_e), np.float32)
        if inc_t.nnz:
            idx = inc_t.indices
            item_max[:, has] = np.maximum.reduceat(raw[:, idx], starts[has], axis=1)
            expanded_max[:, has] = np.maximum.reduceat(item[:, idx], starts[has], axis=1)
        has_field = np.broadcast_to(self.has_field_, (n, n_e))
        votes = np.asarray(self.vote_matrix_.T.dot((item ** self.power).T)).T  # the history part, unscaled
        cosines = [item_max, expanded_max, sims["field"], sims["profile"], np.cbrt(votes)]
        # Each cosine above the pool's typical expert for this text (its median): what a text shares with
        # every expert (the form's boilerplate, a small corpus's common characters) is no evidence.
        excess = [c - np.median(c, axis=1, keepdims=True) for c in cosines]
        if scaled:
            excess = [c / s for c, s in zip(excess, self.relevance_scale_)]
        cols = [*excess, has_field]
        return np.stack([np.asarray(c, np.float32) for c in cols], axis=-1)

    # ------------------------------------------------------------------ held-out sub-models and the re-ranker
    def _submodel(self, rows: np.ndarray) -> "ExpertAffinity":
        """The same pool fitted on a subset of the history (shares the vocabulary; no re-ranker)."""
        sub = copy.copy(self)
        sub.items_ = [self.items_[i] for i in rows]
        sub.item_lex_ = self.item_lex_[rows]
        sub.item_dense_ = None if self.item_dense_ is None else self.item_dense_[rows]
        sub.incidence_ = self.incidence_[rows]
        sub.ranker_ = None
        sub._refresh_profiles()
        return sub

    def _fit_ranker(self) -> None:
        """The learned re-ranker of :mod:`matching.expert_rerank` (None: the affinity is used as is)."""
        self.ranker_ = fit_reranker(self)

    def rank(self, text: str, top: int | None = 20, *, exclude: Sequence[str] = (),
             evidence: bool = True) -> list[ExpertMatch]:
        """All experts for one text, best first (``top`` of them), with evidence."""
        c = {k: v[0] for k, v in self.components([text]).items()}
        s = self.score([text])[0]
        order = np.argsort(-s, kind="stable")
        skip = {self._index[e] for e in exclude if e in self._index}
        order = [j for j in order if j not in skip][: top if top else None]
        q_terms = self._terms(text) if evidence else set()
        item_sims = (self.vectorizer_.transform([text]) @ self.item_lex_.T).toarray()[0] if evidence else None
        return [ExpertMatch(self.expert_ids_[j], float(s[j]), {k: float(v[j]) for k, v in c.items()},
                            self.evidence(j, q_terms, item_sims) if evidence else None) for j in order]

    def evidence(self, j: int, q_terms: set[str], item_sims: np.ndarray, k: int = 3) -> Evidence:
        """The expert's ``k`` past items closest to the query, and query terms found in their profile."""
        rows = self.incidence_.T.tocsr()[j].indices
        best = sorted(rows, key=lambda i: -item_sims[i])[:k]
        items = [{"title": self.items_[i].title, "similarity": round(float(item_sims[i]), 4)} for i in best]
        terms = self._terms(self._profile_term_texts[j])
        for i in best:
            it = self.items_[i]
            terms |= set(it.keywords) | self._terms(it.title)
        shared = sorted(q_terms & terms, key=lambda t: (-len(t), t))[:10]
        return Evidence(items=items, shared_terms=shared)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> None:
        """``<path>.json`` (params, ids, items, profiles) + lexical vectoriser files (dense is recomputed)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"params": {k: getattr(self, k) for k in ("power", "history_weight", "profile_weight",
                                                         "field_weight", "prior_weight", "dense_weight",
                                                         "expand_k", "expand_weight", "panel_norm",
                                                         "community_weight", "community_resolution",
                                                         "community_c", "community_min_size",
                                                         "max_anchor_items", "rerank", "rerank_top",
                                                         "rerank_folds", "rerank_min_items",
                                                         "rerank_max_queries", "random_state")},
                "expert_ids": self.expert_ids_, "profile_texts": self.profile_texts_,
                "items": [{"expert_ids": list(i.expert_ids), "title": i.title, "abstract": i.abstract,
                           "keywords": list(i.keywords)} for i in self.items_]}
        path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        self.vectorizer_.save(path.with_name(path.name + "-lexical"))

    @classmethod
    def load(cls, path: str | Path, encoder: Encoder | None = None,
             tokenizer: Tokenizer | None = None) -> "ExpertAffinity":
        """Read what :meth:`save` wrote (the profiles' term sets are rebuilt from their text)."""
        path = Path(path)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        vec = LexicalVectorizer.load(path.with_name(path.name + "-lexical"), tokenizer=tokenizer)
        model = cls(**meta["params"], encoder=encoder, vectorizer=vec)
        profiles = [ExpertProfile(e, fields=t) for e, t in zip(meta["expert_ids"], meta["profile_texts"])]
        items = [ReviewItem(tuple(i["expert_ids"]), i["title"], i["abstract"], tuple(i["keywords"]))
                 for i in meta["items"]]
        return model.fit(profiles, items)


__all__ = ["ExpertProfile", "ReviewItem", "ExpertMatch", "Evidence", "ExpertAffinity"]
