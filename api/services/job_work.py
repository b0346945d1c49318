"""The work of each background job kind (:data:`api.services.jobs.KINDS`): a function of its own session and a
progress callback, built from the capability and the validated parameters of its direct endpoint."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.services.campaign import CampaignContext
from api.services.bulk_intake import PureStep
from api.services.imports import import_demands, import_people
from api.services.intake import IntakeItem, IntakeStep
from api.services.jobs import Progress, Work


def import_work(path: Path, kind: str, campaign: CampaignContext, *, actor: str, source: str,
                steps: Sequence[IntakeStep], context: dict[str, Any], region: str | None = None,
                allow_enterprise_change: bool = False) -> Work:
    """Import an uploaded file (``kind``: demands | experts | expert_reviews | solvers) as one transaction.

    Progress counts the demands as intake stores them (the number of rows is known once it is read)."""

    def work(session: Session, progress: Progress) -> dict[str, Any]:
        progress("read", 0, 0)
        if kind != "demands":
            return import_people(session, path, kind, actor=actor, source=source, context=context).to_dict()
        counted, total = [0], [0]

        def count(session: Session, campaign: CampaignContext, item: IntakeItem) -> list[Any]:
            counted[0] += 1
            progress("import", counted[0], total[0])
            return []

        def read(rows: int) -> None:
            total[0] = rows
            progress("import", 0, rows)

        return import_demands(session, campaign, path, actor=actor, steps=(*steps, PureStep(count)), context=context,
                              source=source, region=region, on_read=read,
                              allow_enterprise_change=allow_enterprise_change).to_dict()

    return work


def import_from_spec(services: Any, spec: dict[str, Any]) -> Work:
    """:func:`import_work` from what a queued job stores (any worker rebuilds it: PostgreSQL job claims):
    ``{path, kind, actor, source, region, allow_enterprise_change}``; the rest comes from ``services``."""
    return import_work(Path(spec["path"]), spec["kind"], services.campaign, actor=spec["actor"], source=spec["source"],
                       steps=services.intake_steps, context=services.settings.validation_context,
                       region=spec.get("region"), allow_enterprise_change=bool(spec.get("allow_enterprise_change")))


def dedup_work(dedup_runs: Any, *, batch: str | None, min_verdict: str, actor: str) -> Work:
    """A batch de-duplication run (:meth:`api.services.dedup_runs.DedupRuns.run`), stored as the latest run."""

    def work(session: Session, progress: Progress) -> dict[str, Any]:
        progress("dedup", 0, 1)
        out = dedup_runs.run(session, batch=batch, min_verdict=min_verdict, actor=actor)
        progress("dedup", 1, 1)
        return {"batch": out["batch"], "min_verdict": out["min_verdict"], "demands": out["demands"],
                "run_at": out["run_at"], "groups": len(out["groups"])}

    return work


def condense_work(condensation: Any, *, actor: str, **params: Any) -> Work:
    """A condensation run (:meth:`api.services.condense.Condensation.run`) with its stages as progress."""

    def work(session: Session, progress: Progress) -> dict[str, Any]:
        return condensation.run(session, actor=actor, progress=progress, **params)

    return work


def panels_work(panels: Any, campaign: CampaignContext, *, actor: str, **params: Any) -> Work:
    """A panel assignment run (:meth:`api.services.panels.PanelAssignment.assign`); an infeasible round
    fails the job with the constraints that cannot be met in its error details."""

    def work(session: Session, progress: Progress) -> dict[str, Any]:
        progress("solve", 0, 1)
        out = panels.assign(session, campaign, actor=actor, **params)
        progress("solve", 1, 1)
        return out

    return work


def domains_work(domains: Any, *, actor: str, batch: str | None, limit: int = 3, threshold: float | None = None,
                 level: int | None = None) -> Work:
    """Labelling a batch (:meth:`api.services.domains.DomainLabels.suggest_round`): the classifier is fitted
    on the round and its confirmed labels, the office model's filed-area weight is refitted from the confirmed
    offices, every demand gets its suggestion; the result counts them per office and says how many need a
    human (suggestions are shown, never written onto demands)."""

    def work(session: Session, progress: Progress) -> dict[str, Any]:
        progress("fit", 0, 1)
        domains.model(session)
        office = domains.refit_office(session)
        progress("suggest", 0, 1)
        rows = domains.suggest_round(session, batch=batch, limit=limit, threshold=threshold, level=level)
        progress("suggest", 1, 1)
        offices: dict[str, int] = {}
        for r in rows:
            offices[r["routing"]["office"]] = offices.get(r["routing"]["office"], 0) + 1
        return {"batch": batch, "demands": len(rows), "needs_human": sum(r["routing"]["needs_human"] for r in rows),
                "decided": sum(r["decision"] is not None for r in rows), "by_office": offices, "office_model": office}

    return work
