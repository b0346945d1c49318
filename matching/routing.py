"""Office routing (处室归口) of a domain suggestion: which office owns the suggested domain, with what
confidence, or the coordinating office (规划处) and a human when the suggestion abstains, names no mapped
domain, or straddles two offices. Offices and the domain codes they own are data (``offices.yaml``).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from matching.suggestion import Suggestion


@dataclass(frozen=True)
class OfficeArea:
    """One of the notice's areas (高新技术, 新一代信息技术, …), its office and the domain codes it owns."""

    area: str
    office: str
    domains: tuple[str, ...]
    area_en: str = ""
    office_en: str = ""


@dataclass(frozen=True)
class Offices:
    """Who owns which domains, and the coordinating office (规划处) that takes what is unclear."""

    coordinator: str
    areas: tuple[OfficeArea, ...]
    coordinator_en: str = ""
    taxonomy: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "Offices":
        """From the parsed ``offices.yaml`` (``coordinator: {office, office_en}``, ``areas: [...]``)."""
        coord = data.get("coordinator") or {}
        if isinstance(coord, str):
            coord = {"office": coord}
        areas = tuple(OfficeArea(area=str(a["area"]), office=str(a["office"]),
                                 domains=tuple(str(d) for d in a.get("domains") or ()),
                                 area_en=str(a.get("area_en", "")), office_en=str(a.get("office_en", "")))
                      for a in data.get("areas") or ())
        if not coord.get("office") or not areas:
            raise ValueError("处室配置需要统筹处室和至少一个领域 / offices need a coordinator and at least one area")
        owners: dict[str, str] = {}
        for a in areas:
            for d in a.domains:
                if owners.setdefault(d, a.office) != a.office:
                    raise ValueError(f"领域 {d} 同时归属两个处室 / domain {d} is mapped to two offices")
        return cls(str(coord["office"]), areas, str(coord.get("office_en", "")), str(data.get("taxonomy", "")))

    def area_for(self, path: Sequence[str]) -> OfficeArea | None:
        """The area owning a label, by the most specific mapped code on its path."""
        for code in reversed(list(path)):
            for a in self.areas:
                if code in a.domains:
                    return a
        return None


@dataclass(frozen=True)
class Routing:
    """Where a demand goes: ``office``, the probability that it is the right one, and whether a
    human must decide (then ``office`` is the coordinator); ``reason`` says why, in zh and en."""

    office: str
    confidence: float
    needs_human: bool
    reason: str
    reason_en: str
    area: str | None = None
    candidates: tuple[tuple[str, float], ...] = field(default=())
    text_office: str | None = None  # what the text alone says (office-first routing only)
    text_confidence: float | None = None
    filed_office: str | None = None  # where the filed 技术领域 leads (None: blank or unknown)
    disagreement: bool = False  # the filed area and a confident text name different offices
    evidence: tuple[str, ...] = ()  # the words that pulled the text toward text_office
    source: str = "domain"  # "office-model" (office first), "domain" (the suggestion's labels), "memory"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["confidence"] = round(self.confidence, 4)
        out["candidates"] = [{"office": o, "probability": round(p, 4)} for o, p in self.candidates]
        out["evidence"] = list(self.evidence)
        if self.text_confidence is not None:
            out["text_confidence"] = round(self.text_confidence, 4)
        return out


