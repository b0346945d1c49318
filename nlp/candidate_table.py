"""The candidate terms of many texts as one sparse table (rows × terms, flat arrays), and its merge into
classes (clusters).

Keyword extraction over a round of thousands of demands used to keep a dict of candidates per text and
rebuild them for every cluster; the table keeps, per (row, term), the counts the ranking needs (tf, in
the lead, first position, left and right run edges) in a few numpy arrays over one shared
:class:`Vocabulary`, so corpus frequencies are column sums and a cluster's candidates are its members'
rows merged (:meth:`CandidateTable.merge`): a term counts once per member that has it.
"""
from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.phrases import Candidate


@dataclass
class Vocabulary:
    """Candidate terms by id. The same string cut into other tokens (膜电极 as one token or as 膜 + 电极) is
    another id (its parts differ) that shares the string's id (``string_id``) for corpus frequencies."""

    terms: list[str] = field(default_factory=list)
    parts: list[tuple[str, ...]] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    variants: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    string_of: array = field(default_factory=lambda: array("i"))

    def add(self, term: str, parts: tuple[str, ...]) -> int:
        first = self.index.get(term)
        if first is not None and self.parts[first] == parts:
            return first
        if first is not None:
            known = self.variants.get((term, parts))
            if known is not None:
                return known
        new = len(self.terms)
        self.terms.append(term)
        self.parts.append(parts)
        if first is None:
            self.index[term] = new
            self.string_of.append(new)
        else:
            self.variants[(term, parts)] = new
            self.string_of.append(first)
        return new

    def __len__(self) -> int:
        return len(self.terms)

    def string_ids(self) -> np.ndarray:
        return np.frombuffer(self.string_of, dtype=np.int32).astype(np.int64)


@dataclass
class CandidateTable:
    """Rows (texts or classes) of candidates: row ``r`` holds entries ``indptr[r]:indptr[r+1]``, each a term
    id with its ``tf``, ``lead``, ``first``, ``left`` and ``right`` (as :class:`~nlp.phrases.Candidate`)."""

    vocabulary: Vocabulary
    indptr: np.ndarray
    term: np.ndarray
    tf: np.ndarray
    lead: np.ndarray
    first: np.ndarray
    left: np.ndarray
    right: np.ndarray

    @classmethod
    def build(cls, per_row: Iterable[Mapping[str, Candidate]], vocabulary: Vocabulary | None = None
              ) -> "CandidateTable":
        """The table of candidate dicts (one per row), consumed one at a time (the dicts need not all exist
        at once)."""
        vocab = vocabulary if vocabulary is not None else Vocabulary()
        indptr, term = array("q", [0]), array("i")
        # counts are small whole numbers (exact in float32); positions keep float64
        tf, lead, first, left, right = array("f"), array("b"), array("d"), array("f"), array("f")
        for cands in per_row:
            for t, c in cands.items():
                term.append(vocab.add(t, c.parts))
                tf.append(c.tf)
                lead.append(c.lead)
                first.append(c.first)
                left.append(c.left)
                right.append(c.right)
            indptr.append(len(term))
        return cls(vocab, np.frombuffer(indptr, dtype=np.int64), np.frombuffer(term, dtype=np.int32).astype(np.int64),
                   np.frombuffer(tf, dtype=np.float32), np.frombuffer(lead, dtype=np.int8).astype(bool),
                   np.frombuffer(first), np.frombuffer(left, dtype=np.float32), np.frombuffer(right, dtype=np.float32))

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def row_of_entries(self, start: int, stop: int) -> np.ndarray:
        """The row of each entry of rows ``start:stop``."""
        return np.repeat(np.arange(start, stop), np.diff(self.indptr[start:stop + 1]))

    def merge(self, groups: Sequence[Sequence[int]], shared: Callable[[np.ndarray, np.ndarray, int], np.ndarray]
              ) -> "CandidateTable":
        """One row per group of rows (a class of c-TF-IDF): a term's ``tf`` is the number of members that have
        it, ``left`` / ``right`` the sums of its members' edge shares, ``lead`` any, ``first`` the earliest.
        ``shared(ids, tf, n_members)`` says which of a group's merged terms to keep (e.g. only those ≥ 2
        members share, when there are enough of them)."""
        sid = self.vocabulary.string_ids()
        indptr = [0]
        cols: dict[str, list[np.ndarray]] = {k: [] for k in ("term", "tf", "lead", "first", "left", "right")}
        for members in groups:
            ents = np.concatenate([np.arange(self.indptr[m], self.indptr[m + 1]) for m in members]) if len(members) \
                else np.zeros(0, dtype=np.int64)
            ids = self.term[ents]
            _, first_at, inv = np.unique(sid[ids], return_index=True, return_inverse=True)
            k = len(first_at)
            tf = np.bincount(inv, minlength=k).astype(np.float64)
            left = np.bincount(inv, weights=self.left[ents] / self.tf[ents].astype(np.float64), minlength=k)
            right = np.bincount(inv, weights=self.right[ents] / self.tf[ents].astype(np.float64), minlength=k)
            lead = np.bincount(inv, weights=self.lead[ents], minlength=k) > 0
            first = np.full(k, np.inf)
            np.minimum.at(first, inv, self.first[ents])
            term = ids[first_at]  # the parts of the first member that has the string
            keep = shared(term, tf, len(members))
            for name, values in (("term", term), ("tf", tf), ("lead", lead), ("first", first), ("left", left),
                                 ("right", right)):
                cols[name].append(values[keep])
            indptr.append(indptr[-1] + int(keep.sum()))

        def joined(name: str, dtype: type) -> np.ndarray:
            return np.concatenate(cols[name]).astype(dtype) if cols[name] else np.zeros(0, dtype=dtype)
        return CandidateTable(self.vocabulary, np.asarray(indptr, dtype=np.int64), joined("term", np.int64),
                              joined("tf", np.float64), joined("lead", bool), joined("first", np.float64),
                              joined("left", np.float64), joined("right", np.float64))
