"""Data tables for download: XLSX (a sheet per table) and CSV, safe to open in Excel.

Formula injection: a spreadsheet treats a cell that starts with = + - @ (or a tab or
carriage return) as a formula, so imported action-plan text could run as one. Every
text cell is therefore written as text: xlsxwriter's write_string in XLSX, a leading
apostrophe in CSV (the OWASP advice).
"""
from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Columns that hold personal data: staff named as leads, and update logs that name staff.
PERSONAL_COLUMNS = frozenset({"named_lead"})
UPDATE_TEXT_COLUMNS = frozenset({"update_text", "snippet", "update_snippet"})

MIN_WIDTH, MAX_WIDTH = 8, 60
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def drop_personal(df: pd.DataFrame, *, keep_update_text: bool = False) -> pd.DataFrame:
    """The table without personal-data columns, for publication.

    Staff-named leads always go; update text (which names staff) goes unless asked for.
    """
    drop = set(PERSONAL_COLUMNS)
    if not keep_update_text:
        drop |= UPDATE_TEXT_COLUMNS
    return df.drop(columns=[c for c in df.columns if c in drop])


def neutralise_csv_cell(value):
    """A text value Excel would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark (so Excel reads accents), formulas neutralised."""
    safe = df.copy()
    for column in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column])):
            safe[column] = safe[column].map(neutralise_csv_cell).astype(object)
    # RFC 4180 line ends, so a field holding a lone CR or LF is quoted rather than split.
    return safe.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table: bold frozen header, autofilter, fitted widths."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "header": workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    used_names: set[str] = set()
    for name, df in sheets.items():
        sheet = workbook.add_worksheet(_sheet_name(name, used_names))
        _write_table(sheet, df, formats)
    workbook.close()
    return buffer.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    base = re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip().strip("'")[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _write_table(sheet, df: pd.DataFrame, formats: dict) -> None:
    columns = [str(c) for c in df.columns]
    for col, header in enumerate(columns):
        sheet.write_string(0, col, header, formats["header"])
    widths = [len(h) for h in columns]
    for row, values in enumerate(df.itertuples(index=False, name=None), start=1):
        for col, value in enumerate(values):
            widths[col] = max(widths[col], _write_cell(sheet, row, col, value, formats))
    for col, width in enumerate(widths):
        width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
        cell_format = formats["wrap"] if width == MAX_WIDTH else None
        sheet.set_column(col, col, width, cell_format)
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(len(df), 1), len(columns) - 1)


def _write_cell(sheet, row: int, col: int, value, formats: dict) -> int:
    """Write one value with the right type; returns its display width in characters."""
    if value is None or (not isinstance(value, (str, list, tuple, dict)) and pd.isna(value)):
        sheet.write_blank(row, col, None)
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
        return len(f"{value:,.2f}".rstrip("0").rstrip("."))
    if isinstance(value, np.datetime64):
        return _write_cell(sheet, row, col, pd.Timestamp(value), formats)
    if isinstance(value, np.generic):  # numpy scalars to plain Python
        return _write_cell(sheet, row, col, value.item(), formats)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        if value.time() == dt.time(0):
            sheet.write_datetime(row, col, value, formats["date"])
            return 10
        sheet.write_datetime(row, col, value, formats["datetime"])
        return 16
    if isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time(0)), formats["date"])
        return 10
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    # Always a string cell, never a formula, whatever the text starts with.
    sheet.write_string(row, col, text)
    return max((len(line) for line in text.splitlines()), default=0)
