"""Text normalisation and sentence splitting for Chinese demand texts.

Full-width forms become half-width (NFKC), traditional characters become simplified,
white space is folded. Offsets returned by :func:`split_sentences` refer to the
normalised text, which is what is stored and highlighted.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import zhconv
from zhconv.zhconv import getdict as _zhconv_table

_CJK_CHAR = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_NEWLINES = re.compile(r"\s*\n\s*")
# Sentence ends: Chinese full stops and marks, semicolons, newlines, and an ASCII full
# stop that is not part of a number ("3.5") — NFKC keeps '。' but turns '；' into ';'.
_SENT_END = re.compile(r"[。！？!?；;\n]+|(?<![0-9])\.(?![0-9])")
_LIST_SEP = re.compile(r"[、,，;；\n]+")


def is_empty(value: Any) -> bool:
    """True for a value that holds nothing: None, NaN/NaT, a blank string, an empty list."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return not value
    return type(value).__name__ in {"NaTType", "NAType"}


def split_list(value: str | Iterable[Any] | None) -> list[str]:
    """Items of a list as clerks write one ("甲、乙，丙;丁", one per line) or a real list → stripped,
    non-empty strings in order (duplicates kept; callers that need a set de-duplicate)."""
    if is_empty(value):
        return []
    items = _LIST_SEP.split(value) if isinstance(value, str) else [str(v) for v in value if not is_empty(v)]
    return [item.strip() for item in items if item.strip()]


@dataclass(frozen=True)
class _Triggers:
    """What zhconv's zh-cn table needs to see in a text before it changes anything: every entry that changes its
    text holds one of ``chars`` (a traditional character that converts alone, or a CJK one outside GB2312; also
    as per-code-point ``flags``), or, written otherwise (反覆, 藉口, 一份子, 程式控制), begins with one of ``grams``
    (its first three characters, two for a two-character entry: 程式控 tells 程式控制, 控制 would not), whose
    first characters are ``starts`` (and ``start_flags``)."""

    chars: frozenset[str]
    flags: np.ndarray
    grams: frozenset[str]
    starts: frozenset[str]
    start_flags: np.ndarray

    @classmethod
    def of_zhconv(cls) -> "_Triggers":
        table = _zhconv_table("zh-cn")
        changing = [k for k, v in table.items() if k != v]
        alone = {k for k in changing if len(k) == 1}
        chars, grams = set(), set()
        for entry in changing:
            needed = next((c for c in entry if c in alone), None) or next(
                (c for c in entry if _CJK_CHAR.match(c) and not _in_gb2312(c)), None)
            if needed is not None:
                chars.add(needed)
            else:
                grams.add(entry[:3])
        starts = {g[0] for g in grams}
        return cls(frozenset(chars), _flags(chars), frozenset(grams), frozenset(starts), _flags(starts))

    def absent(self, text: str) -> bool:
        """Whether ``text`` holds no trigger: zhconv would return it as it is. A long text is looked at with
        numpy (a flag per code point), a short one character by character."""
        if len(text) >= CHECK_FROM:
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if self.flags[codes].any():
                return False
            at = np.flatnonzero(self.start_flags[codes]).tolist()
        else:
            if not self.chars.isdisjoint(text):
                return False
            at = [i for i, c in enumerate(text) if c in self.starts]
        grams = self.grams
        return not any(text[i:i + 2] in grams or text[i:i + 3] in grams for i in at)


def _flags(chars: set[str]) -> np.ndarray:
    flags = np.zeros(0x110000, dtype=bool)
    flags[[ord(c) for c in chars]] = True
    flags.flags.writeable = False
    return flags


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


CHECK_FROM = 48  # characters: from here numpy looks for triggers faster than a Python loop
_TRIGGERS = _Triggers.of_zhconv()


def to_simplified(text: str) -> str:
    """zhconv's zh-cn conversion of ``text``, without its per-character scan (~0.25 µs a character) when the
    text holds nothing its table would change (:class:`_Triggers`; the same result: a text changes only where
    a changing entry occurs)."""
    return text if _TRIGGERS.absent(text) else zhconv.convert(text, "zh-cn")


def normalize(text: str | None) -> str:
    """Return ``text`` half-width, simplified, with folded white space ('' for None)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = to_simplified(text)
    text = _SPACE.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


@dataclass(frozen=True)
class Sentence:
    """A sentence of a normalised text with its character offsets ``[start, end)``."""

    start: int
    end: int
    text: str


def split_sentences(text: str, min_chars: int = 2) -> list[Sentence]:
    """Split a normalised text into sentences; fragments shorter than ``min_chars`` are dropped."""
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        _append(out, text, start, m.start(), min_chars)
        start = m.end()
    _append(out, text, start, len(text), min_chars)
    return out


def _append(out: list[Sentence], text: str, start: int, end: int, min_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= min_chars:
        out.append(Sentence(start, end, text[start:end]))
