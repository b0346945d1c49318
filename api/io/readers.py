"""Reading and writing tables (导入导出): Excel (.xlsx), CSV and JSONL with Chinese headers.

:func:`read_records` turns a file into validated form records and reports every row it could not
accept (row number as the clerk sees it in Excel, header = row 1; field; zh + en reason) — a row is
never dropped silently. Unknown columns are ignored and reported once. Writing is
:mod:`api.io.writers`.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import openpyxl
from pydantic import BaseModel, ValidationError

from api.errors import InvalidInput
from api.forms.models import DemandRecord
from api.io.form_files import docx_grid, is_form_layout, read_form_grid, xlsx_grid
from api.io.read_result import M, Note, ReadResult, RejectedRow
from nlp.text import is_empty, normalize

Source = str | Path | bytes | IO[bytes]

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK/GB2312
HEADER_SEARCH_ROWS = 10  # a title row may sit above the header in platform exports


# --------------------------------------------------------------------------- reading


def read_records(source: Source, model: type[M] = DemandRecord, *, filename: str | None = None,
                 sheet: str | int | None = None, context: Mapping[str, Any] | None = None) -> ReadResult[M]:
    """Read an Excel/CSV/JSONL file (path, bytes or binary file) into validated ``model`` records.

    The format comes from ``filename`` (or the path's suffix; bytes are sniffed). Raises
    :class:`~api.errors.InvalidInput` when the file as a whole is unusable (unknown format,
    unreadable, required columns missing); row-level problems go to ``ReadResult.rejected``.
    """
    data, name = _read_bytes(source, filename)
    kind = _format(data, name)
    if kind == "jsonl":
        return _read_jsonl(data, model, name, context)
    known = _known_headers(model)
    if kind == "docx" or (kind == "excel" and sheet is None and is_form_layout(xlsx_grid(data, name, 10), known)):
        return _read_form(docx_grid(data, name) if kind == "docx" else xlsx_grid(data, name), model, name, kind, context)
    sheet_used, sheets = None, []
    if kind == "excel":
        (rows, sheet_used, sheets), encoding = _excel_rows(data, name, sheet, known), None
    else:
        rows, encoding = _csv_rows(data, name)
    result: ReadResult[M] = ReadResult(format=kind, encoding=encoding, context=dict(context or {}))
    if len(sheets) > 1:
        result.notes.append(Note("sheet", f"读取工作表“{sheet_used}”（共 {len(sheets)} 个：{'、'.join(sheets)}）",
                                 f"read worksheet '{sheet_used}' (of {len(sheets)}: {', '.join(sheets)})",
                                 {"sheet": sheet_used, "sheets": sheets}))
    _read_table(rows, model, name, result)
    return result


def _read_form(grid: list[list[Any]], model: type[M], name: str, kind: str,
               context: Mapping[str, Any] | None) -> ReadResult[M]:
    """One record from a 征集表 laid out as labels beside values (:mod:`api.io.form_files`)."""
    result: ReadResult[M] = ReadResult(format=f"{kind}-form", context=dict(context or {}))
    raw = {k: _raw(v) for k, v in read_form_grid(grid, _known_headers(model)).items()}
    if all(is_empty(v) for v in raw.values()):
        result.rejected.append(RejectedRow(1, None, f"{name} 中没有找到表单的栏目（如“企业名称”“需求名称”）",
                                           f"no form labels (such as 企业名称, 需求名称) found in {name}", {}))
        return result
    _validate(1, raw, model, result)
    result.notes.append(Note("form_layout", f"按征集表格式读取 {name}（标签与内容相邻）",
                             f"read {name} as a form (labels beside their values)", {"fields": len(raw)}))
    return result


def _read_bytes(source: Source, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, filename or ""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise InvalidInput(f"无法读取文件：{path.name}", f"cannot read file: {path.name}",
                               {"error": str(exc)}, code="file_unreadable") from exc
    return source.read(), filename or str(getattr(source, "name", ""))


def _format(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".docx":
        return "docx"
    if suffix == ".xls":
        raise InvalidInput("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入",
                           "old .xls files are not supported; save as .xlsx in Excel and import again",
                           {"filename": name}, code="unsupported_format")
    if not suffix:  # sniff bytes without a name
        if data[:2] == b"PK":
            return "excel"
        if data.lstrip()[:1] == b"{":
            return "jsonl"
        return "csv"
    raise InvalidInput(f"不支持的文件格式：{suffix}（可导入 .xlsx、.csv、.jsonl）",
                       f"unsupported file format: {suffix} (use .xlsx, .csv or .jsonl)",
                       {"filename": name}, code="unsupported_format")


def _excel_rows(data: bytes, name: str, sheet: str | int | None,
                known: dict[str, str]) -> tuple[Iterator[tuple[int, list[Any]]], str, list[str]]:
    """The rows of the worksheet to read: ``sheet`` when given, else the one whose first rows hold the
    most of the form's headers (a workbook may carry a cover or notes sheet first). Returns the rows,
    that sheet's name and every sheet name."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise InvalidInput(f"无法打开 Excel 文件：{name}（文件可能已损坏）",
                           f"cannot open the Excel file {name} (it may be damaged)",
                           {"error": str(exc)}, code="file_unreadable") from exc
    try:
        if sheet is None:
            def header_hits(ws: Any) -> int:
                top = ws.iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS)
                return max((sum(1 for c in row if _header_key(c) in known) for row in top), default=0)

            ws = max(book.worksheets, key=header_hits)  # ties: the first such sheet
        elif isinstance(sheet, int):
            ws = book.worksheets[sheet]
        else:
            ws = book[sheet]
    except (IndexError, KeyError) as exc:
        book.close()
        raise InvalidInput(f"找不到工作表：{sheet}", f"no such sheet: {sheet}",
                           {"sheets": book.sheetnames}, code="file_unreadable") from exc
    rows = [(i, list(values)) for i, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    names = list(book.sheetnames)
    book.close()
    return iter(rows), ws.title, names


def _csv_rows(data: bytes, name: str) -> tuple[Iterator[tuple[int, list[Any]]], str]:
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(f"无法识别文件编码：{name}（请保存为 UTF-8 或 GBK 编码的 CSV）",
                           f"unknown text encoding of {name} (save the CSV as UTF-8 or GBK)",
                           code="file_unreadable")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # Excel numbers records, not physical lines (a quoted cell may span lines).
    return ((i, row) for i, row in enumerate(reader, start=1)), "gbk" if encoding == "gb18030" else encoding


def _header_key(value: Any) -> str:
    return re.sub(r"\s+", "", normalize(str(value))) if value is not None else ""


def _known_headers(model: type[BaseModel]) -> dict[str, str]:
    """Accepted header spelling → alias used for validation (aliases and English names)."""
    known: dict[str, str] = {}
    for name, info in model.model_fields.items():
        alias = info.alias or name
        known[_header_key(alias)] = alias
        known[_header_key(name)] = alias
    return known


def _read_table(rows: Iterator[tuple[int, list[Any]]], model: type[M], name: str, result: ReadResult[M]) -> None:
    known = _known_headers(model)
    buffered: list[tuple[int, list[Any]]] = []
    header_at: int | None = None
    for number, cells in rows:
        buffered.append((number, cells))
        hits = sum(1 for c in cells if _header_key(c) in known)
        if hits >= min(2, len(known)):
            header_at = len(buffered) - 1
            break
        if len(buffered) >= HEADER_SEARCH_ROWS:
            break
    if header_at is None:
        if not buffered:
            raise InvalidInput(f"文件为空：{name}", f"the file is empty: {name}", code="empty_file")
        header_at = 0
    _, header_cells = buffered[header_at]
    columns: list[str | None] = []
    seen: set[str] = set()
    for position, cell in enumerate(header_cells, start=1):
        key = _header_key(cell)
        alias = known.get(key)
        if alias is None or alias in seen:
            columns.append(None)
            if key and alias is None and key not in result.unknown_columns:
                result.unknown_columns.append(str(cell).strip())
            elif alias in seen:
                result.notes.append(Note("duplicate_column", f"第{position}列“{cell}”重复，已使用第一次出现的列",
                                         f"column {position} '{cell}' is a duplicate; the first one is used"))
            continue
        seen.add(alias)
        columns.append(alias)
    _require_columns(model, seen, name)
    if result.unknown_columns:
        result.notes.append(Note(
            "unknown_columns", f"以下列不属于表单，已忽略：{'、'.join(result.unknown_columns)}",
            f"these columns are not part of the form and were ignored: {', '.join(result.unknown_columns)}",
            result.unknown_columns))
    data_rows = _chain(buffered[header_at + 1:], rows)
    for number, cells in data_rows:
        raw = {col: _raw(value) for col, value in zip(columns, cells) if col is not None}
        if all(is_empty(v) for v in cells):
            result.blank_rows.append(number)
            continue
        if all(is_empty(v) for v in raw.values()):
            result.rejected.append(RejectedRow(number, None, "该行表单各列均为空（只有无法识别的列有内容）",
                                               "the row has no value in any form column", raw))
            continue
        _validate(number, raw, model, result)
    if result.blank_rows:
        result.notes.append(Note("blank_rows", f"跳过空行{len(result.blank_rows)}行",
                                 f"skipped {len(result.blank_rows)} blank rows", result.blank_rows))


def _read_jsonl(data: bytes, model: type[M], name: str, context: Mapping[str, Any] | None) -> ReadResult[M]:
    result: ReadResult[M] = ReadResult(format="jsonl", encoding="utf-8", context=dict(context or {}))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"JSONL 文件应为 UTF-8 编码：{name}", f"a JSONL file must be UTF-8: {name}",
                           code="file_unreadable") from exc
    known = _known_headers(model)
    unknown: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            result.blank_rows.append(number)
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            result.rejected.append(RejectedRow(number, None, f"第{number}行不是有效的 JSON：{exc.msg}",
                                               f"line {number} is not valid JSON: {exc.msg}", {"line": line[:200]}))
            continue
        if not isinstance(obj, dict):
            result.rejected.append(RejectedRow(number, None, f"第{number}行应为 JSON 对象",
                                               f"line {number} must be a JSON object", {"line": line[:200]}))
            continue
        raw: dict[str, Any] = {}
        for key, value in obj.items():
            alias = known.get(_header_key(key))
            if alias is None:
                if key not in unknown:
                    unknown.append(key)
            else:
                raw[alias] = value
        _validate(number, raw, model, result)
    result.unknown_columns = unknown
    if unknown:
        result.notes.append(Note("unknown_columns", f"以下字段不属于表单，已忽略：{'、'.join(unknown)}",
                                 f"these keys are not part of the form and were ignored: {', '.join(unknown)}",
                                 unknown))
    return result


