"""A staff-shaped round of technical demands built from csl/{split}.jsonl: the one builder of the ``round``
(issue 18) and ``routing`` (issue 19) benchmarks.

Only the disciplines an enterprise would file a technical demand in: those ``technical: true`` in
``corpora/taxonomy/disciplines.yaml`` (engineering, the sciences, medicine, agriculture). A demand's true
area (技术领域) is the area whose office is its discipline's primary office in that file (``offices.yaml``
names each office's area), so the routing benchmark's right office and the round's area agree. Each paper
becomes one demand: its title the 需求名称, its abstract the 需求描述. Enterprises are invented: about a
fifth file a second demand (preferably in the same discipline, as real enterprises do), a few belong to
a group (集团名称) with a sister company. The filed 技术领域 is the discipline's true area, except wrong
for ``wrong`` of the demands and blank for ``blank`` of them (as staff see it: 技术领域 filed carelessly).

Pure and seeded: the same records and seed give the same rows in the same order. The rows are the
import's flat table (Chinese headers), ready for :func:`write_round` and the real import.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from matching.disciplines import DisciplineMap
from matching.identifiers import credit_check_char
from matching.routing import Offices

AREAS: tuple[str, ...] = ("高新技术", "新一代信息技术", "生物医药", "农业", "社会发展")
REGIONS = ("沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市",
           "盘锦市", "铁岭市", "朝阳市", "葫芦岛市")
BATCHES = (("第一批", "2023-01-20"), ("第二批", "2023-02-20"), ("第三批", "2023-03-20"))
_NAME_HEADS = ("华", "盛", "辽", "东", "北", "鑫", "泰", "恒", "宏", "远", "瑞", "金", "龙", "新", "博", "源", "海", "天",
               "中", "正", "安", "嘉", "德", "通")
_NAME_TAILS = ("科技", "技术", "材料", "装备", "生物", "工业", "智能", "新能源", "精工", "实业")


@dataclass(frozen=True)
class RoundDemand:
    """One demand of the built round: the import row and what the benchmark knows about it."""

    row: dict[str, Any]        # the import's flat row (Chinese headers)
    discipline: str            # gold topic
    true_area: str             # the area its discipline belongs to (the filed 技术领域 may differ)
    filed: str                 # "right", "wrong" or "blank"
    office: str = ""           # the discipline's primary office (the routing benchmark's right answer)

    @property
    def external_id(self) -> str:
        return self.row["需求编号"]


def discipline_offices(mapping: DisciplineMap, offices: Offices) -> dict[str, tuple[str, str]]:
    """Technical discipline → ``(primary office, its area)`` from the mapping file and ``offices.yaml``."""
    area_of = {a.office: a.area for a in offices.areas}
    return {name: (d.office, area_of[d.office]) for name, d in mapping.disciplines.items() if d.technical}


def default_discipline_offices() -> dict[str, tuple[str, str]]:
    """:func:`discipline_offices` over the shipped taxonomy, ``offices.yaml`` and ``disciplines.yaml``."""
    from api.io.taxonomy_files import DEFAULT_DISCIPLINES, DEFAULT_OFFICES, DEFAULT_TAXONOMY, read_disciplines, \
        read_offices, read_taxonomy
    taxonomy = read_taxonomy(DEFAULT_TAXONOMY)
    offices = read_offices(DEFAULT_OFFICES, taxonomy)
    return discipline_offices(read_disciplines(DEFAULT_DISCIPLINES, offices, taxonomy), offices)


def eligible(records: Sequence[dict[str, Any]], disciplines: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The records of the round's ``disciplines`` with a title and an abstract, in their order."""
    return [r for r in records if r.get("discipline") in disciplines and r.get("title") and r.get("abstract")]


