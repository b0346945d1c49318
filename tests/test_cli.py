"""The ``jiebang`` CLI: import/export/check/demo through main(argv) and a real subprocess, with exit codes."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from api.cli import main
from api.cli.common import EXIT_FAILURE, EXIT_INPUT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from corpora import SAMPLES_DIR
from tests.demand_rows import CONTACT_MOBILE, CONTACT_NAME, make_row, write_jsonl
from tests.cli_runs import jiebang

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_import_export_check_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    rows = [make_row(i) for i in range(1, 5)] + [make_row(9, 需求名称="")]
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    assert jiebang(home, "import", str(source)) == EXIT_PROBLEMS  # one row rejected
    out = capsys.readouterr().out
    assert "新增 4" in out and "第 5 行 [需求名称]" in out and "row 5 [需求名称]" in out
    assert jiebang(home, "import", str(source), "--json") == EXIT_PROBLEMS
    assert json.loads(capsys.readouterr().out)["unchanged"] == 4

    for fmt in ("xlsx", "csv", "jsonl"):
        target = tmp_path / f"out.{fmt}"
        assert jiebang(home, "export", str(target)) == EXIT_OK
        assert target.stat().st_size > 0
    exported = (tmp_path / "out.jsonl").read_text(encoding="utf-8")
    assert len(exported.splitlines()) == 4 and CONTACT_NAME not in exported and "***" in exported
    assert jiebang(home, "export", str(tmp_path / "full.jsonl"), "--include-personal") == EXIT_OK
    assert CONTACT_MOBILE in (tmp_path / "full.jsonl").read_text(encoding="utf-8")
    # an export re-imports as the same demands (the Excel file has Chinese headers)
    assert jiebang(tmp_path / "home2", "import", str(tmp_path / "out.xlsx")) == EXIT_OK
    capsys.readouterr()

    assert jiebang(home, "check") == EXIT_OK
    assert "不符合要求 0" in capsys.readouterr().out


def test_check_json_lists_rule_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    rows = [make_row(1, 提交时间="2023-04-02"), make_row(2)]
    assert jiebang(home, "import", str(write_jsonl(tmp_path / "a.jsonl", rows))) == EXIT_OK
    capsys.readouterr()
    assert jiebang(home, "check", "--json") == EXIT_PROBLEMS
    body = json.loads(capsys.readouterr().out)
    assert body["check"]["demands"] == 2 and body["check"]["by_status"]["error"] == 1
    assert body["check"]["findings_by_rule"].get("submission_deadline") == 1
    assert {q["name"] for q in body["quota"]} >= {"沈阳市", "浑南科技城"}


def test_clerk_errors_have_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert jiebang(tmp_path / "h", "import", str(tmp_path / "missing.xlsx")) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "找不到文件" in err and "file not found" in err
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert jiebang(tmp_path / "h", "import", str(tmp_path / "notes.txt")) == EXIT_INPUT
    with pytest.raises(SystemExit) as usage:
        main(["no-such-command"])
    assert usage.value.code == 2


def test_demo_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = tmp_path / "samples"
    samples.mkdir()
    rows = [make_row(i) for i in range(1, 7)] + [make_row(6, 需求编号="T-X", 需求名称="第三项"),
                                                 make_row(6, 需求编号="T-Y", 需求名称="第四项")]
    write_jsonl(samples / "demands.jsonl", rows)
    write_jsonl(samples / "solvers.jsonl", [{"单位编号": "S1", "单位名称": "大连理工大学", "单位类型": "高校",
                                             "所在地区": "大连市", "研究方向": "精密制造"}])
    home = tmp_path / "demo"
    for _ in range(2):  # a second run starts fresh again
        assert main(["-q", "demo", "--home", str(home), "--samples", str(samples)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "新增 8" in out.rsplit("演示", 1)[-1] and "by region" in out and "max_demands_per_enterprise" in out
    book = openpyxl.load_workbook(home / "jiebang-demo.xlsx")
    assert [s.split()[0] for s in book.sheetnames] == ["需求", "规则", "配额", "专家组", "查重", "凝练", "领域"]
    assert book[book.sheetnames[0]].max_row == 9
    assert book["领域 domains"].max_row == 9  # every demand has a domain suggestion
    assert "梳理凝练" in out and "技术领域建议：8 条需求" in out
    by_office = out.split("各处室未归类：", 1)[1].split("\n", 1)[0]  # the demo says where 未归类 falls (#18)
    assert sum(int(part.split()[-1].split("/")[1]) for part in by_office.split("  ")[0].split("、")) == 8


def test_console_entry_runs_in_a_subprocess(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [make_row(1)])
    run = subprocess.run([sys.executable, "-m", "api.cli", "--home", str(tmp_path / "h"), "-q", "import",
                          str(source)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert run.returncode == EXIT_OK, run.stderr
    assert "新增 1" in run.stdout
    helped = subprocess.run([sys.executable, "-m", "api.cli", "--help"], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert helped.returncode == 0 and "退出码" in helped.stdout


def test_demo_never_deletes_a_database_it_did_not_create(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "office"
    source = tmp_path / "real.jsonl"
    write_jsonl(source, [make_row(1), make_row(2)])
    assert main(["--home", str(home), "-q", "import", str(source)]) == EXIT_OK  # a real round, not the demo's
    before = (home / "jiebang.db").read_bytes()
    assert main(["-q", "demo", "--home", str(home)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "--force" in err and "不会删除" in err
    assert (home / "jiebang.db").read_bytes() == before and not (home / "jiebang-demo.xlsx").exists()
    assert main(["--home", str(home), "-q", "export", str(tmp_path / "out.jsonl")]) == EXIT_OK
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 2  # still there
    assert main(["-q", "demo", "--home", str(home), "--force"]) == EXIT_OK  # told to: it may
    assert (home / "jiebang-demo.xlsx").is_file()


def test_demo_on_the_shipped_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = SAMPLES_DIR / "demands.jsonl"
    expected = sum(1 for line in sample.read_text(encoding="utf-8").splitlines() if line.strip())
    assert main(["-q", "demo", "--home", str(tmp_path / "demo")]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"新增 {expected}" in out and "拒绝 0" in out
    book = openpyxl.load_workbook(tmp_path / "demo" / "jiebang-demo.xlsx")
    assert book[book.sheetnames[0]].max_row == expected + 1
    findings = book[book.sheetnames[1]]
    # clerks read Chinese: statuses, rule names and severities (rule ids stay beside them)
    statuses = {row[11] for row in book[book.sheetnames[0]].iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"通过", "有提醒", "不符合要求"} and "不符合要求" in statuses
    labelled = {(row[3], row[4], row[5]) for row in findings.iter_rows(min_row=2, values_only=True)}
    assert all(rid != name for rid, name, _ in labelled)  # every rule has a Chinese name
    assert {sev for *_, sev in labelled} <= {"不符合要求", "提醒", "参考"}
    assert "（" in out and "疑似重复（duplicate）" in out
    found = {(row[1], row[3]) for row in findings.iter_rows(min_row=2, values_only=True)
             if not str(row[3]).startswith("duplicate")}  # duplicate checks: tests/test_dedup_api.py
    answers_file = SAMPLES_DIR / "answers.json"
    if answers_file.is_file():  # the sample's answer key: every deliberate violation, and nothing else
        answers = json.loads(answers_file.read_text(encoding="utf-8"))
        assert found == {(v["demand"], v["rule"]) for v in answers["violations"]}
    else:
        assert found  # the sample carries deliberate rule violations


@pytest.mark.parametrize("argv", [
    ["experts", "assign", "--mix", "财务=abc"], ["experts", "rank", "1", "--top", "-3"],
    ["experts", "assign", "--min-out-share", "1.5"], ["serve", "--port", "99999"],
    ["experts", "assign", "--panel-size", "0"], ["dedup", "--dismiss", "x", "2"],
    ["experts", "assign", "--force", "EXP001"], ["experts", "assign", "--forbid", "x:EXP001"],
])
def test_bad_option_values_are_usage_errors(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as usage:
        main(["--home", str(tmp_path / "home"), *argv])
    assert usage.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "expected" in err or "invalid" in err
    assert not (tmp_path / "home").exists()  # refused before anything was opened


def test_configuration_problems_and_a_busy_port_mean_the_service_cannot_run(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "--campaign", str(tmp_path / "missing.yaml"), "check"]) == EXIT_FAILURE
    assert "missing.yaml" in capsys.readouterr().err
    with socket.create_server(("127.0.0.1", 0)) as busy:
        taken = busy.getsockname()[1]
        assert main([*home, "serve", "--port", str(taken)]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert str(taken) in err and "--port" in err


def test_the_readme_expert_examples_run_on_the_demo_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's experts block, as written, on what `jiebang demo` loads."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("On the demo data (`jiebang demo` first", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.startswith(".venv/bin/jiebang")]
    assert len(commands) == 5
    home = ["--home", str(tmp_path / "demo")]
    assert main(["-q", "demo", *home]) == EXIT_OK
    assert main([*home, "token", "create", "--role", "expert_admin", "--subject", "专家处"]) == EXIT_OK
    token = capsys.readouterr().out.strip().splitlines()[-1]
    for command in commands:
        argv = command.replace("[--token $EXPERTS]", "--token $EXPERTS").replace("$EXPERTS", token).split()[1:]
        argv = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in argv]
        assert main([*home, *argv]) == EXIT_OK, command
    assert (tmp_path / "专家组.xlsx").is_file()
    out = capsys.readouterr().out
    assert "指定 1 对，禁止 1 对" in out  # the README's --force / --forbid pair was honoured
    assert "库中无合适专家" in out and "相关但须回避" in out  # demand 17: its only relevant expert avoids it
