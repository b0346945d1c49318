"""One enterprise's 征集表 as the notice's attachment lays it out — a label in one cell, its value in the
next — read from .xlsx or .docx (python-docx) into one flat record; and bundles of such files (a folder
or a .zip) read file by file.

The labels are the form's own headers (``企业名称``, ``需求描述``, ``上年度销售收入（万元）`` …, spacing,
colons and full-width brackets ignored); the person blocks of the form (a row starting with 法定代表人 or
联系人, then 姓名 / 职务 / 电话 / 手机 / 传真 / 电子邮箱) give ``联系人姓名`` and the like.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import openpyxl

from api.errors import InvalidFile
from nlp.text import is_empty, normalize

PERSON_LABELS = ("法定代表人", "联系人")
FORM_SUFFIXES = (".xlsx", ".xlsm", ".docx")
MAX_UNPACKED_BYTES = 500 * 2**20  # what the files of one .zip may unpack to
_DECORATION = re.compile(r"[\s:：*＊]+")


def label_key(text: Any) -> str:
    """A cell's text as a label: normalised, without spaces, colons or the required-field star."""
    return _DECORATION.sub("", normalize(str(text))) if not is_empty(text) else ""


def read_form_grid(grid: Iterable[list[Any]], known: Mapping[str, str]) -> dict[str, Any]:
    """Label → value pairs of a form laid out in rows of cells (``known``: label key → form header).

    Each known label takes the cell right after it as its value, unless that cell is a label too (then
    the value is blank). Only the first occurrence of a label counts."""
    out: dict[str, Any] = {}
    for row in grid:
        cells = list(row)
        person: str | None = None
        i = 0
        while i < len(cells):
            key = label_key(cells[i])
            if key in PERSON_LABELS:
                person, i = key, i + 1
                continue
            header = known.get(person + key) if person else None
            header = header or known.get(key)
            if header is None:
                i += 1
                continue
            value = cells[i + 1] if i + 1 < len(cells) else None
            if value is not None and _is_label(value, known, person):
                value = None
            if header not in out or is_empty(out[header]):
                out[header] = value
            i += 2
    return out


def _is_label(value: Any, known: Mapping[str, str], person: str | None) -> bool:
    key = label_key(value)
    return bool(key) and (key in known or key in PERSON_LABELS or (person is not None and person + key in known))


def is_form_layout(rows: list[list[Any]], known: Mapping[str, str], min_headers: int = 2) -> bool:
    """True when none of the first rows is a table's header row (at least ``min_headers`` labels making up
    nearly all of its filled cells): in a form, labels alternate with their values."""
    for row in rows[:10]:
        filled = [c for c in row if not is_empty(c)]
        labels = sum(1 for c in filled if label_key(c) in known)
        if labels >= min_headers and labels >= 0.8 * len(filled):
            return False
    return True


class UncomputedFormula(str):
    """A formula cell saved without its computed value (a file written by a program, not by Excel, or
    saved with calculation off): its text is the formula. Never read as a blank — the row is rejected for
    that field, with the reason."""


def has_formulas(data: bytes) -> bool:
    """True when some worksheet of the .xlsx holds a formula (cheap: looks for ``<f`` in the sheets' XML)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets = (archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))
            return any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    except (zipfile.BadZipFile, KeyError):
        return False


def mark_uncomputed(data: bytes, grids: dict[str, list[list[Any]]], max_rows: int | None = None) -> None:
    """In each sheet's rows (by title; read with cached values), put an :class:`UncomputedFormula` where a
    formula has no cached value (openpyxl reads such a cell as None)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for title, rows in grids.items():
            for r, formulas in enumerate(book[title].iter_rows(values_only=True, max_row=max_rows)):
                if r >= len(rows):
                    break
                row = rows[r]
                for c, formula in enumerate(formulas):
                    text = getattr(formula, "text", formula)  # an array formula keeps its text apart
                    if isinstance(text, str) and text.startswith("=") and c < len(row) and row[c] is None:
                        row[c] = UncomputedFormula(text)
    finally:
        book.close()


