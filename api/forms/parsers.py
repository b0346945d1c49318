"""Lenient parsers for form values as clerks type them: "1,200" / "1200万元" / "1.2亿", 2023/3/1 or
Excel dates, 是/否, lists joined by 、, enum values without quotes, "沈阳" for 沈阳市.

Each parser takes one raw cell value and returns the typed value (or None for a blank) or raises a
pydantic error with separate Chinese and English reasons (``ctx['zh']``, ``ctx['en']``).
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from pydantic_core import PydanticCustomError

from matching.vocabulary import (REGION_VALUES, Batch, DemandCategory, EconomicNature, ExpertCategory, Region,
                                 SolverType, TechArea, TechBasis, TechEnterpriseType)
from nlp.text import is_empty, normalize, split_list

_BLANKS = frozenset({"", "无", "-", "—", "--", "/", "nan", "none", "null", "n/a", "na", "暂无"})
_UNIT_TAIL = re.compile(r"(万元|万|元|人|名|个|%|％)$")
_EXCEL_EPOCH = date(1899, 12, 30)
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?)?\s*月?"
    r"(?:[ tT]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?秒?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TRUE = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "t", "对"})
_FALSE = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "f", "不是"})


def _invalid(value: Any, zh: str, en: str) -> PydanticCustomError:
    """A validation error carrying separate Chinese and English reasons (``ctx['zh']``, ``ctx['en']``)."""
    return PydanticCustomError("jiebang_value", "{zh} / {en}", {"zh": zh, "en": en, "value": str(value)})


def _is_blank(value: Any) -> bool:
    """Empty, or a word clerks write for "nothing" (无, 暂无, -, n/a …)."""
    return is_empty(value) or (isinstance(value, str) and normalize(value).lower() in _BLANKS)


def parse_text(value: Any) -> str | None:
    """Text exactly as submitted but for leading/trailing white space; blank → None; 1001.0 → '1001'.

    Nothing is normalised here (full-width forms and traditional characters are kept): the demand
    view normalises a copy for matching. A list, an object or true/false is not text: an error,
    never its Python spelling.
    """
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, (bool, list, tuple, set, dict)):
        raise _invalid(value, "应为文本，不能是列表、对象或真假值", "expected text, not a list, an object or true/false")
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def parse_required_text(value: Any) -> str:
    """:func:`parse_text` of a field the form requires: blank is refused as blank, not as "not text"."""
    text = parse_text(value)
    if text is None:
        raise _invalid(value, "必填，不能为空", "required; must not be blank")
    return text


#: Words that make a number an estimate or a bound (约500, 500左右, 1000万元以上): read as the number, and
#: reported (:func:`approximation`), never dropped silently.
_APPROX_HEAD = re.compile(r"^(大约|约|近)")
_APPROX_TAIL = re.compile(r"(左右|以上|以下|上下)$")


def approximation(value: Any) -> str | None:
    """The estimate words of a typed number ("约、左右"), or None for an exact value (or not text)."""
    if not isinstance(value, str):
        return None
    text = normalize(value).replace(" ", "")
    words = [m.group(1) for m in (_APPROX_HEAD.search(text), _APPROX_TAIL.search(text)) if m]
    return "、".join(words) or None


def parse_number(value: Any) -> float | None:
    """A number as clerks type it: 1,200 / 1200万元 / 1.2亿 (→ 12000, in 万元) / 45% ; blank → None.
    约500 / 500左右 / 1000万元以上 read as the number (:func:`approximation` tells the words)."""
    if isinstance(value, bool):
        raise _invalid(value, "应为数字", "expected a number")
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        return None if math.isnan(number) else number
    if _is_blank(value):
        return None
    text = _APPROX_HEAD.sub("", normalize(str(value)).replace(",", "").replace(" ", ""))
    text = _APPROX_TAIL.sub("", text)
    scale = 1.0
    if text.endswith(("亿元", "亿")):
        text, scale = text.removesuffix("元").removesuffix("亿"), 10000.0
    text = _UNIT_TAIL.sub("", text)
    try:
        number = float(text) * scale
    except ValueError:
        raise _invalid(value, f"无法识别为数字：{value}", f"not a number: {value}") from None
    if math.isnan(number) or math.isinf(number):
        raise _invalid(value, f"无法识别为数字：{value}", f"not a number: {value}")
    return number


def parse_count(value: Any) -> int | None:
    """A whole number (head counts): 12 / 12.0 / "12人"; blank → None."""
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise _invalid(value, f"应为整数：{value}", f"expected a whole number: {value}")
    return int(number)


def parse_bool(value: Any) -> bool | None:
    """是/否, 有/无, yes/no, 1/0, √/× → bool; blank → None."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = normalize(str(value)).lower()
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _BLANKS:
        return None
    raise _invalid(value, f"应填“是”或“否”：{value}", f"expected 是 (yes) or 否 (no): {value}")


