"""Import validation, identifier checks, list filters, safe CSV and review records, through the real app and CLI."""
from __future__ import annotations

import csv
import json

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.config import Settings
from api.http.app import create_app
from tests.demand_rows import make_row
from tests.dup_texts import TEXTS
from tests.tokens import ADMIN, bearer, token_for


@pytest.fixture
def client(app_settings: Settings):
    with TestClient(create_app(app_settings), headers=bearer(token_for(app_settings, "staff"))) as c:
        yield c


def _upload(client: TestClient, rows: list[dict], kind: str = "demands") -> dict:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
    r = client.post(f"/imports?kind={kind}", files={"file": ("rows.jsonl", body)})
    assert r.status_code == 200, r.text
    return r.json()


def test_every_problem_of_a_rejected_row_and_a_repeated_demand_number_are_listed(client) -> None:
    bad = make_row(2, **{"上年度销售收入(万元)": "很多", "提交时间": "去年", "独立法人": "也许"})
    report = _upload(client, [make_row(1), bad, make_row(3, 需求编号="T-001", 需求名称="另一个需求")])
    problems = [(r["row_number"], r["field"]) for r in report["rejected"]]
    assert sorted(p for p in problems if p[0] == 2) == [(2, "上年度销售收入(万元)"), (2, "提交时间"), (2, "独立法人")]
    assert (3, "需求编号") in problems and "第 1 行" in next(r["reason_zh"] for r in report["rejected"]
                                                        if r["row_number"] == 3)
    assert report["new"] == 1 and client.get("/demands").json()["total"] == 1


def test_identifiers_that_cannot_be_right_are_findings(client) -> None:
    good = client.post("/demands", json=make_row(4)).json()["demand"]
    assert not {"credit_code_invalid", "phone_invalid", "email_invalid"} & {f["rule_id"] for f in good["findings"]}
    row = make_row(5, 统一社会信用代码="91210100MA0XXXXX1Y", 联系人手机="1391234", 联系人电子邮箱="wang.at.example")
    found = {(f["rule_id"], tuple(f["fields"])) for f in client.post("/demands", json=row).json()["demand"]["findings"]}
    assert {("credit_code_invalid", ("统一社会信用代码",)), ("phone_invalid", ("联系人手机",)),
            ("email_invalid", ("联系人电子邮箱",))} <= found


def test_list_filters_read_values_like_intake(client) -> None:
    client.post("/demands", json=make_row(6, 注册地区="大连市", 批次="第二批"))
    client.post("/demands", json=make_row(7, 注册地区="沈阳市"))
    assert client.get("/demands", params={"region": "大连"}).json()["total"] == 1
    assert client.get("/demands", params={"region": "辽宁省大连市"}).json()["total"] == 1
    assert client.get("/demands", params={"batch": "2"}).json()["total"] == 1
    assert client.get("/demands", params={"region": "北京"}).json()["total"] == 0


def test_csv_exports_are_safe_against_formula_injection(client, app_settings, tmp_path) -> None:
    client.post("/demands", json=make_row(8, 需求名称='=HYPERLINK("http://x","点我")', 需求描述="+1+1 -2 @SUM(A1)"))
    out = tmp_path / "all.csv"
    assert main(["--home", str(app_settings.home), "-q", "export", str(out)]) == 0
    [row] = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert row["需求名称"].startswith("'=") and row["需求描述"].startswith("'+")
    assert float(row["上年度销售收入(万元)"]) == 8000  # numbers untouched


def test_review_records_over_http_take_the_import_files_keys(client, app_settings) -> None:
    admin = ADMIN
    expert_file = [{"专家编号": "E9", "姓名": "赵专家", "工作单位": "大连海洋大学", "研究领域": "海参 育苗"}]
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in expert_file).encode("utf-8")
    assert client.post("/imports?kind=experts", headers=admin, files={"file": ("e.jsonl", body)}).status_code == 200
    ok = client.post("/experts/E9/reviews", headers=admin,
                     json={"项目名称": "刺参耐高温品系选育", "关键词": "刺参、育苗；选育", "评审时间": "2023/4/1"})
    assert ok.status_code == 200, ok.text
    bad = client.post("/experts/E9/reviews", headers=admin, json={"项目名称": "x", "评审时间": "四月某天"})
    assert bad.status_code == 422 and "评审时间" in json.dumps(bad.json()["details"], ensure_ascii=False)
    log = client.get("/audit", headers=admin, params={"entity": "expert_review"}).json()
    assert log and log[0]["actor"] == "api:admin"