def route(suggestion: Suggestion, offices: Offices, cross_ratio: float = 0.6) -> Routing:
    """The office owning the suggested domain; the coordinator, flagged for a human, when the
    suggestion abstains, names no mapped domain, or its top two offices are close (the second has at
    least ``cross_ratio`` of the first's probability: a cross-domain demand). Office probabilities sum
    the suggestion's labels, so ask for a few (``limit`` ≥ 3)."""
    mass: dict[str, float] = {}
    areas: dict[str, OfficeArea] = {}
    for label in suggestion.labels:
        a = offices.area_for(label.path)
        if a is not None:
            mass[a.office] = mass.get(a.office, 0.0) + label.probability
            areas[a.office] = a
    ranked = tuple(sorted(mass.items(), key=lambda kv: -kv[1]))
    coord = offices.coordinator
    if suggestion.abstain or not ranked:
        why = "置信度低于阈值" if suggestion.abstain else "建议的领域不属于任何处室"
        why_en = "confidence below the threshold" if suggestion.abstain else "no office owns the suggested domains"
        return Routing(coord, ranked[0][1] if ranked else 0.0, True, f"{why}，交{coord}人工分办", why_en, None, ranked)
    (first, p1) = ranked[0]
    if len(ranked) > 1 and ranked[1][1] >= cross_ratio * p1:
        second = ranked[1][0]
        return Routing(coord, p1, True, f"跨领域（{first} / {second}），交{coord}人工分办",
                       f"cross-domain ({areas[first].office_en or first} / {areas[second].office_en or second})",
                       None, ranked)
    return Routing(first, p1, False, f"归口{areas[first].area}", f"owned by {areas[first].area_en or areas[first].area}",
                   areas[first].area, ranked)


def route_office(proba: Sequence[float], names: Sequence[str], offices: Offices, threshold: float, *,
                 text_proba: Sequence[float] | None = None, filed_office: str | None = None,
                 evidence: Sequence[str] = (), disagree_at: float = 0.6) -> Routing:
    """Office first: the most probable of ``names`` (``proba``: text and filed area combined) when it
    reaches ``threshold``, otherwise the coordinator for a human. ``text_proba`` (the text alone) and
    ``filed_office`` are shown beside it; they *disagree* when the text gives another office at least
    ``disagree_at`` — then both are named, with the text's ``evidence``."""
    proba = np.asarray(proba, dtype=float)
    order = np.argsort(-proba, kind="stable")
    ranked = tuple((str(names[j]), float(proba[j])) for j in order)
    first, p1 = ranked[0]
    text_office = text_conf = None
    if text_proba is not None:
        t = int(np.argmax(text_proba))
        text_office, text_conf = str(names[t]), float(text_proba[t])
    disagree = bool(filed_office and text_office and text_office != filed_office and (text_conf or 0) >= disagree_at)
    area = next((a for a in offices.areas if a.office == first), None)
    extra = {"text_office": text_office, "text_confidence": text_conf, "filed_office": filed_office,
             "disagreement": disagree, "evidence": tuple(evidence), "source": "office-model"}
    clash = (f"；填报领域指向{filed_office}，文本指向{text_office}（{text_conf:.2f}）" if disagree else "")
    clash_en = (f"; the filed area says {filed_office}, the text {text_office} ({text_conf:.2f})" if disagree else "")
    coord = offices.coordinator
    if p1 < threshold:
        shown, bar = below(p1, threshold)
        return Routing(coord, p1, True, f"归口置信度 {shown} 低于 {bar}，交{coord}人工分办{clash}",
                       f"office confidence {shown} below {bar}{clash_en}", None, ranked, **extra)
    return Routing(first, p1, False, f"归口{area.area if area else first}（{p1:.2f}）{clash}",
                   f"owned by {(area.area_en or area.area) if area else first} ({p1:.2f}){clash_en}",
                   area.area if area else None, ranked, **extra)


def below(value: float, threshold: float) -> tuple[str, str]:
    """``value`` (cut, never rounded up) and ``threshold`` with as few decimals (2 to 4) as show the one
    below the other: "0.65 低于 0.79", and never "0.79 低于 0.79"."""
    for digits in (2, 3, 4):
        shown = f"{math.floor(value * 10 ** digits) / 10 ** digits:.{digits}f}"
        bar = f"{threshold:.{digits}f}"
        if float(shown) < float(bar):
            return shown, bar
    return f"{value:.6f}", f"{threshold:.6f}"
