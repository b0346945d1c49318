"""Organisation names reduced to a matching key (企业名称归一化).

Platform exports spell the same enterprise differently: "沈阳新松机器人自动化股份有限公司",
"新松机器人自动化有限公司", "（辽宁）新松机器人". :func:`normalize_org_name` strips legal-form
suffixes, province/city prefixes, brackets and punctuation so such spellings compare equal;
:func:`org_key` prefers the 统一社会信用代码 when there is one. Pure functions, no I/O.
"""
from __future__ import annotations

import re

from nlp.text import normalize

# Legal-form suffixes, longest first; stripped repeatedly from the end ("集团有限公司").
_SUFFIXES = (
    "股份有限公司", "有限责任公司", "股份合作公司", "有限公司", "股份公司", "控股集团", "集团公司",
    "总公司", "集团", "公司", "控股",
)
_PROVINCE = ("辽宁省", "辽宁")
_CITIES = (
    "沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳",
    "葫芦岛",
)
# Longest first so "沈阳市" wins over "沈阳".
_PREFIXES = tuple(sorted(
    ("中国", *_PROVINCE, *(c + "市" for c in _CITIES), *_CITIES, "沈抚示范区", "沈抚新区", "沈抚改革创新示范区"),
    key=len, reverse=True))
_PLACES = frozenset(p.removesuffix("市").removesuffix("省") for p in _PREFIXES) | frozenset(_PREFIXES)
# After a city: a district/county name such as 浑南区, 甘井子区, 瓦房店市, 新民市.
_DISTRICT = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:区|县)")
_BRACKETS = re.compile(r"[（(\[【〔]([^）)\]】〕]*)[）)\]】〕]")
_NOT_NAME = re.compile(r"[^0-9a-z\u4e00-\u9fff]")
# Strip a prefix only when enough remains to identify the organisation ("沈阳机床" stays).
MIN_REMAINDER = 4
# Public institutions are named after their place ("大连理工大学" ≠ "沈阳理工大学"): keep it.
_INSTITUTION = ("大学", "学院", "学校", "医院", "研究所", "研究院")


def normalize_org_name(name: str | None) -> str:
    """Canonical form of an organisation name for matching ('' for blank input)."""
    text = normalize(name).lower()
    if not text:
        return ""
    # Bracketed place names ("华为技术(大连)有限公司", "(集团)") go; other bracket text stays.
    text = _BRACKETS.sub(lambda m: "" if _is_noise(m.group(1)) else m.group(1), text)
    text = _NOT_NAME.sub("", text)
    text = _strip_suffixes(text)
    text = _strip_prefixes(text)
    return _strip_suffixes(text)


def org_key(name: str | None, credit_code: str | None = None) -> str:
    """Identity key of an enterprise: ``credit:<code>`` when a credit code is given, else ``name:<normalised>``."""
    code = normalize(credit_code).upper().replace(" ", "")
    if code:
        return f"credit:{code}"
    return f"name:{normalize_org_name(name)}"


def enterprise_key(name: str | None, credit_code: str | None = None, region: str | None = None) -> str:
    """Identity of an enterprise in storage: ``credit:<code>`` when a credit code is given; else the
    normalised name AND the region (``name:云图科技@沈阳市``), because 沈阳云图科技 and 大连云图科技 are
    different firms once their city is stripped. A name that is a group (``云图科技集团``) keeps that mark
    (``name:云图科技#集团@鞍山市``): a group is not its subsidiary. Same-name firms of other regions are
    for a human to judge, never merged here."""
    if normalize(credit_code):
        return org_key(name, credit_code)
    base = org_key(name)
    group = "#集团" if "集团" in normalize(name) and "集团" not in base else ""
    return f"{base}{group}@{normalize(region)}"


def same_name_prefixes(name: str | None) -> tuple[str, str]:
    """Key prefixes of :func:`enterprise_key` shared by every credit-code-less firm of this normalised name
    (any region, group or not): how intake finds a possible same firm to report."""
    base = org_key(name)
    return f"{base}@", f"{base}#"


def group_root(name: str | None, group_name: str | None = None) -> str:
    """The group an organisation belongs to: its 集团名称 if given, else the part before 集团 in its name."""
    source = group_name or name
    raw = normalize(source).lower()
    if "集团" in raw:
        raw = raw.split("集团", 1)[0]
    return normalize_org_name(raw) or normalize_org_name(source)


def same_group(a: str | None, b: str | None, *, group_a: str | None = None,
               group_b: str | None = None) -> bool:
    """True when two organisations look like members of one group ("鞍钢股份" / "鞍钢集团矿业")."""
    root_a, root_b = group_root(a, group_a), group_root(b, group_b)
    if not root_a or not root_b:
        return False
    if root_a == root_b:
        return True
    short, other = sorted((root_a, root_b), key=len)
    long_name = normalize_org_name(b if other == root_b else a)
    return len(short) >= 2 and (other.startswith(short) or long_name.startswith(short))


def _is_noise(inner: str) -> bool:
    inner = _NOT_NAME.sub("", normalize(inner))
    return not inner or inner in _PLACES or inner in {"集团", "中国", "有限", "有限公司", "股份"}


def _strip_suffixes(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
                changed = True
                break
    return text


def _strip_prefixes(text: str) -> str:
    if text.endswith(_INSTITUTION):
        return text
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) - len(prefix) >= MIN_REMAINDER:
                rest = text[len(prefix):]
                if prefix not in ("中国", *_PROVINCE):
                    district = _DISTRICT.match(rest)
                    if district and len(rest) - district.end() >= MIN_REMAINDER:
                        rest = rest[district.end():]
                text = rest
                changed = True
                break
    return text
