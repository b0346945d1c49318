"""Intake never alters or drops a value silently (#23): partial updates, enterprise identity,
skipped files, formula cells, estimates and month-only dates, empty files, exit codes.

Real SQLite, real readers, the real CLI; each test names the numbered item of #23 it covers."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from api.cli.common import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from api.config import Settings
from api.forms.models import DemandRecord
from api.io.readers import read_records
from api.services import intake, intake_check
from api.services.campaign import load_campaign
from api.store import tables as db
from api.store.engine import open_database
from tests.demand_rows import make_row, write_jsonl
from tests.cli_runs import csv_bytes, jiebang


@pytest.fixture
def database(settings: Settings):
    engine, sessions = open_database(settings.db_url)
    with sessions() as session:
        campaign = load_campaign(session, settings.campaign_file)
    yield sessions, campaign
    engine.dispose()


# -------------------------------------------------------------------------------- item 3: partial updates

def test_item3_an_update_changes_only_the_fields_it_carries(database) -> None:
    sessions, campaign = database
    full = make_row(1, 统一社会信用代码=None)
    partial = {k: full[k] for k in ("需求编号", "企业名称", "需求名称")} | {"需求描述": "改写后的需求描述。"}
    with sessions() as s:
        intake.submit_demand(s, campaign, full, actor="t")
        result = intake.submit_demand(s, campaign, partial, actor="t")
        assert result.outcome == "updated" and result.changed_fields == ["需求描述"]
        record = s.get(db.Demand, result.demand.id).record
        for header in ("注册地区", "上年度销售收入(万元)", "联系人手机", "需求类别", "需求研发总投入(万元)"):
            assert record[header] == DemandRecord.model_validate(full).model_dump(by_alias=True, mode="json")[header]
        assert record["需求描述"] == "改写后的需求描述。"
        assert intake.submit_demand(s, campaign, partial, actor="t").outcome == "unchanged"
        # a full replace is asked for by name, and says what it blanked
        whole = partial | {"注册地区": full["注册地区"]}  # the same enterprise: name and region
        replaced = intake.submit_demand(s, campaign, whole, actor="t", replace=True)
        assert replaced.outcome == "updated" and {"联系人手机", "需求类别"} <= set(replaced.changed_fields)
        assert s.get(db.Demand, result.demand.id).record["联系人手机"] is None


def test_item3_the_cli_report_lists_changed_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = make_row(2)
    home = tmp_path / "h"
    assert jiebang(home, "import", str(write_jsonl(tmp_path / "full.jsonl", [full]))) == EXIT_OK
    few = {"需求编号": full["需求编号"], "企业名称": full["企业名称"], "需求名称": full["需求名称"], "需求描述": "新的描述。"}
    (tmp_path / "few.csv").write_bytes(csv_bytes([list(few), list(few.values())]))
    capsys.readouterr()
    assert jiebang(home, "import", str(tmp_path / "few.csv")) == EXIT_OK
    out = capsys.readouterr().out
    assert "更新 1" in out and "更新：需求描述" in out
    assert jiebang(home, "export", str(tmp_path / "out.jsonl"), "--include-personal") == EXIT_OK
    [stored] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert stored["需求描述"] == "新的描述。" and stored["注册地区"] == full["注册地区"]
    assert stored["联系人手机"] == full["联系人手机"] and stored["上年度销售收入(万元)"] == 8000


# ---------------------------------------------------------------------------- item 4: enterprise identity

def test_item4_same_name_firms_of_other_regions_are_not_merged(database) -> None:
    sessions, campaign = database
    firms = [("沈阳云图科技有限公司", "沈阳市", 9000), ("大连云图科技有限公司", "大连市", 7000), ("云图科技集团", "鞍山市", 5000)]
    with sessions() as s:
        results = [intake.submit_demand(s, campaign, make_row(i, 企业名称=name, 注册地区=region, 统一社会信用代码=None,
                                                             **{"上年度销售收入(万元)": sales}), actor="t")
                   for i, (name, region, sales) in enumerate(firms, start=1)]
        assert len({r.demand.enterprise_id for r in results}) == 3
        assert all("max_demands_per_enterprise" not in {f.rule_id for f in r.findings} for r in results)
        enterprises = {e.name: (e.region, e.profile["上年度销售收入(万元)"]) for e in s.scalars(select(db.Enterprise))}
        assert enterprises == {name: (region, sales) for name, region, sales in firms}
        # the possible same firm is a finding for a human, on the later demands
        assert "possible_same_enterprise" not in {f.rule_id for f in results[0].findings}
        same = [f for f in results[2].findings if f.rule_id == "possible_same_enterprise"]
        assert same and "沈阳云图科技有限公司" in same[0].message_zh and "未合并" in same[0].message_zh
        # the same firm (same name, same region) is still one enterprise
        again = intake.submit_demand(s, campaign, make_row(9, 企业名称="沈阳云图科技有限公司", 注册地区="沈阳",
                                                           统一社会信用代码=None), actor="t")
        assert again.demand.enterprise_id == results[0].demand.enterprise_id


# ------------------------------------------------------------------------------ item 5: skipped files

def test_item5_every_file_of_a_folder_or_zip_is_imported_or_listed_as_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.test_intake_checks import _form_docx

    folder = tmp_path / "forms"
    folder.mkdir()
    _form_docx(folder / "a.docx", 95)
    (folder / "b.xls").write_bytes(b"\xd0\xcf\x11\xe0old excel")
    (folder / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0old word")
    capsys.readouterr()
    assert jiebang(tmp_path / "h", "import", str(folder)) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "新增 1" in out and "b.xls" in out and "c.doc" in out and "请另存为 .xlsx/.docx" in out
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, p.name)
    assert jiebang(tmp_path / "h2", "import", str(archive), "--json") == EXIT_PROBLEMS
    report = json.loads(capsys.readouterr().out)
    assert report["new"] == 1 and [f["file"] for f in report["skipped_files"]] == ["b.xls", "c.doc"]
    assert all("另存为" in f["reason_zh"] for f in report["skipped_files"])
    (tmp_path / "alone.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert jiebang(tmp_path / "h3", "import", str(tmp_path / "alone.doc")) == EXIT_INPUT
    assert "请另存为 .xlsx/.docx" in capsys.readouterr().err


# ------------------------------------------------------------------------------ item 6: formula cells

def test_item6_a_formula_without_a_cached_value_is_rejected_for_its_field_not_stored_empty() -> None:
    book = openpyxl.Workbook()
    book.active.append(["需求编号", "企业名称", "需求名称", "上年度销售收入(万元)"])
    book.active.append(["G-1", "甲公司", "需求一", "=4000*2"])  # openpyxl saves no cached value
    book.active.append(["G-2", "乙公司", "需求二", 8000])
    buffer = io.BytesIO()
    book.save(buffer)
    result = read_records(buffer.getvalue(), filename="f.xlsx")
    assert [r.external_id for r in result.records] == ["G-2"]
    [rejected] = result.rejected
    assert rejected.row_number == 2 and rejected.field == "上年度销售收入(万元)"
    assert "公式" in rejected.reason_zh and "=4000*2" in rejected.reason_zh and "formula" in rejected.reason_en


# ----------------------------------------------------------------------- item 8: estimates and dates

def test_item8_estimates_negative_amounts_and_month_only_dates_are_findings(database) -> None:
    sessions, campaign = database
    row = make_row(3, **{"上年度销售收入(万元)": "约8000", "需求研发总投入(万元)": "1200万元以上",
                         "揭榜任务投入资金(万元)": "-300", "注册时间": "2023年5月"})
    with sessions() as s:
        result = intake.submit_demand(s, campaign, row, actor="t")
        by_rule = {}
        for f in result.findings:
            by_rule.setdefault(f.rule_id, []).append(f)
        assert {f.fields[0] for f in by_rule["approximate_value"]} == {"上年度销售收入(万元)", "需求研发总投入(万元)"}
        assert "约8000" in by_rule["approximate_value"][0].message_zh + by_rule["approximate_value"][1].message_zh
        assert by_rule["negative_amount"][0].fields == ["揭榜任务投入资金(万元)"]
        assert by_rule["month_only_date"][0].values == {"注册时间": "2023年5月"}
        stored = s.get(db.Demand, result.demand.id).record
        assert stored["原文"] == {"上年度销售收入(万元)": "约8000", "注册时间": "2023年5月", "需求研发总投入(万元)": "1200万元以上"}
        assert stored["上年度销售收入(万元)"] == 8000
        from api.forms.personal import to_row  # an export gives back what was typed, so it re-imports the same
        exported = to_row(DemandRecord.model_validate(stored))
        assert exported["注册时间"] == "2023年5月" and exported["上年度销售收入(万元)"] == "约8000"
        # the findings survive a re-check of the stored record, and go once the value is exact
        assert intake_check.check_all(s, campaign, actor="t").changed == 0
        fixed = intake.submit_demand(s, campaign, {k: row[k] for k in ("需求编号", "企业名称", "需求名称")}
                                     | {"上年度销售收入(万元)": 8100}, actor="t")
        assert fixed.changed_fields == ["上年度销售收入(万元)", "原文"]
        assert [f.fields for f in fixed.findings if f.rule_id == "approximate_value"] == [["需求研发总投入(万元)"]]


# ----------------------------------------------------------------------------------- item 9: empty files

def test_item9_every_kind_of_empty_file_gets_one_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = openpyxl.Workbook()
    book.save(tmp_path / "blank.xlsx")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    (tmp_path / "header.csv").write_text("企业名称,需求名称\n", encoding="utf-8")
    for name in ("empty.csv", "empty.jsonl", "header.csv", "blank.xlsx"):
        capsys.readouterr()
        assert jiebang(tmp_path / "h", "import", str(tmp_path / name)) == EXIT_PROBLEMS, name
        out = capsys.readouterr().out
        assert "共 0 行" in out and "没有数据行" in out and "no data rows" in out, (name, out)


# ------------------------------------------------------------------------------------- item 11: exit codes

def test_item11_exit_code_3_is_for_files_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    assert jiebang(home, "import", str(write_jsonl(tmp_path / "d.jsonl", [make_row(1)]))) == EXIT_OK
    assert jiebang(home, "experts", "rank", "9999") == EXIT_USAGE  # no such demand
    assert jiebang(home, "dedup", "--dismiss", "1", "99999") == EXIT_USAGE
    assert jiebang(home, "export", str(tmp_path / "x.pdf")) == EXIT_USAGE
    assert jiebang(home, "token", "revoke", "nosuchprefix") == EXIT_USAGE
    # a JSONL of the wrong kind is a file of the wrong kind, like a CSV without the form's columns
    experts = write_jsonl(tmp_path / "experts.jsonl", [{"专家编号": "E1", "姓名": "张三", "研究领域": "材料"}])
    assert jiebang(home, "import", str(experts)) == EXIT_INPUT
    assert "企业名称" in capsys.readouterr().err

def test_item4_stored_enterprises_are_rekeyed_by_name_and_region(tmp_path: Path) -> None:
    """The migration gives enterprises stored before #23 the new identity, so re-importing their demands
    updates them instead of being refused as an enterprise change."""
    from alembic import command
    from sqlalchemy import text

    from api.store.engine import make_engine
    from api.store.migrations import alembic_config

    config = alembic_config()
    with make_engine(f"sqlite:///{tmp_path / 'old.db'}").begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")  # a database as main had it
        cols = [r[1] for r in connection.execute(text("PRAGMA table_info(campaigns)"))]
        values = {c: ("{}" if c in ("config", "rules") else "2023-01-01" if c.endswith("_at") else 1 if c == "id" else "x")
                  for c in cols}
        connection.execute(text(f"INSERT INTO campaigns ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"),
                           values)
        connection.execute(text("INSERT INTO enterprises (id, campaign_id, org_key, name, region, profile, created_at, "
                                "updated_at) VALUES (1, 1, 'name:云图科技', '沈阳云图科技有限公司', '沈阳市', '{}', "
                                "'2023-01-01', '2023-01-01'), (2, 1, 'name:星海', '星海集团', '大连市', '{}', "
                                "'2023-01-01', '2023-01-01')"))
        command.upgrade(config, "head")
        keys = dict(connection.execute(text("SELECT id, org_key FROM enterprises")).all())
    assert keys == {1: "name:云图科技@沈阳市", 2: "name:星海#集团@大连市"}
    from nlp.names import enterprise_key
    assert keys[1] == enterprise_key("沈阳云图科技有限公司", None, "沈阳市")
    assert keys[2] == enterprise_key("星海集团", None, "大连市")


def test_items3_9_over_http_partial_posts_and_empty_uploads(settings: Settings) -> None:
    from dataclasses import replace as with_

    from fastapi.testclient import TestClient

    from api.http.app import create_app
    from tests.tokens import bearer, token_for

    s = with_(settings, admin_token="faithful-admin-token-of-32-chars!")
    with TestClient(create_app(s), headers=bearer(token_for(s, "staff"))) as client:
        full = make_row(5, 统一社会信用代码=None)
        assert client.post("/demands", json=full).json()["outcome"] == "new"
        three = {"需求编号": full["需求编号"], "企业名称": full["企业名称"], "需求描述": "只改描述。"}
        r = client.post("/demands", json=three | {"需求名称": full["需求名称"]}).json()
        assert r["outcome"] == "updated" and r["changed_fields"] == ["需求描述"]
        assert r["demand"]["region"] == full["注册地区"] and r["demand"]["record"]["需求类别"] == "重大需求"
        whole = three | {"需求名称": full["需求名称"], "注册地区": full["注册地区"]}
        r = client.post("/demands", params={"mode": "replace"}, json=whole).json()
        assert r["outcome"] == "updated" and r["demand"]["record"]["需求类别"] is None
        for name, content in (("empty.csv", b""), ("header.csv", "企业名称,需求名称\n".encode()), ("empty.jsonl", b"\n")):
            report = client.post("/imports", files={"file": (name, content)})
            assert report.status_code == 200, report.text
            assert report.json()["rows"] == 0 and [n["code"] for n in report.json()["notes"]] == ["no_rows"]
