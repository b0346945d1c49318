"""The typed demand view: the one place where a form record (incoming or stored) becomes what the
core needs — normalised text per field, the combined texts each capability compares, enterprise
signals, organisation, region and domain.

Every text is normalised once here (:func:`nlp.text.normalize`); the core receives typed values
and arrays, never dicts keyed by Chinese form headers.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import ConfigDict, create_model

from api.forms.models import DemandRecord
from api.store import tables as db
from matching.conflicts import DemandParty
from nlp.names import group_root, org_key
from nlp.text import normalize

#: What a resubmission repeats: the fields compared for duplicates, in display order.
DUPLICATE_FIELDS: tuple[str, ...] = ("title", "publish_title", "description", "publish_content", "work_done")
#: What an expert or a solver institution is matched on, after the shown title.
MATCHING_FIELDS: tuple[str, ...] = ("publish_title", "description", "publish_content", "solver_requirements",
                                    "tech_field", "main_business")
#: What condensation groups demands by: the technical problem, not the enterprise's situation.
CONDENSE_FIELDS: tuple[str, ...] = ("description", "publish_content")
_TEXT_FIELDS = tuple(dict.fromkeys(DUPLICATE_FIELDS + MATCHING_FIELDS + CONDENSE_FIELDS))
_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True)
class FieldText:
    """Fields joined by newlines, and where each field sits in the joined text (for evidence)."""

    text: str
    spans: tuple[tuple[str, int, int], ...]  # (form header, start, end) in ``text``

    def locate(self, start: int, end: int) -> dict[str, Any]:
        """Offsets in the joined text → ``{field, start, end}`` inside that field's normalised value."""
        for name, s, e in self.spans:
            if s <= start < e or (start == e == s):
                return {"field": name, "start": start - s, "end": min(end, e) - s}
        return {"field": None, "start": start, "end": end}


@dataclass(frozen=True)
class DemandView:
    """One demand as the core sees it (personal values only as comparison keys, never shown)."""

    id: int | None
    title: str  # what staff see: 发榜需求名称, else 需求名称
    texts: dict[str, str]  # English field name → normalised text (non-empty fields only)
    enterprise: str
    org_key: str
    group_name: str | None
    region: str | None
    area: str | None  # 技术领域 as filed (the domain)
    investment: float | None = None  # 需求研发总投入（万元）
    avoid_orgs: tuple[str, ...] = ()
    phone: str | None = None
    email: str | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)  # English field name → form header
    sent: dict[str, str] = field(default_factory=dict, repr=False)  # the same fields exactly as submitted

    def joined(self, names: Sequence[str]) -> FieldText:
        """The named fields joined by newlines; a value repeated from an earlier field counted once."""
        parts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        pos = 0
        for name in names:
            value = self.texts.get(name, "")
            if not value or value in parts:
                continue
            spans.append((self.headers.get(name, name), pos, pos + len(value)))
            parts.append(value)
            pos += len(value) + 1
        return FieldText("\n".join(parts), tuple(spans))

    def as_sent(self, where: dict[str, Any]) -> dict[str, Any]:
        """A ``{field, start, end}`` place in a normalised field (:meth:`FieldText.locate`) turned into the
        same place in the field as it was submitted, with that text (full-width forms, traditional characters)."""
        name = next((n for n, h in self.headers.items() if h == where.get("field")), None)
        raw = self.sent.get(name or "", "")
        norm = self.texts.get(name or "", "")
        if not raw or not norm or where.get("start") is None:
            return where
        origin = origin_map(raw, norm)
        start, end = int(where["start"]), int(where["end"])
        if not 0 <= start < end <= len(norm):
            return where
        raw_start, raw_end = origin[start], origin[end - 1] + 1
        return {"field": where["field"], "start": raw_start, "end": raw_end, "text": raw[raw_start:raw_end]}

    @cached_property
    def duplicate_text(self) -> FieldText:
        """What the duplicate detector compares (:data:`DUPLICATE_FIELDS`)."""
        return self.joined(DUPLICATE_FIELDS)

    @cached_property
    def matching_text(self) -> str:
        """What experts and solver institutions are matched on: the shown title + :data:`MATCHING_FIELDS`."""
        return " ".join(p for p in [self.title, *(self.texts.get(n, "") for n in MATCHING_FIELDS)] if p)

    @cached_property
    def condense_text(self) -> str:
        """What condensation clusters and summarises: the shown title and :data:`CONDENSE_FIELDS`."""
        return "\n".join(dict.fromkeys(p for p in [self.title, *(self.texts.get(n, "") for n in CONDENSE_FIELDS)] if p))

    @property
    def signals(self) -> dict[str, str | None]:
        """Enterprise signals compared by the duplicate detector: org key, group root, phone, e-mail."""
        group = group_root(self.enterprise, self.group_name) if self.group_name else None
        return {"org": self.org_key or None, "group": group, "phone": self.phone, "email": self.email}

    @property
    def party(self) -> DemandParty:
        """The demand's side of conflict-of-interest checks."""
        return DemandParty(str(self.id), self.enterprise, self.group_name, self.region, self.avoid_orgs)


