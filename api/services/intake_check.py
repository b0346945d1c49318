"""Re-running the intake steps over every stored demand (``jiebang check``, ``POST /check``): the rules or
the duplicate model may have changed since the demands came in."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from api.forms.models import DemandRecord
from api.services.audit import append_audit
from api.services.campaign import CampaignContext
from api.services.demands import all_demands
from api.services.finding_rows import CHECK_STATUSES
from api.services.intake import (DEFAULT_INTAKE_STEPS, IntakeItem, IntakeStep, earlier_demands_of,
                                 run_steps)
from api.services.progress import progress
from api.store.locks import intake_lock
from api.store.uow import unit_of_work


@dataclass
class CheckReport:
    """Result of re-running the rules over stored demands."""

    demands: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    findings_by_rule: dict[str, int] = field(default_factory=dict)
    changed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_all(session: Session, campaign: CampaignContext, *, actor: str,
              steps: Sequence[IntakeStep] = DEFAULT_INTAKE_STEPS, show_progress: bool = False) -> CheckReport:
    """Re-run the intake steps on every stored demand (the rules may have changed); one transaction."""
    report = CheckReport()
    statuses: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    with unit_of_work(session):
        intake_lock(session, campaign.id)  # the same lock order as intake (rows it rewrites are also intake's)
        for demand in progress(all_demands(session, campaign), show_progress, "检查规则 checking rules"):
            before = sorted((f.rule_id, f.severity) for f in demand.findings)
            item = IntakeItem(record=DemandRecord.model_validate(demand.record), data=demand.record,
                              demand=demand, existing_demand_count=earlier_demands_of(session, demand))
            rows = run_steps(session, campaign, item, steps)
            if sorted((f.rule_id, f.severity) for f in rows) != before:
                report.changed += 1
                append_audit(session, actor, "check", "demand", demand.id, {"findings": [b[0] for b in before]},
                             {"findings": [f.rule_id for f in rows]})
            statuses[demand.check_status] += 1
            rules.update(f.rule_id for f in rows)
            report.demands += 1
    report.by_status = {s: statuses.get(s, 0) for s in CHECK_STATUSES}
    report.findings_by_rule = dict(sorted(rules.items()))
    return report
