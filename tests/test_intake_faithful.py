"""Intake never alters or drops a value silently (#23): CSV quoting, partial updates, enterprise identity,
skipped files, formula cells, estimates and month-only dates, empty files, exit codes.

Real SQLite, real readers, the real CLI; each test names the numbered item of #23 it covers."""
from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import func, select

from api.cli import main
from api.cli.common import EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from api.config import Settings
from api.errors import InvalidFile
from api.forms.models import DemandRecord
from api.io.csv_table import read_csv_table
from api.io.readers import read_records
from api.services import intake
from api.services.campaign import load_campaign
from api.store import tables as db
from api.store.engine import open_database
from tests.demand_rows import make_row, write_jsonl


@pytest.fixture
def database(settings: Settings):
    engine, sessions = open_database(settings.db_url)
    with sessions() as session:
        campaign = load_campaign(session, settings.campaign_file)
    yield sessions, campaign
    engine.dispose()


def _jiebang(home: Path, *args: str) -> int:
    return main(["--home", str(home), "-q", *args])


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


# ----------------------------------------------------------------------------------------- item 1: CSV quotes

QUOTED = "研究\"双碳\"目标下的余热回收技术,实现热效率提升10%"


def test_item1_a_quote_inside_a_quoted_cell_stays_in_its_cell() -> None:
    header = ["需求编号", "企业名称", "需求名称", "需求描述", "需求研发总投入(万元)", "对揭榜方要求"]
    data = _csv([header, ["Q-1", "沈阳某热能有限公司", "余热回收", QUOTED, "1200", "高校或科研院所"]])
    assert b'""' in data  # written the standard way: a quote inside a cell is doubled
    result = read_records(data, filename="quotes.csv")
    assert result.rejected == []
    [record] = result.records
    assert record.description == QUOTED and record.solver_requirements == "高校或科研院所"
    assert record.total_investment == 1200


# ------------------------------------------------------------------ item 2: unclosed quotes, field counts

def test_item2_an_unclosed_quote_is_a_file_error_naming_its_line(tmp_path: Path) -> None:
    text = ("需求编号,企业名称,需求名称,需求描述\n"
            "U-1,甲公司,需求一,\"研究开始却没有闭合的引号\n"
            "U-2,乙公司,需求二,第二条\n"
            "U-3,丙公司,需求三,第三条\n")
    with pytest.raises(InvalidFile) as info:
        read_records(text.encode("utf-8"), filename="open.csv")
    assert info.value.code == "csv_quote" and info.value.details["line"] == 2
    assert "第 2 行" in info.value.message_zh and "line 2" in info.value.message_en
    (tmp_path / "open.csv").write_text(text, encoding="utf-8")
    assert _jiebang(tmp_path / "h", "import", str(tmp_path / "open.csv")) == EXIT_INPUT


def test_item2_a_row_with_more_or_fewer_fields_than_the_header_is_rejected_with_its_line() -> None:
    text = ("需求编号,企业名称,需求名称,需求描述\n"
            "F-1,甲公司,需求一,\"跨两行的\n描述\"\n"
            "F-2,乙公司,需求二,描述里,有逗号\n"
            "F-3,丙公司,需求三\n"
            "F-4,丁公司,需求四,完整\n")
    result = read_records(text.encode("utf-8"), filename="width.csv")
    assert [r.external_id for r in result.records] == ["F-1", "F-4"]
    reasons = {r.row_number: r for r in result.rejected}
    assert set(reasons) == {3, 4}
    assert "文件第 4 行" in reasons[3].reason_zh and "5 个字段" in reasons[3].reason_zh  # F-1 spans lines 2-3
    assert "line 5" in reasons[4].reason_en


ALPHABET = list("需求研发技术双碳目标甲乙丙丁，。、；：“”（）abcXYZ0123456789 ") + ['"', ",", "\n", "\r\n", ";", "\t", "'"]
TEXT_HEADERS = ["企业名称", "需求名称", "需求描述", "对揭榜方要求", "交付要件"]


def _value(rng: random.Random) -> str:
    while True:
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40))).strip()
        if text:
            return text


