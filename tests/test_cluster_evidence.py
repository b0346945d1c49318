"""What holds a cluster together besides cosine (#18): the terms its members share. A group of one broad
field falls apart into the parts its shared terms link; one word two demands happen to share (热场, 万吨)
ties nothing; copies of one demand count once; and on the shipped sample round, read through the real
HTTP app, unrelated demands never share a cluster while a coherent biomedical trio stays one."""
from __future__ import annotations

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.http.app import create_app
from corpora import SAMPLES_DIR
from matching.cluster_floors import evidence_parts
from matching.clusters import RoundClusterer
from matching.coherence import copies, copy_weights
from nlp.condense import medoid
from tests.tokens import bearer, token_for

DIM = 32


def _field(rng: np.random.Generator, n_groups: int = 5, per: int = 10) -> tuple[np.ndarray, list[str]]:
    """``n_groups`` well separated groups of ``per`` unit rows (pairwise cosine ≈ 0.8 inside a group)."""
    centres = np.linalg.qr(rng.standard_normal((DIM, n_groups)))[0].T
    x = np.vstack([centres[g] + 0.5 * rng.standard_normal((per, DIM)) / np.sqrt(DIM) for g in range(n_groups)])
    keys = [f"g{g}-{i:02d}" for g in range(n_groups) for i in range(per)]
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32), keys


def test_a_group_falls_apart_along_what_its_members_name() -> None:
    """g0 is one tight group by cosine, but its halves name different things (a wafer hot plate and a
    superalloy ingot): two clusters. g1-00 shares one word with one member (a coincidence): 未归类. g2-00 and
    g2-01 are copies of one demand; g2-02 shares only 功率密度 with them: the copies name it once, so 未归类."""
    x, keys = _field(np.random.default_rng(7))
    terms: list[set[str]] = [{f"t{k[1]}a", f"t{k[1]}b"} for k in keys]
    for i in range(5):
        terms[keys.index(f"g0-{i:02d}")] = {"热场", "晶圆"}
        terms[keys.index(f"g0-{i + 5:02d}")] = {"冶炼", "铸锭"}
    terms[keys.index("g1-00")] = {"巧合"}
    terms[keys.index("g1-01")] |= {"巧合"}
    x[keys.index("g2-01")] = x[keys.index("g2-00")]
    terms[keys.index("g2-00")] |= {"功率密度"}
    terms[keys.index("g2-01")] |= {"功率密度"}
    terms[keys.index("g2-02")] = {"功率密度"}
    label = dict(zip(keys, RoundClusterer().fit(x, keys, terms=terms).labels_))
    halves = [{label[f"g0-{i:02d}"] for i in range(a, a + 5)} for a in (0, 5)]
    assert all(len(h) == 1 and None not in h for h in halves) and halves[0] != halves[1]
    assert label["g1-00"] is None and label["g2-02"] is None
    assert len({label[f"g1-{i:02d}"] for i in range(1, 10)}) == 1 and label["g1-01"] is not None
    assert label["g2-00"] == label["g2-01"] == label["g2-09"] is not None
    # without the terms the cosine alone keeps each group whole
    plain = dict(zip(keys, RoundClusterer().fit(x, keys).labels_))
    assert len({plain[f"g0-{i:02d}"] for i in range(10)}) == 1


def test_evidence_is_two_shared_terms_or_one_that_three_name() -> None:
    terms = [{"VOCs", "储罐"}, {"VOCs", "催化燃烧"}, {"VOCs", "沸石转轮"}, {"孔隙率", "热压罐"}, {"孔隙率", "钛合金"}]
    parts = evidence_parts(terms, np.arange(5), generic=set())
    assert [sorted(p.tolist()) for p in parts] == [[0, 1, 2], [3], [4]]  # VOCs named by three; 孔隙率 by two
    assert len(evidence_parts(terms, np.arange(5), generic={"VOCs"})) == 5  # a word of the whole round is no evidence
    # the same three VOCs members, two of them copies of one demand: VOCs is named twice, nothing is linked
    assert len(evidence_parts(terms[:3], np.arange(3), generic=set(), voices=np.array([0, 0, 1]))) == 3


