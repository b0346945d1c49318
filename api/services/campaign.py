"""The campaign in force: its rule file read and validated, and its ``campaigns`` row in storage."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.errors import ConfigError
from api.forms.models import FIELD_BY_HEADER
from api.services.audit import SYSTEM_ACTOR, append_audit
from api.store import tables as db
from matching.campaign import CampaignConfig


@dataclass(frozen=True)
class CampaignContext:
    """The campaign in force: its rule configuration and its storage row id."""

    rules: CampaignConfig
    id: int
    code: str


def read_campaign_file(path: str | Path) -> CampaignConfig:
    """Read and validate a campaign file (YAML or JSON) against the form's headers."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"无法读取征集活动配置文件：{path}", f"cannot read campaign file: {path}",
                           {"path": str(path), "error": str(exc)}, code="campaign_invalid") from exc
    try:
        data: Any = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        return CampaignConfig.parse(data, FIELD_BY_HEADER)
    except (yaml.YAMLError, json.JSONDecodeError, ValidationError) as exc:
        details = exc.errors(include_url=False) if isinstance(exc, ValidationError) else str(exc)
        raise ConfigError(f"征集活动配置文件有误：{path}", f"invalid campaign file: {path}",
                           {"path": str(path), "errors": json.loads(json.dumps(details, default=str))},
                           code="campaign_invalid") from exc


def load_campaign(session: Session, campaign_file: Path) -> CampaignContext:
    """Load the campaign file and make sure it has a ``campaigns`` row (created on first use)."""
    rules = read_campaign_file(campaign_file)
    code = str(rules.id or Path(campaign_file).stem)
    name = str(rules.name or code)
    row = session.scalar(select(db.Campaign).where(db.Campaign.code == code))
    config = rules.model_dump(mode="json")
    if row is None:
        try:
            row = db.Campaign(code=code, name=name, config=config)
            session.add(row)
            session.flush()
            append_audit(session, SYSTEM_ACTOR, "create", "campaign", row.id, None, {"code": code, "name": name})
            session.commit()
        except IntegrityError:  # another worker starting at the same moment made it: use theirs
            session.rollback()
            row = session.scalar(select(db.Campaign).where(db.Campaign.code == code))
            if row is None:
                raise
    if row.config != config:
        before = {"config": row.config}
        row.config, row.name = config, name
        append_audit(session, SYSTEM_ACTOR, "update", "campaign", row.id, before, {"config": config})
        session.commit()
    return CampaignContext(rules=rules, id=row.id, code=code)
