"""CSV as Excel and Python write it (RFC 4180): records with the physical line each starts on, and a
file-level error naming the line of a quote that never closes — a CSV cell is never shifted silently."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence

from api.errors import InvalidFile


class CsvRow(list):
    """The cells of one CSV record, knowing the physical line it starts on (for the clerk's report)."""

    def __init__(self, cells: Iterable[str], line: int):
        super().__init__(cells)
        self.line = line


def decode_csv(data: bytes, name: str, encodings: Sequence[str]) -> tuple[str, str]:
    """The text of a CSV file and the first of ``encodings`` that decodes it."""
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InvalidFile(f"无法识别文件编码：{name}（请保存为 UTF-8 或 GBK 编码的 CSV）",
                      f"unknown text encoding of {name} (save the CSV as UTF-8 or GBK)", code="file_unreadable")


class _Standard(csv.excel):
    """RFC 4180 as Excel and Python write it: ``"`` quotes a cell, ``""`` inside is one quote."""

    strict = True


def read_csv_table(text: str, name: str = "", is_header: Callable[[list[str]], bool] | None = None,
                   header_rows: int = 10) -> list[tuple[int, int, list[str]]]:
    """The records of a CSV text as ``(record number, line where it starts, cells)``.

    Read by the standard dialect (RFC 4180, comma) first. Only when none of its first ``header_rows`` rows
    is the form's header row (``is_header``) is another delimiter guessed (tab, semicolon) — with the same quoting rules,
    and kept only if it reads the text back the same way it writes it (so a guess cannot shift cells).
    An unclosed or stray quote is a file-level error naming the line where the quote opened: nothing
    after it would be where the writer put it."""
    rows = _parse_csv(text, _Standard, name)
    if is_header and not _has_header(rows, is_header, header_rows):
        for delimiter in ("\t", ";"):
            dialect = type("_Guess", (_Standard,), {"delimiter": delimiter})
            try:
                guessed = _parse_csv(text, dialect, name)
            except InvalidFile:
                continue
            if _has_header(guessed, is_header, header_rows) and _round_trips(guessed, dialect):
                return guessed
    return rows


def _has_header(rows: list[tuple[int, int, list[str]]], is_header: Callable[[list[str]], bool], header_rows: int) -> bool:
    return any(is_header(cells) for _, _, cells in rows[:header_rows])


def _round_trips(rows: list[tuple[int, int, list[str]]], dialect: type[csv.Dialect]) -> bool:
    out = io.StringIO(newline="")
    csv.writer(out, dialect).writerows(cells for _, _, cells in rows)
    again = csv.reader(io.StringIO(out.getvalue(), newline=""), dialect)
    return [cells for _, _, cells in rows] == list(again)


def _parse_csv(text: str, dialect: type[csv.Dialect], name: str) -> list[tuple[int, int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, int, list[str]]] = []
    line = 0
    # Excel numbers records, not physical lines (a quoted cell may span lines): both are kept.
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            opened = _quote_line(text, dialect.delimiter, start)
            raise InvalidFile(
                f"{name or '文件'} 第 {opened} 行的引号没有正确闭合（{exc}）：其后各行无法可靠读取，"
                "请检查该行的英文双引号（单元格内的引号应写成两个 \"\"）后重新导入",
                f"{name or 'the file'}: the quote opened on line {opened} is not closed properly ({exc}); the rows "
                'after it cannot be read reliably. Check the double quotes on that line (a quote inside a cell is '
                'written as "") and import again', {"line": opened, "filename": name}, code="csv_quote") from None
        line = reader.line_num
        rows.append((len(rows) + 1, start, cells))


def _quote_line(text: str, delimiter: str, start: int) -> int:
    """The physical line (1-based) where the quoted cell that breaks the file opened, scanning from line
    ``start`` (the record the reader failed on) by RFC 4180's rules."""
    lines = text.splitlines(keepends=True)
    body = "".join(lines[start - 1:])
    quoted, at_field_start, line, opened = False, True, start, start
    i = 0
    while i < len(body):
        ch = body[i]
        if quoted:
            if ch == '"':
                if body[i + 1:i + 2] == '"':
                    i += 1
                else:
                    quoted = False
                    nxt = body[i + 1:i + 2]
                    if nxt and nxt not in (delimiter, "\r", "\n"):
                        return opened  # a stray character after a closing quote
        elif ch == '"' and at_field_start:
            quoted, opened = True, line
        at_field_start = not quoted and ch in (delimiter, "\n", "\r")
        if ch == "\n":
            line += 1
        i += 1
    return opened
