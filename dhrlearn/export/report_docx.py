"""The report pack as a Word document (python-docx): A4, headings, pictures with alt text, tables."""
from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from dhrlearn.export import report as r

TABLE_FONT = Pt(9)


def render_docx(data: "r.ReportData", images: list[bytes]) -> bytes:
    doc = Document()
    _page_setup(doc, data)
    _title_page(doc, data)

    doc.add_heading("Executive summary", level=1)
    for sentence in data.summary:
        doc.add_paragraph(sentence, style="List Bullet")

    doc.add_heading("Charts", level=1)
    for number, (section, png) in enumerate(zip(data.sections, images), start=1):
        doc.add_heading(section.spec.heading, level=2)
        _picture(doc, png, title=section.figure.layout.title.text or section.spec.heading, alt=section.alt_text)
        doc.add_paragraph(f"Figure {number}. {section.spec.caption}", style="Caption")
        _table(doc, section.table)
        doc.add_paragraph(f"Table {number}. The figures behind figure {number}.", style="Caption")

    doc.add_heading("Overdue actions by agency", level=1)
    if data.overdue_actions.empty:
        doc.add_paragraph("No actions were overdue at the as-of date.")
    else:
        doc.add_paragraph(f"Every action overdue at {data.options.date_to:%d/%m/%Y}, by agency, oldest first.")
        _table(doc, data.overdue_actions)

    doc.add_heading("Method notes", level=1)
    for heading, text in r.method_notes(data):
        doc.add_heading(heading, level=2)
        doc.add_paragraph(text)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc, data) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.text = f"{data.options.title} · as at {data.options.date_to:%d/%m/%Y}"
    if data.is_demo:
        footer.text += " · DEMO DATA"
    props = doc.core_properties
    props.title = data.options.title
    props.subject = f"{r.partnership_text(data.options)}, {r.period_text(data.options)}"
    props.author = ""
    props.comments = ""


def _title_page(doc, data) -> None:
    o = data.options
    doc.add_paragraph(o.title, style="Title")
    doc.add_paragraph(r.partnership_text(o), style="Subtitle")
    doc.add_paragraph(f"Period: {r.period_text(o)}")
    doc.add_paragraph(f"Figures as at {r._date_text(o.date_to)}")
    if data.is_demo:
        run = doc.add_paragraph().add_run("Demo data: these figures include fictional demonstration data.")
        run.bold = True
        run.font.color.rgb = RGBColor(0xA0, 0x30, 0x00)
    if not o.with_names:
        doc.add_paragraph("Staff names and agency update text are left out of this report.")
    else:
        run = doc.add_paragraph().add_run("Contains staff names: not for publication.")
        run.bold = True
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _picture(doc, png: bytes, *, title: str, alt: str) -> None:
    run = doc.add_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(png), width=Mm(r.TEXT_WIDTH_MM))
    doc_pr = shape._inline.docPr  # Word reads alt text from the drawing's descr/title attributes
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


def _table(doc, table: pd.DataFrame) -> None:
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, heading in zip(header.cells, table.columns):
        _write(cell, str(heading), bold=True)
    for values in table.itertuples(index=False):
        for cell, value in zip(grid.add_row().cells, values):
            _write(cell, str(value))


def _write(cell, text: str, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.font.size = TABLE_FONT
    run.bold = bold


def _repeat_as_header(row) -> None:
    """The header row repeats at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
