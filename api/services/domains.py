"""Technology-domain labels (技术领域建议) and office routing, I/O side: suggestions for stored demands,
staff confirmations and corrections, the export.

The pure parts live in :mod:`matching.domains` (the classifier), :mod:`matching.routing` and :mod:`matching.taxonomy`.
:class:`DomainLabels` (one per process, built by the composition root) keeps one fitted classifier:
it is fitted on the round's texts (vocabulary) and every confirmed label, refitted when the round
grows, and told about each new staff decision at once (:meth:`~matching.domains.DomainClassifier.learn`),
so a correction changes the next suggestion for a near-identical demand without waiting for a refit.

Suggestions never change a demand by themselves. A staff decision is stored (who, when, what was
suggested), audited, and routes the demand: its 归口处室 becomes the office that owns the confirmed
domain. Office names come from the campaign file (its ``routing`` and ``coordinator_office``), the
domain → area mapping from ``offices.yaml`` beside the taxonomy, so there is one name per office.

Office first (with the shipped routing model, ``models/router``): the office is decided before the
domain, by :class:`~matching.office_model.TextRouter` (text → offices, pre-trained on public labelled
text) and :class:`~matching.office_model.FiledAreaCombiner` (the filed 技术领域 as a feature, its weight
learned from the whole round whenever the classifier refits — the background labelling job does that —:
from the filed areas' reliability estimated without labels on day one, from the confirmed offices once
there are enough); below ``office_threshold`` the demand goes to the coordinating office for a human. The
router's domain head, read under that office decision, is the classifier's day-one prior (a routed
demand's first domain is its office's); without a router (another taxonomy) zero-shot label names and the
old domain → office routing remain. Each demand text is normalised and cut by jieba once for all of it.
"""
from __future__ import annotations

import io
import logging
import threading
from functools import partial
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.errors import InvalidInput
from api.io.taxonomy_files import taxonomy_title
from api.io.writers import write_excel
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import all_demands, get_demand
from api.services.views import view_of_demand
from api.store import tables as db
import numpy as np

from matching.domains import DomainClassifier
from matching.office_model import FiledAreaCombiner, TextRouter
from matching.routing import Offices, Routing, route, route_office
from matching.taxonomy import Taxonomy
from matching.vocabulary import TechArea
from nlp.embed import Embedder
from nlp.evidence_words import ContentWords, as_written
from nlp.text import normalize
from nlp.tokenize import Tokenizer

log = logging.getLogger(__name__)

SHEET_NAME = "领域 domains"
EXPORT_COLUMNS = ["系统编号", "需求编号", "企业名称", "批次", "需求名称", "填报技术领域", "建议领域1", "概率1",
                  "建议领域2", "概率2", "建议领域3", "概率3", "建议归口处室", "处室置信度", "需人工判断", "原因",
                  "处内建议领域", "文本判断处室", "填报领域对应处室", "文本与填报不一致", "文本依据词", "依据词",
                  "已确认领域", "确认人"]
FALLBACK_OFFICE_THRESHOLD = 0.85  # a router fitted before the threshold rule carries none
REFIT_GROWTH, REFIT_MIN_NEW = 1.2, 50  # refit once the round has grown past 1.2 × its size at the fit + 50
DEFAULT_LEVEL = 2  # 52 技术领域 of the 2016 list: specific enough to route, broad enough to trust; staff
# decide at this level or below (a deeper code counts as its level-2 ancestor)


def campaign_offices(offices: Offices, campaign: CampaignContext) -> Offices:
    """``offices`` with the office names of the campaign file (one name per office in the whole service)."""
    rules = campaign.rules
    areas = []
    for a in offices.areas:
        try:
            name = rules.routing.get(TechArea(a.area), a.office)
        except ValueError:  # an area the campaign does not know keeps its own office
            name = a.office
        areas.append(replace(a, office=name))
    return replace(offices, coordinator=rules.coordinator_office, areas=tuple(areas))


