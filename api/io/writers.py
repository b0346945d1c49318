"""Writing tables (导出): :func:`write_excel`, :func:`write_csv` and :func:`write_jsonl` write rows with
Chinese headers that Excel opens as is (form models become their export rows)."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from api.forms.personal import export_value, to_row


Target = str | Path | IO[bytes]


def _as_dicts(rows: Any) -> list[dict[str, Any]]:
    """Rows as dicts with clerk-readable values (models → Chinese headers; DataFrames → records)."""
    if hasattr(rows, "to_dict") and hasattr(rows, "columns"):  # a pandas DataFrame
        rows = rows.to_dict(orient="records")
    out = []
    for row in rows:
        data = to_row(row) if isinstance(row, BaseModel) else dict(row)
        out.append({str(k): _cell(v) for k, v in data.items()})
    return out


def _cell(value: Any) -> Any:
    value = export_value(value)
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text.split("\n", 1)[0][:200])


def write_excel(sheets: Mapping[str, Any] | Any, path: Target,
                images: Mapping[str, Sequence[tuple[str, bytes]]] | None = None) -> None:
    """Write ``{sheet name: rows or DataFrame}`` as .xlsx: bold frozen header row, fitted column widths.

    A bare list of rows (or one DataFrame) is written as a single sheet named 数据. ``images``:
    ``{sheet name: [(caption, PNG bytes), ...]}``, each sheet with its pictures one below the other.
    """
    if not isinstance(sheets, Mapping):
        sheets = {"数据": sheets}
    book = openpyxl.Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for title, rows in sheets.items():
        name = re.sub(r"[\[\]:*?/\\]", "_", str(title))[:31] or "Sheet"
        while name in used:
            name = (name[:28] + f"_{len(used)}")[:31]
        used.add(name)
        ws = book.create_sheet(name)
        data = _as_dicts(rows)
        columns = _columns(data)
        widths = [_width(c) for c in columns]
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for r, row in enumerate(data, start=2):
            for c, column in enumerate(columns, start=1):
                value = row.get(column)
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # user text, never a formula
                if r <= 500:
                    widths[c - 1] = max(widths[c - 1], _width(value))
        for c, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
        if columns and data:
            ws.auto_filter.ref = ws.dimensions
    for title, pictures in (images or {}).items():
        _picture_sheet(book, str(title)[:31], pictures)
    if not book.sheetnames:
        book.create_sheet("Sheet")
    book.save(path if not isinstance(path, str) else Path(path))


def write_csv(rows: Any, path: Target) -> None:
    """Write rows as CSV in UTF-8 with BOM (``utf-8-sig``) so Excel shows the Chinese correctly."""
    data = [{k: _inert(v) for k, v in row.items()} for row in _as_dicts(rows)]
    with _text_target(path, "utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=_columns(data), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(data)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula (=, +, -, @ …) gets a leading apostrophe
    (OWASP's advice for CSV injection); the xlsx writer marks such cells as text instead."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def write_jsonl(rows: Any, path: Target) -> None:
    """Write rows as UTF-8 JSON lines with Chinese keys (readable, not \\u-escaped)."""
    data = _as_dicts(rows)
    with _text_target(path, "utf-8") as handle:
        for row in data:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


class _text_target:
    """Open a path, or wrap a binary stream, for writing text (the stream is left open)."""

    def __init__(self, target: Target, encoding: str):
        self.target, self.encoding = target, encoding

    def __enter__(self) -> IO[str]:
        if isinstance(self.target, (str, Path)):
            self.handle = open(self.target, "w", encoding=self.encoding, newline="")
        else:
            self.handle = io.TextIOWrapper(self.target, encoding=self.encoding, newline="")
        return self.handle

    def __exit__(self, *exc: Any) -> None:
        if isinstance(self.target, (str, Path)):
            self.handle.close()
        else:
            self.handle.flush()
            self.handle.detach()


def _picture_sheet(book: openpyxl.Workbook, name: str, pictures: Sequence[tuple[str, bytes]]) -> None:
    """A sheet of captioned PNG pictures, one below the other."""
    from openpyxl.drawing.image import Image

    ws = book.create_sheet(name)
    row = 1
    for caption, png in pictures:
        ws.cell(row=row, column=1, value=caption).font = Font(bold=True)
        picture = Image(io.BytesIO(png))
        ws.add_image(picture, f"A{row + 1}")
        row += 2 + int(picture.height / 20) + 1  # default row height is 20 px