def xlsx_grid(data: bytes, name: str = "", max_rows: int | None = None) -> list[list[Any]]:
    """Every worksheet's rows (the first ``max_rows`` of each), one after another (a form may spread over sheets)."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise InvalidFile(f"无法打开 Excel 文件：{name}（文件可能已损坏）", f"cannot open the Excel file {name} (it may be damaged)",
                           {"error": str(exc)}, code="file_unreadable") from exc
    try:
        grids = {ws.title: [list(row) for row in ws.iter_rows(values_only=True, max_row=max_rows)]
                 for ws in book.worksheets}
    finally:
        book.close()
    if has_formulas(data):
        mark_uncomputed(data, grids, max_rows)
    return [row for rows in grids.values() for row in rows]


def docx_grid(data: bytes, name: str) -> list[list[Any]]:
    """The rows of every table of a Word form (merged cells once), then ``标签：值`` paragraphs as rows."""
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a file that is not a .docx
        raise InvalidFile(f"无法打开 Word 文件：{name}（请另存为 .docx）", f"cannot open the Word file {name} (save it as .docx)",
                           {"error": str(exc)}, code="file_unreadable") from exc
    rows: list[list[Any]] = []
    for table in document.tables:
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                    continue
                seen.add(id(cell._tc))
                cells.append(cell.text.strip())
            rows.append(cells)
    for paragraph in document.paragraphs:
        label, sep, value = paragraph.text.partition("：")
        if not sep:
            label, sep, value = paragraph.text.partition(":")
        if sep:
            rows.append([label, value.strip()])
    return rows


#: Why a file of a folder or .zip is not read (by suffix): old Office formats and other files.
OLD_FORMATS = {".xls": ".xlsx", ".doc": ".docx", ".et": ".xlsx", ".wps": ".docx"}


def skip_reason(filename: str) -> tuple[str, str]:
    """Why a file in a bundle is not imported (zh, en): an old Office format says what to save it as."""
    suffix = Path(filename).suffix.lower()
    if suffix in OLD_FORMATS:
        return (f"旧版 {suffix} 文件无法读取，请另存为 .xlsx/.docx 后再导入",
                f"old {suffix} files cannot be read; save as .xlsx/.docx and import again")
    return (f"不是可导入的文件类型（{suffix or '无扩展名'}；可导入 .xlsx、.docx、.csv、.jsonl）",
            f"not a file type that imports ({suffix or 'no suffix'}; use .xlsx, .docx, .csv or .jsonl)")


def bundle_members(source: Path | bytes, name: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """``(file name, bytes)`` of every form or table file in a folder or a .zip, by name, and the names of
    the other files (skipped: each is reported with :func:`skip_reason`). Office lock files (``~$…``),
    hidden files and macOS resource forks are not the clerk's files and are left out silently."""
    wanted = FORM_SUFFIXES + (".csv", ".jsonl")

    def ignored(path: str) -> bool:
        return Path(path).name.startswith(("~$", ".")) or path.startswith("__MACOSX")

    if isinstance(source, Path) and source.is_dir():
        files = [p for p in sorted(source.rglob("*")) if p.is_file() and not ignored(str(p.relative_to(source)))]
        return ([(p.name, p.read_bytes()) for p in files if p.suffix.lower() in wanted],
                [str(p.relative_to(source)) for p in files if p.suffix.lower() not in wanted])
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidFile(f"无法打开压缩包：{name}", f"cannot open the zip file {name}", code="file_unreadable") from exc
    with archive:
        files = [info for info in sorted(archive.infolist(), key=lambda i: i.filename)
                 if not info.is_dir() and not ignored(info.filename)]
        infos = [info for info in files if Path(info.filename).suffix.lower() in wanted]
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:  # a zip bomb, or a round far larger than any province's
            raise InvalidFile(f"压缩包 {name} 解压后过大（{unpacked // 2**20} MB），请拆分后导入",
                              f"{name} unpacks to {unpacked // 2**20} MB; split it and import the parts",
                              {"limit_bytes": MAX_UNPACKED_BYTES}, code="payload_too_large")
        return ([(Path(info.filename).name, archive.read(info)) for info in infos],
                [info.filename for info in files if Path(info.filename).suffix.lower() not in wanted])
