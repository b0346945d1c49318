"""A submitted demand record validated into :class:`~api.forms.models.DemandRecord`, and pydantic's validation
errors as callers read them: the field, a Chinese and an English reason, never the submitted value."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from api.errors import InvalidInput
from api.forms.models import DemandRecord


def parse_record(payload: dict[str, Any], context: dict[str, Any] | None = None) -> DemandRecord:
    """Validate a dict into a ``DemandRecord``; errors become :class:`InvalidInput` with field reasons."""
    try:
        return DemandRecord.model_validate(payload, context=context)
    except ValidationError as exc:
        raise InvalidInput("需求记录校验未通过，请按提示修改后重新提交。",
                           "The demand record is invalid; fix the listed fields and resubmit.",
                           validation_details(exc.errors())) from None


def validation_details(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """pydantic/FastAPI validation errors as ``{field, message_en, type}`` without the input values."""
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        ctx = err.get("ctx") or {}
        out.append({"field": ".".join(loc), "type": err.get("type"),
                    "message_zh": str(ctx.get("zh") or _zh_validation(err.get("type", ""))),
                    "message_en": str(ctx.get("en") or err.get("msg"))})
    return out


_ZH_TYPES = {
    "missing": "缺少必填项", "string_type": "应为文本", "int_parsing": "应为整数", "float_parsing": "应为数字",
    "enum": "取值不在允许范围内", "literal_error": "取值不在允许范围内", "string_too_long": "文字超出长度限制",
    "date_parsing": "日期格式不正确", "datetime_parsing": "时间格式不正确", "json_invalid": "JSON 格式不正确",
    "model_attributes_type": "应为对象（键值对）", "dict_type": "应为对象（键值对）",
    "extra_forbidden": "不能填写或修改这一项",
}


def _zh_validation(kind: str) -> str:
    return _ZH_TYPES.get(kind, "取值不正确")
