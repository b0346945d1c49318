"""Personal data and export helpers of the form models: which fields are personal, masking, and
turning a record into an export row with Chinese headers and clerk-readable values."""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from api.forms.models import DemandRecord, Expert

def personal_fields(model: type[BaseModel]) -> frozenset[str]:
    """English names of the fields of ``model`` that hold personal data."""
    return frozenset(name for name, info in model.model_fields.items()
                     if isinstance(info.json_schema_extra, dict) and info.json_schema_extra.get("personal"))


PERSONAL_FIELDS: frozenset[str] = personal_fields(DemandRecord)
EXPERT_PERSONAL_FIELDS: frozenset[str] = personal_fields(Expert)
REDACTED = "***"


def redact(data: dict[str, Any], model: type[BaseModel] = DemandRecord) -> dict[str, Any]:
    """A copy of ``data`` (English or Chinese keys) with personal values replaced by ``***``."""
    hidden = personal_fields(model)
    hidden_aliases = {model.model_fields[n].alias for n in hidden}
    return {k: (REDACTED if (k in hidden or k in hidden_aliases) and v not in (None, "") else v)
            for k, v in data.items()}


def headers(model: type[BaseModel]) -> list[str]:
    """The Chinese column headers of ``model`` in form order."""
    return [info.alias or name for name, info in model.model_fields.items()]


def export_value(value: Any) -> Any:
    """A field value as a clerk reads it in a sheet: enums → text, bool → 是/否, lists joined by 、."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(export_value(v)) for v in value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds") if (value.hour or value.minute or value.second) \
            else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_row(record: BaseModel, *, redact_personal: bool = False) -> dict[str, Any]:
    """A record as an export row: Chinese headers in form order, clerk-readable values; a value typed as an
    estimate or a month-only date (``约500``, ``2023年5月``) as it was typed, so the export re-imports the same."""
    model = type(record)
    hidden = personal_fields(model) if redact_personal else frozenset()
    typed = getattr(record, "as_written", {})
    row: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = getattr(record, name)
        if name in hidden and value not in (None, ""):
            value = REDACTED
        header = info.alias or name
        row[header] = typed[header] if header in typed and name not in hidden else export_value(value)
    return row