def build_round(records: Sequence[dict[str, Any]], seed: int = 0, *, disciplines: Mapping[str, tuple[str, str]],
                second: float = 0.2, wrong: float = 0.15, blank: float = 0.10, group_share: float = 0.05,
                prefix: str = "CR") -> list[RoundDemand]:
    """The round's demands from csl records (``id``, ``title``, ``abstract``, ``discipline``).

    ``disciplines``: discipline → (office, area) (:func:`discipline_offices`); ``second``: share of
    enterprises filing a second demand; ``wrong`` / ``blank``: share of demands whose filed 技术领域 is
    another area / blank; ``group_share``: share of enterprises in a two-company group."""
    recs = eligible(records, disciplines)
    rng = np.random.default_rng(seed)
    n = len(recs)
    order = rng.permutation(n)
    # enterprises: pair about `second` of them with a second demand, same discipline when one is free
    n_pairs = int(round(n * second / (1 + second)))
    by_disc: dict[str, list[int]] = {}
    for i in order:
        by_disc.setdefault(recs[i]["discipline"], []).append(int(i))
    owner = np.full(n, -1)
    next_e = 0
    free = [int(i) for i in order]
    taken = np.zeros(n, dtype=bool)
    pairs = 0
    for i in free:
        if taken[i]:
            continue
        taken[i] = True
        owner[i] = next_e
        if pairs < n_pairs:
            mates = [j for j in by_disc[recs[i]["discipline"]] if not taken[j]]
            if not mates:
                mates = [j for j in free if not taken[j]]
            if mates:
                j = mates[int(rng.integers(len(mates)))]
                taken[j] = True
                owner[j] = next_e
                pairs += 1
        next_e += 1
    n_ent = next_e
    groups: dict[int, str] = {}
    grouped = rng.permutation(n_ent)[: 2 * int(n_ent * group_share / 2)]
    for g, (a, b) in enumerate(zip(grouped[::2], grouped[1::2])):
        name = f"辽宁{_NAME_HEADS[g % len(_NAME_HEADS)]}{_NAME_HEADS[(g // len(_NAME_HEADS) + 7) % len(_NAME_HEADS)]}集团有限公司"
        groups[int(a)] = groups[int(b)] = name
    fate = rng.random(n)
    out = []
    for i in range(n):
        r = recs[i]
        e = int(owner[i])
        office, area = disciplines[r["discipline"]]
        if fate[i] < wrong:
            others = [a for a in AREAS if a != area]
            filed, filed_area = "wrong", others[int(rng.integers(len(others)))]
        elif fate[i] < wrong + blank:
            filed, filed_area = "blank", ""
        else:
            filed, filed_area = "right", area
        batch, date = BATCHES[e % 3]
        region = REGIONS[e % len(REGIONS)]
        name = (f"{region[:2]}{_NAME_HEADS[e % len(_NAME_HEADS)]}{_NAME_HEADS[(e // 7) % len(_NAME_HEADS)]}"
                f"{_NAME_TAILS[(e // 3) % len(_NAME_TAILS)]}{e}有限公司")
        out.append(RoundDemand(row={
            "需求编号": f"{prefix}-{i + 1:05d}", "批次": batch, "初审单位": f"{region}科学技术局", "提交时间": date,
            "企业名称": name, "统一社会信用代码": _credit_code(e), "集团名称": groups.get(e, ""),
            "注册地区": region, "科技企业性质": "高新技术企业", "独立法人": "是", "近三年信用不良记录": "否",
            "上年度销售收入(万元)": 8000, "上年度研发费用(万元)": 600, "需求类别": "重点需求",
            "需求名称": r["title"], "技术领域": filed_area, "需求描述": r["abstract"][:1000],
            "需求研发总投入(万元)": 400 + (i % 7) * 100}, discipline=r["discipline"], true_area=area, filed=filed,
            office=office))
    return out


def _credit_code(e: int) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character) for invented enterprise ``e``."""
    first = f"91210100MA{e:07d}"
    return first + (credit_check_char(first) or "0")


def load_round(data: Path, split: str = "dev", seed: int = 0, **kwargs: Any) -> list[RoundDemand]:
    """:func:`build_round` over ``data/csl/{split}.jsonl`` (raises FileNotFoundError when absent), with
    the shipped mapping unless ``disciplines`` is given."""
    path = Path(data) / "csl" / f"{split}.jsonl"
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    kwargs.setdefault("disciplines", default_discipline_offices())
    return build_round(records, seed, **kwargs)


def write_round(demands: Sequence[RoundDemand], path: Path) -> Path:
    """The rows as a JSON-lines file the real import reads."""
    Path(path).write_text("".join(json.dumps(d.row, ensure_ascii=False) + "\n" for d in demands), encoding="utf-8")
    return Path(path)