def test_a_demand_filed_twice_is_not_the_centre() -> None:
    """Copies pull the plain medoid to themselves; counted once, the member closest to all is the centre."""
    rng = np.random.default_rng(1)
    centre = rng.standard_normal(DIM)
    centre /= np.linalg.norm(centre)
    x = centre + 0.6 * rng.standard_normal((5, DIM)) / np.sqrt(DIM)
    x[4] = centre + 2.0 * rng.standard_normal(DIM) / np.sqrt(DIM)  # far from the others...
    x = np.vstack([x, x[4]])  # ...and filed twice
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assert copies(x).tolist().count(copies(x)[4]) == 2 and np.allclose(copy_weights(x)[4:], 0.5)
    assert medoid(x, copy_weights(x)) in range(4)


# a coherent trio of 医药处 demands added to the sample round (three enterprises of the round that file biomedicine)
ANTIBODY = [
    ("CHO细胞单克隆抗体高产流加培养工艺",
     "公司治疗性单克隆抗体采用CHO细胞流加培养，抗体表达量约3g/L，糖型批间差异大。需开发CHO细胞高表达细胞株筛选"
     "与化学成分限定培养基，优化流加培养工艺：抗体表达量≥6g/L，关键糖型批间差异≤5%，完成2000L规模CHO细胞培养工艺验证。"),
    ("单克隆抗体亲和层析纯化与病毒清除工艺",
     "公司单克隆抗体下游纯化采用Protein A亲和层析和两步离子交换层析，宿主细胞蛋白残留和聚体含量偏高，收率约60%。"
     "需开发单克隆抗体纯化工艺：亲和层析载量≥60g/L，宿主细胞蛋白残留≤50ppm，聚体≤1%，病毒清除≥4log，总收率≥75%。"),
    ("单克隆抗体灌流连续生产与质量控制技术",
     "公司单克隆抗体批次生产周期长。需开发CHO细胞灌流培养与连续层析纯化集成的单克隆抗体连续生产工艺，建立糖型、"
     "聚体和宿主细胞蛋白的在线质量控制方法：灌流培养抗体表达量≥1g/L/天，宿主细胞蛋白残留≤50ppm，糖型批间差异≤5%。"),
]
UNRELATED = [("12英寸晶圆涂胶显影", "大规格高温合金铸锭"), ("大规格高温合金铸锭", "电熔镁砂"), ("高活性原料药", "茂金属催化剂"),
             ("高活性原料药", "T700级碳纤维"), ("3D打印多孔钛合金", "大尺寸碳纤维复合材料"), ("湿法炼锌", "铁尾矿"),
             ("南果梨", "花生机械化"), ("车用氢燃料电池", "扁线电机"), ("车用氢燃料电池", "碱性电解槽")]


@pytest.fixture
def staff_client(app_settings: Settings):
    with TestClient(create_app(app_settings), headers=bearer(token_for(app_settings, "staff"))) as c:
        yield c


def test_sample_round_unrelated_apart_and_a_biomedical_trio_kept(staff_client: TestClient) -> None:
    rows = [json.loads(line) for line in (SAMPLES_DIR / "demands.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    donors = [r for r in rows if r["技术领域"] == "生物医药" and "疫苗" not in r["需求名称"]][:3]
    planted = [dict(r, 需求编号=f"LN2023-T{n}", 需求名称=title, 发榜需求名称=title, 需求描述=text, 发榜内容描述=title)
               for n, (r, (title, text)) in enumerate(zip(donors, ANTIBODY))]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows + planted).encode("utf-8")
    assert staff_client.post("/imports", files={"file": ("round.jsonl", body, "application/json")}).status_code == 200
    assert staff_client.post("/condense/run", json={}).status_code == 200
    report = staff_client.get("/condense/report.json").json()
    cluster_of = {m["需求名称"]: m["类编号"] or None for m in report["members"]}

    def key(prefix: str) -> str | None:
        return next(k for name, k in cluster_of.items() if prefix in name)

    trio = {key(title) for title, _ in ANTIBODY}
    assert len(trio) == 1 and None not in trio
    office = {c["key"]: c["office"] for c in report["clusters"]}
    assert office[trio.pop()] == "医药处"
    for a, b in UNRELATED:
        assert key(a) is None or key(a) != key(b), (a, b)
