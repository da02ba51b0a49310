"""Excel action plans and trackers (.xlsx, .xlsm): every sheet, merged cells, formulas kept as text."""
from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

from dhrlearn.importers import sha256_of
from dhrlearn.importers.grid import Grid, Merged, NoTableFound, check_zip, plans_from_grids
from dhrlearn.importers.symbols import in_symbol_font
from dhrlearn.model import ImportFailed, ParsedPlan

IMPORTER_VERSION = "xlsx-1.1"  # 1.1: ticks and crosses typed in a symbol font; "Completed? (Y/N)" columns
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or an Excel file protected with a password


def open_workbook(data: bytes, name: str):
    from openpyxl import load_workbook

    if data.startswith(OLE_MAGIC):
        raise ImportFailed(name, "is an old-style .xls workbook or is protected with a password; "
                                 "open it in Excel and save it as an unprotected .xlsx")
    check_zip(data, name, "Excel workbook")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation and styles it skips
            # data_only=False: a formula such as =HYPERLINK(...) is kept as its text, never evaluated.
            return load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFailed(name, f"is not a readable Excel workbook (it may be damaged): {exc}") from None


def cell_text(value) -> str:
    """Cell value as text. Dates are written day-first, as a UK reader would type them."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "text") and not isinstance(value, str):  # ArrayFormula / DataTableFormula
        return str(value.text or "")
    return str(value).strip()


def _marks_shown(text: str, cell) -> str:
    """A cell typed in a symbol font ("ü" in Wingdings) as the ticks and crosses it shows."""
    font = getattr(cell, "font", None)
    return in_symbol_font(text, font.name) if text and font is not None else text


def cell_fill(cell) -> str:
    """The cell's solid background colour as RRGGBB, or '' (theme colours are not resolved)."""
    fill = cell.fill
    if fill is None or fill.fill_type != "solid" or fill.fgColor is None or fill.fgColor.type != "rgb":
        return ""
    rgb = fill.fgColor.rgb
    return rgb[-6:].upper() if isinstance(rgb, str) and rgb not in ("00000000",) else ""


def sheet_grid(ws) -> Grid | None:
    rows, fills = [], {}
    for r, row in enumerate(ws.iter_rows()):
        rows.append([_marks_shown(cell_text(c.value), c) for c in row])
        for c, cell in enumerate(row):
            if cell.value is None and (colour := cell_fill(cell)):
                fills[(r, c)] = colour
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        return None
    width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0)
    grid_rows: list[list] = [r[:width] + [""] * (width - len(r)) for r in rows]
    for merged in ws.merged_cells.ranges:
        for row in range(merged.min_row, min(merged.max_row, len(grid_rows)) + 1):
            for col in range(merged.min_col, min(merged.max_col, width) + 1):
                if (row, col) == (merged.min_row, merged.min_col):
                    continue
                grid_rows[row - 1][col - 1] = Merged.LEFT if row == merged.min_row else Merged.UP
    return Grid(grid_rows, ws.title, [f"row {i + 1}" for i in range(len(grid_rows))], preamble=[ws.title],
                fills=fills)


def parse(data: bytes, name: str) -> list[ParsedPlan]:
    wb = open_workbook(data, name)
    grids = [g for ws in wb.worksheets if (g := sheet_grid(ws)) is not None]
    names = [ws.title for ws in wb.worksheets]
    if not grids:
        raise ImportFailed(name, "every sheet is empty", "sheets " + ", ".join(names))
    try:
        return plans_from_grids(grids, file=name, sha256=sha256_of(data), fmt="xlsx",
                                importer_version=IMPORTER_VERSION)
    except NoTableFound:
        raise ImportFailed(
            name, "no header row naming a Recommendation or Action column was found "
            "(see data/templates/ for the expected columns)",
            "sheets looked at: " + ", ".join(names)) from None
