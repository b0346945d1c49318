"""The 榜单 draft entry (发榜清单草稿) of a cluster or of one demand: what the department publishes, built
from the members' own form fields. Pure: typed members in, a plain-data entry out; storage, versions
and files are the shell's (:mod:`api.services.bangdan`, :mod:`api.io.bangdan_docx`).

- 发榜需求名称: the cluster's proposed title (or staff name), or the demand's own;
- 需求单位: the members' enterprises, each once;
- 发榜内容: the members' 发榜内容描述, then their 需求描述, sentence by sentence, without repeated or
  near-repeated sentences and without schedule or policy filler (:func:`nlp.condense.unique_sentences`);
- 技术指标: quantities with comparators and units found in the members' text, verbatim, each with the
  member it came from (:mod:`nlp.indicators`);
- 对揭榜方要求 and 交付要件: merged the same way;
- 投入资金: the sum, and per enterprise (揭榜任务投入资金, else 需求研发总投入, in 万元);
- 完成时限: the earliest of the members' 揭榜任务完成时限.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nlp.condense import unique_sentences
from nlp.indicators import indicators_of

#: The entry's fields in display order, with their Chinese labels (the .docx table and the Excel columns).
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "发榜需求名称"), ("units", "需求单位"), ("content", "发榜内容"), ("indicators", "技术指标"),
    ("requirements", "对揭榜方要求"), ("deliverables", "交付要件"), ("investment", "投入资金(万元)"),
    ("deadline", "完成时限"))
EDITABLE = frozenset({"name", "units", "content", "indicators", "requirements", "deliverables", "investment", "deadline"})
MAX_CONTENT_CHARS = 1000


@dataclass(frozen=True)
class BangdanMember:
    """One demand of an entry, as the draft needs it (texts as the enterprise submitted them)."""

    demand_id: int
    enterprise: str
    title: str
    description: str = ""
    publish_content: str = ""
    solver_requirements: str = ""
    deliverables: str = ""
    investment: float | None = None
    deadline: str = ""


def merge_texts(texts: Sequence[str], max_chars: int = MAX_CONTENT_CHARS) -> str:
    """Sentences of ``texts`` without repeats, near-repeats and filler, joined by "。", ≤ ``max_chars``."""
    out: list[str] = []
    used = 0
    for _, sentence in unique_sentences([t for t in texts if t]):
        if used + len(sentence) + 1 > max_chars:
            break
        out.append(sentence)
        used += len(sentence) + 1
    return "。".join(out) + ("。" if out else "")


_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?")
_MONTHS = re.compile(r"(\d+)\s*个?月")
_YEARS = re.compile(r"(\d+)\s*年(?!\d)")


def deadline_key(text: str) -> tuple[int, float] | None:
    """A sortable key of a 完成时限: a date (kind 0, yyyymmdd) or a duration (kind 1, months); None when unread."""
    text = (text or "").strip()
    m = _DATE.search(text)
    if m:
        return 0, int(m.group(1)) * 10000 + int(m.group(2)) * 100 + int(m.group(3) or 31)
    m = _MONTHS.search(text)
    if m:
        return 1, float(m.group(1))
    m = _YEARS.search(text)
    if m and int(m.group(1)) < 100:
        return 1, 12.0 * int(m.group(1))
    return None


def earliest_deadline(deadlines: Sequence[str]) -> str:
    """The earliest deadline as written (dates before durations; unreadable ones only when nothing is read)."""
    known = [(k, d.strip()) for d in deadlines if d and (k := deadline_key(d)) is not None]
    if known:
        return min(known)[1]
    return next((d.strip() for d in deadlines if d and d.strip()), "")


def draft_entry(members: Sequence[BangdanMember], name: str) -> dict[str, Any]:
    """The draft entry of ``members`` under ``name`` (plain data: what is stored and versioned)."""
    units = list(dict.fromkeys(m.enterprise for m in members if m.enterprise))
    by_enterprise: dict[str, float] = {}
    for m in members:
        if m.investment:
            by_enterprise[m.enterprise] = round(by_enterprise.get(m.enterprise, 0.0) + float(m.investment), 2)
    indicators = indicators_of((m.demand_id, [m.description, m.publish_content, m.deliverables]) for m in members)
    return {
        "name": name,
        "units": units,
        "content": merge_texts([m.publish_content for m in members] + [m.description for m in members]),
        "indicators": [{"text": i.text, "subject": i.subject, "demand_id": i.source} for i in indicators],
        "requirements": merge_texts([m.solver_requirements for m in members]),
        "deliverables": merge_texts([m.deliverables for m in members]),
        "investment": {"total": round(sum(by_enterprise.values()), 2), "by_enterprise": by_enterprise},
        "deadline": earliest_deadline([m.deadline for m in members]),
        "demand_ids": [m.demand_id for m in members],
    }


def field_text(entry: dict[str, Any], field: str) -> str:
    """One field of an entry as a line of text (the .docx cell, the Excel cell)."""
    value = entry.get(field)
    if field == "units":
        return "、".join(value or [])
    if field == "indicators":
        return "；".join(f"{i.get('subject', '')}{i['text']}（需求 {i.get('demand_id')}）" for i in value or [])
    if field == "investment":
        value = value or {}
        per = "；".join(f"{k} {v:g}" for k, v in (value.get("by_enterprise") or {}).items())
        return f"合计 {float(value.get('total') or 0):g}" + (f"（{per}）" if per else "")
    return "" if value is None else str(value)
