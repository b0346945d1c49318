"""``jiebang accounts`` (#20): an admin creates people's accounts, resets passwords, lists and disables them
from the command line, over the same accounts service (and composition root) as the console's 用户账号 page."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from api.cli.common import EXIT_OK, EXIT_USAGE
from api.compose import build_services, load_settings
from api.services.accounts import sign_in
from tests.cli_runs import jiebang


def test_an_admin_manages_accounts_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`jiebang accounts`: the same accounts service as the console's 用户账号 page, audited, no password shown
    except a generated one, once; the person then signs in with it."""
    home = tmp_path / "home"
    monkeypatch.setattr("sys.stdin", io.StringIO("chushi-mima-2024\n"))
    assert jiebang(home, "accounts", "add", "Li.Na", "--name", "沈阳市科技局李娜", "--role", "bureau",
                    "--region", "沈阳市", "--password-stdin") == EXIT_OK
    assert "chushi-mima-2024" not in capsys.readouterr().out
    assert jiebang(home, "accounts", "add", "wang.fang", "--role", "bureau") == EXIT_USAGE  # a bureau needs its region
    assert "所属地区" in capsys.readouterr().err
    assert jiebang(home, "accounts", "add", "wang.fang", "--name", "规划处王芳", "--role", "staff") == EXIT_OK
    generated = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(generated) >= 10
    assert jiebang(home, "accounts", "list", "--json") == EXIT_OK
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role"], a["region"]) for a in listed] == [("li.na", "bureau", "沈阳市"),
                                                                        ("wang.fang", "staff", None)]
    assert "hash" not in json.dumps(listed)
    assert jiebang(home, "accounts", "reset", "wang.fang") == EXIT_OK
    reset = capsys.readouterr().out.strip().splitlines()[-1]
    assert reset != generated
    assert jiebang(home, "accounts", "disable", "li.na") == EXIT_OK
    assert jiebang(home, "accounts", "reset", "nobody") == EXIT_USAGE
    capsys.readouterr()

    services = build_services(load_settings(home=home))
    try:
        with services.session() as session:
            assert sign_in(session, "wang.fang", generated) is None  # the old password no longer works
            assert sign_in(session, "wang.fang", reset).display_name == "规划处王芳"
            assert sign_in(session, "li.na", "chushi-mima-2024") is None  # disabled
        assert jiebang(home, "audit", "--entity", "user", "--json") == EXIT_OK
        audit = capsys.readouterr().out
        assert [e["action"] for e in json.loads(audit)][:2] == ["revoke", "password_reset"]
        assert generated not in audit and reset not in audit and "chushi-mima-2024" not in audit
    finally:
        services.close()
