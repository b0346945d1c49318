"""jieba tokenisation with the domain user dictionary and stopwords from ``corpora/``.

A :class:`Tokenizer` owns its own ``jieba.Tokenizer`` (no global jieba state); building one
loads the dictionaries, so the composition root (``api.compose``) builds it once and passes it to
whatever needs words (lexical vectoriser, experts, evidence).
"""
from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import jieba

from corpora import STOPWORDS as DEFAULT_STOPWORDS
from corpora import USERDICT as DEFAULT_USERDICT
from nlp.text import normalize

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_NUMBER = re.compile(r"^[0-9.%％]+$")

jieba.setLogLevel(logging.WARNING)


def read_wordlist(path: Path) -> set[str]:
    """Read a one-entry-per-line list (first column), skipping blanks and ``#`` comments."""
    if not path.exists():
        return set()
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.split()[0])
    return words


class Tokenizer:
    """Chinese tokeniser: jieba + domain dictionary, with a stopword-filtered content view."""

    def __init__(self, userdict: Path | None = DEFAULT_USERDICT, stopwords: Path | None = DEFAULT_STOPWORDS):
        self.userdict = userdict
        self.stopwords_path = stopwords
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        if userdict is not None and Path(userdict).exists():
            with open(userdict, "rb") as handle:  # jieba leaves a path it opened unclosed
                self._jieba.load_userdict(handle)
        self.stopwords = frozenset(read_wordlist(Path(stopwords))) if stopwords else frozenset()

    def cut(self, text: str, *, normalized: bool = False) -> list[str]:
        """All tokens of ``text`` (normalised first unless ``normalized``), white space dropped."""
        if not normalized:
            text = normalize(text)
        return [t for t in self._jieba.lcut(text, HMM=True) if t.strip()]

    def cut_lines(self, text: str, *, normalized: bool = False) -> list[str]:
        """:meth:`cut` line by line, each line break kept as a ``"\n"`` token: a form's fields are lines (a
        keyphrase never spans two), and the tokens are those of :meth:`cut` (jieba never joins across a line)."""
        out: list[str] = []
        for line in (text if normalized else normalize(text)).split("\n"):
            out.extend(map(sys.intern, self.cut(line, normalized=True)))  # a round's tokens repeat: one copy each
            out.append("\n")
        return out[:-1]

    def words(self, text: str, *, normalized: bool = False) -> list[str]:
        """Content words: no stopwords, punctuation or bare numbers; lower-cased Latin."""
        return self.content_words(self.cut(text, normalized=normalized))

    def content_words(self, tokens: Iterable[str]) -> list[str]:
        """:meth:`words` of tokens already cut (e.g. by :meth:`cut_lines`)."""
        out = []
        for tok in tokens:
            tok = sys.intern(tok.lower())  # a round's words repeat: one copy each
            if tok in self.stopwords or not _CONTENT.search(tok) or _NUMBER.match(tok):
                continue
            out.append(tok)
        return out

    def words_many(self, texts: Iterable[str]) -> list[list[str]]:
        """:meth:`words` over many texts."""
        return [self.words(t) for t in texts]

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Add a term at run time (e.g. from an imported taxonomy)."""
        self._jieba.add_word(word, freq, tag)
