"""Closed vocabularies of the official 揭榜挂帅 form (需求类别, 技术领域, 批次, 地区 …) and rule severities.

Domain terms, not I/O: the form parsers in ``api/forms`` read clerk input into these values, and
the campaign rules (:mod:`matching.campaign`, :mod:`matching.rules`) are written against them.
"""
from __future__ import annotations

from enum import Enum


class DemandCategory(str, Enum):
    """需求类别: 重大需求 (invest ≥1000万元) or 重点需求 (400–1000万元)."""

    MAJOR = "重大需求"
    KEY = "重点需求"


class TechBasis(str, Enum):
    """技术基础: how much of the technology the enterprise already has."""

    NONE = "基本没有"
    P30 = "约30%"
    P50 = "约50%"
    P70 = "约70%"
    P100 = "约100%"


class EconomicNature(str, Enum):
    """经济性质 of the enterprise."""

    STATE = "国有控股"
    COLLECTIVE = "集体控股"
    PRIVATE = "私营控股"
    HK_MACAO_TAIWAN = "港澳台商控股"
    FOREIGN = "外商控股"
    OTHER = "其他"


class TechEnterpriseType(str, Enum):
    """科技企业性质 (an enterprise may have several)."""

    SME = "科技型中小企业"
    HIGH_TECH = "高新技术企业"
    GAZELLE = "雏鹰瞪羚独角兽"
    LITTLE_GIANT = '国家级专精特新"小巨人"'
    CHAMPION = "制造业单项冠军"


class Region(str, Enum):
    """注册地区: the 14 cities of Liaoning and 沈抚示范区 (also the 初审单位 of a region)."""

    SHENYANG = "沈阳市"
    DALIAN = "大连市"
    ANSHAN = "鞍山市"
    FUSHUN = "抚顺市"
    BENXI = "本溪市"
    DANDONG = "丹东市"
    JINZHOU = "锦州市"
    YINGKOU = "营口市"
    FUXIN = "阜新市"
    LIAOYANG = "辽阳市"
    PANJIN = "盘锦市"
    TIELING = "铁岭市"
    CHAOYANG = "朝阳市"
    HULUDAO = "葫芦岛市"
    SHENFU = "沈抚示范区"


class Batch(str, Enum):
    """批次 of the campaign."""

    FIRST = "第一批"
    SECOND = "第二批"
    THIRD = "第三批"


class TechArea(str, Enum):
    """技术领域 of a demand; decides the responsible office (see campaign routing)."""

    HIGH_TECH = "高新技术"
    NEXT_GEN_IT = "新一代信息技术"
    BIOMEDICINE = "生物医药"
    AGRICULTURE = "农业"
    SOCIAL = "社会发展"


class ExpertCategory(str, Enum):
    """专家类别."""

    TECHNICAL = "技术"
    FINANCIAL = "财务"
    MANAGEMENT = "管理"


class SolverType(str, Enum):
    """单位类型 of a solver (揭榜方)."""

    UNIVERSITY = "高校"
    INSTITUTE = "科研院所"
    ENTERPRISE = "企业"


class Severity(str, Enum):
    """How serious a rule finding is."""

    ERROR = "error"
    WARNING = "warning"


REGION_VALUES: frozenset[str] = frozenset(r.value for r in Region)