def test_the_worksheet_with_the_forms_header_is_read_whichever_it_is(client, tmp_path) -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按下表填写，每行一条需求。"])
    sheet = book.create_sheet("需求汇总")
    rows = [make_row(11), make_row(12)]
    sheet.append(["2023年揭榜挂帅需求汇总表"])  # a title row above the header
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    report = client.post("/imports", files={"file": ("汇总.xlsx", buffer.getvalue())}).json()
    assert report["new"] == 2 and report["rejected"] == []
    [note] = [n for n in report["notes"] if n["code"] == "sheet"]
    assert "需求汇总" in note["message_zh"] and note["details"]["sheets"] == ["填表说明", "需求汇总"]


def _form_row(n: int) -> dict:
    return make_row(n, 需求描述=TEXTS[n % len(TEXTS)], 需求名称=TEXTS[n % len(TEXTS)].split("，")[0][:28])


def _form_grid(n: int) -> list[list]:
    """One enterprise's 征集表 as the notice lays it out: labels with their values beside them."""
    r = _form_row(n)
    return [
        ["企业\"揭榜挂帅\"科技攻关需求征集表"],
        ["需求编号", r["需求编号"], "批次", r["批次"], "提交时间", r["提交时间"]],
        ["企业名称", r["企业名称"], "统一社会信用代码：", r["统一社会信用代码"]],
        ["注册地区", r["注册地区"], "科技企业性质", r["科技企业性质"]],
        ["法定代表人", "姓名", "李四", "职务", "董事长", "手机", "13912345670"],
        ["联系人", "姓名", r["联系人姓名"], "职务", "经理", "手机", r["联系人手机"], "电子邮箱", r["联系人电子邮箱"]],
        ["独立法人", "是", "近三年信用不良记录", "否"],
        ["上年度销售收入（万元）", 8000, "上年度研发费用（万元）", 600],
        ["需求类别", "重大需求", "需求名称", r["需求名称"]],
        ["技术领域", r["技术领域"], "技术基础", ""],
        ["*需求描述", r["需求描述"]],
        ["需求研发总投入（万元）", 1200],
    ]


def _form_xlsx(path, n: int) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for row in _form_grid(n):
        book.active.append(row)
    book.save(path)


def _form_docx(path, n: int) -> None:
    import docx

    document = docx.Document()
    grid = _form_grid(n)
    document.add_paragraph(grid[0][0])
    table = document.add_table(rows=len(grid) - 1, cols=9)
    for i, row in enumerate(grid[1:]):
        for j, value in enumerate(row):
            table.cell(i, j).text = str(value)
    table.cell(9, 1).merge(table.cell(9, 8))  # 需求描述 spans the row, as on the printed form
    table.cell(9, 1).text = str(grid[10][1])
    document.save(path)


def test_the_enterprise_form_imports_from_xlsx_docx_a_folder_and_a_zip(client, app_settings, tmp_path, capsys) -> None:
    import zipfile

    folder = tmp_path / "征集表"
    folder.mkdir()
    _form_xlsx(folder / "企业A.xlsx", 91)
    _form_docx(folder / "企业B.docx", 92)
    home = ["--home", str(app_settings.home)]
    assert main([*home, "-q", "import", str(folder / "企业A.xlsx")]) == 0
    assert "新增 1" in capsys.readouterr().out
    r = client.post("/imports", files={"file": ("企业B.docx", (folder / "企业B.docx").read_bytes())}).json()
    assert r["new"] == 1 and r["rejected"] == [], r
    admin = ADMIN
    records = {d["external_id"]: d for d in client.get("/demands", headers=admin).json()["items"]}
    for n in (91, 92):
        sent, stored = _form_row(n), records[f"T-{n:03d}"]["record"]
        for header in ("企业名称", "统一社会信用代码", "需求描述", "联系人姓名", "联系人电子邮箱", "需求名称"):
            assert stored[header] == sent[header], (n, header)
        assert stored["法定代表人手机"] == "13912345670" and stored["上年度销售收入(万元)"] == 8000
        assert records[f"T-{n:03d}"]["check_status"] == "ok", records[f"T-{n:03d}"]["findings"]
    assert main([*home, "-q", "import", str(folder)]) == 0  # the folder again: both unchanged
    assert "未变 2" in capsys.readouterr().out
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        _form_xlsx(tmp_path / "c.xlsx", 93)
        z.write(tmp_path / "c.xlsx", "第三批/企业C.xlsx")
        z.writestr("说明.txt", "not a form")
    report = client.post("/imports", files={"file": ("forms.zip", archive.read_bytes())}).json()
    assert report["new"] == 1 and any(n["code"] == "file" and "企业C.xlsx" in n["message_zh"] for n in report["notes"])


def test_a_zip_that_unpacks_to_too_much_is_refused_before_it_is_read(client) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.csv", b"0" * (600 * 2**20))  # 600 MB of zeros, a few hundred KB packed
    r = client.post("/imports", files={"file": ("bomb.zip", buffer.getvalue())})
    assert r.status_code == 422 and r.json()["code"] == "payload_too_large" and "MB" in r.json()["message_zh"]
