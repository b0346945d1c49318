"""Technical indicators (技术指标) stated in a demand's text: a comparator, a number and its unit, kept
verbatim as written ("≥5000株/亩", "≤0.2 mg/cm²", "误差≤3%"), with the words before them that say what is
measured ("膜电极铂载量"). Pure: strings in, :class:`Indicator` values out.

What counts: a comparator (≥ ≤ > < ± ＞ ＜ 不低于 不少于 不超过 不大于 不小于 不高于 优于 达到 低于 高于 大于 小于)
followed by a number and a unit or %, or a number with a unit followed by 以上 / 以下 / 以内. A bare number (a
year, a count of enterprises) is not an indicator.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_COMPARATOR = r"(?:≥|≤|>=|<=|＞|＜|>|<|±|不低于|不少于|不超过|不大于|不小于|不高于|优于|达到|低于|高于|大于|小于)"
_NUMBER = r"\d+(?:[.,]\d+)?(?:\s*[~～\-–]\s*\d+(?:\.\d+)?)?"
# a unit: %, ‰, °C, Latin units with powers and slashes (mg/cm², W/cm2, m3/h), or Chinese measure words (株/亩, 小时, 万元)
_UNIT = (r"(?:%|‰|°C|℃|°|(?:[A-Za-zμΩ]+[²³0-9]?(?:\s*/\s*[A-Za-zμΩ\u4e00-\u9fff]+[²³0-9]?)*)"
         r"|(?:[\u4e00-\u9fff]{1,2}(?:/[\u4e00-\u9fff]{1,2})?))")
_AFTER = r"(?:以上|以下|以内)"
PATTERN = re.compile(rf"(?:{_COMPARATOR}{{1,2}}\s*{_NUMBER}\s*{_UNIT}?{_AFTER}?)|(?:{_NUMBER}\s*{_UNIT}{_AFTER})")
_SUBJECT = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,12})[:：]?\s*$")
# measure words that, alone after a comparator, make a count rather than a quantity (≥3家, ≥2个)
_COUNT_ONLY = re.compile(r"^(?:家|个|项|次|名|人|篇|件|套|台|种|类)")
CHINESE_UNITS = ("株/亩", "小时", "万元", "元", "年", "个月", "月", "天", "日", "秒", "分钟", "吨", "千克", "公斤", "米",
                  "千米", "公里", "毫米", "厘米", "亩", "台", "套", "件", "家", "个", "项", "次", "类", "种", "倍", "级", "层",
                  "万吨", "万株", "株", "头", "只", "粒", "瓦", "度", "伏", "安", "帕", "兆帕")


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``text`` verbatim from the source, ``subject`` what it measures (may be ""), ``source``
    the member it came from (the caller's id)."""

    text: str
    subject: str
    source: object = None

    def label(self) -> str:
        return f"{self.subject}{self.text}" if self.subject else self.text


def _trim_unit(match: str) -> str:
    """Cut a Chinese unit the pattern took too greedily to a known measure word ("≥15000小时耐久" → "…小时")."""
    m = re.search(r"[\u4e00-\u9fff/]+$", match)
    if not m:
        return match
    tail = m.group(0)
    for suffix in ("以上", "以下", "以内"):
        if tail.endswith(suffix):
            return _trim_unit(match[: -len(suffix)]) + suffix if len(tail) > len(suffix) else match
    known = next((u for u in sorted(CHINESE_UNITS, key=len, reverse=True) if tail.startswith(u)), None)
    if known is None:
        return match[: len(match) - len(tail)]
    return match[: len(match) - len(tail) + len(known)]


def find_indicators(text: str, source: object = None) -> list[Indicator]:
    """The indicators of ``text`` in order, each once."""
    out: list[Indicator] = []
    seen: set[str] = set()
    for m in PATTERN.finditer(text or ""):
        raw = _trim_unit(m.group(0).strip())
        unit_part = re.sub(rf"^{_COMPARATOR}{{0,2}}\s*{_NUMBER}\s*", "", raw)
        if not re.search(r"[\d]", raw) or _COUNT_ONLY.match(unit_part):
            continue
        if not unit_part and not re.match(_COMPARATOR, raw):
            continue
        before = text[max(0, m.start() - 16):m.start()]
        before = re.split(r"[,，;；。、:：(（\n]", before)[-1]
        subject_m = _SUBJECT.search(before)
        subject = subject_m.group(1) if subject_m else ""
        if re.search(r"[\u4e00-\u9fff]", subject):
            subject = re.sub(r"^[A-Za-z0-9]+(?=[\u4e00-\u9fff])", "", subject)  # "130°C下…": the unit of a number before
        key = subject + raw
        if key in seen:
            continue
        seen.add(key)
        out.append(Indicator(raw, subject, source))
    return out


def indicators_of(texts: Iterable[tuple[object, Sequence[str]]]) -> list[Indicator]:
    """Indicators of several members: ``(member id, [field texts])`` pairs; one indicator stated by two
    members (a duplicate demand) is kept once, with the first member."""
    out: list[Indicator] = []
    seen: set[str] = set()
    for source, fields in texts:
        for field in fields:
            for ind in find_indicators(field, source):
                if ind.label() not in seen:
                    seen.add(ind.label())
                    out.append(ind)
    return out
