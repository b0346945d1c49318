"""What condensation knows of each demand besides its vectors: the specific terms it uses and its most
likely 技术领域 (the routing model's level-2 domain), kept per demand version like the vectors, and the
共性 evidence they give a cluster (terms shared by distinct enterprises, topic agreement).

Filled from the round's own lexical pass (:meth:`DemandSignals.features`, no second tokenisation); a
demand a staff edit brings in that the last run did not see is read on demand."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.special import softmax

from api.services.cluster_figures import RoundItem
from matching.coherence import topic_agreement
from matching.common import shared_terms
from matching.office_model import TextRouter
from nlp.keywords import DocumentFrequency
from nlp.phrases import GenericWords, clause_word
from nlp.lexical import LexicalVectorizer
from nlp.tokenize import Tokenizer

TERM_SHARE = 0.01  # a word in ≥ 1% of the background documents names nothing (技术, 系统): no evidence
SHARED_TERM_SHARE = 0.003  # 共性 evidence asks more: a term in fewer than 0.3% of them (VOCs, 膜电极)
SHOWN_TERMS = 5
NOT_A_THING = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})  # place, person and organisation names
NO_LINK_TAGS = NOT_A_THING | {"m", "mq", "q"}  # ... and numbers and measures: no evidence of a common problem
# The round's lexical TF-IDF keeps words and character n-grams of ≥ 2 demands: a column in one demand gives no
# similarity (nor shared evidence), and dropping them halves the matrix the clusterer's SVD reads. A round
# smaller than MIN_DF_FROM keeps every column (two short texts may share none).
ROUND_MIN_DF = 2
MIN_DF_FROM = 20
Key = tuple[int, str]


class DemandSignals:
    """Per demand version: ``(specific terms, topic id or -1)``; ``router``: the shipped routing model (None:
    no topic view); ``doc_freq``: background document frequencies (what is too common to be shared evidence)."""

    def __init__(self, tokenizer: Tokenizer, router: TextRouter | None, doc_freq: DocumentFrequency | None,
                 tags: Mapping[str, str] | None = None):
        self.tokenizer = tokenizer
        self.router = router
        self.doc_freq = doc_freq
        self.tags = tags or {}
        self._generic = GenericWords(doc_freq)  # with the last round's document counts once one is read
        self._known: dict[Key, tuple[frozenset[str], int]] = {}

    def specific(self, term: str, share: float = TERM_SHARE) -> bool:
        """A term of two or more characters in fewer than ``share`` of the background documents, and not
        generic by the keywords' own test (a word made of generic words, 控制技术; a clause word jieba glued
        to the next, 中易): what the keywords would never show is no evidence either."""
        return (len(term) >= 2 and (self.doc_freq is None or self.doc_freq.share(term) < share)
                and not self._generic.word(term.lower()) and not clause_word(term))

    def shared_evidence(self, term: str) -> bool:
        """A term that can make demands of distinct enterprises 共性: :meth:`specific` at the stricter
        :data:`SHARED_TERM_SHARE`, not generic across this round (寿命, 精度), and naming a thing."""
        return self.specific(term, SHARED_TERM_SHARE) and self._names_a_thing(term)

    def _names_a_thing(self, term: str) -> bool:
        """A noun, a verbal noun or a term the dictionary lacks — not a verb, adjective, number, measure
        word or place name (排放, 精密, 万吨, 阜新) — and a Latin term of three letters or more (VOCs, PLC;
        not a unit, mm, m3)."""
        if term.isascii():
            return len(term) >= 3
        tag = self.tags.get(term) or self.tags.get(term.lower()) or ""
        return tag == "" or tag == "vn" or (tag.startswith("n") and tag not in NOT_A_THING)

    def terms(self, items: Sequence[RoundItem]) -> list[frozenset[str]]:
        """Each item's terms that can tie it to other demands (the clusterer's evidence floor): the
        :meth:`specific` ones that are no number, measure, unit or name (:meth:`_may_link`)."""
        return [frozenset(t for t in s[0] if self._may_link(t)) for s in self.of(items)]

    def _may_link(self, term: str) -> bool:
        """Whether two demands naming ``term`` may share a problem: not when it is a number or a measure
        (万吨, 百分点, 万亩), a place, person or organisation name (阜新: two enterprises of one city) or a
        unit (mm, m3) — sample round: a zinc residue and an iron tailing 'shared' 万吨 and 存量."""
        if term.isascii():
            return len(term) >= 3
        tag = self.tags.get(term) or self.tags.get(term.lower()) or ""
        return tag not in NO_LINK_TAGS

    def features(self, items: Sequence[RoundItem],
                 words: list[list[str]] | None = None) -> tuple[sp.csr_matrix, np.ndarray | None]:
        """The round's lexical TF-IDF and topic probabilities (None without a router); remembers each
        demand's terms (the word block's columns) and topic. ``words``: each text's content words when
        the caller has cut them already."""
        texts = [it.view.condense_text for it in items]
        vectorizer = LexicalVectorizer(tokenizer=self.tokenizer, min_df=ROUND_MIN_DF if len(texts) >= MIN_DF_FROM else 1)
        lexical = vectorizer.fit_transform(texts, words=words)
        topics = softmax(self.router.domain_log_proba(texts, words=words), axis=1) \
            if self.router is not None and texts else None
        vocab = np.empty(len(vectorizer.words_.vocabulary_), dtype=object)
        for word, col in vectorizer.words_.vocabulary_.items():
            vocab[col] = word
        words = lexical[:, :len(vocab)].tocsr()
        counts = np.diff(words.tocsc().indptr)  # demands per word: what the whole round says (智能, 寿命)
        self._generic = GenericWords(self.doc_freq, dict(zip(vocab.tolist(), counts.tolist())), len(items))
        if len(self._known) > 4 * max(len(items), 1000):  # a long-lived server: keep the last round only
            self._known = {}
        for i, it in enumerate(items):
            cols = words.indices[words.indptr[i]:words.indptr[i + 1]]
            terms = frozenset(w for w in vocab[cols] if self.specific(w))
            self._known[_key(it)] = (terms, int(topics[i].argmax()) if topics is not None else -1)
        return lexical, topics

    def of(self, items: Sequence[RoundItem]) -> list[tuple[frozenset[str], int]]:
        """Terms and topic of each item (read now for a demand the last run did not see)."""
        missing = [it for it in items if _key(it) not in self._known]
        if missing:
            texts = [it.view.condense_text for it in missing]
            topics = self.router.domain_log_proba(texts).argmax(axis=1) if self.router is not None else None
            for n, it in enumerate(missing):
                terms = frozenset(w for w in self.tokenizer.words(texts[n]) if self.specific(w))
                self._known[_key(it)] = (terms, int(topics[n]) if topics is not None else -1)
        return [self._known[_key(it)] for it in items]

    def evidence(self, members: Sequence[RoundItem]) -> dict[str, Any]:
        """A cluster's 共性 evidence: the terms most distinct enterprises use (``shared_terms``, with counts),
        the most shared term's count (``shared_support``) and the topic agreement (None without a router)."""
        signals = self.of(members)
        who = [it.demand.enterprise.group_name or it.demand.enterprise.name for it in members]
        shared = shared_terms([s[0] for s in signals], who, self.shared_evidence)
        topics = [s[1] for s in signals]
        return {"shared_terms": [[t, n] for t, n in shared[:SHOWN_TERMS]],
                "shared_support": shared[0][1] if shared else (1 if members else 0),
                "topic_agreement": round(topic_agreement(topics), 3) if self.router is not None else None}


def _key(it: RoundItem) -> Key:
    return (it.demand.id, it.demand.content_hash)
