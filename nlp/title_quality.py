"""Visible defects of a proposed 发榜需求名称 (title), as a staff reader would object to them.

One definition shared by the title generator (:mod:`nlp.condense`, which never proposes a title with
a defect it can avoid), the benchmarks (``bench/quality.py`` task ``round``: ``title_defects``,
``title_rewrites``) and the tests. Pure: strings in, codes out.

A title is defective when it
- is longer than :data:`MAX_TITLE_CHARS` characters (``too_long``);
- repeats a run of two or more characters ("T700级碳纤维制备的生产制备", "低碳的低碳炼铁") (``repeat``);
- ends on a word that leaves it hanging: 的, 及, 与, 和, 影响, 研究现状 … (``dangling``);
- uses the template "…共性关键技术研究/研发" for fewer than 3 enterprises (``template``; with
  ``enterprises=None`` the template is always a defect: the generator never writes it);
- is empty (``empty``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

MAX_TITLE_CHARS = 30
MIN_COMMON_ENTERPRISES = 3  # the template claims 共性 work: at least this many enterprises
#: Endings that leave a title hanging (a modifier or a connective without its head).
DANGLING_ENDINGS: tuple[str, ...] = ("研究现状", "影响", "的", "及", "与", "和", "或", "及其", "对", "在", "、",
                                     "等", "之", "中的", "以及", "基于", "面向", "用于")
TEMPLATE = re.compile(r"共性关键技术")
_CONTENT_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_TRAILING = "。.;；,，:：、 "

DEFECTS_ZH = {"too_long": "超过 30 字", "repeat": "重复字串", "dangling": "结尾不完整", "template": "套用共性模板",
              "empty": "空标题"}


def repeated_run(title: str, min_chars: int = 2) -> str | None:
    """The first run of ``min_chars`` characters (with a letter or a Chinese character) that occurs twice
    without overlapping, else None."""
    for i in range(len(title) - min_chars + 1):
        run = title[i:i + min_chars]
        if not _CONTENT_CHAR.search(run) or any(c.isspace() for c in run):
            continue
        if title.find(run, i + min_chars) >= 0:
            return run
    return None


def dangling_ending(title: str) -> str | None:
    """The ending that leaves ``title`` hanging (of :data:`DANGLING_ENDINGS`), else None."""
    stripped = title.rstrip(_TRAILING)
    if stripped != title:
        return title[len(stripped):]
    return next((e for e in DANGLING_ENDINGS if stripped.endswith(e)), None)


def title_defects(title: str, enterprises: int | None = None, max_chars: int = MAX_TITLE_CHARS) -> list[str]:
    """Codes of the defects of ``title`` (empty list: publishable as far as form goes).
    ``enterprises``: how many distinct enterprises the title speaks for (None: unknown, the template is a defect)."""
    title = (title or "").strip()
    if not title:
        return ["empty"]
    out: list[str] = []
    if len(title) > max_chars:
        out.append("too_long")
    if repeated_run(title):
        out.append("repeat")
    if dangling_ending(title):
        out.append("dangling")
    if TEMPLATE.search(title) and (enterprises is None or enterprises < MIN_COMMON_ENTERPRISES):
        out.append("template")
    return out


def defect_share(titles: Iterable[tuple[str, int | None]]) -> float:
    """Share of ``(title, enterprises)`` pairs with at least one defect (0.0 for none)."""
    pairs = list(titles)
    return sum(bool(title_defects(t, e)) for t, e in pairs) / len(pairs) if pairs else 0.0


def rewrite_share(pairs: Sequence[tuple[str, str]], max_chars: int = MAX_TITLE_CHARS) -> float:
    """``title_rewrites``: among ``(demand title, proposed 发榜名称)`` pairs whose demand title has at most
    ``max_chars`` characters, the share whose proposal differs from it."""
    short = [(a.strip(), b.strip()) for a, b in pairs if a and len(a.strip()) <= max_chars]
    return sum(a != b for a, b in short) / len(short) if short else 0.0