def _validate(number: int, raw: dict[str, Any], model: type[M], result: ReadResult[M]) -> None:
    try:
        result.accepted.append((number, model.model_validate(raw, context=result.context)))
    except ValidationError as exc:
        headers = {name: info.alias or name for name, info in model.model_fields.items()}
        order = {header: i for i, header in enumerate(raw)}

        def position(error: Any) -> int:
            loc = str(error["loc"][0]) if error["loc"] else ""
            return order.get(headers.get(loc, loc), len(order))

        for error in sorted(exc.errors(include_url=False), key=position):
            loc = str(error["loc"][0]) if error["loc"] else None
            header = headers.get(loc, loc) if loc else None
            zh, en = _reason(error, header)
            result.rejected.append(RejectedRow(number, header, zh, en, raw))


def _reason(error: Mapping[str, Any], header: str | None) -> tuple[str, str]:
    ctx = error.get("ctx") or {}
    if "zh" in ctx and "en" in ctx:
        return ctx["zh"], ctx["en"]
    if error["type"] == "missing" or is_empty(error.get("input")):
        return f"必填项“{header}”为空", f"required field '{header}' is blank"
    return (f"“{header}”的取值无效：{error.get('input')!s:.50}",
            f"invalid value of '{header}': {error.get('msg')}")


def _require_columns(model: type[BaseModel], present: set[str], name: str) -> None:
    required = [info.alias or n for n, info in model.model_fields.items() if info.is_required()]
    missing = [h for h in required if h not in present]
    if missing:
        raise InvalidInput(
            f"文件缺少必需的列：{'、'.join(missing)}（请检查表头是否与模板一致）",
            f"the file lacks required columns: {', '.join(missing)} (check the header row against the template)",
            {"filename": name, "missing_columns": missing}, code="missing_columns")


def _chain(first: Iterable[tuple[int, list[Any]]], rest: Iterator[tuple[int, list[Any]]]):
    yield from first
    yield from rest


def _raw(value: Any) -> Any:
    """A cell value made JSON-safe for the rejection report (dates as ISO text)."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
