"""FastAPI dependencies: the services of the composition root, one DB session per request, the campaign.

Everything comes from ``request.app.state.services`` (set in the lifespan of :mod:`api.http.app`);
there are no module globals, so two apps with different settings live side by side.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy.orm import Session

from api.compose import Services
from api.config import Settings
from api.services.campaign import CampaignContext

# the largest row id a request may name (PostgreSQL's integer): a larger one is refused by validation, with the
# limit in the API's schema, not found out by the database
MAX_ID = 2**31 - 1

# a random seed as a request gives it: a whole number the random generators take (numpy and scikit-learn: < 2³²);
# strict, so true/false or 7e9 is refused with the field named instead of becoming 1 or failing inside a job
Seed = Annotated[int, Field(ge=0, le=2**32 - 1, strict=True)]

# a row id a request body names (a demand's 系统编号): 1 … MAX_ID, stated in the schema like the paths' ids
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


def reason_required_when(field: str, values: tuple[str, ...], reason: str) -> dict[str, Any]:
    """JSON Schema (``if``/``then``) saying what the service checks: ``reason`` must hold a non-blank character when
    ``field`` is one of ``values`` (a return or a refusal needs its reason) — documented, so a client, or a generator
    reading the schema, knows it before the 422."""
    return {"if": {"properties": {field: {"enum": list(values)}}, "required": [field]},
            "then": {"properties": {reason: {"type": "string", "pattern": r"\S"}}, "required": [reason]}}


def _whole_numbers(value: Any, depth: int = 4) -> Any:
    """``value`` with every whole float (3.0) as the int it is, in lists and objects too, ``depth`` levels down (no
    body nests deeper; what lies deeper is refused by its schema anyway — and a 1,000-deep array is not a stack
    overflow); true/false untouched."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if depth and isinstance(value, list):
        return [_whole_numbers(v, depth - 1) for v in value]
    if depth and isinstance(value, dict):
        return {k: _whole_numbers(v, depth - 1) for k, v in value.items()}
    return value


class RequestBody(BaseModel):
    """A JSON request body read as its OpenAPI schema says, strictly: true is not 1, 0 is not false, "0.5" is not a
    number — a value of the wrong type is refused with its field named, not turned into something the caller did not
    write. One allowance, JSON Schema's own: a whole number written 3.0 is the integer 3."""

    model_config = ConfigDict(strict=True, allow_inf_nan=False)  # Python's JSON reader takes NaN / Infinity

    @model_validator(mode="before")
    @classmethod
    def _whole(cls, data: Any) -> Any:
        return _whole_numbers(data)


def get_services(request: Request) -> Services:
    """The app's :class:`~api.compose.Services`."""
    return request.app.state.services


def get_settings(request: Request) -> Settings:
    """The app's :class:`Settings`."""
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """A session for this request; rolled back if the handler fails, always closed."""
    session: Session = get_services(request).session()
    try:
        yield session
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def get_campaign(request: Request) -> CampaignContext:
    """The campaign in force (rules + its storage row id), loaded once at start."""
    return get_services(request).campaign
