"""Keywords and keyphrases of a demand or of a cluster: class-based TF-IDF over jieba tokens,
phrases built from adjacent tokens, ranked with the embedding and picked with diversity (MMR).

Why this shape:
- *c-TF-IDF* (as in BERTopic): a class is one demand (per-demand keywords) or all the demands of a
  cluster (cluster keywords), so one weighting serves both: a term's weight grows with its
  frequency in the class and with ``log(1 + A / f)``, ``f`` its frequency in the fitted corpus (the
  round), ``A`` the mean class size. A background IDF from a large corpus (jieba's ``idf.txt``,
  passed in by the caller) keeps a small round from calling every rare word a keyword.
- *Candidates* (:mod:`nlp.phrases`): whole-token phrases, never a fragment, never a generic word alone;
  for a round they are held as one sparse table (:mod:`nlp.candidate_table`), so each demand is
  tokenised and cut into candidates once, corpus frequencies are column sums, and a cluster's candidates
  are its members' rows merged.
- *Ranking*: the ``pool`` best candidates by c-TF-IDF are scored by two gradient-boosted tree ensembles
  (:class:`~nlp.keyword_ranker.KeywordRanker`, ``models/keyword-ranker``) of the signals of
  :mod:`nlp.keyword_features`, fitted on csl/dev (``python -m bench.condense_bench fit``); 2-fold
  cross-validation (``… cv``) holds F1@5 0.620 partial / 0.232 exact on rows they never saw (jieba TF-IDF:
  0.571 / 0.142; logistic models of the first signals: 0.60 / 0.24).
- *MMR*: the ranking alone keeps near-duplicates ("基因", "基因表达", "表达"); maximal marginal
  relevance discounts a term by its character overlap with the ones already picked (and by
  ``nest_penalty`` when it nests in one; 1.0 measured best, so off by default). Weighting the "overlaps an
  author keyword" ranker 5:1 over the "is one" ranker (``partial_share``) covers more distinct author keywords
  per five slots; a learned second stage scoring a term given those picked did no better in cross-validation.
- *Shared*: a cluster's keywords are terms shared by at least two members when it has any, none nested in another.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from nlp.candidate_table import CandidateTable, Vocabulary
from nlp.keyword_features import feature_matrix, term_features
from nlp.keyword_ranker import KeywordRanker
from nlp.phrases import PHRASE_PARTS, Candidate, DocumentFrequency, GenericWords, PhraseRules
from nlp.tokenize import Tokenizer

__all__ = ["PHRASE_PARTS", "Candidate", "DocumentFrequency", "Keyword", "KeywordExtractor"]

Encode = Callable[[list[str]], np.ndarray]

MODIFIER_MIN, MODIFIER_END_SHARE = 3, 0.1  # a token seen ≥ 3 times ending a run ≤ 10% of them is a modifier
SHARED_TERMS_MIN = 3  # a cluster "has shared terms" when this many specific terms are in ≥ 2 members
RANK_BLOCK = 1024  # texts ranked per step: ~10 MB of features (float64) and term vectors at a time
ENCODE_BLOCK = 8192  # terms per encoder call


@dataclass(frozen=True)
class Keyword:
    """A keyword or keyphrase with its relevance in [0, 1] (the rankers' probabilities, before MMR)."""

    term: str
    score: float


@dataclass(frozen=True)
class _TermArrays:
    """Per term id of a vocabulary: corpus frequency of its string, generic, eligible (not generic and not
    ending on a modifier), and its rank in string order (the tie-break of the shortlist)."""

    corpus_freq: np.ndarray
    generic: np.ndarray
    eligible: np.ndarray
    alpha: np.ndarray


class KeywordExtractor:
    """Keywords per text (:meth:`keywords`) and per group of texts (:meth:`class_keywords`).

    ``tokenizer``: the service's :class:`~nlp.tokenize.Tokenizer` (jieba + domain dictionary); its
    stopwords and ``stopwords`` (the form boilerplate, ``corpora/keyword_stopwords.txt`` as the shell
    reads it) are never returned.
    ``encoder``: ``texts -> L2-normalised rows`` (e.g. ``Embedder.encode``) for the cosine signal; it sees the
    texts as given and the candidate terms (cut from normalised text).
    ``background_idf``: ``{token: idf}`` from a large corpus (jieba's ``idf.txt``); optional.
    ``ranker``: the shipped :class:`KeywordRanker` (``models/keyword-ranker``); ``tags``: ``{word: part of
    speech}`` of jieba's dictionary and the domain dictionary (a word in neither is often a new term);
    both read by the shell (:mod:`api.io.resources`), never here.
    ``doc_freq``: background document frequencies (generic words); optional.
    ``diversity``: how much a term's character overlap with an already picked one costs (MMR);
    ``nest_penalty``: factor on a term inside / around a picked one; ``partial_share``: weight of the
    "overlaps a keyword" ranker against the "is a keyword" one; ``pool``: candidates ranked per text.
    Defaults (diversity, nest_penalty, partial_share, pool) were chosen by 2-fold cross-validation on csl/dev.
    """

    def __init__(self, tokenizer: Tokenizer, encoder: Encode | None = None,
                 stopwords: Iterable[str] = frozenset(), top_n: int = 5, diversity: float = 0.3,
                 nest_penalty: float = 1.0, partial_share: float = 5.0, max_phrase_tokens: int = 3,
                 min_chars: int = 2, max_chars: int = 10, pool: int = 40,
                 background_idf: Mapping[str, float] | None = None, ranker: "KeywordRanker | None" = None,
                 tags: Mapping[str, str] | None = None, doc_freq: DocumentFrequency | None = None):
        self.tokenizer = tokenizer
        self.doc_freq = doc_freq
        self.ranker = ranker
        self.tags = tags
        self.encoder = encoder
        self.stopwords = frozenset(stopwords)
        self.top_n = top_n
        self.diversity = diversity
        self.nest_penalty = nest_penalty
        self.partial_share = partial_share
        self.max_phrase_tokens = max_phrase_tokens
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.pool = pool
        self.background_idf = background_idf

    def _ranker(self) -> "KeywordRanker":
        if self.ranker is None:
            raise ValueError("关键词提取需要排序模型（models/keyword-ranker）/ KeywordExtractor needs its ranker "
                             "(models/keyword-ranker, read by api.io.resources.keyword_ranker)")
        return self.ranker

    # ------------------------------------------------------------------ candidates
    @cached_property
    def rules(self) -> PhraseRules:
        """How candidates are cut (:class:`~nlp.phrases.PhraseRules`), from the constructor's settings."""
        return PhraseRules(self.tokenizer.stopwords | self.stopwords, self.tags or {}, self.max_phrase_tokens,
                           self.min_chars, self.max_chars)

    def tokens(self, text: str, *, normalized: bool = False) -> list[str]:
        """The jieba tokens the ``*_tokens`` methods expect, line by line (:meth:`~nlp.tokenize.Tokenizer.cut_lines`:
        the first line, a demand's name, is the title the ranker favours)."""
        return self.tokenizer.cut_lines(text, normalized=normalized)

    def candidates(self, tokens: Sequence[str]) -> dict[str, Candidate]:
        """Candidate terms of one token sequence (:meth:`nlp.phrases.PhraseRules.candidates`)."""
        return self.rules.candidates(tokens)

    def generic(self, term: str, parts: Sequence[str] | None = None) -> bool:
        """Whether ``term`` is too common to name a topic (:class:`~nlp.phrases.GenericWords`), with the fitted
        round's document frequencies."""
        return getattr(self, "generic_words_", GenericWords(self.doc_freq))(term, parts)

    def _table(self, token_lists: Iterable[Sequence[str]], vocabulary: Vocabulary | None = None) -> CandidateTable:
        return CandidateTable.build((self.candidates(t) for t in token_lists), vocabulary)

    # ------------------------------------------------------------------ fit
    def fit(self, texts: Iterable[str], y: object = None, *, tokens: Sequence[Sequence[str]] | None = None
            ) -> "KeywordExtractor":
        """Corpus frequencies of every candidate term over ``texts`` (e.g. the round); ``tokens``: the
        texts already cut with :meth:`tokens`. Their candidates are kept (``table_``) so that
        :meth:`class_keywords_of` on groups of them needs no jieba."""
        self.fitted_texts_ = list(texts)
        self._fit_table(self._table(tokens if tokens is not None else map(self.tokens, self.fitted_texts_)))
        return self

    def _fit_table(self, table: CandidateTable) -> None:
        vocab = table.vocabulary
        size = len(vocab)
        sid = vocab.string_ids()
        string_freq = np.bincount(sid[table.term], weights=table.tf, minlength=size)
        single = np.fromiter((len(p) == 1 for p in vocab.parts), dtype=bool, count=size)
        at = table.term[single[table.term]]
        docs_by_id = np.bincount(at, minlength=size)
        ends_by_id = np.bincount(at, weights=table.right[single[table.term]], minlength=size)
        docs: dict[str, int] = {}
        ends: dict[str, float] = {}
        for t in np.flatnonzero(docs_by_id).tolist():
            low = vocab.terms[t].lower()
            docs[low] = docs.get(low, 0) + int(docs_by_id[t])
            ends[low] = ends.get(low, 0.0) + float(ends_by_id[t])

        def freq(term: str) -> float:
            t = vocab.index.get(term)
            return float(string_freq[t]) if t is not None else 0.0
        # tokens seen MODIFIER_MIN times or more that (almost) never end a run of content tokens: modifiers
        # waiting for their head (高速, 实时, 低铂 …); a phrase never ends on one
        self.modifiers_ = frozenset(t for t in docs
                                    if freq(t) >= MODIFIER_MIN and ends[t] <= MODIFIER_END_SHARE * freq(t))
        self.table_ = table
        self.vocabulary_ = vocab
        self.string_freq_ = string_freq
        self.doc_frequencies_ = docs
        self.n_classes_ = table.n_rows
        self.generic_words_ = GenericWords(self.doc_freq, docs, table.n_rows)
        self.avg_class_size_ = float(table.tf.sum(dtype=np.float64)) / max(table.n_rows, 1)
        bg = self.background_idf
        self.background_default_ = float(np.median(np.fromiter(bg.values(), float))) if bg else 0.0
        self.term_arrays_ = self._term_arrays(vocab, string_freq[sid])

    def _check_fitted(self) -> None:
        if not hasattr(self, "vocabulary_"):
            raise RuntimeError("KeywordExtractor is not fitted / 关键词提取器尚未训练 (call fit)")

    def _corpus_freq(self, vocab: Vocabulary) -> np.ndarray:
        """Each term's frequency in the fitted corpus (by its string)."""
        self._check_fitted()
        if vocab is self.vocabulary_:
            return self.term_arrays_.corpus_freq
        index = self.vocabulary_.index
        return np.fromiter((self.string_freq_[index[t]] if t in index else 0.0 for t in vocab.terms),
                           dtype=np.float64, count=len(vocab))

    def _term_arrays(self, vocab: Vocabulary, corpus_freq: np.ndarray | None = None) -> _TermArrays:
        if corpus_freq is None:
            corpus_freq = self._corpus_freq(vocab)
            if vocab is self.vocabulary_:
                return self.term_arrays_
        words = self.generic_words_
        memo: dict[str, bool] = {}

        def token_generic(p: str) -> bool:
            known = memo.get(p)
            if known is None:
                known = memo[p] = words.word(p)
            return known
        generic = np.fromiter((all(p in PHRASE_PARTS or token_generic(p) for p in parts) if len(parts) > 1
                               else token_generic(parts[0]) for parts in vocab.parts), dtype=bool, count=len(vocab))
        modifiers = self.modifiers_
        ends_on_modifier = np.fromiter((len(p) > 1 and p[-1] in modifiers for p in vocab.parts), dtype=bool,
                                       count=len(vocab))
        order = sorted(range(len(vocab)), key=vocab.terms.__getitem__)
        alpha = np.empty(len(vocab), dtype=np.int64)
        alpha[order] = np.arange(len(vocab))
        return _TermArrays(corpus_freq, generic, ~generic & ~ends_on_modifier, alpha)

    # ------------------------------------------------------------------ ranking
    def _shortlist(self, table: CandidateTable, start: int, stop: int, arrays: _TermArrays
                   ) -> tuple[np.ndarray, np.ndarray]:
        """Entries (and their rows) of the ``pool`` best candidates of rows ``start:stop`` by c-TF-IDF (title
        terms doubled), best first per row, generic terms and phrases ending on a modifier left out."""
        lo, hi = table.indptr[start], table.indptr[stop]
        ids = table.term[lo:hi]
        ok = np.flatnonzero(arrays.eligible[ids])
        rows = table.row_of_entries(start, stop)[ok]
        tf = table.tf[lo:hi][ok].astype(np.float64)
        weight = ((1 + np.log(tf)) * np.log(1 + self.avg_class_size_ / np.maximum(arrays.corpus_freq[ids[ok]], 1))
                  * np.where(table.lead[lo:hi][ok], 2.0, 1.0))
        order = np.lexsort((arrays.alpha[ids[ok]], -weight, rows))
        rows = rows[order]
        keep = np.arange(len(rows)) - np.searchsorted(rows, rows) < self.pool
        return lo + ok[order][keep], rows[keep]

    def _blocks(self, table: CandidateTable, texts: Sequence[str] | None, vectors: np.ndarray | None
                ) -> Iterator[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
        """``(start, stop, entries, rows, X)`` per block of :data:`RANK_BLOCK` rows: the shortlisted entries
        and their :data:`~nlp.keyword_ranker.FEATURES`. ``vectors`` (one L2-normalised row per table row) or
        the encoder on ``texts`` give the cosine signal."""
        arrays = self._term_arrays(table.vocabulary)
        bg = self.background_idf or {}
        for start in range(0, table.n_rows, RANK_BLOCK):
            stop = min(start + RANK_BLOCK, table.n_rows)
            entries, rows = self._shortlist(table, start, stop, arrays)
            uniq, inv = np.unique(table.term[entries], return_inverse=True)
            term_x = term_features(table.vocabulary, uniq.tolist(), arrays.corpus_freq, self.avg_class_size_, bg,
                                   self.background_default_, self.tags or {})[inv]
            cosine = self._cosine(table.vocabulary, uniq, inv, rows - start,
                                  vectors[start:stop] if vectors is not None else None,
                                  texts[start:stop] if texts is not None else None)
            yield start, stop, entries, rows, feature_matrix(table, entries, rows, term_x, cosine)

    def _cosine(self, vocab: Vocabulary, uniq: np.ndarray, inv: np.ndarray, rows: np.ndarray,
                vectors: np.ndarray | None, texts: Sequence[str] | None) -> np.ndarray:
        """Each entry's cosine to its text (the ranker's training mean for all without an encoder); each
        distinct term is encoded once per block."""
        if self.encoder is None or (vectors is None and texts is None):
            return np.full(len(inv), self._ranker().cosine_mean)
        docs = np.asarray(vectors if vectors is not None else self.encoder(list(texts or [])), dtype=np.float32)
        out = np.zeros(len(inv))
        order = np.argsort(inv, kind="stable")
        bounds = np.searchsorted(inv[order], np.arange(0, len(uniq) + ENCODE_BLOCK, ENCODE_BLOCK))
        for n, a in enumerate(range(0, len(uniq), ENCODE_BLOCK)):
            words = np.asarray(self.encoder([vocab.terms[t] for t in uniq[a:a + ENCODE_BLOCK].tolist()]),
                               dtype=np.float32)
            at = order[bounds[n]:bounds[n + 1]]
            out[at] = np.einsum("ij,ij->i", words[inv[at] - a], docs[rows[at]])
        return out

    def relevance(self, x: np.ndarray) -> np.ndarray:
        """Ranker score of feature rows: mean of P(keyword) and ``partial_share`` × P(overlaps a keyword)."""
        ranker = self._ranker()
        exact = ranker.exact.predict(x)
        partial = ranker.partial.predict(x)
        return (exact + self.partial_share * partial) / (1.0 + self.partial_share)

    def _rank(self, table: CandidateTable, texts: Sequence[str] | None = None, vectors: np.ndarray | None = None,
              *, nested: bool = True) -> list[list[Keyword]]:
        out: list[list[Keyword]] = []
        terms = table.vocabulary.terms
        for start, stop, entries, rows, x in self._blocks(table, texts, vectors):
            # the trees score all the block's candidates in one call (a few numpy steps per tree level)
            rel = self.relevance(x) if len(x) else np.zeros(0)
            bounds = np.searchsorted(rows, np.arange(start, stop + 1))
            for r in range(stop - start):
                lo, hi = bounds[r], bounds[r + 1]
                out.append(self._mmr([terms[t] for t in table.term[entries[lo:hi]].tolist()], rel[lo:hi],
                                     nested=nested) if hi > lo else [])
        return out

    def _mmr(self, terms: list[str], rel: np.ndarray, *, nested: bool = True) -> list[Keyword]:
        """Greedy MMR: relevance × (1 − diversity × overlap), nested terms × nest_penalty (never, ``nested=False``)."""
        chars = [set(t) for t in terms]
        chosen: list[int] = []
        left = sorted(range(len(terms)), key=lambda i: (-rel[i], terms[i]))
        while left and len(chosen) < self.top_n:
            best, best_val = left[0], -np.inf
            for i in left:
                val = rel[i]
                if val <= best_val:
                    break  # sorted by relevance and penalties only lower it: no later term can win
                if chosen:
                    overlap = max(len(chars[i] & chars[j]) / max(min(len(chars[i]), len(chars[j])), 1)
                                  for j in chosen)
                    val *= 1.0 - self.diversity * overlap
                    inside = any(terms[i] in terms[j] or terms[j] in terms[i] for j in chosen)
                    if inside and not nested:
                        continue
                    val *= self.nest_penalty if inside else 1.0
                if val > best_val:
                    best, best_val = i, val
            if best_val == -np.inf:
                break  # only terms nested in picked ones are left
            chosen.append(best)
            left.remove(best)
        return [Keyword(terms[i], round(float(rel[i]), 6)) for i in chosen]

    # ------------------------------------------------------------------ one text's candidates (fitting, tests)
    def shortlist(self, cands: Mapping[str, Candidate]) -> dict[str, Candidate]:
        """The ``pool`` best of one text's candidates by c-TF-IDF, which the ranker then scores."""
        table = CandidateTable.build([cands])
        entries, _ = self._shortlist(table, 0, 1, self._term_arrays(table.vocabulary))
        terms = [table.vocabulary.terms[t] for t in table.term[entries].tolist()]
        return {t: cands[t] for t in terms}

    def features(self, cands: Mapping[str, Candidate], cosine: np.ndarray | None = None
                 ) -> tuple[list[str], np.ndarray]:
        """The ranking signals of each candidate of one text, as ``(terms, X)``; ``cosine``: each term's cosine
        to the text (the ranker's training mean for all when None)."""
        table = CandidateTable.build([cands])
        vocab, entries = table.vocabulary, np.arange(len(table.term))
        arrays = self._term_arrays(vocab)
        term_x = term_features(vocab, table.term.tolist(), arrays.corpus_freq, self.avg_class_size_,
                               self.background_idf or {}, self.background_default_, self.tags or {})
        if cosine is None:
            cosine = np.full(len(entries), self._ranker().cosine_mean)
        return list(cands), feature_matrix(table, entries, np.zeros(len(entries), dtype=np.int64), term_x, cosine)

    def shortlist_features(self, per_text: Sequence[Mapping[str, Candidate]], texts: Sequence[str]
                           ) -> list[tuple[list[str], np.ndarray]]:
        """``(terms, X)`` of each text's shortlist, with the encoder's cosines (the rankers' training rows)."""
        table = CandidateTable.build(per_text)
        out: list[tuple[list[str], np.ndarray]] = []
        for start, stop, entries, rows, x in self._blocks(table, texts, None):
            bounds = np.searchsorted(rows, np.arange(start, stop + 1))
            out.extend(([table.vocabulary.terms[t] for t in table.term[entries[bounds[r]:bounds[r + 1]]].tolist()],
                        x[bounds[r]:bounds[r + 1]]) for r in range(stop - start))
        return out

    # ------------------------------------------------------------------ public
    def keywords(self, text: str) -> list[Keyword]:
        """The ``top_n`` keywords of one text, best first."""
        return self.keywords_many([text])[0]

    def keywords_many(self, texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords` of each text."""
        return self.keywords_from_tokens([self.tokens(t) for t in texts], texts)

    def keywords_from_tokens(self, token_lists: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords_many` on texts already tokenised with :meth:`tokens`."""
        self._check_fitted()
        return self._rank(self._table(token_lists), texts)

    def fit_keywords(self, texts: Sequence[str], *, tokens: Sequence[Sequence[str]] | None = None,
                     vectors: np.ndarray | None = None) -> list[list[Keyword]]:
        """:meth:`fit` on ``texts`` then :meth:`keywords` of each, tokenising each text once; ``vectors``: the
        texts' L2-normalised embeddings when the caller has them (else the encoder embeds the texts)."""
        self.fit(texts, tokens=tokens)
        return self._rank(self.table_, texts, vectors)

    def class_keywords(self, groups: Sequence[Sequence[str]]) -> list[list[Keyword]]:
        """Keywords of each group of texts (a cluster, the class of c-TF-IDF): a term counts once
        per member that has it, so what many members share outranks one member's repetitions."""
        flat = [t for members in groups for t in members]
        table = self._table((self.tokens(t) for t in flat), Vocabulary())
        bounds = np.cumsum([0, *(len(m) for m in groups)])
        rows = [list(range(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]
        return self._class_rank(table, rows, ["\n".join(members) for members in groups], None)

    def class_keywords_of(self, groups: Sequence[Sequence[int]], vectors: np.ndarray | None = None
                          ) -> list[list[Keyword]]:
        """:meth:`class_keywords` of groups of the fitted texts, by index (no jieba again); ``vectors``: one
        L2-normalised row per group (e.g. the members' mean embedding), else the encoder on the members' text."""
        self._check_fitted()
        texts = None if vectors is not None or not self.fitted_texts_ else [
            "\n".join(self.fitted_texts_[i] for i in members) for members in groups]
        return self._class_rank(self.table_, groups, texts, vectors)

    def _class_rank(self, table: CandidateTable, groups: Sequence[Sequence[int]], texts: Sequence[str] | None,
                    vectors: np.ndarray | None) -> list[list[Keyword]]:
        generic = self._term_arrays(table.vocabulary).generic

        def shared(ids: np.ndarray, tf: np.ndarray, members: int) -> np.ndarray:
            two = tf >= 2
            if members > 1 and int((~generic[ids[two]]).sum()) >= SHARED_TERMS_MIN:
                return two  # what the members share, when they share any
            return np.ones(len(ids), dtype=bool)
        return self._rank(table.merge(groups, shared), texts, vectors, nested=False)  # a label lists no part twice
