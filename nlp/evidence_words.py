"""Which words may be shown to staff as the evidence of a decision (依据词): content words only.

A route's or a label's evidence is the words of the demand that pulled the model toward it. The model reads
every word of the form, so form boilerplate (知识产权, 方向, 规范 — "拥有自主知识产权", "工业软件方向") and
words every demand contains (技术, 需求, 系统, 研发) can pull too; they explain nothing to a clerk. Evidence
words are therefore the words that could be a keyword on their own (:class:`~nlp.phrases.PhraseRules`:
not a stopword or form word — the caller passes ``corpora/keyword_stopwords.txt`` —, not a number, a unit
or one character) and are not generic (:class:`~nlp.phrases.GenericWords`: too common in the background
documents of ``models/doc-freq``, or across the round's own demands). One notion of "names something",
shared with the keywords.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from nlp.phrases import GenericWords, PhraseRules


@dataclass(frozen=True)
class ContentWords:
    """``word → bool``: may ``word`` be shown as evidence (module docstring). ``rules``: the blocked words
    and length limits; ``generic``: the document-frequency test (background and, after :meth:`for_round`,
    the round)."""

    rules: PhraseRules
    generic: GenericWords = field(default_factory=GenericWords)

    def __call__(self, word: str) -> bool:
        return self.rules.allowed(word) and not self.generic(word)

    def for_round(self, round_docs: dict[str, int], round_size: int) -> "ContentWords":
        """The same test with the round's document frequencies (``round_docs[word]`` of ``round_size``
        demands): a word most demands of this round contain is boilerplate here."""
        return replace(self, generic=replace(self.generic, round_docs=dict(round_docs), round_size=int(round_size)))

    def keep(self, words: Iterable[str]) -> tuple[str, ...]:
        """``words`` in order, content words only."""
        return tuple(w for w in words if self(w))

    def mask(self, vocabulary: Sequence[str]) -> np.ndarray:
        """A boolean per vocabulary entry: a content word (for a model's evidence over its columns)."""
        return np.fromiter((self(str(w)) for w in vocabulary), dtype=bool, count=len(vocabulary))


def as_written(words: Iterable[str], text: str) -> tuple[str, ...]:
    """``words`` (lower-cased tokens: "vocs", "cae") spelled as ``text`` writes them ("VOCs", "CAE"), for staff
    to read; a word the text does not contain stays as it is."""
    out = []
    for w in words:
        found = re.search(re.escape(w), text, flags=re.IGNORECASE) if re.search(r"[a-z]", w) else None
        out.append(found.group(0) if found else w)
    return tuple(out)


__all__ = ["ContentWords", "as_written"]
