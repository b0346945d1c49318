"""Duplicate detection through the real HTTP app: intake findings, evidence, concurrency, batch, decisions."""
from __future__ import annotations

import io
import json
import threading
from dataclasses import replace

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.http.app import create_app
from corpora import SAMPLES_DIR
from tests.tokens import ADMIN, bearer, token_for
from tests.demand_rows import credit_code, make_row
from tests.dup_texts import OTHER_BEARING, REWORDED_0, TEXTS



@pytest.fixture
def staff(app_settings: Settings) -> dict[str, str]:
    return bearer(token_for(app_settings, "staff"))


@pytest.fixture
def client(app_settings: Settings, staff: dict[str, str]):
    with TestClient(create_app(app_settings), headers=staff) as c:
        yield c


def _row(n: int, text: str, **kw) -> dict:
    title = text.split("。")[0][:30]
    return make_row(n, 需求名称=title, 需求描述=text, 联系人手机=f"1390000{n:04d}",
                    联系人电子邮箱=f"c{n}@example.cn", **kw)


def _submit(client: TestClient, row: dict) -> dict:
    r = client.post("/demands", json=row)
    assert r.status_code == 200, r.text
    return r.json()["demand"]


def _dup_ids(demand: dict) -> set[int]:
    return {c["id"] for f in demand["findings"] if f["rule_id"] == "duplicate" for c in f["values"]["candidates"]}


def test_intake_flags_a_resubmission_with_evidence(client: TestClient) -> None:
    first = _submit(client, _row(1, TEXTS[0], 提交时间="2023-01-10"))
    for i, text in enumerate(TEXTS[1:4], start=2):
        assert _dup_ids(_submit(client, _row(i, text))) == set()
    # another bureau re-enters it for the same enterprise, reworded and padded with boilerplate
    again = _submit(client, _row(9, REWORDED_0, 企业名称="辽宁测试1号装备制造有限公司",
                                 统一社会信用代码=credit_code(1), 初审单位="大连市科学技术局",
                                 提交时间="2023-02-20"))
    assert _dup_ids(again) == {first["id"]}
    assert again["check_status"] == "warning"
    other = _submit(client, _row(10, OTHER_BEARING))
    assert first["id"] not in _dup_ids(other)

    public = client.get(f"/demands/{again['id']}/duplicates").json()["candidates"]
    top = public[0]
    assert top["id"] == first["id"] and top["verdict"] == "duplicate"
    assert top["signals"] == ["enterprise"]  # same enterprise: fired, but not named without the token
    assert "same enterprise" not in str(top["evidence"])
    sentences = top["evidence"]["sentences"]
    assert sentences and all(s["this"]["field"] and s["other"]["field"] for s in sentences)
    s = next(s for s in sentences if s["other"]["field"] == "需求描述")
    assert TEXTS[0][s["other"]["start"]:s["other"]["end"]] in REWORDED_0
    assert "轴承" in "".join(top["evidence"]["shared_terms"])
    admin = client.get(f"/demands/{again['id']}/duplicates", headers=ADMIN).json()["candidates"][0]
    assert "org" in admin["signals"]
    assert any(sig["en"].startswith("same enterprise") for sig in admin["evidence"]["signals"])


