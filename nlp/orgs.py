"""Organisations as people write them (单位名称): aliases, former names, and parent/child units.

A 回避单位 is written "中国农大", "北航材料学院" or "北京航空航天大学材料科学与工程学院"; an expert's 工作单位
"中国农业大学" or "北京航空航天大学". :class:`OrgDirectory` turns each name into a *path* — the chain of
units from the top institution down (``("中国科学院", "中国科学院金属研究所")``, ``("北京航空航天大学",
"北京航空航天大学/材料科学与工程学院")``) — using an alias table (full names, abbreviations, former names,
parents: ``corpora/orgs/institutions.yaml``, read by the caller) and, for names the table lacks, the
words that end an institution (…大学, …科学院, …研究院) followed by a sub-unit. Two names are **related**
when one path is a prefix of the other: the same unit, a unit and its department, an institute and its
academy. Siblings (two faculties of one university) are not related. Pure: plain data in, no I/O.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nlp.names import normalize_org_name
from nlp.text import normalize

_NOT_NAME = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
# An institution's name ends with one of these; what follows is one of its units.
_TOP = re.compile(r"^(.{2,}?(?:大学|科学院|工程院|研究院|学院|研究所|医院))(.{2,})$")
# What a unit of an institution is called (the remainder after an institution or an abbreviation).
_UNIT = re.compile(r"(?:学院|学部|医学部|系|研究所|研究院|研究中心|中心|实验室|医院|分院|分校|校区|研究生院|所|部|处)$")
# After a two-character abbreviation ("北航…") only the plainest unit words count: "大工业园管理中心" is
# not a unit of 大连理工大学.
_UNIT_AFTER_SHORT = re.compile(r"(?:学院|学部|系|研究所|研究院|实验室|医院)$")
MIN_TOP = 4  # an institution named by the generic split has at least 4 characters ("某某大学")


def _key(name: str | None) -> str:
    """The comparison form of a name: normalised, lower-cased, without brackets' punctuation or spaces."""
    return _NOT_NAME.sub("", normalize(name).lower())


@dataclass(frozen=True)
class OrgEntry:
    """One institution of the alias table."""

    name: str
    abbr: tuple[str, ...] = ()
    former: tuple[str, ...] = ()
    parent: str | None = None


class OrgDirectory:
    """Resolve organisation names to unit paths with an alias table; :meth:`related` compares two names."""

    def __init__(self, entries: Iterable[OrgEntry] = ()):
        self.entries = list(entries)
        self._canonical: dict[str, str] = {}  # alias key -> canonical name
        self._parent: dict[str, str] = {}
        for e in self.entries:
            for alias in (e.name, *e.abbr, *e.former):
                k = _key(alias)
                if k and self._canonical.setdefault(k, e.name) != e.name:
                    raise ValueError(f"alias {alias!r} names both {self._canonical[k]!r} and {e.name!r}")
            if e.parent:
                self._parent[e.name] = e.parent
        for child, parent in self._parent.items():
            if parent not in {e.name for e in self.entries}:
                raise ValueError(f"parent {parent!r} of {child!r} is not in the table")
        # longest alias first, so "中科院金属所" wins over "中科院"
        self._aliases = sorted(self._canonical, key=len, reverse=True)
        self._paths: dict[str | None, tuple[str, ...]] = {}  # memo: a pool repeats a few hundred names

    @classmethod
    def from_records(cls, records: Sequence[Mapping]) -> "OrgDirectory":
        """From the table's rows (``name``, ``abbr``, ``former``, ``parent``)."""
        return cls(OrgEntry(str(r["name"]), tuple(r.get("abbr") or ()), tuple(r.get("former") or ()),
                            r.get("parent") or None) for r in records)

    def canonical(self, name: str | None) -> str:
        """The table's full name when ``name`` is one of its names or aliases, else ''."""
        return self._canonical.get(_key(name), "")

    def path(self, name: str | None) -> tuple[str, ...]:
        """The units from the top institution down to ``name`` (``()`` for a blank name)."""
        if name not in self._paths:
            self._paths[name] = self._resolve(name)
        return self._paths[name]

    def _resolve(self, name: str | None) -> tuple[str, ...]:
        k = _key(name)
        if not k:
            return ()
        if k in self._canonical:
            return self._lineage(self._canonical[k])
        for alias in self._aliases:  # an alias followed by one of its units: "北航材料学院"
            unit = _UNIT if len(alias) > 2 else _UNIT_AFTER_SHORT
            if k.startswith(alias) and len(k) > len(alias) + 1 and unit.search(k[len(alias):]):
                top = self._lineage(self._canonical[alias])
                return (*top, f"{top[-1]}/{k[len(alias):]}")
        m = _TOP.match(k)
        if m and len(m.group(1)) >= MIN_TOP and _UNIT.search(m.group(2)):
            top = self.path(m.group(1))
            return (*top, f"{top[-1]}/{m.group(2)}")
        return (normalize_org_name(name) or k,)

    def _lineage(self, canonical: str) -> tuple[str, ...]:
        chain = [canonical]
        while chain[-1] in self._parent and len(chain) < 10:
            chain.append(self._parent[chain[-1]])
        return tuple(reversed(chain))

    def related(self, a: str | None, b: str | None) -> bool:
        """True when one name is the other, a unit of it, or the unit it belongs to."""
        pa, pb = self.path(a), self.path(b)
        if not pa or not pb:
            return False
        short, long_ = sorted((pa, pb), key=len)
        return long_[: len(short)] == short


__all__ = ["OrgDirectory", "OrgEntry"]
