"""Write demo plan versions as files: DOCX, PDF, XLSX and CSV.

Every format gets the same simple, regular layout, so one importer per format
reads them all:

    Domestic Homicide Review: <reference>
    Community Safety Partnership: <name>
    Action plan as at: DD/MM/YYYY
    Year of death: YYYY
    <header row>
    Overview Report Recommendations            (banner row)
    <recommendation rows; extra actions on rows with a blank recommendation cell>
    Single Agency Recommendations              (banner row)
    <agency name>                              (banner row)
    <recommendation rows>

Files are byte-for-byte reproducible (fixed document dates and zip times), so
regenerating the corpus does not change committed files.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dhrlearn.demo.generator import DemoCase
from dhrlearn.model import ParsedPlan, ParsedRecommendation

HOME_OFFICE_COLUMNS = [
    "Recommendation",
    "Scope of recommendation (i.e. local or regional)",
    "Action to take",
    "Lead Agency",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Date of completion and outcome",
]
SEED_COLUMNS = [
    "Recommendation",
    "Action Required by Agency",
    "Implementation Lead",
    "Target Date for Completion",
    "Summary of Action Taken and Date",
]
STATUS_COLUMN = "Status"
OVERVIEW_BANNER = "Overview Report Recommendations"
SINGLE_AGENCY_BANNER = "Single Agency Recommendations"
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)


@dataclass
class Grid:
    """A plan as lines above a table, a header and rows; a banner row is a 1-cell list."""

    meta_lines: list[str]
    header: list[str]
    rows: list[list[str]]


def columns(case: DemoCase) -> list[str]:
    base = HOME_OFFICE_COLUMNS if case.layout == "home_office" else SEED_COLUMNS
    return base + ([STATUS_COLUMN] if case.status_column else [])


def meta_lines(case: DemoCase, plan: ParsedPlan) -> list[str]:
    return [
        f"Domestic Homicide Review: {case.meta.reference}",
        f"Community Safety Partnership: {case.meta.partnership}",
        f"Action plan as at: {plan.as_of_date:%d/%m/%Y}",
        f"Year of death: {case.meta.year}",
    ]


def recommendation_cell(rec: ParsedRecommendation) -> str:
    return f"{rec.number_raw}\n{rec.text}"


def to_grid(case: DemoCase, version: int) -> Grid:
    plan = case.plans[version]
    rows: list[list[str]] = []
    banner = None
    for rec in plan.recommendations:
        section = OVERVIEW_BANNER if rec.level == "overview" else rec.owning_agencies_raw
        if section != banner:
            if rec.level == "single_agency" and (banner is None or banner == OVERVIEW_BANNER):
                rows.append([SINGLE_AGENCY_BANNER])
            rows.append([section])
            banner = section
        for index, action in enumerate(rec.actions):
            first = index == 0
            if case.layout == "home_office":
                row = [
                    recommendation_cell(rec) if first else "",
                    rec.scope_raw if first else "",
                    action.text,
                    action.lead_agency_raw,
                    action.update_text,
                    action.target_date_raw,
                    action.completion_date_raw,
                ]
            else:
                row = [
                    recommendation_cell(rec) if first else "",
                    action.text,
                    action.named_lead or action.lead_agency_raw,
                    action.target_date_raw,
                    action.update_text,
                ]
            if case.status_column:
                row.append(action.status_raw)
            rows.append(row)
    return Grid(meta_lines(case, plan), columns(case), rows)


# ---------------------------------------------------------------- formats


def write_csv(grid: Grid) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = len(grid.header)
    for line in grid.meta_lines:
        writer.writerow([line] + [""] * (width - 1))
    writer.writerow(grid.header)
    for row in grid.rows:
        writer.writerow(row + [""] * (width - len(row)))
    return out.getvalue().encode("utf-8")


def write_xlsx(grid: Grid) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    for line in grid.meta_lines:
        sheet.append([line])
    sheet.append(grid.header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in grid.rows:
        sheet.append(row)
        if len(row) == 1:
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=len(grid.meta_lines) + 1):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate(_widths(grid.header), start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    book.properties.created = book.properties.modified = FIXED_TIME
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


# Relative column widths, wide enough that no header word breaks across lines.
WIDTHS = {
    "Recommendation": 50,
    "Scope of recommendation (i.e. local or regional)": 24,
    "Action to take": 30,
    "Action Required by Agency": 34,
    "Implementation Lead": 22,
    "Key milestones achieved in enacting recommendation": 50,
    "Summary of Action Taken and Date": 56,
    "Target Date for Completion": 20,
    "Date of completion and outcome": 22,
}


def _widths(header: list[str]) -> list[int]:
    return [WIDTHS.get(name, 16) for name in header]


def write_docx(grid: Grid) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    doc.styles["Normal"].font.size = Pt(8)
    for line in grid.meta_lines:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=len(grid.header))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, grid.header):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    for row in grid.rows:
        cells = table.add_row().cells
        if len(row) == 1:  # banner: one merged cell across the table
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(row[0]).bold = True
            continue
        for cell, text in zip(cells, row):
            cell.text = text
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = props.author = ""
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip(out.getvalue())


def write_pdf(grid: Grid) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_creation_date(FIXED_TIME.replace(tzinfo=dt.timezone.utc))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in grid.meta_lines:
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", size=7)
    widths = _widths(grid.header)
    spanned = [i for i, name in enumerate(grid.header) if name == "Recommendation" or name.startswith("Scope")]
    with pdf.table(col_widths=widths, line_height=3.5, text_align="LEFT", repeat_headings=1) as table:
        heading = table.row()
        for name in grid.header:
            heading.cell(name)
        for index, row in enumerate(grid.rows):
            out = table.row()
            if len(row) == 1:
                out.cell(row[0], colspan=len(grid.header))
                continue
            # A recommendation's cells are merged down over its action rows, as Word does;
            # the merged group is kept on one page.
            span = _rows_in_group(grid.rows, index)
            for column, text in enumerate(row):
                if column in spanned:
                    if span:
                        out.cell(text, rowspan=span)
                else:
                    out.cell(text)
    return bytes(pdf.output())


def _rows_in_group(rows: list[list[str]], index: int) -> int:
    """Rows a recommendation starting at `index` covers (its first row and the blank-cell rows
    after it); 0 when the row at `index` continues a recommendation above."""
    if not rows[index][0]:
        return 0
    end = index + 1
    while end < len(rows) and len(rows[end]) > 1 and not rows[end][0]:
        end += 1
    return end - index


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf}


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated FIXED_TIME, so output is reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()


def plan_bytes(case: DemoCase, version: int) -> bytes:
    return WRITERS[case.format](to_grid(case, version))


def write_case(case: DemoCase, out_dir: Path) -> list[Path]:
    """Write every plan version of one case; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for version in range(len(case.plans)):
        path = out_dir / case.file_name(version)
        data = plan_bytes(case, version)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written


def write_corpus(cases: list[DemoCase], out_dir: Path) -> list[Path]:
    """Write every case; removes stale plan files so the folder matches the corpus."""
    written = [path for case in cases for path in write_case(case, out_dir)]
    keep = set(written)
    for stale in out_dir.iterdir():
        if stale.suffix.lstrip(".") in WRITERS and stale not in keep:
            stale.unlink()
    return written


def main() -> None:
    """`python -m dhrlearn.demo.writers`: regenerate data/demo from the generator."""
    from dhrlearn.demo import DEMO_DIR
    from dhrlearn.demo.generator import generate

    written = write_corpus(generate(), DEMO_DIR)
    print(f"Wrote {len(written)} demo plan files to {DEMO_DIR}")


if __name__ == "__main__":
    main()
