"""Discipline → office and domain mapping (学科 → 归口处室 / 技术领域), as a typed, validated value.

The shipped routing model learns from public labelled text whose labels are academic disciplines
(CSLDCP's 67, CSL's 13 categories); ``corpora/taxonomy/disciplines.yaml`` says which office(s) and
which level-2 domains each discipline stands for. A discipline that splits between offices carries a
share per office (the first, largest, is its primary office). Read by :mod:`api.io.taxonomy_files`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Discipline:
    """One discipline: ``offices`` as ``(office, share)`` (shares sum to 1, largest first), level-2
    ``domains``, and whether a technical demand can come from it (``technical``)."""

    name: str
    offices: tuple[tuple[str, float], ...]
    domains: tuple[str, ...]
    technical: bool = True

    @property
    def office(self) -> str:
        """The primary office: where a text of this discipline goes when nothing else is known."""
        return self.offices[0][0]


@dataclass(frozen=True)
class DisciplineMap:
    """All disciplines (``disciplines``) and the extra label sets (``categories``, e.g. CSL's 13),
    over the offices ``offices`` (order fixed: the routing model's columns) and ``taxonomy``'s codes."""

    offices: tuple[str, ...]
    disciplines: Mapping[str, Discipline]
    categories: Mapping[str, Discipline]
    taxonomy: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], offices: Sequence[str],
                     codes: Sequence[str] | None = None) -> "DisciplineMap":
        """From the parsed YAML; every discipline must name at least one of ``offices`` with shares
        summing to 1 and (with ``codes``) only domain codes the taxonomy has."""
        known = set(codes) if codes is not None else None

        def one(name: str, row: Mapping[str, Any]) -> Discipline:
            shares = row.get("offices") or {}
            if not isinstance(shares, Mapping) or not shares:
                raise ValueError(f"学科“{name}”没有归口处室 / discipline {name} names no office")
            unknown = [o for o in shares if o not in offices]
            if unknown:
                raise ValueError(f"学科“{name}”的处室 {unknown} 不存在 / discipline {name}: unknown offices {unknown}")
            total = float(sum(float(s) for s in shares.values()))
            if abs(total - 1.0) > 1e-6 or any(float(s) <= 0 for s in shares.values()):
                raise ValueError(f"学科“{name}”的处室份额之和应为 1 / discipline {name}: shares must be > 0 and sum to 1")
            ranked = tuple(sorted(((str(o), float(s)) for o, s in shares.items()), key=lambda kv: -kv[1]))
            domains = tuple(str(d) for d in row.get("domains") or ())
            if known is not None and any(d not in known for d in domains):
                bad = [d for d in domains if d not in known]
                raise ValueError(f"学科“{name}”的领域 {bad} 不在分类体系中 / discipline {name}: unknown codes {bad}")
            return Discipline(str(name), ranked, domains, bool(row.get("technical", True)))

        disciplines = {str(k): one(str(k), v) for k, v in (data.get("disciplines") or {}).items()}
        categories = {str(k): one(str(k), v) for k, v in (data.get("categories") or {}).items()}
        if not disciplines:
            raise ValueError("映射表没有学科 / the mapping lists no discipline")
        return cls(tuple(offices), disciplines, categories, str(data.get("taxonomy", "")))

    def office_shares(self, name: str) -> np.ndarray:
        """The discipline's (or category's) shares over :attr:`offices`."""
        d = self.disciplines.get(name) or self.categories[name]
        out = np.zeros(len(self.offices))
        for office, share in d.offices:
            out[self.offices.index(office)] = share
        return out

    def technical(self) -> list[str]:
        return [k for k, d in self.disciplines.items() if d.technical]


__all__ = ["Discipline", "DisciplineMap"]
