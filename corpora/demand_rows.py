"""Hand-made, rule-clean demand rows (Chinese headers) made up on demand: the tests' fixtures and the load
and import benchmarks' traffic share this one generator (the real sample is corpora/samples)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

AREAS = ("高新技术", "新一代信息技术", "生物医药", "农业", "社会发展")
REGIONS = ("沈阳市", "大连市", "鞍山市", "锦州市")
CONTACT_NAME = "王晓明"
CONTACT_MOBILE = "13912345678"


def credit_code(n: int) -> str:
    """A 统一社会信用代码 of enterprise ``n`` with a correct GB 32100 check character."""
    from matching.identifiers import credit_check_char

    first = f"91210100TE{n:07d}"
    return first + credit_check_char(first)


def make_row(n: int, **overrides: Any) -> dict[str, Any]:
    """A rule-clean flat row (Chinese headers) for enterprise ``n``; override any header."""
    row: dict[str, Any] = {
        "需求编号": f"T-{n:03d}", "批次": "第一批", "初审单位": "沈阳市科学技术局", "提交时间": "2023-01-15",
        "企业名称": f"辽宁测试{n}号装备制造有限公司", "统一社会信用代码": credit_code(n),
        "注册地区": REGIONS[n % len(REGIONS)], "科技企业性质": "高新技术企业", "独立法人": "是",
        "近三年信用不良记录": "否", "上年度销售收入(万元)": 8000, "上年度研发费用(万元)": 600,
        "联系人姓名": CONTACT_NAME, "联系人手机": CONTACT_MOBILE, "联系人电子邮箱": "wxm@example.cn",
        "需求类别": "重大需求", "需求名称": f"第{n}号高端轴承精密加工关键技术",
        "技术领域": AREAS[n % len(AREAS)], "需求描述": f"面向风电主轴的第{n}号大型轴承精密磨削工艺研究。",
        "需求研发总投入(万元)": 1200,
    }
    row.update(overrides)
    return row


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as JSON Lines (UTF-8)."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path
