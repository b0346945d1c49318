"""CSV read as written (#23 items 1 and 2): RFC 4180 quoting first, the dialect guess only as a fallback that
round-trips, a row of the wrong width rejected with its line, an unclosed quote a file error naming its line, and
tables written by Python's csv module and by pandas read back identical."""
from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pandas as pd
import pytest

from api.cli.common import EXIT_INPUT
from api.errors import InvalidFile
from api.io.csv_table import read_csv_table
from api.io.readers import read_records
from tests.cli_runs import csv_bytes, jiebang


# ----------------------------------------------------------------------------------------- item 1: CSV quotes

QUOTED = "研究\"双碳\"目标下的余热回收技术,实现热效率提升10%"


def test_item1_a_quote_inside_a_quoted_cell_stays_in_its_cell() -> None:
    header = ["需求编号", "企业名称", "需求名称", "需求描述", "需求研发总投入(万元)", "对揭榜方要求"]
    data = csv_bytes([header, ["Q-1", "沈阳某热能有限公司", "余热回收", QUOTED, "1200", "高校或科研院所"]])
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
    assert jiebang(tmp_path / "h", "import", str(tmp_path / "open.csv")) == EXIT_INPUT


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
