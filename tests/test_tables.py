"""Import/export of Excel, CSV (UTF-8 and GBK) and JSONL with Chinese headers; rejected-row reporting."""
from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from api.errors import InvalidInput
from api.forms.models import DemandRecord, Expert, ExpertReview, Solver
from api.forms.personal import headers, to_row
from api.io.readers import read_records
from api.io.writers import write_csv, write_excel, write_jsonl
from matching.vocabulary import Batch

HEADER = ["需求编号", "批次", "企业名称", "统一社会信用代码", "注册地区", "上年度销售收入（万元）", "提交时间",
          "科技企业性质", "独立法人", "需求类别", "需求名称", "需求描述", "联系人手机", "备注"]
GOOD_ROW = ["D-001", "第一批", "沈阳示例装备有限公司", "91210100MA0000001X", "沈阳", "6,000",
            datetime(2023, 1, 20, 9, 0), "高新技术企业、瞪羚", "是", "重大需求", "智能焊接机器人", "长" * 1200,
            13800000000, "内部备注"]


def make_excel(path: Path, rows: list[list], header: list[str] = HEADER, title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def test_excel_with_chinese_headers_imports_as_is(tmp_path: Path) -> None:
    path = make_excel(tmp_path / "平台导出.xlsx", [GOOD_ROW], title="2023年揭榜挂帅需求汇总表")
    result = read_records(path)
    assert result.format == "excel" and result.rejected == []
    [(row_number, record)] = result.accepted
    assert row_number == 3  # title row 1, header row 2, data row 3 — as the clerk sees it
    assert isinstance(record, DemandRecord)
    assert record.external_id == "D-001" and record.batch is Batch.FIRST and record.region == "沈阳市"
    assert record.sales_revenue == 6000 and record.submitted_at == datetime(2023, 1, 20, 9, 0)
    assert record.is_high_tech and record.independent_legal_person is True
    assert record.contact_mobile == "13800000000" and len(record.description) == 1200
    assert result.unknown_columns == ["备注"]
    assert any(n.code == "unknown_columns" and "备注" in n.message_zh for n in result.notes)


def test_rejected_rows_have_row_number_field_and_bilingual_reason(tmp_path: Path) -> None:
    bad_number = GOOD_ROW.copy()
    bad_number[5] = "六千"
    no_title = GOOD_ROW.copy()
    no_title[10] = None
    two_errors = GOOD_ROW.copy()
    two_errors[1], two_errors[8] = "第九批", "不详"
    blank = [None] * len(HEADER)
    path = make_excel(tmp_path / "x.xlsx", [GOOD_ROW, bad_number, blank, no_title, two_errors, GOOD_ROW])
    result = read_records(path)
    assert [n for n, _ in result.accepted] == [2, 7]
    assert result.blank_rows == [4]
    assert result.rejected_row_numbers == [3, 5, 6]
    by_row = {(r.row_number, r.field): r for r in result.rejected}
    assert set(by_row) == {(3, "上年度销售收入(万元)"), (5, "需求名称"), (6, "批次"), (6, "独立法人")}
    r = by_row[3, "上年度销售收入(万元)"]
    assert "六千" in r.reason_zh and "not a number" in r.reason_en and r.raw["企业名称"] == "沈阳示例装备有限公司"
    assert "必填" in by_row[5, "需求名称"].reason_zh and "required" in by_row[5, "需求名称"].reason_en
    assert "第一批" in by_row[6, "批次"].reason_zh  # the allowed values are listed
    # Every data row is accounted for: accepted, rejected or reported blank.
    assert sorted([n for n, _ in result.accepted] + result.rejected_row_numbers + result.blank_rows) == [2, 3, 4,
                                                                                                         5, 6, 7]
    summary = result.summary()
    assert result.rows == 5 and summary["accepted"] == 2 and summary["rejected_rows"] == 3
    assert summary["rejected"][0]["raw"]["联系人手机"] == "***"  # personal data masked in the report
    json.dumps(summary)


def test_missing_required_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = make_excel(tmp_path / "x.xlsx", [["甲公司", "描述"]], header=["企业名称", "需求描述"])
    with pytest.raises(InvalidInput) as info:
        read_records(path)
    assert info.value.code == "missing_columns" and info.value.details["missing_columns"] == ["需求名称"]
    assert "需求名称" in info.value.message_zh and "required columns" in info.value.message_en


def test_csv_in_gbk_and_utf8(tmp_path: Path) -> None:
    text = "企业名称,需求名称,需求类别,需求研发总投入(万元),注册地区\n甲公司,乙需求,重点,\"1,200\",大连\n丙公司,丁需求,重大,abc,锦州\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    result = read_records(gbk)
    assert result.encoding == "gbk"
    [(row_number, record)] = result.accepted
    assert row_number == 2
    assert record.total_investment == 1200 and record.region == "大连市" and record.category.value == "重点需求"
    [rejected] = result.rejected
    assert rejected.row_number == 3 and rejected.field == "需求研发总投入(万元)"
    utf8 = read_records(text.encode("utf-8-sig"), filename="u.csv")
    assert utf8.encoding == "utf-8-sig" and [n for n, _ in utf8.accepted] == [2]


def test_jsonl_with_chinese_or_english_keys(tmp_path: Path) -> None:
    lines = [json.dumps({"企业名称": "甲公司", "需求名称": "乙", "批次": "第二批"}, ensure_ascii=False),
             "", "{not json", json.dumps({"name": "丙公司", "title": "丁", "unknown_key": 1}),
             json.dumps(["a list"]), json.dumps({"企业名称": "戊公司"}, ensure_ascii=False)]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_records(path)
    assert [n for n, _ in result.accepted] == [1, 4] and result.blank_rows == [2]
    assert [(r.row_number, r.field) for r in result.rejected] == [(3, None), (5, None), (6, "需求名称")]
    assert "JSON" in result.rejected[0].reason_zh and result.unknown_columns == ["unknown_key"]


def test_unsupported_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        read_records(b"...", filename="old.xls")
    assert info.value.code == "unsupported_format" and ".xlsx" in info.value.message_zh
    with pytest.raises(InvalidInput) as info:
        read_records(b"PK not really a zip", filename="broken.xlsx")
    assert info.value.code == "file_unreadable"
    empty = read_records(b"", filename="empty.csv")  # one answer for every empty file: no rows (#23)
    assert empty.rows == 0 and [n.code for n in empty.notes] == ["no_rows"]


def test_expert_review_and_solver_tables(tmp_path: Path) -> None:
    experts = tmp_path / "experts.csv"
    experts.write_text("专家编号,姓名,工作单位,所在地区,专家类别,关键词,是否可用\n"
                       "E001,张某,大连理工大学,大连,技术,焊接、机器人,是\nE002,李某,清华大学,北京,管理,,否\n",
                       encoding="utf-8")
    result = read_records(experts, Expert)
    assert [e.keywords for e in result.records] == [["焊接", "机器人"], []]
    assert [e.in_province for e in result.records] == [True, False]
    reviews = read_records(b'{"\xe4\xb8\x93\xe5\xae\xb6\xe7\xbc\x96\xe5\x8f\xb7": "E001", "project_title": "P"}\n',
                           ExpertReview, filename="r.jsonl")
    assert reviews.records[0].expert_id == "E001"
    solvers = read_records("单位编号,单位名称,单位类型\nS1,大连理工大学,高校\n".encode("gbk"), Solver,
                           filename="s.csv")
    assert solvers.records[0].kind.value == "高校"


def test_write_excel_round_trip(tmp_path: Path) -> None:
    source = make_excel(tmp_path / "in.xlsx", [GOOD_ROW, GOOD_ROW[:2] + ["乙公司"] + GOOD_ROW[3:]])
    records = read_records(source).records
    out = tmp_path / "out.xlsx"
    summary = pd.DataFrame([{"地区": "沈阳市", "数量": 2}])
    write_excel({"需求": records, "汇总": summary, "公式": [{"文本": "=1+1"}]}, out)
    book = openpyxl.load_workbook(out)
    ws = book["需求"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert [c.value for c in ws[1]] == headers(DemandRecord)
    assert ws.column_dimensions["A"].width >= 8
    assert book["汇总"]["A2"].value == "沈阳市" and book["公式"]["A2"].value == "=1+1"
    assert book["公式"]["A2"].data_type == "s"  # user text is never written as a formula
    again = read_records(out)
    assert again.rejected == [] and again.records == records
    single = tmp_path / "single.xlsx"
    write_excel([to_row(r) for r in records], single)  # a bare row list is one sheet
    assert read_records(single).records == records


def test_write_csv_and_jsonl_round_trip(tmp_path: Path) -> None:
    records = [DemandRecord(name="甲公司", title="需求一", category="重大需求", tech_enterprise_types="高新技术企业"),
               DemandRecord(name="乙公司", title="需求二", independent_legal_person=False)]
    csv_path, jsonl_path = tmp_path / "o.csv", tmp_path / "o.jsonl"
    write_csv(records, csv_path)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    write_jsonl(records, jsonl_path)
    assert "企业名称" in jsonl_path.read_text(encoding="utf-8")
    for path in (csv_path, jsonl_path):
        assert read_records(path).records == records
    stream = io.BytesIO()
    write_csv([to_row(records[0])], stream)
    assert read_records(stream.getvalue(), filename="s.csv").records == records[:1]