@pytest.mark.parametrize("writer", ["csv", "csv-all", "pandas"])
def test_item1_property_tables_written_by_python_csv_and_pandas_read_back_identical(writer: str) -> None:
    """Seeded random tables — quotes, commas, newlines, tabs, semicolons, Chinese — written by Python's csv
    module (minimal and full quoting) and by pandas read back cell for cell, and record for record."""
    rng = random.Random(20231)
    for _ in range(60):
        rows = [[_value(rng) for _ in TEXT_HEADERS] for _ in range(rng.randint(1, 6))]
        if writer == "pandas":
            data = pd.DataFrame(rows, columns=TEXT_HEADERS).to_csv(index=False).encode("utf-8")
        else:
            out = io.StringIO(newline="")
            quoting = csv.QUOTE_ALL if writer == "csv-all" else csv.QUOTE_MINIMAL
            csv.writer(out, quoting=quoting).writerows([TEXT_HEADERS, *rows])
            data = out.getvalue().encode("utf-8")
        table = read_csv_table(data.decode("utf-8"))
        assert [cells for _, _, cells in table] == [TEXT_HEADERS, *rows]
        result = read_records(data, filename="t.csv")
        assert result.rejected == []
        read = [[getattr(r, n) for n in ("name", "title", "description", "solver_requirements", "deliverables")]
                for r in result.records]
        assert read == rows


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
    assert _jiebang(home, "import", str(write_jsonl(tmp_path / "full.jsonl", [full]))) == EXIT_OK
    few = {"需求编号": full["需求编号"], "企业名称": full["企业名称"], "需求名称": full["需求名称"], "需求描述": "新的描述。"}
    (tmp_path / "few.csv").write_bytes(_csv([list(few), list(few.values())]))
    capsys.readouterr()
    assert _jiebang(home, "import", str(tmp_path / "few.csv")) == EXIT_OK
    out = capsys.readouterr().out
    assert "更新 1" in out and "更新：需求描述" in out
    assert _jiebang(home, "export", str(tmp_path / "out.jsonl"), "--include-personal") == EXIT_OK
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
    assert _jiebang(tmp_path / "h", "import", str(folder)) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "新增 1" in out and "b.xls" in out and "c.doc" in out and "请另存为 .xlsx/.docx" in out
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in folder.iterdir():
            z.write(p, p.name)
    assert _jiebang(tmp_path / "h2", "import", str(archive), "--json") == EXIT_PROBLEMS
    report = json.loads(capsys.readouterr().out)
    assert report["new"] == 1 and [f["file"] for f in report["skipped_files"]] == ["b.xls", "c.doc"]
    assert all("另存为" in f["reason_zh"] for f in report["skipped_files"])
    (tmp_path / "alone.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert _jiebang(tmp_path / "h3", "import", str(tmp_path / "alone.doc")) == EXIT_INPUT
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
        assert intake.check_all(s, campaign, actor="t").changed == 0
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
        assert _jiebang(tmp_path / "h", "import", str(tmp_path / name)) == EXIT_PROBLEMS, name
        out = capsys.readouterr().out
        assert "共 0 行" in out and "没有数据行" in out and "no data rows" in out, (name, out)


# ------------------------------------------------------------------------------------- item 11: exit codes

def test_item11_exit_code_3_is_for_files_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    assert _jiebang(home, "import", str(write_jsonl(tmp_path / "d.jsonl", [make_row(1)]))) == EXIT_OK
    assert _jiebang(home, "experts", "rank", "9999") == EXIT_USAGE  # no such demand
    assert _jiebang(home, "dedup", "--dismiss", "1", "99999") == EXIT_USAGE
    assert _jiebang(home, "export", str(tmp_path / "x.pdf")) == EXIT_USAGE
    assert _jiebang(home, "token", "revoke", "nosuchprefix") == EXIT_USAGE
    # a JSONL of the wrong kind is a file of the wrong kind, like a CSV without the form's columns
    experts = write_jsonl(tmp_path / "experts.jsonl", [{"专家编号": "E1", "姓名": "张三", "研究领域": "材料"}])
    assert _jiebang(home, "import", str(experts)) == EXIT_INPUT
    assert "企业名称" in capsys.readouterr().err


# ------------------------------------------------------------------------------ item 7: demo and user data

def _tiny_samples(tmp_path: Path) -> Path:
    samples = tmp_path / "samples"
    samples.mkdir()
    write_jsonl(samples / "demands.jsonl", [make_row(i) for i in range(1, 4)])
    return samples


def _demo(home: Path, samples: Path, *more: str) -> int:
    return main(["-q", "demo", "--home", str(home), "--samples", str(samples), *more])


def test_item7_demo_refuses_a_home_holding_what_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples, home = _tiny_samples(tmp_path), tmp_path / "demo"
    assert _demo(home, samples) == EXIT_OK
    mine = write_jsonl(tmp_path / "mine.jsonl", [make_row(40, 需求名称="用户自己导入的需求")])
    assert _jiebang(home, "import", str(mine)) == EXIT_OK
    capsys.readouterr()
    assert _demo(home, samples) == EXIT_USAGE
    assert "--force" in capsys.readouterr().err
    engine, sessions = open_database(f"sqlite:///{home / 'jiebang.db'}")
    with sessions() as s:  # the user's row is still there
        assert s.scalar(select(func.count()).select_from(db.Demand).where(db.Demand.external_id == "T-040")) == 1
    engine.dispose()
    assert _demo(home, samples, "--force") == EXIT_OK


# ----------------------------------------------------------------------------------- item 12: newcomer traps

def test_item12_the_demo_token_stays_valid_when_the_demo_runs_again(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from api.services.access import authenticate

    samples, home = _tiny_samples(tmp_path), tmp_path / "demo"
    assert _demo(home, samples) == EXIT_OK
    token = capsys.readouterr().out.rsplit("：", 1)[-1].split()[0]
    assert token.startswith("jb_")
    assert _jiebang(home, "token", "create", "--role", "staff", "--subject", "规划处") == EXIT_OK  # README's next step
    staff = capsys.readouterr().out.strip().splitlines()[-1]
    assert _demo(home, samples) == EXIT_OK  # a token is not data the demo refuses to rebuild over
    assert "仍然有效" in capsys.readouterr().out
    engine, sessions = open_database(f"sqlite:///{home / 'jiebang.db'}")
    with sessions() as s:
        assert authenticate(s, token).role == "admin" and authenticate(s, staff).role == "staff"
    engine.dispose()


def test_item12_a_short_admin_token_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from api.compose import load_settings
    from api.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        load_settings({"JIEBANG_ADMIN_TOKEN": "x"})
    assert info.value.code == "admin_token_too_short"
    assert load_settings({"JIEBANG_ADMIN_TOKEN": "k" * 32}).admin_token == "k" * 32
    monkeypatch.setenv("JIEBANG_ADMIN_TOKEN", "secret")
    assert _jiebang(tmp_path / "h", "check") == 4
    assert "JIEBANG_ADMIN_TOKEN" in capsys.readouterr().err


def test_item12_stopping_the_server_interrupts_a_running_job_and_says_so(settings: Settings) -> None:
    import threading

    from api.services.jobs import Jobs

    engine, sessions = open_database(settings.db_url)
    jobs = Jobs(sessions)
    started, finished = threading.Event(), threading.Event()

    def long_import(session, progress):
        for i in range(6000):  # bounded: about a minute if nothing stops it
            progress("import", i, 6000)
            started.set()
            threading.Event().wait(0.01)
        finished.set()
        return {}

    with sessions() as s:
        job_id = jobs.submit(s, "import", {}, "t", long_import)
        queued = jobs.submit(s, "import", {}, "t", long_import)
    assert started.wait(30)
    jobs.shutdown()
    assert not finished.is_set()
    with sessions() as s:
        for jid in (job_id, queued):
            row = s.get(db.Job, jid)
            assert row.status == "failed" and row.error["code"] == "job_interrupted", (jid, row.status, row.error)
            assert "中断" in row.error["message_zh"]
    engine.dispose()


def test_item12_audit_shows_what_changed_without_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "h"
    assert _jiebang(home, "import", str(write_jsonl(tmp_path / "a.jsonl", [make_row(1)]))) == EXIT_OK
    assert _jiebang(home, "import", str(write_jsonl(tmp_path / "b.jsonl", [make_row(1, 需求描述="改过的描述。")]))) == EXIT_OK
    capsys.readouterr()
    assert _jiebang(home, "audit", "--entity", "demand") == EXIT_OK
    out = capsys.readouterr().out
    assert "需求描述：面向风电主轴的第1号大型轴承精密磨削工艺研究。 → 改过的描述。" in out
    assert "13912345678" not in out  # personal values stay masked


def test_item12_the_readme_makes_its_token_in_the_home_it_serves() -> None:
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    served = re.search(r"jiebang --home (\S+) serve", readme).group(1)
    block = readme[:readme.index("token create --role staff --subject 规划处")]
    exported = re.findall(r"export JIEBANG_HOME=(\S+)", block)
    assert exported and exported[-1] == served


def test_item12_the_import_report_and_check_count_duplicates_alike(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    text = "面向风电主轴的大型轴承精密磨削工艺研究，解决磨削烧伤和圆度超差问题，提升轴承寿命与可靠性。"
    rows = [make_row(1, 需求描述=text), make_row(2, 需求描述=text),
            make_row(3, 需求名称="水稻抗病育种", 需求描述="利用分子标记辅助选择培育抗稻瘟病的优质水稻新品种，建立示范基地。")]
    home = tmp_path / "h"
    capsys.readouterr()
    _jiebang(home, "import", str(write_jsonl(tmp_path / "d.jsonl", rows)), "--json")
    imported = json.loads(capsys.readouterr().out)["findings_by_rule"]
    _jiebang(home, "check", "--json")
    checked = json.loads(capsys.readouterr().out)["check"]["findings_by_rule"]
    assert imported.get("duplicate") == checked.get("duplicate") == 2  # both sides of the pair, both times
    assert imported.get("duplicate_related") == checked.get("duplicate_related")


def test_item12_an_import_job_knows_how_many_rows_it_goes_through(settings: Settings, tmp_path: Path) -> None:
    from api.services.jobs import Jobs, import_work

    engine, sessions = open_database(settings.db_url)
    with sessions() as s:
        campaign = load_campaign(s, settings.campaign_file)
    source = write_jsonl(tmp_path / "d.jsonl", [make_row(i) for i in range(1, 4)])
    jobs = Jobs(sessions)
    with sessions() as s:
        job_id = jobs.submit(s, "import", {}, "t", import_work(source, "demands", campaign, actor="t", source="d.jsonl",
                                                               steps=intake.DEFAULT_INTAKE_STEPS, context={}))
    jobs.wait(job_id)
    with sessions() as s:
        row = s.get(db.Job, job_id)
        assert row.status == "done" and (row.done, row.total) == (3, 3)
    jobs.shutdown()
    engine.dispose()


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
