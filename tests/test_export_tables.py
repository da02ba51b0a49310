"""XLSX and CSV exports: types survive, formulas are neutralised, personal data can be dropped."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd

from dhrlearn.export.tables import drop_personal, to_csv_bytes, to_xlsx_bytes

DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def sample() -> pd.DataFrame:
    n = len(DANGEROUS)
    return pd.DataFrame(
        {
            "agency": ["West Mercia Police"] * n,
            "text": DANGEROUS,
            "overdue": list(range(n)),
            "share": [0.5] * n,
            "target_date": [dt.date(2023, 1, 31)] * n,
            "named_lead": ["Zebedee Quillfeather"] * n,
            "update_text": ["Spoke to Zebedee Quillfeather"] * n,
        }
    )


def read_sheet(data: bytes, name: str):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def test_xlsx_formula_text_is_stored_as_text_unchanged():
    ws = read_sheet(to_xlsx_bytes({"Actions": sample()}), "Actions")
    headers = [c.value for c in ws[1]]
    col = headers.index("text") + 1
    for row, expected in enumerate(DANGEROUS, start=2):
        cell = ws.cell(row=row, column=col)
        assert cell.data_type == "s", (expected, cell.data_type)
        # The file stores CR as Excel's escape _x000D_ (Excel reads it back as CR); openpyxl does not decode it.
        assert cell.value.replace("_x000D_", "\r") == expected


def test_xlsx_keeps_numbers_and_dates_typed():
    ws = read_sheet(to_xlsx_bytes({"Actions": sample()}), "Actions")
    headers = [c.value for c in ws[1]]
    overdue = ws.cell(row=3, column=headers.index("overdue") + 1)
    assert overdue.data_type == "n" and overdue.value == 1
    date = ws.cell(row=2, column=headers.index("target_date") + 1)
    assert date.is_date and date.value.date() == dt.date(2023, 1, 31)
    assert date.number_format == "dd/mm/yyyy"


def test_xlsx_header_row_is_bold_frozen_filtered_and_columns_fitted():
    ws = read_sheet(to_xlsx_bytes({"Actions": sample()}), "Actions")
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:G{len(DANGEROUS) + 1}"
    agency_width = ws.column_dimensions["A"].width
    assert len("West Mercia Police") <= agency_width <= 60


def test_xlsx_one_sheet_per_table_with_safe_unique_names():
    df = pd.DataFrame({"a": [1]})
    wb = openpyxl.load_workbook(
        io.BytesIO(to_xlsx_bytes({"Overdue: by agency?": df, "overdue  by agency ": df, "Themes": df}))
    )
    assert len(wb.sheetnames) == 3
    assert len(set(n.lower() for n in wb.sheetnames)) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in wb.sheetnames)


def test_csv_has_bom_and_neutralises_formulas():
    data = to_csv_bytes(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["text"] for r in rows] == ["'" + v for v in DANGEROUS]
    assert rows[0]["agency"] == "West Mercia Police"  # ordinary text untouched
    assert rows[2]["overdue"] == "2"  # numbers are not text
    assert rows[0]["target_date"] == "2023-01-31"


def test_drop_personal_removes_names_and_update_text_unless_asked():
    df = sample()
    assert {"named_lead", "update_text"}.isdisjoint(drop_personal(df).columns)
    kept = drop_personal(df, keep_update_text=True)
    assert "update_text" in kept.columns and "named_lead" not in kept.columns
    assert "Zebedee" not in to_csv_bytes(drop_personal(df)).decode("utf-8-sig")