def test_concurrent_submissions_of_the_same_text_find_each_other(client: TestClient, app_settings: Settings) -> None:
    rows = [_row(20 + i, TEXTS[4]) for i in range(6)]  # same text, six 需求编号 (six bureaus)
    results: list[dict] = []
    barrier = threading.Barrier(len(rows))
    # two app instances on one database stand for two API workers, each with its own index
    with TestClient(create_app(app_settings), headers=client.headers) as worker2:
        workers = (client, worker2)

        def submit(i: int, row: dict) -> None:
            barrier.wait()
            results.append(_submit(workers[i % 2], row))

        threads = [threading.Thread(target=submit, args=(i, row)) for i, row in enumerate(rows)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    ids = sorted(d["id"] for d in results)
    flagged = [d for d in results if _dup_ids(d)]
    assert len(flagged) == len(rows) - 1  # every submission but the first saw an earlier one
    for d in results:  # and each one saw ALL the earlier ones, whichever thread stored them
        assert _dup_ids(d) == {i for i in ids if i < d["id"]}
    groups = client.post("/dedup/run", json={}).json()["groups"]
    assert any(set(ids) <= set(g["ids"]) for g in groups)


def test_batch_groups_decisions_and_export(client: TestClient) -> None:
    a = _submit(client, _row(31, TEXTS[0], 提交时间="2023-01-05"))
    b = _submit(client, _row(32, REWORDED_0, 提交时间="2023-02-01"))
    c = _submit(client, _row(33, TEXTS[2]))
    d = _submit(client, _row(34, TEXTS[2] + "具体技术指标详见附件。", 提交时间="2023-03-01"))
    e = _submit(client, _row(35, TEXTS[6]))
    run = client.post("/dedup/run", json={}).json()
    groups = {frozenset(g["ids"]): g for g in run["groups"]}
    assert frozenset({a["id"], b["id"]}) in groups and frozenset({c["id"], d["id"]}) in groups
    assert groups[frozenset({a["id"], b["id"]})]["canonical"] == a["id"]  # the first submission stays
    assert all(e["id"] not in g for g in groups)

    pair = {"demand_a": d["id"], "demand_b": c["id"], "decision": "dismiss", "note": "两家企业各自的需求"}
    bureau = bearer(token_for(client.app.state.settings, "bureau", region="沈阳市"))
    assert client.post("/dedup/decisions", json=pair, headers=bureau).status_code == 403  # staff decide
    assert client.post("/dedup/decisions", json=pair).status_code == 200
    assert client.post("/dedup/decisions", json={**pair, "decision": "maybe"}, headers=ADMIN).status_code == 422
    confirm = {"demand_a": a["id"], "demand_b": e["id"], "decision": "confirm"}
    assert client.post("/dedup/decisions", json=confirm, headers=ADMIN).status_code == 200

    rerun = client.post("/dedup/run", json={}).json()
    sets = [set(g["ids"]) for g in rerun["groups"]]
    assert {a["id"], b["id"], e["id"]} in sets  # a confirmed pair joins even without a textual link
    assert not any({c["id"], d["id"]} <= s for s in sets)  # a dismissed pair does not come back
    listed = client.get(f"/demands/{d['id']}/duplicates").json()["candidates"]
    assert c["id"] not in {x["id"] for x in listed}
    kept = client.get(f"/demands/{e['id']}/duplicates").json()["candidates"]
    assert {x["id"]: x["decision"] for x in kept}.get(a["id"]) == "confirm"  # confirmed: always listed

    stored = client.get("/dedup/groups").json()
    decided = [l for g in stored["groups"] for l in g["links"] if l.get("decision") == "confirm"]
    assert decided and [g["ids"] for g in stored["groups"]] == [g["ids"] for g in rerun["groups"]]
    r = client.get("/dedup/export.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = pd.read_excel(io.BytesIO(r.content))
    assert {"组号", "系统编号", "建议保留", "结论"} <= set(sheet.columns)
    assert set(sheet["系统编号"]) >= {a["id"], b["id"], e["id"]}
    assert sheet.loc[sheet["系统编号"] == a["id"], "建议保留"].item() == "是"


def test_shipped_sample_round_finds_every_planted_duplicate(client: TestClient) -> None:
    samples = SAMPLES_DIR
    r = client.post("/imports", files={"file": ("demands.jsonl", (samples / "demands.jsonl").read_bytes())})
    assert r.status_code == 200, r.text
    assert r.json()["findings_by_rule"].get("duplicate", 0) >= 6  # the intake check ran on every row
    answers = json.loads((samples / "answers.json").read_text(encoding="utf-8"))
    ext = {d["external_id"]: d["id"] for d in client.get("/demands", params={"limit": 500}).json()["items"]}
    groups = client.post("/dedup/run", json={}).json()["groups"]
    linked = {frozenset((l["a"], l["b"])) for g in groups for l in g["links"]}
    for pair in answers["duplicates"]:
        assert frozenset((ext[pair["a"]], ext[pair["b"]])) in linked, pair
    for pair in answers["hard_negatives"]:
        assert frozenset((ext[pair["a"]], ext[pair["b"]])) not in linked, pair
    # and nothing else: e.g. two different demands of one enterprise are not duplicates because of the
    # enterprise signal alone
    planted = {frozenset((ext[p["a"]], ext[p["b"]])) for p in answers["duplicates"]}
    assert linked == planted, sorted(map(sorted, linked - planted))


def test_cli_dedup_prints_groups_records_decisions_and_exports(app_settings: Settings, tmp_path, capsys) -> None:
    from api.cli import main

    home = ["--home", str(app_settings.home)]
    assert main([*home, "-q", "import", str(SAMPLES_DIR / "demands.jsonl")]) in (0, 1)
    out = tmp_path / "groups.xlsx"
    assert main([*home, "dedup", "--export", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "保留 keep" in printed and out.exists()
    sheet = pd.read_excel(out)
    first = sheet[sheet["组号"] == 1]["系统编号"].tolist()
    assert len(first) == 2
    assert main([*home, "dedup", "--dismiss", str(first[0]), str(first[1]), "--note", "不同需求"]) == 0
    capsys.readouterr()
    assert main([*home, "dedup", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert not any(set(first) <= set(g["ids"]) for g in groups)


def test_the_latest_run_is_shared_by_every_worker_through_the_database(app_settings: Settings, tmp_path) -> None:
    """Two workers with their own homes and one database: what one ran, the other serves, also after a restart."""
    url = f"sqlite:///{(tmp_path / 'shared.db').as_posix()}"
    one = replace(app_settings, database_url=url, home=tmp_path / "worker-1")
    two = replace(app_settings, database_url=url, home=tmp_path / "worker-2")
    with TestClient(create_app(one), headers=ADMIN) as first:
        for n, text in enumerate([TEXTS[0], REWORDED_0, TEXTS[3]], start=41):
            _submit(first, _row(n, text))
        run = first.post("/dedup/run", json={"min_verdict": "related"}).json()
    with TestClient(create_app(two), headers=ADMIN) as second:
        served = second.get("/dedup/groups").json()
    assert served["run_at"] == run["run_at"] and served["min_verdict"] == "related"
    assert [g["ids"] for g in served["groups"]] == [g["ids"] for g in run["groups"]] and run["groups"]
    assert not any(p.name == "dedup" for p in tmp_path.rglob("*"))  # no local state file anywhere


def test_report_sheets_use_the_settings_they_were_built_from(settings: Settings, monkeypatch, tmp_path) -> None:
    """The composition root is the only reader of the environment: a broken JIEBANG_DUPLICATES or another
    JIEBANG_HOME in the environment does not reach a report built from explicit settings."""
    from api.compose import build_services
    from api.io.report import write_report
    from api.services.imports import import_demands

    broken = tmp_path / "broken.yaml"
    broken.write_text("coef: [1, 2]\nintercept: not-a-number\n", encoding="utf-8")
    monkeypatch.setenv("JIEBANG_DUPLICATES", str(broken))
    monkeypatch.setenv("JIEBANG_HOME", str(tmp_path / "elsewhere"))
    services = build_services(settings)
    try:
        with services.session() as session:
            import_demands(session, services.campaign, SAMPLES_DIR / "demands.jsonl", actor="test",
                           steps=services.intake_steps)
            sheets = write_report(tmp_path / "report.xlsx", session, services.campaign, services.report_sheets)
    finally:
        services.close()
    assert "查重 duplicates" in sheets
    groups = pd.read_excel(tmp_path / "report.xlsx", sheet_name="查重 duplicates")
    assert len(set(groups["组号"])) >= 6  # the planted duplicates, found with the shipped model
    assert not (tmp_path / "elsewhere").exists()


def test_both_sides_of_a_pair_are_flagged_and_a_check_keeps_it_so(client: TestClient, app_settings: Settings) -> None:
    from api.cli import main

    first = _submit(client, _row(61, TEXTS[0]))
    assert not [f for f in first["findings"] if f["rule_id"] == "duplicate"]
    later = _submit(client, _row(62, REWORDED_0))
    assert [c["id"] for c in _dup_candidates(later)] == [first["id"]]
    earlier = client.get(f"/demands/{first['id']}").json()
    assert [c["id"] for c in _dup_candidates(earlier)] == [later["id"]]  # the earlier one now knows of the copy
    assert earlier["check_status"] == "warning"
    assert main(["--home", str(app_settings.home), "-q", "check"]) in (0, 1)
    rechecked = client.get(f"/demands/{first['id']}").json()
    assert [c["id"] for c in _dup_candidates(rechecked)] == [later["id"]]


def test_quota_counts_distinct_demands_without_rule_errors(client: TestClient) -> None:
    region = "锦州市"
    a = _submit(client, _row(63, TEXTS[0], 注册地区=region))
    b = _submit(client, _row(64, REWORDED_0, 注册地区=region))
    _submit(client, _row(65, TEXTS[5], 注册地区=region, 独立法人="否"))  # a rule error: not recommendable
    _submit(client, _row(66, TEXTS[6], 注册地区=region))
    quota = {q["name"]: q for q in client.get("/quota").json()}[region]
    assert (quota["count"], quota["submitted"]) == (3, 4)
    pair = {"demand_a": a["id"], "demand_b": b["id"], "decision": "confirm"}
    assert client.post("/dedup/decisions", json=pair).status_code == 200
    quota = {q["name"]: q for q in client.get("/quota").json()}[region]
    assert (quota["count"], quota["submitted"]) == (2, 4) and "共收到4项" in quota["message_zh"]


def _dup_candidates(demand: dict) -> list[dict]:
    return [c for f in demand["findings"] if f["rule_id"] == "duplicate" for c in f["values"]["candidates"]]


def test_a_text_too_short_to_compare_is_reported_not_called_a_duplicate(client: TestClient) -> None:
    first = _submit(client, make_row(67, 需求名称="智能制造关键技术", 需求描述="……"))
    second = _submit(client, make_row(68, 需求名称="智能农业关键技术", 需求描述="……"))
    for d in (first, second):
        assert "too_short_to_compare" in {f["rule_id"] for f in d["findings"]}
    assert not _dup_candidates(second)
    groups = client.post("/dedup/run", json={"min_verdict": "near_duplicate"}).json()["groups"]
    assert not any({first["id"], second["id"]} <= set(g["ids"]) for g in groups)


def test_many_copies_of_one_demand_are_still_duplicates_and_a_recheck_keeps_them(client: TestClient) -> None:
    """Twenty-five copies share their text; that makes them duplicates, not boilerplate — at intake, in a
    batch run, and after re-running the checks over HTTP."""
    copies = [_submit(client, _row(100 + n, TEXTS[1])) for n in range(25)]
    others = [_submit(client, _row(200 + n, t)) for n, t in enumerate(TEXTS[2:])]
    assert all(_dup_candidates(d) for d in copies[1:])
    bureau = bearer(token_for(client.app.state.settings, "bureau", region="沈阳市"))
    assert client.post("/checks", headers=bureau).status_code == 403
    report = client.post("/checks").json()
    assert report["demands"] == len(copies) + len(others) and report["findings_by_rule"]["duplicate"] >= 25
    for d in copies:
        assert _dup_candidates(client.get(f"/demands/{d['id']}").json()), d["id"]
    ids = {d["id"] for d in copies}
    groups = client.post("/dedup/run", json={}).json()["groups"]
    grouped = {i for g in groups for i in g["ids"]}
    assert ids <= grouped and not grouped & {d["id"] for d in others}
