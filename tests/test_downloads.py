"""Every export is a download named in Chinese with an ASCII fallback (api/http/downloads.py), through the app."""
from __future__ import annotations

from urllib.parse import unquote

from tests.tokens import ADMIN


def test_exports_are_named_in_chinese_with_an_ascii_fallback(client) -> None:
    for path, params, name, fallback in (("/bangdan/export.xlsx", {"office": "高新处"}, "榜单草稿-高新处.xlsx", "bangdan.xlsx"),
                                         ("/bangdan/export.docx", {}, "榜单草稿-全部.docx", "bangdan.docx"),
                                         ("/condense/report.xlsx", {}, "凝练.xlsx", "condensation.xlsx")):
        r = client.get(path, params=params, headers=ADMIN)
        assert r.status_code == 200, (path, r.text)
        disposition = r.headers["content-disposition"]
        assert disposition.startswith(f'attachment; filename="{fallback}"'), disposition
        assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
        assert r.content[:2] == b"PK"  # a real Office file