class DomainLabels:
    """Per-process domain suggester over storage (see module docstring)."""

    def __init__(self, campaign: CampaignContext, taxonomy: Taxonomy, offices: Offices, embedder: Embedder,
                 tokenizer: Tokenizer, threshold: float = 0.5, router: TextRouter | None = None,
                 office_threshold: float | None = None, content_words: ContentWords | None = None):
        self.campaign = campaign
        self.taxonomy = taxonomy
        self.offices = campaign_offices(offices, campaign)
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.threshold = threshold
        # None: the router's own threshold (chosen on its training folds for a target auto accuracy)
        self.office_threshold = office_threshold if office_threshold is not None else (
            getattr(router, "office_threshold_", None) or FALLBACK_OFFICE_THRESHOLD)
        self.level = min(DEFAULT_LEVEL, taxonomy.depth)  # what is predicted (and learned); levels above sum it
        # the router's columns are offices.yaml's offices in order; it serves only the taxonomy it was fitted on
        self.router = router if router is not None and list(router.offices) == [a.office for a in offices.areas] else None
        self.office_names = [a.office for a in self.offices.areas]  # the campaign's names, router column order
        self.combiner = FiledAreaCombiner(n_offices=len(self.office_names))
        # evidence shown to staff: content words only (None: every word); the round's document frequencies
        # join the test at each fit (_fit_combiner), the router's columns get a mask of the words allowed
        self.content_words = content_words
        self._content = content_words
        self._evidence_mask = None if content_words is None or self.router is None else \
            content_words.mask(self.router.word_names_[:self.router.n_words_])
        level_codes = [n.code for n in taxonomy.at_level(self.level)]
        self._prior = None
        if self.router is not None and list(self.router.codes) == level_codes:
            owner = [self._office_column([n.code for n in taxonomy.path(c)]) for c in level_codes]
            self._prior = partial(self.router.office_first_log_proba, code_office=owner, normalized=True)
        self._model: DomainClassifier | None = None
        self._key: tuple[int, int] | None = None
        self._round: tuple[tuple, list[dict[str, Any]]] | None = None  # the last round's suggestions
        self._lock = threading.Lock()

    def _encode(self, texts: list[str]) -> Any:
        """The classifier's encoder: its texts are normalised already (once, for every view)."""
        return self.embedder.encode(texts, kind="passage", show_progress=False, normalized=True)

    def _state(self, session: Session) -> tuple[int, int]:
        demands = session.scalar(select(func.count(db.Demand.id)).where(db.Demand.campaign_id == self.campaign.id))
        last = session.scalar(select(func.max(db.DomainLabel.id)).where(
            db.DomainLabel.campaign_id == self.campaign.id, db.DomainLabel.taxonomy == self.taxonomy.name))
        return int(demands or 0), int(last or 0)

    def decisions(self, session: Session) -> dict[int, db.DomainLabel]:
        """The decision in force per demand (the newest)."""
        rows = session.scalars(select(db.DomainLabel).where(
            db.DomainLabel.campaign_id == self.campaign.id, db.DomainLabel.taxonomy == self.taxonomy.name)
            .order_by(db.DomainLabel.id))
        return {r.demand_id: r for r in rows}

    def model(self, session: Session) -> DomainClassifier:
        """The classifier, fitted on the round and every confirmed label. Refitted when a label was stored
        that it has not learned (another worker's decision; one made here was learned at once, see
        :meth:`decide`) or when the round has grown by a fifth since the fit (its vocabulary); a demand or
        two arriving at intake do not refit it, they are suggested with the model as it is."""
        with self._lock:
            state = self._state(session)
            fitted = self._key
            if (self._model is None or fitted is None or state[1] != fitted[1]
                    or state[0] > REFIT_GROWTH * fitted[0] + REFIT_MIN_NEW):
                demands = all_demands(session, self.campaign)
                decided = self.decisions(session)
                texts = [view_of_demand(d).matching_text for d in demands]
                labels = [decided[d.id].code if d.id in decided else None for d in demands]
                self._model = DomainClassifier(self.taxonomy, encoder=self._encode, tokenizer=self.tokenizer,
                                               level=self.level, threshold=self.threshold,
                                               prior=self._prior).fit(texts or [""], labels or [None])
                self._fit_combiner(demands, decided)
                self._key = state
                log.info("domain classifier fitted: %d demands, %d confirmed labels", len(texts),
                         sum(x is not None for x in labels))
            return self._model

    def _office_column(self, path: Sequence[str]) -> int:
        """The router column of the office owning a code's path (-1: none)."""
        area = self.offices.area_for(path)
        return -1 if area is None else self.offices.areas.index(area)

    def _filed_index(self, area: str | None) -> int:
        """The router column the filed 技术领域 leads to (-1: blank or not an area)."""
        return next((i for i, a in enumerate(self.offices.areas) if area and a.area == area), -1)

    def refit_office(self, session: Session) -> dict[str, Any]:
        """Refit the office model's filed-area weight from the round and its confirmed offices now (the
        background labelling job calls this); says how many confirmations it saw, the two weights and the
        filed areas' estimated reliability (``None`` once fitted on confirmations)."""
        with self._lock:
            self._fit_combiner(all_demands(session, self.campaign), self.decisions(session))
            self._round = None  # the cached queue was routed with the old weights
            weights = getattr(self.combiner, "weights_", self.combiner.default_weights)
            reliability = getattr(self.combiner, "reliability_", None)
            return {"confirmed": int(getattr(self.combiner, "n_examples_", 0)),
                    "text_weight": round(weights[0], 3), "filed_area_weight": round(weights[1], 3),
                    "filed_area_reliability": None if reliability is None else round(reliability, 3)}

    def _fit_combiner(self, demands: Sequence[db.Demand], decided: dict[int, db.DomainLabel]) -> None:
        """Learn the filed area's weight from the round: every demand's text and filed area, and the confirmed
        offices (the office each decision routed to); with few confirmations the filed areas' reliability is
        estimated from the unlabelled round (:class:`~matching.office_model.FiledAreaCombiner`)."""
        if self.router is None:
            return
        combiner = FiledAreaCombiner(n_offices=len(self.office_names))
        if demands:
            index = {o: i for i, o in enumerate(self.office_names)}
            y = [index.get(decided[d.id].office, -1) if d.id in decided else -1 for d in demands]
            x = self.router.transform([view_of_demand(d).matching_text for d in demands])
            combiner.fit(self.router.office_proba_x(x), [self._filed_index(d.area) for d in demands], y)
            self._round_words(x)
        self.combiner = combiner

    def _round_words(self, x: Any) -> None:
        """The evidence test with the round's document frequencies (``x``: the router's rows of every demand)."""
        if self.content_words is None:
            return
        n_words = self.router.n_words_
        docs = np.bincount(x[:, :n_words].tocsr().indices, minlength=n_words)
        seen = np.nonzero(docs)[0]
        self._content = self.content_words.for_round(
            {str(self.router.word_names_[j]): int(docs[j]) for j in seen}, x.shape[0])
        self._evidence_mask = self._content.mask(self.router.word_names_[:n_words])

    # ------------------------------------------------------------------ suggestions
    def suggest(self, session: Session, demands: Sequence[db.Demand], *, limit: int = 3,
                threshold: float | None = None, level: int | None = None) -> list[dict[str, Any]]:
        """Ranked domains with probabilities, abstention, evidence and routing for each demand."""
        if not demands:
            return []
        if level is not None and not 1 <= level <= self.level:
            raise InvalidInput(f"层级应为 1–{self.level}。", f"level must be 1–{self.level}.", {"level": level})
        model = self.model(session)
        level = level if level is not None else self.level
        texts = [normalize(view_of_demand(d).matching_text) for d in demands]
        words = [self.tokenizer.words(t, normalized=True) for t in texts]  # jieba once per demand, for every model
        n_codes = len(model.codes_) if level == self.level else len(self.taxonomy.at_level(level))
        offices, prior = self._office_routes(texts, words, demands)
        suggestions = model.suggest(texts, limit=max(limit, 3, n_codes if self.router else 0), threshold=threshold,
                                    level=level, words=words, normalized=True, prior_scores=prior)
        decided = self.decisions(session)
        out = []
        for i, (d, s) in enumerate(zip(demands, suggestions)):
            routing = route(s, self.offices) if offices is None or s.source == "memory" else offices(i)
            if s.source == "memory":  # a confirmed example answers: its office, as staff decided
                routing = replace(routing, source="memory")
            body = s.to_dict()
            evidence = self._content.keep(body["evidence"]) if self._content is not None else body["evidence"]
            body["evidence"] = list(as_written(evidence, texts[i]))
            for label in body["labels"]:
                owner = self.offices.area_for(label["path"])
                label["office"] = owner.office if owner is not None else None
            within = next((x for x in body["labels"] if x["office"] == routing.office), None)
            body["labels"] = body["labels"][:limit]
            decision = decided.get(d.id)
            route_body = routing.to_dict()
            route_body["domain"] = within  # the best domain the routed office owns (None: sent to a human)
            if route_body.get("evidence"):
                route_body["evidence"] = list(as_written(route_body["evidence"], texts[i]))
            out.append({"demand_id": d.id, "filed_area": d.area, "office": d.office, "suggestion": body,
                        "routing": route_body,
                        "decision": None if decision is None else {
                            "code": decision.code, "name": self._name(decision.code), "decision": decision.decision,
                            "actor": decision.actor, "decided_at": db.as_utc(decision.decided_at).isoformat()}})
        return out

    def _office_routes(self, texts: list[str], words: list[list[str]], demands: Sequence[db.Demand]) -> tuple[Any, Any]:
        """Office-first routing of each normalised text cut into ``words`` (``i → Routing``) and the domains'
        day-one scores under that office decision (text and filed area), or ``(None, None)`` without a router."""
        if self.router is None:
            return None, None
        x = self.router.transform(texts, words=words, normalized=True)
        text = self.router.office_proba_x(x)
        filed = [self._filed_index(d.area) for d in demands]
        combined = self.combiner.predict_proba(text, filed)
        prior = None if self._prior is None else self._prior(texts, words=words, office_proba=combined)

        def one(i: int) -> Routing:
            top = int(np.argmax(text[i]))
            return route_office(combined[i], self.office_names, self.offices, self.office_threshold,
                                text_proba=text[i], filed_office=self.office_names[filed[i]] if filed[i] >= 0 else None,
                                evidence=self.router.evidence_x(x, i, top, allowed=self._evidence_mask))
        return one, prior

    def _name(self, code: str) -> str:
        return self.taxonomy[code].name if code in self.taxonomy else code

    def suggest_round(self, session: Session, *, batch: str | None = None, limit: int = 3,
                      threshold: float | None = None, level: int | None = None) -> list[dict[str, Any]]:
        """Suggestions for the whole round or one 批次 in the review queue's order: undecided first, then those
        a human must route, then by office confidence and domain confidence, least confident first."""
        key = (self._state(session), batch, limit, threshold, level)
        if self._round is not None and self._round[0] == key:  # the console pages through the same queue
            return self._round[1]
        demands = [d for d in all_demands(session, self.campaign) if batch is None or d.batch == batch]
        out = self.suggest(session, demands, limit=limit, threshold=threshold, level=level)
        out.sort(key=lambda r: (r["decision"] is not None, not r["routing"]["needs_human"], r["routing"]["confidence"],
                                r["suggestion"]["confidence"], r["demand_id"]))
        self._round = (key, out)
        return out

    # ------------------------------------------------------------------ codes staff can choose
    def choices(self) -> list[dict[str, Any]]:
        """Every code staff may decide (the predicted level or deeper), its name and the office it leads to:
        the console's search by name shows these."""
        out = []
        for node in self.taxonomy:
            if node.level >= self.level:
                area = self.offices.area_for([n.code for n in self.taxonomy.path(node.code)])
                out.append({"code": node.code, "name": node.name, "level": node.level,
                            "office": area.office if area is not None else self.offices.coordinator})
        return out

    def find_code(self, text: str) -> str:
        """A code from what staff typed: the code itself, ``"code name …"`` (the search list's entry), or a
        part of one label's name. Ambiguous or unknown text is a bilingual 422 naming the candidates."""
        text = (text or "").strip()
        head = text.split()[0] if text else ""
        if head in self.taxonomy:
            return head
        hits = [c for c in self.choices() if text and text in c["name"]]
        exact = [c for c in hits if c["name"] == text]
        if len(exact) == 1 or len(hits) == 1:
            return (exact or hits)[0]["code"]
        names = "、".join(f"{c['code']} {c['name']}" for c in hits[:8])
        raise InvalidInput(f"“{text}”{'对应多个领域：' + names if hits else '不是分类体系中的代码或名称'}。",
                           f"'{text}' {'matches several domains' if hits else 'is no code or name of the taxonomy'}.",
                           {"text": text, "candidates": [c["code"] for c in hits[:8]]})

    # ------------------------------------------------------------------ decisions
    def decide(self, session: Session, demand_id: int, code: str, actor: str, note: str | None = None) -> dict[str, Any]:
        """Confirm (the code is the current top suggestion) or correct a demand's domain; stored, audited,
        learned at once, and the demand routed to the office that owns the domain."""
        if not code:
            raise InvalidInput("请选择或搜索一个领域后再确认。", "choose or search a domain before confirming.",
                               {"code": code})
        if code not in self.taxonomy or self.taxonomy[code].level < self.level:
            title = taxonomy_title(self.taxonomy.name)
            raise InvalidInput(f"分类体系“{title}”中没有第 {self.level} 层或更细的代码 {code}。",
                               f"code {code} is not a level-{self.level} (or deeper) code of {title}.",
                               {"code": code, "level": self.level})
        demand = get_demand(session, demand_id)
        current = self.suggest(session, [demand], limit=1)[0]
        top = current["suggestion"]["labels"][0] if current["suggestion"]["labels"] else None
        path = [n.code for n in self.taxonomy.path(code)]
        suggested_path = top["path"] if top else []
        kind = "confirm" if top is not None and (top["code"] == code or code in suggested_path) else "correct"
        area = self.offices.area_for(path)
        office = area.office if area is not None else self.offices.coordinator
        before = {"office": demand.office, "domain": current["decision"]["code"] if current["decision"] else None}
        row = db.DomainLabel(campaign_id=self.campaign.id, demand_id=demand.id, taxonomy=self.taxonomy.name,
                             code=code, decision=kind, suggested=top["code"] if top else None,
                             probability=top["probability"] if top else None, office=office, actor=actor,
                             note=(note or "").strip() or None)
        session.add(row)
        demand.office = db.clip(db.Demand, "office", office)
        append_audit(session, actor, f"domain.{kind}", "demand", demand.id, before,
                     {"office": office, "domain": code, "suggested": row.suggested})
        session.commit()
        with self._lock:  # learned now; the next model() call will not refit for this row
            if self._model is not None:
                self._model.learn([view_of_demand(demand).matching_text], [code])
                self._key = self._state(session)
        return {"demand_id": demand.id, "code": code, "name": self._name(code), "decision": kind, "office": office,
                "suggested": row.suggested, "decided_at": db.as_utc(row.decided_at).isoformat()}

    # ------------------------------------------------------------------ export
    def export_rows(self, session: Session, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """One row per demand: top-3 domains with probabilities, the office, the human flag (no personal data)."""
        out = []
        for r in rows:
            d = session.get(db.Demand, r["demand_id"])
            if d is None:
                continue
            labels = r["suggestion"]["labels"]
            routing = r["routing"]
            row = {"系统编号": d.id, "需求编号": d.external_id, "企业名称": d.enterprise.name, "批次": d.batch,
                   "需求名称": d.title, "填报技术领域": d.area, "建议归口处室": routing["office"],
                   "处室置信度": routing["confidence"], "需人工判断": "是" if routing["needs_human"] else "否",
                   "原因": routing["reason"], "依据词": "、".join(r["suggestion"]["evidence"]),
                   "处内建议领域": f"{routing['domain']['code']} {routing['domain']['name']}" if routing.get("domain") else "",
                   "文本判断处室": routing.get("text_office") or "", "填报领域对应处室": routing.get("filed_office") or "",
                   "文本与填报不一致": "是" if routing.get("disagreement") else "否",
                   "文本依据词": "、".join(routing.get("evidence") or ()),
                   "已确认领域": f"{r['decision']['code']} {r['decision']['name']}" if r["decision"] else "",
                   "确认人": r["decision"]["actor"] if r["decision"] else ""}
            for n in range(3):
                label = labels[n] if n < len(labels) else None
                row[f"建议领域{n + 1}"] = f"{label['code']} {label['name']}" if label else ""
                row[f"概率{n + 1}"] = label["probability"] if label else None
            out.append(row)
        return out

    def export_excel(self, session: Session, *, batch: str | None = None) -> bytes:
        buffer = io.BytesIO()
        rows = self.export_rows(session, self.suggest_round(session, batch=batch))
        write_excel({SHEET_NAME: pd.DataFrame(rows, columns=EXPORT_COLUMNS)}, buffer)
        return buffer.getvalue()

    def sheet(self, session: Session, campaign: CampaignContext) -> pd.DataFrame:
        """Report sheet builder (领域): suggestions for every stored demand."""
        rows = self.export_rows(session, self.suggest_round(session))
        return pd.DataFrame(rows, columns=EXPORT_COLUMNS)
