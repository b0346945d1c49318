"""A large file's duplicate check runs in a child process (#21), so the server's request threads keep the
interpreter while an import job checks it: the findings are the same as checked in the importing thread (and as
one-by-one intake), and a child that dies fails the import with nothing of the file stored (SQLite, PostgreSQL)."""
from __future__ import annotations

import os
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from api.services.bulk_intake import PureStep
from api.services.check_process import CheckProcess, CheckProcessFailed
from api.services.duplicate_file import FileCheck
from api.services.finding_rows import findings_by_external_id
from api.services.imports import import_demands
from api.services.intake import submit_demand
from api.services.views import view_of
from api.forms.models import DemandRecord
from tests.demand_rows import make_row, write_jsonl
from tests.file_vs_one_by_one import file_and_one_by_one
from tests.stores import services  # noqa: F401 - each test on SQLite and PostgreSQL

TEXT = "面向海上风电主轴承的大型圆锥滚子轴承精密磨削与在线检测关键技术研究，解决滚道波纹度超差问题。"


def _row(n: int, prefix: str = "C", **kw) -> dict:
    return make_row(n, **{"需求编号": f"{prefix}-{n}", "需求描述": f"第{n}号：{TEXT[:18 + n % 9]}第{n}类部件研究。", **kw})


def _checks_in_child(services) -> None:
    services.settings = replace(services.settings, check_process_rows=1)  # every file, however small


def _children(name: str) -> list[int]:
    """Living child processes of this one whose command line names ``name``."""
    out = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if entry.isdigit() and int(stat[stat.rindex(")") + 2:].split()[1]) == os.getpid() and name.encode() in cmd:
            out.append(int(entry))
    return out


def test_a_file_checked_in_a_child_process_finds_what_the_importing_thread_finds(services) -> None:
    """The child (another pid, not this interpreter) lists the same candidates per row, and a demand stored
    meanwhile pairs with the same rows there as here; once closed, the child is gone."""
    with services.session() as s:
        for n in range(1, 9):
            submit_demand(s, services.campaign, _row(n, "S", **({"需求描述": TEXT} if n == 3 else {})), actor="t",
                          steps=services.intake_steps)
    views = [view_of(DemandRecord.model_validate(_row(n, **({"需求描述": TEXT} if n in (12, 15) else {}))))
             for n in range(10, 30)]
    with services.session() as s:
        here = FileCheck(services.duplicates, s, views, process_rows=None)
        there = FileCheck(services.duplicates, s, views, process_rows=1)
    assert isinstance(there.checker, CheckProcess) and there.checker.pid != os.getpid()
    assert there.found == here.found and any(c.id == 3 or c.id >= 1 << 60 for c in there.found[5])
    meanwhile = view_of(DemandRecord.model_validate(_row(40, 需求描述=TEXT)))
    vector = services.duplicates.encode([meanwhile])[0]
    args = (meanwhile.duplicate_text.text, vector, meanwhile.signals)
    assert there.checker.against_batch(*args) == here.checker.against_batch(*args) != []
    there.close()
    assert there.checker.pid not in _children("check_process")


def test_an_import_checked_in_a_child_process_equals_one_by_one_intake(services, tmp_path) -> None:
    """The whole path (check in the child, what came meanwhile, the locked step): same findings as one by one."""
    _checks_in_child(services)
    stored = [_row(n, "S", **({"需求描述": TEXT} if n == 2 else {})) for n in range(1, 5)]
    incoming = [_row(n, **({"需求描述": TEXT} if n in (11, 14) else {})) for n in range(10, 18)]
    report, whole, one_by_one = file_and_one_by_one(services, tmp_path, stored, incoming)
    assert report.new == len(incoming) and whole == one_by_one
    assert {"S-2", "C-14"} <= {c for rule, _, cs in whole["C-11"] if rule == "duplicate" for c in cs}


def test_a_check_process_that_dies_fails_the_import_and_stores_nothing_of_the_file(services, tmp_path) -> None:
    """The child is killed while the file is checked and a clerk submits meanwhile: the import fails with its own
    bilingual error (no traceback, no text of the file), nothing of the file is stored, the clerk's demand is."""
    _checks_in_child(services)
    killed: list[int] = []

    def kill_and_submit(session, campaign, item) -> list:
        if not killed:
            killed.extend(_children("check_process"))
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            with services.session() as other:  # stored meanwhile: the file must fold it in, asking the child
                submit_demand(other, services.campaign, _row(900, "S", 需求描述=TEXT), actor="clerk",
                              steps=services.intake_steps)
        return []

    rows = [_row(n, **({"需求描述": TEXT} if n == 3 else {})) for n in range(1, 7)]
    with services.session() as s, pytest.raises(CheckProcessFailed) as failed:
        import_demands(s, services.campaign, write_jsonl(tmp_path / "f.jsonl", rows), actor="t",
                       steps=(*services.intake_steps, PureStep(kill_and_submit)))
    assert len(killed) == 1
    body = failed.value.to_body()
    assert body["code"] == "check_process_failed" and "未导入" in body["message_zh"] and "Traceback" not in str(body)
    with services.session() as s:
        assert set(findings_by_external_id(s)) == {"S-900"}
