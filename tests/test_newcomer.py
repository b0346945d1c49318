"""A new user's first hour (#23 items 7 and 12): the demo never wipes what it did not write and its token stays
valid, a short admin token is refused, stopping the server says what it interrupted, audit shows changes, the
README's commands work as written, and the demo's counts agree."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.cli import main
from api.cli.common import EXIT_OK, EXIT_USAGE
from api.config import Settings
from api.services import intake
from api.services.campaign import load_campaign
from api.store import tables as db
from api.store.engine import open_database
from tests.demand_rows import make_row, write_jsonl
from tests.cli_runs import jiebang


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
    assert jiebang(home, "import", str(mine)) == EXIT_OK
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
    assert jiebang(home, "token", "create", "--role", "staff", "--subject", "规划处") == EXIT_OK  # README's next step
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
    assert jiebang(tmp_path / "h", "check") == 4
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
    assert jiebang(home, "import", str(write_jsonl(tmp_path / "a.jsonl", [make_row(1)]))) == EXIT_OK
    assert jiebang(home, "import", str(write_jsonl(tmp_path / "b.jsonl", [make_row(1, 需求描述="改过的描述。")]))) == EXIT_OK
    capsys.readouterr()
    assert jiebang(home, "audit", "--entity", "demand") == EXIT_OK
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
    jiebang(home, "import", str(write_jsonl(tmp_path / "d.jsonl", rows)), "--json")
    imported = json.loads(capsys.readouterr().out)["findings_by_rule"]
    jiebang(home, "check", "--json")
    checked = json.loads(capsys.readouterr().out)["check"]["findings_by_rule"]
    assert imported.get("duplicate") == checked.get("duplicate") == 2  # both sides of the pair, both times
    assert imported.get("duplicate_related") == checked.get("duplicate_related")


def test_item12_an_import_job_knows_how_many_rows_it_goes_through(settings: Settings, tmp_path: Path) -> None:
    from api.services.job_work import import_work
    from api.services.jobs import Jobs

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
