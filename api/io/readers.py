"""Reading and writing tables (导入导出): Excel (.xlsx), CSV and JSONL with Chinese headers.

:func:`read_records` turns a file into validated form records and reports every row it could not
accept (row number as the clerk sees it in Excel, header = row 1; field; zh + en reason) — a row is
never dropped silently. Unknown columns are ignored and reported once. Writing is
:mod:`api.io.writers`.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import openpyxl
from pydantic import BaseModel, ValidationError

from api.errors import InvalidFile
from api.forms.models import DemandRecord
from api.io.csv_table import CsvRow, decode_csv, read_csv_table
from api.io.form_files import (OLD_FORMATS, UncomputedFormula, docx_grid, has_formulas, is_form_layout,
                               mark_uncomputed, read_form_grid, skip_reason, xlsx_grid)
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
        return no_rows_noted(_read_jsonl(data, model, name, context), name)
    known = _known_headers(model)
    if kind == "docx" or (kind == "excel" and sheet is None and is_form_layout(xlsx_grid(data, name, 10), known)):
        grid = docx_grid(data, name) if kind == "docx" else xlsx_grid(data, name)
        return no_rows_noted(_read_form(grid, model, name, kind, context), name)
    sheet_used, sheets = None, []
    if kind == "excel":
        (rows, sheet_used, sheets), encoding = _excel_rows(data, name, sheet, known), None
    else:
        rows, encoding = _csv_rows(data, name, known)
    result: ReadResult[M] = ReadResult(format=kind, encoding=encoding, context=dict(context or {}))
    if len(sheets) > 1:
        result.notes.append(Note("sheet", f"读取工作表“{sheet_used}”（共 {len(sheets)} 个：{'、'.join(sheets)}）",
                                 f"read worksheet '{sheet_used}' (of {len(sheets)}: {', '.join(sheets)})",
                                 {"sheet": sheet_used, "sheets": sheets}))
    _read_table(rows, model, name, result, fixed_width=kind == "csv")
    return no_rows_noted(result, name)


def no_rows_noted(result: ReadResult[M], name: str) -> ReadResult[M]:
    """An empty file (no bytes, blank lines, a header only, an empty sheet or form) gets one answer: a
    ``no_rows`` note, which the import reports as "no rows" (CLI exit 1), never as success."""
    if result.rows == 0:
        result.notes.append(Note("no_rows", f"{name or '文件'} 中没有数据行，未导入任何内容",
                                 f"{name or 'the file'} holds no data rows; nothing was imported", {"filename": name}))
    return result


def _read_form(grid: list[list[Any]], model: type[M], name: str, kind: str,
               context: Mapping[str, Any] | None) -> ReadResult[M]:
    """One record from a 征集表 laid out as labels beside values (:mod:`api.io.form_files`)."""
    result: ReadResult[M] = ReadResult(format=f"{kind}-form", context=dict(context or {}))
    raw = {k: _raw(v) for k, v in read_form_grid(grid, _known_headers(model)).items()}
    if all(is_empty(c) for row in grid for c in row):
        return result  # an empty sheet or document: no rows
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
            raise InvalidFile(f"无法读取文件：{path.name}", f"cannot read file: {path.name}",
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
    if suffix in OLD_FORMATS:
        zh, en = skip_reason(name)
        raise InvalidFile(f"{name}：{zh}", f"{name}: {en}", {"filename": name}, code="unsupported_format")
    if not suffix:  # sniff bytes without a name
        if data[:2] == b"PK":
            return "excel"
        if data.lstrip()[:1] == b"{":
            return "jsonl"
        return "csv"
    raise InvalidFile(f"不支持的文件格式：{suffix}（可导入 .xlsx、.csv、.jsonl）",
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
        raise InvalidFile(f"无法打开 Excel 文件：{name}（文件可能已损坏）",
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
        raise InvalidFile(f"找不到工作表：{sheet}", f"no such sheet: {sheet}",
                           {"sheets": book.sheetnames}, code="file_unreadable") from exc
    grid = [list(values) for values in ws.iter_rows(values_only=True)]
    names = list(book.sheetnames)
    book.close()
    if has_formulas(data):
        mark_uncomputed(data, {ws.title: grid})
    return iter(enumerate(grid, start=1)), ws.title, names


def _csv_rows(data: bytes, name: str, known: Mapping[str, str]) -> tuple[Iterator[tuple[int, list[Any]]], str]:
    """CSV records as ``(record number, cells)``; each record's first physical line is ``CsvRow.line``."""
    text, encoding = decode_csv(data, name, CSV_ENCODINGS)

    def is_header(cells: list[str]) -> bool:
        return sum(1 for c in cells if _header_key(c) in known) >= min(2, len(known))

    rows = read_csv_table(text, name, is_header, HEADER_SEARCH_ROWS)
    return ((number, CsvRow(cells, line)) for number, line, cells in rows), "gbk" if encoding == "gb18030" else encoding


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


def _read_table(rows: Iterator[tuple[int, list[Any]]], model: type[M], name: str, result: ReadResult[M], *,
                fixed_width: bool = False) -> None:
    """Validate the rows under the header row. ``fixed_width`` (CSV): a row with more or fewer cells than
    the header is rejected with its line — its values would sit under the wrong headers."""
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
        if all(is_empty(c) for _, cells in buffered for c in cells):
            return  # no bytes, or blank lines only: no rows
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
        if fixed_width and len(cells) != len(header_cells):
            line = getattr(cells, "line", number)
            result.rejected.append(RejectedRow(
                number, None, f"第 {number} 行（文件第 {line} 行）有 {len(cells)} 个字段，表头有 {len(header_cells)} 个："
                "可能有未加引号的逗号或缺少的列，整行未导入",
                f"row {number} (line {line} of the file) has {len(cells)} fields but the header has "
                f"{len(header_cells)}: probably an unquoted comma or a missing column; the row was not imported",
                {"line": line, **raw}))
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
        raise InvalidFile(f"JSONL 文件应为 UTF-8 编码：{name}", f"a JSONL file must be UTF-8: {name}",
                           code="file_unreadable") from exc
    known = _known_headers(model)
    unknown: list[str] = []
    seen_keys: set[str] = set()
    objects = 0
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
        objects += 1
        seen_keys.update(raw)
        _validate(number, raw, model, result)
    if objects:  # no line carries a required key at all: a file of another kind, as a CSV without the column
        _require_columns(model, seen_keys, name)
    result.unknown_columns = unknown
    if unknown:
        result.notes.append(Note("unknown_columns", f"以下字段不属于表单，已忽略：{'、'.join(unknown)}",
                                 f"these keys are not part of the form and were ignored: {', '.join(unknown)}",
                                 unknown))
    return result


def _validate(number: int, raw: dict[str, Any], model: type[M], result: ReadResult[M]) -> None:
    uncomputed = [(header, value) for header, value in raw.items() if isinstance(value, UncomputedFormula)]
    for header, formula in uncomputed:
        result.rejected.append(RejectedRow(
            number, header, f"“{header}”是公式（{formula}），文件中没有保存计算结果：请在 Excel 中打开、确认数值后保存，"
            "或填写数值后重新导入", f"'{header}' is a formula ({formula}) saved without its computed value: open the "
            "file in Excel and save it, or type the value, then import again", raw))
    if uncomputed:
        return
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
        raise InvalidFile(
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
