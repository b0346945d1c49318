"""How a submission applies to a stored demand (same 需求编号): the fields it carries replace the stored
ones and the others are kept, unless a full replace is asked for; the changed fields are named (#23).
A check that an update may apply at all (say, a version the caller read) sits beside :func:`apply_update`."""
from __future__ import annotations

from typing import Any

from api.forms.models import AS_WRITTEN, DemandRecord


def record_data(record: Any) -> dict[str, Any]:
    """The record as a JSON-safe dict keyed by the Chinese form headers (with :data:`AS_WRITTEN`, the text
    of values typed as estimates or month-only dates, when there are such)."""
    data = record.model_dump(by_alias=True, mode="json")
    if getattr(record, "as_written", None):
        data[AS_WRITTEN] = dict(sorted(record.as_written.items()))
    return data


def carried_fields(record: DemandRecord) -> set[str]:
    """The headers a submission carried (columns of its file, keys of its JSON), blank ones included:
    what an update may change. A field left out is not a field to blank."""
    fields = DemandRecord.model_fields
    return {fields[name].alias or name for name in record.model_fields_set}


def apply_update(stored: dict[str, Any], record: DemandRecord, *, replace: bool = False,
                 context: dict[str, Any] | None = None) -> tuple[DemandRecord, list[str]]:
    """What a submission for a stored demand (same 需求编号) makes of it, and the headers that change.

    By default only the fields the submission carried replace the stored ones; the others are kept.
    ``replace`` (``--replace``, ``mode=replace``) takes the submission as the whole record instead."""
    if replace:
        merged = record
    else:
        carried = carried_fields(record)
        new = record_data(record)
        data = {k: v for k, v in stored.items() if k not in carried and k != AS_WRITTEN}
        data.update({k: v for k, v in new.items() if k in carried})
        kept = {k: v for k, v in (stored.get(AS_WRITTEN) or {}).items() if k not in carried}
        data[AS_WRITTEN] = {**kept, **record.as_written}
        merged = DemandRecord.model_validate(data, context=context)
    after = record_data(merged)
    changed = [h for h in dict.fromkeys([*after, *stored]) if after.get(h) != stored.get(h)]
    return merged, changed