def origin_map(raw: str, norm: str) -> list[int]:
    """For each character of ``norm`` (= ``normalize(raw)``), the index in ``raw`` it comes from.

    Normalisation changes characters one by one (full-width → half-width, traditional → simplified) and
    folds white space, so the two texts align with few edits; characters it inserted map to the raw
    character before them."""
    from difflib import SequenceMatcher

    per_char = "".join(normalize(c) or " " for c in raw)  # one normalised piece per raw character, mostly 1:1
    owner = [i for i, c in enumerate(raw) for _ in (normalize(c) or " ")]
    origin = [0] * len(norm)
    for tag, a0, a1, b0, b1 in SequenceMatcher(None, per_char, norm, autojunk=False).get_opcodes():
        for k in range(b1 - b0):
            a = min(a0 + k, a1 - 1) if a1 > a0 else max(a0 - 1, 0)
            origin[b0 + k] = owner[min(a, len(owner) - 1)] if owner else 0
    return origin


def _clean(value: Any) -> str:
    return normalize(str(value)) if value not in (None, "") else ""


def view_of(record: DemandRecord, *, demand_id: int | None = None) -> DemandView:
    """The view of a validated form record (``demand_id`` once it is stored)."""
    fields = DemandRecord.model_fields
    texts = {name: text for name in _TEXT_FIELDS if (text := _clean(getattr(record, name)))}
    sent = {name: str(getattr(record, name)) for name in texts}
    phone = _DIGITS.sub("", str(record.contact_mobile or record.contact_phone or ""))
    email = str(record.contact_email or "").strip().lower()
    area = record.tech_area
    return DemandView(
        id=demand_id, title=_clean(record.publish_title) or _clean(record.title), texts=texts, sent=sent,
        enterprise=_clean(record.name), org_key=org_key(record.name, record.credit_code),
        group_name=_clean(record.group_name) or None, region=record.region,
        area=area.value if area is not None else None, investment=record.total_investment, avoid_orgs=tuple(record.avoid_orgs),
        phone=phone if len(phone) >= 7 else None, email=email if "@" in email else None,
        headers={name: fields[name].alias or name for name in texts})


#: What :func:`view_of` reads of a record.
_VIEW_READS = (*_TEXT_FIELDS, "publish_title", "title", "name", "credit_code", "group_name", "region", "tech_area",
               "total_investment", "avoid_orgs", "contact_mobile", "contact_phone", "contact_email")
#: A stored record read back for its view: only the fields the view reads, each through its own parser (types
#: and aliases of :class:`DemandRecord`). A stored record is what our intake wrote from a validated record
#: (``record_data``: ``model_dump(by_alias=True, mode="json")``), so the whole form's checks (hard limits,
#: the as-written notes, the other ~60 fields) passed when it was stored and do not change these values;
#: re-running them for every demand of a round was most of the time of loading a 5,000-demand round.
_StoredView = create_model("_StoredView", __config__=ConfigDict(populate_by_name=True, extra="ignore",
                                                                 str_strip_whitespace=True),
                           **{n: (DemandRecord.model_fields[n].annotation, DemandRecord.model_fields[n])
                              for n in dict.fromkeys(_VIEW_READS)})


def view_of_demand(demand: db.Demand) -> DemandView:
    """The view of a stored demand (the fields it reads of its stored record, read back as the form reads them)."""
    return view_of(_StoredView.model_validate(demand.record or {}), demand_id=demand.id)  # type: ignore[arg-type]