def parse_datetime(value: Any) -> datetime | None:
    """2023-03-01, 2023/3/1, 2023年3月1日, 20230301, with optional time, Excel serial or datetime."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day numbers (1900 date system)
            return datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=float(value))
        raise _invalid(value, f"无法识别的日期：{value}", f"not a date: {value}")
    text = normalize(str(value))
    compact = _COMPACT_DATE.match(text)
    match = compact or _DATE.match(text)
    if match:
        parts = [int(p) if p else 0 for p in match.groups()]
        year, month, day = parts[0], parts[1], parts[2] or 1
        hour, minute, second = (parts[3:6] + [0, 0, 0])[:3] if not compact else (0, 0, 0)
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(value, f"无法识别的日期：{value}（示例：2023-03-01）",
                       f"not a date: {value} (e.g. 2023-03-01)") from None


def month_only(value: Any) -> bool:
    """True for a date typed with its year and month only ("2023年5月", "2023-05"): read as the 1st,
    and reported so the day is not taken for what the enterprise wrote."""
    if not isinstance(value, str):
        return False
    match = _DATE.match(normalize(value).strip())
    return bool(match) and match.group(3) is None and match.group(4) is None


def parse_date(value: Any) -> date | None:
    """Like :func:`parse_datetime`, keeping the day only."""
    stamp = parse_datetime(value)
    return stamp.date() if stamp else None


def parse_list(value: Any) -> list[str]:
    """Items joined by 、,，;； (or a list) → normalised, de-duplicated list; blank/无 → []."""
    if isinstance(value, (list, tuple, set)):
        items = [parse_text(v) for v in value]
    else:
        items = split_list(parse_text(value))
    out: list[str] = []
    for text in items:
        if text and text.lower() not in _BLANKS and text not in out:
            out.append(text)
    return out


def enum_text(value: Any) -> str | None:
    """A parsed value back as the form's text (an enum's value; blank → None), for storage columns."""
    if value is None:
        return None
    return str(getattr(value, "value", value)).strip() or None


def parse_credit_code(value: Any) -> str | None:
    """统一社会信用代码: upper case, no spaces (format is not enforced)."""
    text = parse_text(value)
    return text.upper().replace(" ", "").replace("-", "") if text else None


E = TypeVar("E", bound=Enum)


def _enum_key(text: str) -> str:
    return re.sub(r"[\s\"'“”‘’「」《》]", "", normalize(text)).lower()


def _enum_parser(enum: type[E], aliases: dict[str, E] | None = None):
    """A lenient parser for ``enum``: exact value, value without quotes/spaces, or a known alias."""
    lookup: dict[str, E] = {_enum_key(m.value): m for m in enum}
    lookup.update({_enum_key(k): v for k, v in (aliases or {}).items()})
    allowed = "、".join(m.value for m in enum)

    def parse(value: Any) -> E | None:
        if isinstance(value, enum):
            return value
        text = parse_text(value)
        member = lookup.get(_enum_key(text)) if text else None
        if member is None and _is_blank(value):
            return None
        if member is None:
            raise _invalid(value, f"“{value}”不是有效选项，可选：{allowed}",
                           f"'{value}' is not an allowed value; allowed: {allowed}")
        return member

    parse.__doc__ = f"Parse a {enum.__name__} leniently."
    return parse


def _enum_list_parser(enum: type[E], aliases: dict[str, E] | None = None):
    one = _enum_parser(enum, aliases)

    def parse(value: Any) -> list[E]:
        out: list[E] = []
        for item in parse_list(value):
            member = one(item)
            if member is not None and member not in out:
                out.append(member)
        return out

    return parse


parse_category = _enum_parser(DemandCategory, {"重大": DemandCategory.MAJOR, "重点": DemandCategory.KEY})
parse_basis = _enum_parser(TechBasis, {
    "无": TechBasis.NONE, "没有": TechBasis.NONE, "0%": TechBasis.NONE, "约0%": TechBasis.NONE,
    **{f"{p}%": TechBasis(f"约{p}%") for p in (30, 50, 70, 100)},
    **{str(p): TechBasis(f"约{p}%") for p in (30, 50, 70, 100)},
})
parse_nature = _enum_parser(EconomicNature, {
    "国有": EconomicNature.STATE, "国企": EconomicNature.STATE, "集体": EconomicNature.COLLECTIVE,
    "私营": EconomicNature.PRIVATE, "民营": EconomicNature.PRIVATE, "民营控股": EconomicNature.PRIVATE,
    "港澳台": EconomicNature.HK_MACAO_TAIWAN, "港澳台控股": EconomicNature.HK_MACAO_TAIWAN,
    "外商": EconomicNature.FOREIGN, "外资": EconomicNature.FOREIGN, "外资控股": EconomicNature.FOREIGN,
})
parse_tech_types = _enum_list_parser(TechEnterpriseType, {
    "高企": TechEnterpriseType.HIGH_TECH, "国家高新技术企业": TechEnterpriseType.HIGH_TECH,
    "科技型中小": TechEnterpriseType.SME, "雏鹰": TechEnterpriseType.GAZELLE,
    "瞪羚": TechEnterpriseType.GAZELLE, "独角兽": TechEnterpriseType.GAZELLE,
    "雏鹰瞪羚独角兽企业": TechEnterpriseType.GAZELLE, "瞪羚企业": TechEnterpriseType.GAZELLE,
    "雏鹰企业": TechEnterpriseType.GAZELLE, "独角兽企业": TechEnterpriseType.GAZELLE,
    "专精特新小巨人": TechEnterpriseType.LITTLE_GIANT, "小巨人": TechEnterpriseType.LITTLE_GIANT,
    "国家级专精特新小巨人企业": TechEnterpriseType.LITTLE_GIANT,
    "单项冠军": TechEnterpriseType.CHAMPION, "制造业单项冠军企业": TechEnterpriseType.CHAMPION,
})
parse_batch = _enum_parser(Batch, {
    "1": Batch.FIRST, "一": Batch.FIRST, "第1批": Batch.FIRST,
    "2": Batch.SECOND, "二": Batch.SECOND, "第2批": Batch.SECOND,
    "3": Batch.THIRD, "三": Batch.THIRD, "第3批": Batch.THIRD,
})
parse_area = _enum_parser(TechArea, {"新一代信息技术领域": TechArea.NEXT_GEN_IT, "信息技术": TechArea.NEXT_GEN_IT,
                                       "高新技术领域": TechArea.HIGH_TECH, "生物医药领域": TechArea.BIOMEDICINE,
                                       "农业领域": TechArea.AGRICULTURE, "社会发展领域": TechArea.SOCIAL})
parse_expert_category = _enum_parser(ExpertCategory, {
    "技术专家": ExpertCategory.TECHNICAL, "财务专家": ExpertCategory.FINANCIAL,
    "管理专家": ExpertCategory.MANAGEMENT})
parse_solver_type = _enum_parser(SolverType, {
    "大学": SolverType.UNIVERSITY, "高等院校": SolverType.UNIVERSITY, "高等学校": SolverType.UNIVERSITY,
    "院校": SolverType.UNIVERSITY, "科研机构": SolverType.INSTITUTE, "研究院所": SolverType.INSTITUTE,
    "研究院": SolverType.INSTITUTE, "研究所": SolverType.INSTITUTE})
_REGION_ALIASES = {r.value.removesuffix("市"): r.value for r in Region}
_REGION_ALIASES.update({"沈抚新区": Region.SHENFU.value, "沈抚改革创新示范区": Region.SHENFU.value,
                        "沈抚": Region.SHENFU.value})


def parse_region(value: Any) -> str | None:
    """A place name: Liaoning regions canonicalised ("沈阳" → "沈阳市"); other places kept as written.

    Out-of-province values are kept (not rejected) so the ``registered_in_province`` rule can
    report them by name.
    """
    text = parse_text(value)
    if text is None:
        return None
    key = normalize(text).replace(" ", "").removeprefix("辽宁省").removeprefix("辽宁") or text
    if key in REGION_VALUES or key in _REGION_ALIASES:
        return _REGION_ALIASES.get(key, key)
    # "沈阳市浑南区", "大连金普新区": the region is what the form asks for.
    for alias, region in _REGION_ALIASES.items():
        if key.startswith(region) or (key.startswith(alias) and len(key) > len(alias) + 1
                                      and key.endswith(("区", "县", "市"))):
            return region
    return text
